// The worker thread for the `worker` way: it runs the shared job, task by
// task, on its own thread and its own event loop, and posts the results back.
// The main thread's loop never runs a line of it, so its timers stay on time.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type Task } from 'cpu-multiprocess/job';

const tasks = workerData as Task[];
parentPort?.postMessage(tasks.map((task) => runTask(task)));
