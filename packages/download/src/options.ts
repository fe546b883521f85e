// The flags every download example takes, on top of its own.
import { option } from '@lab/harness';
import { workloadOptions } from '@lab/sites/options';

export const downloadOptions = {
  sites: option.int('how many sites to download', { default: 80, min: 1, max: 1_000_000 }),
  ...workloadOptions,
  timeout: option.int('give up on a site after this many ms', { default: 10_000, min: 1 }),
  url: option.urls('download real sites instead (cycled to --sites downloads; repeatable)'),
  server: option.urls('use a sites server already running at this base URL'),
  json: option.flag('print one JSON object instead of the summary'),
  verbose: option.flag('print a line per site, like the notes ("Read 10240 from ...")'),
};
