"""The CPU-bound job and multiprocessing, runnable: for each n = base + x
(x = 0..19), the sum of i * i for i < n, sequentially, with threads (no
faster: the GIL lets one thread run Python at a time) and with a
multiprocessing.Pool (one process per core). Python's ints are exact at any
size, so no care is needed past 2^53; each result is checked against
n(n-1)(2n-1)/6.
"""
import concurrent.futures
import multiprocessing
import os

from lab import Timer, parser, report


def cpu_bound(number: int) -> int:
    return sum(i * i for i in range(number))


def closed_form(n: int) -> int:
    return n * (n - 1) * (2 * n - 1) // 6


if __name__ == "__main__":
    p = parser("Sum of squares over 20 numbers: sequential, threads, processes.")
    p.add_argument("--numbers", type=int, default=20)
    p.add_argument("--base", type=int, default=5_000_000)
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--strategy", choices=["sequential", "threads", "processes", "all"], default="all")
    args = p.parse_args()
    numbers = [args.base + x for x in range(args.numbers)]
    chosen = ["sequential", "threads", "processes"] if args.strategy == "all" else [args.strategy]
    results = []
    baseline = None
    for strategy in chosen:
        with Timer() as t:
            if strategy == "sequential":
                answers = [cpu_bound(n) for n in numbers]
            elif strategy == "threads":
                with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as executor:
                    answers = list(executor.map(cpu_bound, numbers))
            else:
                with multiprocessing.Pool(args.workers) as pool:
                    answers = pool.map(cpu_bound, numbers)
        if strategy == "sequential":
            baseline = t.ms
        exact = all(a == closed_form(n) for a, n in zip(answers, numbers))
        results.append({
            "strategy": f"python-{strategy}",
            "items": len(numbers),
            "failed": 0 if exact else len(numbers),
            "wallMs": t.ms,
            "speedup": round(baseline / t.ms, 3) if baseline else None,
            "exact": exact,
            "workers": 1 if strategy == "sequential" else args.workers,
        })
    report("cpu-multiprocess", results, args.json)
