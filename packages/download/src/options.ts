// The flags every download example takes, on top of its own.
import { type Option, option, UsageError } from '@lab/harness';
import { workloadOptions } from '@lab/sites/options';

export const DEFAULT_SITES = 80;

// --sites counts the server's sites; with --url, --repeat counts instead, so
// --sites has to know whether it was given at all (undefined: it was not).
const sitesOption = (): Option<number | undefined> => {
  const base = option.int('how many sites to download from the server', {
    default: DEFAULT_SITES,
    min: 1,
    max: 1_000_000,
  });
  return { ...base, parse: (raw, flag) => (raw === undefined ? undefined : base.parse(raw, flag)) };
};

export const downloadOptions = {
  sites: sitesOption(),
  ...workloadOptions,
  timeout: option.int('give up on a site whose whole download takes longer, in ms', {
    default: 10_000,
    min: 1,
  }),
  url: option.urls('download this real site instead, once (repeatable)'),
  repeat: option.int("download the --url list this many times (the notes' [a, b] * 80)", {
    default: 1,
    min: 1,
    max: 100_000,
  }),
  server: option.urls('use a sites server already running at this base URL'),
  json: option.flag('print one JSON object instead of the summary'),
  verbose: option.flag('print a line per site, like the notes ("Read 10240 from ...")'),
};

/** The combinations no single flag's check can see. */
export function checkCombinations(values: {
  sites: number | undefined;
  url: URL[];
  server: URL[];
  repeat: number;
}): void {
  if (values.url.length > 0 && values.server.length > 0) {
    throw new UsageError('--url and --server cannot be used together');
  }
  if (values.server.length > 1) throw new UsageError('--server takes one URL');
  if (values.url.length > 0 && values.sites !== undefined) {
    throw new UsageError("--sites counts the server's sites; with --url, use --repeat N");
  }
  if (values.url.length === 0 && values.repeat !== 1) {
    throw new UsageError('--repeat repeats the --url list; give --url too');
  }
}
