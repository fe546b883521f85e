// @lab/pool: one small pool of threads or processes for every example that
// computes on more than one core. The member's side is '@lab/pool/member'.
export { memberEntry } from './entry.ts';
export { type PoolWork, predictPoolMs, predictSpeedup } from './model.ts';
export {
  type MapOptions,
  type MapRun,
  measureBareStartup,
  type Pool,
  type PoolOptions,
  startPool,
} from './pool.ts';
export type { MemberKind } from './spawn.ts';
