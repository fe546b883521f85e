"""The CPU-bound job three ways, runnable: for each n = base + x (x = 0..19),
the sum of i * i for i < n, computed sequentially, on a pool of threads (no
faster: the GIL lets one thread run Python bytecode at a time) and on a
multiprocessing.Pool (one process per core, each with its own interpreter
and its own GIL).

The notes name the CPU-bound case but give no listing; this follows Real
Python's concurrency article (the notes' source 2): cpu_bound and
find_sums with `multiprocessing.Pool()` and `pool.map(cpu_bound, numbers)`,
at its size (base 5,000,000). Python's ints are exact at any size, so each
result can be checked against n(n-1)(2n-1)/6 with no care past 2^53.

    pnpm --filter cpu-multiprocess python
    cd examples/cpu-multiprocess && /usr/bin/python3 python/cpu_multiprocess.py
"""
import concurrent.futures
import multiprocessing
import os
import sys
import time
from pathlib import Path

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import parser, positive, report  # noqa: E402


def cpu_bound(number):
    return sum(i * i for i in range(number))


def find_sums_sequential(numbers, workers):
    return [cpu_bound(number) for number in numbers]


def find_sums_threads(numbers, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(cpu_bound, numbers))


def find_sums_processes(numbers, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(cpu_bound, numbers)


def closed_form(n):
    return n * (n - 1) * (2 * n - 1) // 6


STRATEGIES = {"sequential": find_sums_sequential, "threads": find_sums_threads, "processes": find_sums_processes}

if __name__ == "__main__":
    p = parser("Sum of squares over 20 numbers: sequential, threads, processes.")
    p.add_argument("--strategy", choices=[*STRATEGIES, "all"], default="all")
    p.add_argument("--numbers", type=positive, default=20, help="how many numbers (tasks)")
    p.add_argument("--base", type=positive, default=5_000_000, help="the first number")
    p.add_argument("--workers", type=positive, default=os.cpu_count(), help="threads or processes")
    args = p.parse_args()
    numbers = [args.base + x for x in range(args.numbers)]
    chosen = list(STRATEGIES) if args.strategy == "all" else [args.strategy]
    results = []
    for strategy in chosen:
        start_time = time.perf_counter()
        sums = STRATEGIES[strategy](numbers, args.workers)
        duration = time.perf_counter() - start_time
        exact = all(s == closed_form(n) for s, n in zip(sums, numbers))
        results.append({
            "strategy": f"python-{strategy}",
            "items": len(numbers),
            "failed": 0 if exact else len(numbers),
            "wallMs": duration * 1000,
            "exact": exact,
            "workers": 1 if strategy == "sequential" else args.workers,
        })
    report("cpu-multiprocess", results, args.json)
