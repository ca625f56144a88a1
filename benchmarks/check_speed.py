"""Time the writer's fast check (``invoke check`` without ``--full``) as the site grows.

Makes N synthetic articles with the build benchmark's generator (``build_scale.write_content``:
the real pages plus N articles) in a temporary folder, and times in this process: the first
run of the whole check (its caches empty: ``.cache/pelican/check/`` of that folder), the median
of 3 warm runs of the whole check, and the median of 3 warm runs of ``invoke check FILE`` for
one article (``run_named_check``), each with the settings read again as ``invoke check`` reads
them; and, once, what a new `invoke check` process spends importing before it checks. Each
figure is wall seconds and CPU seconds, with the load average.

    .venv/bin/python benchmarks/check_speed.py                 # the shipped site (0) and 1,000
    .venv/bin/python benchmarks/check_speed.py --sizes 1000,5000
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# benchmarks/ is this script's folder, so build_scale imports as a module; plugins/ comes from
# the venv's site-kit.pth (./quickstart).
from build_scale import write_content  # the one article generator
from content_check.runner import load_pelican_settings, run_fast_check, run_named_check

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The article `invoke check FILE` names: one of the shipped ones (the synthetic ones link to it).
NAMED = "content/articles/is-ketamine-safe.md"


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_of(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """The median wall and CPU seconds of ``runs`` calls."""
    times = [timed(run) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def imports(runs: int) -> tuple[float, float]:
    """The median wall and CPU seconds of a process that imports what `invoke check` imports
    before it checks (tasks.py, commands/check.py and the check's modules)."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import tasks, commands.check"],
                       cwd=PROJECT_ROOT, check=True)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        times.append((time.perf_counter() - wall, cpu))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(size: int, settings: dict, runs: int) -> None:
    """Print the first run, the warm whole check and the warm check of one file at ``size``."""
    with tempfile.TemporaryDirectory(prefix="check-speed-") as scratch:
        root = Path(scratch)
        content = write_content(root, size)
        settings = {**settings, "PATH": str(content)}
        outcome: list = []

        def whole() -> None:
            outcome[:] = run_fast_check(root, settings=dict(settings))

        def one_file() -> None:
            found = run_named_check(root, frozenset({NAMED}), settings=dict(settings))
            assert found is not None, NAMED

        first = timed(whole)
        findings, checked = outcome
        warm = median_of(whole, runs)
        named = median_of(one_file, runs)
        print(f"{size} articles: {checked} files, {len(findings)} findings (load {load()})")
        for label, (wall, cpu) in (("first run", first), (f"warm (median of {runs})", warm),
                                   (f"check FILE, warm (median of {runs})", named)):  # fmt: skip
            print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0,1000", help="synthetic articles (0: shipped site)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (the median is shown)")
    args = parser.parse_args()
    print(f"check_speed: load {load()}")
    settings = load_pelican_settings(PROJECT_ROOT, production=False)
    wall, cpu = timed(lambda: load_pelican_settings(PROJECT_ROOT, production=False))
    print(f"reading pelicanconf.py (once per `invoke check`): {wall:.2f} s wall, {cpu:.2f} s CPU")
    wall, cpu = imports(args.runs)
    print(f"starting: Python importing tasks.py and the check (median of {args.runs}): "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU")  # fmt: skip
    for size in (int(value) for value in args.sizes.split(",")):
        measure(size, settings, args.runs)
    print(f"load {load()}")


if __name__ == "__main__":
    main()
