"""Every URL of the site, and the file each one is written to.

The only place that knows the URL scheme. Templates never build URLs: they
are handed the ones made here. URLs are root-relative and carry the base
URL's path, so the site works at a domain root and under a subfolder alike;
`absolute()` gives the full URL for canonical links, feeds and the sitemap.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit


class Urls:
    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"

    def _at(self, path: str) -> str:
        return self.base_path + path

    def absolute(self, url: str) -> str:
        return self.origin + url

    def home(self) -> str:
        return self._at("")

    def days(self) -> str:
        return self._at("days/")

    def year(self, year: int) -> str:
        return self._at(f"days/{year}/")

    def day(self, iso_date: str) -> str:
        return self._at(f"days/{iso_date}/")

    def day_json(self, iso_date: str) -> str:
        return self._at(f"days/{iso_date}/papers.json")

    def undated(self, page: int = 1) -> str:
        return self._paged("days/undated/", page)

    def paper(self, paper_id: str) -> str:
        return self._at(f"papers/{paper_id}/")

    def tags(self) -> str:
        return self._at("tags/")

    def tag(self, slug: str, page: int = 1) -> str:
        return self._paged(f"tags/{slug}/", page)

    def tag_feed(self, slug: str) -> str:
        return self._at(f"tags/{slug}/feed.xml")

    def orgs(self) -> str:
        return self._at("orgs/")

    def org(self, key: str, page: int = 1) -> str:
        return self._paged(f"orgs/{key}/", page)

    def listings(self) -> str:
        return self._at("listings/")

    def listing(self, listing_id: str) -> str:
        return self._at(f"listings/{listing_id}/")

    def listing_entry(self, listing_id: str, line: int) -> str:
        return f"{self.listing(listing_id)}#line-{line}"

    def page(self, slug: str) -> str:
        return self._at(f"{slug}/")

    def search(self, query: str | None = None) -> str:
        return self._at("search/") + (f"?q={quote(query)}" if query else "")

    def feed(self) -> str:
        return self._at("feed.xml")

    def new_feed(self) -> str:
        """Every paper, in the order the archive received them."""
        return self._at("new.xml")

    def papers_json(self) -> str:
        return self._at("papers.json")

    def sitemap(self) -> str:
        return self._at("sitemap.xml")

    def sitemap_part(self, number: int) -> str:
        """One of the sitemaps listed by /sitemap.xml when the site has too many pages for one."""
        return self._at(f"sitemap-{number}.xml")

    def bibtex(self) -> str:
        return self._at("papers.bib")

    def day_bibtex(self, iso_date: str) -> str:
        return self._at(f"days/{iso_date}/papers.bib")

    def tag_bibtex(self, slug: str) -> str:
        return self._at(f"tags/{slug}/papers.bib")

    def paper_json(self, paper_id: str) -> str:
        """One paper's small JSON (plan/paper_files.py), which /saved/ fetches per saved paper."""
        return self._at(f"papers/{paper_id}/paper.json")

    def saved(self) -> str:
        return self._at("saved/")

    def robots(self) -> str:
        return self._at("robots.txt")

    def not_found(self) -> str:
        return self._at("404.html")

    def asset(self, file_name: str) -> str:
        return self._at(f"static/{file_name}")

    def card(self, page_url: str) -> str:
        """The social card of the page at `page_url`: named after its path, the home page's is `cards/site.png`."""
        path = page_url[len(self.base_path):].split("#", 1)[0].strip("/")
        return self._at(f"cards/{path or 'site'}.png")

    def pagefind(self) -> str:
        return self._at("pagefind/")

    def weeks(self) -> str:
        return self._at("weeks/")

    def week(self, key: str, page: int = 1) -> str:
        """An ISO week, `2025-W07`."""
        return self._paged(f"weeks/{key}/", page)

    def weeks_feed(self) -> str:
        return self._at("weeks/feed.xml")

    def months(self) -> str:
        return self._at("months/")

    def month(self, key: str, page: int = 1) -> str:
        """A month, `2025-02`."""
        return self._paged(f"months/{key}/", page)

    def months_feed(self) -> str:
        return self._at("months/feed.xml")

    def json_feed(self) -> str:
        return self._at("feed.json")

    def org_feed(self, key: str) -> str:
        return self._at(f"orgs/{key}/feed.xml")

    def stats(self) -> str:
        return self._at("stats/")

    def _paged(self, path: str, page: int) -> str:
        return self._at(path if page == 1 else f"{path}page/{page}/")

    def output_path(self, url: str) -> str:
        """The file, relative to the output folder, that serves `url`."""
        if not url.startswith(self.base_path):
            raise ValueError(f"{url!r} is outside the site's base path {self.base_path!r}")
        path = url[len(self.base_path):].split("#", 1)[0]
        return path + "index.html" if path == "" or path.endswith("/") else path
