// Why a member's TypeScript is turned into JavaScript before it starts.
//
// Node 24 runs .ts files itself, but every new isolate and every new process
// sets up its type stripper again before it runs one line of the member:
// measured on these 2-core machines, a thread with a .ts entry posted its
// first message after 105-171 ms against 49-95 ms for a .mjs one. A pool
// pays that for each member, inside the time it is measured by.
//
// So the pool strips the types once, here in the parent (which has the
// stripper loaded already), with Node's own `stripTypeScriptTypes`: each
// type annotation becomes blanks, so the JavaScript keeps the source's lines
// and columns and a stack trace points at the real .ts line. The member's
// imports are followed and stripped too, then every import is pointed at the
// stripped copy (for .ts) or at the resolved file (for node_modules). The
// copies live in the OS temp folder, keyed by the source's path, and are
// rewritten only when the source changes. The .ts files stay the sources
// the reader reads and tsc checks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CACHE = join(tmpdir(), `concurrency-lab-members-${process.getuid?.() ?? 0}`);

// The module specifiers of static imports and re-exports, at the start of a
// statement: `import { a } from 'x';`, `export * from 'x';`, `import 'x';`.
const SPECIFIER = /^(\s*import\s*|\s*(?:import|export)\b[^;'"]*?\bfrom\s*)(['"])([^'"\n]+)\2/gm;

/** The file a member thread or process should start: a .ts source becomes its stripped copy. */
export function memberEntry(file: URL): URL {
  if (!file.pathname.endsWith('.ts')) return file;
  return pathToFileURL(strip(fileURLToPath(file), new Map()));
}

function strip(source: string, done: Map<string, string>): string {
  const known = done.get(source);
  if (known) return known;
  const target = join(CACHE, `${createHash('sha1').update(source).digest('hex').slice(0, 16)}.mjs`);
  done.set(source, target); // before the imports, so an import cycle ends here
  const require = createRequire(source);
  const code = quietly(() => stripTypeScriptTypes(readFileSync(source, 'utf8'))).replace(
    SPECIFIER,
    (whole, lead: string, quote: string, specifier: string) => {
      if (specifier.startsWith('node:')) return whole;
      const resolved = require.resolve(specifier);
      const url = resolved.endsWith('.ts')
        ? pathToFileURL(strip(resolved, done)).href
        : pathToFileURL(resolved).href;
      return `${lead}${quote}${url}${quote}`;
    },
  );
  // Write only what changed, and atomically: another run may start its
  // members from the same copy at this very moment.
  if (!existsSync(target) || readFileSync(target, 'utf8') !== code) {
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, target);
  }
  return target;
}

// stripTypeScriptTypes is marked experimental and warns about it once per
// process; the warning would land in the middle of an example's output.
function quietly<T>(work: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return work();
  } finally {
    process.emitWarning = emit;
  }
}
