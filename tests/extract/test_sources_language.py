import py3langid
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.extract import detect_language, normalize_source_name
from newsetl.extract.language import top_languages
from newsetl.extract.sources import outlet_name, outlet_of_url


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("俄罗斯卫星通讯社", "Sputnik"),
        ("Sputnik Việt Nam", "Sputnik"),
        ("Sputnik Deutschland", "Sputnik"),
        ("来源:俄罗斯卫星通讯社", "Sputnik"),
        ("https://vn.sputniknews.com/20240619/x.html", "Sputnik"),
        ("新华社", "Xinhua"),
        ("RT en Español", "RT"),
        ("Euronews (English)", "Euronews"),
        ("Fox News", "Fox News"),
        ("Thông tấn xã Việt Nam", "Vietnam News Agency"),
        ("  Some Local Paper  ", "Some Local Paper"),
    ],
)
def test_normalize_source_name(name, canonical):
    assert normalize_source_name(name) == canonical


def test_empty_source_name():
    assert normalize_source_name("") == ""


def test_language_ignores_trailing_ui_string_in_another_language():
    body = (
        "Tổng thống Nga Vladimir Putin đã có chuyến thăm cấp nhà nước tới CHDCND Triều Tiên vào ngày 18-19/6. "
        "Các cuộc hội đàm giữa hai nhà lãnh đạo theo hình thức mở rộng đã kéo dài một tiếng rưỡi.\n"
        "Sau đó lãnh đạo hai nước đã tổ chức thảo luận riêng trong khoảng hai tiếng rưỡi.\n"
        "Заголовок открываемого материала"
    )
    assert detect_language(body) == "vi"


def test_one_long_line_in_another_language_does_not_decide_alone():
    disclaimer = (
        "* Stock quotes delayed by 10 minutes or more. All information provided is on an as is basis "
        "and for informational purposes only, and is not intended for trading purposes or advice. Neither "
        "the publisher nor any of its data providers shall be liable for any errors or delays in the content."
    )
    story = (
        "फ्रैंकलिन टेम्पलटन ने कहा है कि भारतीय प्रतिभूति एवं विनिमय बोर्ड को म्युचुअल फंड निवेश से जुड़े मामलों को निपटाना चाहिए।\n"
        "टेम्पलटन ने सोमवार को यूनिटधारकों को भेजी एक रिपोर्ट में कहा कि हम सभी सांविधिक प्राधिकरणों का सम्मान करते हैं।"
    )
    assert detect_language(disclaimer + "\n" + story) == "hi"


def test_padding_does_not_make_a_navigation_row_prose():
    # w3m pads rows to the page width: the row is 26 characters of text once its spaces are collapsed.
    navigation = "Search [   ]" + " " * 60 + "BS E-Paper" + " " * 40 + "Follow us"
    story = (
        "Le ministre de la Santé a été photographié sans masque dans un restaurant de Prague, "
        "ce qui a provoqué la colère de nombreux habitants de la capitale tchèque.\n"
        "Il a présenté ses excuses le lendemain et promis de payer une amende."
    )
    assert detect_language(navigation + "\n" + navigation + "\n" + story) == "fr"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中韩举行自2015年以来首次有外交部和国防部代表参加的安全与外交政策对话。", "zh"),
        ("イオン銀行は14日、同日付で小林裕明社長を解任する人事を発表した。", "ja"),
        ("더불어민주당 지도부가 전당대회 당대표 선거에 선호투표제를 도입하는 방안을 논의했다.", "ko"),
        ("The president said on Tuesday that the talks would continue next week in Geneva.", "en"),
        ("Le ministre de la Santé a été photographié sans masque dans un restaurant de Prague.", "fr"),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_no_language_without_letters():
    assert detect_language("  12 345 ") is None


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_top_languages_agree_with_py3langid_rank_on_any_text(text):
    assert top_languages(text) == [code for code, _ in py3langid.rank(text)[:3]]


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the talks would continue next week in Geneva.",
        "Le ministre a déclaré que les négociations reprendraient la semaine prochaine.",
        "Министр заявил, что переговоры продолжатся на следующей неделе.",
        "Bộ trưởng cho biết các cuộc đàm phán sẽ tiếp tục vào tuần tới.",
        "",
        "12345 !!! ...",
    ],
)
def test_top_languages_agree_with_py3langid_rank(text):
    assert top_languages(text) == [code for code, _ in py3langid.rank(text)[:3]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ab 12 345 !!", None),  # two letters are too few to tell
        ("今日は良い天気です。明日も晴れるでしょう。", "ja"),
        ("오늘은 날씨가 좋습니다. 내일도 맑겠습니다.", "ko"),
        ("今天天气很好。明天也是晴天。", "zh"),
        ("วันนี้อากาศดีมาก พรุ่งนี้ก็จะแจ่มใส", "th"),
    ],
)
def test_scripts_decide_before_the_model(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "name",
    [
        "© 2020 Example Media Group",
        "Copyright Example Verlag GmbH",
        "Webdesign by Pixel Agentur",
        "Powered by WordPress",
        "Your trusted source for local news.",
        "All the news that matters to you and your family every day",
    ],
)
def test_slogans_agencies_and_copyright_holders_are_no_outlet(name):
    assert outlet_name(name) is None


@pytest.mark.parametrize(("name", "outlet"), [("Example Times", "Example Times"), ("Sputnik Việt Nam", "Sputnik")])
def test_site_names_are_outlets(name, outlet):
    assert outlet_name(name) == outlet


def test_the_domain_when_nothing_better_is_known():
    assert outlet_of_url("https://www.example-news.co.uk/2024/06/story") == "example-news.co.uk"
    assert outlet_of_url("https://vn.sputniknews.com/x") == "Sputnik"
    assert outlet_of_url(None) is None
