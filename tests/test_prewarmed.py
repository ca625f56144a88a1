"""tests/prewarmed.py: a command run from the pre-warmed helper answers exactly as
``python -m invoke`` started afresh does (output, exit status, folder, environment)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prewarmed import PREWARMED
from test_tasks import copy_project

TASKS = """
import os, sys, tempfile
from invoke import task

@task
def show(c):
    print(os.getcwd(), os.environ.get("MARK"), tempfile.gettempdir(), sys.dont_write_bytecode,
          sys.path[0], sys.argv[1:], sep="\\n")
    print("to stderr", file=sys.stderr)

@task
def fail(c):
    sys.exit(3)

@task
def crash(c):
    raise ValueError("a bug")

@task
def hang(c):
    import time
    print("started")
    time.sleep(60)
"""


def fresh(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_a_command_answers_as_in_a_fresh_interpreter(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(TASKS, encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "MARK": "mine", "TMPDIR": str(tmp_path / "tmp"),
           "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    for args in (["show"], ["fail"], ["crash"], ["--list"], ["no-such-task"]):
        ours, theirs = PREWARMED.run(args, tmp_path, env, 60), fresh(args, tmp_path, env)
        assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout), args
        if args == ["crash"]:  # the traceback's first frames are the helper's, then the same
            assert ours.stderr.splitlines()[-1] == "ValueError: a bug"
            assert theirs.stderr.splitlines()[-1] == "ValueError: a bug"
        else:
            assert ours.stderr == theirs.stderr, args
    shown = PREWARMED.run(["show"], tmp_path, env, 60).stdout.splitlines()
    assert shown[:5] == [str(tmp_path), "mine", str(tmp_path / "tmp"), "True", str(tmp_path)]
    assert not list(tmp_path.rglob("__pycache__")), "bytecode written despite the setting"


def test_the_projects_own_refusals_read_the_same(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    env |= {"SITEURL": "https://www.clinic.test", "PYTHONDONTWRITEBYTECODE": "1"}
    for args in (
        ["publish", "--target", "folder", "--dest", "content/articles"],
        ["new", "!!! ???"],
        ["clean", "--output", "."],
    ):
        ours, theirs = PREWARMED.run(args, project, env, 60), fresh(args, project, env)
        assert ours.returncode == theirs.returncode == 1, ours.stderr
        assert (ours.stdout, ours.stderr) == (theirs.stdout, theirs.stderr)


def test_a_command_that_takes_too_long_is_stopped_and_the_next_one_runs(tmp_path: Path) -> None:
    """Stopped after ``timeout``; what it printed unbuffered (PYTHONUNBUFFERED, as in CI) is kept,
    as a fresh interpreter's would be."""
    (tmp_path / "tasks.py").write_text(TASKS, encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with pytest.raises(subprocess.TimeoutExpired) as stopped:
        PREWARMED.run(["hang"], tmp_path, env, timeout=1)
    assert stopped.value.output == "started\n"
    assert PREWARMED.run(["fail"], tmp_path, env, 60).returncode == 3
