// One of countWithThreads' threads: once the gate opens, it runs the racy loop.
import { countOnThisThread, incrementShared } from './racy-counter.ts';

countOnThisThread(incrementShared);
