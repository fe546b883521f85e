"""The notes' synchronous version, runnable: one site after another over one
requests.Session (its kept-alive connection is what the Session buys).

    PYTHONPATH=scripts/python /usr/bin/python3 examples/sync-download/python/sync_download.py --server http://127.0.0.1:PORT
"""
import requests
from requests.sessions import Session

from lab import Timer, add_site_options, parser, report, sites_from


def download_site(url: str, session: Session) -> int:
    with session.get(url) as response:
        response.raise_for_status()
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
    sites = sites_from(args)
    with Timer() as t:
        total = download_all_sites(sites)
    report("sync-download", [{"strategy": "python-sequential", "items": len(sites), "bytes": total, "wallMs": t.ms}], args.json)
