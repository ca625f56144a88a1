"""Time the writer's fast check (``invoke check`` without ``--full``) as the site grows.

Makes N synthetic articles with the build benchmark's generator (``build_scale.write_content``:
the real pages plus N articles) in a temporary folder, and times the check in this process:
the first run (its per-file cache empty: ``.cache/pelican/check/`` of that folder), then the
median of 3 warm runs, each with the settings read again as ``invoke check`` reads them.

    .venv/bin/python benchmarks/check_speed.py            # the shipped site (0 added) and 1,000
    .venv/bin/python benchmarks/check_speed.py 1000 5000
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/ is this script's folder, so build_scale imports as a module; plugins/ comes from
# the venv's site-kit.pth (./quickstart).
from build_scale import write_content  # the one article generator
from content_check.runner import load_pelican_settings, run_fast_check

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def time_check(root: Path, settings: dict, runs: int = 3) -> tuple[float, float, int, int]:
    """(first run's seconds, median of ``runs`` warm runs, files checked, findings)."""
    times, checked, findings = [], 0, []
    for _ in range(runs + 1):
        started = time.perf_counter()
        findings, checked = run_fast_check(root, settings=dict(settings))
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:]), checked, len(findings)


def main() -> None:
    """Print the figures."""
    sizes = [int(arg) for arg in sys.argv[1:]] or [0, 1000]
    print(f"check_speed: load {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    settings = load_pelican_settings(PROJECT_ROOT, production=False)
    started = time.perf_counter()
    load_pelican_settings(PROJECT_ROOT, production=False)
    print(f"reading pelicanconf.py (once per `invoke check`): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="check-speed-") as scratch:
            content = write_content(Path(scratch), size)
            first, warm, checked, findings = time_check(
                Path(scratch), {**settings, "PATH": str(content)}
            )
            print(f"{size} articles: {checked} files, {findings} findings; first run "
                  f"{first:.2f} s, warm {warm:.2f} s (median of 3; "
                  f"{1000 * warm / checked:.1f} ms a file)")  # fmt: skip
    print(f"load {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
