import unicodedata

import pytest

from newsetl.decode import UndecodableSnapshot, decode_snapshot

TEXTS = {
    "zh": "中韩外交安全对话有助于缓解东北亚紧张局势。中国国务院总理李强和韩国总统尹锡悦在首尔会谈。" * 4,
    "zh-Hant": "北韓與南韓的關係正在緊張,臺灣政府表示關注並呼籲各方保持克制。" * 4,
    "ja": "日本政府は十八日、北朝鮮のミサイル発射について強く抗議したと発表しました。" * 4,
    "ko": "한국 정부는 북한의 미사일 발사에 대해 강력히 항의했다고 밝혔다. " * 4,
    "ru": "Президент России Владимир Путин посетил Северную Корею, где провёл переговоры. " * 4,
    "fr": "Le président français a déclaré que la coopération était très importante pour l'économie. " * 4,
    "vi": "Tổng thống Nga Vladimir Putin đã có chuyến thăm cấp nhà nước tới Triều Tiên. " * 4,
}


@pytest.mark.parametrize(
    "language, encoding",
    [
        ("zh", "utf-8"),
        ("vi", "utf-8"),
        ("zh", "utf-8-sig"),
        ("ru", "utf-16"),
        ("ja", "utf-16"),
        ("zh", "gb18030"),
        ("zh", "gbk"),
        ("zh-Hant", "big5"),
        ("ja", "shift_jis"),
        ("ko", "euc-kr"),
        ("ru", "cp1251"),
        ("ru", "koi8-r"),
        ("fr", "cp1252"),
    ],
)
def test_decodes_the_text_back_exactly(language: str, encoding: str) -> None:
    text = TEXTS[language]
    decoded = decode_snapshot(text.encode(encoding))
    assert decoded.text.lstrip("\ufeff") == text


def _to_cp1258(text: str) -> bytes:
    """cp1258 keeps â, ê, ô, ơ, ư, ă precomposed and writes the tone as a combining mark after them."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258") + decomposed[-1].encode("cp1258")
    return bytes(out)


def test_vietnamese_windows_1258_with_combining_tones() -> None:
    decoded = decode_snapshot(_to_cp1258(TEXTS["vi"]))
    assert unicodedata.normalize("NFC", decoded.text) == TEXTS["vi"]


def test_declared_html_charset_is_used() -> None:
    html = '<html><head><meta charset="gb2312"></head><body>' + TEXTS["zh"] + "</body></html>"
    decoded = decode_snapshot(html.encode("gb18030"))
    assert TEXTS["zh"] in decoded.text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \n\t ", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        (b"\x00\x01\x02\x03" * 500, "NUL"),
    ],
)
def test_rejects_what_is_not_text_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UndecodableSnapshot, match=reason):
        decode_snapshot(data)


def test_utf8_with_a_few_damaged_bytes_is_repaired_not_rejected() -> None:
    text = TEXTS["vi"] * 20
    data = text.encode("utf-8")
    cut = data.index(b" ", 500)  # between two characters, so only the inserted bytes are damage
    damaged = data[:cut] + b"\xff\xfe" + data[cut:]
    decoded = decode_snapshot(damaged)
    assert decoded.encoding.startswith("utf-8 (")
    assert decoded.text.replace("\ufffd", "") == text


def test_legacy_encoding_is_not_mistaken_for_damaged_utf8() -> None:
    decoded = decode_snapshot(TEXTS["fr"].encode("cp1252"))
    assert decoded.text == TEXTS["fr"]
