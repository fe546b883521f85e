// One of the threads of the message-passing fix: once the gate opens, it counts on its own and sends the total.
import { countOnThisThread } from 'racy-counter';
import { incrementOwn } from './safe-counter.ts';

countOnThisThread(incrementOwn);
