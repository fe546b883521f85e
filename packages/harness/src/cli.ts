// The one entry point every example's main.ts goes through. It owns the
// process-level concerns so the examples do not have to repeat them:
//   - bad input (UsageError) is one line on stderr and exit code 2;
//   - --help prints the usage and exits 0;
//   - any other failure is one line on stderr and exit code 1, never a stack
//     trace (set LAB_DEBUG=1 to see it);
//   - Ctrl-C aborts the signal handed to main, so the example can cancel what
//     is in flight and print its partial summary; the exit code is then 130.
//     A second Ctrl-C exits at once.
import { HelpRequested, UsageError } from './options.ts';

export interface CliContext {
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
}

/** What main returns: the exit code (0 by default). */
export type Main = (context: CliContext) => Promise<number | undefined>;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export function runCli(name: string, main: Main): void {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      `\n${name}: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}, cancelling...\n`,
    );
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  const onFatal = (error: unknown) => {
    process.stderr.write(`${name}: ${oneLine(error)}\n`);
    if (process.env.LAB_DEBUG) console.error(error);
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);

  const finish = (code: number) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.exitCode = controller.signal.aborted ? 130 : code;
  };

  main({ signal: controller.signal }).then(
    (code) => finish(code ?? 0),
    (error: unknown) => {
      if (error instanceof HelpRequested) {
        process.stdout.write(`${error.message}\n`);
        finish(0);
      } else if (error instanceof UsageError) {
        process.stderr.write(`${name}: ${error.message} (see --help)\n`);
        finish(2);
      } else {
        process.stderr.write(`${name}: ${oneLine(error)}\n`);
        if (process.env.LAB_DEBUG) console.error(error);
        finish(1);
      }
    },
  );
}
