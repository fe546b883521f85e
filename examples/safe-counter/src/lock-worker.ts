// One of the threads of the lock fix: once the gate opens, it takes the lock around each read and write.
import { countOnThisThread } from 'racy-counter';
import { incrementLocked } from './safe-counter.ts';

countOnThisThread(incrementLocked);
