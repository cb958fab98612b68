"""The card a shared link shows in chat and social apps: a 1200×630 PNG of the title and a small time axis."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from factline.axis import BAR, POINT, Axis

WIDTH, HEIGHT = 1200, 630
# A real font when the machine has one (Debian's fonts-dejavu-core); Pillow's own otherwise.
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF")]
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

INK, MUTED, LINE, BG, CARD = "#1d232b", "#5d6875", "#d9dee4", "#f7f8fa", "#ffffff"
BAND, BAND_INK, BAND_MUTED = "#14202e", "#ffffff", "#9fb3c8"
COLOURS = {POINT: "#163f70", BAR: "#1f5fa8", "span": "#2a8a7a"}
DISPUTE, DISPUTE_BG, CLUSTER_BG = "#8b3fa0", "#efdcf5", "#dbe6f3"
MARGIN = 60
PLOT = (MARGIN + 20, 340, WIDTH - MARGIN - 20, 560)  # left, top, right, line of years


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at `size` pixels, or Pillow's built-in scalable font when no font file is installed."""
    for folder in FONT_DIRS:
        path = folder / (BOLD if bold else REGULAR)
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines of at most `width` pixels, the last cut with an ellipsis."""
    words, out, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=face) <= width:
            line = candidate
            continue
        if line:
            out.append(line)
        line = word
        while draw.textlength(line, font=face) > width:  # a word longer than the line (a pasted address)
            cut = len(line) - 1
            while cut > 1 and draw.textlength(line[:cut], font=face) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and draw.textlength(last + "…", font=face) > width:
            last = last[:-1].rstrip()
        out[-1] = last + "…"
    return out


def _fade(image: Image.Image, box: tuple[int, int, int, int], colour: str) -> None:
    """A bar whose ends fade out: an approximate date."""
    left, top, right, bottom = box
    width = max(right - left, 1)
    bar = Image.new("RGBA", (width, bottom - top), colour)
    alpha = Image.new("L", (width, 1))
    ramp = max(width * 0.3, 1)
    alpha.putdata([int(255 * min(1, 0.15 + 0.85 * min(x, width - 1 - x) / ramp)) for x in range(width)])
    bar.putalpha(alpha.resize((width, bottom - top)))
    image.alpha_composite(bar, (left, top))


def _hatch(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """Purple stripes on pale purple: disputed, as on the page."""
    left, top, right, bottom = box
    width, height = max(right - left, 1), max(bottom - top, 1)
    tile = Image.new("RGBA", (width, height), DISPUTE_BG)
    stripes = ImageDraw.Draw(tile)
    for x in range(-height, width, 9):
        stripes.line([(x, height), (x + height, 0)], fill=DISPUTE, width=3)
    image.alpha_composite(tile, (left, top))
    ImageDraw.Draw(image).rectangle(box, outline=DISPUTE, width=2)


def _axis(image: Image.Image, draw: ImageDraw.ImageDraw, axis: Axis) -> None:
    left, top, right, line = PLOT
    draw.rounded_rectangle((MARGIN, top - 22, WIDTH - MARGIN, line + 48), radius=14, fill=CARD, outline=LINE, width=2)
    span = right - left
    lane = min(32, (line - top - 8) // max(axis.lanes, 1))
    bar = max(lane - 12, 4)
    first_lane = line - 14 - axis.lanes * lane  # the marks sit just above the line of years

    def x_of(percent: float) -> int:
        return round(left + span * percent / 100)

    for tick in axis.ticks:
        draw.line([(x_of(tick.x), top - 8), (x_of(tick.x), line)], fill="#e6e9ee", width=2)
    draw.line([(right, top - 8), (right, line)], fill="#e6e9ee", width=2)
    draw.line([(left, line), (right, line)], fill="#8792a0", width=3)
    labels = font(22)
    step = 2 if len(axis.ticks) > 8 else 1
    for index, tick in enumerate(axis.ticks):
        if tick.label and index % step == 0:
            draw.text((x_of(tick.label_x), line + 22), tick.label, font=labels, fill=MUTED, anchor="mm")
    for mark in axis.marks:
        y = first_lane + mark.lane * lane
        if mark.kind == POINT:
            cx, cy, r = x_of(mark.center), y + bar // 2, max(bar // 2 + 1, 4)
            colour = DISPUTE if mark.disputed else COLOURS[POINT]
            if mark.fuzzy:
                _fade(image, (cx - 2 * r, cy - r, cx + 2 * r, cy + r), colour)
            else:
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour, outline=CARD, width=2)
            continue
        box = (x_of(mark.x), y, max(x_of(mark.x + mark.width), x_of(mark.x) + 3), y + bar)
        if mark.disputed:
            _hatch(image, box)
        elif mark.fuzzy:
            _fade(image, box, COLOURS[mark.kind])
        else:
            draw.rectangle(box, fill=COLOURS[mark.kind])
    counts = font(max(bar + 2, 12), bold=True)
    for cluster in axis.clusters:
        y = first_lane + cluster.lane * lane
        box = (x_of(cluster.x), y - 2, x_of(cluster.x + cluster.width), y + bar + 2)
        draw.rounded_rectangle(box, radius=(bar + 4) // 2, fill=CLUSTER_BG, outline=COLOURS[BAR], width=2)
        middle = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        draw.text(middle, str(cluster.count), font=counts, fill=INK, anchor="mm")


def render(*, title: str, kind: str, summary: str, axis: Axis | None) -> bytes:
    """The card as PNG bytes: the brand, what kind of page, the title, a line of facts, the axis."""
    image = Image.new("RGBA", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 76), fill=BAND)
    draw.text((MARGIN, 38), "Factline", font=font(34, bold=True), fill=BAND_INK, anchor="lm")
    brand_end = MARGIN + draw.textlength("Factline", font=font(34, bold=True))
    draw.text((brand_end + 20, 40), kind, font=font(24), fill=BAND_MUTED, anchor="lm")
    heading = font(60, bold=True)
    lines = _wrap(draw, title, heading, WIDTH - 2 * MARGIN, 2 if axis else 4)
    y = 112
    for line in lines:
        draw.text((MARGIN, y), line, font=heading, fill=INK)
        y += 72
    draw.text((MARGIN, y + 8), summary, font=font(28), fill=MUTED)
    if axis is not None:
        _axis(image, draw, axis)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
