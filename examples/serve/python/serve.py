# Runs app.py under uvicorn (h11, asyncio's loop) on 127.0.0.1 and a port the
# system picks, and prints one JSON line: the port and what one request's
# computing costs alone. It ends when its parent closes stdin, so it never
# outlives the measurement that started it.
#
# With SERVE_WORKERS=N it is `uvicorn --workers N`: uvicorn's supervisor
# spawns N processes that share the one listening socket, each with its own
# event loop, its own threadpool and its own GIL.
import json
import os
import socket
import sys
import threading
import time

import uvicorn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app as served  # noqa: E402


def compute_ms():
    best = float("inf")
    # The fastest of five: Python's time for the same sum varies by half from
    # one run to the next here, and the model wants the work's own cost.
    for _ in range(5):
        started = time.perf_counter()
        served.sum_of_squares(served.N)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 2)


class Counted:
    """The app, counting the requests it holds, with /busy to ask how many.

    The measurement asks after each run until the answer is 0, so the work
    one route left queued (a blocked loop's, a threadpool's) is not measured
    as the next route's. It is plain ASGI, so /ping costs what FastAPI costs.
    `idleAt` is when the last request ended: the end of the server's busy time.
    """

    def __init__(self, app):
        self.app = app
        self.busy = 0
        self.idle_at = time.time() * 1000

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/busy":
            now = time.time() * 1000
            # pid: under --workers N, which worker answered (each counts only its own requests).
            body = json.dumps({"busy": self.busy, "idleAt": self.idle_at, "quietMs": now - self.idle_at,
                               "pid": os.getpid()}).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.busy += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.busy -= 1
            if self.busy == 0:
                self.idle_at = time.time() * 1000


counted = Counted(served.app)


def exit_with_parent(stop):
    sys.stdin.read()
    stop()


def main():
    workers = int(os.environ.get("SERVE_WORKERS", "1"))
    # IPPROTO_TCP named, as uvicorn's own bind does: asyncio sets TCP_NODELAY only
    # on sockets that say they are TCP, and without it every answer waits ~40 ms
    # for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(json.dumps({"port": sock.getsockname()[1], "computeMs": compute_ms(), "workers": workers}), flush=True)
    settings = dict(http="h11", loop="asyncio", log_level="warning", backlog=2048)
    if workers == 1:
        threading.Thread(target=exit_with_parent, args=(lambda: os._exit(0),), daemon=True).start()
        uvicorn.Server(uvicorn.Config(counted, **settings)).run(sockets=[sock])
        return
    from uvicorn.supervisors import Multiprocess

    # Each worker imports this module afresh ("serve:counted"): the job's size goes with them.
    os.environ["SERVE_N"] = str(served.N)
    config = uvicorn.Config("serve:counted", workers=workers, **settings)
    supervisor = Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock])
    # stdin closed: the supervisor ends its workers (terminate, join), then itself.
    threading.Thread(target=exit_with_parent, args=(supervisor.should_exit.set,), daemon=True).start()
    supervisor.run()


if __name__ == "__main__":
    main()
