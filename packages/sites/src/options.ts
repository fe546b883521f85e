// The workload flags, shared by `pnpm sites` and every download example, so
// the same words describe the same server everywhere.
import { option, UsageError } from '@lab/harness';
import { faultSharesProblem, type Workload } from './workload.ts';

export const workloadOptions = {
  latency: option.int('how long each site takes to answer, in ms', { default: 100, max: 600_000 }),
  bytes: option.int('size of each response body', { default: 10 * 1024, max: 100 * 1024 * 1024 }),
  jitter: option.int('each latency varies by up to this many ms either way', {
    default: 0,
    max: 600_000,
  }),
  handshake: option.int('extra ms on the first response of each new connection', {
    default: 0,
    max: 600_000,
  }),
  failShare: option.number('share of sites that answer 500', { default: 0, max: 1 }),
  resetShare: option.number('share of sites that reset the connection', { default: 0, max: 1 }),
  stallShare: option.number('share of sites that never answer', { default: 0, max: 1 }),
  trickleShare: option.number('share of sites that send their body a byte at a time', {
    default: 0,
    max: 1,
  }),
};

export function workloadFrom(values: {
  latency: number;
  bytes: number;
  jitter: number;
  handshake: number;
  failShare: number;
  resetShare: number;
  stallShare: number;
  trickleShare: number;
}): Workload {
  const faults = {
    error: values.failShare,
    reset: values.resetShare,
    stall: values.stallShare,
    trickle: values.trickleShare,
  };
  // Bad input, like any other flag: one line, exit 2.
  const problem = faultSharesProblem(faults);
  if (problem) throw new UsageError(problem);
  return {
    latencyMs: values.latency,
    bytes: values.bytes,
    jitterMs: values.jitter,
    handshakeMs: values.handshake,
    faults,
  };
}
