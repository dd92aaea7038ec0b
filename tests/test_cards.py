"""Social cards, read back from real builds as a chat app or a social site reads a shared link:
the page's og:image, then the PNG at that address."""

from __future__ import annotations

import pytest
from PIL import Image

from built_site import build, file_for, html_pages, make_content
from sitegen.write.cards import CardText, draw_card, shown

BASE = "https://example.org/archive/"
SCRIPT_TITLE = "大规模语言模型的推理能力"  # a script the card's font lacks: no boxes, no title on the card
SCRIPT_DUMP = f"""Daily Papers

Nov 21

{SCRIPT_TITLE}

An abstract about reasoning in large language models, long enough to read as one abstract.

  • 3 authors

·

Nov 21, 2025 7
"""


def built_site(root, paper_cards: bool):
    content = make_content(root, f'title = "Test Archive"\nbase_url = "{BASE}"\npaper_cards = {str(paper_cards).lower()}\n')
    (content / "listings" / "2025-11-21-script.txt").write_text(SCRIPT_DUMP, encoding="utf-8")
    out = build(content, root / "out", "--no-search")
    return out, html_pages(out, BASE)


@pytest.fixture(scope="module")
def with_paper_cards(tmp_path_factory):
    return built_site(tmp_path_factory.mktemp("cards"), paper_cards=True)


@pytest.fixture(scope="module")
def without_paper_cards(tmp_path_factory):
    return built_site(tmp_path_factory.mktemp("daycards"), paper_cards=False)


def card_of(out, url: str, page) -> Image.Image:
    image_url = page.meta["og:image"]
    assert image_url.startswith(BASE), f"{url}: og:image {image_url} is not an absolute URL under the base URL"
    assert page.meta["twitter:image"] == image_url
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["og:image:alt"] == page.meta["twitter:image:alt"] != ""
    path = file_for(out, BASE, image_url)
    assert path is not None, f"{url}: its card {image_url} was not built"
    image = Image.open(path)
    assert image.format == "PNG" and image.size == (1200, 630), url
    return image


def test_every_page_has_a_card_that_exists_at_1200_by_630(with_paper_cards):
    out, pages = with_paper_cards
    images = {url: page.meta["og:image"] for url, page in pages.items()}
    for url, page in pages.items():
        card_of(out, url, page)
    # Each day, tag, organisation and paper has a card of its own; the rest show the site's.
    for prefix in ("days/2025-", "tags/", "orgs/", "papers/"):
        own = [url for url in pages if url.startswith(BASE + prefix) and "/page/" not in url and url.count("/") > 5]
        assert own, prefix
        assert len({images[url] for url in own}) == len(own), prefix
    assert images[BASE + "tags/"] == images[BASE] == BASE + "cards/site.png"
    assert images[BASE + "tags/language-models/page/2/"] == images[BASE + "tags/language-models/"]


def test_a_paper_card_says_in_its_alt_text_what_it_shows(with_paper_cards):
    out, pages = with_paper_cards
    page = next(page for url, page in pages.items() if url.startswith(BASE + "papers/") and page.h1.startswith("Breaking"))
    alt = page.meta["og:image:alt"]
    assert alt.startswith("Paper card of Test Archive: Breaking </script>")
    assert "Nov 19, 2025" in alt and "42 upvotes" in alt


def test_a_title_in_a_script_the_font_lacks_is_left_off_its_card(with_paper_cards):
    out, pages = with_paper_cards
    url, page = next((url, page) for url, page in pages.items() if page.h1 == SCRIPT_TITLE)
    alt = page.meta["og:image:alt"]
    assert SCRIPT_TITLE not in alt and alt.startswith("Paper card of Test Archive; Nov 21, 2025")
    with_title = draw_card(CardText("Test Archive", "Paper", "Some title", ("Nov 21, 2025", "7 upvotes"), ()))
    assert file_for(out, BASE, page.meta["og:image"]).read_bytes() != with_title
    card_of(out, url, page)


def test_without_paper_cards_a_paper_page_shows_its_day_card(without_paper_cards):
    out, pages = without_paper_cards
    paper = next(page for url, page in pages.items() if page.h1 == SCRIPT_TITLE)
    day = pages[BASE + "days/2025-11-21/"]
    assert paper.meta["og:image"] == day.meta["og:image"] == BASE + "cards/days/2025-11-21.png"
    assert not (out / "cards" / "papers").exists()
    undated = next(page for url, page in pages.items() if url.startswith(BASE + "papers/") and page.facts_date is None)
    assert undated.meta["og:image"] == BASE + "cards/days/undated.png"
    card_of(out, "undated", undated)


def test_the_font_draws_latin_greek_and_punctuation_and_refuses_what_it_lacks():
    assert shown("Café — naïve Δ-learning “quoted” → x ≤ y") != ""
    assert shown("Cafe\u0301") == "Café"  # a combining accent is composed before checking
    assert shown("Emoji 😀 title") == "" and shown("العربية") == ""
    assert shown("Tab\tand\x01control\u200b") == "Tab andcontrol"  # the font would draw boxes for them
