"""Reading Markdown (and typography) in worker processes changes no byte of the site, and no
error message."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import PROJECT_ROOT
from parallel_read import parallel_read

SYNTHETIC_ARTICLES = 24  # more than parallel_read.MIN_FILES, with the real content beside them


def load_build_scale() -> ModuleType:
    """benchmarks/build_scale.py, whose article generator makes realistic articles."""
    path = PROJECT_ROOT / "benchmarks" / "build_scale.py"
    spec = importlib.util.spec_from_file_location("build_scale", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def build(content: Path, output: Path, parallel: bool) -> subprocess.CompletedProcess[str]:
    """A production build of ``content`` (search index off: it is not what is compared)."""
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", "publishconf.py", "-o", str(output),
        "--fatal", "warnings", "--verbose",
        "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false", "SEARCH_INDEX=false",
        f"PARALLEL_READING={str(parallel).lower()}", f'CACHE_PATH="{output.parent / "cache"}"',
    ]  # fmt: skip
    env = {**os.environ, "SITEURL": "https://clinic.example", "COLUMNS": "400"}
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


def typography_counts(log: str) -> tuple[int, int]:
    """plugins/typography's report: (texts from the cache, texts typogrified)."""
    found = re.search(r"typography: (\d+) from the cache, (\d+) typogrified", log)
    assert found, log[-2000:]
    return int(found.group(1)), int(found.group(2))


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_parallel_and_serial_builds_are_identical(tmp_path: Path) -> None:
    assert SYNTHETIC_ARTICLES >= parallel_read.MIN_FILES
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    parallel = build(content, tmp_path / "parallel" / "output", parallel=True)
    serial = build(content, tmp_path / "serial" / "output", parallel=False)
    assert parallel.returncode == 0, parallel.stdout + parallel.stderr
    assert serial.returncode == 0, serial.stdout + serial.stderr
    assert "parallel_read: 28 file(s) converted in" in parallel.stdout + parallel.stderr
    assert "parallel_read" not in serial.stdout + serial.stderr
    # The workers typogrified the articles into the (empty) typography cache: the main process
    # only reads it back. The serial build, with its own empty cache, typogrifies everything.
    hits, misses = typography_counts(parallel.stdout + parallel.stderr)
    assert hits >= 2 * 28 and misses < hits / 2, (hits, misses)
    assert typography_counts(serial.stdout + serial.stderr)[0] == 0

    parallel_files = files_of(tmp_path / "parallel" / "output")
    serial_files = files_of(tmp_path / "serial" / "output")
    assert sorted(parallel_files) == sorted(serial_files)
    different = [name for name in serial_files if parallel_files[name] != serial_files[name]]
    assert not different, different[:10]
    assert len([name for name in serial_files if name.startswith("articles/")]) > 28


@pytest.mark.slow
def test_a_broken_file_fails_the_same_way(tmp_path: Path) -> None:
    content = load_build_scale().write_content(tmp_path, SYNTHETIC_ARTICLES)
    broken = content / "articles" / "synthetic-7.md"
    broken.write_bytes(broken.read_bytes().replace(b"Synthetic guide", b"Synth\xe9tic guide", 1))
    messages = []
    for parallel in (True, False):
        result = build(content, tmp_path / str(parallel) / "output", parallel)
        assert result.returncode != 0
        log = result.stdout + result.stderr
        lines = [line for line in log.splitlines() if "synthetic-7.md" in line]
        assert lines, log[-2000:]
        messages.append([line.split("]", 1)[-1].strip() for line in lines])
    assert messages[0] == messages[1]
