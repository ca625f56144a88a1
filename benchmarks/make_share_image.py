"""Make the default link-preview image: content/images/share.png, 1200 x 630, the site's name.

Run from the project root after changing SITENAME or SITE_TAGLINE in pelicanconf.py:

    .venv/bin/python benchmarks/make_share_image.py

Prints the file's size. The image uses few colours and is saved as a palette PNG, so it stays
a few kilobytes.
"""

from __future__ import annotations

import runpy
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "content" / "images" / "share.png"
SIZE = (1200, 630)
BACKGROUND = "#0b4f6c"  # deep teal
ACCENT = "#f2c14e"
TEXT = "#ffffff"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def site_text() -> tuple[str, str]:
    """The site's name and tagline from pelicanconf.py."""
    settings = runpy.run_path(str(ROOT / "pelicanconf.py"))
    return settings["SITENAME"], settings.get("SITE_TAGLINE", "")


def font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font, or Pillow's default when the file is missing."""
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def fit(draw: ImageDraw.ImageDraw, text: str, path: str, size: int, width: int) -> ImageFont:
    """The largest font up to ``size`` whose rendering of ``text`` fits in ``width``."""
    while size > 20:
        candidate = font(path, size)
        if draw.textlength(text, font=candidate) <= width:
            return candidate
        size -= 4
    return font(path, size)


def make_image(name: str, tagline: str) -> Image.Image:
    """Draw the share image: name large, tagline below, an accent bar."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 96
    width = SIZE[0] - 2 * margin
    draw.rectangle((margin, 200, margin + 160, 212), fill=ACCENT)
    title_font = fit(draw, name, FONT_BOLD, 76, width)
    draw.text((margin, 250), name, font=title_font, fill=TEXT)
    if tagline:
        draw.text(
            (margin, 360), tagline, font=fit(draw, tagline, FONT_REGULAR, 44, width), fill=TEXT
        )
    return image.quantize(colors=16)


def main() -> None:
    """Write content/images/share.png and print its size."""
    name, tagline = site_text()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    make_image(name, tagline).save(OUTPUT, optimize=True)
    print(f"{OUTPUT.relative_to(ROOT)}: {SIZE[0]}x{SIZE[1]}, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
