// A worker of the server's pools: it runs one request's work at a time on
// its own thread, so the server's event loop only waits for the answer.
import { serve } from '@lab/pool/member';
import { compute, sleepBlocking, type WorkTask } from './work.ts';

serve<WorkTask, string>((task) => {
  if (task.kind === 'sleep') {
    sleepBlocking(task.ms); // blocks this thread, not the server's loop
    return 'slept';
  }
  return compute(task.tasks);
});
