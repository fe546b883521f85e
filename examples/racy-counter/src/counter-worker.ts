// One racing thread of the pool: it waits at the gate for the others, then
// runs the racy loop of racy-counter.ts.
import { serveLoops } from '@lab/counter/member';
import { incrementShared } from './racy-counter.ts';

serveLoops({ racy: incrementShared });
