"""Python's "Coroutines and Tasks", the parts beyond say_after: timeouts,
cancellation, shield, completion order, eager and lazy start, threads.
Runnable with Python 3.11 (asyncio.timeout, TaskGroup); where 3.12+ differs,
the line says so.

    pnpm --filter timeouts-and-cancellation python     # starts a sites server, runs this against it
    /usr/bin/python3 python/timeouts_and_cancellation.py --server http://127.0.0.1:8080   # beside `pnpm sites`

The downloads go to the same sites server as the TypeScript, which counts
what is in flight: a timeout's claim is checked by the server, not assumed.
"""
import asyncio
import sys
import threading
import time
from pathlib import Path

import aiohttp

# lab.py (the shared JSON record) lives in scripts/python; find it from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import parser, report  # noqa: E402

LINES: list[str] = []
JSON = False


def say(line: str) -> None:
    LINES.append(line)
    if not JSON:
        print(f"  {line}", flush=True)


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


async def download(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as response:
        return len(await response.read())


async def server_stats(server: str) -> dict:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server}/stats") as response:
            return await response.json()


# 1. A timeout that stops the work: asyncio.timeout() cancels every download.
async def timeout(server: str, sites: int, deadline_ms: int, grace_ms: int) -> dict:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await session.post(f"{server}/stats/reset")
        start, deadline_at = time.perf_counter(), time.time() * 1000 + deadline_ms
        try:
            async with asyncio.timeout(deadline_ms / 1000):
                async with asyncio.TaskGroup() as tg:
                    for n in range(sites):
                        tg.create_task(download(session, f"{server}/site/{n}"))
        except TimeoutError:
            pass
        returned_ms = ms_since(start)
    await asyncio.sleep(grace_ms / 1000)
    in_flight = (await server_stats(server))["inFlight"]
    say(f"asyncio.timeout({deadline_ms / 1000}): returned at {returned_ms:.1f} ms; "
        f"in flight at the server {grace_ms} ms after the deadline: {in_flight}")
    return {"strategy": "asyncio-timeout", "items": sites, "wallMs": returned_ms, "returnedMs": returned_ms,
            "deadlineMs": deadline_ms, "deadlineAt": deadline_at, "inFlightAfter": in_flight, "graceMs": grace_ms}


# 2. Cancellation arrives at the next await, whatever is awaited.
async def awaiting_loop(steps: int, step_ms: int, progress: dict) -> None:
    try:
        for _ in range(steps):
            await asyncio.sleep(step_ms / 1000)
            progress["steps"] += 1
    except asyncio.CancelledError:
        progress["cancelled_at"] = time.perf_counter()
        raise  # a task that swallows CancelledError is not cancelled (3.11: uncancel() takes it back)
    finally:
        progress["cleaned_up"] = True


async def computing_loop(steps: int, step_ms: int, progress: dict) -> None:
    try:
        for _ in range(steps):
            until = time.perf_counter() + step_ms / 1000
            while time.perf_counter() < until:
                pass  # the CPU, busy: no await, so no place for CancelledError
            progress["steps"] += 1
    finally:
        progress["cleaned_up"] = True


async def cancel_after(loop, steps: int, step_ms: int, cancel_after_ms: int) -> dict:
    progress = {"steps": 0, "cleaned_up": False, "cancelled_at": None}
    task = asyncio.create_task(loop(steps, step_ms, progress))
    start = time.perf_counter()
    asked = {}

    def cancel():
        asked["at"], asked["steps"] = time.perf_counter(), progress["steps"]
        task.cancel()

    asyncio.get_running_loop().call_later(cancel_after_ms / 1000, cancel)
    try:
        await task
        ended = "ran to its end"
    except asyncio.CancelledError:
        ended = "ran to its end, result dropped" if progress["steps"] == steps else "stopped"
    while "at" not in asked:  # a loop that held the thread let cancel() run only now
        await asyncio.sleep(0)
    arrived = progress["cancelled_at"]
    return {"steps": progress["steps"], "of": steps, "cancelMs": (asked["at"] - start) * 1000,
            "stepsAfterCancel": progress["steps"] - asked["steps"], "ended": ended,
            "arrivedMsAfterCancel": None if arrived is None else (arrived - asked["at"]) * 1000,
            "cleanedUp": progress["cleaned_up"]}


async def cancellation(steps: int, step_ms: int, cancel_after_ms: int) -> list[dict]:
    records = []
    for name, loop in [("awaiting", awaiting_loop), ("computing", computing_loop)]:
        r = await cancel_after(loop, steps, step_ms, cancel_after_ms)
        arrived = "never arrived in the body" if r["arrivedMsAfterCancel"] is None else \
            f"CancelledError arrived {r['arrivedMsAfterCancel']:.1f} ms after cancel()"
        say(f"{name} loop: cancel() ran at {r['cancelMs']:.1f} ms; {arrived}; "
            f"{r['steps']} of {r['of']} steps ({r['stepsAfterCancel']} after cancel()); {r['ended']}; "
            f"finally ran: {'yes' if r['cleanedUp'] else 'no'}")
        records.append({"strategy": f"asyncio-cancel-{name}", "items": r["steps"], "wallMs": 0, **r})
    return records


# 3. Shield: the commit survives the caller's cancellation.
async def shield(server: str, cancel_after_ms: int) -> dict:
    async with aiohttp.ClientSession() as session:
        await session.post(f"{server}/stats/reset")
        start = time.perf_counter()
        commits = []

        async def save_order():
            await download(session, f"{server}/site/0")  # the read: cancellable
            commit = asyncio.create_task(download(session, f"{server}/site/1"))  # the write
            commits.append(commit)  # keep a reference: the loop holds tasks only weakly
            return await asyncio.shield(commit)

        try:
            async with asyncio.timeout(cancel_after_ms / 1000):
                await save_order()
        except TimeoutError:
            pass
        gave_up = ms_since(start)
        await asyncio.gather(*commits)
        committed = ms_since(start)
    say(f"asyncio.shield: caller gave up at {gave_up:.1f} ms; the commit was answered at {committed:.1f} ms")
    return {"strategy": "asyncio-shield", "items": 1, "wallMs": committed, "callerGaveUpMs": gave_up,
            "commitAnsweredMs": committed}


# 5. Eager and lazy start.
async def eager() -> dict:
    async def work(name):
        say(f"{name}: runs, up to its first await")
        await asyncio.sleep(0)
        say(f"{name}: after its first await")

    say("caller: calls work()")
    coro = work("work")
    say("caller: got a coroutine object: nothing ran")
    task = asyncio.create_task(coro)
    say("caller: create_task(): scheduled, still nothing ran")
    await task
    if sys.version_info >= (3, 12):
        asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
        say("caller: with eager_task_factory (3.12+), create_task():")
        task = asyncio.create_task(work("eager"))
        say("caller: got its task")
        await task
        asyncio.get_running_loop().set_task_factory(None)
    else:
        say(f"(eager_task_factory, which runs it at create_task() as Node does, needs 3.12+; this is {sys.version.split()[0]})")
    say("caller: done")
    return {"strategy": "asyncio-eager", "items": 1, "wallMs": 0}


# 4. Completion order, first finished, first success; a hedged request.
async def after(ms: int, value: str, fails: bool = False) -> str:
    await asyncio.sleep(ms / 1000)
    if fails:
        raise RuntimeError(value)
    return value


def three_tasks(unit: int):
    return [asyncio.create_task(after(3 * unit, "slow")), asyncio.create_task(after(unit, "fails", True)),
            asyncio.create_task(after(2 * unit, "medium"))]


async def order(unit: int = 10) -> dict:
    finished = []
    for next_done in asyncio.as_completed(three_tasks(unit)):
        try:
            finished.append(await next_done)
        except RuntimeError as error:
            finished.append(f"{error} (error)")
    say(f"as_completed: {', '.join(finished)}")
    tasks = three_tasks(unit)
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    first = done.pop()
    say(f"wait(FIRST_COMPLETED): {first.exception()} (error); {len(pending)} pending")
    await asyncio.wait(pending)
    # First success: no built-in; as_completed, skipping failures.
    for next_done in asyncio.as_completed(three_tasks(unit)):
        try:
            say(f"first success (as_completed, skipping failures): {await next_done}")
            break
        except RuntimeError:
            continue
    await asyncio.sleep(3 * unit / 1000)  # let the others finish
    return {"strategy": "asyncio-order", "items": 3, "wallMs": 0}


async def hedged(session, urls: list[str]) -> None:
    attempts = [asyncio.create_task(download(session, url)) for url in urls]
    done, pending = await asyncio.wait(attempts, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()  # the loser's connection is closed: the server sees it
    await asyncio.gather(*pending, return_exceptions=True)


async def hedge(fast: str, slow: str, requests: int) -> dict:
    at_once = asyncio.Semaphore(10)  # as the TypeScript: 10 requests in flight at a time

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def timed(coro_fn):
            async with at_once:
                start = time.perf_counter()
                await coro_fn()
                return ms_since(start)

        servers = [fast, slow]
        plain = await asyncio.gather(*(timed(lambda i=i: download(session, f"{servers[i % 2]}/site/{i}"))
                                       for i in range(requests)))
        await session.post(f"{slow}/stats/reset")
        hedged_ms = await asyncio.gather(*(timed(lambda i=i: hedged(session, [f"{slow}/site/{i}", f"{fast}/site/{i}"]))
                                           for i in range(requests)))
    p = lambda xs, q: sorted(xs)[min(len(xs) - 1, -(-q * len(xs) // 100) - 1)]  # noqa: E731 nearest rank
    await asyncio.sleep(0.02)
    stats = await server_stats(slow)
    say(f"hedged: p50 {p(hedged_ms, 50):.1f} ms, p99 {p(hedged_ms, 99):.1f} ms "
        f"(one server each, round-robin: p50 {p(plain, 50):.1f} ms, p99 {p(plain, 99):.1f} ms); "
        f"the slow server saw {stats['requests']} requests, {stats['inFlight']} still in flight")
    return {"strategy": "asyncio-hedge", "items": requests, "wallMs": 0, "hedgedP99": p(hedged_ms, 99),
            "plainP99": p(plain, 99)}


# 6. Crossing threads.
async def heartbeats_during(coro) -> tuple[int, object]:
    beats = 0

    async def beat():
        nonlocal beats
        while True:
            await asyncio.sleep(0.005)
            beats += 1

    beating = asyncio.create_task(beat())
    try:
        value = await coro
        return beats, value
    finally:
        beating.cancel()
        await asyncio.gather(beating, return_exceptions=True)


async def threads(ms: int) -> dict:
    async def blocking_on_loop():
        time.sleep(ms / 1000)

    async def say_later():
        await asyncio.sleep(ms / 1000)
        return f"said after {ms} ms on the loop"

    loop = asyncio.get_running_loop()

    def ask_loop():  # on another thread: run a coroutine on the loop, block for its answer
        return asyncio.run_coroutine_threadsafe(say_later(), loop).result()

    on_loop, _ = await heartbeats_during(blocking_on_loop())
    to_thread, _ = await heartbeats_during(asyncio.to_thread(time.sleep, ms / 1000))
    from_thread, answer = await heartbeats_during(asyncio.to_thread(ask_loop))
    say(f"heartbeats (every 5 ms) while {ms} ms pass: time.sleep on the loop {on_loop}, "
        f"to_thread(time.sleep) {to_thread}, a thread waiting on run_coroutine_threadsafe {from_thread} ({answer})")
    return {"strategy": "asyncio-threads", "items": 3, "wallMs": 0, "blockedOnLoop": on_loop, "toThread": to_thread,
            "fromThread": from_thread}


SECTIONS = ["timeout", "cancel", "shield", "eager", "order", "hedge", "threads"]


async def main(args) -> list[dict]:
    results = []
    for section in args.only:
        LINES.clear()
        if not JSON:
            print(f"\n{section}:")
        start = time.perf_counter()
        if section == "timeout":
            found = [await timeout(args.server, args.sites, args.deadline_ms, args.grace_ms)]
        elif section == "cancel":
            found = await cancellation(args.steps, args.step_ms, args.cancel_after_ms)
        elif section == "shield":
            found = [await shield(args.server, args.commit_cancel_ms)]
        elif section == "eager":
            found = [await eager()]
        elif section == "order":
            found = [await order()]
        elif section == "hedge":
            found = [await hedge(args.fast_server, args.server, args.requests)]
        else:
            found = [await threads(args.thread_ms)]
        found[0]["lines"] = list(LINES)
        for record in found:
            if not record["wallMs"]:
                record["wallMs"] = ms_since(start)  # the section's time, where it has no time of its own
        results.extend(found)
    return results


def sections(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown or not chosen:
        import argparse
        raise argparse.ArgumentTypeError(f"expected some of {','.join(SECTIONS)}, got {text!r}")
    return chosen


if __name__ == "__main__":
    p = parser(__doc__.split("\n")[0])
    p.add_argument("--server", help="base URL of a sites server with a latency above --deadline-ms (pnpm sites)")
    p.add_argument("--fast-server", help="a second, fast sites server, for the hedged request")
    p.add_argument("--only", type=sections, default=SECTIONS, help=f"comma-separated: {','.join(SECTIONS)}")
    p.add_argument("--sites", type=int, default=20)
    p.add_argument("--deadline-ms", type=int, default=100)
    p.add_argument("--grace-ms", type=int, default=20)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--step-ms", type=int, default=10)
    p.add_argument("--cancel-after-ms", type=int, default=100)
    p.add_argument("--commit-cancel-ms", type=int, default=450)
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--thread-ms", type=int, default=200)
    args = p.parse_args()
    needs = {"timeout": args.server, "shield": args.server, "hedge": args.server and args.fast_server}
    missing = [s for s in args.only if s in needs and not needs[s]]
    if missing:
        p.error(f"--server (and --fast-server for hedge) needed for: {', '.join(missing)}")
    JSON = args.json
    try:
        results = asyncio.run(main(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    report("timeouts-and-cancellation", results, args.json)
