// @lab/harness: the timing harness every example shares.

export { blockFor } from './block.ts';
export type { CliContext, Main } from './cli.ts';
export { runCli } from './cli.ts';
export type { Example, ExampleValues, Outcome, RunContext, Strategy } from './example.ts';
export { runExample } from './example.ts';
export { cpuIdeal, efficiency, poolIdeal, sequentialIdeal, unboundedIdeal } from './ideal.ts';
export { observeAll, observeHeartbeat, observeRequests } from './observe.ts';
export type { Option, OptionData, OptionSpec, OptionValues } from './options.ts';
export {
  HelpRequested,
  helpText,
  kebab,
  option,
  parseOptions,
  specData,
  UsageError,
} from './options.ts';
export type { Progress, ProgressOptions } from './progress.ts';
export { createProgress, progressEnabled } from './progress.ts';
export type { PythonCheck } from './python.ts';
export { findPython } from './python.ts';
export type { Measurement, Report, ResultRecord } from './record.ts';
export { makeRecord, makeReport } from './record.ts';
export { startFlags } from './start-flags.ts';
export { median, percentile } from './stats.ts';
export type { Column, SummaryOptions } from './summary.ts';
export { formatBytes, formatMs, formatSummary, formatTable, printReport } from './summary.ts';
export type { Timed } from './timing.ts';
export { sleep, stopwatch, timed, within } from './timing.ts';
export type { TraceEvent, Track } from './trace.ts';
export { eventTime, mainTrack, nowUs, Trace } from './trace.ts';
