// @lab/counter: what racy-counter and safe-counter share, so neither imports
// the other: the shared memory and the start gate, counting on pooled threads
// and in async tasks, and the command line. The thread's side is
// '@lab/counter/member'.
export * from './cells.ts';
export * from './cli.ts';
export * from './count.ts';
export * from './tasks.ts';
export * from './threads.ts';
