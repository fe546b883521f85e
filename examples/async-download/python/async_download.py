"""All at once with asyncio and aiohttp, runnable: every site's download
started as a task on one thread, gathered at the end.

The notes have no listing for this: they point to their asyncio note and to
Real Python's concurrency article (their source 2), whose asyncio version
this follows (aiohttp.ClientSession, a task per site, asyncio.gather).
aiohttp's connector opens at most 100 connections at once by default: the
same bound async-download sets with --connections.

    pnpm --filter async-download python -- --server http://127.0.0.1:8080
"""
import asyncio
import sys
import time
from pathlib import Path

import aiohttp

# lab.py (the flags and the JSON record the matrix reads) is in scripts/python: found from here.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts" / "python"))
from lab import add_site_options, parser, quiet, report, sites_from, watch_downloads  # noqa: E402


async def download_site(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as response:
        response.raise_for_status()
        content = await response.read()
        print(f"Read {len(content)} from {url}")
        return len(content)


async def download_all_sites(sites: list[str]) -> int:
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.ensure_future(download_site(session, url)) for url in sites]
        return sum(await asyncio.gather(*tasks))


if __name__ == "__main__":
    p = parser("Download every site at once with asyncio and aiohttp.")
    add_site_options(p)
    args = p.parse_args()
    sites = sites_from(p, args)
    timeline = watch_downloads()  # each request's times, for the report's waterfall
    with quiet(args.json):
        start_time = time.time()
        total = asyncio.run(download_all_sites(sites))
        duration = time.time() - start_time
        print(f"Downloaded {len(sites)} sites in {duration} seconds")
    report("async-download", [{"strategy": "python-asyncio", "items": len(sites), "bytes": total, "wallMs": duration * 1000, "requests": timeline.requests()}], args.json)
