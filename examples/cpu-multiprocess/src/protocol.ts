// The messages between a pool and its members (threads or processes).
//   member to pool: READY once, then one Answer per Task;
//   pool to member: a Task at a time, then STOP when the queue is empty. Like
//   the None that multiprocessing.Pool sends its workers, STOP lets a member
//   finish what it was saying and exit on its own (exit code 0).
import type { Task } from './job.ts';

export const READY = 'ready';
export const STOP = 'stop';

export type Answer = { index: number; result: string } | { index: number; error: string };

export type { Task };
