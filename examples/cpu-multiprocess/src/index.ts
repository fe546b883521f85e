// cpu-multiprocess: the strategies and the job, for the matrix and event-loop.
export * from './cpu-multiprocess.ts';
export * from './job.ts';
