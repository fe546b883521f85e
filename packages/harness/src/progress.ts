// A progress bar for runs long enough to wonder about. It draws on stderr, and
// only when a person is watching: stdout and stderr are terminals and --json
// is off. It waits about a second before drawing, so quick runs stay clean.

export interface Progress {
  /** Count n more items done (and `failed` of them failed). */
  tick(n?: number, failed?: number): void;
  /** Erase the bar; safe to call more than once. */
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  json: boolean;
  delayMs?: number;
  stream?: NodeJS.WriteStream;
}

export function progressEnabled(json: boolean, stream: NodeJS.WriteStream = process.stderr) {
  return !json && Boolean(process.stdout.isTTY) && Boolean(stream.isTTY);
}

export function createProgress(options: ProgressOptions): Progress {
  const { total, label, json, delayMs = 1000, stream = process.stderr } = options;
  let done = 0;
  let failed = 0;
  let drawn = false;
  if (!progressEnabled(json, stream)) {
    return { tick: () => {}, stop: () => {} };
  }
  const draw = () => {
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const fails = failed > 0 ? `, ${failed} failed` : '';
    stream.write(`\r[${bar}] ${done}/${total} ${label}${fails}\x1b[K`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    draw();
    timer = setInterval(draw, 100);
    timer.unref();
  }, delayMs);
  start.unref();
  return {
    tick(n = 1, f = 0) {
      done += n;
      failed += f;
    },
    stop() {
      clearTimeout(start);
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
