"""The notes' synchronous version, runnable: one site after another over one
requests.Session (its kept-alive connection is what the Session buys).

Run it against `pnpm sites` (or real sites with --url):

    pnpm sites -- --port 8080 &
    pnpm --filter sync-download python -- --server http://127.0.0.1:8080

The notes' listing lost three lines in extraction, restored here and marked
"restored": the list of URLs inside `sites = [...] * 80` (now --server or
--url), the call between start_time and duration, and the docstring's end.
download_site also returns the size it read, so --json can count bytes.
"""
import sys
import time
from pathlib import Path

import requests
from requests.sessions import Session

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import add_site_options, parser, quiet, report, sites_from, watch_downloads  # noqa: E402


def download_site(url: str, session: Session) -> int:
    with session.get(url) as response:
        response.raise_for_status()
        print(f"Read {len(response.content)} from {url}")
        return len(response.content)


def download_all_sites(sites: list[str]) -> int:
    total = 0
    with requests.Session() as session:
        for url in sites:
            total += download_site(url, session)
    return total


if __name__ == "__main__":
    p = parser("Download every site one after another.")
    add_site_options(p)
    args = p.parse_args()
    sites = sites_from(p, args)  # restored: the notes' `[...] * 80`, cycled to --sites
    timeline = watch_downloads()  # each request's times, for the report's waterfall
    with quiet(args.json):
        start_time = time.time()
        total = download_all_sites(sites)  # restored
        duration = time.time() - start_time
        print(f"Downloaded {len(sites)} sites in {duration} seconds")
    report("sync-download", [{"strategy": "python-sequential", "items": len(sites), "bytes": total, "wallMs": duration * 1000, "requests": timeline.requests()}], args.json)
