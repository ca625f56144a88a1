"""The typography cache gives exactly typogrify's output, and typogrifies each text once."""

from __future__ import annotations

from pathlib import Path

from typography import typography
from typogrify.filters import typogrify as original

SAMPLE = (
    '<h2>Is it "safe" -- and for whom?</h2><p>Your doctors team checks you... '
    'every week &amp; month with the FDA label.</p><pre>"raw" -- code</pre>'
)


def test_cached_output_is_typogrifys_output(tmp_path: Path) -> None:
    calls = []

    def counting(text: str, ignore_tags: object = None, **options: bool) -> str:
        calls.append(text)
        return original(text, ignore_tags, **options)

    cached = typography.cached_typogrify(counting, tmp_path)
    options = {"amp": False, "caps": False, "initial_quotes": False}
    expected = original(SAMPLE, ["pre"], **options)
    assert cached(SAMPLE, ["pre"], **options) == expected
    assert cached(SAMPLE, ["pre"], **options) == expected
    assert len(calls) == 1
    assert "&#8220;safe&#8221;" in expected and "&#8212;" in expected


def test_changed_settings_are_a_different_entry(tmp_path: Path) -> None:
    cached = typography.cached_typogrify(original, tmp_path)
    assert cached(SAMPLE, None, caps=False) != cached(SAMPLE, None, caps=True)
    assert cached(SAMPLE, None, caps=True) == original(SAMPLE, None, caps=True)


def test_guarded_smartypants_steps_change_nothing() -> None:
    import smartypants

    attr = smartypants.Attr
    attrs = (None, attr.q | attr.D | attr.e | attr.u, attr.q | attr.B | attr.i | attr.e | attr.w)
    texts = [
        SAMPLE,
        "<p>It's 'quoted' and \"double\" -- a dash --- and... dots. . . ``tick''</p>",
        "<p>Escapes: \\\\ \\\" \\' \\. \\- \\` and &#8220;entities&#8221; &amp; '90s</p>",
        "<p>Plain words only</p><p>\"</p><em>'</em>x",
    ]
    typography.guard_smartypants_steps()
    guarded = {name: getattr(smartypants, name) for name in typography.STEP_TRIGGERS}
    assert all(hasattr(step, "__guarded_step__") for step in guarded.values())
    with_guards = [smartypants.smartypants(text, attr) for text in texts for attr in attrs]
    try:
        for name, step in guarded.items():
            setattr(smartypants, name, step.__guarded_step__)
        without = [smartypants.smartypants(text, attr) for text in texts for attr in attrs]
    finally:
        for name, step in guarded.items():
            setattr(smartypants, name, step)
    assert with_guards == without
