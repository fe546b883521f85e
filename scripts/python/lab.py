"""What the Python originals share: the workload flags and the harness's JSON record.

The originals themselves follow the notes; this module only lets the matrix
run them against the same embedded sites server and the same CPU job as the
TypeScript, and read their results in the same shape.
"""
import argparse
import contextlib
import json
import os
import platform
import sys
import threading
import time


# Where --trace writes the run, once the arguments are parsed (report() writes it).
_trace_file: str | None = None


class _Parser(argparse.ArgumentParser):
    """`pnpm --filter X python -- --help` hands the program pnpm's `--` too: skip it."""

    def parse_known_args(self, args=None, namespace=None):
        global _trace_file
        args = sys.argv[1:] if args is None else list(args)
        if args[:1] == ["--"]:
            args = args[1:]
        parsed, rest = super().parse_known_args(args, namespace)
        trace = getattr(parsed, "trace", None)
        if trace:
            # pnpm runs the script in the example's folder: a relative path is
            # the reader's, from where pnpm was typed.
            path = os.path.join(os.environ.get("INIT_CWD", os.getcwd()), trace)
            if os.path.isdir(path) or not os.path.isdir(os.path.dirname(os.path.abspath(path))):
                self.error(f"--trace needs a file in a folder that exists, got {trace}")
            _trace_file = path
        return parsed, rest


def parser(description: str) -> argparse.ArgumentParser:
    p = _Parser(description=description)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--trace",
        metavar="FILE",
        help="write the run as a trace (Trace Event Format) to FILE, for ui.perfetto.dev",
    )
    return p


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (bad input exits 2, naming the flag)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", help="base URL of a running sites server (pnpm sites)")
    p.add_argument("--url", action="append", default=[], help="a real site (repeatable)")
    p.add_argument("--sites", type=positive, default=80, help="how many downloads")


@contextlib.contextmanager
def quiet(enabled: bool):
    """With --json, the originals' own prints go nowhere: stdout is the one JSON object."""
    if not enabled:
        yield
        return
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        yield


def sites_from(p: argparse.ArgumentParser, args) -> list[str]:
    """The notes' `[...] * 80`: the URLs cycled to --sites downloads."""
    if args.server:
        base = args.server.rstrip("/")
        return [f"{base}/site/{n}" for n in range(args.sites)]
    if not args.url:
        p.error("give --server URL (e.g. from `pnpm sites`) or --url URL")
    return [args.url[i % len(args.url)] for i in range(args.sites)]


class Timeline:
    """Each download's [request sent, first byte, last byte], in ms from the timeline's start.

    The same field the Node examples' records carry as `requests`, so the report
    draws the originals' waterfalls beside theirs. Filled in by the hooks
    watch_downloads installs; first byte is None for a request that got no answer.
    """

    def __init__(self) -> None:
        self.origin = time.perf_counter()
        # The same moment on the epoch's clock, so a trace lines up with the Node runs'.
        self.epoch = time.time()
        self._lock = threading.Lock()
        self._requests: list[list] = []
        self._threads: list[tuple[int, str]] = []

    def add(self, start: float, first: float | None, end: float) -> None:
        ms = lambda t: round((t - self.origin) * 1000, 2)  # noqa: E731
        thread = threading.current_thread()
        with self._lock:
            self._requests.append([ms(start), None if first is None else ms(first), ms(end)])
            self._threads.append((thread.ident or 0, thread.name))

    def requests(self) -> list[list]:
        """In the order the requests were sent, as a waterfall reads."""
        with self._lock:
            return sorted(self._requests, key=lambda r: r[0])

    def trace_events(self) -> list[dict]:
        """Each request as an async slice on the thread that made it, with its phases.

        The Trace Event Format the Node examples' --trace writes: `b`/`e` pairs
        with an id (many are in flight at once on one thread), the phases
        waiting (sent to first byte) and body (first byte to last) inside.
        """
        pid = os.getpid()
        us = lambda ms: round((self.epoch * 1000 + ms) * 1000)  # noqa: E731
        events: list[dict] = []
        with self._lock:
            pairs = sorted(zip(self._requests, self._threads), key=lambda p: p[0][0])
        named: set[int] = set()
        for n, ((start, first, end), (ident, name)) in enumerate(pairs):
            if ident not in named:
                named.add(ident)
                events.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": ident, "args": {"name": name}})
            slice_id = hex(n + 1)
            common = {"cat": "request", "id": slice_id, "pid": pid, "tid": ident}
            events.append({"name": f"GET {n}", "ph": "b", "ts": us(start), **common})
            if first is not None:
                events.append({"name": "waiting", "ph": "b", "ts": us(start), **common})
                events.append({"name": "waiting", "ph": "e", "ts": us(first), **common})
                events.append({"name": "body", "ph": "b", "ts": us(first), **common})
                events.append({"name": "body", "ph": "e", "ts": us(end), **common})
            events.append({"name": f"GET {n}", "ph": "e", "ts": us(end), "args": {"ok": first is not None}, **common})
        return events


_timeline: Timeline | None = None


def watch_downloads() -> Timeline:
    """Time every request the originals make, without touching their code.

    requests: Session.send reads the whole body before it returns (no stream=True
    in the originals), and sets response.elapsed to the time from sending to the
    response's headers, so its start, start + elapsed and its return are the
    three times. aiohttp: a TraceConfig added to every ClientSession, whose
    request-end signal comes with the headers and whose chunk signal with each
    piece of the body.
    """
    global _timeline
    timeline = _timeline = Timeline()
    if "requests" in sys.modules:
        import requests

        send = requests.Session.send

        def timed_send(self, request, **kwargs):
            start = time.perf_counter()
            try:
                response = send(self, request, **kwargs)
            except Exception:
                timeline.add(start, None, time.perf_counter())
                raise
            timeline.add(start, start + response.elapsed.total_seconds(), time.perf_counter())
            return response

        requests.Session.send = timed_send
    if "aiohttp" in sys.modules:
        import aiohttp

        async def on_start(session, ctx, params):
            ctx.times = [time.perf_counter(), None, None]

        async def on_headers(session, ctx, params):
            ctx.times[1] = ctx.times[2] = time.perf_counter()

        async def on_chunk(session, ctx, params):
            ctx.times[2] = time.perf_counter()

        async def on_error(session, ctx, params):
            timeline.add(ctx.times[0], None, time.perf_counter())

        # The last byte is known only once the body has been read: collect each
        # request's times when its session closes.
        contexts: list = []

        def new_context(**_):
            ctx = _Ctx()
            contexts.append(ctx)
            return ctx

        def trace() -> aiohttp.TraceConfig:
            config = aiohttp.TraceConfig(trace_config_ctx_factory=new_context)
            config.on_request_start.append(on_start)
            config.on_request_end.append(on_headers)
            config.on_response_chunk_received.append(on_chunk)
            config.on_request_exception.append(on_error)
            return config

        init = aiohttp.ClientSession.__init__
        close = aiohttp.ClientSession.close

        def traced_init(self, *args, trace_configs=None, **kwargs):
            init(self, *args, trace_configs=[*(trace_configs or []), trace()], **kwargs)

        async def collecting_close(self):
            await close(self)
            for ctx in contexts:
                times = getattr(ctx, "times", None)
                if times and times[1] is not None:
                    timeline.add(times[0], times[1], times[2])
            contexts.clear()

        aiohttp.ClientSession.__init__ = traced_init
        aiohttp.ClientSession.close = collecting_close
    return timeline


class _Ctx:
    """One aiohttp request's trace context: its times, set by the signals."""

    times: list | None = None


def report(example: str, results: list[dict], as_json: bool) -> None:
    records = []
    for r in results:
        record = {
            "example": example,
            "failed": 0,
            "bytes": 0,
            "idealMs": None,
            "efficiency": None,
            "speedup": None,
            "node": None,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "language": "python",
            **r,
        }
        record["wallMs"] = round(record["wallMs"], 2)
        records.append(record)
    if _trace_file:
        write_trace(_trace_file, example, records)
    if as_json:
        print(json.dumps({"example": example, "node": None, "cpus": os.cpu_count(), "results": records}))
    else:
        for r in records:
            print(f"{example} · {r['strategy']}: {r['items']} items in {r['wallMs'] / 1000:.2f} s, {r['failed']} failed")


def write_trace(path: str, example: str, records: list[dict]) -> None:
    """The run as the Node examples' --trace writes it: each run a slice, its requests, its record."""
    pid = os.getpid()
    now_us = round(time.time() * 1_000_000)
    events: list[dict] = [
        {"name": "process_name", "ph": "M", "pid": pid, "args": {"name": f"python {example}"}},
        {"name": "thread_name", "ph": "M", "pid": pid, "tid": threading.main_thread().ident, "args": {"name": "main thread"}},
    ]
    main = {"pid": pid, "tid": threading.main_thread().ident}
    # The runs ended just now, one after another: each slice ends where the next begins.
    end = now_us
    for n, record in reversed(list(enumerate(records))):
        start = end - round(record["wallMs"] * 1000)
        common = {"cat": "run", "id": f"run{n}", **main}
        events.append({"name": record["strategy"], "ph": "b", "ts": start, **common})
        events.append({"name": record["strategy"], "ph": "e", "ts": end, **common})
        events.append({"name": "record", "ph": "i", "s": "t", "ts": end, "args": record, **main})
        end = start
    if _timeline is not None:
        events.extend(_timeline.trace_events())
    with open(path, "w") as out:
        json.dump({"traceEvents": events, "displayTimeUnit": "ms"}, out)
    print(f"trace: {len(events)} events in {path} (open it in ui.perfetto.dev)", file=sys.stderr)
