"""The race fixed the usual Python way: a threading.Lock around `counter += 1`.

The notes describe the race (racy_counter.py) but give no fix; this is the
standard one, written as a change to the notes' code: in how it counts,
`diff racy_counter.py safe_counter.py` is the lock and nothing else. The
Node.js safe-counter measures four fixes; a lock is the one they share.
"""
import concurrent.futures
import sys
import threading
import time
from pathlib import Path

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import parser, positive, report  # noqa: E402

INCREMENTS = 100
counter = 0
lock = threading.Lock()


def increment_counter(fake_value: int):
    global counter
    for _ in range(INCREMENTS):
        with lock:  # one thread at a time between the read and the write
            counter += 1


if __name__ == "__main__":
    p = parser("Increment one counter from many threads, with a lock.")
    p.add_argument("--workers", type=positive, default=5000, help="threads (5000 in the notes)")
    p.add_argument("--increments", type=positive, default=100, help="per thread (100 in the notes)")
    args = p.parse_args()
    INCREMENTS = args.increments
    fake_data = [x for x in range(args.workers)]
    counter = 0
    start_time = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as executor:
        _ = executor.map(increment_counter, fake_data)
    duration = time.perf_counter() - start_time
    expected = args.workers * INCREMENTS
    if not args.json:
        print(f"counter = {counter}, expected {expected}: {expected - counter} increments lost")
    report("safe-counter", [{"strategy": "python-lock", "items": expected, "wallMs": duration * 1000, "workers": args.workers, "expected": expected, "actual": counter, "lost": expected - counter, "opsPerSec": round(expected / duration)}], args.json)
