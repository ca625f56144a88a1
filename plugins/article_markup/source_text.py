"""What Markdown reads of a content file: text only, never raw HTML; the metadata read once.

Python-Markdown passes raw HTML through untouched (its ``html_block`` preprocessor and ``html``
inline pattern). Our content has none: every element a page needs comes from Markdown and our
extensions, so both are switched off here and ``<script>``, ``<img onerror>``, ``<!-->``,
``~~~`` pseudo-fences and the like reach the page as the text the writer typed, escaped.

Two things the writer may still put in a file, and what becomes of them:

- **Writer's notes**, ``<!-- ... -->`` (``allow-claim`` notes, notes to an editor): removed
  before Markdown reads the text, by ``blank_writer_notes``, the one rule the writer's check
  also reads the body with. A ``<!--`` without its ``-->`` stays text.
- **The metadata block** is read by ``metadata_block.read_metadata_block`` (the check's and
  ``invoke review``'s reading too), in place of the ``meta`` extension's: a repeated key keeps
  its first value.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from metadata_block import read_metadata_block

# A writer's note: "<!--" to the first "-->" after it (over several lines too).
WRITER_NOTE_RE = re.compile(r"<!--.*?-->", re.S)
# Python-Markdown's registry names for raw HTML (markdown.preprocessors / inlinepatterns).
RAW_HTML_PREPROCESSOR = "html_block"
RAW_HTML_INLINE_PATTERN = "html"
# After normalize_whitespace (30), where the meta (27) and html_block (20) preprocessors run.
META_PRIORITY = 27
NOTES_PRIORITY = 20


def blank_writer_notes(text: str) -> str:
    """``text`` with every writer's note removed, its line breaks kept (lines keep numbers)."""
    return WRITER_NOTE_RE.sub(lambda match: "\n" * match.group(0).count("\n"), text)


class FirstValueMetaPreprocessor(Preprocessor):
    """The metadata block into ``md.Meta``, as ``meta`` does, but the first value of a key wins."""

    def run(self, lines: list[str]) -> list[str]:
        """Take the block off the top of ``lines`` and keep it as ``md.Meta``."""
        block = read_metadata_block(lines)
        self.md.Meta = block.as_markdown_meta()  # type: ignore[attr-defined]
        return lines[block.end :]


class WriterNotesPreprocessor(Preprocessor):
    """Removes writer's notes before any other reading of the body."""

    def run(self, lines: list[str]) -> list[str]:
        """The lines without writer's notes."""
        return blank_writer_notes("\n".join(lines)).split("\n")


def text_only(md: Markdown) -> None:
    """Switch raw HTML off in ``md`` and remove writer's notes instead (body and fields alike)."""
    for registry, name in (
        (md.preprocessors, RAW_HTML_PREPROCESSOR),
        (md.inlinePatterns, RAW_HTML_INLINE_PATTERN),
    ):
        if name in registry:
            registry.deregister(name)
    md.preprocessors.register(WriterNotesPreprocessor(md), "writer_notes", NOTES_PRIORITY)


def read_metadata_first_value_wins(md: Markdown) -> None:
    """Put the shared reading of the metadata block in place of the ``meta`` extension's."""
    if "meta" in md.preprocessors:
        md.preprocessors.register(FirstValueMetaPreprocessor(md), "meta", META_PRIORITY)


class TextOnlyExtension(Extension):
    """``article_markup.source_text``: no raw HTML, for Markdown that is not a whole article
    (plugins/reading converts the Summary with it)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Switch raw HTML off."""
        text_only(md)


def makeExtension(**kwargs: Any) -> TextOnlyExtension:
    """Python-Markdown's entry point: ``Markdown(extensions=["article_markup.source_text"])``."""
    return TextOnlyExtension(**kwargs)
