"""Translations across files: each one has its original, one per language, and keeps up with it.

A translation is an article or page with ``Lang:`` one of the site's other languages
(``LANGUAGES``) and the ``Slug`` of its original in ``DEFAULT_LANG``, as Pelican links them
(``content/articles/es/x.md`` with ``Lang: es``). The codes:

- ``translation-missing``: an article in the default language with no translation in another
  language (warning), or a translation with no original (error: Pelican would publish it in
  the original's place).
- ``translation-duplicate``: two translations of one original in the same language (error).
- ``translation-stale``: the original's text changed since the translation was brought in
  line with it. A translation records which version of its original it follows
  (``Synced_with``: the fingerprint of the original's reader-visible text, written by
  ``invoke translations --synced FILE``); when the original's text no longer has that
  fingerprint, the finding names both files and what changed in the original, whatever the
  dates say. A translation without ``Synced_with`` falls back on the dates: the original was
  reviewed (``Last_reviewed``) or changed (``Modified``) after the translation's own last
  review (or, not yet reviewed, its own last change). A warning while writing, an error when
  publishing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from clinical_review import fingerprint as text_fingerprint
from dates import parse_iso_date
from site_config import site_config

from content_check.checks import Context, _finding, parse_day
from content_check.findings import Finding, Severity
from content_check.source import SourceFile, as_read

Key = tuple[str, str]  # (kind, slug)


def check_translations(
    sources: list[SourceFile], ctx: Context, only: set[str] | None = None
) -> list[Finding]:
    """Every finding about translations across the site's files (of the files named ``only``,
    when given: a translation's fingerprint converts its original, worth skipping)."""
    default = ctx.settings["SITE"].default_lang
    languages = ctx.settings["SITE"].codes
    originals: dict[Key, SourceFile] = {}
    translations: dict[Key, dict[str, list[SourceFile]]] = defaultdict(lambda: defaultdict(list))
    for src in sources:
        slug, language = src.meta("slug"), ctx.language(src)
        if not slug or language not in languages:  # meta-missing / meta-value report it
            continue
        if language == default:
            originals.setdefault((src.kind, slug), src)
        else:
            translations[(src.kind, slug)][language].append(src)
    wanted = (lambda src: True) if only is None else (lambda src: src.name in only)
    findings = []
    for key, by_language in translations.items():
        # Its findings are on the translations: worked out only for those wanted.
        if any(wanted(src) for versions in by_language.values() for src in versions):
            findings += _check_one_original(originals.get(key), by_language, ctx)
    for key, original in originals.items():
        if wanted(original):
            findings += _untranslated(original, translations.get(key, {}), ctx)
    return findings


def _check_one_original(
    original: SourceFile | None, by_language: dict[str, list[SourceFile]], ctx: Context
) -> list[Finding]:
    findings = []
    for versions in by_language.values():
        findings += [_duplicate(versions[0], other, ctx) for other in versions[1:]]
        for translation in versions:
            if original is None:
                findings.append(_no_original(translation, ctx))
            else:
                findings += _stale(original, translation, ctx)
    return findings


def _language_name(ctx: Context, language: str) -> str:
    site = ctx.settings["SITE"]
    name = site.language(language).name if language in site.codes else language
    return f"{name} ({language})"


def _no_original(translation: SourceFile, ctx: Context) -> Finding:
    slug, default = translation.meta("slug"), ctx.settings["SITE"].default_lang
    return _finding(
        translation,
        translation.meta_line("slug"),
        "error",
        "translation-missing",
        f"This {translation.kind} is a translation (Lang: {ctx.language(translation)}) of "
        f'"{slug}", but no {translation.kind} in {_language_name(ctx, default)} has '
        f"Slug: {slug}, so Pelican would publish it in place of an original.",
        f"Give it the Slug of the {translation.kind} it translates, or write and publish the "
        "original first.",
    )


def _duplicate(first: SourceFile, other: SourceFile, ctx: Context) -> Finding:
    language, slug = ctx.language(other), other.meta("slug")
    return _finding(
        other,
        other.meta_line("slug"),
        "error",
        "translation-duplicate",
        f"{first.name} and {other.name} are both the {_language_name(ctx, language)} "
        f'translation of "{slug}"; Pelican keeps only one of them.',
        "Keep one translation per language: merge the two files into one, or give the other "
        "one its own Slug if it is a different text.",
    )


def _untranslated(
    original: SourceFile, translated: dict[str, list[SourceFile]], ctx: Context
) -> list[Finding]:
    """An article (not a draft) with no translation in one of the site's other languages."""
    if original.kind != "article" or original.meta("status") == "draft":
        return []
    default = ctx.settings["SITE"].default_lang
    missing = [
        language
        for language in ctx.settings["SITE"].codes
        if language != default and language not in translated
    ]
    if not missing:
        return []
    names = ", ".join(_language_name(ctx, language) for language in missing)
    folders = ", ".join(f"content/articles/{language}/" for language in missing)
    return [
        _finding(
            original,
            None,
            "warning",
            "translation-missing",
            f"This article has no translation in {names} yet; readers of that language "
            "do not find it on their site.",
            f"Translate it into {folders} (same file name) with Lang: {missing[0]} and "
            f"Slug: {original.meta('slug')}; a clinician then reviews the translation.",
        )
    ]


def originals_of(sources: list[SourceFile], default_lang: str) -> dict[Key, SourceFile]:
    """The originals of the site (in its default language) by (kind, slug)."""
    originals: dict[Key, SourceFile] = {}
    for src in sources:
        if src.meta("slug") and (src.meta("lang") or default_lang) == default_lang:
            originals.setdefault((src.kind, src.meta("slug")), src)
    return originals


def out_of_step(
    original: SourceFile, translation: SourceFile, reader_settings: dict | None
) -> tuple[list[str] | None, list[str]] | None:
    """The original's text when the translation was synced with it (None when no copy is
    kept) and its text now, when the two differ; None when in step, not synced, or unknown."""
    synced = translation.meta("synced_with")
    if not synced or not reader_settings:
        return None
    now = text_fingerprint.source_lines(original.path, reader_settings)
    if now is None:
        return None
    now = text_fingerprint.translation_lines(now)
    if text_fingerprint.fingerprint(now) == synced:
        return None
    folder = text_fingerprint.approved_folder(reader_settings)
    return text_fingerprint.approved_lines(folder, synced), now


def file_lines(src: SourceFile) -> list[str]:
    """The lines of ``src``'s file: the whole check has them; a check of one file alone (the
    other files' facts from their table) reads them here."""
    return src.lines or as_read(src.path.read_text(encoding="utf-8")).split("\n")


def original_change(
    original: SourceFile, translation: SourceFile, reader_settings: dict | None
) -> str | None:
    """What changed in the original since the translation was synced with it (its
    ``Synced_with`` fingerprint), in short; None when in step, not synced, or unknown."""
    texts = out_of_step(original, translation, reader_settings)
    if texts is None:
        return None
    before, now = texts
    if before is None:
        return "its text (no copy of the synced version is kept here to say where)"
    return text_fingerprint.what_changed(before, now, source=file_lines(original))


def _stale(original: SourceFile, translation: SourceFile, ctx: Context) -> list[Finding]:
    """The original's text changed since the translation was synced with it; or, for a
    translation never synced, the original was reviewed or changed after its last review."""
    severity: Severity = "error" if ctx.production else "warning"
    if translation.meta("synced_with"):
        what = original_change(original, translation, ctx.settings.get("READER_SETTINGS"))
        if what is None:
            return []
        return [
            _finding(
                translation,
                translation.meta_line("synced_with"),
                severity,
                "translation-stale",
                f"The original ({original.name}) has changed since this translation "
                f"({translation.name}) was brought in line with it: {what}. It may no longer "
                "say what the original says"
                + (", and production builds do not publish it." if severity == "error" else "."),
                f"Bring {translation.name} in line with {original.name} (`invoke translations "
                f"--changes {translation.name}` shows the original's change), then record it with "
                f"`invoke translations --synced {translation.name}` and have it reviewed.",
            )
        ]
    changed, what = _last_event(original, ("last_reviewed", "reviewed"), ("modified", "changed"))
    own, own_what = _translation_checked(translation)
    if changed is None or own is None or changed <= own:
        return []
    key = "last_reviewed" if translation.meta("last_reviewed") else "modified"
    return [
        _finding(
            translation,
            translation.meta_line(key) or translation.meta_line("slug"),
            severity,
            "translation-stale",
            f"The original ({original.name}) was {what} on {changed}, after this translation "
            f"was {own_what} ({own}): it may no longer say what the original says"
            + (", and production builds do not publish it." if severity == "error" else "."),
            "Bring the translation in line with the original, record it with `invoke "
            f"translations --synced {translation.name}`, and have it reviewed again.",
        )
    ]


def _translation_checked(translation: SourceFile) -> tuple[dt.date | None, str]:
    """When the translation was last checked against its original: its last review, or (not
    yet reviewed) its last change, or the day it was first published."""
    if translation.meta("last_reviewed"):  # not a date: meta-date reports it
        return parse_iso_date(translation.meta("last_reviewed")), "last reviewed"
    return _last_event(translation, ("date", "first published"), ("modified", "last changed"))


def _last_event(src: SourceFile, *events: tuple[str, str]) -> tuple[dt.date | None, str]:
    """The latest of the file's dates among ``events`` ((key, what happened)), with its name."""
    latest: tuple[dt.date | None, str] = (None, "")
    for key, what in events:
        value = src.meta(key)
        day = parse_iso_date(value) if key == "last_reviewed" else parse_day(key, value)
        if day is not None and (latest[0] is None or day > latest[0]):
            latest = (day, what)
    return latest


def check_catalogues(settings: dict, root: Path) -> list[Finding]:
    """``catalogue-mismatch``: a translation in a theme catalogue with markup or a placeholder
    its message id lacks (the build refuses to start: plugins/languages)."""
    from translations import catalogue_folder, catalogue_problems

    if not settings.get("THEME"):
        return []
    folder = catalogue_folder(settings)
    findings = []
    for language in site_config(settings).codes:
        for problem in catalogue_problems(folder, language):
            try:
                name = problem.po_file.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                name = str(problem.po_file)
            findings.append(
                Finding(
                    name,
                    problem.line,
                    "error",
                    "catalogue-mismatch",
                    f"The translation of {problem.message_id!r} has {problem.what}. Every page "
                    "in this language would show it; the build refuses to start.",
                    "Make the translation say what the message id says, with the same markup "
                    "and placeholders (%(name)s) and other words. `invoke translations` "
                    "updates the catalogues; a translator never adds HTML.",
                )
            )
    return findings
