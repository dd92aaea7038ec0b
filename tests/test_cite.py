"""Links out and citation facts of a paper page (plan/cite.py)."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from urllib.parse import parse_qs, urlsplit

from hypothesis import given, strategies as st

from sitegen.core.models import Paper, SeenIn
from sitegen.plan import cite
from sitegen.plan.cite import cite_view
from sitegen.read.arxiv import ArxivRef

TITLE = 'C++ & "Rust" #1: 50%/a?b=c  über\nalles'
FLAT = 'C++ & "Rust" #1: 50%/a?b=c über alles'


def paper(date: dt.date | None = dt.date(2024, 2, 9)) -> Paper:
    return Paper(id="p", title=TITLE, abstract="", date=date, upvotes=None, authors=None, org=None,
                 seen_in=(SeenIn(listing="l", line=1),))


def test_title_searches_find_the_exact_title_on_four_sites():
    view = cite_view(paper(), None, "@misc{p}", "https://e.org/papers/p/", "/papers/p/paper.json")
    hosts = [urlsplit(link.url).netloc for link in view.links]
    assert hosts == ["arxiv.org", "huggingface.co", "www.semanticscholar.org", "scholar.google.com"]
    queries = [parse_qs(urlsplit(link.url).query) for link in view.links]
    assert queries[0] == {"query": [f'"{FLAT}"'], "searchtype": ["title"]}
    assert queries[1] == {"q": [FLAT]}
    assert queries[2] == queries[3] == {"q": [f'"{FLAT}"']}
    assert (view.arxiv_id, view.pdf_url, view.date) == (None, None, "2024/02/09")


def test_a_known_identifier_adds_the_abstract_page_and_pdf_first():
    ref = ArxivRef(paper_id="p", arxiv_id="cs/0101001v2", primary_class="cs", source_path="x", line=1)
    view = cite_view(paper(None), ref, "", "https://e.org/papers/p/", "/papers/p/paper.json")
    assert [link.url for link in view.links[:2]] == ["https://arxiv.org/abs/cs/0101001v2", "https://arxiv.org/pdf/cs/0101001v2"]
    assert len(view.links) == 6 and view.date is None and view.pdf_url == "https://arxiv.org/pdf/cs/0101001v2"


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_a_title_is_quoted_as_urllib_quotes_it(text):
    assert cite.quote_plus(text) == urllib.parse.quote_plus(text)
