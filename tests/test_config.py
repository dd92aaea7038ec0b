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
