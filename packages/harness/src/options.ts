// Command-line options shared by every example.
//
// Each example declares its options once, as a spec; parseOptions turns argv
// into typed values or throws a UsageError whose message is one line naming
// the flag. runCli (cli.ts) prints that line and exits with code 2, so bad
// input never shows a stack trace.
import { parseArgs } from 'node:util';

/** Bad input on the command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--help` was given: the usage text goes to stdout, exit code 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

type Raw = string | boolean | string[] | undefined;

/** One option: how parseArgs should read it, and how to validate the raw text. */
export interface Option<T> {
  readonly type: 'string' | 'boolean';
  readonly multiple: boolean;
  readonly description: string;
  /** Shown in --help, e.g. "80"; absent for options without a default. */
  readonly defaultText?: string;
  /** Shown in --help after the default, e.g. "1000": the largest value accepted. */
  readonly maxText?: string;
  /** Shown in --help after the flag, e.g. "N". */
  readonly placeholder?: string;
  /**
   * What kind of value it takes, its bounds and choices: for a form that
   * offers it (`--help --json`). An option built by hand may leave it out: a
   * form offers it as text, and the program's own parse decides.
   */
  readonly kind?: 'flag' | 'int' | 'number' | 'choice' | 'path' | 'urls' | 'text';
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly defaultValue?: number | string | boolean;
  parse(raw: Raw, flag: string): T;
}

export type OptionSpec = Record<string, Option<unknown>>;
export type OptionValues<S extends OptionSpec> = {
  [K in keyof S]: S[K] extends Option<infer T> ? T : never;
};

function single(raw: Raw): string | undefined {
  if (Array.isArray(raw)) return raw.at(-1);
  return typeof raw === 'string' ? raw : undefined;
}

function parseNumber(text: string, flag: string, whole: boolean, min: number, max: number): number {
  const value = Number(text);
  const kind = whole ? 'a whole number' : 'a number';
  const trimmed = text.trim();
  if (trimmed === '' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${kind}, got '${text}'`);
  }
  if (value < min) throw new UsageError(`${flag} must be ${kind} >= ${min}, got '${text}'`);
  if (value > max) throw new UsageError(`${flag} must be ${kind} <= ${max}, got '${text}'`);
  return value;
}

interface NumberRule {
  default: number;
  min?: number;
  max?: number;
}

/** What every option that takes text shares: how parseArgs reads it, and its words in --help. */
function textOption(description: string, placeholder: string, kind: Option<unknown>['kind']) {
  return { type: 'string', multiple: false, description, placeholder, kind } as const;
}

/** A number option, whole or not; without a max, any up to the largest of its kind. */
function numberOption(description: string, rule: NumberRule, whole: boolean): Option<number> {
  const { min = 0, max = whole ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE } = rule;
  return {
    ...textOption(description, whole ? 'N' : 'X', whole ? 'int' : 'number'),
    min,
    max,
    defaultValue: rule.default,
    defaultText: String(rule.default),
    ...(rule.max === undefined ? {} : { maxText: String(rule.max) }),
    parse: (raw, flag) => {
      const text = single(raw);
      return text === undefined ? rule.default : parseNumber(text, flag, whole, min, max);
    },
  };
}

/** Builders for the kinds of option the examples take. */
export const option = {
  /** A switch: present or not. */
  flag(description: string): Option<boolean> {
    return {
      type: 'boolean',
      multiple: false,
      description,
      kind: 'flag',
      defaultValue: false,
      parse: (raw) => raw === true,
    };
  },

  /** A whole number within [min, max]. */
  int(description: string, rule: NumberRule): Option<number> {
    return numberOption(description, rule, true);
  },

  /** Any number within [min, max], e.g. a share between 0 and 1. */
  number(description: string, rule: NumberRule): Option<number> {
    return numberOption(description, rule, false);
  },

  /** One of a fixed set of words. */
  choice<const C extends readonly string[]>(
    description: string,
    choices: C,
    fallback: C[number],
  ): Option<C[number]> {
    return {
      ...textOption(`${description} (${choices.join(' | ')})`, 'NAME', 'choice'),
      choices,
      defaultValue: fallback,
      defaultText: fallback,
      parse: (raw, flag) => {
        const text = single(raw);
        if (text === undefined) return fallback;
        if (!choices.includes(text)) {
          throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${text}'`);
        }
        return text;
      },
    };
  },

  /** Some of a fixed set of names, `a,b` (in the set's order), or all of them: `all`, the default. */
  names<const C extends readonly string[]>(
    description: string,
    names: C,
    what: string,
  ): Option<C[number][]> {
    return {
      type: 'string',
      multiple: false,
      description: `${description} (${names.join(' | ')}, or all)`,
      placeholder: 'NAME[,NAME...]',
      defaultText: 'all',
      parse: (raw, flag) => {
        const text = single(raw);
        if (text === undefined || text === 'all') return [...names];
        const asked = text.split(',');
        const unknown = asked.find((name) => !names.includes(name));
        if (unknown !== undefined) {
          throw new UsageError(
            `${flag} must name ${what} from ${names.join(', ')} (or all), got '${unknown}'`,
          );
        }
        return names.filter((name) => asked.includes(name));
      },
    };
  },

  /** A file path (not checked for existence); empty when not given. */
  path(description: string): Option<string> {
    return {
      ...textOption(description, 'FILE', 'path'),
      parse: (raw, flag) => {
        const text = single(raw) ?? '';
        if (raw !== undefined && text.trim() === '') throw new UsageError(`${flag} needs a path`);
        return text;
      },
    };
  },

  /** An http(s) URL; may be given more than once. */
  urls(description: string): Option<URL[]> {
    return {
      ...textOption(description, 'URL', 'urls'),
      multiple: true, // --url a --url b
      parse: (raw, flag) => {
        const texts = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
        return texts.map((text) => {
          if (!URL.canParse(text)) throw new UsageError(`${flag} is not a valid URL: '${text}'`);
          const url = new URL(text);
          if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new UsageError(`${flag} must be an http or https URL, got '${text}'`);
          }
          return url;
        });
      },
    };
  },
};

/** An option's key as its flag is spelled: maxConnections -> max-connections. */
export const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The --help text: the usage line, then one line per option. */
export function helpText(usage: string, spec: OptionSpec): string {
  const rows = Object.entries(spec).map(([key, opt]) => {
    const flag = `--${kebab(key)}${opt.placeholder ? ` ${opt.placeholder}` : ''}`;
    const limits = [
      opt.defaultText === undefined ? '' : `default ${opt.defaultText}`,
      opt.maxText === undefined ? '' : `at most ${opt.maxText}`,
    ].filter(Boolean);
    const fallback = limits.length > 0 ? ` (${limits.join(', ')})` : '';
    return `  ${flag.padEnd(24)} ${opt.description}${fallback}`;
  });
  return [usage, '', 'Options:', ...rows, `  ${'--help'.padEnd(24)} show this text`].join('\n');
}

/** One option as data, for a form that offers it: its flag, kind, bounds, choices and default. */
export interface OptionData {
  key: string;
  flag: string;
  kind: NonNullable<Option<unknown>['kind']>;
  description: string;
  default?: number | string | boolean;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

/** The spec as data (what `--help --json` prints): every option but the parse function. */
export function specData(spec: OptionSpec): OptionData[] {
  return Object.entries(spec).map(([key, opt]) => ({
    key,
    flag: `--${kebab(key)}`,
    kind: opt.kind ?? 'text',
    description: opt.description,
    ...(opt.defaultValue === undefined ? {} : { default: opt.defaultValue }),
    ...(opt.min === undefined ? {} : { min: opt.min }),
    ...(opt.max === undefined ? {} : { max: opt.max }),
    ...(opt.choices === undefined ? {} : { choices: opt.choices }),
  }));
}

/**
 * Parse argv against a spec. A lone `--` (which `pnpm start -- --json` may pass
 * through) is ignored. Throws UsageError on any bad input, HelpRequested on --help.
 */
export function parseOptions<S extends OptionSpec>(
  argv: readonly string[],
  spec: S,
  usage: string,
): OptionValues<S> {
  const args = argv.filter((arg) => arg !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    // With --json, the spec as data: what a form needs to offer these options.
    const asData = args.includes('--json');
    throw new HelpRequested(
      asData ? JSON.stringify({ usage, options: specData(spec) }) : helpText(usage, spec),
    );
  }
  const config: Record<string, { type: 'string' | 'boolean'; multiple: boolean }> = {};
  for (const [key, opt] of Object.entries(spec)) {
    config[kebab(key)] = { type: opt.type, multiple: opt.multiple };
  }
  // parseArgs reads `--scale -1` as two flags; join a negative number to its
  // flag (`--scale=-1`) so the range check can name the real problem.
  for (let i = 0; i < args.length - 1; i++) {
    const name = args[i]?.startsWith('--') ? args[i]?.slice(2) : undefined;
    if (name && config[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) {
      args.splice(i, 2, `${args[i]}=${args[i + 1]}`);
    }
  }
  let parsed: Record<string, Raw>;
  try {
    parsed = parseArgs({ args, options: config, strict: true, allowPositionals: false })
      .values as Record<string, Raw>;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const values: Record<string, unknown> = {};
  for (const [key, opt] of Object.entries(spec)) {
    values[key] = opt.parse(parsed[kebab(key)], `--${kebab(key)}`);
  }
  return values as OptionValues<S>;
}

/** node:util's parse errors are long and mention `--` tricks; say it in one short line. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const name = /'(-[^' ]*)/.exec(message)?.[1]?.split('=')[0] ?? '';
  const bare = /argument '([^']*)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? `${name} takes no value`
        : `${name} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${bare ?? message}'`;
    default:
      return message.split('\n')[0] ?? 'invalid arguments';
  }
}
