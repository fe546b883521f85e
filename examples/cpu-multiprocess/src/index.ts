// cpu-multiprocess: the four strategies, the pool under the threads and
// processes ones, and the shared CPU job (also at cpu-multiprocess/job).
export * from './cpu-multiprocess.ts';
export * from './job.ts';
export type { PoolRun } from './pool.ts';
