// The messages between a pool and its members (threads or processes).
// Pool to member: a Task. Member to pool: READY once, then one Answer per Task.
import type { Task } from './job.ts';

export const READY = 'ready';

export type Answer = { index: number; result: string } | { index: number; error: string };

export type { Task };
