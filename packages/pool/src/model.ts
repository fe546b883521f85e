// What a pool should take, from what the same run measured: Amdahl's law
// with the fixed cost written in.
//
// Work that takes `workMs` on one core, in `tasks` tasks of about equal
// size, on a pool of `members`: the members run ceil(tasks / members) rounds
// of one task each, in parallel, but never more at once than there are
// cores (members beyond the cores share them, so each task takes longer).
// Before any of that, the pool pays `startupMs` to start its members. So
//
//   predicted time    = startupMs + max(ceil(tasks / members) x perTask, workMs / cores)
//   predicted speedup = workMs / predicted time
//
// With 2 s of work on 2 cores and 100 ms of start-up that is 2000 / 1100 =
// 1.82x; with the notes' 0.2 s of work it is 200 / 200 = 1.0x: the start-up
// eats the gain, and the model says so before the run shows it.
export interface PoolWork {
  /** The work alone, on one core: the sequential run's time. */
  workMs: number;
  tasks: number;
  members: number;
  cores: number;
  /** Paid before the first task can start: 0 for a pool started before the clock. */
  startupMs: number;
}

export function predictPoolMs({ workMs, tasks, members, cores, startupMs }: PoolWork): number {
  const lanes = Math.max(1, Math.min(members, tasks));
  const perTask = workMs / Math.max(1, tasks);
  return startupMs + Math.max(Math.ceil(tasks / lanes) * perTask, workMs / Math.max(1, cores));
}

export function predictSpeedup(work: PoolWork): number {
  return work.workMs / predictPoolMs(work);
}
