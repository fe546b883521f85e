// What each run came to, in a few words, beside its time: the race's lost
// increments, the event loop's missed heartbeats, a download's peak in
// flight. For the race especially, the time alone says little.
import { formatMs } from '@lab/harness';
import type { MatrixRecord } from './types.ts';

/** Each record's own summary in a few words: what was lost, missed, or held at once. */
export function outcome(r: MatrixRecord): string {
  const count = (value: unknown) => Number(value).toLocaleString('en-US');
  if (typeof r.lost === 'number') {
    return r.lost === 0
      ? `exact: ${count(r.actual)}`
      : `lost ${count(r.lost)} of ${count(r.expected)}`;
  }
  if (typeof r.ticksMissed === 'number') {
    return `${r.ticksMissed} tick${r.ticksMissed === 1 ? '' : 's'} missed, p99 ${formatMs(Number(r.delayP99Ms))}`;
  }
  if (typeof r.peakInFlight === 'number') {
    const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
    const connections =
      typeof r.connections === 'number'
        ? `, ${r.connections} connection${r.connections === 1 ? '' : 's'}`
        : '';
    return `peak ${r.peakInFlight} in flight${connections}${failed}`;
  }
  if (typeof r.reqPerSec === 'number') return `${count(r.reqPerSec)} requests/s`;
  if (typeof r.exact === 'boolean') return r.exact ? 'exact' : 'WRONG sums';
  return r.failed > 0 ? `${r.failed} failed` : '';
}
