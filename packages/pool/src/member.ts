// The member's side of a pool, written once for both kinds: a worker thread
// talks to the pool through `parentPort`, a forked process through
// `process.send`. Either way the member says it is ready, then runs each task
// it is given and answers with the result, or with the error a task threw,
// so the pool can name the task instead of losing it.
//
//   serve((task) => runTask(task));
import { parentPort, workerData as threadData } from 'node:worker_threads';
import { DATA_VARIABLE, type FromMember, type ToMember } from './protocol.ts';

export interface MemberContext {
  /** What the pool was given as `workerData` (for a process, a JSON copy). */
  workerData: unknown;
}

export interface ServeOptions {
  /** Release what keeps the member alive (sockets, timers) when the pool lets it go. */
  onStop?(): void | Promise<void>;
}

export function serve<In, Out>(
  handler: (task: In, context: MemberContext) => Out | Promise<Out>,
  options: ServeOptions = {},
): void {
  const port = parentPort;
  const send = process.send?.bind(process);
  const say = (message: FromMember<Out>) => (port ? port.postMessage(message) : send?.(message));
  if (!port && !send) {
    throw new Error('a pool member runs only as a worker thread or a forked process');
  }
  const raw = port ? undefined : process.env[DATA_VARIABLE];
  const context: MemberContext = { workerData: port ? threadData : raw && JSON.parse(raw) };

  // On `stop` (or, for a process, when the pool disconnects) the member lets
  // go of its channel; with nothing left to wait for, its event loop runs dry
  // and it exits with code 0, like a multiprocessing worker that gets None.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await options.onStop?.();
    if (port) port.close();
    else if (process.connected) process.disconnect();
  };
  const onMessage = async (message: ToMember<In>) => {
    if (message.type === 'stop') return stop();
    const { id, task } = message;
    try {
      say({ type: 'done', id, result: await handler(task, context) });
    } catch (error) {
      say({ type: 'error', id, error: error instanceof Error ? error.message : String(error) });
    }
  };
  if (port) port.on('message', onMessage);
  else {
    process.on('message', onMessage);
    process.on('disconnect', () => void stop());
  }
  say({ type: 'ready' });
}
