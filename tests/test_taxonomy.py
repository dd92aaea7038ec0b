"""The topic taxonomy: how phrases match, how a bad tags.toml is reported,
and whether the shipped taxonomy really describes the shipped papers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.read.content import load_content
from sitegen.core.diagnostics import Diagnostics
from sitegen.assemble.merge import merge_papers
from sitegen.assemble.site import assign_tags
from sitegen.read.taxonomy import BREAK, TOKEN, WORD, Tag, TagMatcher, Taxonomy, load_taxonomy, normal, tokens_of


def tags_of(phrases: list[str], title: str, abstract: str = "") -> tuple[str, ...]:
    """The tags a one-tag taxonomy (slug `t`) gives a paper."""
    matcher = TagMatcher(Taxonomy(tags=(Tag(slug="t", name="T", phrases=tuple(phrases)),)))
    return matcher.match_paper(title, abstract)


def matches(phrase: str, text: str) -> bool:
    return tags_of([phrase], text) == ("t",)


# --- matching ---------------------------------------------------------------

@pytest.mark.parametrize("phrase, text", [
    ("diffusion model", "DIFFUSION MODEL"),
    ("Diffusion Model", "a diffusion model for images"),
    ("MoE", "sparse moe layers"),
])
def test_case_is_ignored(phrase, text):
    assert matches(phrase, text)


@pytest.mark.parametrize("phrase, text, expected", [
    ("CLIP", "an optional three-second reference clip for voice cloning", False),
    ("CLIP", "we fine-tune CLIP on captions", True),
    ("CLIP", "two CLIPs, one per modality", True),
    ("RAG", "we study rag pipelines", False),
    ("RAG", "RAG pipelines (rag for short)", True),
    ("GPT-4", "evaluated on gpt 4", False),
    ("GPT-4", "evaluated on GPT 4, then GPT-4o", True),
    ("RAG", "see https://example.com/RAG for a rag doll", False),
])
def test_an_acronym_in_capitals_matches_only_in_capitals(phrase, text, expected):
    assert matches(phrase, text) is expected
    assert matches(phrase.lower(), text)  # the same phrase in lower case ignores case as before


def test_an_acronym_and_a_word_of_one_tag_tag_once():
    assert tags_of(["CLIP", "contrastive"], "CLIP is contrastive", "clip art") == ("t",)
    assert tags_of(["CLIP", "contrastive"], "a contrastive loss", "a short clip") == ("t",)


@pytest.mark.parametrize("phrase, text", [
    ("RAG", "each fragment is scored"),
    ("RAG", "storage costs"),
    ("MoE", "Moebius strips"),
    ("data mixture", "a metadata mixture"),
    ("code", "we decode tokens"),
    ("scaling law", "scaling lawyers"),
])
def test_phrases_match_whole_words_only(phrase, text):
    assert not matches(phrase, text)


@pytest.mark.parametrize("phrase, text", [
    ("pre-training", "pre training at scale"),
    ("pre training", "Pre-Training at scale"),
    ("pre-training", "(pre)-training"),
    ("vision-language model", "a vision language model"),
    ("text-to-image", "text to image synthesis"),
    ("mixture of experts", "Mixture-of-Experts layers"),
    ("GPT-4", "evaluated on GPT 4."),
    ("4-bit", "weights in 4 bit precision"),
])
def test_punctuation_between_words_is_ignored(phrase, text):
    assert matches(phrase, text)


def test_joined_words_are_a_different_word():
    # Curators list "pretraining" and "pre-training" separately.
    assert not matches("pre-training", "pretraining")
    assert not matches("4-bit", "4bit")


@pytest.mark.parametrize("phrase, text", [
    ("diffusion model", "two diffusion models"),
    ("tokenizer", "BPE tokenizers"),  # a one-word phrase
    ("patch", "image patches"),
    ("mixture of expert", "a mixture of experts"),
    ("alpha", "Alphas"),
])
def test_last_word_matches_its_plural(phrase, text):
    assert matches(phrase, text)


@pytest.mark.parametrize("phrase, text", [
    ("diffusion model", "diffusion modelling"),
    ("diffusion model", "diffusions model"),  # only the last word takes a plural
    ("patch", "patche"),
    ("tokenizer", "tokenizerx"),
    ("tokenizer", "tokenize"),
])
def test_other_endings_do_not_match(phrase, text):
    assert not matches(phrase, text)


def test_non_ascii_text_and_phrases():
    assert matches("Sabiá", "SABIÁ: Portuguese models")
    assert matches("Sabiá", "Sabia\u0301 models")  # decomposed accent, as some dumps carry it
    assert matches("fine-tuning", "\ufb01ne-tuning")  # the "fi" ligature of PDF copies
    assert not matches("Sabiá", "Sabia models")


def test_phrases_with_digits():
    assert matches("8-bit", "an 8-bit BERT")
    assert not matches("gpt 4", "GPT-4o")
    assert matches("2D Matryoshka", "2D-Matryoshka embeddings")


def test_title_or_abstract_each_suffice():
    assert tags_of(["scaling law"], "Scaling Laws for Transfer", "We fit curves.") == ("t",)
    assert tags_of(["scaling law"], "A Study", "We fit a scaling law.") == ("t",)
    assert tags_of(["scaling law"], "A Study", "We fit curves.") == ()


def test_no_phrase_spans_the_end_of_the_title_and_the_start_of_the_abstract():
    assert tags_of(["scaling law"], "On Scaling", "Laws of physics say ...") == ()
    assert tags_of(["scaling law"], "On Scaling", "Laws of physics; a scaling law") == ("t",)


@pytest.mark.parametrize("text", [
    "Our code, models and data are released.",
    "We release the code. Models are on the hub.",
    "code; models", "code: models", "code! models", "code? models",
])
def test_no_phrase_spans_a_clause_mark(text):
    assert not matches("code model", text)


@pytest.mark.parametrize("phrase, text", [
    ("1.5 pints", "the 1.5-Pints model"),
    ("GPT-3.5", "compared with GPT-3.5 and GPT-4"),
    ("10,000 steps", "after 10,000 steps"),
    ("code model", "code (models)"),
    ("image text", "image/text pairs"),
])
def test_decimal_points_brackets_and_slashes_do_not_break_a_phrase(phrase, text):
    assert matches(phrase, text)


@pytest.mark.parametrize("text", [
    "Code: https://github.com/org/Enhanced-BGE-with-MoE and models.",
    "See www.example.org/mixture-of-experts for details",
    "(http://example.org/moe)",
])
def test_web_addresses_are_not_read(text):
    assert tags_of(["MoE", "mixture of experts", "github", "example"], text) == ()


def test_words_next_to_a_web_address_still_match():
    assert matches("MoE", "MoE code at https://github.com/org/repo.")
    assert matches("MoE", "https://github.com/org/repo MoE")


def test_a_number_ending_a_sentence_still_ends_it():
    assert not matches("2023 models", "released in 2023. Models differ")
    assert not matches("gpt 3", "GPT, 3 times")


def test_every_matching_tag_is_found_once_and_sorted():
    taxonomy = Taxonomy(tags=(
        Tag(slug="z-tag", name="Z", phrases=("diffusion", "diffusion model")),
        Tag(slug="a-tag", name="A", phrases=("model",)),
        Tag(slug="m-tag", name="M", phrases=("transformer",)),
    ))
    found = TagMatcher(taxonomy).match_paper("Diffusion Models", "no attention here")
    assert found == ("a-tag", "z-tag")


def test_an_empty_taxonomy_tags_nothing():
    assert TagMatcher(Taxonomy()).match_paper("Anything", "at all") == ()


# Pieces that make tokenising hard: marks between digits, web addresses, "_"
# and "|", a ligature and a decomposed accent (non-ASCII: the regex's path).
PIECES = ["a", "Model", "3", "10", ".", ",", ";", ":", "!", "?", " ", "  ", "-", "/", "_", "|", "(", "\n",
          "https://x.org/MoE", "www.", "http", "\ufb01", "e\u0301", "\xe9"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_tokens_are_what_the_token_pattern_defines(text):
    # The ASCII shortcut must give the regex's tokens: words, and a BREAK per clause mark or web address.
    clauses = [token if token.isalnum() else BREAK for token in TOKEN.findall(normal(text))]
    tokens = tokens_of(text)
    assert tokens.clauses == clauses
    assert [word for word in tokens.words if word != BREAK] == WORD.findall(normal(text))


# --- loading ----------------------------------------------------------------

def load(tmp_path: Path, text: str) -> tuple[Taxonomy, list[str]]:
    (tmp_path / "tags.toml").write_text(text, encoding="utf-8")
    report = Diagnostics()
    taxonomy = load_taxonomy(tmp_path, report)
    return taxonomy, [str(d) for d in report.sorted()]


def test_a_valid_file_loads_sorted_by_slug(tmp_path):
    taxonomy, messages = load(tmp_path, """
# comment
[speech]
name = "Speech"
description = "Spoken language."
phrases = ["speech recognition", "text-to-speech"]

[code-generation]
name = "Code generation"
phrases = ["code generation"]
""")
    assert messages == []
    assert [t.slug for t in taxonomy.tags] == ["code-generation", "speech"]
    speech = taxonomy.by_slug()["speech"]
    assert speech.name == "Speech"
    assert speech.description == "Spoken language."
    assert speech.phrases == ("speech recognition", "text-to-speech")


def test_a_missing_file_is_an_empty_taxonomy(tmp_path):
    report = Diagnostics()
    assert load_taxonomy(tmp_path, report) == Taxonomy()
    assert report.items == []


@pytest.mark.parametrize("text, expected", [
    ('[speech]\nname = "Speech"\nphrase = ["speech"]\n',
     "tags.toml:3: error: tag 'speech': unknown key 'phrase' (known: name, description, phrases)"),
    ('[Speech_Audio]\nname = "Speech"\n',
     "tags.toml:1: error: tag 'Speech_Audio': a tag's key must be lowercase words joined by '-'"),
    ('[speech]\nname = "Speech"\nphrases = "speech"\n',
     "tags.toml:3: error: tag 'speech': key 'phrases' must be a list of strings, e.g. phrases = [\"diffusion model\"]"),
    ('[speech]\nname = "Speech"\nphrases = ["speech", 3, 4]\n',
     "tags.toml:3: error: tag 'speech': key 'phrases' must be a list of strings, e.g. phrases = [\"diffusion model\"]"),
    ('[speech]\nname = 3\n',
     "tags.toml:2: error: tag 'speech': key 'name': Input should be a valid string"),
    ('[speech]\nphrases = ["speech"]\n',
     "tags.toml:1: error: tag 'speech': key 'name': Field required"),
    ('[speech]\nname = "Speech"\nphrases = ["speech", " -- "]\n',
     "tags.toml:3: error: tag 'speech': key 'phrases': phrase ' -- ' has no letters or digits, so it can never match"),
    ('speech = "Speech"\n',
     "tags.toml:1: error: 'speech' must be a table: [speech] with name = ... and phrases = [...]"),
    ('[speech]\nname = "Speech\n',
     "tags.toml:2: error: not valid TOML: Illegal character '\\n'"),
])
def test_each_problem_is_one_message_naming_the_file_and_the_tag(tmp_path, text, expected):
    taxonomy, messages = load(tmp_path, text)
    assert messages == [f"{tmp_path}/{expected}"]
    assert taxonomy.tags == ()


def test_a_bad_tag_does_not_hide_the_good_ones(tmp_path):
    taxonomy, messages = load(tmp_path, '[good]\nname = "Good"\n\n[bad]\nname = "Bad"\ncolour = "red"\n')
    assert [t.slug for t in taxonomy.tags] == ["good"]
    assert len(messages) == 1 and "tag 'bad'" in messages[0] and "'colour'" in messages[0]


# --- the shipped taxonomy on the shipped papers ---------------------------------

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def shipped():
    """(taxonomy, papers, tags of each paper id) as the site builds them."""
    report = Diagnostics()
    content = load_content(CONTENT, report)
    papers = merge_papers(list(content.listings), report)
    assert [str(d) for d in report.errors] == []
    return content.taxonomy, papers, assign_tags(papers, content, {})


def test_the_shipped_taxonomy_loads_cleanly():
    report = Diagnostics()
    taxonomy = load_taxonomy(CONTENT, report)
    assert [str(d) for d in report.items] == []
    assert [t.slug for t in taxonomy.tags if not (t.description and t.phrases)] == []


def test_at_least_95_percent_of_the_shipped_papers_have_a_tag(shipped):
    _, papers, tags_of = shipped
    untagged = [p.title for p in papers if not tags_of[p.id]]
    assert len(papers) == 472
    assert (len(papers) - len(untagged)) / len(papers) >= 0.95, untagged


def test_no_tag_is_a_catch_all(shipped):
    taxonomy, papers, tags_of = shipped
    counts = Counter(slug for tags in tags_of.values() for slug in tags)
    too_broad = {slug: n for slug, n in counts.items() if n > 0.30 * len(papers)}
    assert too_broad == {}


def test_every_shipped_tag_matches_a_shipped_paper(shipped):
    taxonomy, _, tags_of = shipped
    used = {slug for tags in tags_of.values() for slug in tags}
    assert [t.slug for t in taxonomy.tags if t.slug not in used] == []


# Read off the titles and abstracts: the tags each paper must carry (it may
# carry others) and, after "not", tags a careless phrase could wrongly give it.
SPOT_CHECKS = [
    ("Matryoshka Representation Learning", {"text-embeddings"}, set()),
    ("2D Matryoshka Sentence Embeddings", {"text-embeddings"}, set()),
    ("MTEB: Massive Text Embedding Benchmark", {"text-embeddings"}, set()),
    ("Gecko: Versatile Text Embeddings Distilled from Large Language Models",
     {"text-embeddings", "knowledge-distillation"}, set()),
    ("GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers", {"quantization"}, set()),
    ("Q8BERT: Quantized 8Bit BERT", {"quantization"}, set()),
    ("SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot", {"model-compression"}, set()),
    ("LoRA: Low-Rank Adaptation of Large Language Models", {"parameter-efficient-fine-tuning"}, set()),
    ("Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks", {"retrieval-augmented-generation"}, set()),
    ("GShard: Scaling Giant Models with Conditional Computation and Automatic Sharding",
     {"mixture-of-experts", "multilingual"}, set()),
    ("Scaling Laws for Downstream Task Performance of Large Language Models", {"scaling-laws"}, set()),
    ("Zero-Shot Tokenizer Transfer", {"tokenization"}, set()),
    ("Synthetic continued pretraining", {"continual-pretraining", "synthetic-data"}, set()),
    ("Dynosaur: A Dynamic Growth Paradigm for Instruction-Tuning Data Curation",
     {"instruction-tuning", "data-curation"}, set()),
    ("QuRating: Selecting High-Quality Data for Training Language Models", {"data-curation"}, set()),
    ("CLIMB: CLustering-based Iterative Data Mixture Bootstrapping for Language Model Pre-training",
     {"data-mixtures"}, set()),
    ("MiniGPT-4: Enhancing Vision-Language Understanding with Advanced Large Language Models",
     {"vision-language-models"}, {"code-models"}),  # "Our code, pre-trained model, and ..."
    ("Reliable and Efficient Concept Erasure of Text-to-Image Diffusion Models",
     {"diffusion-models", "image-generation", "trustworthiness"}, set()),
    ("CodeT5: Identifier-aware Unified Pre-trained Encoder-Decoder Models for Code Understanding and Generation",
     {"code-models"}, set()),
    ("Sabiá: Portuguese Large Language Models", {"multilingual"}, set()),
    ("A Survey of Mamba", {"state-space-models"}, set()),
    ("TimeGPT-1", {"time-series"}, set()),
    ("SSAST: Self-Supervised Audio Spectrogram Transformer", {"speech-and-audio", "self-supervised-learning"}, set()),
    ("GPT-GNN: Generative Pre-Training of Graph Neural Networks", {"graph-learning"}, set()),
    # "Knowledge Graph Embedding models": graph embeddings, not text embeddings
    ("LEMON: LanguagE ModeL for Negative Sampling of Knowledge Graph Embeddings",
     {"knowledge-graphs"}, {"text-embeddings"}),
    ("Interpreting Key Mechanisms of Factual Recall in Transformer-Based Language Models", {"interpretability"}, set()),
    ("TweepFake: about Detecting Deepfake Tweets", {"generated-text-detection"}, set()),
    ("Training Sparse Mixture Of Experts Text Embedding Models", {"mixture-of-experts", "text-embeddings"}, set()),
    # its abstract links github.com/.../Enhanced-BGE-M3-with-CLP-and-MoE but is not about MoE
    ("Efficient fine-tuning methodology of text embedding models for information retrieval: "
     "contrastive learning penalty (clp)", {"text-embeddings", "information-retrieval"}, {"mixture-of-experts"}),
    # a retrieval task, not image generation
    ("Unified Pre-training with Pseudo Texts for Text-To-Image Person Re-identification",
     {"contrastive-learning"}, {"image-generation"}),
    # "an optional three-second reference clip for voice cloning" is not CLIP
    ("SongGen: A Single Stage Auto-regressive Transformer for Text-to-Song Generation",
     {"speech-and-audio"}, {"vision-language-models"}),
    # "object-centric representation (OCR)", not character recognition
    ("An Investigation into Pre-Training Object-Centric Representations for Reinforcement Learning",
     {"reinforcement-learning"}, {"document-understanding"}),
]


@pytest.mark.parametrize("title, must, must_not", SPOT_CHECKS, ids=[c[0][:40] for c in SPOT_CHECKS])
def test_spot_checks(shipped, title, must, must_not):
    _, papers, tags_of = shipped
    [paper] = [p for p in papers if p.title == title]
    tags = set(tags_of[paper.id])
    assert must <= tags
    assert not must_not & tags
