"""The publisher's wait as the site grows: ``invoke publish`` and its full audit, at N articles.

For each N it generates N synthetic articles with ``build_scale.py``'s generator (about 800
words each, beside a copy of the real pages), in a temporary copy of the project (settings,
tasks and the kit's plugins and theme, the clinic's details supplied, every article reviewed),
then times, each in a fresh process:

1. **first publish**: ``invoke publish --target folder`` with an empty audit cache: the build,
   the writer's check, the full audit of every page (links, Nu HTML Checker, axe-core: content
   rules on every page, colours in light and dark on each template shape and the specimen; one
   search) and the transfer;
2. **nothing changed**: the same publish again;
3. **one article edited**: a sentence added to one article, then the same publish.

It prints the wall time of each publish, its CPU time (the publish and every process it
started: Pelican, Java, Chromium) and that over the cores, which is what the publish would take
on an otherwise idle machine, and, from the audit's progress lines (each step says how long it
took), the time of each audit step; the ``audit`` figure is their sum. ``--kit``
runs another checkout's plugins and tasks (``--kit PATH``, a checkout of the earlier commit,
gives the figures before this work; that kit prints no step times, so its audit is the
publish minus a separate build).

    .venv/bin/python benchmarks/audit_scale.py --sizes 100
    .venv/bin/python benchmarks/audit_scale.py --sizes 100,1000      # 1,000 takes a while
    .venv/bin/python benchmarks/audit_scale.py --sizes 100 --kit ~/old-checkout   # before

Figures only: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SITEURL = "https://www.clinic.test"
TICKS = os.sysconf("SC_CLK_TCK")
# A clinic that has supplied its details (test data; ".test" is a reserved top-level domain).
SUPPLIED_CLINIC = """
CLINIC = {
    "name": "Westside Pain Specialists",
    "offices": [
        {"name": "Benchmark Office", "street": "1 Test Road", "locality": "Testville",
         "region": "CA", "postal_code": "90001", "country": "US", "phone": "(310) 555-2368"},
    ],
    "booking_url": "https://booking.clinic.test/westside",
    "contact_url": "https://forms.clinic.test/westside/contact",
}
LANGUAGES["en"]["clinic_rules"] = {"after_treatment": {
    "heading": "Our clinic's advice for the rest of the day",
    "text": ["Benchmark wording the clinic has confirmed."]}}
LANGUAGES["es"]["clinic_rules"] = {"after_treatment": {
    "heading": "El consejo de nuestra clínica para el resto del día",
    "text": ["Texto de prueba que la clínica ha confirmado."]}}
LANGUAGE_HELP = {
    "en": {"name": "English", "link": "Language help", "text": "Test: ask us for an interpreter."},
    "es": {"name": "Español", "link": "Ayuda con el idioma", "text": "Prueba: pida un intérprete."},
}
REVIEWERS = {"test-reviewer": {"name": "Test Reviewer", "credentials": "MD", "role": "clinician",
                               "title": "Test physician"}}
AUTHORS = {"editorial-team": {"name": "Westside Pain Specialists editorial team", "kind": "team",
                              "names": {"es": "Equipo editorial de Westside Pain Specialists"}}}
# The synthetic text is random words with three references: the writer's check would refuse it
# for readability and references, so those rules are relaxed; the audit is what is measured.
CHECK_MIN_REFERENCES = 3
CHECK_MAX_GRADE = 30
CHECK_MAX_SMOG = 30
"""
STEP_DONE = re.compile(r"^(?P<label>[^:\n]+): done(?:, [\d,]+ [^\n]*?)? in (?P<took>[^\n]+)$", re.M)
AUDIT_STEPS = (
    "Links in the built site",
    "HTML check (Nu)",
    "Specimen page (build)",
    "Accessibility (axe-core)",
    "Search check",
)


def load_build_scale():
    """benchmarks/build_scale.py as a module: its article generator and its process timer."""
    spec = importlib.util.spec_from_file_location(
        "build_scale", PROJECT_ROOT / "benchmarks" / "build_scale.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_scale"] = module
    spec.loader.exec_module(module)
    return module


build_scale = load_build_scale()


def mark_reviewed(content: Path) -> None:
    """Benchmark data: every article and translation signed off today by the test reviewer,
    written as ``invoke review`` writes it (publishing refuses unreviewed ones)."""
    from clinical_review.review import format_history_line
    from clinical_review.signoff import replace_fields, review_fields
    from dates import add_months

    today = dt.date.today()
    entry = format_history_line(today, "test-reviewer", "Benchmark review")
    fields = review_fields("test-reviewer", today, add_months(today, 24), [entry])
    for path in [*content.glob("articles/**/*.md"), *content.glob("pages/*/**/*.md")]:
        path.write_text(replace_fields(path.read_text(encoding="utf-8"), fields), "utf-8")


def make_project(folder: Path, kit: Path, content: Path) -> Path:
    """A project to publish from: ``kit``'s settings and tasks (copied, so that they find this
    folder's content), its plugins and Node tools (linked), its theme and ``content`` (copied:
    publishing refuses sources from outside the project)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in ("tasks.py", "publishconf.py", "pelicanconf.py"):
        shutil.copy2(kit / name, folder / name)
    with (folder / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(SUPPLIED_CLINIC)
    for name in ("plugins", "node_modules"):
        (folder / name).symlink_to(kit / name)
    shutil.copytree(kit / "theme", folder / "theme")
    shutil.copytree(content, folder / "content")
    return folder


@dataclass
class Publish:
    """One timed publish and the audit steps' times it printed (seconds)."""

    seconds: float
    ok: bool
    steps: dict[str, float]
    log: str
    cpu: float  # CPU seconds of the publish and every process it started
    load: float  # the machine's load average (1 minute) when it ended

    @property
    def audit(self) -> float | None:
        """The audit's own time: the sum of its steps (None when the kit prints no steps)."""
        times = [self.steps[label] for label in AUDIT_STEPS if label in self.steps]
        return sum(times) if times else None


def seconds_of(text: str) -> float:
    """``1 min 05 s`` -> 65.0."""
    minutes = re.search(r"(\d+) min", text)
    secs = re.search(r"(\d+) s", text)
    return 60 * int(minutes.group(1) if minutes else 0) + int(secs.group(1) if secs else 0)


def cpu_seconds(pid: int) -> float:
    """A process's own CPU time so far (user + system), 0 when it has gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def run_sampled(
    command: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, int, str, float]:
    """Run ``command``: (wall seconds, exit status, output, CPU seconds of its process tree).

    The CPU time is sampled from /proc for the command and every process under it, since
    the kernel does not count processes that are reaped elsewhere (Chromium's renderers) in
    the parent's own figures; a process's last quarter-second may be missed.
    """
    used: dict[int, float] = {}
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        while process.poll() is None:
            for pid in [process.pid, *build_scale._children(process.pid)]:
                used[pid] = max(used.get(pid, 0.0), cpu_seconds(pid))
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        output.seek(0)
        log = output.read()
    return seconds, process.returncode, log, sum(used.values())


def publish(project: Path, destination: Path) -> Publish:
    """``invoke publish --target folder`` in ``project``, timed in a fresh process."""
    command = [build_scale.PYTHON, "-m", "invoke", "publish", "--target", "folder",
               "--dest", str(destination)]  # fmt: skip
    env = {**os.environ, "SITEURL": SITEURL}
    seconds, status, log, cpu = run_sampled(command, project, env)
    steps = {m["label"]: seconds_of(m["took"]) for m in STEP_DONE.finditer(log)}
    return Publish(seconds, status == 0, steps, log, cpu, os.getloadavg()[0])


def edit_one_article(content: Path) -> None:
    """What a writer does between two publishes: one sentence more in one article."""
    article = content / "articles" / "synthetic-1.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nOne more sentence from the writer.\n", encoding="utf-8")


def report(label: str, run: Publish, build_seconds: float) -> str:
    """One line: the whole publish, the audit and each of its steps."""
    audit = run.audit
    if audit is None:  # a kit without progress lines: what is not the build
        audit_text = f"audit about {run.seconds - build_seconds:6.1f} s (publish - build)"
    else:
        parts = ", ".join(f"{name} {run.steps[name]:.0f} s" for name in AUDIT_STEPS
                          if name in run.steps)  # fmt: skip
        audit_text = f"audit {audit:6.1f} s ({parts})"
    status = "" if run.ok else "  FAILED"
    cores = os.cpu_count() or 1
    return (
        f"  {label:<20} publish {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s, / {cores} cores"
        f" = {run.cpu / cores:6.1f} s; load {run.load:4.1f})   {audit_text}{status}"
    )


def bench(work: Path, count: int, kit: Path) -> None:
    """Generate ``count`` articles and time the three publishes."""
    content = build_scale.write_content(work, count)
    mark_reviewed(content)
    project = make_project(work / "project", kit, content)
    build = build_scale.build_ours(work, content)
    destination = work / "www"
    print(f"\nN = {count:,} articles (kit: {kit}); production build alone {build.seconds:.1f} s")
    runs = [("first publish", publish(project, destination))]
    runs.append(("nothing changed", publish(project, destination)))
    edit_one_article(project / "content")
    runs.append(("one article edited", publish(project, destination)))
    for label, run in runs:
        print(report(label, run, build.seconds))
    for label, run in runs:
        if not run.ok:
            print(f"\n{label} failed:\n" + run.log[-3000:])
    pages = sum(1 for _ in (destination.rglob("*.html"))) if destination.exists() else 0
    print(f"  pages published: {pages:,} HTML files")


def audit_once(work: Path, content: Path) -> Publish:
    """The full audit alone (``run_full_audit``, what ``invoke check --full`` and publish run
    after the build) of the production build in ``work``/out-ours, in a fresh process."""
    command = [build_scale.PYTHON, str(Path(__file__).resolve()), "--audit-site",
               str(work / "out-ours"), "--content", str(content),
               "--cache", str(work / "audit-cache")]  # fmt: skip
    # The address build_ours built the site for: served anywhere else, its absolute links
    # (stylesheet, icon) would be refused by its own CSP.
    env = {**os.environ, "SITEURL": build_scale.SITEURL}
    seconds, status, log, cpu = run_sampled(command, PROJECT_ROOT, env)
    steps = {m["label"]: seconds_of(m["took"]) for m in STEP_DONE.finditer(log)}
    return Publish(seconds, status == 0, steps, log, cpu, os.getloadavg()[0])


def audit_site(site: Path, content: Path, cache: Path) -> None:
    """In the child process: audit ``site`` (built from ``content`` with publishconf.py) with
    the audit cache under ``cache``; progress on stderr, the findings' codes on stdout."""
    from collections import Counter

    from content_check.audit import run_full_audit
    from content_check.progress import Progress
    from pelican.settings import read_settings

    override = {"PATH": str(content), "OUTPUT_PATH": str(site), "CACHE_PATH": str(cache)}
    settings = read_settings(str(PROJECT_ROOT / "publishconf.py"), override=override)
    with Progress(sys.stderr, interactive=False) as progress:
        findings = run_full_audit(site, settings, PROJECT_ROOT, progress)
    print(dict(Counter(finding.code for finding in findings)))


def bench_audit(work: Path, count: int) -> None:
    """Generate ``count`` articles, build them, and time the audit three times."""
    content = build_scale.write_content(work, count)
    build = build_scale.build_ours(work, content)
    print(f"\nN = {count:,} articles; production build {build.seconds:.1f} s; the audit alone:")
    runs = [("first audit", audit_once(work, content))]
    runs.append(("nothing changed", audit_once(work, content)))
    edit_one_article(content)
    rebuild = build_scale.build_ours(work, content)
    runs.append(("one article edited", audit_once(work, content)))
    for label, run in runs:
        print(report(label, run, 0.0).replace("publish", "audit  ", 1))
    print(f"  (the edited site's build, not counted: {rebuild.seconds:.1f} s)")
    for label, run in runs:
        findings = run.log.strip().splitlines()[-1] if run.log.strip() else ""
        print(f"  {label}: findings by code {findings}")
        if not run.ok:
            print(f"\n{label} failed:\n" + run.log[-3000:])
    print(f"  pages audited: {len(list((work / 'out-ours').rglob('*.html'))):,} HTML files")


def main() -> None:
    """Generate, publish three times per size, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--audit-only",
        action="store_true",
        help="time the full audit alone (no publish, check or transfer)",
    )
    parser.add_argument("--audit-site", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--content", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--kit", type=Path, default=PROJECT_ROOT, help="the checkout to run")
    parser.add_argument("--work-dir", default=None, help="where the temporary folder goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.audit_site:
        audit_site(args.audit_site, args.content, args.cache)
        return
    work = Path(tempfile.mkdtemp(prefix="audit-scale-", dir=args.work_dir))
    load = os.getloadavg()[0]
    print(f"audit_scale: {os.cpu_count()} CPU(s), load average {load:.1f} at start, in {work}")
    try:
        for count in (int(size) for size in args.sizes.split(",")):
            if args.audit_only:
                bench_audit(work, count)
            else:
                bench(work, count, args.kit.resolve())
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
