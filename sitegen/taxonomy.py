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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitegen.config import key_line, load_toml
from sitegen.diagnostics import Diagnostics

WORD = re.compile(r"[^\W_]+")
# A web address, a word, or a clause mark ("." and "," between digits, as in
# "1.5" or "10,000", are neither).
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")
TOKEN = re.compile(WEB_ADDRESS.pattern + r"|[^\W_]+|[;:!?]|[.,](?!\d)|(?<!\d)[.,]")
BREAK = "\u2029"  # stands for a clause mark, a web address or the title's end; never a word
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


def clauses_of(text: str) -> list[str]:
    """The text's words, with BREAK for each clause mark and each web address:
    "github.com/x/CLP-and-MoE" names a repository, it does not discuss MoE."""
    # A token is a word exactly when it is all letters and digits (what `WORD`
    # matches): str.isalnum is the same test without a regex call per token.
    return [token if token.isalnum() else BREAK for token in TOKEN.findall(normal(text))]


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
    phrases' first words (a set operation); a phrase whose words are not all
    among them cannot occur, and only the rest are checked as substrings of
    the space-joined words, so thousands of phrases cost almost nothing.
    """

    def __init__(self, taxonomy: Taxonomy):
        # first word -> (the phrase's words, what to look for in the joined text, tag slug)
        self.by_first_word: dict[str, list[tuple[tuple[str, ...], tuple[str, str, str], str]]] = {}
        # Acronyms are found case-insensitively like any phrase, under a key of
        # their own, then checked in capitals: key -> (tag slug, pattern).
        self.acronyms: dict[str, tuple[str, re.Pattern]] = {}
        for tag in taxonomy.tags:
            for phrase in tag.phrases:
                words = tuple(words_of(phrase))
                if words:
                    stem = " ".join(words)
                    needles = (f" {stem} ", f" {stem}s ", f" {stem}es ")
                    slug = tag.slug
                    if is_acronym(phrase):  # a slug of its own, so a match says which phrase it was
                        slug = f"{tag.slug}\0{phrase}"
                        self.acronyms[slug] = (tag.slug, acronym_pattern(phrase))
                    self.by_first_word.setdefault(words[0], []).append((words, needles, slug))
        # How a phrase word may stand in a text -> the phrase words it can be. Any
        # word may be a phrase's last, so "tokenizers" also stands for "tokenizer"
        # (and "patches" for "patch").
        self.forms: dict[str, set[str]] = {}
        for first in self.by_first_word:
            for phrase, _, _ in self.by_first_word[first]:
                for word in phrase:
                    for form in (word, word + "s", word + "es"):
                        self.forms.setdefault(form, set()).add(word)

    def match(self, words: list[str]) -> tuple[str, ...]:
        # The phrase words the text has, found by set operations in C rather than a loop over the text.
        candidates: set[str] = set()
        for form in self.forms.keys() & set(words):
            candidates |= self.forms[form]
        present = candidates.intersection(self.by_first_word)
        if not present:
            return ()
        joined = ""
        found: set[str] = set()
        for first in present:
            for phrase, needles, slug in self.by_first_word[first]:
                if slug in found:
                    continue
                if len(phrase) == 1:  # a one-word phrase among the candidates occurs, maybe in a plural form
                    found.add(slug)
                    continue
                if not candidates.issuperset(phrase):
                    continue
                joined = joined or f" {' '.join(words)} "
                if needles[0] in joined or needles[1] in joined or needles[2] in joined:
                    found.add(slug)
        return tuple(sorted(found))

    def match_paper(self, title: str, abstract: str) -> tuple[str, ...]:
        """A paper's tags; no phrase spans the title and the abstract or a clause mark."""
        found = self.match([*clauses_of(title), BREAK, *clauses_of(abstract)])
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
