// `pnpm docs:outputs`: runs the command behind every marked output block in
// the READMEs and writes what it printed into the block, the way Go by
// Example generates its output. readme-outputs.docs.test.ts checks the same
// blocks against a fresh quick run, so a stale sample fails the tests.
//
// The marker: an HTML comment on the line just above the block's opening
// fence (indented as the fence is, inside a list item). GitHub shows
// neither the comment nor its keys; the prose above says the command too.
//
//   <!-- output: pnpm --filter EXAMPLE start
//   quick: --increments 100000
//   vary: ^  2 cores:
//   -->
//   ```
//   ...what the command printed...
//   ```
//
//   output: CMD   the command, run by bash from the repository's root (so
//                 `cd examples/x && ...` works), stdout and stderr together,
//                 not on a terminal. pnpm's own lines are left out: the
//                 `$ node ...` it echoes, and `[ELIFECYCLE]` and after.
//                 Blank lines at the start and end are trimmed.
//   quick: FLAGS  (optional) what the test adds to CMD so it runs in
//                 seconds: at the end of its first part that is not a `cd`
//                 (parts end at `>`, `|`, `&&`, `;`), after a ` -- ` when
//                 that is a pnpm command without one. Give it when the real run takes more
//                 than a few seconds.
//   vary: REGEX   (optional, repeatable) lines matching this JavaScript
//                 regex, in the block or in a run, are left out of the
//                 check: for lines whose presence, count or wording depends
//                 on the machine or the size (a note printed only past a
//                 threshold, a heading that says how the job was sized).
//   exit: N       (optional) the exit code the command is meant to end
//                 with (0 unless said).
//   needs: PROGRAM ...   (optional) programs the command needs (names on
//                 the PATH, or absolute paths, such as wrk or
//                 /usr/bin/python3): without one, the test skips the block
//                 and says which is missing.
//   check: skip REASON   (optional) regenerate this block, but leave it
//                 out of the test (a run of minutes); the test lists it.
//
// A line that is only `...` in a block keeps a part of the output: the
// lines above it are the run's first lines, those below its last lines, as
// many as the block shows (the tail of a long output).
//
// The check compares lines in order after normalising both sides: every
// number becomes N, a time (`12.3 ms`, `4.10 s`) becomes T, a size
// (`10.0 KB`) becomes SIZE, runs of spaces inside a line become one, and a
// plural after a number is made singular; labels, words and the order of
// lines must match.
//
//   pnpm docs:outputs                   every marked block, one run at a time
//   pnpm docs:outputs -- README.md      only the READMEs whose path contains this
//   pnpm docs:outputs -- scripts/README.md:120   only the block whose marker is on that line
//   pnpm docs:outputs -- --list         the blocks and their commands; runs nothing
//   pnpm docs:outputs -- --check        run quick and compare, as the test does; writes nothing
//   pnpm docs:outputs -- --help         these lines; an unknown option, or a path with no block, is refused (exit 2)
//
// With README.md among the READMEs it writes, it also writes the root
// README's reading-order table from the examples' manifests (reading-order.ts).
//
// Take the measured runs with the machine to themselves (`flock
// /tmp/timing.lock pnpm docs:outputs` where others measure too).
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { repoRoot } from './paths.ts';
import { writeReadingOrder } from './reading-order.ts';

export interface OutputBlock {
  /** The README's path from the repository's root. */
  readme: string;
  /** 0-based line of the marker's first line. */
  markerLine: number;
  /** 0-based lines of the opening and closing fences. */
  openLine: number;
  closeLine: number;
  /** The fence's indentation, given to every output line written back. */
  indent: string;
  command: string;
  quick: string | null;
  vary: RegExp[];
  exit: number;
  skip: string | null;
  needs: string[];
  /** The block's lines, indentation taken off. */
  lines: string[];
}

const MARKER = /^(\s*)<!--\s*output:\s*(.*)$/;

/** Every README this project has: the root's, docs/, scripts/, and each package's and example's. */
export function readmeFiles(root = repoRoot): string[] {
  const inGroup = (group: string) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group), { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsSync(join(root, group, e.name, 'README.md')))
          .map((e) => join(group, e.name, 'README.md'))
      : [];
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f))
    : [];
  return [
    'README.md',
    'scripts/README.md',
    ...docs,
    ...inGroup('packages'),
    ...inGroup('examples'),
  ].filter((file) => existsSync(join(root, file)));
}

/** The marked output blocks of one README's text; a marker not followed by a fence is an error. */
export function outputBlocks(readme: string, text: string): OutputBlock[] {
  const lines = text.split('\n');
  const blocks: OutputBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = MARKER.exec(lines[i]!);
    if (!start) continue;
    const markerLine = i;
    const keys: string[] = [];
    let first = start[2]!;
    let closed = first.includes('-->');
    if (closed) first = first.slice(0, first.indexOf('-->'));
    keys.push(`output: ${first.trim()}`);
    while (!closed && ++i < lines.length) {
      let line = lines[i]!;
      if (line.includes('-->')) {
        closed = true;
        line = line.slice(0, line.indexOf('-->'));
      }
      if (line.trim() !== '') keys.push(line.trim());
    }
    const where = `${readme}:${markerLine + 1}`;
    if (!closed) throw new Error(`${where}: the output marker is never closed (-->)`);
    const open = i + 1;
    const fence = /^(\s*)```\w*\s*$/.exec(lines[open] ?? '');
    if (!fence) throw new Error(`${where}: an output marker must stand just above a \`\`\` fence`);
    const indent = fence[1]!;
    let close = open + 1;
    while (close < lines.length && lines[close]!.trim() !== '```') close++;
    if (close >= lines.length) throw new Error(`${where}: the block is never closed`);
    const block: OutputBlock = {
      readme,
      markerLine,
      openLine: open,
      closeLine: close,
      indent,
      command: '',
      quick: null,
      vary: [],
      exit: 0,
      skip: null,
      needs: [],
      lines: lines
        .slice(open + 1, close)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())),
    };
    for (const entry of keys) {
      const m = /^(\w[\w-]*):\s*(.*)$/.exec(entry);
      if (!m) throw new Error(`${where}: cannot read '${entry}' (key: value)`);
      const [, key, value] = m as unknown as [string, string, string];
      if (key === 'output') block.command = value;
      else if (key === 'quick') block.quick = value;
      else if (key === 'vary') block.vary.push(new RegExp(value));
      else if (key === 'exit') block.exit = Number(value);
      else if (key === 'needs') block.needs.push(...value.split(/\s+/).filter(Boolean));
      else if (key === 'check' && value.startsWith('skip'))
        block.skip = value.slice(4).trim() || 'skipped';
      else
        throw new Error(`${where}: unknown key '${key}' (output, quick, vary, exit, needs, check)`);
    }
    if (block.command === '') throw new Error(`${where}: the marker names no command`);
    blocks.push(block);
    i = close;
  }
  return blocks;
}

/** Every marked block in every README. */
export function allBlocks(root = repoRoot): OutputBlock[] {
  return readmeFiles(root).flatMap((readme) =>
    outputBlocks(readme, readFileSync(join(root, readme), 'utf8')),
  );
}

/** The block's command with its quick flags, as the test runs it. */
export function quickCommand(block: OutputBlock): string {
  if (!block.quick) return block.command;
  // The flags go at the end of the first part that is not a `cd` (parts end at `>`, `|`, `&&`, `;`).
  const parts = block.command.split(/(\s(?:>|\||&&|;)\s?)/);
  const i = parts.findIndex((part, k) => k % 2 === 0 && !/^\s*cd\s/.test(part));
  const part = parts[i]!;
  const pnpmScript = /^\s*pnpm\s/.test(part) && !/ -- /.test(`${part} `);
  parts[i] = `${part}${pnpmScript ? ' --' : ''} ${block.quick}`;
  return parts.join('');
}

/** What a run printed, as a block shows it: pnpm's own lines out, blank ends trimmed. */
export function cleanOutput(text: string): string[] {
  const lines: string[] = [];
  for (const line of stripVTControlCharacters(text).replace(/\r/g, '').split('\n')) {
    if (/^\[ELIFECYCLE\]/.test(line)) break; // pnpm's account of a failure, and all after it
    if (/^\$ /.test(line)) continue; // the script pnpm echoes
    lines.push(line.trimEnd());
  }
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** For a block with a `...` line: the run's first lines and last lines, as many as the block shows. */
export function keepShape(block: readonly string[], run: readonly string[]): string[] {
  const cut = block.indexOf('...');
  if (cut < 0) return [...run];
  const head = cut;
  const tail = block.length - cut - 1;
  if (run.length <= head + tail) return [...run];
  return [...run.slice(0, head), '...', ...run.slice(run.length - tail)];
}

/** One line with its numbers, times and sizes made N, T and SIZE, and its inner spaces squeezed. */
export function normalise(line: string): string {
  const num = String.raw`\d[\d,]*(?:\.\d+)?`;
  const indent = /^\s*/.exec(line)![0];
  return (
    indent +
    line
      .slice(indent.length)
      .replace(new RegExp(`${num}\\s?(?:ms|s)\\b`, 'g'), 'T')
      .replace(new RegExp(`${num}\\s?(?:B|KB|MB|GB)\\b`, 'g'), 'SIZE')
      .replace(new RegExp(num, 'g'), 'N')
      .replace(/\bN ([a-z]+?)s\b/g, 'N $1')
      .replace(/\s+/g, ' ')
      .trimEnd()
  );
}

/** The lines the check compares: `vary` lines out, the rest normalised. */
export function comparable(block: OutputBlock, lines: readonly string[]): string[] {
  return lines.filter((l) => !block.vary.some((re) => re.test(l))).map(normalise);
}

/**
 * How a fresh run differs from the block, in a few lines, or null when it
 * prints the same lines in the same order (up to the normalisation). With a
 * `...` line, the block's head must start the run and its tail end it.
 */
export function difference(block: OutputBlock, run: readonly string[]): string | null {
  const cut = block.lines.indexOf('...');
  const want = comparable(block, cut < 0 ? block.lines : block.lines.slice(0, cut));
  const wantTail = cut < 0 ? [] : comparable(block, block.lines.slice(cut + 1));
  const got = comparable(block, run);
  const pairs: [string[], string[]][] =
    cut < 0
      ? [[want, got]]
      : [
          [want, got.slice(0, want.length)],
          [wantTail, got.slice(Math.max(0, got.length - wantTail.length))],
        ];
  for (const [w, g] of pairs) {
    const n = Math.max(w.length, g.length);
    for (let i = 0; i < n; i++) {
      if (w[i] !== g[i]) {
        return [
          `line ${i + 1} of the block${cut < 0 ? '' : ' part'} differs (numbers, times and sizes normalised):`,
          `  README: ${w[i] ?? '(nothing: the run printed more)'}`,
          `  run:    ${g[i] ?? '(nothing: the run printed less)'}`,
        ].join('\n');
      }
    }
  }
  return null;
}

/** The programs of `needs` that this machine lacks. */
export function missing(block: OutputBlock): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return block.needs.filter((program) =>
    program.includes('/')
      ? !existsSync(program)
      : !dirs.some((dir) => existsSync(join(dir, program))),
  );
}

/** PATH with a `pnpm` on it: the one pnpm itself runs as, when the shell has none. */
function pnpmPath(): string {
  const path = process.env.PATH ?? '';
  const found = path.split(delimiter).some((dir) => dir && existsSync(join(dir, 'pnpm')));
  const entry = process.env.npm_execpath;
  if (found || !entry) return path;
  const dir = mkdtempSync(join(tmpdir(), 'lab-pnpm-'));
  writeFileSync(join(dir, 'pnpm'), `#!/bin/sh\nexec node "${entry}" "$@"\n`);
  chmodSync(join(dir, 'pnpm'), 0o755);
  return `${dir}${delimiter}${path}`;
}

let shellPath: string | undefined;

export interface Run {
  code: number;
  /** Everything printed, stdout and stderr together, as it came. */
  text: string;
  ms: number;
}

/** Run a README command as a reader would: bash, from the repository's root, not on a terminal. */
export function runCommand(command: string, timeoutMs = 1_200_000, root = repoRoot): Promise<Run> {
  shellPath ??= pnpmPath();
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `{ ${command}\n} 2>&1`], {
      cwd: root,
      env: { ...process.env, PATH: shellPath, NO_COLOR: '1', FORCE_COLOR: '0', LAB_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    // The command and everything it started, as a group: SIGTERM, then SIGKILL for what ignores it.
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {}
    };
    let hardStop: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      text += `\n(timed out after ${timeoutMs} ms)`;
      group('SIGTERM');
      hardStop = setTimeout(() => group('SIGKILL'), 5000);
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hardStop);
      resolve({ code: code ?? (signal ? 128 : 1), text, ms: performance.now() - started });
    });
  });
}

/** The README's text with one block's body replaced by these output lines. */
export function rewrite(text: string, block: OutputBlock, output: readonly string[]): string {
  const lines = text.split('\n');
  const body = output.map((l) => (l === '' ? '' : `${block.indent}${l}`));
  lines.splice(block.openLine + 1, block.closeLine - block.openLine - 1, ...body);
  return lines.join('\n');
}

const USAGE = `usage: pnpm docs:outputs [-- [PATH | PATH:LINE ...] [--list | --check]]

Runs each README's marked sample commands and rewrites their output blocks.
  (no arguments)   every marked block, one run at a time
  PATH             only the READMEs whose path contains it (examples/NAME)
  PATH:LINE        only the block whose marker is on that line (scripts/README.md:120)
  --list           the blocks and their commands; runs nothing
  --check          run each quickly and compare, as the test does; writes nothing
  --help           this text`;

const FLAGS = ['--list', '--check'];

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-') && !FLAGS.includes(a));
  if (unknown) {
    console.error(`docs:outputs: unknown option ${unknown} (--help lists them)`);
    return 2;
  }
  const list = args.includes('--list');
  const check = args.includes('--check');
  const only = args.filter((a) => !a.startsWith('-'));
  const readmes = readmeFiles().filter(
    (r) => only.length === 0 || only.some((o) => r.includes(o.replace(/:\d+$/, ''))),
  );
  // README.md:LINE names one block by its marker's line.
  const chosen = (readme: string, block: OutputBlock) =>
    only.length === 0 ||
    only.some((o) =>
      /:\d+$/.test(o) ? o === `${readme}:${block.markerLine + 1}` : readme.includes(o),
    );
  const blocksChosen = readmes.some((readme) =>
    outputBlocks(readme, readFileSync(join(repoRoot, readme), 'utf8')).some((b) =>
      chosen(readme, b),
    ),
  );
  if (!blocksChosen) {
    console.error(`docs:outputs: no marked output block in ${only.join(', ')}`);
    return 2;
  }
  // The root README's reading order is the manifests' (reading-order.ts): written with its blocks.
  if (!list && !check && readmes.includes('README.md')) {
    let changed: boolean;
    try {
      changed = writeReadingOrder();
    } catch (error) {
      console.error(`docs:outputs: ${(error as Error).message}`);
      return 1;
    }
    console.log(
      `README.md  reading order: ${changed ? 'rewritten from' : 'already as'} the examples' manifests`,
    );
  }
  let failures = 0;
  for (const readme of readmes) {
    const file = join(repoRoot, readme);
    // Chosen by the lines as they stand now; found again after each rewrite,
    // since a new output moves the lines below it.
    const picked = outputBlocks(readme, readFileSync(file, 'utf8')).map((b) => chosen(readme, b));
    for (let k = 0; k < picked.length; k++) {
      if (!picked[k]) continue;
      const block = outputBlocks(readme, readFileSync(file, 'utf8'))[k]!;
      const where = `${readme}:${block.markerLine + 1}`;
      if (list) {
        console.log(
          `${where}  ${block.command}${block.quick ? `  (quick: ${block.quick})` : ''}${block.skip ? `  (check skipped: ${block.skip})` : ''}`,
        );
        continue;
      }
      if (check && block.skip) {
        console.log(`${where}  skipped: ${block.skip}`);
        continue;
      }
      if (missing(block).length > 0) {
        console.log(`${where}  skipped: this machine has no ${missing(block).join(', ')}`);
        continue;
      }
      const command = check ? quickCommand(block) : block.command;
      process.stderr.write(`${where}  ${command} ... `);
      const run = await runCommand(command);
      process.stderr.write(`${(run.ms / 1000).toFixed(1)} s, exit ${run.code}\n`);
      const output = cleanOutput(run.text);
      if (run.code !== block.exit) {
        failures += 1;
        console.log(
          `${where}: exit ${run.code}, expected ${block.exit}; the block is left as it was\n${output.slice(-8).join('\n')}`,
        );
        continue;
      }
      if (check) {
        const diff = difference(block, output);
        if (diff) {
          failures += 1;
          console.log(`${where}: ${diff}`);
        }
        continue;
      }
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, rewrite(text, block, keepShape(block.lines, output)));
    }
  }
  if (!list)
    console.log(
      failures === 0 ? 'docs:outputs: all blocks done' : `docs:outputs: ${failures} failed`,
    );
  return failures === 0 ? 0 : 1;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
}
