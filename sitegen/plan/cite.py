"""What a paper page offers a reader who wants the paper itself or a citation:
links out to it, Highwire citation tags for Zotero and Google Scholar, and its BibTeX.

The searches match the exact title (in quotes) and are URL-encoded here, once;
templates only lay the links out.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from sitegen.core.models import Paper
from sitegen.plan.bibtex import arxiv_abs_url, arxiv_pdf_url
from sitegen.plan.views import Link
from sitegen.read.arxiv import ArxivRef


@dataclass(frozen=True, slots=True)
class CiteView:
    """A paper page's links out, citation tags and BibTeX."""

    links: tuple[Link, ...]  # arXiv abstract and PDF when the identifier is known, then title searches
    bibtex: str
    json_url: str  # the paper's small JSON, for its save button and /saved/
    abstract_url: str  # absolute: `citation_abstract_html_url`
    date: str | None  # YYYY/MM/DD, as Highwire tags write dates
    arxiv_id: str | None
    pdf_url: str | None


# What urllib.parse.quote_plus writes for each byte of a text's UTF-8: letters, digits and "_.-~"
# stay, a space is "+", any other byte is %XX. One translate of the bytes read as Latin-1 (one
# character each) costs a tenth of quote_plus's time, which was a quarter of planning a paper page.
UNRESERVED = frozenset(string.ascii_letters + string.digits + "_.-~")
PLUS_QUOTED = {byte: "+" if byte == 0x20 else chr(byte) if chr(byte) in UNRESERVED else f"%{byte:02X}"
               for byte in range(256)}


def quote_plus(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(PLUS_QUOTED)


def title_searches(title: str) -> tuple[Link, ...]:
    exact = quote_plus(f'"{" ".join(title.split())}"')
    return (
        Link(f"https://arxiv.org/search/?query={exact}&searchtype=title", "Search arXiv"),
        Link(f"https://huggingface.co/papers?q={quote_plus(' '.join(title.split()))}", "Search Hugging Face Papers"),
        Link(f"https://www.semanticscholar.org/search?q={exact}", "Search Semantic Scholar"),
        Link(f"https://scholar.google.com/scholar?q={exact}", "Search Google Scholar"),
    )


def cite_view(paper: Paper, arxiv: ArxivRef | None, bibtex: str, abstract_url: str, json_url: str) -> CiteView:
    links = title_searches(paper.title)
    if arxiv:
        links = (Link(arxiv_abs_url(arxiv.arxiv_id), f"arXiv {arxiv.arxiv_id}"),
                 Link(arxiv_pdf_url(arxiv.arxiv_id), "PDF"), *links)
    return CiteView(
        links=links,
        bibtex=bibtex,
        json_url=json_url,
        abstract_url=abstract_url,
        date=paper.date.strftime("%Y/%m/%d") if paper.date else None,
        arxiv_id=arxiv.arxiv_id if arxiv else None,
        pdf_url=arxiv_pdf_url(arxiv.arxiv_id) if arxiv else None,
    )
