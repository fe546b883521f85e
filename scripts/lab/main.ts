// pnpm lab [-- --port N]: the lab page on 127.0.0.1, until Ctrl-C.
import { existsSync } from 'node:fs';
import { HelpRequested, option, parseOptions, UsageError } from '@lab/harness';
import { loadCatalog } from './catalog.ts';
import { REPORT_FILE, startLab } from './server.ts';

const usage =
  'Usage: pnpm lab [-- --port N]\nA page on 127.0.0.1 that runs the lessons and draws each run as it happens.';

async function main(): Promise<number> {
  const values = parseOptions(
    process.argv.slice(2),
    {
      port: option.int('the port on 127.0.0.1 (0: any free one)', {
        default: 0,
        min: 0,
        max: 65535,
      }),
    },
    usage,
  );
  const catalog = await loadCatalog();
  const lab = await startLab(catalog, { port: values.port });
  process.stdout.write(`lab: ${lab.url} (${catalog.length} examples; Ctrl-C to stop)\n`);
  // The report pnpm report wrote, if any, whose live links lead back here.
  process.stdout.write(
    existsSync(REPORT_FILE)
      ? `lab: the report at ${lab.url}report\n`
      : `lab: no report yet (pnpm report writes it; then ${lab.url}report)\n`,
  );
  // Ctrl-C is how the lab is meant to stop: the run in flight is stopped
  // with it, nothing is left running, and the exit code is 0.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await lab.close();
  process.stdout.write('lab: stopped\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `lab: ${message.split('\n')[0]}${error instanceof UsageError ? ' (see --help)' : ''}\n`,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
