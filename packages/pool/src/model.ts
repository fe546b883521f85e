// What a pool should take, from what the same run measured: Amdahl's law
// with the fixed cost written in.
//
// Work that takes `workMs` on one core, in `tasks` tasks of about equal
// size, on a pool of `members`: the members run ceil(tasks / members) rounds
// of one task each, in parallel, but never more at once than there are
// cores (members beyond the cores share them). Before any of that, the pool
// pays `startupMs` to start its members. A task takes `taskMs` on a member:
// measured, where the run has it, because a core can be slower while its
// neighbour is busy too (shared caches, clocks, a host's other guests);
// otherwise its share of the work alone, workMs / tasks. So
//
//   predicted time    = startupMs + max(ceil(tasks / members), tasks / cores) x taskMs
//   predicted speedup = workMs / predicted time
//
// With 2 s of work in 20 tasks on 2 cores and 100 ms of start-up, that is
// 2000 / (100 + 10 x 100) = 1.82x; with the notes' 0.2 s of work it is
// 200 / (100 + 10 x 10) = 1.0x: the start-up eats the gain, and the model
// says so before the run shows it.
export interface PoolWork {
  /** The work alone, on one core: the sequential run's time. */
  workMs: number;
  tasks: number;
  members: number;
  cores: number;
  /** Paid before the first task can start: 0 for a pool started before the clock. */
  startupMs: number;
  /** One task's time on a member, as measured; by default its share of the work alone. */
  taskMs?: number;
}

export function predictPoolMs(work: PoolWork): number {
  const { workMs, tasks, members, cores, startupMs } = work;
  const lanes = Math.max(1, Math.min(members, tasks));
  const perTask = work.taskMs ?? workMs / Math.max(1, tasks);
  return startupMs + Math.max(Math.ceil(tasks / lanes), tasks / Math.max(1, cores)) * perTask;
}

export function predictSpeedup(work: PoolWork): number {
  return work.workMs / predictPoolMs(work);
}
