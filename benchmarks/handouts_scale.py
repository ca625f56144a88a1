"""Time to write the handouts as the site grows: first run (nothing kept) and cached run.

For each N, writes N synthetic articles with benchmarks/build_scale.py's generator (about 800
words, a care card, references) next to the real content, builds them for production with
``HANDOUTS`` on (not timed), then times ``write_handouts`` twice with one cache folder: the
first run prints every handout, the second finds them all unchanged and only copies them into
the site. Prints the figures, the PDF sizes and the machine's load average (other work on a
shared machine slows Chromium down).

    .venv/bin/python benchmarks/handouts_scale.py                 # N = 100
    .venv/bin/python benchmarks/handouts_scale.py --sizes 100,1000
    .venv/bin/python benchmarks/handouts_scale.py --jobs 1        # one browser page at a time
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SITEURL = "https://www.clinic.test"


def load_build_scale() -> ModuleType:
    """benchmarks/build_scale.py, whose article generator makes realistic articles."""
    path = PROJECT_ROOT / "benchmarks" / "build_scale.py"
    spec = importlib.util.spec_from_file_location("build_scale", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def build(work: Path, count: int) -> Path:
    """The real content plus ``count`` synthetic articles, built for production (not timed)."""
    build_scale = load_build_scale()
    content = build_scale.write_content(work, count)
    output = work / "output"
    shutil.rmtree(output, ignore_errors=True)
    command = build_scale.pelican_command(
        PROJECT_ROOT / "publishconf.py", content, output,
        "--fatal", "warnings", "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false",
        "SEARCH_INDEX=false", "HANDOUTS=true", f'CACHE_PATH="{work / "build-cache"}"',
    )  # fmt: skip
    env = {**os.environ, "SITEURL": SITEURL}
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"the build of {count} articles failed:\n{result.stdout}\n{result.stderr}")
    return output


def timed_run(site: Path, cache: Path, jobs: int | None) -> tuple[float, int, int]:
    """(seconds, printed, from the cache) of one ``write_handouts`` run."""
    from handouts import write_handouts

    started = time.perf_counter()
    report = write_handouts(site, cache_dir=cache, workers=jobs, stream=io.StringIO())
    seconds = time.perf_counter() - started
    if report.failures:
        sys.exit("\n".join(report.failures))
    return seconds, len(report.printed), len(report.cached)


def pdf_figures(site: Path) -> str:
    """The handouts' sizes: median, largest, total."""
    sizes = [pdf.stat().st_size / 1000 for pdf in site.rglob("*.pdf")]
    return (
        f"PDF size median {statistics.median(sizes):.0f} KB, largest {max(sizes):.0f} KB, "
        f"all {sum(sizes) / 1000:.1f} MB"
    )


def measure(work: Path, count: int, jobs: int | None) -> None:
    """Build ``count`` synthetic articles and print the two runs' figures."""
    site = build(work / f"n{count}", count)
    cache = work / f"n{count}" / "handout-cache"
    load_before = os.getloadavg()[0]
    first, printed, _ = timed_run(site, cache, jobs)
    cached, _, kept = timed_run(site, cache, jobs)
    load_after = os.getloadavg()[0]
    print(
        f"{count:>6} synthetic articles (and the real ones): {printed} handouts\n"
        f"        first run  {first:7.1f} s  ({first / printed * 1000:6.0f} ms per handout)\n"
        f"        cached run {cached:7.1f} s  ({cached / kept * 1000:6.0f} ms per handout)\n"
        f"        {pdf_figures(site)}\n"
        f"        load average (1 min) {load_before:.1f} before, {load_after:.1f} after",
        flush=True,
    )


def main() -> None:
    """Parse the sizes and print the figures for each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100", help="comma-separated article counts")
    parser.add_argument("--jobs", type=int, default=None, help="browser pages at once")
    parser.add_argument("--work-dir", type=Path, default=None, help="where to build")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; browser pages at once: {args.jobs or os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="handouts-scale-", dir=args.work_dir) as work:
        for count in (int(size) for size in args.sizes.split(",")):
            measure(Path(work), count, args.jobs)


if __name__ == "__main__":
    main()
