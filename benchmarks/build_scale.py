"""Build time and memory as the site grows: our production build against plain Pelican.

Generates N realistic synthetic articles (question headings, paragraphs with quotes and
abbreviations, lists, a care card, footnotes, tags from ``ALLOWED_TAGS``, about 800 words) into
a temporary folder, next to a copy of the real pages, images and extras. Then, for each N, it
builds them in fresh subprocesses:

- **ours**: publishconf.py (``SITEURL`` set, our theme and plugins, typography, search index),
  with ``REFUSE_EXAMPLE_CLINIC_DETAILS`` off;
- **plain**: Pelican's ``simple`` theme, no plugins, no typogrify, the same Python-Markdown
  extensions (not our own ``article_markup``).

Every build writes into a new, empty folder, as ``invoke publish`` does (removing the last
one is not timed). Plain and ours are built ``--rounds`` times in turn, and the median build
of each counts (issue 14's reading of the 1.5x target: cold, on the disk). It prints wall
time, time per article, and memory three ways: the Pelican process's own peak, the largest
single process (Pagefind's, in our build), and all the build's processes together (the search
indexer and the reading workers run beside Pelican); then the ratios ours / plain.
Then, at the largest N up to 1,000: a cold development build with the content cache on against
a warm rebuild after editing one article, and the time of the writer's fast check
(``python -m commands.check``) when it is present.

``--parts`` adds, in every round and in turn with the others, plain Pelican followed by
Pagefind's own command (``pagefind --site``: plain Pelican with the same search) and our first
build without one part (parallel reading, the search index) or with precompression; it then
prints the ratios like for like: our first build against plain Pelican with the same search,
and our first build without the search index against plain Pelican.

"ours, first build" has an empty reading cache (plugins/reading: Markdown and typography by
content hash); "ours, reading cached" is every later production build (only new or edited
articles are converted again).

    .venv/bin/python benchmarks/build_scale.py                    # N = 100, 1,000 and 5,000
    .venv/bin/python benchmarks/build_scale.py --sizes 100,1000   # quicker
    .venv/bin/python benchmarks/build_scale.py --sizes 1000 --typography  # typography's cost
    .venv/bin/python benchmarks/build_scale.py --sizes 1000 --parts   # what each step costs
    .venv/bin/python benchmarks/build_scale.py --work-dir /dev/shm   # files in memory
    .venv/bin/python benchmarks/build_scale.py --sizes 1000 --reading  # a reading worker's CPU

``--reading`` builds nothing: it converts the synthetic articles in this one process, as a
reading worker does each file (``reading.convert``, the allow-list, the JSON the cache keeps),
and prints the CPU milliseconds per article (the median of three passes). A cold production
build spends most of its CPU there (issue 26).

Creating a file costs this machine's disk 0.3-0.7 ms (a kernel profile of our build: ext4
inode allocation was 18 % of all CPU samples). Our build creates more files and folders than
plain Pelican's (a folder per article for its address, Pagefind's fragments, and ``.gz``/``.br``
siblings when ``PRECOMPRESS`` is on), so ``--work-dir /dev/shm`` shows the builds' own cost
apart from the disk's.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SITEURL = "http://127.0.0.1:8000"
# How often the memory of the measured process tree is sampled. Every 20 ms, reading each
# process's smaps_rollup (which takes its memory map's lock) and every /proc/*/stat cost a
# busy build measurable time, more for ours (three processes on both cores) than for plain
# Pelican (one): our first build of 1,000 articles took 13.1 s sampled so, 11.2 s sampled every
# 0.25 s (plain Pelican 7.6 s and 6.9 s). A build holds its peak for seconds.
SAMPLE_SECONDS = 0.25

WORDS = [
    "pain",
    "treatment",
    "nerve",
    "infusion",
    "dose",
    "clinic",
    "body",
    "sleep",
    "week",
    "month",
    "risk",
    "study",
    "relief",
    "chronic",
    "effect",
    "evidence",
    "safety",
    "question",
    "answer",
    "help",
    "daily",
    "life",
    "doctor",
    "nurse",
    "medicine",
    "team",
    "plan",
    "symptom",
    "injury",
    "back",
    "neck",
    "joint",
    "muscle",
    "movement",
    "exercise",
    "therapy",
    "mood",
    "stress",
    "blood",
    "pressure",
    "heart",
    "breathing",
    "care",
    "change",
    "start",
    "stop",
    "long",
    "short",
    "small",
    "large",
    "common",
    "rare",
    "mild",
    "strong",
    "you",
    "your",
    "may",
    "can",
    "often",
    "some",
    "most",
    "few",
    "usually",
    "sometimes",
    "with",
    "after",
    "before",
    "during",
    "about",
]
ABBREVIATIONS = ["FDA", "CRPS", "NSAID", "MRI", "IV", "NHS", "CDC"]
QUESTIONS = [
    "What is it?",
    "Who might it help?",
    "What does the evidence show?",
    "What are the risks?",
    "How do you prepare?",
    "What happens afterwards?",
    "When should you get help?",
]


def sentence(rng: random.Random) -> str:
    """One sentence of 8 to 18 words, sometimes with a quote, an abbreviation or a dash."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    roll = rng.random()
    if roll < 0.15:
        at = rng.randrange(len(words))
        words[at] = f'"{words[at]}"'
    elif roll < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(ABBREVIATIONS))
    elif roll < 0.38:
        words.insert(rng.randrange(1, len(words)), "--")
    elif roll < 0.44:
        words[-1] += "'s"
    text = " ".join(words)
    return text[0].upper() + text[1:] + ("..." if rng.random() < 0.03 else ".")


def paragraph(rng: random.Random, sentences: int, note: str | None = None) -> str:
    """A paragraph; ``note`` adds a footnote reference after the last sentence."""
    text = " ".join(sentence(rng) for _ in range(sentences))
    return text + (f"[^{note}]" if note else "")


def article_markdown(number: int, tags: list[str], rng: random.Random) -> str:
    """One synthetic article of about 800 words, with the metadata production requires."""
    chosen = rng.sample(tags, k=min(3, len(tags)))
    lines = [
        f"Title: Synthetic guide {number}: what to know about {rng.choice(WORDS)} and pain",
        f"Slug: synthetic-{number}",
        f"Date: 2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
        "Category: Ketamine",
        f"Tags: {', '.join(chosen)}",
        f"Summary: What synthetic guide {number} covers, for the build benchmark.",
        "Reviewed_by: Dr. Example Reviewer, MD",
        "Last_reviewed: 2025-12-01",
        "Next_review: 2026-12-01",
        "",
        paragraph(rng, 3, "ref1"),
        "",
    ]
    for index, question in enumerate(rng.sample(QUESTIONS, k=5)):
        lines += [f"## {question}", "", paragraph(rng, 5, f"ref{index % 3 + 1}"), ""]
        if index == 1:
            lines += [f"- {sentence(rng)}" for _ in range(5)] + [""]
        if index == 2:
            lines += ["### What this means for you", "", paragraph(rng, 4), ""]
        if index == 3:
            lines += ['!!! care-urgent "Call your doctor today if:"']
            lines += [f"    - {sentence(rng)}" for _ in range(3)] + [""]
        lines += [paragraph(rng, 3), ""]
    for ref in (1, 2, 3):
        lines.append(
            f"[^ref{ref}]: Author A, et al. A study of {rng.choice(WORDS)}. *Journal*. "
            f"20{10 + ref};{ref}(2):1-10. doi:10.1000/example.{number}.{ref}"
        )
    return "\n".join(lines) + "\n"


def allowed_tags() -> list[str]:
    """``ALLOWED_TAGS`` from pelicanconf.py (the check refuses any other tag)."""
    spec = importlib.util.spec_from_file_location("pelicanconf", PROJECT_ROOT / "pelicanconf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.ALLOWED_TAGS)


def write_content(folder: Path, count: int, seed: int = 8) -> Path:
    """The real pages, images and extras plus ``count`` synthetic articles; returns content/."""
    content = folder / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(PROJECT_ROOT / "content", content)  # the real pages link to real articles
    articles = content / "articles"
    rng = random.Random(seed)
    tags = allowed_tags()
    for number in range(1, count + 1):
        (articles / f"synthetic-{number}.md").write_text(
            article_markdown(number, tags, rng), encoding="utf-8"
        )
    return content


PLAIN_SETTINGS = """
import runpy
_kit = runpy.run_path({pelicanconf!r})
MARKDOWN, TIMEZONE, DEFAULT_LANG, STATIC_PATHS = (
    _kit[name] for name in ("MARKDOWN", "TIMEZONE", "DEFAULT_LANG", "STATIC_PATHS")
)
MARKDOWN = {{**MARKDOWN, "extension_configs": {{
    name: options for name, options in MARKDOWN["extension_configs"].items()
    if name.startswith("markdown.")  # Python-Markdown's own extensions, not the site's
}}}}
SITENAME = "Plain"
SITEURL = {siteurl!r}
PATH = "content"
THEME = "simple"
PLUGINS = []
TYPOGRIFY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
THEME_TEMPLATES_OVERRIDES = [{overrides!r}]
"""


@dataclass
class Run:
    """One build: wall time in seconds, peak memory in MB, whether it succeeded.

    ``peak_mb`` is the largest single process (its max RSS: Pagefind's, for our production
    build); ``main_mb`` is the Pelican process's own peak (its VmHWM, sampled); ``tree_mb`` is
    the most memory all the build's processes used at one moment (their proportional set size,
    sampled every ``SAMPLE_SECONDS``), which counts the search indexer and the reading workers
    running beside Pelican.
    """

    seconds: float
    peak_mb: float
    ok: bool
    log: str = ""
    tree_mb: float = 0.0
    main_mb: float = 0.0


def _children(pid: int) -> list[int]:
    """The processes started by ``pid``, and theirs (from /proc); its own children first."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _high_water_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), 0 when it has gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss_mb(pids: list[int]) -> float:
    """The proportional set size of these processes together (shared pages counted once)."""
    total_kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
                        break
        except OSError:
            continue
    return total_kb / 1024


def run_child(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command in a fresh process; measure its wall time and peak memory.

    The command runs under a tiny wrapper process, so RUSAGE_CHILDREN (the largest process's
    max RSS) is never shared between runs; meanwhile this process samples the memory of the
    wrapper's whole process tree.
    """
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "took = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(f'@@ {took} {peak} {code}', file=sys.stderr)\n"
    )
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [PYTHON, "-c", wrapper, *command],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=err,
            text=True,
        )
        tree_mb = main_mb = 0.0
        while process.poll() is None:
            tree = _children(process.pid)
            tree_mb = max(tree_mb, _pss_mb(tree))
            if tree:  # the wrapper's first child is the measured command
                main_mb = max(main_mb, _high_water_mb(tree[0]))
            time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    marker = [line for line in stderr.splitlines() if line.startswith("@@ ")][-1]
    took, peak, code = marker.split()[1:]
    log = (stdout + stderr).strip()
    return Run(float(took), int(peak) / 1024, code == "0", log, tree_mb, main_mb)


def best(runs: list[Run]) -> Run:
    """The median time of repeated runs (issue 14's reading: interleaved rounds, median), with
    the highest memory any of them reached."""
    return Run(
        statistics.median(run.seconds for run in runs),
        max(run.peak_mb for run in runs),
        all(run.ok for run in runs),
        "\n".join(run.log for run in runs if not run.ok),
        max(run.tree_mb for run in runs),
        max(run.main_mb for run in runs),
    )


def pelican_command(settings: Path, content: Path, output: Path, *extra: str) -> list[str]:
    """The ``pelican`` command line used for every build."""
    return [
        PYTHON, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output), *extra
    ]  # fmt: skip


def build_ours(work: Path, content: Path, *settings: str) -> Run:
    """Our production build (publishconf.py) of ``content`` into a fresh folder.

    Its caches (the reading cache survives production builds) live in ``work``/prod-cache.
    """
    output = work / "out-ours"
    shutil.rmtree(output, ignore_errors=True)  # invoke publish builds into a new folder too
    command = pelican_command(
        PROJECT_ROOT / "publishconf.py", content, output,
        "--fatal", "warnings", "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false",
        f'CACHE_PATH="{work / "prod-cache"}"', *settings,
    )  # fmt: skip
    return run_child(command, PROJECT_ROOT, {"SITEURL": SITEURL})


def build_ours_first(work: Path, content: Path, *settings: str) -> Run:
    """Our first production build (every cache empty), as ``build_ours``."""
    shutil.rmtree(work / "prod-cache", ignore_errors=True)
    return build_ours(work, content, *settings)


def plain_template_overrides(work: Path, content: Path) -> Path:
    """Templates the real pages ask for (``Template: booking``), as the simple theme's page.

    The simple theme has only Pelican's own templates; without these the plain build stops.
    """
    folder = work / "plain-templates"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for source in (content / "pages").rglob("*.md"):
        head = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
        for name in re.findall(r"(?im)^template:\s*(\S+)\s*$", head):
            (folder / f"{name}.html").write_text('{% extends "page.html" %}\n', encoding="utf-8")
    return folder


def build_plain(work: Path, content: Path) -> Run:
    """Plain Pelican: simple theme, no plugins, no typogrify, our Markdown extensions."""
    settings = work / "plainconf.py"
    overrides = plain_template_overrides(work, content)
    settings.write_text(
        PLAIN_SETTINGS.format(
            pelicanconf=str(PROJECT_ROOT / "pelicanconf.py"),
            siteurl=SITEURL,
            overrides=str(overrides),
        ),
        encoding="utf-8",
    )
    shutil.rmtree(work / "out-plain", ignore_errors=True)  # as for ours: not timed
    return run_child(pelican_command(settings, content, work / "out-plain"), work)


def build_plain_then_search(work: Path, content: Path) -> Run:
    """Plain Pelican, then Pagefind's own command over its pages (``pagefind --site``): what
    a plain site with the same search would take. Our build indexes while it writes."""
    from pelican_compat import pagefind_service_command

    plain = build_plain(work, content)
    executable = pagefind_service_command()[0]
    search = run_child([executable, "--site", str(work / "out-plain")], work)
    return Run(
        plain.seconds + search.seconds,
        max(plain.peak_mb, search.peak_mb),
        plain.ok and search.ok,
        "\n".join(run.log for run in (plain, search) if not run.ok),
        max(plain.tree_mb, search.tree_mb),
        plain.main_mb,
    )


def warm_rebuild(work: Path, content: Path) -> tuple[Run, Run]:
    """Development builds with the content cache on: cold, then after editing one article."""
    output = work / "out-dev"
    cache = work / "dev-cache"
    shutil.rmtree(cache, ignore_errors=True)
    extra = ("-e", f'CACHE_PATH="{cache}"')
    command = pelican_command(PROJECT_ROOT / "pelicanconf.py", content, output, *extra)
    cold = run_child(command, PROJECT_ROOT)
    edited = content / "articles" / "synthetic-1.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nOne more sentence from the writer.\n",
        encoding="utf-8",
    )
    warm = run_child(command, PROJECT_ROOT)
    return cold, warm


def fast_check(work: Path, content: Path) -> Run | None:
    """The writer's fast check (``python -m commands.check``) on ``content``, when present.

    The check reads the project's settings and its ``content/``, so it runs in a copy of the
    project made of links, whose ``content/`` is the synthetic one.
    """
    if not (PROJECT_ROOT / "commands" / "check.py").exists():
        return None
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "plugins", "commands", "theme"):
        (project / name).symlink_to(PROJECT_ROOT / name)
    (project / "content").symlink_to(content)
    return run_child([PYTHON, "-m", "commands.check"], project)


def files_and_folders(folder: Path) -> tuple[int, int]:
    """How many files and folders a build wrote."""
    files = folders = 0
    for _, subfolders, names in os.walk(folder):
        folders += len(subfolders)
        files += len(names)
    return files, folders


def report(label: str, run: Run, articles: int) -> str:
    """One line of figures for a build."""
    status = "" if run.ok else "  FAILED"
    per = 1000 * run.seconds / articles
    return (
        f"  {label:<26} {run.seconds:6.2f} s {per:6.2f} ms/article  memory: Pelican"
        f" {run.main_mb:4.0f} MB, largest process {run.peak_mb:4.0f} MB, all processes"
        f" {run.tree_mb:4.0f} MB{status}"
    )


def parse_args() -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated article counts")
    parser.add_argument(
        "--typography",
        action="store_true",
        help="also build without typography, and with Pelican's own uncached typogrify",
    )
    parser.add_argument(
        "--parts",
        action="store_true",
        help="also build plain Pelican followed by Pagefind's command, and ours without parallel "
        "reading, without the search index, with precompression: what each costs or saves",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="builds of plain and ours, taken in turn; the median of each counts (default 3)",
    )
    parser.add_argument(
        "--work-dir",
        default=None,
        help="where the temporary folder goes (default: the system's temporary folder); "
        "/dev/shm keeps every file in memory, which shows what the builds cost without the "
        "disk's file creation",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--reading",
        action="store_true",
        help="build nothing: the CPU a reading worker spends per article, in this process",
    )
    return parser.parse_args()


# --parts: builds that say what one part costs, each a first build, taken in turn with the rest.
PARTS = (
    ("ours, reading serially (first)", ("PARALLEL_READING=false",)),
    ("ours, no search index (first)", ("SEARCH_INDEX=false",)),
    ("ours, with precompression (first)", ("PRECOMPRESS=true",)),
)


def typography_runs(work: Path, content: Path, count: int) -> list[Run]:
    """The builds --typography asks for, each printed."""
    untyped = build_ours(work, content, "TYPOGRAPHY=false", "READING_CACHE=false")
    full = build_ours(work, content, "TYPOGRAPHY=false", "TYPOGRIFY=true", "READING_CACHE=false")
    print(report("ours, no typography", untyped, count))
    print(report("ours, Pelican's typogrify", full, count))
    return [untyped, full]


def measure_size(work: Path, count: int, args: argparse.Namespace) -> float:
    """Plain and ours at one size, printed; ours' seconds per article."""
    content = write_content(work, count)
    runs: dict[str, list[Run]] = {}
    written: dict[str, tuple[int, int]] = {}
    for _ in range(max(1, args.rounds)):  # in turn, so all see the same machine
        runs.setdefault("plain", []).append(build_plain(work, content))
        runs.setdefault("first", []).append(build_ours_first(work, content))
        runs.setdefault("cached", []).append(build_ours(work, content))
        for name in ("plain", "ours"):  # before the parts write other files there
            written[name] = files_and_folders(work / f"out-{name}")
        if args.parts:
            runs.setdefault("searched", []).append(build_plain_then_search(work, content))
            for label, settings in PARTS:
                runs.setdefault(label, []).append(build_ours_first(work, content, *settings))
    median = {name: best(each) for name, each in runs.items()}
    plain, first, ours = median["plain"], median["first"], median["cached"]
    print(f"\nN = {count:,} articles (median of {len(runs['plain'])} builds each)")
    print(report("plain Pelican", plain, count))
    print(report("ours, first build", first, count))
    print(report("ours, reading cached", ours, count))
    print(
        f"  ratio ours / plain         time {ours.seconds / plain.seconds:.2f}x"
        f" (first build {first.seconds / plain.seconds:.2f}x)"
        f"   memory: Pelican {ours.main_mb / plain.main_mb:.2f}x, largest process"
        f" {ours.peak_mb / plain.peak_mb:.2f}x, all processes"
        f" {ours.tree_mb / plain.tree_mb:.2f}x"
    )
    print(
        "  written                    "
        + ", ".join(
            f"{name} {files:,} files in {folders:,} folders"
            for name, (files, folders) in written.items()
        )
    )
    if args.parts:
        searched, unsearched = median["searched"], median["ours, no search index (first)"]
        print(report("plain Pelican, then search", searched, count))
        for label, _ in PARTS:
            print(report(label, median[label], count))
        print(
            "  like for like              first build / plain Pelican then `pagefind --site`"
            f" {first.seconds / searched.seconds:.2f}x; first build without the search index"
            f" / plain Pelican {unsearched.seconds / plain.seconds:.2f}x"
        )
    extra = typography_runs(work, content, count) if args.typography else []
    for run in [*median.values(), *extra]:
        if not run.ok:
            print(textwrap.indent(run.log[-3000:], "    | "))
    return ours.seconds / count


def print_growth(per_article: dict[int, float]) -> None:
    """Time per article from one size to the next (linear: about 1.00x each)."""
    counts = sorted(per_article)
    if len(counts) > 1:
        print()
    for smaller, larger in itertools.pairwise(counts):
        growth = per_article[larger] / per_article[smaller]
        print(
            f"time per article at {larger:,} / at {smaller:,}: {growth:.2f}x"
            f" ({1000 * per_article[larger]:.2f} vs {1000 * per_article[smaller]:.2f} ms)"
        )


def measure_development(work: Path, sizes: list[int]) -> None:
    """The development build, cold and warm, and the writer's fast check."""
    warm_size = max([size for size in sizes if size <= 1000] or [min(sizes)])
    content = write_content(work, warm_size)
    cold, warm = warm_rebuild(work, content)
    print(f"\nDevelopment build, content cache on, N = {warm_size:,}")
    print(report("cold (empty cache)", cold, warm_size))
    print(report("warm (1 article edited)", warm, warm_size))
    print(f"  warm / cold                {warm.seconds / cold.seconds:.2f}x")
    check = fast_check(work, content)
    if check is None:
        print("\nWriter's fast check (python -m commands.check): not available")
    else:
        print(f"\nWriter's fast check (python -m commands.check), N = {warm_size:,}")
        print(report("check", check, warm_size).replace("FAILED", "(reported findings)"))


def reading_cost(content: Path, passes: int = 3) -> float:
    """CPU milliseconds per synthetic article of what a reading worker does with each file
    (``reading.convert``, the allow-list, the JSON), in this process: the median of ``passes``.
    """
    os.environ.setdefault("SITEURL", SITEURL)
    from pelican.settings import read_settings
    from reading.reading import convert, refuse_markup_not_allowed, site_reading_settings

    settings = site_reading_settings(
        read_settings(
            str(PROJECT_ROOT / "publishconf.py"),
            override={"PATH": str(content), "REFUSE_EXAMPLE_CLINIC_DETAILS": False},
        )
    )
    paths = sorted(str(path) for path in (content / "articles").glob("synthetic-*.md"))
    convert(paths[0], settings)  # the first conversion loads the glossary and catalogues
    costs = []
    for _ in range(passes):
        start = time.process_time()
        for path in paths:
            converted = convert(path, settings)
            refuse_markup_not_allowed(converted, path)
            converted.to_json()
        costs.append(1000 * (time.process_time() - start) / len(paths))
    return statistics.median(costs)


def measure_reading(work: Path, sizes: list[int]) -> None:
    """A reading worker's CPU per article, at each size."""
    for count in sizes:
        cost = reading_cost(write_content(work, count))
        print(f"N = {count:,}: reading (convert, allow-list, JSON) {cost:.2f} ms CPU/article")


def main() -> None:
    """Generate, build and print."""
    args = parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="build-scale-", dir=args.work_dir))
    print(f"build_scale: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, in {work}")
    try:
        if args.reading:
            measure_reading(work, sizes)
            return
        print_growth({count: measure_size(work, count, args) for count in sizes})
        measure_development(work, sizes)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
