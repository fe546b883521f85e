// What the lab page can run: every example its manifest declares (its
// package.json's "lab" field), in the reading order, each with its option
// spec as its own --help --json prints it (the same spec, bounds and
// defaults the command line checks), and the two sources a reader compares
// (the lesson file, the Python original).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { type OptionData, startFlags } from '@lab/harness';
import { examples } from '../src/lab.ts';
import { repoRoot } from '../src/paths.ts';

export { repoRoot };

export interface Entry {
  name: string;
  about: string;
  /** The concept in a few words and the lesson in one line, from the manifest when it has them. */
  concept: string;
  lesson: string;
  order: number;
  folder: string;
  main: string;
  /** Node's flags from the example's start script, as `pnpm start` runs it. */
  nodeFlags: string[];
  /** The options the page may set: not the ones that take a path or a URL, nor --json or --trace. */
  options: OptionData[];
  strategies: string[];
  lessonFile: string | null;
  pythonFile: string | null;
}

/** Options a request may never set: the lab sets the output itself, and takes no path or URL from a page. */
const RESERVED = new Set(['json', 'trace', 'help']);
const offered = (o: OptionData) => !RESERVED.has(o.key) && o.kind !== 'path' && o.kind !== 'urls';

/** The spec, from the example itself: `node [its flags] src/main.ts --help --json`. */
function specOf(
  main: string,
  nodeFlags: string[],
): Promise<{ usage: string; options: OptionData[] }> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...nodeFlags, main, '--help', '--json'],
      { timeout: 30_000 },
      (error, stdout) => {
        if (error) reject(new Error(`${main} --help --json failed: ${error.message}`));
        else resolve(JSON.parse(stdout));
      },
    ),
  );
}

/** Every example its manifest declares, in the reading order. */
export async function loadCatalog(): Promise<Entry[]> {
  return Promise.all(
    examples().map(async ({ name, dir, lab }): Promise<Entry> => {
      const main = join(dir, 'src', 'main.ts');
      const nodeFlags = startFlags(dir);
      const spec = await specOf(main, nodeFlags);
      const [source] = lab.sources;
      return {
        name,
        about: spec.usage.split('\n')[1] ?? '',
        concept: lab.concept,
        lesson: lab.lesson,
        order: lab.order,
        folder: dir,
        main,
        nodeFlags,
        options: spec.options.filter(offered),
        strategies: lab.strategies,
        lessonFile: source ? join(dir, source.ts) : null,
        pythonFile: source?.python ? join(dir, source.python) : null,
      };
    }),
  );
}

/**
 * A run's arguments from what a page sent, checked against the example's own
 * spec: a known option, of its kind, within its bounds or among its choices.
 * Anything else is refused with the reason; nothing is passed through as given.
 */
export function argvOf(entry: Entry, given: unknown): string[] {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new RangeError('options must be an object of option keys and values');
  }
  const argv: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    const option = entry.options.find((o) => o.key === key);
    if (!option) throw new RangeError(`${entry.name} has no option ${key} the lab may set`);
    switch (option.kind) {
      case 'flag':
        if (typeof value !== 'boolean') throw new RangeError(`${option.flag} is on or off`);
        if (value) argv.push(option.flag);
        break;
      case 'int':
      case 'number': {
        const whole = option.kind === 'int';
        if (
          typeof value !== 'number' ||
          !Number.isFinite(value) ||
          (whole && !Number.isInteger(value))
        ) {
          throw new RangeError(`${option.flag} must be ${whole ? 'a whole number' : 'a number'}`);
        }
        if (
          (option.min !== undefined && value < option.min) ||
          (option.max !== undefined && value > option.max)
        ) {
          throw new RangeError(`${option.flag} must be within ${option.min} and ${option.max}`);
        }
        argv.push(option.flag, String(value));
        break;
      }
      case 'choice':
        if (typeof value !== 'string' || !option.choices?.includes(value)) {
          throw new RangeError(`${option.flag} must be one of ${option.choices?.join(', ')}`);
        }
        argv.push(option.flag, value);
        break;
      default:
        // A hand-built option: plain words only; the example's own parse decides the rest.
        if (
          typeof value !== 'string' ||
          !/^[\w.,:-]{1,100}$/.test(value) ||
          value.startsWith('-')
        ) {
          throw new RangeError(`${option.flag} takes a short plain value`);
        }
        argv.push(option.flag, value);
    }
  }
  return argv;
}
