"""What the Python originals share: the workload flags and the harness's JSON record.

The originals themselves follow the notes; this module only lets the matrix
run them against the same embedded sites server and the same CPU job as the
TypeScript, and read their results in the same shape.
"""
import argparse
import json
import os
import platform
import time


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def add_site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", help="base URL of a running sites server (pnpm sites)")
    p.add_argument("--url", action="append", default=[], help="a real site (repeatable)")
    p.add_argument("--sites", type=int, default=80, help="how many downloads")


def sites_from(args) -> list[str]:
    """The notes' `[...] * 80`: the URLs cycled to --sites downloads."""
    if args.sites < 1:
        raise SystemExit(f"--sites must be at least 1, got {args.sites}")
    if args.server:
        base = args.server.rstrip("/")
        return [f"{base}/site/{n}" for n in range(args.sites)]
    if not args.url:
        raise SystemExit("give --server URL (e.g. from `pnpm sites`) or --url URL")
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


class Timer:
    """time.perf_counter: Python's monotonic, high-resolution clock."""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.ms = (time.perf_counter() - self.start) * 1000
