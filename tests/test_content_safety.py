"""Nothing in the content runs, and every text rule reads what the reader reads (issue 24).

Each case here was reproduced on the site before this round: raw HTML and attribute lists in
articles, forged review boxes, scripts in Summaries and catalogues, absolute claims the lists
missed (27 Spanish phrasings, English ones, invisible characters), a repeated metadata key
read differently by the build and the check, clinical text on pages, pathological Markdown and
huge images. The tests build small real sites or run the check as a writer does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import languages_with
from content_check import checks
from content_check.settings import check_settings
from content_check.source import parse_text

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)


def source(text: str, kind: str = "article", name: str = "x") -> checks.SourceFile:
    """A source file parsed from text."""
    path = f"content/{kind}s/{name}.md"
    return parse_text(Path(path), path, kind, text)


def context(**settings: object) -> checks.Context:
    """The check's defaults and a fixed today."""
    return checks.Context(settings=check_settings(dict(settings)), today=TODAY)


def codes(findings: list) -> list[str]:
    """The codes of some findings, in order."""
    return [finding.code for finding in findings]


# --- Absolute claims: every language's list, accents, hyphens, invisible characters --------

SPANISH_CLAIMS = [
    "La ketamina no tiene efectos secundarios.",
    "No tiene ningún efecto secundario.",
    "No tiene ningun efecto secundario.",
    "Es un tratamiento sin riesgos.",
    "Un tratamiento sin ningún riesgo para usted.",
    "La ketamina no genera adicción.",
    "La ketamina no genera adiccion.",
    "No crea adicción.",
    "No es adictiva.",
    "No causa dependencia.",
    "Elimina el dolor en una sesión.",
    "Acaba con su dolor.",
    "Garantizamos resultados.",
    "Le garantizamos alivio.",
    "Es una medicina inocua.",
    "Es el tratamiento más eficaz.",
    "Es el tratamiento mas eficaz.",
    "Está demostrado que funciona.",
    "Clínicamente demostrado.",
    "Clinicamente comprobado.",
    "Resultados garantizados.",
    "Es totalmente segura.",
    "Es 100 % segura.",
    "Alivio permanente del dolor.",
    "Una cura definitiva.",
    "Libre de riesgos.",
    "Es la opción más segura.",
    "Es un tratamiento sin efectos secun\u00addarios.",
]
ENGLISH_CLAIMS = [
    "Ketamine does not cause side effects.",
    "It doesn't cause any side effects.",
    "It won\u2019t give you side effects.",
    "It is free of side effects.",
    "A side\u2011effect\u2011free treatment.",
    "There is no risk of addiction.",
    "It is not habit-forming.",
    "Relief without the withdrawal.",
    "Ketamine eliminates pain.",
    "It ends your pain.",
    "Get rid of your pain.",
    "Permanent relief.",
    "FDA-approved for chronic pain.",
    "A safe and reliable way to relieve pain.",
    "A heart-friendly anesthetic.",
    "The best option for you.",
    "Clinically shown to work.",
    "It works for everyone.",
    "It is non\u2011addictive.",
    "gua\u200branteed cu\u200bre",
]
NOT_CLAIMS = [
    "No está demostrado que funcione.",
    "No ayuda a todas las personas.",
    "¿Es segura la ketamina?",
    "Queremos garantizar su seguridad.",
    "It does not help everyone.",
    "Misuse and dependence are possible.",
    "Serious problems are rare when trained staff monitor you.",
]


@pytest.mark.parametrize("sentence", SPANISH_CLAIMS)
def test_each_spanish_absolute_claim_is_caught(sentence: str) -> None:
    src = source(f"Title: A\nLang: es\n\nTexto. {sentence}\n")
    assert "claim-absolute" in codes(checks.check_claims(src, context())), sentence


@pytest.mark.parametrize("sentence", ENGLISH_CLAIMS)
def test_each_english_absolute_claim_is_caught_on_an_english_and_a_spanish_page(
    sentence: str,
) -> None:
    for lang in ("", "Lang: es\n"):
        src = source(f"Title: A\n{lang}\nText. {sentence}\n")
        assert "claim-absolute" in codes(checks.check_claims(src, context())), (lang, sentence)


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_honest_sentences_are_not_claims(sentence: str) -> None:
    for lang in ("", "Lang: es\n"):
        src = source(f"Title: A\n{lang}\n{sentence}\n")
        assert checks.check_claims(src, context()) == [], (lang, sentence)


def test_zero_width_spaces_hide_no_claim_and_are_reported_themselves() -> None:
    src = source("Title: A\n\nA gua\u200branteed cu\u200bre.\n")
    messages = [f.message for f in checks.check_claims(src, context())]
    assert [m.split(":")[0] for m in messages] == ['"guaranteed"', '"cure"']
    [invisible] = checks.check_invisible_characters(src, context())
    assert invisible.code == "text-invisible" and invisible.line == 3
    assert "zero-width space (U+200B)" in invisible.message


def test_full_width_and_ligature_text_is_read_as_the_words_it_shows() -> None:
    src = source("Title: A\n\nA \uff43\uff55\uff52\uff45 for pain. A \ufb01nal miracle.\n")
    found = [f.message.split(":")[0] for f in checks.check_claims(src, context())]
    assert found == ['"cure"', '"miracle"']


# --- One reading of the metadata block: the first value of a repeated key wins ------------


def shipped_content() -> list[Path]:
    """Every Markdown file the site ships."""
    return sorted((PROJECT_ROOT / "content").rglob("*.md"))


def test_pelican_and_the_check_read_every_shipped_file_s_metadata_alike() -> None:
    from conftest import small_site_settings
    from content_check.source import read_source
    from reading.reading import SiteMarkdownReader, convert, site_reading_settings

    settings = site_reading_settings(small_site_settings(PROJECT_ROOT))  # the build's Markdown
    compared = 0
    for path in shipped_content():
        kind = "page" if "pages" in path.parts else "article"
        src = read_source(path, PROJECT_ROOT, kind)
        converted = convert(str(path), settings)
        pelican = SiteMarkdownReader(settings).metadata_of(converted, str(path))
        assert set(converted.meta) == set(src.metadata), path.name
        for key, values in converted.meta.items():
            joined = (values[0] + "".join(" " + value for value in values[1:])).strip()
            assert joined == src.meta(key), (path.name, key)
            if key in ("slug", "lang", "status", "reviewed_by", "last_reviewed", "kind"):
                assert str(pelican[key]) == src.meta(key), (path.name, key)
            compared += 1
    assert compared > 150  # every key of 24 files


REPEATED = """\
Title: About us
Slug: about
Summary: Who we are.
Slug: about-forged
Lang: en
Reviewed_by: example-reviewer
Reviewed_by: dr-fake
    continued

We are a clinic.
"""


def test_a_repeated_key_is_one_finding_naming_both_lines_and_everyone_reads_the_first() -> None:
    from metadata_block import read_metadata_block

    src = source(REPEATED, kind="page")
    assert src.meta("slug") == "about" and src.meta("reviewed_by") == "example-reviewer"
    found = checks.check_repeated_keys(src, context())
    assert [(f.code, f.line) for f in found] == [("meta-duplicate", 4), ("meta-duplicate", 7)]
    assert "lines 2 and 4" in found[0].message and "lines 6 and 7" in found[1].message
    assert read_metadata_block(REPEATED.splitlines()).as_markdown_meta()["reviewed_by"] == [
        "example-reviewer"
    ]


def test_the_build_uses_the_first_slug_of_a_page(build_small_site) -> None:
    site = build_small_site({"pages/about.md": REPEATED.replace("Reviewed_by: dr-fake\n", "")})
    assert (site.output / "about" / "index.html").is_file()
    assert not (site.output / "about-forged").exists()


# --- Clinical text on pages: Kind: clinical | general ---------------------------------------

DOSING_PAGE = """\
Title: Before your infusion
Slug: before-your-infusion
Summary: What to do on the morning of your infusion.
{kind}
On the morning of your infusion, take three times your usual dose of your pain medicine.

Most people need 6 infusions over 2 weeks.
"""


def check_page(text: str) -> list:
    """Every per-file check on one page, as `invoke check` runs them."""
    from content_check.runner import FILE_CHECKS

    src = source(text, kind="page", name="before-your-infusion")
    return [finding for check in FILE_CHECKS for finding in check(src, context())]


def test_a_general_page_with_dosing_advice_is_told_to_say_kind_clinical() -> None:
    findings = [f for f in check_page(DOSING_PAGE.format(kind="")) if f.is_error]
    [finding] = findings
    assert (finding.code, finding.line) == ("page-kind", 5)
    assert "Kind: clinical" in finding.fix and "times your usual dose" in finding.message


def test_a_clinical_page_is_checked_like_an_article() -> None:
    findings = check_page(DOSING_PAGE.format(kind="Kind: clinical\n"))
    found = {(f.code, f.line) for f in findings}
    assert ("ref-too-few", None) in found
    assert ("ref-uncited-number", 8) in found
    assert "page-kind" not in {code for code, _ in found}


def test_kind_takes_clinical_or_general_only() -> None:
    findings = check_page(DOSING_PAGE.format(kind="Kind: medical\n"))
    assert [f.line for f in findings if f.code == "meta-value"] == [4]
    article = source("Title: A\nKind: clinical\n\nText.\n")
    assert "meta-not-allowed" in codes(checks.check_metadata(article, context()))


def test_the_shipped_glossaries_are_clinical_and_the_policies_general() -> None:
    from clinical_review.kinds import content_kind
    from content_check.source import read_source

    kinds = {
        path.relative_to(PROJECT_ROOT / "content").as_posix(): content_kind(
            {"kind": read_source(path, PROJECT_ROOT, "page").meta("kind")}
        )
        for path in sorted((PROJECT_ROOT / "content" / "pages").rglob("*.md"))
    }
    assert kinds["pages/glossary.md"] == kinds["pages/es/glossary.md"] == "clinical"
    for policy in ("privacy", "accessibility", "about", "editorial-policy", "medical-disclaimer"):
        assert kinds[f"pages/{policy}.md"] == "general"


# --- Translation catalogues are content ----------------------------------------------------

PO_FILE = "theme/translations/es/LC_MESSAGES/messages.po"
FORGED_TRANSLATIONS = {
    "This page has not yet been reviewed by a clinician.": (
        '<p class="review-dates">Revisada por Dra. Falsa, MD</p>'
        '<script src="https://evil.example.org/x.js"></script>'
    ),
    "Reviewed by %(reviewer)s": "Revisada por %(revisor)s",
}


def forged_theme(tmp_path: Path, forged: dict[str, str]) -> Path:
    """A copy of the theme whose Spanish catalogue translates some messages as given."""
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    po_file = theme / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    text = po_file.read_text(encoding="utf-8")
    for message_id, string in forged.items():
        start = text.index(f'msgid "{message_id}"\nmsgstr "')
        end = text.index("\n", start + len(message_id) + 10)
        escaped = string.replace('"', '\\"')
        text = text[:start] + f'msgid "{message_id}"\nmsgstr "{escaped}"' + text[end:]
    po_file.write_text(text, encoding="utf-8")
    return theme


def catalogue_line(message_id: str) -> int:
    """The line of ``message_id``'s msgid in the Spanish catalogue (it moves as it grows)."""
    po_file = PROJECT_ROOT / "theme" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    lines = po_file.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{message_id}"') + 1


def test_a_translation_with_markup_or_a_placeholder_its_message_lacks_is_named(
    tmp_path: Path,
) -> None:
    from content_check.translation_check import check_catalogues

    theme = forged_theme(tmp_path, FORGED_TRANSLATIONS)
    settings = {"THEME": str(theme), "LANGUAGES": languages_with()}
    findings = check_catalogues(settings, tmp_path)
    assert [(f.code, f.file, f.line) for f in findings] == [
        ("catalogue-mismatch", PO_FILE, catalogue_line("Reviewed by %(reviewer)s")),
        ("catalogue-mismatch", PO_FILE,
         catalogue_line("This page has not yet been reviewed by a clinician.")),
    ]  # fmt: skip
    assert (
        "%(revisor)s" in findings[0].message and "'Reviewed by %(reviewer)s'" in findings[0].message
    )
    assert '<p class="review-dates">' in findings[1].message


def test_the_build_refuses_a_forged_catalogue_naming_file_line_and_message(
    tmp_path: Path, build_small_site
) -> None:
    from languages.languages import LanguagesSettingsError

    theme = forged_theme(tmp_path / "forged", {"Reviewed by %(reviewer)s": "Por %(revisor)s"})
    with pytest.raises(LanguagesSettingsError) as refused:
        build_small_site({"pages/about.md": "Title: A\nSlug: a\nSummary: B\n\nText.\n"},
                         {"THEME": str(theme)})  # fmt: skip
    message = str(refused.value)
    line = catalogue_line("Reviewed by %(reviewer)s")
    assert f"messages.po, line {line}" in message and "'Reviewed by %(reviewer)s'" in message
    assert "%(revisor)s" in message


# --- Nothing in the content runs: what the build publishes ---------------------------------

ARTICLE = """\
Title: A guide
Slug: guide
Date: 2025-01-01
Category: Ketamine
Summary: {summary}

{body}
"""
FEED = {"FEED_ALL_ATOM": "feeds/all.atom.xml", "FEED_DOMAIN": "https://clinic.example"}


def guide(body: str = "Some text.", summary: str = "A short summary.") -> dict[str, str]:
    """One article's file for build_small_site."""
    return {"articles/guide.md": ARTICLE.format(summary=summary, body=body)}


RAW_HTML_TRICKS = {
    "script": '<script src="https://evil.example.org/x.js"></script>',
    "backslash before a backtick": "\\`<img src=x onerror=alert(1)>`",
    "uneven backticks": "`x`` <img src=x onerror=alert(1)>",
    "tilde pseudo-fence": "~~~\n<img src=x onerror=alert(1)>\n~~~",
    "comment <!-->": "<!--><img src=x onerror=alert(1)>-->",
    "comment --!>": "<!-- --!><img src=x onerror=alert(1)>",
    "svg animate": '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "textarea": '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    "title": "<title><img src=x onerror=alert(1)></title>",
    "external img": '<img src="https://tracker.example.org/pixel.png" alt="">',
    "ping": '<a href="https://example.org/" ping="https://tracker.example.org/">x</a>',
    "forged review box": '<p class="review-dates">Reviewed by Dr Fake, MD</p>',
}


def body_elements(site, path: str = "articles/guide/index.html") -> list:
    """Every element inside the article's body (what the Markdown made)."""
    soup = site.soup(path)
    body = soup.select_one(".article-body") or soup.select_one("article") or soup
    return list(body.find_all(True))


@pytest.mark.parametrize("trick", RAW_HTML_TRICKS, ids=list(RAW_HTML_TRICKS))
def test_raw_html_in_an_article_is_text_on_the_page(build_small_site, trick: str) -> None:
    site = build_small_site(guide(f"Before.\n\n{RAW_HTML_TRICKS[trick]}\n\nAfter."))
    html = (site.output / "articles/guide/index.html").read_text(encoding="utf-8")
    soup = site.soup("articles/guide/index.html")
    assert not soup.select("script[src*=evil], img[onerror], svg animate, noscript, textarea")
    assert not soup.select('img[src^="https://tracker"], a[ping]')
    assert "Dr Fake" not in " ".join(p.get_text() for p in soup.select(".review-dates"))
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")


def test_a_forged_review_box_made_with_an_attribute_list_cannot_publish(build_small_site) -> None:
    forged = guide("Reviewed by Dr Fake, MD\n{: .review-dates }\n\nText.")
    site = build_small_site(forged)
    assert not (site.output / "articles/guide/index.html").exists()
    assert any("review-dates" in message for message in site.warnings)


@pytest.mark.parametrize(
    "body",
    [
        'A paragraph.\n{: onclick="alert(1)" }',
        'A paragraph.\n{: style="display:none" }',
        "[Click](javascript:alert(1))",
        "![A pixel](https://tracker.example.org/pixel.png)",
        '[A link](https://example.org/){: ping="https://tracker.example.org/" }',
    ],
)
def test_markup_outside_the_allow_list_stops_the_page(build_small_site, body: str) -> None:
    site = build_small_site(guide(body))
    assert not (site.output / "articles/guide/index.html").exists()
    assert any("allow-list" in message for message in site.warnings)


REFUSED_MARKUP = [
    '<p onclick="alert(1)">a</p>',
    "<p title='a=\"\" b'>x</p>",
    "<p&#8220;>x</p>",
    '<p a&#8220;="1">x</p>',
    '<p &#8220;="1" id=x>x</p>',
    "<p>a<!-- &#8220; -->b</p>",
    "<script>&#8220;</script><style>p{}</style>",
    '<a href="javascript&#58;alert(1)">x</a>',
    '<a href="&#106;avascript:x" title="&#8220;">x</a>',
    '<div class="care-card&#128;">x</div>',
    '<div class="care-card&nbsp;evil">x</div>',
    '<img src="https://tracker.example.org/p.png" alt="&ldquo;">',
    "<p>a<br />b</b></p><textarea>&#8220;</textarea><noscript>x</noscript>",
    '<svg><animate onbegin="x"/></svg><title>&#8220;</title>',
    '<span data-pagefind-ignore id="a=&quot;&quot;">x=""</span><span class=x data-x>y</span>',
]
ALLOWED_MARKUP = [
    "<table><tr><td>&#160;</td></tr></table>",  # html5ever adds a tbody: compared in full
    "<p>&#128; &#55296;</p>",  # references parsers may read differently: compared in full
    '<span data-pagefind-ignore id="a=&quot;&quot;">x=""</span>',
    '<p><abbr title="&#8220;&ldquo;&#x201D;&#233;">AB</abbr>&#160;a<br>b &#8212;</p>',
    '<p>&#8220;Ketamine&#8221;&#160;&mdash; &amp; x=""</p>\n<h2 id="q">Why?</h2>\n'
    '<p><sup class="reference-mark" data-pagefind-ignore id="r"><a href="#fn:1">1</a></sup></p>',
]


@pytest.mark.parametrize("html", [*REFUSED_MARKUP, *ALLOWED_MARKUP])
def test_the_allow_lists_quick_answer_is_the_full_comparisons(html: str, monkeypatch) -> None:
    """Nothing refused when the sanitized copy is the HTML spelled alike: taken only when the
    full comparison (element by element) finds the same elements, and refuses nothing."""
    from article_markup import allowed
    from html_structure import element_tokens

    sanitized = allowed.sanitize(html)
    quick = allowed.spelled_alike(sanitized) == allowed.spelled_alike(html)
    if quick:
        assert element_tokens(sanitized) == element_tokens(html)
    assert quick or html in REFUSED_MARKUP + ALLOWED_MARKUP[:2]  # ours takes the quick answer
    answer = allowed.disallowed_markup(html)
    monkeypatch.setattr(allowed, "spelled_alike", lambda _: object())  # never alike
    assert answer == allowed.disallowed_markup(html)
    assert bool(answer) == (html in REFUSED_MARKUP)


def test_a_summary_is_text_in_the_page_the_listing_and_the_atom_feed(build_small_site) -> None:
    import xml.etree.ElementTree as ET

    summary = 'Read <b>this</b> <script src="https://evil.example.org/x.js"></script> now.'
    site = build_small_site(guide(summary=summary), FEED)
    for path in ("articles/guide/index.html", "index.html"):
        soup = site.soup(path)
        assert not soup.select("script[src*=evil]") and not soup.select("b"), path
    entry = ET.parse(site.output / "feeds/all.atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    [summary_html] = [e.findtext(f"{atom}summary") for e in entry.iter(f"{atom}entry")]
    assert "&lt;script" in summary_html and "<script" not in summary_html
    assert "&lt;b&gt;this&lt;/b&gt;" in summary_html


def test_a_summary_link_that_is_not_https_stops_the_page(build_small_site) -> None:
    site = build_small_site(guide(summary="See [this](javascript:alert(1))."), FEED)
    assert not (site.output / "articles/guide/index.html").exists()
    feed = (site.output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "javascript:" not in feed


def test_the_shipped_site_builds_the_same_bodies_with_raw_html_off() -> None:
    """Our extensions make every element the content needs: with raw HTML on again (as before
    this round), every shipped file converts to exactly the same HTML."""
    from conftest import small_site_settings
    from markdown import Markdown
    from reading.reading import SiteMarkdownReader, markdown_settings

    settings = small_site_settings(PROJECT_ROOT)
    SiteMarkdownReader(settings)
    config = markdown_settings(settings)
    for path in shipped_content():
        text = path.read_text(encoding="utf-8")
        ours = Markdown(**config).convert(text)
        before = Markdown(**config)
        before.preprocessors.register(  # put Python-Markdown's raw HTML back
            __import__("markdown").preprocessors.HtmlBlockPreprocessor(before), "html_block", 20
        )
        before.inlinePatterns.register(
            __import__("markdown").inlinepatterns.HtmlInlineProcessor(
                __import__("markdown").inlinepatterns.HTML_RE, before
            ),
            "html",
            90,
        )
        assert before.convert(text) == ours, path.name


# --- Pathological Markdown and huge images --------------------------------------------------


def test_fifty_thousand_brackets_are_one_finding_and_the_build_refuses_before_markdown(
    build_small_site,
) -> None:
    from content_check.runner import check_sources

    text = ARTICLE.format(summary="A summary.", body="Intro.\n\n" + "[" * 50_000)
    src = source(text)
    findings = check_sources([src], {}, TODAY)
    too_complex = [f for f in findings if f.code == "file-too-complex"]
    assert [f.line for f in too_complex] == [None, 9]
    assert '50,000 "[" in the file' in too_complex[0].message
    site = build_small_site({"articles/guide.md": text})
    assert any("too" in m.lower() or "[" in m for m in site.warnings)
    assert not (site.output / "articles/guide/index.html").exists()


def test_deep_nesting_is_a_finding_with_its_line() -> None:
    from content_check.markup import check_limits

    nested = "\n".join("    " * level + "- item" for level in range(15))
    findings = check_limits(source(f"Title: A\n\n{nested}\n"), context())
    assert [f.line for f in findings] == list(range(3 + 10, 3 + 15))


def write_png_header(path: Path, width: int, height: int) -> None:
    """A real PNG of ``width`` x ``height`` black pixels (1 bit each, compressed: small)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_an_image_over_the_pixel_budget_is_a_finding_read_from_its_header(tmp_path: Path) -> None:
    from content_check.images import check_image_sizes

    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    write_png_header(images / "huge.png", 20_000, 20_000)
    write_png_header(images / "share.png", 1200, 630)
    assert (images / "huge.png").stat().st_size < 1_000_000
    settings = {"STATIC_PATHS": ["images", "extra"]}
    [finding] = check_image_sizes(settings, tmp_path / "content", tmp_path)
    assert (finding.code, finding.file) == ("image-too-large", "content/images/huge.png")
    assert "20,000 x 20,000 pixels" in finding.message


def test_every_metadata_value_is_text_on_the_page_and_in_the_feed(build_small_site) -> None:
    """Title, Summary and a review note with markup: escaped wherever they are shown."""
    import xml.etree.ElementTree as ET

    trick = '<img src=x onerror="alert(1)"><script src="https://evil.example.org/x.js"></script>'
    text = (
        f"Title: A guide {trick}\nSlug: guide\nDate: 2025-01-01\nCategory: Ketamine\n"
        f"Summary: A summary {trick}\nReviewed_by: example-reviewer\nLast_reviewed: 2025-01-02\n"
        f"Review_history:\n    2025-01-02 | example-reviewer | Checked {trick}\n\nSome text.\n"
    )
    site = build_small_site({"articles/guide.md": text}, FEED)
    for path in ("articles/guide/index.html", "index.html", "archives/index.html"):
        soup = site.soup(path)
        assert not soup.select("img[onerror], script[src*=evil]"), path
    feed = ET.parse(site.output / "feeds/all.atom.xml").getroot()
    for element in feed.iter():
        if element.tag.endswith(("title", "summary", "content")):
            shown = element.text or ""  # HTML a feed reader renders
            assert "<script" not in shown and "<img" not in shown, (element.tag, shown)


def test_a_writers_note_allows_a_quoted_claim_and_never_reaches_the_page(build_small_site) -> None:
    body = (
        "<!-- allow-claim: cure — quoting a myth to correct it -->\n"
        'Some sites say ketamine is a "cure". It is not.\n\n'
        "<!-- A note to the editor\nover two lines. -->\n\nMore text."
    )
    src = source(ARTICLE.format(summary="A summary.", body=body))
    assert checks.check_claims(src, context()) == []
    site = build_small_site(guide(body))
    html = (site.output / "articles/guide/index.html").read_text(encoding="utf-8")
    assert "allow-claim" not in html and "to the editor" not in html and "&lt;!--" not in html
    assert "Some sites say" in html and "More" in html


def test_the_first_value_wins_whatever_the_order_of_the_extensions() -> None:
    from markdown import Markdown
    from reading.reading import markdown_settings

    config = {"extension_configs": {"article_markup": {}, "markdown.extensions.meta": {}}}
    md = Markdown(**markdown_settings({"MARKDOWN": config, "DEFAULT_LANG": "en"}))
    md.convert("Title: A\nSlug: first\nSlug: second\n\n<b>text</b>\n")
    assert md.Meta["slug"] == ["first"]
    assert "html_block" not in md.preprocessors


def test_a_language_mark_the_site_cannot_read_is_an_error_on_its_line() -> None:
    """``[words]{lang=en}`` is read; a space, a word for a code or a missing brace is not, and
    readers would see the brackets."""
    good = "[Ketamine for pain management]{lang=en} (en inglés). [x]{lang=en-US}"
    bad = [
        "[Ketamine] {lang=en}",
        "[Ketamine]{lang=english}",
        "[Ketamine]{lang=en",
        "[K]{ lang=en }",
    ]
    src = source("Title: A\n\n" + good + "\n\n" + "\n\n".join(bad) + "\n")
    found = checks.check_language_parts(src, context())
    assert [(f.code, f.line) for f in found] == [("text-language-mark", n) for n in (5, 7, 9, 11)]
    assert all("{lang=en}" in f.fix for f in found)
