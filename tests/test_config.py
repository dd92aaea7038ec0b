"""content/site.toml (read/config.py): defaults, and each mistake as one line pointing at the key."""

from __future__ import annotations

from sitegen.read.config import SiteConfig, load_config
from sitegen.core.diagnostics import Diagnostics


def load(tmp_path, text: str | bytes | None, base_url: str | None = None) -> tuple[SiteConfig, list[str]]:
    if text is not None:
        path = tmp_path / "site.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    report = Diagnostics()
    config = load_config(tmp_path, report, base_url)
    return config, [str(d).replace(str(tmp_path) + "/", "") for d in report.items]


def test_no_file_means_the_defaults(tmp_path):
    assert load(tmp_path, None) == (SiteConfig(), [])


def test_a_base_url_gains_its_trailing_slash_and_the_command_line_wins(tmp_path):
    config, problems = load(tmp_path, 'base_url = "https://example.org/archive"\n')
    assert (config.base_url, config.base_path, problems) == ("https://example.org/archive/", "/archive/", [])
    config, _ = load(tmp_path, 'base_url = "https://example.org/archive"\n', base_url="https://other.example/")
    assert config.base_url == "https://other.example/"


def test_each_mistake_names_the_line_of_its_key(tmp_path):
    text = '# my archive\ntitle = "Papers"\n\npage_size = 0\n"related_count" = "five"\ntitel = "x"\n'
    _, problems = load(tmp_path, text)
    assert problems == [
        "site.toml:4: error: key 'page_size': Input should be greater than or equal to 1",
        "site.toml:5: error: key 'related_count': Input should be a valid integer, unable to parse string as an integer",
        "site.toml:6: error: unknown key 'titel'; check its spelling (known keys: title, description, base_url, "
        "language, page_size, home_days, home_tags, related_count, feed_size, author, paper_cards)",
    ]


def test_a_relative_base_url_says_what_an_absolute_one_looks_like(tmp_path):
    _, problems = load(tmp_path, 'title = "Papers"\nbase_url = "example.org/archive"\n')
    assert problems == ["site.toml:2: error: key 'base_url': must be an absolute http(s) URL such as "
                        "https://example.org/archive/"]


def test_a_file_that_is_not_toml_or_not_utf8_is_one_line(tmp_path):
    assert load(tmp_path, 'title = "Papers\n')[1] == ["site.toml:1: error: not valid TOML: Illegal character '\\n'"]
    assert load(tmp_path, b'title = "Caf\xe9"\n')[1] == ["site.toml: error: not valid UTF-8; re-save the file as UTF-8"]


def test_a_base_url_with_spaces_quotes_credentials_query_or_bad_port_is_refused_at_its_line(tmp_path):
    # Issue 15, item 7: each of these was accepted, and written into robots.txt and every page.
    for url, lacks in [("http://example.org/\\\"><script>alert(1)</script>", "without spaces or quotes"),
                       ("http://exa mple.org/", "without spaces or quotes"),
                       ("http://user:secret@example.org/", "without a user name or password"),
                       ("http://example.org:99999/", "with a port from 1 to 65535"),
                       ("http://example.org/?query", "without a query (?) or fragment (#)"),
                       ("http://example.org/#top", "without a query (?) or fragment (#)")]:
        _, problems = load(tmp_path, f'title = "Papers"\nbase_url = "{url}"\n')
        assert problems == [f"site.toml:2: error: key 'base_url': must be an absolute http(s) URL such as "
                            f"https://example.org/archive/, {lacks}"], url
    for url in ("http://[::1]:8000/", "https://example.org:8443/a%20b/", "http://localhost/"):
        assert load(tmp_path, f'base_url = "{url}"\n')[1] == [], url


def test_a_language_that_is_not_a_language_tag_is_refused_at_its_line(tmp_path):
    # Issue 15, item 8: Pagefind panicked on this one, with no file or line.
    _, problems = load(tmp_path, 'title = "Papers"\n\nlanguage = "../../../../tmp/x"\n')
    assert problems == ["site.toml:3: error: key 'language': '../../../../tmp/x' is not a language tag; "
                        "use one such as en, de or pt-BR"]
    for tag in ("en", "pt-BR", "zh-Hant-TW", "de-CH-1996"):
        assert load(tmp_path, f'language = "{tag}"\n')[1] == [], tag
    for tag in ("", "e", "en_US", "en-", "x" * 9):
        assert load(tmp_path, f'language = "{tag}"\n')[1], tag
