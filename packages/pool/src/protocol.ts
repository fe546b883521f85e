// What a pool and its members say to each other, over postMessage (threads)
// or IPC (processes). A member says `ready` once it has loaded its code,
// then answers each task it is given with `done` or `error`; the pool hands
// out one task at a time per member, and says `stop` when it has no more.

export type ToMember<In> = { type: 'task'; id: number; task: In } | { type: 'stop' };

export type FromMember<Out> =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: Out }
  | { type: 'error'; id: number; error: string };

/** Processes get their workerData through the environment (threads get it from `new Worker`). */
export const DATA_VARIABLE = 'LAB_MEMBER_DATA';
