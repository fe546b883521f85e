import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const harness = new URL('../src/index.ts', import.meta.url).href;

/** Write a tiny program on the harness and run it. */
async function program(body: string, args: string[] = []) {
  const file = join(
    tmpdir(),
    `harness-cli-${process.pid}-${Math.random().toString(36).slice(2)}.ts`,
  );
  writeFileSync(file, `import { option, parseOptions, runCli } from '${harness}';\n${body}\n`);
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const main = `
const spec = { sites: option.int('how many', { default: 1, min: 1 }) };
runCli('demo', async () => {
  const { sites } = parseOptions(process.argv.slice(2), spec, 'Usage: demo');
  if (sites === 13) throw new Error('unlucky\\nsecond line');
  console.log('sites', sites);
  return 0;
});`;

describe('runCli', () => {
  it('runs main and exits 0', async () => {
    expect(await program(main, ['--sites', '2'])).toMatchObject({ code: 0, stdout: 'sites 2\n' });
  });

  it('turns bad input into one line on stderr and exit code 2', async () => {
    const { code, stdout, stderr } = await program(main, ['--sites', '0']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("demo: --sites must be a whole number >= 1, got '0' (see --help)\n");
  });

  it('turns any other failure into one line and exit code 1, never a stack trace', async () => {
    const { code, stderr } = await program(main, ['--sites', '13']);
    expect(code).toBe(1);
    expect(stderr).toBe('demo: unlucky\n');
  });

  it('prints --help on stdout and exits 0', async () => {
    const { code, stdout } = await program(main, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: demo');
  });
});
