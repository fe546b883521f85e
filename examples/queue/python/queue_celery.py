"""The queue example's Python original: the notes' CPU job as Celery tasks
on Redis, one task per message and then in chunks (Celery's own
`task.chunks`), done by a Celery worker with a prefork pool.

FastAPI's Background Tasks page says heavy work belongs in "bigger tools
like Celery"; this is that tool, on the same Redis and the same small tasks
as the Node queue (n = base + x, x = 0 .. tasks - 1), each sum checked
against n(n-1)(2n-1)/6.

    pnpm --filter queue python -- --redis redis://127.0.0.1:6379
    cd examples/queue/python && /usr/bin/python3 queue_celery.py --redis URL

With --driven it starts the worker, prints one JSON line (ready, the time a
task takes alone here), then runs `run CHUNK` commands read from stdin, one
JSON line of results each, until stdin closes: the Node harness times it so.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import deque

from celery import group

HERE = os.path.dirname(os.path.abspath(__file__))


def start_worker(redis, workers):
    """A Celery worker in a process of its own, as `celery -A tasks worker` runs it anywhere."""
    # Celery warns at length when run as root (as in a container); the lesson is not that.
    env = {**os.environ, "QUEUE_REDIS": redis, "PYTHONWARNINGS": "ignore"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--pool", "prefork",
         "--concurrency", str(workers), "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "WARNING"],
        cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    # Its log is kept, and shown only if it fails: its shutdown lines are not the lesson.
    log = deque(maxlen=20)
    threading.Thread(target=lambda: log.extend(worker.stderr), daemon=True).start()
    # Its banner first, then the line tasks.py prints once the worker takes tasks.
    for line in worker.stdout:
        if line.strip() == "ready":
            threading.Thread(target=lambda: deque(worker.stdout, 0), daemon=True).start()
            return worker
    worker.wait()
    sys.stderr.writelines(log)
    raise SystemExit(f"queue_celery: the Celery worker exited (code {worker.returncode}) before it was ready")


def stop_worker(worker):
    worker.terminate()  # a warm shutdown: the tasks in hand finish
    try:
        worker.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, 9)


def one_task_per_message(numbers):
    from tasks import sum_of_squares
    return group(sum_of_squares.s(n) for n in numbers).apply_async().get(timeout=600)


def in_chunks(numbers, chunk):
    from tasks import sum_of_squares
    parts = sum_of_squares.chunks(((n,) for n in numbers), chunk).group().apply_async().get(timeout=600)
    return [result for part in parts for result in part]


def run(numbers, chunk):
    return one_task_per_message(numbers) if chunk == 1 else in_chunks(numbers, chunk)


def closed_form(n):
    return n * (n - 1) * (2 * n - 1) // 6


def alone_ms(numbers):
    from tasks import sum_of_squares
    started = time.perf_counter()
    for n in numbers:
        sum_of_squares.run(n)
    return (time.perf_counter() - started) * 1000 / len(numbers)


def main():
    p = argparse.ArgumentParser(description="The CPU job as Celery tasks on Redis.")
    p.add_argument("--redis", required=True, help="redis://host:port")
    p.add_argument("--tasks", type=int, default=2000)
    p.add_argument("--base", type=int, default=20_000)
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--chunk", type=int, default=100)
    p.add_argument("--driven", action="store_true")
    args = p.parse_args([a for a in sys.argv[1:] if a != "--"])
    os.environ["QUEUE_REDIS"] = args.redis
    sys.path.insert(0, HERE)
    numbers = [args.base + x for x in range(args.tasks)]
    started = time.perf_counter()
    worker = start_worker(args.redis, args.workers)
    startup_ms = (time.perf_counter() - started) * 1000
    try:
        run(numbers[:args.workers], 1)  # every pool process has imported and run the task once
        task_ms = alone_ms(numbers[:200])
        if args.driven:
            print(json.dumps({"ready": True, "taskMs": task_ms, "startupMs": startup_ms}), flush=True)
            for line in sys.stdin:
                chunk = int(line.split()[1])
                print(json.dumps({"results": run(numbers, chunk)}), flush=True)
            return
        for chunk in (1, args.chunk):
            started = time.perf_counter()
            sums = run(numbers, chunk)
            duration = time.perf_counter() - started
            exact = all(int(s) == closed_form(n) for s, n in zip(sums, numbers))
            how = "one task a message" if chunk == 1 else f"chunks of {chunk}"
            print(f"{len(numbers)} sums, {how}: {'exact' if exact else 'WRONG'}, in {duration} seconds")
    finally:
        stop_worker(worker)


if __name__ == "__main__":
    main()
