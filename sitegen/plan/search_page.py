"""The search page's view: what static/search.js needs to search, and the facets it offers.

The facets' names are the filters `search/index.py` gives each record; their keys are the
page address's parameters (`?q=...&tag=...&org=...&year=...&date=...&sort=...`).
"""

from __future__ import annotations

from sitegen.plan.present import plural
from sitegen.plan.urls import Urls
from sitegen.plan.views import Link, SearchFacet, SearchView

FACETS = (
    SearchFacet("tag", "tag", "Tag", findable=False),
    SearchFacet("org", "organisation", "Organisation", findable=True),  # hundreds of values
    SearchFacet("year", "year", "Year", findable=False),
    SearchFacet("date", "date", "Dated", findable=False),
)


def search_view(urls: Urls, papers: int, script: str, style: str) -> SearchView:
    """`script` and `style`: the content-hashed names of static/search.js and search.css."""
    intro = f"Search the titles and abstracts of {plural(papers, 'paper')}; narrow them by tag, organisation and year."
    return SearchView("Search", intro, urls.pagefind(), Link(urls.days(), "day archive"), Link(urls.tags(), "tags"),
                      Link(urls.orgs(), "organisations"), FACETS, urls.asset(script), urls.asset(style))
