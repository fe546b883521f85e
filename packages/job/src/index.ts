// @lab/job: the notes' CPU-bound job (sums of squares, or recursive fib) and
// its sizing on the reader's machine, shared by cpu-multiprocess, event-loop
// and the matrix.
export * from './calibrate.ts';
export * from './job.ts';

/** The @lab/pool member that runs this job's tasks (see job-worker.ts). */
export const jobMember = new URL('./job-worker.ts', import.meta.url);
