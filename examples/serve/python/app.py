# FastAPI's "Concurrency and async / await", as the app the Node server sits
# beside: the same paths, the same work for L ms (SERVE_LATENCY_MS, 100).
#
#   /wait             async def + await asyncio.sleep: the loop serves others meanwhile
#   /block            async def + time.sleep: the loop serves no one meanwhile
#   /offload          def + time.sleep: run on AnyIO's threadpool of 40 threads
#   /compute          async def computing: on the loop, one at a time
#   /compute-offload  def computing: 40 threads, but one GIL: one computes at a time
#   /ping             async def that answers at once
import asyncio
import os
import time

from fastapi import FastAPI

LATENCY = float(os.environ.get("SERVE_LATENCY_MS", "100")) / 1000


def sum_of_squares(n):
    # The notes' CPU job: sum of i * i for i < n, in plain Python.
    return sum(i * i for i in range(n))


def size_job(seconds):
    # Time a small run and scale it, so one request computes for about L here.
    n = 200_000
    started = time.perf_counter()
    sum_of_squares(n)
    n = max(1000, round(seconds / ((time.perf_counter() - started) / n)))
    # Then a second look at that size: a small run is not the large one's speed per step.
    started = time.perf_counter()
    sum_of_squares(n)
    return max(1000, round(n * seconds / (time.perf_counter() - started)))


# Sized once: uvicorn --workers N imports this module in every worker, and
# each must compute the same job (serve.py passes the size on as SERVE_N).
N = int(os.environ["SERVE_N"]) if "SERVE_N" in os.environ else size_job(LATENCY)

app = FastAPI()


@app.get("/ping")
async def ping():
    return {"route": "ping", "ok": True}


@app.get("/wait")
async def wait():
    await asyncio.sleep(LATENCY)
    return {"route": "wait", "ok": True}


@app.get("/block")
async def block():
    time.sleep(LATENCY)  # blocks the event loop: every other request waits
    return {"route": "block", "ok": True}


@app.get("/offload")
def offload():
    time.sleep(LATENCY)  # blocks one of the threadpool's threads, not the loop
    return {"route": "offload", "ok": True}


@app.get("/compute")
async def compute():
    sum_of_squares(N)
    return {"route": "compute", "ok": True}


@app.get("/compute-offload")
def compute_offload():
    sum_of_squares(N)  # on a thread, holding the GIL while it computes
    return {"route": "compute-offload", "ok": True}
