// One of the threads of the atomics fix: once the gate opens, it adds with Atomics.add.
import { countOnThisThread, incrementAtomically } from './safe-counter.ts';

countOnThisThread(incrementAtomically);
