"""The notes' threaded version, runnable: ThreadPoolExecutor(max_workers=5),
one requests.Session per thread (Session is not thread-safe).

(The notes' listing lost `executor.map(download_site, sites)` in extraction;
it is restored here.)
"""
import concurrent.futures
import threading

import requests

from lab import Timer, add_site_options, parser, report, sites_from

thread_local = threading.local()


def get_session():
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site(url: str) -> int:
    session = get_session()
    with session.get(url) as response:
        response.raise_for_status()
        return len(response.content)


def download_all_sites(sites: list[str], workers: int) -> int:
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        return sum(executor.map(download_site, sites))


if __name__ == "__main__":
    p = parser("Download the sites through a pool of threads.")
    add_site_options(p)
    p.add_argument("--concurrency", type=int, default=5, help="max_workers")
    args = p.parse_args()
    sites = sites_from(args)
    with Timer() as t:
        total = download_all_sites(sites, args.concurrency)
    report("pool-download", [{"strategy": "python-threads", "items": len(sites), "bytes": total, "wallMs": t.ms, "concurrency": args.concurrency}], args.json)
