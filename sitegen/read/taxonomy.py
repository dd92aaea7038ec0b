"""Topic tags: a curator-edited taxonomy (`content/tags.toml`) matched on text.

    [diffusion-models]
    name = "Diffusion models"
    phrases = ["diffusion model", "denoising diffusion", "score-based generative"]

A phrase matches a paper's title or abstract case-insensitively on word
boundaries, except that a phrase in capitals ("CLIP", "RAG") is an acronym
and matches only in capitals (so "CLIP" is not found in "a reference clip");
punctuation between words does not matter ("pre-training" matches "pre
training"), except that no phrase spans the title and the abstract or a
clause mark (. , ; : ! ?), so "our code, models and data" holds no
"code model". Web addresses in the text are skipped. The phrase's last word
also matches its plural ("diffusion model" matches "diffusion models").
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitegen.read.config import key_line, load_toml
from sitegen.core.diagnostics import Diagnostics

WORD = re.compile(r"[^\W_]+")
# A web address, a word, or a clause mark ("." and "," between digits, as in
# "1.5" or "10,000", are neither).
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")
TOKEN = re.compile(WEB_ADDRESS.pattern + r"|[^\W_]+|[;:!?]|[.,](?!\d)|(?<!\d)[.,]")
BREAK = "|"  # stands for a clause mark, a web address or the title's end; never a word
# The same tokens for ASCII text without a web address (nearly every title
# and abstract), by C-speed string operations rather than a regex call per
# token, 2-3 times faster: "." and "," between digits become spaces, clause
# marks become BREAK, every other non-alphanumeric character a space.
ASCII_TOKENS = bytes(c if chr(c).isalnum() else ord(BREAK) if chr(c) in ";:!?.," else ord(" ") for c in range(256))
DIGIT_SEPARATOR = re.compile(r"[.,](?=\d)(?<=\d[.,])")  # the mark first: the regex engine skips to it quickly
# Digits as "0" and marks as ".": a "0.0" says there is a digit separator to
# find (looking for it costs a tenth of what the regex does).
DIGITS_AND_MARKS = bytes(ord("0") if chr(c).isdigit() else ord(".") if chr(c) in ".," else ord(" ") for c in range(256))
TAG_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Tag(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str = Field(pattern=TAG_SLUG)
    name: str = Field(min_length=1)
    description: str = ""
    phrases: tuple[str, ...] = ()

    @field_validator("phrases")
    @classmethod
    def phrases_have_words(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        for phrase in phrases:
            if not words_of(phrase):
                raise ValueError(f"phrase {phrase!r} has no letters or digits, so it can never match")
        return phrases


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True)

    tags: tuple[Tag, ...] = ()

    def by_slug(self) -> dict[str, Tag]:
        return {tag.slug: tag for tag in self.tags}


def normal(text: str) -> str:
    # NFKC first: a decomposed "e\u0301" or a PDF ligature "\ufb01" must read as
    # the same word as the precomposed "\xe9" / plain "fi" a curator types.
    return unicodedata.normalize("NFKC", text).casefold()


def words_of(text: str) -> list[str]:
    return WORD.findall(normal(text))


class Tokens(NamedTuple):
    """A text's tokens, made once for both tag matching and related papers."""

    clauses: list[str]  # its words, with BREAK for each clause mark and each web address
    # Its words, web addresses' too, as `words_of` gives them, except that
    # BREAKs may stand among them (it saves a pass; one character, they are no term).
    words: list[str]


def tokens_of(text: str) -> Tokens:
    """BREAK stands for each web address as for a clause mark: "github.com/x/CLP-and-MoE"
    names a repository, it does not discuss MoE."""
    text = normal(text)
    if text.isascii() and "://" not in text and "www." not in text:
        if b"0.0" in text.encode().translate(DIGITS_AND_MARKS):
            text = DIGIT_SEPARATOR.sub(" ", text)
        marked = text.encode().translate(ASCII_TOKENS).decode()
        clauses = marked.replace(BREAK, f" {BREAK} ").split() if BREAK in marked else marked.split()
        return Tokens(clauses, clauses)
    # A token is a word exactly when it is all letters and digits (what `WORD`
    # matches): str.isalnum is the same test without a regex call per token.
    clauses = [token if token.isalnum() else BREAK for token in TOKEN.findall(text)]
    return Tokens(clauses, WORD.findall(text))


def is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def acronym_pattern(phrase: str) -> re.Pattern:
    """The acronym in capitals, as whole words, with any non-word characters between its words."""
    words = WORD.findall(unicodedata.normalize("NFKC", phrase))
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?:e?s)?(?![^\W_])")


class TagMatcher:
    """Finds every tag whose phrase occurs in a text, in time linear in the text.

    The text's distinct words (and their singulars) are intersected with the
    phrases' words (set operations, in C); a phrase whose words are not all
    among them cannot occur, and only the rest are checked as substrings of
    the space-joined words, so thousands of phrases cost almost nothing.
    """

    def __init__(self, taxonomy: Taxonomy):
        # A one-word phrase occurs when its word is among the text's: word -> tag slugs.
        self.one_word: dict[str, set[str]] = {}
        # Phrases of more words by their first two: first word -> second word ->
        # (the phrase's words, what to look for in the joined text, tag slug).
        self.by_first_words: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]]] = {}
        # Acronyms are found case-insensitively like any phrase, under a key of
        # their own, then checked in capitals: key -> (tag slug, pattern).
        self.acronyms: dict[str, tuple[str, re.Pattern]] = {}
        # Any word may be a phrase's last, so a text's "tokenizers" also stands for
        # "tokenizer" (and "patches" for "patch"): plural -> the phrase words it can be.
        self.plurals: dict[str, set[str]] = {}
        for tag in taxonomy.tags:
            for phrase in tag.phrases:
                words = tuple(words_of(phrase))
                slug = tag.slug
                if is_acronym(phrase):  # a slug of its own, so a match says which phrase it was
                    slug = f"{tag.slug}\0{phrase}"
                    self.acronyms[slug] = (tag.slug, acronym_pattern(phrase))
                if len(words) == 1:
                    self.one_word.setdefault(words[0], set()).add(slug)
                else:
                    stem = " ".join(words)
                    needles = (f" {stem}", f" {stem} ", f" {stem}s ", f" {stem}es ")  # the first, to rule out quickly
                    self.by_first_words.setdefault(words[0], {}).setdefault(words[1], []).append((words, needles, slug))
                for word in words:
                    self.plurals.setdefault(word + "s", set()).add(word)
                    self.plurals.setdefault(word + "es", set()).add(word)
        # Frozen sets, so that intersecting one with a text's words walks the smaller of the two.
        self.one_word_set = frozenset(self.one_word)
        self.first_words = frozenset(self.by_first_words)
        self.second_words = {first: frozenset(seconds) for first, seconds in self.by_first_words.items()}
        self.phrase_words = frozenset(word for seconds in self.by_first_words.values() for phrases in seconds.values()
                                      for words, _, _ in phrases for word in words) | self.one_word_set
        self.plural_set = frozenset(self.plurals)
        self.forms = self.phrase_words | self.plural_set  # how phrase words may stand in a text

    def match(self, words: list[str]) -> tuple[str, ...]:
        # The phrase words the text has, by set operations in C rather than a loop over the text.
        present = self.forms.intersection(words)
        candidates = (present & self.phrase_words).union(*map(self.plurals.__getitem__, present & self.plural_set))
        found = set().union(*map(self.one_word.__getitem__, candidates & self.one_word_set))
        joined = ""
        for first in candidates & self.first_words:
            seconds = self.by_first_words[first]
            for second in self.second_words[first] & candidates:
                for phrase, needles, slug in seconds[second]:
                    if slug not in found and candidates.issuperset(phrase):
                        joined = joined or f" {' '.join(words)} "
                        if needles[0] in joined and (needles[1] in joined or needles[2] in joined or needles[3] in joined):
                            found.add(slug)
        return tuple(sorted(found))

    def match_paper(self, title: str, abstract: str, tokens: tuple[Tokens, Tokens] | None = None) -> tuple[str, ...]:
        """A paper's tags; no phrase spans the title and the abstract or a clause mark.
        `tokens` are the title's and abstract's, when the caller has them already."""
        title_tokens, abstract_tokens = tokens or (tokens_of(title), tokens_of(abstract))
        found = self.match([*title_tokens.clauses, BREAK, *abstract_tokens.clauses])
        if self.acronyms.keys().isdisjoint(found):
            return found
        texts = [WEB_ADDRESS.sub(" ", unicodedata.normalize("NFKC", text)) for text in (title, abstract)]
        tags = {key for key in found if key not in self.acronyms}
        for key in self.acronyms.keys() & set(found):
            slug, pattern = self.acronyms[key]
            if slug not in tags and any(pattern.search(text) for text in texts):
                tags.add(slug)
        return tuple(sorted(tags))


def describe(error: dict) -> str:
    key = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r} (known: name, description, phrases)"
    if key == "slug":
        return "a tag's key must be lowercase words joined by '-'"
    if error["loc"][0] == "phrases" and error["type"] in ("tuple_type", "string_type"):
        return 'key \'phrases\' must be a list of strings, e.g. phrases = ["diffusion model"]'
    return f"key {key!r}: {error['msg'].removeprefix('Value error, ')}"


def load_taxonomy(content_dir: Path, report: Diagnostics) -> Taxonomy:
    path = content_dir / "tags.toml"
    if not path.exists():
        return Taxonomy()
    loaded = load_toml(path, report)
    if loaded is None:
        return Taxonomy()
    raw, text = loaded
    tags = []
    for slug, body in raw.items():
        if not isinstance(body, dict):
            report.error(path, key_line(text, slug), f"{slug!r} must be a table: [{slug}] with name = ... and phrases = [...]")
            continue
        try:
            tags.append(Tag.model_validate({"slug": slug, **body}))
        except ValidationError as exc:
            problems: dict[str, str] = {}  # message -> the key it is about, each message once
            for error in exc.errors():
                problems.setdefault(describe(error), str(error["loc"][0]))
            for message, key in problems.items():
                report.error(path, key_line(text, key if key != "slug" else None, slug), f"tag {slug!r}: {message}")
    return Taxonomy(tags=tuple(sorted(tags, key=lambda t: t.slug)))
