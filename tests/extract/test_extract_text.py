import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsetl.article import ExtractionContext, NoArticle
from newsetl.extract import extract_text, learn_repeated_lines

REPO = Path(__file__).resolve().parents[2]
LANDING = REPO / "samples" / "landing"
CTX = ExtractionContext(snapshot_time=datetime(2024, 6, 20))

ZH_BODY_START = "中韩举行自2015年以来首次有外交部和国防部代表参加的“2+2”安全与外交政策对话。"
ZH_BODY_END = "中国的作用有其自身的价值,如果地区紧张局势升级,中国的作用还会更大。"


def _seed(name: str) -> str:
    return (LANDING / name).read_text("utf-8")


# Profile tests: the two bundled seeds are the templates the site profiles (newsetl/data/site_profiles) were
# written for, so these check the profiles. The general cleaner is tested on other pages below and in
# test_cleaner_snapshots.py.


def test_fyun_aggregator_profile_on_its_chinese_seed():
    text = _seed("000_b243f9a26ff972f0.txt")
    article = extract_text(text, CTX)
    assert article.title == "中韩外交安全对话有助于缓解东北亚紧张局势"
    assert article.published_at == datetime(2024, 6, 19, 11, 6, 0)
    assert article.source_name == "Sputnik"
    assert article.category == "国际"
    assert article.language == "zh"
    paragraph = next(line for line in text.splitlines() if line.startswith(ZH_BODY_START))
    assert article.body == paragraph
    assert article.body.endswith(ZH_BODY_END)
    assert article.extractor == "profile:fyun-aggregator"


def test_sputnik_captions_profile_on_its_vietnamese_seed():
    text = _seed("004_a8e61c68e45d245b.txt")
    article = extract_text(text, CTX)
    assert article.extractor == "profile:sputnik-captions"
    assert article.title == text.splitlines()[0].strip()
    assert article.published_at.date().isoformat() == "2024-06-19"
    assert article.source_name == "Sputnik"
    assert article.language == "vi"
    for boilerplate in (
        "Sputnik Việt Nam, 1920, 19.06.2024",
        "© Sputnik",
        "Đăng ký",
        "Multimedia",
        "Thỏa thuận mới giữa Liên bang Nga và CHDCND Triều Tiên đóng vai trò cảnh báo nghiêm túc đối với Mỹ",
        "Kim Jong-un gọi Putin là người bạn thân yêu nhất",
        "Để tham gia thảo luận",
        "Заголовок открываемого материала",
    ):
        assert boilerplate not in article.body
    assert article.body.startswith("Tổng thống Nga Vladimir Putin đã có chuyến thăm cấp nhà nước")
    assert article.body.endswith("được tổ chức theo sự thỏa thuận giữa hai quốc gia có chủ quyền.")
    assert len(article.body.splitlines()) == 11


def test_profiles_match_the_bundled_seed_gold():
    from newsetl import config

    gold_path = config.PROJECT_ROOT / "samples" / "gold.jsonl"  # a copy of the shared seed gold
    for line in gold_path.read_text("utf-8").splitlines():
        gold = json.loads(line)
        article = extract_text(_seed(gold["file"]), CTX)
        assert article.body == gold["body"]
        assert article.title == gold["title"]
        assert article.source_name == gold["source_name"]
        assert article.published_at.date().isoformat() == gold["published"]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\n\n\n"])
def test_empty_snapshot_is_no_article(text):
    with pytest.raises(NoArticle):
        extract_text(text, CTX)


def test_navigation_only_is_no_article():
    nav = "\n".join(f"  • {item}" for item in ("Home", "World", "Politics", "Business", "Sport", "Contact us"))
    with pytest.raises(NoArticle):
        extract_text(nav + "\n© 2024 Example Media. All rights reserved.\n", CTX)


def test_general_cleaner_drops_menus_and_related_list():
    paragraph = (
        "The city council approved the new budget on Tuesday after a long debate about the cost of public "
        "transport, and the mayor said that the vote was a good day for the people who depend on buses. "
    )
    text = "\n".join(
        [
            "  • Home",
            "  • News",
            "  • Sport",
            "",
            "Council approves budget after long debate",
            "",
            "June 18, 2024",
            "",
            paragraph * 2,
            "",
            paragraph.replace("Tuesday", "Wednesday") * 2,
            "",
            "Related news",
            "",
            "Another story about something else",
            "June 1, 2024",
            "Yet another story",
            "May 28, 2024",
            "",
            "© 2024 Example Media. All rights reserved.",
        ]
    )
    article = extract_text(text, CTX)
    assert article.title == "Council approves budget after long debate"
    assert article.published_at == datetime(2024, 6, 18)
    assert article.language == "en"
    assert "Another story" not in article.body and "Home" not in article.body
    assert article.body.count("The city council") == 4


def test_repeated_lines_are_learned_per_distinct_document():
    nav = "Home\nSubscribe now\n"
    stories = ("Rain fell on the capital.", "The team won its final.", "Prices rose again in May.")
    docs = [nav + story + "\n" for story in stories]
    learned = learn_repeated_lines(docs)
    assert "subscribe now" in learned
    assert not any(story.lower() in learned for story in stories)
    # The same document twice (a .txt and its re-crawl) counts once.
    assert "subscribe now" not in learn_repeated_lines(docs[:2] + docs[:1])
    assert learn_repeated_lines([]) == frozenset()


def test_repeated_lines_are_removed_from_the_body():
    paragraph = (
        "The minister said that the agreement would be signed next month, and that both countries had "
        "agreed on the main points of the text after years of talks."
    )
    second = paragraph.replace("next month", "in the autumn").replace("years", "two decades")
    text = f"Headline of the story\n\n{paragraph}\nSubscribe to our newsletter for more stories.\n{second}\n"
    ctx = ExtractionContext(repeated_lines=frozenset({"subscribe to our newsletter for more stories."}))
    body = extract_text(text, ctx).body
    assert "Subscribe" not in body
    assert "in the autumn" in body and "next month" in body


def test_caption_printed_twice_is_dropped():
    paragraph = (
        "The minister said that the agreement would be signed next month, and that both countries had "
        "agreed on the main points of the text after years of talks."
    )
    caption = "The minister arrives for the talks in Geneva on Monday."
    text = f"Headline of the story\n\n{paragraph}\n{caption}\n{caption}\n{paragraph.upper()}\n"
    assert caption not in extract_text(text, CTX).body


def test_a_line_of_timestamped_headlines_is_no_body():
    story = (
        "The minister said that the agreement would be signed next month, and that both countries had "
        "agreed on the main points of the text after years of talks.\n"
        "At 10:30 the delegations met, at 11:45 they broke for lunch and at 14:00 they signed the text.\n"
        "Both parliaments still have to ratify the agreement before it can enter into force next year."
    )
    feed = (
        "23:58 Refugees return to the region under escort 23:49 Canada sends aid to the displaced "
        "23:07 France opens a field hospital near the border 22:19 The UN is ready to work with Russia"
    )
    body = extract_text(f"Headline of the story\n\n{story}\n\n{feed}\n", CTX).body
    assert "Canada" not in body
    assert "at 11:45 they broke for lunch" in body


@pytest.mark.parametrize(
    ("text", "ticker"),
    [
        (
            "08:45 «Hraparak»: who is the candidate 08:38 «Zhoghovurd»: the resignation in May 08:31 «Past»: "
            "ministries ban protests",
            True,
        ),
        ("At 10:30 the minister arrived, and at 11:45 he left; the vote was at 14:00 sharp.", False),
        ("Das Spiel beginnt um 18:30 Uhr, 19:30 Uhr und 20:30 Uhr", False),
        ("Kick-off 10:30:15 Team A 2:1 Team B 3:0 Team C", False),
    ],
)
def test_time_ticker_lines(text, ticker):
    from newsetl.extract.lines import is_time_ticker

    assert is_time_ticker(text) is ticker


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_extract_text_returns_an_article_or_raises_no_article(text):
    try:
        article = extract_text(text, CTX)
    except NoArticle:
        return
    assert article.body


_PROSE = "A sentence that is long enough to be prose, with words and a full stop at its end, really."


def _is_subsequence(items: list[str], of: list[str]) -> bool:
    remaining = iter(of)
    return all(item in remaining for item in items)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "",
                "  • Home",
                "2024-06-19",
                "Заголовок",
                "中韩外交安全对话。",
                "...teaser",
                "[img]",
                _PROSE,
                "类别:国际 发布时间:2024-06-19 11:06:00 来源:x",
                "快照生成时间:2024-06-19 15:45:21",
                "来源:俄罗斯卫星通讯社",
                "caption - Sputnik Việt Nam, 1920, 19.06.2024",
            ]
        ),
        max_size=40,
    )
)
# Found by hypothesis: the one sentence becomes the headline, and the metadata line is left as the body.
@example(["  • Home", "类别:国际 发布时间:2024-06-19 11:06:00 来源:x", _PROSE, "  • Home", "  • Home", "  • Home"])
def test_template_fragments_give_no_article_or_a_body_of_their_own_lines(lines):
    """Template debris alone is no article; where there is one, its body is lines of the snapshot, in their
    order, and the prose is among them or is the headline (a page of one sentence and debris)."""
    if _PROSE not in lines:
        with pytest.raises(NoArticle):
            extract_text("\n".join(lines), CTX)
        return
    try:
        article = extract_text("\n".join(lines), CTX)
    except NoArticle:
        return  # one sentence among debris, or a sentence the page repeats, is too thin to trust
    body = article.body.splitlines()
    assert _PROSE in body or article.title == _PROSE
    assert _is_subsequence(body, [line.strip() for line in lines])


def test_wire_dateline_names_the_outlet():
    paragraph = (
        "The talks between the two delegations lasted for more than six hours on Monday and ended without a "
        "joint statement, officials from both sides said later in the evening."
    )
    article = extract_text(f"Talks end without deal\n\nWASHINGTON (Reuters) - {paragraph}\n\n{paragraph}", CTX)
    assert article.source_name == "Reuters"


@pytest.mark.parametrize(
    ("before", "after"),
    [("", ""), ("当前位置：首页 > 国际新闻\n\n", "\n\n版权所有 © 2012-2019 （点击：1995）")],  # a breadcrumb, a footer
)
def test_one_paragraph_story_with_yearless_chinese_dateline(before, after):
    text = (
        before
        + (
            "短缺药品保供稳价\n\n新华社北京6月17日电 记者17日从国家卫生健康委获悉，"
            "近阶段，相关部门持续依托短缺药品供应保障工作"
            "会商联动机制，深入优化短缺药品实时监测预警与分级应对体系，全力保障人民群众临床用药需求。"
        )
        + after
    )
    article = extract_text(text, CTX)
    assert article.title == "短缺药品保供稳价"
    assert article.body.startswith("新华社北京6月17日电")
    assert article.source_name == "Xinhua"
    assert article.published_at == datetime(2024, 6, 17)
    assert article.language == "zh"


def test_comment_thread_is_not_the_story_even_when_longer():
    story = (
        "Our goal with these open threads is to give readers an opportunity to raise questions about our "
        "work, and we will try to answer every one of them within a week of the post."
    )
    comment = (
        "I read your report on road safety and wondered whether you had looked at the cost of slower buses "
        "for passengers who travel long distances every day, because that seems to matter a lot. "
    )
    thread = "\n".join(f"• Reader {i} on May {i}, 2024 at 4:47 pm said:\n{comment * 2}" for i in range(1, 9))
    text = f"Open thread\n\nMay 1, 2024\n\n{story}\n\n12 Comments\n\n{thread}\n"
    article = extract_text(text, CTX)
    assert article.body == story
    assert article.title == "Open thread"


# Pieces the boilerplate patterns are made of, so that generated lines often come close to matching.
_PATTERN_PIECES = st.sampled_from(
    [
        "©",
        "(c)",
        "(C) 2024",
        "COPYRIGHT",
        "All Rights Reserved",
        "版权所有",
        "무단 전재",
        "BẢN QUYỀN",
        "Все права",
        "Tous droits",
        " | ",
        " / ",
        "·",
        " ｜ ",
        "news",
        " ",
        "\n",
        "2024",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PATTERN_PIECES, st.text(max_size=8)), max_size=12).map("".join))
def test_boilerplate_prefilters_never_hide_a_match(text):
    from newsetl.extract.lines import _COPYRIGHT, _PIPES, _may_be_copyright, _may_have_pipes

    assert _may_be_copyright(text) or "©" in text or not _COPYRIGHT.search(text)
    assert _may_have_pipes(text) or not _PIPES.search(text)


def test_breadcrumb_and_skip_link_are_never_the_headline():
    paragraph = (
        "The talks between the two delegations lasted for more than six hours on Monday and ended without a "
        "joint statement, officials from both sides said later in the evening."
    )
    text = (
        "Skip to content\n\nHome > World news > Europe and the Americas\n\n"
        "Share this story: Facebook Twitter WhatsApp\n\nTalks end without a deal after six hours\n\n"
        f"BRUSSELS - {paragraph} Both sides agreed to meet again.\n\n"
        f"{paragraph} The next round is planned for July.\n\n"
        "© 2020 Example Media. All rights reserved."
    )
    article = extract_text(text, CTX)
    assert article.title == "Talks end without a deal after six hours"
    assert article.published_at is None
