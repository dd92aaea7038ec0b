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


def draw_card(card: CardText) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    x, y = MARGIN, 56
    draw.text((x, y), card.site, font=font(34, bold=True), fill=ACCENT)
    y += 60
    draw.text((x, y), card.kind.upper(), font=font(26, bold=True), fill=MUTED)
    y += 48
    if card.title:
        face, lines = title_lines(card.title, width)
        step = int(face.size * 1.18)
        for line in lines:
            draw.text((x, y), line, font=face, fill=INK)
            y += step
        y += 12
    facts = " · ".join(card.facts)
    if facts:
        face = font(32)
        draw.text((x, y), fit(facts, face, width), font=face, fill=MUTED)
    pills(draw, card.tags, x, HEIGHT - 56 - 48)
    out = io.BytesIO()
    # In a palette of the card's colours and their blends, the PNG is a quarter
    # of the RGB file; mapping to a fixed palette costs half of computing one.
    image.quantize(palette=palette(), dither=Image.Dither.NONE).save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()


@functools.cache
def palette() -> Image.Image:
    """Each ink on each ground it is drawn on, in eight steps of anti-aliasing."""
    colours = dict.fromkeys(
        tuple(round(ground[i] + (ink[i] - ground[i]) * step / 7) for i in range(3))
        for ink in (INK, MUTED, ACCENT, PILL) for ground in (BACKGROUND, PILL) for step in range(8))
    image = Image.new("P", (1, 1))
    image.putpalette([value for colour in colours for value in colour])
    return image


@functools.lru_cache(maxsize=4096)  # a site has a few dozen tags, on thousands of cards
def tag_length(tag: str) -> int:
    """The width of a tag's text on its pill, in pixels."""
    return int(font(28).getlength(tag))


def pills(draw: ImageDraw.ImageDraw, tags: tuple[str, ...], x: int, y: int) -> None:
    """Tags as rounded pills along one row; the planner passes only those that fit (`tags_that_fit`)."""
    face = font(28)
    for tag in tags:
        length = tag_length(tag)
        draw.rounded_rectangle((x, y, x + length + 36, y + 48), radius=24, fill=PILL)
        draw.text((x + 18, y + 7), tag, font=face, fill=INK)
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
