"""Images a reader's browser must decode: within a pixel budget (``image-too-large``).

A 20,000 x 20,000 PNG is 431 KB on disk and 1.6 GB in a phone's memory once decoded. Only the
header is read (Pillow opens lazily), so the check stays fast whatever the file holds.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from content_check.findings import Finding

RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff"}
DEFAULT_MAX_PIXELS = 4096 * 4096  # a 16-megapixel photo; our share image has 0.8


def image_files(content_dir: Path, static_paths: list[str]) -> list[Path]:
    """Every raster image in the static folders of content/."""
    found = []
    for folder in static_paths:
        base = content_dir / folder
        candidates = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        found += [path for path in candidates if path.suffix.lower() in RASTER_SUFFIXES]
    return found


def pixels_of(path: Path) -> tuple[int, int] | None:
    """An image's width and height from its header, or None when Pillow cannot read it."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # the header only: no decompression-bomb refusal here
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def check_image_sizes(settings: dict, content_dir: Path, root: Path) -> list[Finding]:
    """``image-too-large``: an image over CHECK_MAX_IMAGE_PIXELS (width x height)."""
    budget = int(settings.get("CHECK_MAX_IMAGE_PIXELS") or DEFAULT_MAX_PIXELS)
    findings = []
    for path in image_files(content_dir, list(settings.get("STATIC_PATHS") or [])):
        size = pixels_of(path)
        if size is None or size[0] * size[1] <= budget:
            continue
        width, height = size
        findings.append(
            Finding(
                Path(os.path.relpath(path, root)).as_posix(),
                None,
                "error",
                "image-too-large",
                f"The image is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} "
                f"megapixels; at most {budget / 1e6:,.0f}). A reader's browser decodes every "
                "pixel: it can freeze or crash a phone.",
                "Resize it to the size it is shown at (at most 2,000 pixels wide is plenty), "
                "e.g. in an image editor's Export or Resize.",
            )
        )
    return findings
