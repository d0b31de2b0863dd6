"""Synthetic facsimile pages for the demo and the tests: drawn by Pillow, and saying on their face what they are.

Never a fake archival scan: every page carries SYNTHETIC_NOTICE across its head and foot, and stands for a
document only by its title and page number.
"""

import io

from PIL import Image, ImageDraw, ImageFont

SYNTHETIC_NOTICE = "Synthetic facsimile for the Opis demo — not an archival scan"
PAPER = (244, 238, 222)
INK = (40, 40, 60)
BANNER = (170, 30, 30)


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def _centred_notice(draw: ImageDraw.ImageDraw, font, x: float, y: float) -> None:
    """The notice centred at (x, y). Pillow's built-in font has no em dash: it is drawn as a rule."""
    before, after = (part.strip() for part in SYNTHETIC_NOTICE.split("—"))
    gap = draw.textlength("  ", font=font)
    dash = draw.textlength("M", font=font)
    total = draw.textlength(before, font=font) + dash + draw.textlength(after, font=font) + 2 * gap
    left = x - total / 2
    draw.text((left, y), before, font=font, fill="white", anchor="lm")
    left += draw.textlength(before, font=font) + gap
    draw.line((left, y + 1, left + dash, y + 1), fill="white", width=max(2, int(font.size / 12)))
    draw.text((left + dash + gap, y), after, font=font, fill="white", anchor="lm")


def synthetic_page(*, title: str, page: int, pages: int, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A PNG page: the notice in a red band at head and foot, the title, the page number, and grey bars where
    lines of text would be (no invented text)."""
    width, height = size
    unit = width / 1240
    picture = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(picture)
    band = int(110 * unit)
    notice = _font(int(34 * unit))
    for top in (0, height - band):
        draw.rectangle((0, top, width, top + band), fill=BANNER)
        _centred_notice(draw, notice, width / 2, top + band / 2)
    margin = int(110 * unit)
    y = band + int(80 * unit)
    heading = _font(int(44 * unit))
    for line in _wrap(draw, title, heading, width - 2 * margin):
        draw.text((margin, y), line, font=heading, fill=INK)
        y += int(60 * unit)
    draw.text((margin, y + int(10 * unit)), f"Page {page} of {pages}", font=_font(int(30 * unit)), fill=INK)
    y += int(90 * unit)
    bar = int(16 * unit)
    row = 0
    while y < height - band - int(120 * unit):
        ragged = (row * 37) % 5 * int(60 * unit)  # paragraph-like line ends, the same on every run
        draw.rectangle((margin, y, width - margin - ragged, y + bar), fill=(200, 195, 182))
        y += int(44 * unit)
        row += 1
    draw.rectangle((0, 0, width - 1, height - 1), outline=INK, width=max(1, int(4 * unit)))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
