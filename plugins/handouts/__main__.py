"""``python -m handouts --site DIR [--all] [--paper Letter|A4]`` with plugins/ on the path.

Run from the project root (the cache lives in .cache/pelican/handouts). Exit status 1 when a
handout could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if not __package__:  # run as `python plugins/handouts`: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts import HandoutError, HandoutSettingError, write_handouts
from handouts.printing import default_workers
from handouts.settings import DEFAULTS, check_paper, kit_settings
from handouts.store import DEFAULT_CACHE


def main(argv: list[str] | None = None) -> int:
    """Write the handouts of a built site; print what was done; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m handouts", description="Write one handout PDF beside each article page."
    )
    parser.add_argument("--site", type=Path, required=True, help="a built site (production)")
    parser.add_argument("--all", action="store_true", help="print every handout again")
    parser.add_argument("--paper", default=DEFAULTS["HANDOUT_PAPER"], help="Letter or A4")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where PDFs are kept")
    parser.add_argument("--jobs", type=int, default=default_workers(), help="pages at once")
    parser.add_argument(
        "--settings",
        type=Path,
        help="the site's settings: clinic details, headers (pelicanconf.py)",
    )
    args = parser.parse_args(argv)
    try:
        paper = check_paper(args.paper, "--paper")
        settings = kit_settings(args.settings.resolve()) if args.settings else None
        report = write_handouts(
            args.site, paper, cache_dir=args.cache, everything=args.all, workers=args.jobs,
            settings=settings,
        )  # fmt: skip
    except (HandoutError, HandoutSettingError) as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    for failure in report.failures:
        print(f"handouts: {failure}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
