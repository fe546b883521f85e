// The machine a matrix ran on, recorded beside its results: a number means
// little without the cores and the runtimes that produced it.
import { cpus, release, totalmem, type } from 'node:os';
import type { Machine } from './types.ts';

export function machine(python: string | null): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    python,
  };
}
