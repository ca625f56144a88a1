"""`invoke handouts` and ``python -m commands.handouts``: one PDF beside each article page.

plugins/handouts prints one PDF per article (and clinical page) of a built site; the build
itself stays HTML-only. Pages link to their handout only in a build whose task writes the
handouts right after it (HANDOUTS, off in publishconf.py), so no build links to a PDF it did
not write.

    python -m commands.handouts --site DIR [--all] [--paper Letter|A4]

Run from the project root (the cache lives in .cache/pelican/handouts). Exit status 1 when a
handout could not be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import handouts as handout_printing  # the plugins' library (plugins/handouts)
from handouts.printing import default_workers
from handouts.settings import DEFAULTS, check_paper, kit_settings
from handouts.store import DEFAULT_CACHE
from invoke import Exit

from commands.project import PROJECT_ROOT, load_settings

HANDOUT_CACHE = PROJECT_ROOT / ".cache" / "pelican" / "handouts"


def handout_overrides() -> dict:
    """The setting a production build of these tasks gets: HANDOUTS on, since the task writes
    the handouts after the build; ``HANDOUTS=0`` in the environment leaves them out."""
    wanted = os.environ.get("HANDOUTS", "1").strip().lower() not in ("0", "false", "no")
    return {"HANDOUTS": wanted}


def write_site_handouts(site: Path, settings: dict, everything: bool = False) -> bool:
    """Write the handouts of the built site in ``site`` on the paper ``settings`` name; print
    what was done; True when every article got its handout."""
    try:
        report = handout_printing.write_handouts(
            site, handout_printing.paper_setting(settings), cache_dir=HANDOUT_CACHE,
            everything=everything, stream=sys.stdout, settings=settings,
        )  # fmt: skip
    except (handout_printing.HandoutError, handout_printing.HandoutSettingError) as error:
        print(f"Handouts: {error}", file=sys.stderr)
        return False
    for failure in report.failures:
        print(f"Handouts: {failure}", file=sys.stderr)
    print(f"{report.summary()}, beside each article page in {site}")
    return not report.failures


def write_handouts_if_on(settings: dict, site: Path) -> bool:
    """After a build with ``settings``: its handouts when they turn HANDOUTS on (its pages then
    link to them, so a handout that cannot be written fails the build)."""
    return not settings.get("HANDOUTS") or write_site_handouts(site, settings)


def stopped_message(site: Path, again: str) -> str:
    """What a Ctrl-C while printing leaves, and what to run (``again``) to finish."""
    return (
        f"Stopped by Ctrl-C: the handouts printed so far are beside their pages in {site} and "
        f"kept in the cache; the others are missing. Run {again} again to print only those."
    )


def handouts(output: str = "output", everything: bool = False) -> None:
    """`invoke handouts`: one handout PDF beside each article page of a production build."""
    site = (PROJECT_ROOT / output).resolve()
    try:
        written = write_site_handouts(site, load_settings(), everything=everything)
    except KeyboardInterrupt:  # one line, as the build, the check and publish say it
        raise Exit(stopped_message(site, "invoke handouts"), code=130) from None
    if not written:
        raise Exit(code=1)


def main(argv: list[str] | None = None) -> int:
    """Write the handouts of a built site; print what was done; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m commands.handouts",
        description="Write one handout PDF beside each article page.",
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
        report = handout_printing.write_handouts(
            args.site, paper, cache_dir=args.cache, everything=args.all, workers=args.jobs,
            settings=settings,
        )  # fmt: skip
    except (handout_printing.HandoutError, handout_printing.HandoutSettingError) as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(stopped_message(args.site, "python -m commands.handouts"), file=sys.stderr)
        return 130
    for failure in report.failures:
        print(f"handouts: {failure}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
