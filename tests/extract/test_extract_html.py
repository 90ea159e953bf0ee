from datetime import datetime

import pytest

from newsetl.article import ExtractionContext, NoArticle
from newsetl.extract import extract_html
from newsetl.extract.html import _as_text

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Council approves budget after long debate | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2024-06-18T09:30:00+02:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Council approves budget after long debate</h1>
<p>The city council approved the new budget on Tuesday after a long debate about the cost of public transport,
and the mayor said that the vote was a good day for the people who depend on buses every day.</p>
<p>Opposition members argued that the plan would raise fares within two years, but the finance committee said
that the figures had been checked twice and that ticket prices would stay the same until 2026.</p>
<p>The budget now goes to the regional government, which has three weeks to approve or return it.</p>
</article>
<footer><p>© 2024 Example Times. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_html_article():
    article = extract_html(PAGE, ExtractionContext(url="https://example.com/a", snapshot_time=datetime(2024, 6, 20)))
    assert article.title == "Council approves budget after long debate"
    assert "approved the new budget" in article.body
    assert "regional government" in article.body
    assert "Privacy" not in article.body and "Home" not in article.body
    assert article.published_at == datetime(2024, 6, 18, 9, 30)
    assert article.published_tz == "+02:00"
    assert article.language == "en"
    assert article.source_name == "Example Times"
    assert article.url == "https://example.com/a"
    assert article.extractor == "html"


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>"])
def test_empty_html_is_no_article(html):
    with pytest.raises(NoArticle):
        extract_html(html, ExtractionContext())


def test_table_layout_page_goes_through_the_text_cleaner():
    story = (
        "The storm that reached the coast on Monday night destroyed dozens of houses and left thousands of "
        "people without power, the regional authorities said on Tuesday morning. Rescue teams were still "
        "searching for two fishermen who had not returned to the harbour."
    )
    page = (
        "<html><body><table><tr><td><a href='/'>Home</a></td><td><a href='/n'>News</a></td></tr></table>"
        f"<table><tr><td><b>Big storm hits the coast</b><br>{story}</td></tr></table></body></html>"
    )
    article = extract_html(page, ExtractionContext())
    assert "destroyed dozens of houses" in article.body
    assert article.language == "en"
    # When trafilatura finds nothing, the page's text goes through the text cleaner.
    fallback = _as_text(page, ExtractionContext())
    assert fallback.extractor == "html-as-text"
    assert "destroyed dozens of houses" in fallback.body
    assert "Home" not in fallback.body


def test_markup_stored_as_text_is_read_as_html():
    from newsetl.extract import extract_text

    article = extract_text(PAGE, ExtractionContext(snapshot_time=datetime(2024, 6, 20)))
    assert article.extractor == "html"
    assert article.title == "Council approves budget after long debate"
