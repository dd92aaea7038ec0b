"""Social cards: the 1200x630 PNG a chat or a social site shows for a shared link.

A card is drawn from a `CardText` alone (plan/cards.py makes them), so the
PNG is a pure function of it: equal texts give equal bytes, and a build
cache may key a card by the hash of its text.

The font is Source Sans Pro from the `font-source-sans-pro` package (pip
installs it with sitegen; nothing is fetched at run time). A text with a
character the font has no glyph for would be drawn with a box in its place
("tofu"): `shown()` tells the planner, which leaves such a text off the card
rather than show boxes.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import font_source_sans_pro
import numpy as np
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (251, 250, 247)
INK = (28, 30, 33)
MUTED = (84, 88, 94)
ACCENT = (179, 58, 27)  # the site's link colour, as a band down the left edge
PILL = (236, 233, 226)
TITLE_SIZES = (64, 54, 46)  # the largest size whose wrapped title fits in TITLE_LINES lines
TITLE_LINES = 4
COMPRESS_LEVEL = 3  # zlib's: files a third larger than at 6 (18 KB), drawn in two thirds of the time
MOST_CHARACTERS = 400  # of a title that wrapping looks at: four lines hold fewer
FONT_DIR = Path(font_source_sans_pro.font_directory)


@dataclass(frozen=True, slots=True)
class CardText:
    """Everything a card shows. Texts the font cannot draw are left out by the planner."""

    site: str  # the site's name, at the top of every card
    kind: str  # what the page is: "Paper", "Day", "Tag", "Organisation", ...
    title: str  # may be "" when the font lacks its script
    facts: tuple[str, ...]  # date, upvotes, paper counts: one line under the title
    tags: tuple[str, ...]  # drawn as pills along the bottom, as many as fit


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


@functools.cache
def _missing_glyph() -> tuple:
    return _glyph("\ue000")  # a private-use character: the font draws its .notdef box for it


def _glyph(char: str) -> tuple:
    mask = font(40, bold=True).getmask(char)
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=8192)  # a site's titles use a few hundred distinct characters
def has_glyph(char: str) -> bool:
    return char == " " or _glyph(char) != _missing_glyph()


@functools.lru_cache(maxsize=8192)  # the same tag names and counts come back on card after card
def shown(text: str) -> str:
    """`text` as the card draws it, or "" if the font lacks any of its characters.

    NFC, so an accented letter is one glyph; whitespace runs become one space and
    control and format characters go, since the font draws a box for a tab or a \x01."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))
    return text if all(map(has_glyph, text)) else ""


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """`text` broken at spaces into at most `lines` lines of at most `width` pixels, the last ellipsised if cut."""
    result: list[str] = []
    for word in text[:MOST_CHARACTERS].split():
        while True:  # a word wider than the card is cut where it reaches the edge
            piece = fit(word, face, width)
            if result and face.getlength(f"{result[-1]} {piece}") <= width:
                result[-1] = f"{result[-1]} {piece}"
            elif len(result) == lines:
                return ellipsised(result, face, width)
            else:
                result.append(piece)
            word = word[len(piece):]
            if not word:
                break
    if len(text) > MOST_CHARACTERS:
        return ellipsised(result, face, width)
    return result


def fit(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """The longest start of `text` (at least one character) no wider than `width`."""
    if face.getlength(text) <= width:
        return text
    low, high = 1, len(text)  # a binary search: a hostile title may be one word of hundreds of letters
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if face.getlength(text[:middle]) <= width else (low, middle - 1)
    return text[:low]


def ellipsised(lines: list[str], face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    last = lines[-1]
    while last and face.getlength(last.rstrip(" ,.;:-") + "…") > width:
        last = last[:-1]
    return [*lines[:-1], last.rstrip(" ,.;:-") + "…"]


def title_lines(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    for size in TITLE_SIZES:
        face = font(size, bold=True)
        lines = wrap(title, face, width, TITLE_LINES)
        if not lines or not lines[-1].endswith("…"):
            return face, lines
    return face, lines


class Canvas:
    """A card as palette indices (`pixels`), drawn in place. Each text's anti-aliased mask
    becomes eight shades of its ink on its ground (`shade_table`), as mapping an RGB
    drawing to those colours gave, without drawing in RGB (three times the bytes) and
    mapping every pixel to the palette afterwards: a card in two thirds of the time."""

    def __init__(self) -> None:
        self.pixels = np.full((HEIGHT, WIDTH), blends()[BACKGROUND], dtype=np.uint8)

    def band(self, left: int, right: int, colour: tuple[int, int, int]) -> None:
        self.pixels[:, left:right] = blends()[colour]

    def shapes(self, image: Image.Image, x: int, y: int) -> None:
        """Shapes Pillow drew on a small palette image (its indices, 0 for none), placed at x, y."""
        drawn = np.asarray(image)
        region = self.pixels[y:y + drawn.shape[0], x:x + drawn.shape[1]]
        np.copyto(region, drawn, where=drawn > 0)

    def text(self, xy: tuple[int, int], text: str, face: ImageFont.FreeTypeFont, ink: tuple[int, int, int],
             ground: tuple[int, int, int] = BACKGROUND, repeated: bool = False) -> None:
        """`repeated`: a text many cards show (the site's name, a tag), whose mask is kept."""
        alpha, (dx, dy) = (kept_mask if repeated else text_mask)(text, face)
        x, y = xy[0] + dx, xy[1] + dy
        height, width = alpha.shape
        left, top = max(0, -x), max(0, -y)  # a glyph may reach past the card's edge
        right, bottom = min(width, WIDTH - x), min(height, HEIGHT - y)
        if left >= right or top >= bottom:
            return
        alpha = alpha[top:bottom, left:right]
        # Where the mask is empty the ground stays: the boxes of two lines' glyphs may overlap.
        np.copyto(self.pixels[y + top:y + bottom, x + left:x + right], shade_table(ink, ground)[alpha], where=alpha > 0)

    def png(self) -> bytes:
        image = Image.frombuffer("P", (WIDTH, HEIGHT), self.pixels, "raw", "P", 0, 1)
        image.putpalette(palette_values())
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=COMPRESS_LEVEL)
        return out.getvalue()


def text_mask(text: str, face: ImageFont.FreeTypeFont) -> tuple[np.ndarray, tuple[int, int]]:
    """The text's coverage (0-255) as Pillow draws it at a point, and where it starts from that point."""
    mask, offset = face.getmask2(text, "L", anchor="la", start=(0.0, 0.0))
    if not mask.size[0] or not mask.size[1]:
        return np.zeros((0, 0), dtype=np.uint8), offset
    # Image.Image()._new wraps the mask as an image, as Pillow's own ImageFont does: bytes(mask)
    # reads it a pixel at a time (slower than drawing the card). tests/test_pinned_internals.py
    # checks the result against drawing the text with ImageDraw.
    return np.asarray(Image.Image()._new(mask)), offset


kept_mask = functools.lru_cache(maxsize=1024)(text_mask)


def draw_card(card: CardText) -> bytes:
    """The card as PNG bytes."""
    canvas = Canvas()
    canvas.band(0, 17, ACCENT)
    pills(canvas, card.tags, MARGIN, HEIGHT - 56 - 48)
    width = WIDTH - 2 * MARGIN
    x, y = MARGIN, 56
    canvas.text((x, y), card.site, font(34, bold=True), ACCENT, repeated=True)
    y += 60
    canvas.text((x, y), card.kind.upper(), font(26, bold=True), MUTED, repeated=True)
    y += 48
    if card.title:
        face, lines = title_lines(card.title, width)
        step = int(face.size * 1.18)
        for line in lines:
            canvas.text((x, y), line, face, INK)
            y += step
        y += 12
    facts = " · ".join(card.facts)
    if facts:
        face = font(32)
        canvas.text((x, y), fit(facts, face, width), face, MUTED)
    return canvas.png()


@functools.cache
def blends() -> dict[tuple[int, int, int], int]:
    """Each ink on each ground it is drawn on, in eight steps of anti-aliasing: colour -> palette index."""
    colours = dict.fromkeys(blend(ink, ground, step)
                            for ink in (INK, MUTED, ACCENT, PILL) for ground in (BACKGROUND, PILL) for step in range(8))
    return {colour: index for index, colour in enumerate(colours)}


def blend(ink: tuple[int, int, int], ground: tuple[int, int, int], step: int) -> tuple[int, int, int]:
    """`ink` over `ground` at `step` sevenths of full coverage."""
    return tuple(round(ground[i] + (ink[i] - ground[i]) * step / 7) for i in range(3))


@functools.cache
def shade_table(ink: tuple[int, int, int], ground: tuple[int, int, int]) -> np.ndarray:
    """The palette index of each coverage of `ink` on `ground`, 0 (none: the ground) to 255 (the ink)."""
    shades = [blends()[blend(ink, ground, step)] for step in range(8)]
    return np.array([shades[(coverage * 7 + 127) // 255] for coverage in range(256)], dtype=np.uint8)


@functools.cache
def palette_values() -> list[int]:
    return [value for colour in blends() for value in colour]


@functools.lru_cache(maxsize=4096)  # a site has a few dozen tags, on thousands of cards
def tag_length(tag: str) -> int:
    """The width of a tag's text on its pill, in pixels."""
    return int(font(28).getlength(tag))


def pills(canvas: Canvas, tags: tuple[str, ...], x: int, y: int) -> None:
    """Tags as rounded pills along one row; the planner passes only those that fit (`tags_that_fit`)."""
    if not tags:
        return
    face, lengths = font(28), [tag_length(tag) for tag in tags]
    row = Image.new("P", (sum(lengths) + (36 + 14) * len(tags), 49), 0)
    draw, left = ImageDraw.Draw(row), 0
    for length in lengths:
        draw.rounded_rectangle((left, 0, left + length + 36, 48), radius=24, fill=blends()[PILL])
        left += length + 36 + 14
    canvas.shapes(row, x, y)
    for tag, length in zip(tags, lengths):
        canvas.text((x + 18, y + 7), tag, face, INK, ground=PILL, repeated=True)
        x += length + 36 + 14


def tags_that_fit(tags: tuple[str, ...]) -> tuple[str, ...]:
    """The first of `tags` whose pills fit on the card's one row, so a card's alt text names only what it shows."""
    x, right = MARGIN, WIDTH - MARGIN
    kept = []
    for tag in tags:
        end = x + tag_length(tag) + 36
        if end > right:
            break
        kept.append(tag)
        x = end + 14
    return tuple(kept)
