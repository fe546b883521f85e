// A bare worker thread for the bench: it answers each message with the same
// number squared, and loads nothing but Node.js. Plain JavaScript on purpose.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (n) => parentPort?.postMessage(n * n));
