// The matrix's progress line: how many runs are done, and which one is running
// now, so a five-minute matrix never looks stuck. Like the harness's progress
// bar it draws on stderr only when a person is watching (both streams are
// terminals, no --json), and clears itself before the table prints.
import { progressEnabled } from '@lab/harness';

export interface CellProgress {
  /** Say what runs now. */
  now(what: string): void;
  /** One more run done. */
  tick(): void;
  /** Erase the line; safe to call more than once. */
  stop(): void;
}

export function createCellProgress(
  total: number,
  json: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): CellProgress {
  if (!progressEnabled(json, stream)) return { now: () => {}, tick: () => {}, stop: () => {} };
  let done = 0;
  let current = '';
  const draw = () => {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs · ${current}`;
    const columns = stream.columns || 100;
    stream.write(`\r${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}\x1b[K`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    now(what) {
      current = what;
      draw();
    },
    tick() {
      done += 1;
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
