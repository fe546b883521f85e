"""The notes' race, runnable: many threads doing `counter += 1` unguarded.

The notes use 5000 threads of 100 increments each (the defaults here);
--workers and --increments let the matrix give Python the same work as the
Node.js version. Under CPython's GIL only one thread runs Python at a time,
and since 3.10 a thread is switched only at certain points, so this often
loses nothing in practice: the race is real (`counter += 1` is a read, an add
and a write) but rarely hit. The Node.js version, with truly parallel
threads, loses updates on nearly every run.

The notes' listing lost `executor.map(increment_counter, fake_data)` in
extraction; it is restored here and marked "restored".
"""
import concurrent.futures
import sys
import time
from pathlib import Path

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import parser, positive, report  # noqa: E402

INCREMENTS = 100
counter = 0


def increment_counter(fake_value: int):
    global counter
    for _ in range(INCREMENTS):
        counter += 1  #  each of the threads needs to read the current value, add one to it, and the save that value back to the variable


if __name__ == "__main__":
    p = parser("Increment one counter from many threads, without a lock.")
    p.add_argument("--workers", type=positive, default=5000, help="threads (5000 in the notes)")
    p.add_argument("--increments", type=positive, default=100, help="per thread (100 in the notes)")
    args = p.parse_args()
    INCREMENTS = args.increments
    fake_data = [x for x in range(args.workers)]
    counter = 0
    start_time = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as executor:
        _ = executor.map(increment_counter, fake_data)  # restored
    duration = time.perf_counter() - start_time
    expected = args.workers * INCREMENTS
    if not args.json:
        print(f"counter = {counter}, expected {expected}: {expected - counter} increments lost")
    report("racy-counter", [{"strategy": "python-threads", "items": expected, "wallMs": duration * 1000, "workers": args.workers, "expected": expected, "actual": counter, "lost": expected - counter}], args.json)
