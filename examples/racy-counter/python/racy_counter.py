"""The notes' race, runnable: many threads doing `counter += 1`.

The notes use 5000 threads of 100 increments each. Under CPython's GIL only
one thread runs Python at a time, and since 3.10 a thread is switched only at
certain points, so this often loses nothing in practice: the race is real
(`counter += 1` is a read, an add and a write) but rarely hit. The Node.js
version, with truly parallel threads, loses updates on nearly every run.

(The notes' listing lost `executor.map(increment_counter, fake_data)`; it is
restored here.)
"""
import concurrent.futures

from lab import Timer, parser, report

counter = 0


def increment_counter(fake_value: int, increments: int = 100) -> None:
    global counter
    for _ in range(increments):
        counter += 1  # read the current value, add one, save it back


if __name__ == "__main__":
    p = parser("Increment one counter from many threads, without a lock.")
    p.add_argument("--workers", type=int, default=5000)
    p.add_argument("--increments", type=int, default=100)
    args = p.parse_args()
    fake_data = [x for x in range(args.workers)]
    with Timer() as t:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as executor:
            list(executor.map(lambda v: increment_counter(v, args.increments), fake_data))
    expected = args.workers * args.increments
    report("racy-counter", [{"strategy": "python-threads", "items": expected, "wallMs": t.ms, "expected": expected, "actual": counter, "lost": expected - counter}], args.json)
