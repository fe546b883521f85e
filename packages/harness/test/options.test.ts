import { describe, expect, it } from 'vitest';
import { HelpRequested, option, parseOptions, UsageError } from '../src/index.ts';

const spec = {
  sites: option.int('how many', { default: 80, min: 1 }),
  share: option.number('a share', { default: 0, max: 1 }),
  pool: option.choice('kind', ['tasks', 'threads'], 'tasks'),
  url: option.urls('sites'),
  json: option.flag('json'),
  noKeepalive: option.flag('no keep-alive'),
};
const parse = (...argv: string[]) => parseOptions(argv, spec, 'usage');
const failure = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('option.names', () => {
  const names = { route: option.names('which routes', ['ping', 'wait', 'block'], 'routes') };
  const routes = (...argv: string[]) => parseOptions(argv, names, 'usage').route;

  it('takes some of the set, in its order, or all of them by default or by `all`', () => {
    expect(routes('--route', 'block,ping')).toEqual(['ping', 'block']);
    expect(routes()).toEqual(['ping', 'wait', 'block']);
    expect(routes('--route', 'all')).toEqual(['ping', 'wait', 'block']);
  });

  it('refuses a name outside the set, in one line naming the flag and the name', () => {
    expect(() => routes('--route', 'wait,sideways')).toThrow(
      "--route must name routes from ping, wait, block (or all), got 'sideways'",
    );
  });
});

describe('parseOptions', () => {
  it('gives the defaults when nothing is passed', () => {
    expect(parse()).toEqual({
      sites: 80,
      share: 0,
      pool: 'tasks',
      url: [],
      json: false,
      noKeepalive: false,
    });
  });

  it('reads kebab-case flags into camelCase keys and ignores a lone --', () => {
    const values = parse('--', '--sites', '5', '--no-keepalive', '--json', '--pool=threads');
    expect(values).toMatchObject({ sites: 5, noKeepalive: true, json: true, pool: 'threads' });
  });

  it('collects a repeated --url as a list of URLs', () => {
    const values = parse('--url', 'http://a.test/x', '--url', 'https://b.test/');
    expect(values.url.map(String)).toEqual(['http://a.test/x', 'https://b.test/']);
  });

  it('names the flag and the value in one line for every kind of bad input', () => {
    expect(failure('--sites', '0')).toBe("--sites must be a whole number >= 1, got '0'");
    expect(failure('--sites', 'abc')).toBe("--sites must be a whole number, got 'abc'");
    expect(failure('--sites', '1.5')).toBe("--sites must be a whole number, got '1.5'");
    expect(failure('--share', '2')).toBe("--share must be a number <= 1, got '2'");
    expect(failure('--share', '-1')).toBe("--share must be a number >= 0, got '-1'");
    expect(failure('--pool', 'fibers')).toBe("--pool must be one of tasks, threads, got 'fibers'");
    expect(failure('--url', 'not a url')).toBe("--url is not a valid URL: 'not a url'");
    expect(failure('--url', 'ftp://a.test/')).toBe(
      "--url must be an http or https URL, got 'ftp://a.test/'",
    );
    expect(failure('--bogus')).toBe('unknown option --bogus');
    expect(failure('--sites')).toBe('--sites needs a value');
    expect(failure('--json=yes')).toBe('--json takes no value');
    expect(failure('stray')).toBe("unexpected argument 'stray'");
    for (const message of [failure('--sites', '0'), failure('--bogus')]) {
      expect(message).not.toContain('\n');
    }
  });

  it('answers --help with the usage and every option', () => {
    expect(() => parse('--help')).toThrow(HelpRequested);
    try {
      parse('--sites', '3', '--help');
    } catch (error) {
      const text = (error as Error).message;
      expect(text).toContain('usage');
      expect(text).toContain('--no-keepalive');
      expect(text).toContain('--sites N');
      expect(text).toContain('(default 80)');
      // An option with an upper bound states it.
      expect(text).toContain('a share (default 0, at most 1)');
    }
  });
});
