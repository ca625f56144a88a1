"""No hidden order: the site is the same whatever order a signal calls its receivers in.

Blinker keeps a signal's receivers in a set, so the order in which two plugins' handlers of
the same signal run is an accident of memory layout. A production build with every signal's
receivers called in reverse order must give the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

REVERSED_BUILD = """
import sys
import blinker

called_in_order = blinker.Signal.receivers_for

def reversed_order(self, sender):
    return iter(list(called_in_order(self, sender))[::-1])

if sys.argv.pop(1) == "reversed":
    blinker.Signal.receivers_for = reversed_order

from pelican import main
main()
"""


def build(output: Path, order: str) -> None:
    command = [
        sys.executable, "-c", REVERSED_BUILD, order, "content", "-s", "publishconf.py",
        "-o", str(output), "--fatal", "warnings", "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false",
        f'CACHE_PATH="{output.parent / (order + "-cache")}"', "PRECOMPRESS=true",
    ]  # fmt: skip
    env = {**os.environ, "SITEURL": "https://clinic.test"}
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_receivers_in_reverse_order_build_the_same_bytes(tmp_path: Path) -> None:
    build(tmp_path / "as-connected", "as-connected")
    build(tmp_path / "reversed", "reversed")
    first, second = files_of(tmp_path / "as-connected"), files_of(tmp_path / "reversed")
    assert sorted(first) == sorted(second)
    assert len([name for name in first if name.endswith(".gz")]) > 10  # every step ran
    different = [name for name in first if first[name] != second[name]]
    assert not different, different[:10]
