"""The same archive as a Hugo site, for bench/compare.py.

Papers come from sitegen's own reading of the content folder (parse, merge,
tag matching), so both generators publish the same papers with the same tags.
Each paper is one content file with JSON front matter; days and tags are
Hugo taxonomies, so Hugo writes a page per paper, per day and per tag (term
pages paginated by 50, as sitegen's tag pages are). Abstracts are front
matter shown as escaped text, not Markdown, as sitegen shows them. Paper
pages carry `data-pagefind-body`, so Pagefind indexes paper pages only, as
in sitegen. With `related`, paper pages also list five related papers from
Hugo's related-content index, as sitegen's do; that makes Hugo many times
slower (221 s and 93 s instead of seconds at 10,000 papers on a loaded
2-core machine), so it is off unless asked for.

    python bench/hugo_site.py CONTENT_DIR HUGO_DIR
"""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.build import BuildOptions, Timer, load
from sitegen.reuse import Fresh, Mode
from sitegen.core.diagnostics import Diagnostics

CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
title = "Synthetic archive"
buildFuture = true  # Hugo silently skips pages dated after today otherwise
disableKinds = ["rss", "sitemap", "robotstxt"]
[taxonomies]
day = "days"
tag = "tags"
[pagination]
pagerSize = 50
"""

LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Params.abstract | truncate 200 }}">
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="/">{{ site.Title }}</a>
<nav><a href="/days/">Days</a> <a href="/tags/">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_partials/card.html": """<article class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "Jan 2, 2006" }}{{ with .Params.upvotes }} · {{ . }} upvotes{{ end }}{{ with .Params.byline }} · {{ . }}{{ end }}</p>
<p>{{ .Params.abstract | truncate 240 }}</p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>
""",
    "single.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "days" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}{{ with .Params.upvotes }} · {{ . }} upvotes{{ end }}{{ with .Params.byline }} · {{ . }}{{ end }}</p>
<p>{{ .Params.abstract }}</p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>
{{ if site.Params.related }}<section><h2>Related papers</h2>{{ range first 5 (site.RegularPages.Related .) }}{{ partial "card.html" . }}{{ end }}</section>{{ end }}
{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .Pages).Pages }}{{ partial "card.html" . }}{{ end }}
{{ partial "pagination.html" . }}{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ range first 20 site.RegularPages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}
{{ end }}
""",
}


def write_hugo_site(content_dir: Path, site_dir: Path, related: bool = False) -> Path:
    report = Diagnostics()
    _, site = load(BuildOptions(content_dir=content_dir), report, Timer({}, None), Fresh(), Mode.EXACT)
    tag_names = {group.key: group.name for group in site.tags}
    (site_dir / "layouts" / "_partials").mkdir(parents=True, exist_ok=True)
    (site_dir / "hugo.toml").write_text(CONFIG + f"[params]\nrelated = {str(related).lower()}\n", encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site_dir / "layouts" / name).write_text(text, encoding="utf-8")
    papers_dir = site_dir / "content" / "papers"
    papers_dir.mkdir(parents=True, exist_ok=True)
    for paper in site.papers.values():
        front = {
            "title": paper.title,
            "date": paper.date.isoformat() if paper.date else "1970-01-01",
            "days": [paper.date.isoformat() if paper.date else "undated"],
            "tags": [tag_names[slug] for slug in site.tags_of[paper.id]],
            "upvotes": paper.upvotes,
            "byline": paper.org.name if paper.org else (f"{paper.authors} authors" if paper.authors else None),
            "abstract": paper.abstract,
        }
        (papers_dir / f"{paper.id}.md").write_text(json.dumps(front, ensure_ascii=False) + "\n", encoding="utf-8")
    return site_dir


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, metavar="CONTENT_DIR")
    parser.add_argument("site", type=Path, metavar="HUGO_SITE_DIR")
    args = parser.parse_args()
    write_hugo_site(args.content, args.site)
