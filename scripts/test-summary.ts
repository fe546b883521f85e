// Around `turbo run test`: with --clear, before it, remove every package's
// old results, so a package whose tests never ran cannot pass on last
// time's file; after it, add up every package's vitest results (written as
// .test-results.json by each package's test script, and restored by turbo on
// a cache hit) and print one closing line, "tests: N passed, N failed".
// The exit code is non-zero when any test failed, any package has no
// results, or turbo itself failed (--turbo-exit CODE).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { clear: { type: 'boolean' }, 'turbo-exit': { type: 'string' } },
});
const top = join(import.meta.dirname, '..');
const folders = ['packages', 'examples']
  .flatMap((group) => readdirSync(join(top, group)).map((name) => join(top, group, name)))
  .concat(join(top, 'scripts'))
  .filter((folder) => existsSync(join(folder, 'package.json')));

if (values.clear) {
  for (const folder of folders) rmSync(join(folder, '.test-results.json'), { force: true });
} else {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing: string[] = [];
  for (const folder of folders) {
    const file = join(folder, '.test-results.json');
    if (!existsSync(file)) {
      missing.push(folder.slice(top.length + 1));
      continue;
    }
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + results.numTodoTests;
  }
  if (missing.length > 0) console.log(`no test results from: ${missing.join(', ')}`);
  const turboExit = Number(values['turbo-exit'] ?? 0);
  if (turboExit !== 0) console.log(`turbo exited with code ${turboExit}`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed > 0 || missing.length > 0 || turboExit !== 0 ? 1 : 0;
}
