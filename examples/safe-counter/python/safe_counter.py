"""The race fixed the usual Python way: a threading.Lock around `counter += 1`."""
import concurrent.futures
import threading

from lab import Timer, parser, report

counter = 0
lock = threading.Lock()


def increment_counter(fake_value: int, increments: int = 100) -> None:
    global counter
    for _ in range(increments):
        with lock:  # one thread at a time between the read and the write
            counter += 1


if __name__ == "__main__":
    p = parser("Increment one counter from many threads, with a lock.")
    p.add_argument("--workers", type=int, default=5000)
    p.add_argument("--increments", type=int, default=100)
    args = p.parse_args()
    with Timer() as t:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as executor:
            list(executor.map(lambda v: increment_counter(v, args.increments), range(args.workers)))
    expected = args.workers * args.increments
    report("safe-counter", [{"strategy": "python-lock", "items": expected, "wallMs": t.ms, "expected": expected, "actual": counter, "lost": expected - counter, "opsPerSec": round(expected / (t.ms / 1000))}], args.json)
