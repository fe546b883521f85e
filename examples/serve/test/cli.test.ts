import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { interruptAfter, markOwnProcesses, rejectsBadInput, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

/** The processes this file started still running: servers, cluster workers, load generators, uvicorn. */
const leftOver = markOwnProcesses('serve-cli');

describe('serve on the command line', () => {
  rejectsBadInput(main, [
    ['--latency', '-1'],
    ['--latency', '0'],
    ['--connections', '0'],
    ['--connections', '10,x'],
    ['--route', 'nope'],
    ['--route', 'wait,sideways'],
    ['--seconds', '0'],
    ['--sweep', '--connections', '40'],
    ['--processes', '0'],
    ['--processes', '17'],
  ]);

  it('stops the load, the servers and their pools on Ctrl-C, and exits 130', async () => {
    // Pressed once the heading is out: the first run is under way.
    const { code, stdout } = await interruptAfter(
      main,
      ['--route', 'block', '--connections', '10', '--seconds', '5', '--processes', '1'],
      'load: autocannon',
    );
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: 0 of 1 runs done\./);
    expect(leftOver()).toEqual([]);
  });

  it('runs the cluster alone: N workers on one port, ended with their primary', async () => {
    const { sizeWork } = await import('../src/work.ts');
    const config = JSON.stringify({ latencyMs: 20, workers: 1, sizes: sizeWork(20) });
    const child = spawn(process.execPath, [
      new URL('../src/cluster.ts', import.meta.url).pathname,
      config,
      '2',
    ]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    while (!/serving (http:\S+)/.test(out)) await once(child.stdout, 'data');
    const origin = /serving (http:\S+)/.exec(out)?.[1];
    expect(out).toMatch(/^2 workers serving/);
    const res = await fetch(`${origin}/ping`);
    expect(await res.json()).toEqual({ route: 'ping', ok: true });
    child.kill('SIGINT');
    await once(child, 'exit');
    for (let i = 0; i < 100 && leftOver().length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(leftOver()).toEqual([]);
  });

  it('runs the cluster beside one process, each row with its processes and their memory, and leaves nothing', async () => {
    const { code, report, stderr } = await runMain(
      main,
      ['--json', '--route', 'ping,wait', '--processes', '2', '--seconds', '0.3'],
      120_000,
    );
    expect(code, stderr).toBe(0);
    const rows = report?.results ?? [];
    expect(rows.map((r) => r.strategy)).toEqual([
      'node ping c=10',
      'node wait c=10',
      'node x2 ping c=10',
      'node x2 wait c=10',
    ]);
    for (const r of rows) {
      expect(r.processes, r.strategy).toBe(r.server === 'node x2' ? 2 : 1);
      expect(r.rssPerProcessMb, r.strategy).toBeGreaterThan(10);
      expect(r.failed, r.strategy).toBe(0);
    }
    // /wait is unchanged by the processes: C/L either way.
    expect(rows[3]?.modelReqPerSec).toBe(rows[1]?.modelReqPerSec);
    expect(leftOver()).toEqual([]);
  });
});
