from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_DATES = [
    "2024-06-19 09:30",
    "19 June 2024",
    "June 18, 2024 10:00",
    "18.06.2024",
    "2024年6月19日 08:00",
    "ngày 19/6/2024",
    "2024-06-12",
    "3 mai 2024",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(min_value=0, max_value=3000), st.integers(min_value=1170, max_value=1200)),
            st.sampled_from(_DATES),
        ),
        max_size=6,
    ),
    st.sampled_from([datetime(2024, 6, 19, 6), datetime(2024, 6, 18, 14), datetime(2024, 5, 3)]),
)
def test_the_printed_date_read_from_a_prefix_is_the_one_of_the_whole_window(placed, machine_time):
    from newsetl.extract import html as module
    from newsetl.extract.dates import FoundDate, find_dates

    filler = list("lorem ipsum dolor sit amet consectetur " * 80)
    for offset, date in sorted(placed, reverse=True):
        filler[offset:offset] = f" {date} "
    page = "<html><body><h1>Headline</h1><p>" + "".join(filler) + "</p></body></html>"
    ctx = ExtractionContext(snapshot_time=datetime(2024, 6, 20))
    machine = FoundDate(machine_time, "+00:00", 0, 0, True, True)
    window = module._clean(page[page.index("<h1") : page.index("<h1") + module._PRINTED_DATE_REACH])
    whole = next(
        (
            f
            for f in find_dates(window, ctx.snapshot_time)
            if f.has_year and abs(f.at - machine.at) <= module.timedelta(hours=14)
        ),
        None,
    )
    assert module._printed_near_headline(page, machine, ctx) == whole


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<p>Story</p><footer>© 2020 Example Media</footer>", False),
        ("<p>Story</p><span>(点击：2020)</span>", False),
        ("<p class='date'>1 January 2020</p><p>Story</p>", True),
    ],
)
def test_trafilatura_year_alone_written_as_1_january_is_no_date(html, kept):
    from newsetl.extract.html import _trafilatura_date

    found = _trafilatura_date("2020-01-01", html, ExtractionContext(snapshot_time=datetime(2024, 6, 20)))
    assert (found is not None) == kept


_NO_META = PAGE.replace('<meta property="article:published_time" content="2024-06-18T09:30:00+02:00">\n', "")


@pytest.mark.parametrize(
    "page",
    [
        # the first <time> after the headline, with a related story's time before the headline
        _NO_META.replace("<nav>", '<nav><time datetime="2023-01-02T08:00:00Z">old</time>').replace(
            "</h1>", '</h1><time datetime="2024-06-18T09:30:00+02:00">18 June</time>'
        ),
        # a <time> marked as the publication time wins over one nearer the headline
        _NO_META.replace("</h1>", '</h1><time datetime="2024-06-19T11:00:00+02:00">updated</time>').replace(
            "<footer>", '<footer><time itemprop="datePublished" datetime="2024-06-18T09:30:00+02:00">18 June</time>'
        ),
    ],
    ids=["after-headline", "marked-published"],
)
def test_time_element_keeps_clock_time_and_offset(page):
    article = extract_html(page, ExtractionContext(snapshot_time=datetime(2024, 6, 20)))
    assert (article.published_at, article.published_tz) == (datetime(2024, 6, 18, 9, 30), "+02:00")


def test_html_body_drops_the_kicker_headline_and_date_lines_trafilatura_kept():
    from newsetl.extract.html import _main_text_only

    story = "The council approved the budget on Tuesday after a long debate.\nIt goes to the region next."
    kept = "Politics\nCouncil approves budget\n18 June 2024, 09:30\n" + story
    assert _main_text_only(kept, "Council approves budget") == story
    # the headline quoted further down, or a headline after a sentence, stays where it is
    quoted = "A sentence that opens the story ends here.\nCouncil approves budget\n" + story
    assert _main_text_only(quoted, "Council approves budget") == quoted
    assert _main_text_only("Council approves budget", "Council approves budget") == "Council approves budget"
