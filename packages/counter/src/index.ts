// @lab/counter: what the mains of racy-counter and safe-counter share: the
// command line (options, the check, the heading, the columns and notes), and
// measuring a count from outside. The counting itself is in each lesson file.
export * from './cli.ts';
export * from './measure.ts';
