// A pool member that runs the job: whatever task it is given, one at a time,
// on its own thread or process, with its own core. A task that throws comes
// back to the pool as an answer that names it.
import { serve } from '@lab/pool/member';
import { runTask, type Task } from './job.ts';

serve<Task, string>((task) => runTask(task));
