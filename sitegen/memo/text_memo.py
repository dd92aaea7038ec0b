"""Tags and related papers across the rebuilds of `sitegen serve`.

Tags are a function of a paper's title and abstract (and the taxonomy), so
they are matched once per text and looked up after that; a note's tags are
added on top, as in a full build.

Related papers are not local: every paper's TF-IDF weights depend on every
other paper, so one edit may reorder the lists of papers it never touched,
and the exact answer costs a pass over the whole archive (about 0.3 s at
10,000 papers). A rebuild that must be quick (`quick=True`) therefore
reuses the lists of the last exact pass: a paper whose title and abstract
are unchanged keeps its list, less papers that no longer exist, and a new or
edited paper shows no related papers. It then counts as unsettled, and the
preview follows it with an exact pass (`quick=False`), which corrects the
pages whose lists changed; once that is done the site is byte for byte what
a full build gives. A rebuild that changes no title or abstract is exact
either way: related papers depend on nothing else.
"""

from __future__ import annotations

from sitegen.assemble import related
from sitegen.read.content import Content, MarkdownDoc
from sitegen.assemble.members import Tags
from sitegen.memo.memo import Memo
from sitegen.core.models import Paper
from sitegen.assemble.site import TagsAndRelated, assign_tags, related_ids, term_counts_of
from sitegen.read.taxonomy import TagMatcher, Taxonomy



def same_text(first: Paper, second: Paper) -> bool:
    return first is second or (first.title == second.title and first.abstract == second.abstract)


class TextMemo:
    def __init__(self) -> None:
        self.taxonomy: Taxonomy | None = None
        self.matcher: TagMatcher | None = None
        self.notes: dict[str, MarkdownDoc] = {}
        self.matched = Memo()  # (title, abstract) -> tag slugs, by the taxonomy
        self.tags: dict[str, tuple[Paper, tuple[str, ...]]] = {}  # the last tags, by paper id
        self.counts = Memo()  # (title, abstract) -> TF-IDF term counts
        self.exact: tuple[list[Paper], int, Tags] | None = None  # the papers, count and result of the last exact pass
        self.settled = True  # whether the last related papers were exact

    def passes(self, content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc], quick: bool) -> TagsAndRelated:
        return self.tags_of(content, papers, notes), self.related_of(content, papers, quick)

    def tags_of(self, content: Content, papers: list[Paper], notes: dict[str, MarkdownDoc]) -> Tags:
        """`assign_tags`, for the papers that are not the very objects tagged last time."""
        if self.matcher is None or content.taxonomy != self.taxonomy or notes != self.notes:
            self.taxonomy, self.matcher, self.notes = content.taxonomy, TagMatcher(content.taxonomy), notes
            self.matched.clear()
            self.tags = {}
        last, match, memo = self.tags, self.matcher.match_paper, self.matched
        fresh = [paper for paper in papers if (known := last.get(paper.id)) is None or known[0] is not paper]
        memo.begin()
        found = assign_tags(fresh, content, notes, lambda title, abstract: memo.get(
            (title, abstract), (), lambda: match(title, abstract)))
        if len(fresh) < len(papers):
            memo.kept.update(memo.used)  # the texts of unchanged papers were not asked for, and are still wanted
        else:
            memo.keep_used()
        self.tags = {paper.id: (paper, found[paper.id] if paper.id in found else last[paper.id][1]) for paper in papers}
        return {paper_id: tags for paper_id, (_, tags) in self.tags.items()}

    def related_of(self, content: Content, papers: list[Paper], quick: bool) -> Tags:
        count, exact = content.config.related_count, self.exact
        if exact is not None and exact[1] == count and len(exact[0]) == len(papers) and all(map(same_text, exact[0], papers)):
            self.settled = True
            return exact[2]
        if quick and exact is not None:
            self.settled = False
            return self.reused(papers)
        memo = self.counts
        memo.begin()
        counts = [memo.get((paper.title, paper.abstract), (), lambda p=paper: term_counts_of(p)) for paper in papers]
        memo.keep_used()
        found = related_ids(papers, related.most_similar(counts, count))
        self.exact, self.settled = (papers, count, found), True
        return found

    def reused(self, papers: list[Paper]) -> Tags:
        """The last exact lists of papers whose text is unchanged, without papers that are gone; else none."""
        before, _, lists = self.exact
        then = {paper.id: paper for paper in before}
        present = {paper.id for paper in papers}
        gone = then.keys() - present
        result = {}
        for paper in papers:
            known = then.get(paper.id)
            found = lists[paper.id] if known is not None and same_text(known, paper) else ()
            result[paper.id] = tuple(i for i in found if i not in gone) if gone and not gone.isdisjoint(found) else found
        return result
