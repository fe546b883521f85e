import { describe, expect, it } from 'vitest';
import { FASTAPI_THREADS, model, type Setting } from '../src/model.ts';

// A 2-core machine, 100 ms of work a request, measured exactly.
const setting: Setting = {
  latencyMs: 100,
  workers: 4,
  cpuWorkers: 2,
  cores: 2,
  computeMs: 100,
  hashMs: 100,
  uvThreads: 4,
};
const rate = (...args: Parameters<typeof model>) => model(...args).reqPerSec;

describe("each route's model, by Little's law", () => {
  it('serves C/L while waiting, at every count', () => {
    for (const c of [10, 40, 80, 200]) expect(rate('wait', 'node', c, setting)).toBe(c * 10);
  });

  it('serves 1/L while blocking the loop, whatever the connections', () => {
    for (const c of [1, 10, 200]) expect(rate('block', 'node', c, setting)).toBe(10);
    expect(model('block', 'python', 200, setting).bound).toBe('one event loop');
  });

  it("bends at the pool's size: W/L for Node's pool, 40/L for FastAPI's threadpool", () => {
    expect(rate('offload', 'node', 2, setting)).toBe(20);
    expect(rate('offload', 'node', 200, setting)).toBe(40);
    expect(rate('offload', 'python', 20, setting)).toBe(200);
    expect(rate('offload', 'python', 200, setting)).toBe(FASTAPI_THREADS * 10);
    expect(model('offload', 'python', 200, setting).bound).toBe("the threadpool's 40");
  });

  it('computes one request per core at most, and one at a time under the GIL', () => {
    expect(rate('compute', 'node', 80, setting)).toBe(10);
    expect(rate('compute-offload', 'node', 80, setting)).toBe(20);
    expect(model('compute-offload', 'node', 80, setting).bound).toBe('2 cores');
    expect(rate('compute-offload', 'node', 80, { ...setting, cores: 8 })).toBe(20); // 2 workers
    expect(rate('compute-offload', 'python', 80, setting)).toBe(10);
    expect(model('compute-offload', 'python', 80, setting).bound).toMatch(/GIL/);
  });

  it("bounds async crypto by libuv's pool and by the cores", () => {
    expect(rate('hash', 'node', 80, setting)).toBe(20); // 4 threads, 2 cores
    expect(rate('hash', 'node', 80, { ...setting, uvThreads: 1 })).toBe(10);
    expect(model('hash', 'node', 80, { ...setting, uvThreads: 1 }).bound).toBe("libuv's 1 thread");
    expect(rate('hash', 'node', 80, { ...setting, cores: 8 })).toBe(40);
    expect(rate('hash-sync', 'node', 80, setting)).toBe(10);
  });

  it('has no model for /ping', () => {
    expect(rate('ping', 'node', 10, setting)).toBeNull();
  });

  it('counts every loop and pool once per process, the cores still bounding the computing', () => {
    const two = { ...setting, processes: 2 };
    expect(rate('wait', 'node', 10, two)).toBe(100);
    expect(rate('block', 'node', 10, two)).toBe(20);
    expect(model('block', 'node', 10, two).bound).toBe('2 event loops');
    expect(rate('offload', 'node', 200, two)).toBe(80);
    expect(rate('compute', 'node', 10, two)).toBe(20);
    expect(rate('compute', 'node', 10, { ...setting, processes: 4 })).toBe(20); // 2 cores
    expect(model('compute', 'node', 10, { ...setting, processes: 4 }).bound).toBe('2 cores');
    expect(rate('compute', 'node', 1, two)).toBe(10); // one connection: one request at a time
    expect(rate('compute-offload', 'python', 80, two)).toBe(20); // a GIL each
    expect(rate('offload', 'python', 200, two)).toBe(800);
  });
});
