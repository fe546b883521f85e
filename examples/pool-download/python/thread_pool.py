"""The notes' threaded version, runnable: ThreadPoolExecutor(max_workers=5),
one requests.Session per thread (Session is not thread-safe).

    pnpm --filter pool-download python -- --server http://127.0.0.1:8080

The notes' listing lost lines in extraction, restored here and marked
"restored": `executor.map(download_site, sites)` after the `with ... as
executor:`, the end of get_session's docstring, the list of URLs, and the
call between start_time and duration. --concurrency sets max_workers (5, as
in the notes). download_site also returns the size it read.
"""
import concurrent.futures
import sys
import threading
import time
from pathlib import Path

import requests

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import add_site_options, parser, quiet, report, sites_from, watch_downloads  # noqa: E402

thread_local = threading.local()


def get_session():
    """Since Session is not thread-safe, we need to create a new one for each
    thread."""  # restored: the docstring's end
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site(url: str) -> int:
    session = get_session()
    with session.get(url) as response:
        response.raise_for_status()
        print(f"Read {len(response.content)} from {url}")
        return len(response.content)


def download_all_sites(sites: list[str], max_workers: int = 5) -> int:
    # Thread + Pool (threads union) + Executor (threads controller)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max_workers) as executor:
        return sum(executor.map(download_site, sites))  # threads generator (restored)


if __name__ == "__main__":
    p = parser("Download the sites through a pool of threads.")
    add_site_options(p)
    p.add_argument("--concurrency", type=int, default=5, help="max_workers (5 in the notes)")
    args = p.parse_args()
    sites = sites_from(p, args)  # restored: the notes' `[...] * 80`, cycled to --sites
    timeline = watch_downloads()  # each request's times, for the report's waterfall
    with quiet(args.json):
        start_time = time.time()
        total = download_all_sites(sites, args.concurrency)  # restored
        duration = time.time() - start_time
        print(f"Downloaded {len(sites)} in {duration} seconds")
    report("pool-download", [{"strategy": "python-threads", "items": len(sites), "bytes": total, "wallMs": duration * 1000, "concurrency": args.concurrency, "requests": timeline.requests()}], args.json)
