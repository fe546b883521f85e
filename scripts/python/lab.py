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


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", action="store_true", help="print one JSON object")
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
    if as_json:
        print(json.dumps({"example": example, "node": None, "cpus": os.cpu_count(), "results": records}))
    else:
        for r in records:
            print(f"{example} · {r['strategy']}: {r['items']} items in {r['wallMs'] / 1000:.2f} s, {r['failed']} failed")
