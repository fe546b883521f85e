// Eager and lazy start: what runs before the first await.
//
// Calling a Python coroutine function runs nothing: it makes a coroutine
// object, which runs only when awaited or wrapped in a task, and
// asyncio.create_task() schedules it for the loop's next turn (Python 3.12's
// eager_task_factory runs it at once, as Node does). Calling a Node async
// function runs its body at once, up to its first await, before the caller's
// next line; the promise it returns is the running task. Node's lazy form is
// a function not yet called: `() => work()`.
//
//   pnpm --filter timeouts-and-cancellation exec node src/eager.ts

/** Each step says so as it runs: the order of the lines is the lesson. */
export async function eagerStart(): Promise<void> {
  const say = (line: string) => console.log(line);
  async function work(name: string): Promise<void> {
    say(`${name}: runs, up to its first await`);
    await null;
    say(`${name}: after its first await`);
  }
  say('caller: calls work()');
  const task = work('work'); // has already run its first line
  say('caller: got its promise, awaits it');
  await task;

  say('caller: keeps a thunk, () => work(): nothing runs yet');
  const later = () => work('thunk');
  say('caller: calls the thunk');
  await later();
  say('caller: done');
}

if (import.meta.main) {
  const start = performance.now();
  await eagerStart();
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
