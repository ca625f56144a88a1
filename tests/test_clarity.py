"""The clarity score (plugins/content_check/clarity.py): pure rules over one article's record,
the writer's check (`clarity-low`) and `invoke clarity`."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from content_check import clarity
from content_check.runner import load_pelican_settings, run_fast_check
from content_check.source import parse_text

CORPUS = PROJECT_ROOT / "tests" / "broken_content"
TODAY = dt.date(2026, 11, 25)
KEY_POINTS = {
    "title": "Key points",
    "points": ["Ketamine may ease pain.", "It does not help everyone.", "Ask your care team."],
    "first": True,
    "lists": 1,
}
BODY = """
<p>Intro.</p>
<h2 id="a">What it is</h2><p>Some benefits and some risks.</p>
<ul><li>one</li><li>two</li></ul>
<h2 id="b">What is not known yet</h2><p>We do not know.</p>
<h2 id="c">What to do next</h2><p>Ask.</p>
<figure class="figure"><img alt="A day" src="x.svg"><figcaption>A day</figcaption></figure>
"""


def record(html: str = BODY, **changes: object) -> clarity.ArticleRecord:
    base = {
        "name": "content/articles/a.md",
        "language": "en",
        "title": "Ketamine",
        "html": html,
        "key_points": KEY_POINTS,
        "figures": [{"src": "x.svg", "alt": "A day", "caption": "A day"}],
        "readable": True,
    }
    return clarity.ArticleRecord(**{**base, **changes})


def missed(result: clarity.Clarity) -> list[str]:
    return [item.number for item in result.missed]


def score(html: str = BODY, **changes: object) -> clarity.Clarity:
    return clarity.score_article(record(html, **changes), clarity.DEFAULT_LANGUAGES)


def test_an_article_that_meets_every_rule_scores_100() -> None:
    result = score()
    assert result.score == 100 and not result.missed
    # Probabilities and the glossary do not apply here: they are not counted.
    assert {item.number for item in result.items if item.met is None} == {"7a", "20"}


def test_without_key_points_four_items_are_missed_with_their_fix() -> None:
    result = score(key_points=None)
    assert missed(result) == ["1", "2", "3", "10"]
    assert result.score == 100 * 8 // 12 < 90
    assert all('!!! key-points "Key points"' in item.fix for item in result.missed[:1])


def test_key_points_must_be_first_three_to_five_and_short() -> None:
    assert missed(score(key_points={**KEY_POINTS, "first": False})) == ["10"]
    two = {**KEY_POINTS, "points": KEY_POINTS["points"][:2]}
    assert missed(score(key_points=two)) == ["2"]
    long_point = {**KEY_POINTS, "points": [*KEY_POINTS["points"][:2], "word " * 30]}
    [item] = score(key_points=long_point).missed
    assert item.number == "2" and "key point 3" in item.fix


def test_a_figure_needs_a_caption_and_a_text_alternative() -> None:
    result = score(figures=[{"src": "x.svg", "alt": "", "caption": "A day"}])
    assert missed(result) == ["4"]


def test_lists_over_seven_items_and_long_stretches_without_headings() -> None:
    eight = "<ul>" + "<li>x</li>" * 8 + "</ul>"
    result = score(BODY.replace("<ul><li>one</li><li>two</li></ul>", eight))
    assert missed(result) == ["8"] and "8 items" in result.missed[0].fix
    wall = "<p>" + "word " * 260 + "</p>"
    assert missed(score(BODY.replace("<p>Intro.</p>", wall))) == ["9"]


def test_the_two_sections_the_score_looks_for_in_each_language() -> None:
    html = BODY.replace("What is not known yet", "Unknowns").replace("What to do next", "End")
    assert missed(score(html)) == ["11", "12"]
    cards = html + '<div class="care-card care-card--urgent"><h3>Call</h3></div>'
    assert missed(score(cards)) == ["11"]  # care cards are a recommendation too
    spanish = BODY.replace("What is not known yet", "Lo que aún no se sabe").replace(
        "What to do next", "¿Qué hacer ahora?"
    )
    spanish = spanish.replace("benefits and some risks", "beneficios y riesgos")
    assert missed(score(spanish, language="es")) == []


def test_numbers_whole_in_one_format_and_chances_in_words() -> None:
    decimals = BODY.replace("Intro.", "It lasts 1.5 hours, for a tenth of people.")
    [item] = score(decimals).missed
    assert item.number == "15" and "1.5" in item.fix and "a tenth" in item.fix
    assert missed(score(BODY.replace("Intro.", "About 1,000 people took part."))) == []
    percent = score(BODY.replace("Intro.", "About 30% of people feel sick."))
    assert missed(percent) == ["20"]
    in_words = score(BODY.replace("Intro.", "About 3 in 10 people feel sick."))
    assert missed(in_words) == [] and next(i for i in in_words.items if i.number == "20").met
    both = score(BODY.replace("Intro.", "About 3 in 10 people (30%) feel sick."))
    assert missed(both) == ["15", "20"]


def test_numbers_in_the_references_do_not_count() -> None:
    references = '<section class="references"><ol><li>2018;43(5):521. 0.5 mg</li></ol></section>'
    assert missed(score(BODY + references)) == []


def test_risks_and_benefits_both_told() -> None:
    result = score(BODY.replace("Some benefits and some risks.", "Some benefits."))
    assert missed(result) == ["19"] and "risks" in result.missed[0].fix


def test_a_glossary_term_in_the_key_points_is_explained_in_brackets() -> None:
    glossary = re.compile(r"(?<![\w-])(?:CRPS|infusion|ketamine)(?![\w-])", re.IGNORECASE)
    points = {**KEY_POINTS, "points": ["An infusion may help CRPS.", "b", "c"]}
    result = score(key_points=points, glossary=glossary)
    assert missed(result) == ["7a"]
    assert '"infusion"' in result.missed[0].fix and '"CRPS"' in result.missed[0].fix
    explained = {**KEY_POINTS, "points": ["A drip (infusion) may help a nerve pain (CRPS).", "b"]}
    explained["points"].append("ketamine is the page's subject")
    assert missed(score(key_points=explained, glossary=glossary)) == []


def test_reading_level_comes_from_the_readability_check() -> None:
    assert missed(score(readable=False)) == ["7b"]


# --- The check and the command ----------------------------------------------------------------


def fixture_article() -> str:
    sys.path.insert(0, str(CORPUS))
    try:
        import generate
    finally:
        sys.path.remove(str(CORPUS))
    return generate.article()


def check(folder: Path) -> list:
    settings = {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(folder)}
    settings["LANGUAGES"] = {"en": settings["LANGUAGES"]["en"]}
    findings, _ = run_fast_check(folder, today=TODAY, settings=settings)
    return findings


def test_removing_the_key_points_drops_the_score_under_90_and_the_check_warns(
    tmp_path: Path,
) -> None:
    text = fixture_article()
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text(text, encoding="utf-8")
    before = clarity.run_clarity(tmp_path, _settings(tmp_path))
    assert before[0].score >= 90 and not [f for f in check(tmp_path) if f.code == "clarity-low"]
    box = re.search(r'!!! key-points "Key points"\n(?:    .*\n)+\n', text)
    (articles / "a.md").write_text(text.replace(box.group(0), ""), encoding="utf-8")
    after = clarity.run_clarity(tmp_path, _settings(tmp_path))
    assert after[0].score < 90
    [warning] = [f for f in check(tmp_path) if f.code == "clarity-low"]
    assert warning.severity == "warning" and "One main message" in warning.message
    assert "!!! key-points" in warning.fix


def _settings(folder: Path) -> dict:
    return {**load_pelican_settings(PROJECT_ROOT, False), "PATH": str(folder)}


def test_publishing_refuses_a_score_under_the_minimum(tmp_path: Path) -> None:
    src = parse_text(tmp_path / "a.md", "content/articles/a.md", "article", fixture_article())
    result = clarity.Clarity(src.name, "en", [clarity.Item("1", "One main message", False, "x")])
    assert clarity.low_score_finding(result, 90, production=True).severity == "error"
    assert clarity.low_score_finding(result, 0, production=True) is None


@pytest.mark.parametrize("article", sorted((PROJECT_ROOT / "content" / "articles").glob("*.md")))
def test_every_real_article_with_key_points_loses_them_under_90(article: Path) -> None:
    """Where an article has its key points box, the score depends on it."""
    text = article.read_text(encoding="utf-8")
    box = re.search(r'!!! key-points "[^"]+"\n(?:    .*\n)+', text)
    settings = load_pelican_settings(PROJECT_ROOT, False)
    name = article.relative_to(PROJECT_ROOT).as_posix()
    if box is None:
        [result] = clarity.run_clarity(PROJECT_ROOT, settings, (name,))
        assert "1" in missed(result)  # no box: the main message item is missed
        return
    src = parse_text(article, name, "article", text.replace(box.group(0), ""))
    record_without = clarity.article_record(src, settings, "en", readable=True)
    without = clarity.score_article(record_without, clarity.DEFAULT_LANGUAGES)
    assert without.score < 90


def test_invoke_clarity_prints_json_for_every_article_and_language() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "clarity", "--format", "json"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(result.stdout)
    articles = data["articles"]
    files = sorted(p.relative_to(PROJECT_ROOT).as_posix()
                   for p in (PROJECT_ROOT / "content" / "articles").rglob("*.md"))  # fmt: skip
    assert sorted(a["file"] for a in articles) == files
    assert {a["language"] for a in articles} == {"en", "es"}
    for article in articles:
        applicable = [i for i in article["items"] if i["met"] is not None]
        met = sum(1 for i in applicable if i["met"])
        assert article["score"] == 100 * met // len(applicable)
        assert all(i["fix"] for i in applicable if not i["met"])
