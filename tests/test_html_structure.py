"""html_structure.html_events: HTML as Markdown's serializer writes it is read with one regular
expression, to exactly the events Python's html.parser gives; anything else goes to html.parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, small_site_settings
from html_structure import _parser_events, _serialized_events, html_events
from test_reading import load_build_scale

# Each read by the regular expression: what Markdown's serializer may write.
SERIALIZED = [
    "",
    "text &amp; only, &lt;no tag&gt; &unknown; & &#;",
    '<p>Fish &amp; chips &#x3c; &#8220;q&#8221;&nbsp;x</p>\n<h2 id="a&amp;b">One</h2>\n',
    '<P CLASS="Up" Data-X="">mixed case</P><br><br/><br /><hr>\n<img alt="a" src="/i.png">',
    '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;" title="&#60;t&#62;">l</a>',
    '<div class="callout\ncallout--note" hidden>\n\n<p>two\nlines</p>\n</div>',
    '<span aria-hidden="true">x</span><sup data-pagefind-ignore>1</sup> tail &am',
    '<ol start="3">\n<li>a</li>\n</ol>\n<p>unclosed &',
]
# Each left to html.parser: comments, raw-text elements, a bare "<", unquoted or single-quoted
# values, an end tag with more than its name, other whitespace inside a tag.
NOT_SERIALIZED = [
    "<p>x<!-- <p>c</p> --></p>",
    "<p>a <script>if (a < b) '<p>'</script> b</p>",
    "<style>p > a { }</style><p>x</p>",
    "<title>a <b> c</title><textarea><p></textarea>",
    "<p>a < b</p>",
    "<p class=x>a</p>",
    "<p class='x'>a</p>",
    "<p>a</p >",
    '<p\tclass="a">a</p>',
    "<p>x<?pi?></p><!DOCTYPE html>",
    "<p>a <3</p>",
    "text <",
]


@pytest.mark.parametrize("html", SERIALIZED + NOT_SERIALIZED)
def test_html_events_are_html_parsers(html: str) -> None:
    """The same events as html.parser's, from the start and stopping at a tag."""
    for stop_at in (None, "h2", "br", "p"):
        expected = _parser_events(html, True, stop_at)
        assert html_events(html, stop_at=stop_at) == expected
    assert (_serialized_events(html, None) is not None) == (html in SERIALIZED)
    assert html_events(html, convert_charrefs=False) == _parser_events(html, False, None)


def test_every_shipped_and_synthetic_page_is_read_by_the_regular_expression_alike(
    tmp_path: Path,
) -> None:
    """Every body and formatted field the reading workers convert (the shipped content and
    synthetic articles) is read by the regular expression, to html.parser's very events."""
    from reading import reading

    synthetic = load_build_scale().write_content(tmp_path, 3)
    settings = reading.site_reading_settings(small_site_settings(PROJECT_ROOT))
    sources = [*sorted((PROJECT_ROOT / "content").rglob("*.md")), *synthetic.rglob("synthetic*")]
    assert len(sources) > 30
    read = 0
    for source in sources:
        converted = reading.convert(str(source), settings)
        for html in (converted.content, *converted.formatted.values()):
            events = _serialized_events(html, None)
            assert events is not None, source
            assert events == _parser_events(html, True, None), source
            read += bool(events)
    assert read > len(sources)


def test_a_ctrl_c_inside_nh3s_filter_stops_after_the_cleaning_instead_of_being_dropped() -> None:
    """nh3's attribute filter is Python called from Rust: a Ctrl-C that landed in it was printed
    ("Exception ignored") and dropped, and a build went on to its end (a CI run of the
    Ctrl-C build test saw it). It is held through the call and raised after it."""
    import os
    import signal

    from html_structure import clean

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # a terminal's
    filtered: list[str] = []

    def filter_pressing_ctrl_c(element: str, attribute: str, value: str) -> str:
        if not filtered:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, delivered in the filter's own code
        filtered.append(value)
        return value

    html = '<p><a href="/a/">a</a> <a href="/b/">b</a></p>'
    with pytest.raises(KeyboardInterrupt):
        clean(html, tags={"p", "a"}, attributes={"a": {"href"}},
              attribute_filter=filter_pressing_ctrl_c, url_schemes={"https"})  # fmt: skip
    assert filtered[0] == "/a/" and "/b/" in filtered  # the cleaning ran to its end first
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
