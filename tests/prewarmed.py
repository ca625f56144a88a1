"""`python -m invoke ARGS` in a folder, run in a process forked from one that has already
imported invoke and Pelican.

Dozens of tests run a task that refuses or answers in a fraction of a second (`publish` to a
folder it could destroy, `new` with a bad title); a new interpreter spends about 0.25 s of CPU
importing the two libraries first, a third of the quick loop's biggest file. Here a helper
process imports them once (only the libraries: the project's tasks and plugins are imported
by each command, from its own folder, as always), then forks one child per command. The child
takes the command's folder, environment, arguments and output files and runs invoke's
``__main__`` as ``python -m invoke`` does; it ends as a fresh interpreter would, through
Python's own exit (atexit handlers, finalizers, non-daemon threads), with the command's exit
status. Commands that must be a fresh process of their own (a signal to a process group,
output read while it runs) keep using ``subprocess``.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The helper: import the libraries, then answer each request line with the forked child's pid
# and, once it ends, its exit status. The child leaves the loop and runs the command below it.
HELPER = r"""
import io, json, os, runpy, sys, tempfile
import invoke.main, invoke.program, pelican.settings  # what every command imports first

def next_request():
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            sys.exit(0)
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            return request
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)

request = next_request()
os.chdir(request["cwd"])
os.environ.clear()
os.environ.update(request["env"])
tempfile.tempdir = None  # TMPDIR is the command's
for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                        (1, request["stdout"], os.O_WRONLY | os.O_TRUNC),
                        (2, request["stderr"], os.O_WRONLY | os.O_TRUNC)):
    opened = os.open(path, flags)
    os.dup2(opened, fd)
    os.close(opened)
# Standard streams as Python makes them for a command whose output is captured: block-buffered
# stdout, line-buffered stderr; both written through at once under PYTHONUNBUFFERED.
unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
def stream(fd, **options):
    binary = open(fd, "wb", buffering=0 if unbuffered else -1, closefd=False)
    return io.TextIOWrapper(binary, encoding="utf-8", write_through=unbuffered, **options)
sys.stdin = open(0, encoding="utf-8", closefd=False)
sys.stdout = stream(1)
sys.stderr = stream(2, line_buffering=True, errors="backslashreplace")
sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
sys.argv = ["invoke", *request["args"]]
sys.path[0] = request["cwd"]  # as `python -m` puts it
runpy.run_module("invoke", run_name="__main__", alter_sys=True)
"""


class PrewarmedInvoke:
    """One helper process for this test process, started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._helper: subprocess.Popen | None = None
        self._outputs = Path(tempfile.mkdtemp(prefix="prewarmed-invoke-"))
        self._pending = b""  # what the helper wrote after the last line taken
        atexit.register(self.close)

    def run(
        self, args: list[str], cwd: Path, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess:
        """``python -m invoke *args`` in ``cwd`` with exactly ``env``; its output as text.

        Raises ``subprocess.TimeoutExpired`` (the command killed) after ``timeout`` seconds.
        """
        with self._lock:
            helper = self._started()
            stdout, stderr = self._outputs / "stdout", self._outputs / "stderr"
            for path in (stdout, stderr):
                path.write_bytes(b"")
            request = {"args": args, "cwd": str(cwd), "env": env,
                       "stdout": str(stdout), "stderr": str(stderr)}  # fmt: skip
            helper.stdin.write(json.dumps(request).encode() + b"\n")
            helper.stdin.flush()
            pid = self._answer(helper, None)["pid"]  # type: ignore[index]
            answer = self._answer(helper, timeout)
            if answer is None:  # too slow: stop it, then take its status as usual
                os.kill(pid, signal.SIGKILL)
                self._answer(helper, None)
            out = stdout.read_text(encoding="utf-8")
            err = stderr.read_text(encoding="utf-8")
            if answer is None:
                raise subprocess.TimeoutExpired(["invoke", *args], timeout, out, err)
            return subprocess.CompletedProcess(["invoke", *args], answer["status"], out, err)

    def _started(self) -> subprocess.Popen:
        if self._helper is None or self._helper.poll() is not None:
            self._pending = b""
            self._helper = subprocess.Popen(
                [sys.executable, "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                cwd=self._outputs, bufsize=0,
            )  # fmt: skip
        return self._helper

    def _answer(self, helper: subprocess.Popen, timeout: float | None) -> dict | None:
        """The helper's next line, or None after ``timeout`` seconds (read unbuffered, so a
        line already read is never waited for)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([helper.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(helper.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the pre-warmed invoke helper stopped")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return json.loads(line)

    def close(self) -> None:
        """End the helper (its stdin closes: it exits) and remove the output files."""
        if self._helper is not None and self._helper.poll() is None:
            self._helper.stdin.close()
            self._helper.wait(timeout=10)
        shutil.rmtree(self._outputs, ignore_errors=True)


PREWARMED = PrewarmedInvoke()
