"""Serve the portal farm until interrupted: ``python -m simulate.portals [--seeds FILE]``."""

from __future__ import annotations

import argparse
import time

from .farm import NETWORK, Farm


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", help="write a seeds CSV for the farm's portals here")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the farm")
    args = ap.parse_args()
    farm = Farm(seed=args.seed).start()
    for portal in farm.portals:
        print(f"{portal.base}  {portal.name}")
    print(f"{len(farm.reports)} reports, {len(farm.all_files())} attachments")
    if args.seeds:
        farm.write_seeds(args.seeds)
        print(f"seeds written to {args.seeds}; crawl them with: ogi crawl --profile farm --seeds {args.seeds}")
        print(f"(or scrapy crawl annual_reports -a seeds={args.seeds} -s OGI_ALLOWED_HOSTS={NETWORK})")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        farm.stop()


if __name__ == "__main__":
    main()
