"""Build-time cost of the consult_cta plugin on a synthetic site of 1,000 articles.

Writes ~800-word articles into a temporary folder, then builds it with our settings and theme,
once with and once without ``consult_cta`` in ``PLUGINS`` (alternating, ``--rounds`` times),
each build in a fresh ``pelican`` process with the content cache off. Prints wall times, and
the time the plugin's own step takes in one more build (in this process, from its log line):
on a shared machine, the difference of two wall times is mostly noise.

    .venv/bin/python benchmarks/cta_cost.py [--articles 1000] [--words 800] [--rounds 1]
        [--no-summary]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = (
    "pain ketamine doctor treatment nerve infusion dose clinic body sleep week month risk "
    "study patient relief chronic effect evidence safety question answer help daily life "
    "you your may can often some most few change talk start stop long short"
)
WORDS = VOCABULARY.split()


def article(number: int, words: int, rng: random.Random, summary: bool = True) -> str:
    """One Markdown article: metadata, sections of ~150 words, one footnote."""
    lines = [
        f"Title: Synthetic article {number}",
        f"Slug: synthetic-{number}",
        f"Date: 2026-01-{number % 28 + 1:02d}",
        "Category: Ketamine",
        "Tags: chronic pain",
        f"Summary: A synthetic article, number {number}, for the build benchmark."
        if summary
        else "",
        "",
    ]
    for section in range(max(1, words // 150)):
        lines += [f"## Section {section + 1}", ""]
        sentence = " ".join(rng.choice(WORDS) for _ in range(150))
        lines += [sentence.capitalize() + ".", ""]
    lines += ["A cited fact.[^ref]", "", "[^ref]: A reference, 2024.", ""]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """The two pages the plugin's links and opt-outs need."""
    return {
        "medical-disclaimer.md": "Title: Medical disclaimer\nSlug: medical-disclaimer\n"
        "Summary: S.\nDisclaimer: off\n\nText.\n",
        "book-a-consultation.md": "Title: Book\nSlug: book-a-consultation\nSummary: S.\n"
        "Cta: off\n\nText.\n",
    }


def build(content: Path, output: Path, plugins: list[str]) -> float:
    """Build the synthetic site in a fresh process; return the wall time in seconds."""
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py",
        "-o", str(output), "--delete-output-directory", "-q",
        "-e", f"PLUGINS={json.dumps(plugins)}", "CACHE_CONTENT=false",
        "LOAD_CONTENT_CACHE=false", "STATIC_PATHS=[]", "EXTRA_PATH_METADATA={}",
    ]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - start


def plugin_step_seconds(content: Path, output: Path) -> str:
    """Build once in this process and return the plugin's own log line (it times its step)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("consult_cta: added"):
                lines.append(record.getMessage())

    plugin_logger = logging.getLogger("consult_cta")
    plugin_logger.setLevel(logging.DEBUG)
    plugin_logger.addHandler(Collect())
    override = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "PLUGIN_PATHS": [str(PROJECT_ROOT / "plugins")],
        "THEME": str(PROJECT_ROOT / "theme"),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "STATIC_PATHS": [],
        "EXTRA_PATH_METADATA": {},
    }
    logging.getLogger().setLevel(logging.ERROR)
    Pelican(read_settings(str(PROJECT_ROOT / "pelicanconf.py"), override=override)).run()
    return lines[-1] if lines else "consult_cta: no timing line logged"


def main() -> None:
    """Generate the site, build it with and without the plugin, print the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--no-summary",
        action="store_true",
        help="articles without Summary: (the plugin then fixes the summary Pelican derives)",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cta-cost-") as folder:
        root = Path(folder)
        rng = random.Random(3)
        (root / "content/articles").mkdir(parents=True)
        (root / "content/pages").mkdir(parents=True)
        for number in range(options.articles):
            text = article(number, options.words, rng, summary=not options.no_summary)
            (root / f"content/articles/synthetic-{number}.md").write_text(text, encoding="utf-8")
        for name, text in pages().items():
            (root / "content/pages" / name).write_text(text, encoding="utf-8")

        plain = ["clinic", "content_objects", "pelican.plugins.sitemap"]
        with_cta = ["clinic", "content_objects", "consult_cta", "pelican.plugins.sitemap"]
        times: dict[str, list[float]] = {"without consult_cta": [], "with consult_cta": []}
        for _ in range(options.rounds):
            times["without consult_cta"].append(build(root / "content", root / "out", plain))
            times["with consult_cta"].append(build(root / "content", root / "out", with_cta))
        step = plugin_step_seconds(root / "content", root / "out-step")

    kind = "without" if options.no_summary else "with"
    print(
        f"{options.articles} articles of ~{options.words} words ({kind} Summary:), "
        f"{options.rounds} round(s)"
    )
    for label, values in times.items():
        shown = ", ".join(f"{value:.2f}" for value in values)
        print(f"  {label:<20} median {statistics.median(values):6.2f} s   ({shown})")
    cost = statistics.median(times["with consult_cta"]) - statistics.median(
        times["without consult_cta"]
    )
    base = statistics.median(times["without consult_cta"])
    print(f"  plugin cost          {cost:+6.2f} s   ({cost / base:+.1%}, wall-time difference)")
    print(f"  plugin step alone    {step}")


if __name__ == "__main__":
    main()
