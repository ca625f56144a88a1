"""Figures: a paragraph holding only an image with a title becomes a captioned ``figure``.

``![What the picture shows]({static}/images/figures/day.svg "The caption")`` becomes
``<figure class="figure"><img src alt width height loading="lazy"><figcaption>The caption
</figcaption></figure>``. Width and height come from the SVG file itself (its ``width`` and
``height``, else its ``viewBox``), so the browser keeps the figure's space before it loads.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from .tree import text_of

STATIC_PREFIXES = ("{static}", "|static|")
NUMBER_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")


def image_alone(paragraph: Any) -> Any | None:
    """The ``img`` that is the only thing in ``paragraph`` (no text around it), or None."""
    if paragraph.tag != "p" or len(paragraph) != 1 or (paragraph.text or "").strip():
        return None
    image = paragraph[0]
    if image.tag != "img" or (image.tail or "").strip():
        return None
    return image


def make_figures(root: Any, content_folder: Path | None) -> list[dict[str, str]]:
    """Turn each image-with-a-title paragraph into a figure (in place); what each one is.

    Returns ``{"src", "alt", "caption"}`` for every figure made, in document order.
    """
    figures = []
    for paragraph in list(root.iter("p")):
        image = image_alone(paragraph)
        if image is None or not (image.get("title") or "").strip():
            continue
        caption_text = image.attrib.pop("title").strip()
        paragraph.tag = "figure"
        paragraph.attrib = {"class": "figure"}
        paragraph.text = "\n"
        image.tail = "\n"
        image.set("loading", "lazy")
        size = svg_size(resolve_static(image.get("src", ""), content_folder))
        if size and not image.get("width"):
            image.set("width", str(size[0]))
            image.set("height", str(size[1]))
        caption = etree.SubElement(paragraph, "figcaption")
        caption.text = caption_text
        caption.tail = "\n"
        figures.append(
            {"src": image.get("src", ""), "alt": image.get("alt", ""), "caption": text_of(caption)}
        )
    return figures


def resolve_static(src: str, content_folder: Path | None) -> Path | None:
    """The file a ``{static}/...`` (or site-root ``/...``) image address names, if knowable."""
    if content_folder is None:
        return None
    for prefix in STATIC_PREFIXES:
        if src.startswith(prefix):
            src = src[len(prefix) :]
            break
    if not src.startswith("/") or src.startswith("//"):
        return None  # relative to the article's own folder, or another site
    return content_folder / src.lstrip("/").split("?")[0].split("#")[0]


def svg_size(path: Path | None) -> tuple[int, int] | None:
    """An SVG file's size in CSS pixels (``width``/``height``, else ``viewBox``), or None."""
    if path is None or path.suffix.lower() != ".svg" or not path.is_file():
        return None
    try:
        svg = etree.parse(path).getroot()
    except etree.ParseError:
        return None
    width, height = _number(svg.get("width")), _number(svg.get("height"))
    if width and height:
        return round(width), round(height)
    box = (svg.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:  # min-x, min-y, width, height
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            return None
    return None


def _number(value: str | None) -> float | None:
    match = NUMBER_RE.match(value or "")
    return float(match.group(1)) if match else None
