"""Is the extracted result an article at all? Boosted trees over the shape of the page, from JSON.

The extractor finds *some* main text on nearly every page: an about page, a shop, a list of headlines,
a forum thread. The features below describe the shape of that text, of the page around it, of its
URL and (for HTML) of the markup, not its words, so they hold for any language and for w3m, Chromium
and HTML inputs alike. A feature the input cannot give (the URL of a loose text file, the markup of a
text snapshot) is NaN, which the trees route as they learned. The trees are trained by
`python -m newsetl.train.page_kind` and shipped as JSON; scoring here is plain Python.
"""

import json
import math
import re
from collections import Counter
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from newsetl.article import ExtractedArticle
from newsetl.extract.html import _BLOCK_TAG, _INLINE_SPACE, _INVISIBLE, _TAG

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "page_kind.json"
REJECTION_REASON = "not_an_article"
NAN = float("nan")

_SENTENCE_END = re.compile(r"""[.!?。！？…।؟]["'”’»」』)）]*$""")
_SENTENCE_MARK = re.compile(r"""[.!?。！？।؟](?:["'”’»」』)）]*)(?=\s|$)|[。！？]""")
_PUNCTUATION = re.compile(r"[.,;:!?。、，；：！？؛،]")
_QUESTION = re.compile(r"[?？؟]")
_DIGIT = re.compile(r"\d")
_PRICE = re.compile(r"[€$£¥₹₽]\s?\d|\d\s?(?:[€$£¥₹₽]|EUR\b|USD\b)|\b\d+,\d\d\b|\b\d+,-")
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:時h]\s?[0-5]\d(?!\d)")
_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_DATE = re.compile(
    rf"(?<!\d)(?:{_YEAR}[-/.年]\s?\d{{1,2}}[-/.月]\s?\d{{1,2}}"  # 2024-05-03, 2024年5月3日
    rf"|\d{{1,2}}[-/.]\s?\d{{1,2}}[-/.]\s?(?:{_YEAR}|\d\d)(?!\d)"  # 03.05.2024, 5/3/24
    rf"|\d{{1,2}}\.?\s+[^\W\d_]{{3,12}}\.?,?\s+{_YEAR}"  # 3. Mai 2024, 3 May 2024
    rf"|[^\W\d_]{{3,12}}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR})(?!\d)"  # May 3, 2024
)
# Every date form above holds a year or a d.m.yy run: lines without one are not searched (speed).
_DATE_HINT = re.compile(rf"{_YEAR}|\d[-/.]\s?\d{{1,2}}[-/.]")
_BULLET = re.compile(r"^(?:[•*·▪►»>|+-]|\d{1,3}[.)])\s")
# A weak hint, read only in the first lines where a page states what it is.
_ERROR_WORDS = (
    "404",
    "403",
    "410",
    "500",
    "error",
    "not found",
    "doesn't exist",
    "does not exist",
    "nicht gefunden",
    "introuvable",
    "no existe",
    "non trovata",
    "не найдена",
    "ошибка",
    "找不到",
    "ページが見つかりません",
)
_ERROR_WORD = re.compile(r"\b(?:" + "|".join(map(re.escape, _ERROR_WORDS)) + r")\b", re.I)
_SHORT_LINE = 40
_PROSE_LINE = 80
_HEAD_LINES = 8
_NEAR_BODY = 12  # lines before the body's first line where a dateline sits
_AFTER_BODY = 6  # ... or just after it (a byline under the lead)
_NO_DATE_DISTANCE = 1000

# HTML markup (only for HTML inputs); the visible text is laid out as html.py's as-text fallback does.
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.I | re.S)
_OG_TYPE = re.compile(r"""<meta[^>]+(?:property|name)\s*=\s*["']og:type["'][^>]*>""", re.I)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']*)["']""", re.I)
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "reviewnewsarticle",
    "report",
    "techarticle",
    "scholarlyarticle",
}
_PUBLISHED_META = re.compile(r"article:published_time|datePublished|\bpubdate\b", re.I)
_ARTICLE_TAG = re.compile(r"<article\b", re.I)
_TIME_TAG = re.compile(r"<time\b", re.I)
_FORM_FIELD = re.compile(r"<(?:input|select|button|textarea)\b", re.I)
_HEADING = re.compile(r"<h[2-4]\b", re.I)
_PRICE_MARKUP = re.compile(r"""itemprop\s*=\s*["']price|"price"\s*:|product:price""", re.I)

# URL path shape
_URL_DATE = re.compile(r"/(?:19|20)\d\d/\d{1,2}(?:/|$)|(?<!\d)(?:19|20)\d\d[-_]?[01]\d[-_]?[0-3]\d(?!\d)")
_URL_NUMBER = re.compile(r"\d{5,}")
_URL_WORD = re.compile(r"[^\W\d_]{2,}")
_INDEX_SEGMENT = re.compile(r"^(?:index|default|home|start|main)(?:\.\w+)?$", re.I)

# The markup's features, NaN for text inputs.
HTML_FEATURES = (
    "html_og_type",
    "html_ld_type",
    "html_published_meta",
    "html_article_tags",
    "html_time_tags",
    "html_link_density",
    "html_links_per_kchar",
    "html_form_fields",
    "html_headings",
    "html_price_markup",
)

# The URL's features, NaN when it is unknown.
URL_FEATURES = (
    "url_depth",
    "url_slug_words",
    "url_has_date",
    "url_has_number",
    "url_is_index",
    "url_has_query",
    "log_url_path_chars",
)

FEATURES = (
    (
        # the page as the pipeline read it (the text snapshot, or the HTML's visible text)
        "log_page_lines",
        "log_page_chars",
        "page_short_line_share",
        "page_prose_lines",
        "log_page_longest_line",
        "page_repeated_line_share",
        "page_digit_pattern_share",
        "page_bullet_share",
        "page_longest_short_run",
        "page_teaser_lines",
        "page_dates",
        "page_distinct_dates",
        "page_times",
        "page_price_rate",
        "page_digit_share",
        "error_word_in_head",
        # the extracted body
        "log_body_chars",
        "log_paragraphs",
        "log_mean_paragraph",
        "log_longest_paragraph",
        "body_prose_share",
        "body_short_line_share",
        "body_punctuation_rate",
        "body_sentence_rate",
        "body_question_rate",
        "body_digit_share",
        "body_dates",
        "body_page_ratio",
        "body_start",
        "body_end",
        "date_near_body",
        "log_date_distance",
        "date_lines_per_prose_line",
        "has_date",
        "log_title_chars",
        "title_body_overlap",
        # the layout around the body: one long run of prose under a headline, or many teasers and dates
        "page_prose_runs",
        "page_longest_prose_run_share",
        "body_prose_coverage",
        "page_headline_lines",
        "page_headline_share",
        "page_date_line_share",
        "title_start",
        "log_title_to_body",
    )
    + URL_FEATURES
    + HTML_FEATURES
)


def visible_text(html: str) -> str:
    """The HTML's text one line per block, roughly as a browser lays it out without CSS."""
    text = _BLOCK_TAG.sub("\n", _INVISIBLE.sub(" ", html))
    text = unescape(_TAG.sub(" ", text))
    return "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in text.splitlines())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _dense(text: str) -> str:
    return "".join(text.split())


def _bigrams(text: str) -> set[str]:
    dense = _dense(text.lower())
    return {dense[i : i + 2] for i in range(len(dense) - 1)}


def _dates(line: str) -> list[str]:
    return _DATE.findall(line) if _DIGIT.search(line) and _DATE_HINT.search(line) else []


def _page_features(lines: list[str], line_dates: list[list[str]], page_chars: int) -> dict[str, float]:
    n = max(1, len(lines))
    short = [len(line) < _SHORT_LINE for line in lines]
    run = longest = 0
    for is_short in short:
        run = run + 1 if is_short else 0
        longest = max(longest, run)
    repeated = Counter(lines)
    # Lines alike but for their digits ("12.03.2024 08:15", "Seite 3 von 9"): a list's items, a forum's posts.
    patterns = Counter(_DIGIT.sub("0", line) for line in lines if _DIGIT.search(line))
    dates = [date for found in line_dates for date in found]
    head = "\n".join(lines[:_HEAD_LINES])
    numeric = "\n".join(line for line in lines if _DIGIT.search(line))  # prices and times hold digits
    return {
        "log_page_lines": math.log1p(len(lines)),
        "log_page_chars": math.log1p(page_chars),
        "page_short_line_share": sum(short) / n,
        "page_prose_lines": math.log1p(
            sum(1 for line in lines if len(line) >= _PROSE_LINE and _SENTENCE_END.search(line))
        ),
        "log_page_longest_line": math.log1p(max((len(line) for line in lines), default=0)),
        "page_repeated_line_share": sum(c for c in repeated.values() if c > 1) / n,
        "page_digit_pattern_share": sum(c for c in patterns.values() if c >= 3) / n,
        "page_bullet_share": sum(1 for line in lines if _BULLET.match(line)) / n,
        "page_longest_short_run": longest / n,
        "page_teaser_lines": math.log1p(sum(1 for line in lines if 60 <= len(line) < 300)),
        "page_dates": math.log1p(len(dates)),
        "page_distinct_dates": math.log1p(len(set(dates))),
        "page_times": math.log1p(len(_TIME.findall(numeric))),
        "page_price_rate": 1000 * len(_PRICE.findall(numeric)) / max(1, page_chars),
        "page_digit_share": len(_DIGIT.findall(numeric)) / max(1, page_chars),
        "error_word_in_head": 1.0 if _ERROR_WORD.search(head) else 0.0,
    }


def _locate(lines: list[str], needle: str, start: int = 0) -> int | None:
    """Index of the first page line holding the needle's start (a body line as the extractor wrote it)."""
    probe = needle.strip()[:60]
    if not probe:
        return None
    for i in range(start, len(lines)):
        if probe in lines[i] or (len(lines[i]) >= 20 and lines[i] in needle):
            return i
    return None


def _body_features(
    lines: list[str], line_dates: list[list[str]], page_chars: int, article: ExtractedArticle
) -> dict[str, float]:
    body = article.body or ""
    body_lines = _lines(body)
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    if len(paragraphs) <= 1:
        paragraphs = body_lines
    body_chars = max(1, len(_dense(body)))
    line_chars = sum(len(line) for line in body_lines) or 1
    prose = sum(len(line) for line in body_lines if len(line) >= _SHORT_LINE and _SENTENCE_END.search(line))
    lengths = [len(p) for p in paragraphs] or [0]
    first = _locate(lines, body_lines[0]) if body_lines else None
    last = _locate(lines, body_lines[-1], first or 0) if body_lines else None
    n = max(1, len(lines))
    anchor = first if first is not None else 0
    near = line_dates[max(0, anchor - _NEAR_BODY) : anchor + _AFTER_BODY + 1]
    date_lines = [i for i, found in enumerate(line_dates) if found]
    distance = min((abs(i - anchor) for i in date_lines), default=_NO_DATE_DISTANCE)
    prose_lines = sum(1 for line in lines if len(line) >= _PROSE_LINE and _SENTENCE_END.search(line))
    title = (article.title or "").strip()
    title_grams, head_grams = _bigrams(title), _bigrams(body[:400])
    return {
        "log_body_chars": math.log1p(body_chars),
        "log_paragraphs": math.log1p(len(paragraphs)),
        "log_mean_paragraph": math.log1p(sum(lengths) / len(lengths)),
        "log_longest_paragraph": math.log1p(max(lengths)),
        "body_prose_share": prose / line_chars,
        "body_short_line_share": sum(1 for line in body_lines if len(line) < _SHORT_LINE) / max(1, len(body_lines)),
        "body_punctuation_rate": 100 * len(_PUNCTUATION.findall(body)) / body_chars,
        "body_sentence_rate": 100 * len(_SENTENCE_MARK.findall(body)) / body_chars,
        "body_question_rate": 100 * len(_QUESTION.findall(body)) / body_chars,
        "body_digit_share": len(_DIGIT.findall(body)) / body_chars,
        "body_dates": math.log1p(sum(len(_dates(line)) for line in body_lines)),
        "body_page_ratio": min(1.0, body_chars / max(1, page_chars)),
        "body_start": first / n if first is not None else NAN,
        "body_end": last / n if last is not None else NAN,
        "date_near_body": 1.0 if any(near) else 0.0,
        "log_date_distance": math.log1p(distance),
        "date_lines_per_prose_line": len(date_lines) / max(1, prose_lines),
        "has_date": 1.0 if article.published_at is not None else 0.0,
        "log_title_chars": math.log1p(len(title)),
        "title_body_overlap": len(title_grams & head_grams) / len(title_grams) if title_grams else 0.0,
        **_layout_features(lines, line_dates, first, last, title),
    }


def _is_prose(line: str) -> bool:
    return len(line) >= _PROSE_LINE and _SENTENCE_END.search(line) is not None


def _is_headline_like(line: str) -> bool:
    """A line shaped like a headline or a teaser's title: medium length, several words, no sentence end."""
    if not 20 <= len(line) < 120 or _SENTENCE_END.search(line) or _BULLET.match(line):
        return False
    return len(line.split()) >= 3 and len(_DIGIT.findall(line)) < len(line) / 4


def _layout_features(
    lines: list[str], line_dates: list[list[str]], first: int | None, last: int | None, title: str
) -> dict[str, float]:
    n = max(1, len(lines))
    runs: list[int] = []  # prose characters of each run of consecutive prose lines
    previous = False
    for line in lines:
        prose = _is_prose(line)
        if prose:
            if previous:
                runs[-1] += len(line)
            else:
                runs.append(len(line))
        previous = prose
    prose_chars = sum(runs)
    inside = NAN
    if first is not None and prose_chars:
        end = last if last is not None and last >= first else first
        inside = sum(len(line) for line in lines[first : end + 1] if _is_prose(line)) / prose_chars
    headlines = sum(1 for line in lines if _is_headline_like(line))
    title_line = _locate(lines, title) if title else None
    return {
        "page_prose_runs": math.log1p(len(runs)),
        "page_longest_prose_run_share": max(runs) / prose_chars if prose_chars else 0.0,
        "body_prose_coverage": inside,
        "page_headline_lines": math.log1p(headlines),
        "page_headline_share": headlines / n,
        "page_date_line_share": sum(1 for found in line_dates if found) / n,
        "title_start": title_line / n if title_line is not None else NAN,
        "log_title_to_body": (
            math.log1p(abs(first - title_line)) if title_line is not None and first is not None else NAN
        ),
    }


def _url_features(url: str | None) -> dict[str, float]:
    if not url:
        return dict.fromkeys(URL_FEATURES, NAN)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return dict.fromkeys(URL_FEATURES, NAN)
    path = parts.path or "/"
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    return {
        "url_depth": float(len(segments)),
        "url_slug_words": float(len(_URL_WORD.findall(last.rsplit(".", 1)[0]))),
        "url_has_date": 1.0 if _URL_DATE.search(path) else 0.0,
        "url_has_number": 1.0 if _URL_NUMBER.search(path + "?" + parts.query) else 0.0,
        "url_is_index": 1.0
        if (not segments or path.endswith("/") and len(segments) <= 1 or _INDEX_SEGMENT.match(last))
        else 0.0,
        "url_has_query": 1.0 if parts.query else 0.0,
        "log_url_path_chars": math.log1p(len(path)),
    }


def _type_code(types: list[str]) -> float:
    """1 when the page declares itself an article, 0 when it declares something else, -1 when silent."""
    if not types:
        return -1.0
    return 1.0 if any(t.lower() in _ARTICLE_TYPES for t in types) else 0.0


def _html_features(html: str | None, visible_chars: int) -> dict[str, float]:
    if html is None:
        return dict.fromkeys(HTML_FEATURES, NAN)
    head = html[:300_000]
    og = [m.group(1).strip() for tag in _OG_TYPE.findall(head) for m in [_CONTENT.search(tag)] if m]
    og = [value.split(".")[0] for value in og]  # "video.other" -> "video"
    body = _INVISIBLE.sub(" ", html)
    anchors = _ANCHOR.findall(body)
    anchor_chars = sum(len(_dense(unescape(_TAG.sub(" ", a)))) for a in anchors)
    return {
        "html_og_type": _type_code(og),
        "html_ld_type": _type_code(_LD_TYPE.findall(html)),
        "html_published_meta": 1.0 if _PUBLISHED_META.search(head) else 0.0,
        "html_article_tags": math.log1p(len(_ARTICLE_TAG.findall(body))),
        "html_time_tags": math.log1p(len(_TIME_TAG.findall(body))),
        "html_link_density": min(1.0, anchor_chars / max(1, visible_chars)),
        "html_links_per_kchar": 1000 * len(anchors) / max(1, visible_chars),
        "html_form_fields": math.log1p(len(_FORM_FIELD.findall(body))),
        "html_headings": math.log1p(len(_HEADING.findall(body))),
        "html_price_markup": 1.0 if _PRICE_MARKUP.search(html) else 0.0,
    }


def features(text: str, content_type: str, article: ExtractedArticle, url: str | None = None) -> list[float]:
    """The feature vector (in FEATURES order) of one snapshot's input and its extracted article.

    text: the decoded snapshot as the extractor got it; content_type: "html" or "text";
    url: the snapshot's URL when the landing zone gives one (else the article's own)."""
    html = text if content_type == "html" else None
    page = visible_text(text) if html is not None else text
    lines = _lines(page)
    page_chars = len(_dense(page))
    line_dates = [_dates(line) for line in lines]
    values = _page_features(lines, line_dates, page_chars)
    values.update(_body_features(lines, line_dates, page_chars, article))
    values.update(_url_features(url or article.url))
    values.update(_html_features(html, page_chars))
    return [values[name] for name in FEATURES]


def _tree_output(tree: dict, row: list[float]) -> float:
    node = 0
    split, threshold, left, right, nan_left, values = (
        tree["feature"],
        tree["threshold"],
        tree["left"],
        tree["right"],
        tree["nan_left"],
        tree["value"],
    )
    while split[node] >= 0:
        x = row[split[node]]
        if x != x:  # NaN
            node = left[node] if nan_left[node] else right[node]
        else:
            node = left[node] if x <= threshold[node] else right[node]
    return values[node]


def score(model: dict, row: list[float]) -> float:
    """Probability that the page is not an article, under a model as the trainer writes it."""
    z = sum(_tree_output(tree, row) for tree in model["trees"])
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> dict | None:
    """The shipped model, or None when there is none (then nothing is rejected on this ground)."""
    if not path.exists():
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    if tuple(model["features"]) != FEATURES:
        raise ValueError(f"{path} was trained on other features; rebuild it with python -m newsetl.train.page_kind")
    return model


def not_an_article(
    text: str, content_type: str, article: ExtractedArticle, url: str | None = None, model: dict | None = None
) -> bool:
    """True when the model scores the snapshot at or above its threshold: a listing, a shop, an about page..."""
    model = model if model is not None else load_model()
    if model is None:
        return False
    threshold = model["thresholds"]["html" if content_type == "html" else "text"]
    return score(model, features(text, content_type, article, url)) >= threshold
