// One of the threads of the atomics fix: once the gate opens, it adds with Atomics.add.
import { countOnThisThread } from 'racy-counter';
import { incrementAtomically } from './safe-counter.ts';

countOnThisThread(incrementAtomically);
