"""BibTeX for papers: one entry per paper, shown on its page, and the bulk files
`papers.bib`, `days/<date>/papers.bib` and `tags/<slug>/papers.bib`.

Only what the archive knows goes in. The listings give an author count, not
names, so there is no `author` field (a made-up one would end up in someone's
bibliography); the `note` says so. An entry is `@misc`: the archive cannot
tell a preprint from a published paper.

A key is the paper's id, its URL slug: unique in the archive by construction
and as stable as the paper's address. A key built from year and title words
would need suffixes to stay unique, and a new paper could shift them.
"""

from __future__ import annotations

import re

from sitegen.assemble.site import Site
from sitegen.core.models import Paper
from sitegen.plan.urls import Urls
from sitegen.read.arxiv import ArxivRef

# The ten characters LaTeX treats specially, and three that the default OT1 font
# prints as other glyphs (< as ¡), as the LaTeX text commands that print them.
# Braces become commands rather than \{ and \}: BibTeX counts braces even
# after a backslash, so one unmatched brace would swallow the rest of the file.
LATEX_SPECIALS = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "$": r"\$", "&": r"\&",
    "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
})
# Pairs TeX's fonts join into one glyph (-- is a dash, `` a quote, ?` is ¿): kept apart by {}.
LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[?!](?=`)")


SPECIAL = re.compile("[" + re.escape("".join(map(chr, LATEX_SPECIALS))) + "]")
LIGATURE_PAIRS = ("--", "``", "''", "?`", "!`")


def latex_escape(text: str) -> str:
    """`text` as LaTeX that prints it: each special character escaped, ligatures broken, other
    Unicode kept (biber and LaTeX read UTF-8). Whitespace runs, newlines included, become one space."""
    text = " ".join(text.split())
    # Most titles hold neither: a scan each, where translating and substituting cost ten times more.
    if SPECIAL.search(text):
        text = text.translate(LATEX_SPECIALS)
    if any(pair in text for pair in LIGATURE_PAIRS):
        text = LIGATURE.sub(r"\g<0>{}", text)
    return text


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def note_of(paper: Paper) -> str:
    """What the archive knows but BibTeX has no field for: who, and when it was featured."""
    who = ("authors not recorded in the archive" if paper.authors is None
           else f"{count(paper.authors, 'author')}, names not recorded in the archive")
    parts = [who[0].upper() + who[1:]]
    if paper.org:
        parts.append(f"posted by {paper.org.name}")
    if paper.date:
        parts.append(f"featured in Daily Papers on {paper.date.isoformat()}")
    return "; ".join(parts)


def entry(paper: Paper, page_url: str, arxiv: ArxivRef | None) -> str:
    """The `@misc` entry of one paper; `page_url` is its absolute address in the archive."""
    fields = [("title", "{" + latex_escape(paper.title) + "}")]  # inner braces keep the title's capitals
    if paper.date:
        fields.append(("year", str(paper.date.year)))
    if arxiv:
        fields += [("eprint", arxiv.arxiv_id), ("archivePrefix", "arXiv")]
        if arxiv.primary_class:
            fields.append(("primaryClass", arxiv.primary_class))
        fields.append(("url", arxiv_abs_url(arxiv.arxiv_id)))
    else:
        fields.append(("url", page_url))
    fields.append(("note", latex_escape(note_of(paper))))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}}}\n"


class Bibliography:
    """Entries of one site, each made once when first asked for."""

    def __init__(self, site: Site, urls: Urls):
        self.site, self.urls = site, urls
        self.entries: dict[str, str] = {}

    def entry(self, paper_id: str) -> str:
        text = self.entries.get(paper_id)
        if text is None:
            paper = self.site.papers[paper_id]
            text = self.entries[paper_id] = entry(paper, self.urls.absolute(self.urls.paper(paper_id)),
                                                  self.site.arxiv.get(paper_id))
        return text

    def document(self, what: str, url: str, ids: tuple[str, ...]) -> bytes:
        """A bulk file: a comment saying what it holds, then the entries, blank-line separated."""
        # BibTeX reads any text outside entries as a comment, up to an `@`: the head must not have one.
        head = (f"% {what}: {count(len(ids), 'paper')} from {self.site.config.title}\n"
                f"% {self.urls.absolute(url)}\n").replace("@", " at ")
        return (head + "".join("\n" + self.entry(paper_id) for paper_id in ids)).encode("utf-8")
