// The worker thread of event-loop.ts's runOnWorker: it runs the tasks it was
// started with, one after another, and posts their results. A task that
// throws ends the thread with that error, which the main thread receives as
// the worker's 'error' event.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type Task } from '@lab/job';

if (!parentPort) throw new Error('job-worker.ts runs only as a worker thread');
parentPort.postMessage((workerData as Task[]).map((task) => runTask(task)));
