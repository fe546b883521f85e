// After `turbo run test`: add up every package's vitest results (written as
// .test-results.json by each package's test script, and restored by turbo on a
// cache hit) and print one closing line, "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const top = join(import.meta.dirname, '..');
const folders = ['packages', 'examples'].flatMap((group) =>
  readdirSync(join(top, group)).map((name) => join(top, group, name)),
);
folders.push(join(top, 'scripts'));

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
for (const folder of folders) {
  const file = join(folder, '.test-results.json');
  if (!existsSync(join(folder, 'package.json'))) continue;
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
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || missing.length > 0 ? 1 : 0;
