"""The notes' coroutines and tasks, runnable: say_after awaited in turn,
started as tasks first (create_task), and in a TaskGroup (Python 3.11+).
--scale multiplies the notes' seconds, as in the TypeScript.
"""
import asyncio
import time

from lab import Timer, parser, report

SCALE = 1.0


async def say_after(delay, what):
    await asyncio.sleep(delay * SCALE)
    print(what) if not JSON else None


async def sequential():
    await say_after(1, "hello")
    await say_after(2, "world")


async def concurrent():
    task1 = asyncio.create_task(say_after(1, "hello"))
    task2 = asyncio.create_task(say_after(2, "world"))
    await task1
    await task2


async def group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(say_after(1, "hello"))
        tg.create_task(say_after(2, "world"))


if __name__ == "__main__":
    p = parser("The notes' say_after three ways.")
    p.add_argument("--scale", type=float, default=1.0)
    args = p.parse_args()
    SCALE, JSON = args.scale, args.json
    results = []
    for name, way, ideal in [("sequential", sequential, 3), ("concurrent", concurrent, 2), ("group", group, 2)]:
        if not JSON:
            print(f"{name}: started at {time.strftime('%X')}")
        with Timer() as t:
            asyncio.run(way())
        if not JSON:
            print(f"{name}: finished at {time.strftime('%X')}")
        results.append({"strategy": f"python-{name}", "items": 2, "wallMs": t.ms, "idealMs": ideal * 1000 * SCALE})
    report("async-basics", results, args.json)
