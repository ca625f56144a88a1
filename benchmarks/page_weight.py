"""What each page of the production build weighs: bytes raw and gzipped, by kind.

For every HTML page, adds up the page and what it loads from the site (stylesheets, scripts,
images, icons: ``<link href>``, ``<script src>``, ``<img src>``/``srcset``), counted once per
page, raw and gzipped (level 9), by kind (HTML, CSS, JS, images). Largest pages first.
An article's handout (the PDF beside it, which the page links to but does not load) is its own
column, left out of the page's total, with its number of sheets.

    .venv/bin/python benchmarks/page_weight.py              # builds the site and its handouts
    .venv/bin/python benchmarks/page_weight.py --site DIR   # an existing production build
    .venv/bin/python benchmarks/page_weight.py --top 10
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SITEURL = "http://127.0.0.1:8000"
KINDS = {
    ".html": "HTML",
    ".css": "CSS",
    ".js": "JS",
    ".mjs": "JS",
    ".svg": "images",
    ".png": "images",
    ".jpg": "images",
    ".jpeg": "images",
    ".webp": "images",
    ".avif": "images",
    ".gif": "images",
    ".ico": "images",
}
COLUMNS = ("HTML", "CSS", "JS", "images")


class _Resources(HTMLParser):
    """Collects the URLs of what a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "").split()
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
            self.urls.append(values.get("href", ""))
        elif tag in ("script", "img", "source") and values.get("src"):
            self.urls.append(values["src"])
        if values.get("srcset"):
            self.urls += [item.strip().split()[0] for item in values["srcset"].split(",")]


def resources(html: str) -> list[str]:
    """The URLs a page loads (stylesheets, scripts, images, icons)."""
    parser = _Resources()
    parser.feed(html)
    return [url for url in parser.urls if url]


def local_file(site: Path, page: Path, url: str) -> Path | None:
    """The file behind a URL of the site (absolute, root-relative or relative), if any."""
    parts = urlsplit(url)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != SITEURL:
        return None
    if parts.path.startswith("/"):
        target = site / parts.path.lstrip("/")
    else:
        target = page.parent / parts.path
    return target if target.is_file() else None


@functools.cache
def sizes(file: Path) -> tuple[int, int]:
    """(raw bytes, gzipped bytes) of one file."""
    data = file.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def page_weights(site: Path) -> list[tuple[str, dict[str, list[int]]]]:
    """Per page: {kind: [raw, gzipped]} for the page and everything it loads."""
    result = []
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.relative_to(site).parts:
            continue
        files = {page}
        html = page.read_text(encoding="utf-8")
        for url in resources(html):
            target = local_file(site, page, url)
            if target is not None:
                files.add(target.resolve())
        weights = {kind: [0, 0] for kind in COLUMNS}
        for file in files:
            kind = KINDS.get(file.suffix.lower())
            if kind:
                raw, zipped = sizes(file)
                weights[kind][0] += raw
                weights[kind][1] += zipped
        relative = page.relative_to(site).as_posix()
        url = "/" + (
            relative[: -len("index.html")] if relative.endswith("index.html") else relative
        )
        result.append((url, weights))
    result.sort(key=lambda item: -sum(raw for raw, _ in item[1].values()))
    return result


def build(output: Path) -> None:
    """A production build of the real site into ``output``, with its handouts."""
    from handouts import write_handouts

    command = [
        sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", str(output),
        "--fatal", "warnings", "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false", "HANDOUTS=true",
    ]  # fmt: skip
    env = {**os.environ, "SITEURL": SITEURL}
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    report = write_handouts(output, cache_dir=output.parent / "handout-cache")
    if report.failures:
        sys.exit("\n".join(report.failures))


def handout_weights(site: Path) -> dict[str, tuple[int, int]]:
    """Per article page with a handout beside it: (PDF bytes, sheets)."""
    from handouts import handout_path
    from pypdf import PdfReader

    result = {}
    for page in site.rglob("index.html"):
        pdf = handout_path(page)
        if pdf.is_file():
            url = "/" + page.parent.relative_to(site).as_posix() + "/"
            result[url] = (pdf.stat().st_size, len(PdfReader(pdf).pages))
    return result


def kb(value: int) -> str:
    """Bytes as KB with one decimal."""
    return f"{value / 1000:6.1f}"


def main() -> None:
    """Build (or take) the site and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an existing production build")
    parser.add_argument("--top", type=int, default=0, help="print only the N largest pages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="page-weight-") as temporary:
        site = args.site
        if site is None:
            site = Path(temporary) / "output"
            build(site)
        rows = page_weights(site)
        handouts = handout_weights(site)
        print_table(rows[: args.top] if args.top else rows, handouts)
        pages = len(rows)
        average = sum(sum(raw for raw, _ in w.values()) for _, w in rows) / max(pages, 1)
        print(f"\n{pages} pages; average page with its files: {average / 1000:.1f} KB raw")
        if handouts:
            sizes_kb = sorted(size / 1000 for size, _ in handouts.values())
            sheets = sum(count for _, count in handouts.values()) / len(handouts)
            print(
                f"{len(handouts)} handouts (PDF): average {sum(sizes_kb) / len(sizes_kb):.1f} KB, "
                f"largest {sizes_kb[-1]:.1f} KB, {sheets:.1f} sheets on average"
            )


def print_table(
    rows: list[tuple[str, dict[str, list[int]]]], handouts: dict[str, tuple[int, int]]
) -> None:
    """One line per page: total and each kind, raw and gzipped; then its handout, if any."""
    header = "".join(f"{kind:>16}" for kind in COLUMNS)
    print(f"{'page':<44}{'total':>16}{header}{'handout PDF':>16}")
    print(
        f"{'':<44}"
        + f"{'raw KB':>7}{'gz KB':>7}  " * (len(COLUMNS) + 1)
        + f"{'KB':>7}{'sheets':>7}"
    )
    for url, weights in rows:
        total = [sum(raw for raw, _ in weights.values()), sum(gz for _, gz in weights.values())]
        cells = "".join(f"{kb(raw):>7}{kb(gz):>7}  " for raw, gz in [total, *weights.values()])
        if url in handouts:
            size, sheets = handouts[url]
            cells += f"{kb(size):>7}{sheets:>7}"
        print(f"{url[:43]:<44}{cells}".rstrip())


if __name__ == "__main__":
    main()
