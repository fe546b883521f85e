// racy-counter: the races, and the pieces safe-counter fixes them with.
export * from './count.ts';
export * from './options.ts';
export * from './racy-counter.ts';
export * from './shared-memory.ts';
export * from './together.ts';
export * from './turns.ts';
