"""Language of a text: script first (cheap and certain for CJK and Thai), py3langid for the rest.

py3langid ships its model inside the wheel, so nothing is downloaded at run time.
"""

import re

import py3langid

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")
# Lines this short are UI strings (buttons, widgets) as often as prose: left out when the text has
# enough longer lines, so that a trailing "Заголовок открываемого материала" cannot sway the result.
_MIN_PROSE_LINE = 40
_ENOUGH_PROSE = 200
_SAMPLE = 500


def _sample(text: str) -> str:
    lines = [line for line in text.splitlines() if len(line) >= _MIN_PROSE_LINE]
    prose = "\n".join(lines)
    return (prose if len(prose) >= _ENOUGH_PROSE else text)[:_SAMPLE]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when there are too few letters to tell."""
    sample = _sample(text)
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return None
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    han = len(_HAN.findall(sample))
    thai = len(_THAI.findall(sample))
    if kana >= 0.05 * letters:
        return "ja"
    if hangul >= 0.3 * letters:
        return "ko"
    if thai >= 0.3 * letters:
        return "th"
    if han >= 0.3 * letters:
        return "zh"
    code, _score = py3langid.classify(sample)
    return code
