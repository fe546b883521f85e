// cpu-multiprocess: the same CPU-bound job sequentially, with async, and on
// pools of threads and processes (the job itself is @lab/job).
export * from './cpu-multiprocess.ts';
