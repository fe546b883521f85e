// Around `turbo run check:types test:all` (and `turbo run test:docs:all`):
// with --clear, before it, remove the last run's results, so tests that never
// ran cannot pass on last time's file; after it, read vitest's results
// (written by test:all as .test-results.json, by test:docs:all as the file
// --results names, and restored by turbo on a cache hit) and print one
// closing line, "tests: N passed, N failed, N skipped". The exit code is
// non-zero when any test failed, there are no results, or turbo itself
// failed (--turbo-exit CODE: the types did not check, or vitest crashed).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    clear: { type: 'boolean' },
    results: { type: 'string', default: '.test-results.json' },
    'turbo-exit': { type: 'string' },
  },
});
const file = join(import.meta.dirname, '..', values.results);

if (values.clear) {
  rmSync(file, { force: true });
} else {
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  const turboExit = Number(values['turbo-exit'] ?? 0);
  if (!results) console.log('no test results: vitest did not finish');
  if (turboExit !== 0)
    console.log(`turbo exited with code ${turboExit} (see above: types, or tests)`);
  const passed = results?.numPassedTests ?? 0;
  const failed = results?.numFailedTests ?? 0;
  const skipped = (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = !results || failed > 0 || turboExit !== 0 ? 1 : 0;
}
