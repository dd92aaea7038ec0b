"""Slugs: readable, URL-safe, never empty, at most 80 characters, the same every build."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.slugs import MAX_LENGTH, slugify, with_suffix

URL_SAFE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def test_latin_titles_become_hyphenated_words():
    assert slugify("GPT-4 Technical Report") == "gpt-4-technical-report"
    assert slugify("Über: Große Modelle & <EOS> tokens!") == "uber-grosse-modelle-eos-tokens"


def test_chinese_gets_one_hyphenated_syllable_per_character():
    assert slugify("注意力机制") == "zhu-yi-li-ji-zhi"
    assert slugify("GPT-4: 大模型") == "gpt-4-da-mo-xing"


def test_japanese_kana_runs_stay_words():
    assert slugify("日本語のタイトル") == "ri-ben-yu-no-taitoru"


def test_other_scripts_and_emoji_give_readable_slugs():
    assert slugify("Привет мир") == "privet-mir"
    assert slugify("🚀🔥") == "rocket-fire"
    assert URL_SAFE.fullmatch(slugify("مرحبا بالعالم"))
    assert URL_SAFE.fullmatch(slugify("การเรียนรู้ของเครื่อง"))


def test_nothing_readable_falls_back_to_a_stable_hash():
    assert slugify("¿¡…!?") == slugify("¿¡…!?")
    assert re.fullmatch(r"untitled-[0-9a-f]{8}", slugify("¿¡…!?"))
    assert slugify("¿¡…!?") != slugify("…")


def test_long_titles_are_cut_at_a_word_within_80_characters():
    title = "Scaling " + "very " * 40 + "large models"
    slug = slugify(title)
    assert len(slug) <= MAX_LENGTH and slug.startswith("scaling-very-") and not slug.endswith("-")
    assert slug.split("-")[-1] == "very"


def test_a_suffix_keeps_the_whole_within_80_characters():
    long = slugify("word " * 40)
    assert len(with_suffix(long, "abc123")) <= MAX_LENGTH
    assert with_suffix(long, "abc123").endswith("-abc123")
    assert with_suffix("short", "abc123") == "short-abc123"


@settings(max_examples=500)
@given(st.text(min_size=1, max_size=300))
def test_any_text_gives_a_url_safe_slug_of_at_most_80_characters(title: str):
    slug = slugify(title)
    assert URL_SAFE.fullmatch(slug), slug
    assert len(slug) <= MAX_LENGTH
    assert slugify(title) == slug
