// Starting one member, of either kind. This is the only place that knows
// the difference: a thread is `new Worker(file)`, an isolate of its own in
// this process, sharing memory only through SharedArrayBuffer; a process is
// `fork(file)`, a whole Node.js of its own, spoken to over IPC. The pool
// above sees the same four things from both: send, stop, end, and events.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DATA_VARIABLE, type FromMember, type ToMember } from './protocol.ts';

export type MemberKind = 'thread' | 'process';

export interface MemberEvents<Out> {
  message(message: FromMember<Out>): void;
  /** The member is gone; `why` says how ("exit code 1", "threw: ...", "killed by SIGKILL"). Called once. */
  exit(why: string): void;
}

export interface Member<In> {
  send(message: ToMember<In>): void;
  /** End it now, even in the middle of a task. */
  end(): void;
}

export function spawnMember<In, Out>(
  kind: MemberKind,
  entry: URL,
  workerData: unknown,
  events: MemberEvents<Out>,
): Member<In> {
  let gone = false;
  const exit = (why: string) => {
    if (gone) return;
    gone = true;
    events.exit(why);
  };
  if (kind === 'thread') {
    const thread = new Worker(entry, { workerData });
    let threw = '';
    thread.on('message', events.message);
    // An uncaught exception ends the thread: 'error' comes first, then 'exit'.
    thread.on('error', (error) => (threw = `threw: ${error.message}`));
    thread.on('exit', (code) => exit(threw || `exit code ${code}`));
    return {
      send: (message) => thread.postMessage(message),
      end: () => void thread.terminate(),
    };
  }
  const child = fork(fileURLToPath(entry), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, [DATA_VARIABLE]: JSON.stringify(workerData ?? null) },
    serialization: 'advanced',
  });
  child.on('message', (message) => events.message(message as FromMember<Out>));
  child.on('error', (error) => {
    // Without a pid the process never started, and no 'exit' will follow.
    if (child.pid === undefined) exit(`failed to start: ${error.message}`);
  });
  // A process that dies of an uncaught exception prints its stack on stderr.
  // Keep the tail of what it says: on a clean exit it is passed on as it
  // was; otherwise its error line becomes the reason, like a thread's.
  let said = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-8192);
  });
  child.on('exit', (code, signal) => {
    const threw = /^\w*Error: (.*)$/m.exec(said)?.[1];
    if (code === 0 || (!threw && said)) process.stderr.write(said);
    exit(signal ? `killed by ${signal}` : threw ? `threw: ${threw}` : `exit code ${code}`);
  });
  return {
    // A process that is already going may have closed its channel.
    send: (message) => void (child.connected && child.send(message)),
    end: () => void child.kill(),
  };
}
