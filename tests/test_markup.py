"""Listing text becomes escaped text with http(s) links, whose hrefs are valid URLs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.plan.markup import excerpt, linkify, shorter_excerpt


def test_braces_and_backslashes_end_a_url():
    html = linkify(r"Code: \url{https://github.com/a/b}. Or {https://x.org/c}")
    assert '<a href="https://github.com/a/b" rel="nofollow noopener">https://github.com/a/b</a>}.' in html
    assert '<a href="https://x.org/c" rel="nofollow noopener">https://x.org/c</a>}' in html


def test_odd_characters_are_percent_encoded_in_the_href_only():
    html = linkify("see https://a.org/p|q^r[1]%zz%41é now")
    assert '<a href="https://a.org/p%7Cq%5Er%5B1%5D%25zz%41%C3%A9" rel="nofollow noopener">https://a.org/p|q^r[1]%zz%41é</a> now' in html


def test_javascript_urls_stay_text():
    html = linkify("javascript:alert(1) and JavaScript://x.org/%0aalert(1)")
    assert "<a" not in html


def test_quotes_and_tags_end_a_url_and_stay_escaped():
    html = linkify('https://x.org/"><script>alert(1)</script>')
    assert html == '<p><a href="https://x.org/" rel="nofollow noopener">https://x.org/</a>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>'


def test_prose_punctuation_stays_outside_and_balanced_brackets_inside():
    assert '<a href="https://e.com/a(b)c" rel="nofollow noopener">https://e.com/a(b)c</a>).' in linkify("(https://e.com/a(b)c).")


def test_an_excerpt_ends_at_a_whole_word_with_an_ellipsis():
    text = "We study   diffusion,\n\nand more " + "words " * 100
    assert excerpt(text, 30) == "We study diffusion, and more…"
    assert excerpt("Short\n  abstract. ", 30) == "Short abstract."


def test_whitespace_before_the_words_does_not_shorten_an_excerpt():
    text = " \n" * 400 + "one two three four five six seven"
    assert excerpt(text, 20) == "one two three four…"


def flattened_then_cut(text: str, limit: int) -> str:
    """What an excerpt is, said the slow way: every whitespace run becomes one space, then the cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


TEXT_PIECES = st.lists(st.sampled_from(["a", "bc", "word,", ",;", ":", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "é", "…"]),
                       max_size=200).map("".join)


@given(TEXT_PIECES, st.integers(min_value=1, max_value=40))
def test_an_excerpt_is_the_flattened_text_cut(text: str, limit: int):
    assert excerpt(text, limit) == flattened_then_cut(text, limit)


@given(TEXT_PIECES, st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=40))
def test_a_shorter_excerpt_cut_from_a_longer_one_is_the_excerpt_of_the_text(text: str, limit: int, more: int):
    assert shorter_excerpt(excerpt(text, limit + more), text, limit) == flattened_then_cut(text, limit)


def test_a_description_is_cut_shorter_than_its_card_excerpt():
    abstract = "We propose a method, " * 20
    assert shorter_excerpt(excerpt(abstract, 60), abstract, 30) == "We propose a method, We…"
