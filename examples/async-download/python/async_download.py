"""The asyncio version the notes point to, runnable: aiohttp and
asyncio.gather, every site at once on one thread. aiohttp's connector opens
at most 100 connections by default: the same bound async-download sets.
"""
import asyncio

import aiohttp

from lab import Timer, add_site_options, parser, report, sites_from


async def download_site(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as response:
        response.raise_for_status()
        return len(await response.read())


async def download_all_sites(sites: list[str]) -> int:
    async with aiohttp.ClientSession() as session:
        tasks = [download_site(session, url) for url in sites]
        return sum(await asyncio.gather(*tasks))


if __name__ == "__main__":
    p = parser("Download every site at once with asyncio and aiohttp.")
    add_site_options(p)
    args = p.parse_args()
    sites = sites_from(args)
    with Timer() as t:
        total = asyncio.run(download_all_sites(sites))
    report("async-download", [{"strategy": "python-asyncio", "items": len(sites), "bytes": total, "wallMs": t.ms}], args.json)
