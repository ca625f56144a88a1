"""Which built page a reviewer's packet prints: the address of one article's source file.

A clinician asks for the packet by the file they review (``invoke review FILE --packet``), as
they sign it off; the packet is printed from the built page at the address Pelican gives that
file, worked out as the writer's check works it out (plugins/content_check/links.py): the slug
(``Slug:`` or the file's name) in ``ARTICLE_URL``, or ``ARTICLE_LANG_URL`` for a translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content_check.runner import collect_sources, load_pelican_settings
from site_config import site_config

from handouts.pages import HandoutError


@dataclass(frozen=True)
class PacketSource:
    """The article a packet is printed for."""

    name: str  # the source file as the writer names it: content/articles/x.md
    url_path: str  # its page in the built site: "/articles/x/", "/es/articles/x/"
    file_stem: str  # the packet's file name without ".pdf": "x-review-packet", "x-es-..."


def packet_source(root: Path | str, file: str) -> PacketSource:
    """The article whose source is ``file`` (from the project folder ``root``), checked.

    Raises :class:`HandoutError` naming the file and the fix for a file that does not exist,
    is not an article the site builds, or is a draft (a draft has no page to print).
    """
    root = Path(root).resolve()
    path = Path(file) if Path(file).is_absolute() else root / file
    settings = load_pelican_settings(root, production=False)
    sources, _, _ = collect_sources(root, settings)
    src = next((src for src in sources if src.path.resolve() == path.resolve()), None)
    if src is None or src.kind != "article":
        problem = "there is no such file" if not path.is_file() else "it is not an article"
        raise HandoutError(
            f"{file}: {problem}, so there is no packet to print. Give the path of an article "
            "from the project folder, e.g. content/articles/is-ketamine-safe.md "
            "(`invoke reviews` lists every article)."
        )
    if src.meta("status") == "draft":
        raise HandoutError(
            f"{src.name}: Status is draft, and a draft has no page for the packet to print. "
            "Remove the `Status: draft` line when the text is ready for review."
        )
    slug = src.meta("slug") or src.path.stem
    default_lang = site_config(settings).default_lang
    language = src.meta("lang") or default_lang
    if language == default_lang:
        pattern, stem = settings.get("ARTICLE_URL", "{slug}.html"), slug
    else:
        pattern, stem = settings.get("ARTICLE_LANG_URL", "{slug}-{lang}.html"), f"{slug}-{language}"
    address = "/" + pattern.replace("{slug}", slug).replace("{lang}", language).lstrip("/")
    return PacketSource(src.name, address, f"{stem}-review-packet")
