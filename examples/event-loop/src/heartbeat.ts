// How responsive the event loop is while something else runs: a heartbeat
// timer that should tick every 10 ms, and perf_hooks' event-loop delay
// histogram, which measures how late the loop gets to its timers.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const TICK_MS = 10;

export interface Responsiveness {
  /** Ticks the heartbeat should have made in the time, minus those it made. */
  ticksMissed: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
}

export function startHeartbeat(): { stop(): Responsiveness } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      const expected = Math.floor((performance.now() - started) / TICK_MS);
      const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
      // A loop that never got a turn has no samples: its delay is the whole run.
      const whole = performance.now() - started;
      const sampled = histogram.count > 0;
      return {
        ticksMissed: Math.max(0, expected - ticks),
        delayP50Ms: sampled ? ms(histogram.percentile(50)) : Math.round(whole),
        delayP99Ms: sampled ? ms(histogram.percentile(99)) : Math.round(whole),
        delayMaxMs: sampled ? Math.max(ms(histogram.max), 0) : Math.round(whole),
      };
    },
  };
}
