"""The notes' coroutines and tasks, runnable: say_after awaited in turn,
started as tasks first (create_task), and in a TaskGroup (Python 3.11+).
--scale multiplies the notes' seconds, as in the TypeScript.

The notes' listing of say_after lost its `print(what)` in extraction, and
the listings lost `asyncio.run(main())`; both are restored here and marked
"restored".
"""
import asyncio
import sys
import time
from pathlib import Path

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import parser, quiet, report  # noqa: E402

SCALE = 1.0


async def say_after(delay, what):  # say_after coroutine
    await asyncio.sleep(delay * SCALE)
    print(what)  # restored


async def sequential():
    print(f"started at {time.strftime('%X')}")
    await say_after(1, 'hello')  # await on say_after coroutine
    await say_after(2, 'world')  # await on say_after coroutine
    print(f"finished at {time.strftime('%X')}")


async def concurrent():
    task1 = asyncio.create_task(say_after(1, "hello"))
    task2 = asyncio.create_task(say_after(2, "world"))
    print(f"started at {time.strftime('%X')}")
    # Wait until both tasks are completed (should take
    # around 2 seconds.)
    await task1
    await task2
    print(f"finished at {time.strftime('%X')}")


async def group():
    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(say_after(1, 'hello'))
        task2 = tg.create_task(say_after(2, 'world'))
        print(f"started at {time.strftime('%X')}")
    # The await is implicit when the context manager exits.
    print(f"finished at {time.strftime('%X')}")


if __name__ == "__main__":
    p = parser("The notes' say_after three ways.")
    p.add_argument("--scale", type=float, default=1.0, help="multiply the notes' seconds by this")
    args = p.parse_args()
    if not 0 < args.scale <= 10:
        p.error(f"--scale must be more than 0 and at most 10, got {args.scale}")
    SCALE = args.scale
    results = []
    for name, main, ideal_seconds in [("sequential", sequential, 3), ("concurrent", concurrent, 2), ("group", group, 2)]:
        with quiet(args.json):
            print(f"\n{name}:")
            start = time.perf_counter()
            asyncio.run(main())  # restored
            wall_ms = (time.perf_counter() - start) * 1000
        results.append({"strategy": f"python-{name}", "items": 2, "wallMs": wall_ms, "idealMs": ideal_seconds * 1000 * SCALE})
    report("async-basics", results, args.json)
