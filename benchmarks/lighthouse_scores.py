"""Lighthouse (mobile defaults) on the home page and every article of a production build.

    .venv/bin/python benchmarks/lighthouse_scores.py            # build, serve, score, print
    .venv/bin/python benchmarks/lighthouse_scores.py --pages /  # only some pages

Prints Performance, Accessibility, Best Practices and SEO (0-100) per page; exits 1 when any
score is below 100. One Chromium for every page (lighthouse_scores.mjs): about 8 s a page
on our machines.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from content_check.html_checks import serve_folder  # plugins/ is on the venv's path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def build(output: Path, siteurl: str) -> None:
    """A production build (publishconf.py, example clinic details allowed) into ``output``."""
    command = [
        sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", str(output),
        "--fatal", "warnings", "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false",
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, "SITEURL": siteurl}, check=True)


def lighthouse_scores(
    urls: list[str], categories: tuple[str, ...] = CATEGORIES
) -> dict[str, dict[str, int]]:
    """Run Lighthouse on each URL in one Chromium (lighthouse_scores.mjs); return each URL's
    score out of 100 in each of ``categories`` (only they are audited: the tests leave out
    Performance, a timing, and its trace)."""
    result = subprocess.run(
        ["node", str(Path(__file__).with_suffix(".mjs")), *urls],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "CHROME_PATH": "/usr/bin/chromium",
            "LIGHTHOUSE_CHROME_FLAGS": CHROME_FLAGS,
            "LIGHTHOUSE_CATEGORIES": ",".join(categories),
        },
        check=True,
        capture_output=True,
        text=True,
    )
    scores = {}
    for line in result.stdout.splitlines():
        page = json.loads(line)
        if page["errors"]:
            raise RuntimeError(f"Lighthouse could not score {page['url']}: {page['errors']}")
        scores[page["url"]] = {name: page["scores"][name] for name in categories}
    return scores


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the site is built for it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def article_paths(output: Path) -> list[str]:
    """URL paths of the built articles, in every language (/articles/x/, /es/articles/x/)."""
    pages = [*output.glob("articles/*/index.html"), *output.glob("*/articles/*/index.html")]
    return sorted("/" + page.parent.relative_to(output).as_posix() + "/" for page in pages)


def main(argv: list[str] | None = None) -> int:
    """Build, serve and score; print a table; return 1 if any score is under 100."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", nargs="*", help="URL paths (default: / and every article)")
    args = parser.parse_args(argv)
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        build(output, siteurl)
        paths = args.pages or ["/", *article_paths(output)]
        all_perfect = True
        with serve_folder(output, port):
            print(f"{'page':45} " + " ".join(f"{name:>14}" for name in CATEGORIES))
            every = lighthouse_scores([siteurl + path for path in paths])
            for path in paths:
                scores = every[siteurl + path]
                all_perfect &= all(score == 100 for score in scores.values())
                print(f"{path:45} " + " ".join(f"{scores[name]:>14}" for name in CATEGORIES))
    return 0 if all_perfect else 1


if __name__ == "__main__":
    sys.exit(main())
