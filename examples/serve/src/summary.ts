// The summary's columns and notes: each row beside its model, a shortfall
// named with its likely reason, /ping's answer time under each route, and
// Node's /ping beside uvicorn's.
import { formatMs, type Report, type ResultRecord, type SummaryOptions } from '@lab/harness';
import { PROBE_EVERY_MS } from './probe.ts';

/** Below this share of its model a row is marked `!` and explained. */
export const SHORT = 0.8;

const rate = (v: unknown) =>
  v === null || v === undefined
    ? '-'
    : Number(v) >= 100
      ? Math.round(Number(v)).toLocaleString('en')
      : Number(v).toFixed(1);
const ms = (v: unknown) => (v === undefined || v === null ? '-' : formatMs(Number(v)));
const share = (v: unknown) => (v === undefined ? '-' : `${Math.round(Number(v) * 100)}%`);

/** Why a row fell short of its model, from what the run measured. */
export function shortfall(r: ResultRecord): string | null {
  if (typeof r.vsModel !== 'number' || r.vsModel >= SHORT) return null;
  const why = [`${r.vsModel.toFixed(2)} of the model (${r.modelBound})`];
  if (Number(r.loadCpuShare) >= 0.9)
    why.push(
      `the load generator used ${share(r.loadCpuShare)} of a core: it, not the server, may be the limit`,
    );
  if (r.route !== 'compute-offload' && r.route !== 'hash' && Number(r.serverCpuShare) >= 0.9)
    why.push(`the server's main thread was busy (${share(r.serverCpuShare)} of a core)`);
  if (Number(r.failed) > 0) why.push(`${r.failed} requests failed`);
  return why.join('; ');
}

export function summary(report: Report, notes: string[]): Omit<SummaryOptions, 'heading'> {
  const rows = report.results;
  const lines = [
    '',
    `  model: Little's law, min(C, slots)/L; vs model: measured / model; ping: /ping every ${PROBE_EVERY_MS} ms beside the load`,
  ];
  lines.push(
    '  req/s: all it was sent, over the time it was busy with them; loop max: its longest event-loop stall',
  );
  for (const r of rows) {
    const why = shortfall(r);
    if (why) lines.push(`  ! ${r.strategy}: ${why}`);
  }
  // Node's /ping beside uvicorn's, at each count both ran.
  for (const node of rows.filter((r) => r.route === 'ping' && r.server === 'node')) {
    const py = rows.find(
      (r) => r.route === 'ping' && r.language === 'python' && r.connections === node.connections,
    );
    if (py && Number(py.reqPerSec) > 0) {
      const ratio = Number(node.reqPerSec) / Number(py.reqPerSec);
      lines.push(
        `  /ping alone at c=${node.connections}: node ${rate(node.reqPerSec)} req/s, uvicorn ${rate(py.reqPerSec)} req/s: ${ratio.toFixed(1)}x`,
      );
    }
  }
  // One process beside N, route by route: /compute's gain, /ping's p99, the memory a process costs.
  for (const many of rows.filter((r) => Number(r.processes) > 1)) {
    const one = rows.find(
      (r) =>
        r.language === many.language &&
        Number(r.processes) === 1 &&
        r.route === many.route &&
        r.connections === many.connections &&
        !String(r.server).includes('uv 1'),
    );
    if (!one || !(Number(one.reqPerSec) > 0)) continue;
    const gain = Number(many.reqPerSec) / Number(one.reqPerSec);
    const memory = many.rssPerProcessMb
      ? `, ${many.rssPerProcessMb} MB a process (one: ${one.rssPerProcessMb ?? '-'} MB)`
      : '';
    lines.push(
      `  ${many.server} ${many.route} c=${many.connections}: ${gain.toFixed(2)}x one process's req/s; ping p99 ${ms(one.probeP99Ms)} with one, ${ms(many.probeP99Ms)} with ${many.processes}${memory}`,
    );
  }
  return {
    columns: [
      { key: 'reqPerSec', label: 'req/s', format: rate },
      { key: 'modelReqPerSec', label: 'model', format: rate },
      {
        key: 'vsModel',
        label: 'vs model',
        // A shortfall is named under the table, with its reason, not marked in the row.
        format: (v) => (typeof v === 'number' ? v.toFixed(2) : '-'),
      },
      { key: 'latencyP50Ms', label: 'p50', format: ms },
      { key: 'latencyP99Ms', label: 'p99', format: ms },
      { key: 'latencyMaxMs', label: 'max', format: ms },
      { key: 'probeP50Ms', label: 'ping p50', format: ms },
      { key: 'probeP99Ms', label: 'ping p99', format: ms },
      { key: 'loopDelayMaxMs', label: 'loop max', format: ms },
      { key: 'serverCpuShare', label: 'server CPU', format: share },
      { key: 'loadCpuShare', label: 'load CPU', format: share },
      {
        key: 'rssPerProcessMb',
        label: 'RSS/proc',
        format: (v) => (v === undefined || v === null ? '-' : `${Number(v).toFixed(0)} MB`),
      },
    ],
    notes: [...lines, ...notes],
  };
}
