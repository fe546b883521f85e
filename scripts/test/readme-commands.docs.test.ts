import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBlocks, missing, readmeFiles, runCommand } from '../src/docs-outputs.ts';
import { repoRoot } from '../src/paths.ts';

// Every command a README offers in a ```sh block works as written: each
// `pnpm` line (each pnpm part of a `&&` chain) runs from the repository's
// root and must end with exit code 0, or the code its comment names
// (`# exits 2`), with no stack trace in what it printed. Slow example runs
// get quick flags (QUICK, only where the command does not set them itself);
// the commands in SKIPPED are not run, for the reason given beside each, nor
// is a command whose comment says it runs `until Ctrl-C`.

/** Commands not run here, and why. The first pattern that matches a command decides. */
export const SKIPPED: [RegExp, string][] = [
  [/^pnpm install\b/, 'installs the dependencies (the first step of every run, CI included)'],
  [
    /^pnpm test\b/,
    'the test runs themselves: CI runs pnpm test, then pnpm test:docs, of which this file is part',
  ],
  [
    /^pnpm (lint|typecheck|format)\b/,
    'checks (or rewrites) the whole tree; CONTRIBUTING.md asks for them before a change',
  ],
  [
    /^pnpm matrix\b/,
    'minutes for the full matrix, half a minute quick; matrix.docs.test.ts runs `pnpm matrix -- --quick`',
  ],
  [/^pnpm sites\b/, 'a server: it runs until Ctrl-C'],
  [
    /^pnpm lab\b/,
    'a server: it runs until Ctrl-C (scripts/test/lab*.test.ts start it and drive its page)',
  ],
  [
    /^pnpm docs:outputs\b(?!.*--(list|check))/,
    'rewrites READMEs from measured runs, which want the machine to themselves',
  ],
  [/&\s*$/, 'started in the background, to be stopped by hand'],
  [
    /--server http:\/\/127\.0\.0\.1:8080\b/,
    'needs the sites server the line before it starts on port 8080; its output block runs it on a free port',
  ],
  [/\bversus-asyncio\b/, 'turns against the Python original: about a minute'],
  [/--sweep\b/, 'a sweep of four loads on every route, beside FastAPI: minutes'],
  [/--url https?:\/\/(?!127\.0\.0\.1)/, 'needs the internet'],
  // Only loopback is ever a target here: a Redis on another machine is the reader's.
  [/--redis redis:\/\/(?!127\.0\.0\.1[:/])/, 'points at a Redis on another machine'],
  [
    /--redis redis:\/\/127\.0\.0\.1:6379\b/,
    'needs a Redis already running on port 6379 (pnpm --filter queue start starts its own)',
  ],
];

/** Flags that make an example's command quick, unless the command sets one of `unless`. */
export const QUICK: Record<string, { flags: string; unless: RegExp }> = {
  'async-basics': { flags: '--scale 0.05', unless: /--scale\b/ },
  'cpu-multiprocess': { flags: '--seconds 0.3', unless: /--(seconds|base)\b/ },
  'event-loop': { flags: '--seconds 0.2', unless: /--(seconds|base)\b/ },
  'sync-download': { flags: '--latency 5', unless: /--(latency|url)\b/ },
  'pool-download': { flags: '--latency 5', unless: /--(latency|url)\b/ },
  'safe-counter': { flags: '--increments 200000', unless: /--increments\b/ },
  // Short waits as well as short runs: a blocked loop drains C x L after its run.
  serve: { flags: '--seconds 0.2 --latency 10', unless: /--(seconds|latency)\b/ },
  'timeouts-and-cancellation': {
    flags: '--latency-ms 200 --deadline-ms 50 --requests 20',
    unless: /--(latency-ms|deadline-ms|requests)\b/,
  },
};

export interface ReadmeCommand {
  where: string;
  /** As the README has it, comment left out. */
  command: string;
  /** What this test runs: quick flags added, a pager left out. */
  run: string;
  exit: number;
  skipped: string | null;
}

/** The pnpm commands of every ```sh block of a README's text. */
export function commandsOf(readme: string, text: string): ReadmeCommand[] {
  const found: ReadmeCommand[] = [];
  let inSh = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (/^```/.test(line)) {
      inSh = !inSh && /^```(sh|bash|shell)\s*$/.test(line);
      return;
    }
    if (!inSh) return;
    const hash = line.search(/\s#\s/);
    const comment = hash < 0 ? '' : line.slice(hash);
    const code = (hash < 0 ? line : line.slice(0, hash)).trim();
    const exit = Number(/\bexits? (\d+)\b/.exec(comment)?.[1] ?? 0);
    for (const part of code.split(/\s&&\s/)) {
      const command = part.trim();
      if (!/^pnpm\s/.test(command)) continue;
      const skipped = /until Ctrl-C/i.test(comment)
        ? 'runs until Ctrl-C, as its comment says'
        : (SKIPPED.find(([pattern]) => pattern.test(command))?.[1] ?? null);
      let run = command.replace(/\s*\|\s*(less|more)\b.*$/, '');
      const example = /^pnpm --filter (\S+) start\b/.exec(run)?.[1];
      const quick = example ? QUICK[example] : undefined;
      if (quick && !quick.unless.test(run)) {
        run = / -- /.test(`${run} `) ? `${run} ${quick.flags}` : `${run} -- ${quick.flags}`;
      }
      found.push({ where: `${readme}:${i + 1}`, command, run, exit, skipped });
    }
  });
  return found;
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m;

// A command whose output block readme-outputs runs and checks (its exit
// code and every line) is run there, once, not here a second time.
const checkedThere = new Set(
  allBlocks()
    .filter((block) => !block.skip && missing(block).length === 0)
    .map((block) => block.command),
);

const commands = [...readmeFiles(), 'CONTRIBUTING.md']
  .filter((file) => existsSync(join(repoRoot, file)))
  .flatMap((file) => commandsOf(file, readFileSync(join(repoRoot, file), 'utf8')))
  .map((c) =>
    !c.skipped && checkedThere.has(c.command)
      ? { ...c, skipped: 'run by readme-outputs, which checks its output block' }
      : c,
  );

describe('every pnpm command in the READMEs works as written', () => {
  it('finds the commands', () => {
    expect(commands.filter((c) => !c.skipped).length).toBeGreaterThan(10);
  });
  // Two at a time: these check exit codes and output, not speed.
  const queue = commands.filter((c) => !c.skipped);
  const results = new Map<ReadmeCommand, ReturnType<typeof runCommand>>();
  const slots: Promise<unknown>[] = [];
  const start = (c: ReadmeCommand) => {
    if (!results.has(c)) results.set(c, runCommand(c.run, 110_000));
    return results.get(c)!;
  };
  for (const c of commands) {
    const name = `${c.where} ${c.command}${c.run !== c.command ? ` (run as: ${c.run})` : ''}`;
    if (c.skipped) {
      it.skip(`${name} (not run: ${c.skipped})`, () => {});
      continue;
    }
    it(name, { timeout: 240_000 }, async () => {
      // Start this one and the next, so one is always running beside it.
      const next = queue[queue.indexOf(c) + 1];
      if (next) slots.push(start(next));
      const run = await start(c);
      const tail = run.text.trimEnd().split('\n').slice(-15).join('\n');
      expect(run.code, tail).toBe(c.exit);
      expect(STACK.test(run.text), tail).toBe(false);
    });
  }
});

describe('reading the commands', () => {
  const text = [
    '```sh',
    'pnpm install && pnpm --filter event-loop start   # the example',
    'pnpm --filter event-loop start -- --way nope      # exits 2',
    'pnpm compare a b | less -R',
    'pnpm --filter a-server start -- --port 8080   # a server: runs until Ctrl-C',
    'npm install -g pnpm',
    '```',
    '```',
    'pnpm --filter not-sh start',
    '```',
  ].join('\n');
  const found = commandsOf('R.md', text);

  it('takes the pnpm parts of sh blocks, comments out, pagers off, quick flags on', () => {
    expect(found.map((c) => [c.run, c.exit, c.skipped !== null])).toEqual([
      ['pnpm install', 0, true],
      ['pnpm --filter event-loop start -- --seconds 0.2', 0, false],
      ['pnpm --filter event-loop start -- --way nope --seconds 0.2', 2, false],
      ['pnpm compare a b', 0, false],
      ['pnpm --filter a-server start -- --port 8080', 0, true],
    ]);
  });

  it('sees a stack trace', () => {
    expect(STACK.test('Error: x\n    at f (file:///a/b.ts:3:9)\n')).toBe(true);
    expect(STACK.test('  at 1.5 s: task1 done\n')).toBe(false);
  });
});
