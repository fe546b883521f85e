// The flags every download example takes, on top of its own, and the
// combinations that would do nothing: refused, one line, exit 2.
import { kebab, type Option, type OptionValues, option, UsageError } from '@lab/harness';
import type { Workload } from '@lab/sites';
import { workloadFrom, workloadOptions } from '@lab/sites/options';

export const DEFAULT_SITES = 80;
/** The most downloads one run makes (--sites, or --url x --repeat). */
export const MAX_SITES = 100_000;

/** The same option, but undefined when its flag was not given: a check can tell. */
function unlessGiven<T>(base: Option<T>): Option<T | undefined> {
  return { ...base, parse: (raw, flag) => (raw === undefined ? undefined : base.parse(raw, flag)) };
}

type Shaping = { [K in keyof typeof workloadOptions]: Option<number | undefined> };
const shaping = Object.fromEntries(
  Object.entries(workloadOptions).map(([key, base]) => [key, unlessGiven(base)]),
) as Shaping;

const commonOptions = {
  sites: unlessGiven(
    option.int('how many sites to download from the server', {
      default: DEFAULT_SITES,
      min: 1,
      max: MAX_SITES,
    }),
  ),
  // The embedded server's workload: --latency, --bytes, the fault shares.
  ...shaping,
  timeout: option.int(
    'deadline for each whole download, in ms, from the call (a wait for a connection included)',
    { default: 10_000, min: 1, max: 600_000 },
  ),
  url: option.urls('download this real site instead, once (repeatable)'),
  repeat: option.int("download the --url list this many times (the notes' [a, b] * 80)", {
    default: 1,
    min: 1,
    max: MAX_SITES,
  }),
  server: option.urls('use a sites server already running at this base URL'),
  verbose: option.flag('print a line per site, like the notes ("Read 10240 from ...")'),
};

/**
 * The download flags, with --connections, the one bound every download
 * states alike: the most connections its session opens to one host. What
 * else it bounds (the downloads in flight, a pool's members) is said after it.
 */
export function downloadOptions(connections: { default: number; max: number; also?: string }) {
  return {
    ...commonOptions,
    connections: option.int(
      `most connections open at once to one host (the session's bound)${connections.also ?? ''}`,
      { default: connections.default, min: 1, max: connections.max },
    ),
  };
}

export type DownloadValues = OptionValues<ReturnType<typeof downloadOptions>>;

/** The embedded server's workload: each flag given, or its default. */
export function workloadOf(values: DownloadValues): Workload {
  const filled = Object.fromEntries(
    Object.entries(workloadOptions).map(([key, base]) => [
      key,
      values[key as keyof Shaping] ?? base.parse(undefined, `--${kebab(key)}`),
    ]),
  ) as Parameters<typeof workloadFrom>[0];
  return workloadFrom(filled);
}

/** The combinations no single flag's check can see, each refused with the reason. */
export function checkDownloadOptions(values: DownloadValues): void {
  const { url, server, sites, repeat } = values;
  if (url.length > 0 && server.length > 0) {
    throw new UsageError('--url and --server cannot be used together');
  }
  if (server.length > 1) throw new UsageError('--server takes one URL');
  if (url.length > 0 && sites !== undefined) {
    throw new UsageError("--sites counts the server's sites; with --url, use --repeat N");
  }
  if (url.length === 0 && repeat !== 1) {
    throw new UsageError('--repeat repeats the --url list; give --url too');
  }
  if (url.length * repeat > MAX_SITES) {
    throw new UsageError(
      `--url x --repeat makes ${url.length * repeat} downloads; at most ${MAX_SITES}`,
    );
  }
  // The workload flags shape the embedded server only.
  const given = Object.keys(shaping).find((key) => values[key as keyof Shaping] !== undefined);
  if (given && server.length > 0) {
    throw new UsageError(
      `--${kebab(given)} shapes the embedded server; --server answers as it was started`,
    );
  }
  if (given && url.length > 0) {
    throw new UsageError(
      `--${kebab(given)} shapes the embedded server; a --url site answers as it does`,
    );
  }
  // Bad shares (more than 1 together) are one line too.
  if (server.length === 0 && url.length === 0) workloadOf(values);
}
