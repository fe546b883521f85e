// One fixed thread of the pool: it waits at the gate for the others, then
// runs the loop of safe-counter.ts its task names.
import { serveLoops } from '@lab/counter/member';
import { incrementAtomically, incrementLocked, incrementOwn } from './safe-counter.ts';

serveLoops({
  atomics: incrementAtomically,
  lock: incrementLocked,
  'message-passing': incrementOwn,
});
