// @lab/pool: one small pool of threads or processes for every example that
// computes on more than one core. The member's side is '@lab/pool/member'.
export { memberEntry } from './entry.ts';
export { type PoolWork, predictPoolMs, predictSpeedup } from './model.ts';
export { type Answer, MemberDied, Pool, type PoolOptions } from './pool.ts';
export type { MemberKind } from './spawn.ts';
export {
  type MapOptions,
  type MapRun,
  measureBareStartup,
  type StartedPool,
  type StartPoolOptions,
  startPool,
} from './start-pool.ts';
