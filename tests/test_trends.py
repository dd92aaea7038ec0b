"""Week and month pages, rising tags, "on this day", charts and digest feeds (issue 20),
checked on small archives whose expected pages are worked out by hand below, and on the
shipped site against its own `/papers.json`. Pages are read back from real builds."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from built_site import build
from sitegen.assemble.members import week_key
from sitegen.trends.pages import week_span

BASE = "https://example.org/"
SITE_TOML = f'title = "Trend Test"\nbase_url = "{BASE}"\n'


def block(title: str, date: dt.date | None, upvotes: int, org: str = "acme Acme Labs", words: str = "") -> str:
    abstract = f"We study {title.lower()} {words} in a careful way, and report what we found about it here."
    if date is None:
        return f"{title}\n\n{abstract}\n\n"
    return f"{title}\n\n{abstract}\n\n{org}\n·\n{date:%b} {date.day}, {date.year} {upvotes}\n\n"


def write_archive(root: Path, saved: dt.date, papers: list[str], tags: str = "", undated: list[str] = ()) -> Path:
    content = root / "content"
    (content / "listings").mkdir(parents=True)
    (content / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (content / "tags.toml").write_text(tags, encoding="utf-8")
    header = f"Daily Papers\n\n{saved:%b} {saved.day}\n\n"
    (content / "listings" / f"{saved.isoformat()}-dump.txt").write_text(header + "".join(papers), encoding="utf-8")
    if undated:  # a dump with no save date: its papers stay undated
        (content / "listings" / "nodate.txt").write_text("Daily Papers\n\n" + "".join(undated), encoding="utf-8")
    return content


def cards(page: Path) -> list[str]:
    """The paper titles of a list page, in the order shown."""
    return [html.unescape(t) for t in re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', page.read_text())]


def neighbours(page: Path) -> dict[str, str]:
    return dict(re.findall(r'<a rel="(prev|next)" href="([^"]*)">', page.read_text()))


def table(page: Path, caption: str) -> list[tuple[str, str]]:
    """(row label, number) of the chart table with this caption."""
    text = page.read_text()
    body = text[text.index(f"<caption>{html.escape(caption, quote=False)}</caption>"):]
    body = body[: body.index("</table>")]
    rows = re.findall(r'<th scope="row">(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</th><td>([^<]*)</td>', body)
    return [(html.unescape(label), html.unescape(number)) for label, number in rows]


# -- ISO weeks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("date, key", [
    (dt.date(2020, 12, 31), "2020-W53"),  # a Thursday: 2020 has 53 ISO weeks
    (dt.date(2021, 1, 3), "2020-W53"),  # a Sunday of the new year, still in the old year's week 53
    (dt.date(2021, 1, 4), "2021-W01"),
    (dt.date(2024, 12, 30), "2025-W01"),  # a Monday of the old year, in the new year's week 1
    (dt.date(2025, 12, 28), "2025-W52"),
    (dt.date(2026, 1, 1), "2026-W01"),
])
def test_iso_week_keys_at_year_boundaries(date, key):
    assert week_key(date) == key
    monday, sunday = week_span(key)
    assert monday <= date <= sunday and monday.weekday() == 0 and (sunday - monday).days == 6


# -- Period pages of a hand-worked archive ----------------------------------------------------------

HAND = [  # title, date, upvotes
    ("Alpha", dt.date(2020, 12, 31), 10),
    ("Bravo", dt.date(2021, 1, 1), 10),
    ("Charlie", dt.date(2021, 1, 3), 30),
    ("Delta", dt.date(2021, 1, 4), 5),
    ("Foxtrot", dt.date(2024, 12, 30), 7),
    ("Echo", dt.date(2024, 12, 30), 7),
    ("Golf", dt.date(2025, 1, 2), 7),
]


@pytest.fixture(scope="module")
def hand_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hand")
    content = write_archive(root, dt.date(2025, 1, 5), [block(t, d, u) for t, d, u in HAND],
                            undated=[block("Hotel", None, 0)])
    return build(content, root / "out", "--no-search")


def test_weeks_rank_by_upvotes_then_newest_then_title(hand_site):
    weeks = hand_site / "weeks"
    assert sorted(p.name for p in weeks.iterdir() if p.is_dir()) == ["2020-W53", "2021-W01", "2025-W01"]
    # Bravo and Alpha tie on 10 upvotes: the newer first. Golf, Echo, Foxtrot tie on 7:
    # Golf is newest; Echo and Foxtrot share a date, so by title.
    assert cards(weeks / "2020-W53" / "index.html") == ["Charlie", "Bravo", "Alpha"]
    assert cards(weeks / "2021-W01" / "index.html") == ["Delta"]
    assert cards(weeks / "2025-W01" / "index.html") == ["Golf", "Echo", "Foxtrot"]
    assert neighbours(weeks / "2021-W01" / "index.html") == {"prev": "/weeks/2020-W53/", "next": "/weeks/2025-W01/"}
    assert "ISO week 53 of 2020" in (weeks / "2020-W53" / "index.html").read_text()
    assert "Dec 28, 2020 – Jan 3, 2021" in (weeks / "2020-W53" / "index.html").read_text()


def test_months_split_a_week_at_the_month_boundary(hand_site):
    months = hand_site / "months"
    assert sorted(p.name for p in months.iterdir() if p.is_dir()) == ["2020-12", "2021-01", "2024-12", "2025-01"]
    assert cards(months / "2020-12" / "index.html") == ["Alpha"]
    assert cards(months / "2021-01" / "index.html") == ["Charlie", "Bravo", "Delta"]
    assert cards(months / "2024-12" / "index.html") == ["Echo", "Foxtrot"]
    assert cards(months / "2025-01" / "index.html") == ["Golf"]
    index = (months / "index.html").read_text()
    assert index.index("/months/2025-01/") < index.index("/months/2020-12/")  # newest first


def test_undated_papers_are_in_no_period(hand_site):
    shown = [title for page in [*hand_site.glob("weeks/*/index.html"), *hand_site.glob("months/*/index.html")]
             for title in cards(page)]
    assert "Hotel" not in shown and Counter(shown) == Counter([t for t, _, _ in HAND] * 2)
    assert "Hotel" in cards(hand_site / "days" / "undated" / "index.html")


def test_day_pages_link_their_week_and_month(hand_site):
    day = (hand_site / "days" / "2021-01-03" / "index.html").read_text()
    assert 'href="/weeks/2020-W53/"' in day and 'href="/months/2021-01/"' in day


def test_home_shows_the_newest_week_and_month_of_the_archive(hand_site):
    home = (hand_site / "index.html").read_text()
    week = home[home.index('id="week-heading"'):home.index('id="month-heading"')]
    assert "Week 2025-W01" in week and cards_in(week) == ["Golf", "Echo", "Foxtrot"]
    assert 'href="/weeks/"' in home and 'href="/months/"' in home and 'href="/stats/"' in home


def cards_in(text: str) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', text)


def test_period_pages_are_in_the_sitemap(hand_site):
    sitemap = (hand_site / "sitemap.xml").read_text()
    for path in ("weeks/", "weeks/2020-W53/", "months/", "months/2021-01/", "stats/"):
        assert f"<loc>{BASE}{path}</loc>" in sitemap


def test_digest_feeds_have_one_entry_per_period_with_its_top_papers(hand_site):
    weekly = feedparser.parse((hand_site / "weeks" / "feed.xml").read_bytes())
    assert not weekly.bozo and weekly.version == "atom10"
    assert [e.link for e in weekly.entries] == [f"{BASE}weeks/{k}/" for k in ("2025-W01", "2021-W01", "2020-W53")]
    top = weekly.entries[2].content[0]
    assert top.type == "text/html"
    assert cards_in(top.value.replace("<li><a", '<li class="card-title"><a')) == ["Charlie", "Bravo", "Alpha"]
    monthly = feedparser.parse((hand_site / "months" / "feed.xml").read_bytes())
    assert not monthly.bozo and len(monthly.entries) == 4


# JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the keys it defines and their types. feedparser
# 6 reads no JSON Feed, so the spec's rules are checked here.
FEED_KEYS = {"version": str, "title": str, "home_page_url": str, "feed_url": str, "description": str,
             "user_comment": str, "next_url": str, "icon": str, "favicon": str, "authors": list,
             "language": str, "expired": bool, "hubs": list, "items": list}
ITEM_KEYS = {"id": str, "url": str, "external_url": str, "title": str, "content_html": str, "content_text": str,
             "summary": str, "image": str, "banner_image": str, "date_published": str, "date_modified": str,
             "authors": list, "tags": list, "language": str, "attachments": list}


def check_json_feed(document: dict) -> None:
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert {"title", "items"} <= document.keys()
    for keys, value in [(FEED_KEYS, document), *((ITEM_KEYS, item) for item in document["items"])]:
        for key, found in value.items():
            assert isinstance(found, keys[key]), key  # an unknown key fails here too
        for author in value.get("authors", []):
            assert set(author) <= {"name", "url", "avatar"} and author
    for item in document["items"]:
        assert item["id"] and ("content_html" in item or "content_text" in item)
        for key in ("date_published", "date_modified"):
            if key in item:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", item[key]), item[key]
        assert all(isinstance(tag, str) for tag in item.get("tags", []))


def test_json_feed_is_json_feed_1_1(hand_site):
    document = json.loads((hand_site / "feed.json").read_text())
    check_json_feed(document)
    assert document["feed_url"] == f"{BASE}feed.json" and document["home_page_url"] == BASE
    items = document["items"]
    assert {item["title"] for item in items} == {t for t, _, _ in HAND}  # the undated paper has no date to order it
    for item in items:
        assert item["url"].startswith(BASE) and item["id"] == item["url"] and item["content_text"]
        assert "authors" not in item  # the site (the feed's author) wrote every item; the organisation only submitted it
    assert document["authors"][0]["name"]
    assert 'type="application/feed+json"' in (hand_site / "index.html").read_text()


def test_the_json_feed_check_catches_a_broken_feed():
    with pytest.raises(AssertionError):
        check_json_feed({"version": "https://jsonfeed.org/version/1.1", "title": "t",
                         "items": [{"id": "x", "content_text": "y", "date_published": "2025-01-02"}]})


def test_each_organisation_has_an_atom_feed(hand_site):
    feed = feedparser.parse((hand_site / "orgs" / "acme" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10" and len(feed.entries) == len(HAND)
    assert 'href="/orgs/acme/feed.xml"' in (hand_site / "orgs" / "acme" / "index.html").read_text()


# -- Rising tags and "on this day" on a constructed archive -----------------------------------------

TAGS = "".join(f'[{t}]\nname = "{t.title()}"\nphrases = ["{t}word"]\n\n' for t in ("alpha", "beta", "gamma", "delta"))
NEWEST = dt.date(2025, 6, 30)  # the last 90 days: Apr 2 - Jun 30; the 90 before: Jan 2 - Apr 1
RECENT = [dt.date(2025, 4, 2)] + [dt.date(2025, 5, d) for d in range(1, 9)] + [NEWEST]
BEFORE = [dt.date(2025, 4, 1)] + [dt.date(2025, 2, d) for d in range(1, 10)]
RECENT_TAGS = {0: "alpha gamma delta", 1: "alpha delta", 2: "alpha delta", 3: "alpha delta", 4: "alpha delta",
               5: "beta", 6: "beta", 7: "gamma", 8: "gamma", 9: "gamma"}
BEFORE_TAGS = {0: "delta", 1: "delta alpha", 2: "delta alpha", 3: "delta", 4: "delta"}


@pytest.fixture(scope="module")
def rising_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rising")
    papers = [block(f"Recent {i}", d, 1, words=" ".join(w + "word" for w in RECENT_TAGS[i].split()))
              for i, d in enumerate(RECENT)]
    papers += [block(f"Before {i}", d, 1, words=" ".join(w + "word" for w in BEFORE_TAGS.get(i, "").split()))
               for i, d in enumerate(BEFORE)]
    papers += [block("Last year", dt.date(2024, 6, 30), 3), block("Two years ago", dt.date(2023, 6, 30), 9),
               block("Not this day", dt.date(2024, 6, 29), 50)]
    return build(write_archive(root, NEWEST, papers, TAGS), root / "out", "--no-search")


def test_rising_tags_follow_the_rule(rising_site):
    """alpha: 5 of 10 recent papers (the one on Apr 2 is recent) against 2 of 10 before: rising.
    beta: 2 recent, under the floor of 5. gamma: 4 recent against none, still under the floor.
    delta: 5 of 10 against 5 of 10 (the one on Apr 1 is before): not rising."""
    home = (rising_site / "index.html").read_text()
    rising = home[home.index('id="rising-heading"'):]
    rising = rising[: rising.index("</table>")]
    rows = re.findall(r'<th scope="row"><a href="([^"]*)">[^<]*</a></th><td>([^<]*)</td><td>([^<]*)</td>', rising)
    assert rows == [("/tags/alpha/", "50.0% (5 papers)", "20.0% (2 papers)")]
    assert "Apr 2 – Jun 30, 2025" in home and "Jan 2 – Apr 1, 2025" in home  # the rule names its windows


def test_on_this_day_shows_the_same_day_in_earlier_years(rising_site):
    home = (rising_site / "index.html").read_text()
    section = home[home.index('id="on-this-day-heading"'):]
    section = section[: section.index("</section>")]
    assert "June 30 in earlier years" in section
    assert cards_in(section) == ["Two years ago", "Last year"]  # most upvoted first


# -- Charts against the shipped site's own data -------------------------------------------------------

def test_per_month_chart_matches_papers_json(shipped_site):
    papers = json.loads((shipped_site / "papers.json").read_text())["papers"]
    months = Counter(p["date"][:7] for p in papers if p["date"])
    for page in (shipped_site / "stats" / "index.html", shipped_site / "days" / "index.html"):
        rows = table(page, "Papers per month")
        shown = {dt.datetime.strptime(label, "%b %Y").strftime("%Y-%m"): int(n) for label, n in rows}
        assert {k: v for k, v in shown.items() if v} == dict(months)
        assert len(rows) == len(set(shown))  # one row per month, months without papers shown as 0
        svg = page.read_text()
        assert 'role="img" aria-labelledby="chart-months-t chart-months-d"' in svg
        assert f"{sum(months.values())} dated papers in {len(rows)} months" in svg


def test_tag_chart_matches_papers_json(shipped_site):
    papers = json.loads((shipped_site / "papers.json").read_text())["papers"]
    tag_page = max((shipped_site / "tags").glob("*/index.html"), key=lambda p: len(cards(p)))
    slug = tag_page.parent.name
    quarters = Counter(f"Q{(int(p['date'][5:7]) - 1) // 3 + 1} {p['date'][:4]}"
                       for p in papers if p["date"] and slug in p["tags"])
    caption = re.search(r"<caption>(Papers tagged [^<]* per quarter)</caption>", tag_page.read_text()).group(1)
    shown = {label: int(n) for label, n in table(tag_page, html.unescape(caption))}
    assert {k: v for k, v in shown.items() if v} == dict(quarters)
    index_page = shipped_site / "tags" / "index.html"
    index = index_page.read_text()
    assert index.count('class="chart-svg spark"') == len(list((shipped_site / "tags").glob("*/index.html")))
    # On the tags index, each small chart's table lists the quarters with papers, and only those.
    small = {label: int(n) for label, n in table(index_page, html.unescape(caption) + " (quarters with papers)")}
    assert small == dict(quarters)


def test_a_chart_is_an_accessible_svg_whose_texts_are_escaped():
    import xml.etree.ElementTree as ET

    from sitegen.trends import charts

    name = 'Evil </title><script>alert(1)</script> & "tag"'
    for svg in (charts.columns("c1", name, f"{name}: gist", [0, 3, 1.5], {0: name}),
                charts.spark("c2", name, "gist", [1, 2]), charts.rows("c3", name, "gist", [(name, 4), ("b", 2)])):
        root = ET.fromstring(str(svg))  # well-formed: nothing broke out of an element
        assert root.get("role") == "img"
        chart_id = root.get("aria-labelledby").split()[0][:-2]
        assert root.find("{*}title").get("id") == f"{chart_id}-t" and root.find("{*}title").text == name
        assert root.find("{*}desc").get("id") == f"{chart_id}-d"
        assert not root.findall(".//{*}script")
    bars = ET.fromstring(str(charts.columns("c", "t", "d", [2, 4, 0], {}))).findall("{*}rect")
    assert [float(b.get("height")) for b in bars] == [59.0, 118.0]  # to scale: 0 draws no bar
