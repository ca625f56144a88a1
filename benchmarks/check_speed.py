"""Time the writer's fast check (``invoke check`` without ``--full``) as the site grows.

Generates N copies of a shipped article (each with its own slug and title) in a temporary
folder next to the real pages, and times the check in this process, median of 3 runs.

    .venv/bin/python benchmarks/check_speed.py            # shipped site, 100 and 1,000 articles
    .venv/bin/python benchmarks/check_speed.py 1000 5000
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from content_check.runner import load_pelican_settings, run_fast_check

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def time_check(root: Path, settings: dict, runs: int = 3) -> tuple[float, int, int]:
    """(median seconds, files checked, findings) of the fast check."""
    times, checked, findings = [], 0, []
    for _ in range(runs):
        started = time.perf_counter()
        findings, checked = run_fast_check(root, settings=settings)
        times.append(time.perf_counter() - started)
    return statistics.median(times), checked, len(findings)


def synthetic_site(folder: Path, articles: int) -> Path:
    """A content/ folder with ``articles`` copies of the shipped articles, plus the pages."""
    content = folder / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    shipped = sorted((PROJECT_ROOT / "content" / "articles").glob("*.md"))
    for page in (PROJECT_ROOT / "content" / "pages").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for index, other in enumerate(shipped):  # pages link to the first copy of each
            text = text.replace(f"articles/{other.name}", f"articles/{other.stem}-{index}.md")
        (content / "pages" / page.name).write_text(text, encoding="utf-8")
    for n in range(articles):
        source = shipped[n % len(shipped)]
        text = source.read_text(encoding="utf-8")
        slug = source.stem
        text = text.replace(f"Slug: {slug}", f"Slug: {slug}-{n}", 1)
        text = text.replace("Title: ", f"Title: ({n}) ", 1)
        for other in shipped:  # keep {filename} links pointing at a copy that exists
            text = text.replace(f"{{filename}}{other.name}", f"{{filename}}{other.stem}-"
                                f"{n - n % len(shipped) + shipped.index(other)}.md")  # fmt: skip
        (content / "articles" / f"{slug}-{n}.md").write_text(text, encoding="utf-8")
    return content


def main() -> None:
    """Print the figures."""
    sizes = [int(arg) for arg in sys.argv[1:]] or [100, 1000]
    settings = load_pelican_settings(PROJECT_ROOT, production=False)
    seconds, checked, findings = time_check(PROJECT_ROOT, settings)
    print(f"shipped site: {checked} files, {findings} findings, {seconds:.2f} s (median of 3)")
    started = time.perf_counter()
    load_pelican_settings(PROJECT_ROOT, production=False)
    print(f"  reading pelicanconf.py (once per `invoke check`): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="check-speed-") as scratch:
            content = synthetic_site(Path(scratch), size)
            seconds, checked, findings = time_check(
                Path(scratch), {**settings, "PATH": str(content)}
            )
            print(f"{size} articles: {checked} files, {findings} findings, {seconds:.2f} s "
                  f"({1000 * seconds / checked:.1f} ms a file)")  # fmt: skip


if __name__ == "__main__":
    main()
