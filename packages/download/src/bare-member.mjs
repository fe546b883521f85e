// A member that does nothing but say it is ready: the floor under a pool's
// start-up, for a thread or a process of this Node.js on this machine. Plain
// JavaScript on purpose: nothing to load but Node.js itself. It listens on
// its channel only so that it stays until it is ended.
import { parentPort } from 'node:worker_threads';

if (parentPort) {
  parentPort.on('message', () => {});
  parentPort.postMessage('ready');
} else {
  process.on('message', () => {});
  process.send?.('ready');
}
