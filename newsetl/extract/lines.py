"""Text snapshots to blocks, and blocks to article text or boilerplate without per-site rules.

jusText's idea carried over from HTML blocks to rendered lines: a block is prose when it is long
and dense in the language's function words (or, for scripts without spaces, in function characters
and sentence punctuation); short blocks take the class of their neighbours. Features that HTML
would give (link density, element names) are replaced by what a rendering keeps: bullets, dates
alone on a line, "..." teasers, pipes between menu items, lines repeated across the corpus.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsetl.extract.dates import find_dates
from newsetl.extract.letters import WordPattern, count_in, runs_of
from newsetl.extract.stoplists import stopwords
from newsetl.spacing import SPACELESS_CHAR

REPEATED_LINE_CHARS = 80  # the longest line learn_repeated_lines keeps (newsetl/extract/repeated.py)

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"

_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
_NO_SPACE_CHARS = SPACELESS_CHAR
_BULLET = re.compile(r"^\s*(?:[•◦▪▫■□●○·*►▶»>\-–—]|\d{1,2}[.)])\s+|^\s*[•◦▪■□●○·]\s*$")
_SENTENCE_END = re.compile(r"""[.!?。！？…:;：；]["'”’»」』)）\]]*\s*$""")
_FULL_STOP = re.compile(r"""[.。…]["'”’»」』)）]*\s*$""")
_SENTENCE_MARK = re.compile(r"[.!?。！？；;](?:\s|$|[\"'”’»」』])|[。！？；]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = WordPattern(r"LETTER+(?:['’]LETTER+)?")
_ASCII_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_PIPES = re.compile(r"\s[|｜/·]\s.*\s[|｜/·]\s")
_PIPE_SEPARATORS = ("|", "｜", "/", "·")
# w3m prints images as their alt text or file name in brackets: "[logo-heade]", "[INS::INS]".
_IMAGE_PLACEHOLDER = re.compile(r"^(?:\[[^\]]{0,80}\]\s*)+$")
# The heading of a comment thread: what follows is readers' text, not the story.
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|leave a (?:reply|comment)|join the discussion|kommentare|"
    r"commentaires|comentários|comentarios|commenti|комментарии|评论|評論|网友评论|コメント|댓글|bình luận|تعليقات)"
    r"(?:\s*\(\d+\))?\s*[:：]?$",
    re.I,
)
# A link's headline glued to its summary by the renderer: "Title Case Words HereThe summary starts".
_GLUED_TEASER = re.compile(r"^(?:\S+\s+){3,}?\S*[a-z][A-Z][a-z]")
_TEASER = re.compile(r"^\s*(?:\.{3}|…)")
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|版权所有|版權所有|無断転載|무단\s?전재|bản quyền|"
    r"todos los derechos|tous droits|alle rechte|todos os direitos|tutti i diritti|все права",
    re.I,
)
# Every alternative of _COPYRIGHT but "©" and "(c) 2024" as a lower-case literal, for _may_be_copyright.
_COPYRIGHT_WORDS = (
    "copyright",
    "all rights reserved",
    "版权所有",
    "版權所有",
    "無断転載",
    "무단",
    "bản quyền",
    "todos los derechos",
    "tous droits",
    "alle rechte",
    "todos os direitos",
    "tutti i diritti",
    "все права",
)
# Cheap necessary condition for a date: a day or month number next to a separator, a CJK unit or a word.
_DATE_HINT = re.compile(r"\d[-/.年月월日일]|[-/.年月월]\s?\d|\d\s+[^\W\d_]|[^\W\d_]\.?\s+\d")
_NORMALIZE_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_BULLET_PREFIX = re.compile(r"^[\s•◦▪▫■□●○·*►▶»>\-–—]+")

# Function characters of written Chinese: their share separates sentences from headlines and menus.
_ZH_FUNCTION = re.compile("[的了是在和与也就都而及对将被把从为这那个们以于等着过不有之其所但并已还又因此如或由向]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
_CJK_PUNCT = re.compile(r"[，。、；：？！“”「」『』（）,]")
_WIDE_RUNS, _NO_SPACE_RUNS, _HIRAGANA_RUNS, _ZH_FUNCTION_RUNS, _CJK_PUNCT_RUNS = (
    runs_of(one) for one in (_WIDE, _NO_SPACE_CHARS, _HIRAGANA, _ZH_FUNCTION, _CJK_PUNCT)
)


# jusText's thresholds, in characters of space-delimited text. A character of Chinese or Japanese
# carries about as much as three Latin letters, so those lengths are scaled before comparing.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOP_LOW = 0.30
STOP_HIGH = 0.32
_NO_SPACE_SCALE = 3.0
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
# Word wrapping leaves a line up to this many columns short of the wrap column.
_WRAP_SLACK = 30
# Lines this short cannot reach a wrap column; lines this long were not wrapped.
_NARROW_LINE = 40
_WIDE_LINE = 400
_SHORT_GAP_COST = 0.3
_BULLET_PROSE = 40
_ECHO_MAX_CHARS = 250
_ECHO_DISTANCE = 4
_COMMENTS_WEIGHT = 0.001  # taken only when nothing precedes the thread
_SHORT_SENTENCE_WORDS = 5
_GLUE_REACH = 160
_LATER_RUN_MARGIN = 2.0


def normalize_line(line: str) -> str:
    """The key under which a line is compared across snapshots: bullets, case, spacing and numbers ignored."""
    line = _BULLET_PREFIX.sub("", line)
    line = _NORMALIZE_SPACE.sub(" ", line).strip().lower()
    return _DIGITS.sub("0", line)


@dataclass(slots=True)
class Block:
    text: str
    blank_before: bool
    bullet: bool
    cls: str = SHORT
    context_free_cls: str = SHORT  # the class before neighbours were consulted
    date_line: bool = False
    length: float = 0.0  # effective length in Latin-equivalent characters
    density: float = 0.0  # function words (or characters) per word (or character)
    terminal: bool = False


def display_width(line: str) -> int:
    """Terminal columns (CJK characters take two); exact only where wrapping could have happened."""
    if len(line) <= _NARROW_LINE or len(line) > _WIDE_LINE or line.isascii():
        return len(line)
    if _WIDE.search(line) is None:  # most lines of Latin, Cyrillic or Arabic script
        return len(line)
    return len(line) + count_in(_WIDE_RUNS, line)


def _wrap_width(widths: list[int]) -> int | None:
    """The column a renderer (w3m -cols N) wrapped at: the width just below which long lines pile up."""
    long_widths = sorted(w for w in widths if w >= 100)
    if len(long_widths) < 3:
        return None
    best_count, best_column = 0, None
    low = 0
    for high, width in enumerate(long_widths):
        while long_widths[low] < width - _WRAP_SLACK:
            low += 1
        count = high - low + 1
        if count >= best_count:
            best_count, best_column = count, width
    return best_column if best_count >= 3 and best_count >= 0.3 * len(long_widths) else None


def split_blocks(text: str) -> list[Block]:
    """Lines to blocks: a renderer's wrapped lines are joined back into their paragraph."""
    lines = text.splitlines()
    widths = [display_width(line) for line in lines]
    column = _wrap_width(widths)
    wrap_at = column - _WRAP_SLACK if column else None
    blocks: list[Block] = []
    blank_before = True
    continues = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            blank_before = True
            continues = False
            continue
        bullet = bool(_BULLET.match(line))
        if continues and blocks and not bullet:
            previous = blocks[-1].text
            glue = "" if _NO_SPACE_CHARS.match(stripped) and _NO_SPACE_CHARS.match(previous[-1]) else " "
            blocks[-1].text = previous + glue + stripped
        else:
            blocks.append(Block(stripped, blank_before, bullet))
        blank_before = False
        # A wrapped line breaks at a space (or anywhere in CJK); a rule of "━━━" only fills the width.
        continues = (
            wrap_at is not None
            and widths[index] >= wrap_at
            and (" " in stripped or _WIDE.search(stripped[-3:]) is not None)
        )
    return blocks


def _is_date_line(text: str) -> bool:
    if len(text) > 60 or not _DATE_HINT.search(text):
        return False
    dates = find_dates(text)
    if not dates:
        return False
    rest = text[: dates[0].start] + text[dates[0].end :]
    return len(_LETTER.findall(rest)) <= 12


def measure(block: Block, language: str | None, stops: frozenset[str], no_space_script: bool) -> None:
    text = block.text
    # Most blocks of space-delimited languages hold no CJK or Thai at all: one search settles it.
    if no_space_script or (not text.isascii() and _NO_SPACE_CHARS.search(text)):
        no_space = count_in(_NO_SPACE_RUNS, text)
    else:
        no_space = 0
    block.terminal = bool(_SENTENCE_END.search(text))
    if no_space > 0.3 * len(text):
        block.length = len(text) - no_space + no_space * _NO_SPACE_SCALE
        if block.length < LENGTH_LOW:
            return  # too short for density to matter
        if language == "ja":
            function = count_in(_HIRAGANA_RUNS, text)
            block.density = function / max(1, no_space) * 1.25
        else:
            function = count_in(_ZH_FUNCTION_RUNS, text) + count_in(_CJK_PUNCT_RUNS, text)
            block.density = function / max(1, len(text)) * 3.6
        return
    block.length = len(text)
    if block.length < LENGTH_LOW:
        return
    lowered = text.lower()
    # Letters of ASCII text are [a-z] after lower(): the narrow class matches the same words, faster.
    words = (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)
    if not words:
        block.density = 0.0
    elif stops:
        block.density = sum(map(stops.__contains__, words)) / len(words)
    else:
        # Without a stop list, sentence punctuation per word stands in for grammar.
        block.density = STOP_HIGH if len(_SENTENCE_MARK.findall(text)) and len(words) >= 8 else 0.0


def _title_case(words: str) -> bool:
    """Most words capitalized, as in an English headline (short function words aside)."""
    tokens = [w for w in words.split() if len(w) > 3]
    return len(tokens) >= 3 and sum(1 for w in tokens if w[0].isupper() or w[0].isdigit()) >= 0.8 * len(tokens)


def _may_be_copyright(text: str) -> bool:
    """A necessary condition for _COPYRIGHT, by substring tests: the case-insensitive regex is slow."""
    lowered = text.lower()
    return "(" in text or any(word in lowered for word in _COPYRIGHT_WORDS)


def _may_have_pipes(text: str) -> bool:
    """A necessary condition for _PIPES: two separators somewhere in the text."""
    return sum(map(text.count, _PIPE_SEPARATORS)) >= 2


def boilerplate_shaped(block: Block, repeated: frozenset[str]) -> bool:
    text = block.text
    # Learned lines are at most REPEATED_LINE_CHARS long and normalizing only shortens: a long
    # paragraph cannot be one, and normalizing it is the costliest part of this test.
    if repeated and len(text) <= 2 * REPEATED_LINE_CHARS and normalize_line(text) in repeated:
        return True
    if len(text) < 300 and ("©" in text or (_may_be_copyright(text) and _COPYRIGHT.search(text))):
        return True
    if (
        _TEASER.match(text)
        or (_may_have_pipes(text) and _PIPES.search(text))
        or _IMAGE_PLACEHOLDER.match(text)
        or _COMMENTS_HEADING.match(text)
    ):
        return True
    if text.isascii() and (glued := _GLUED_TEASER.match(text[:_GLUE_REACH])) and _title_case(glued.group(0)):
        return True
    if block.bullet and (block.length < _BULLET_PROSE or len(text.split()) < 5 or "[" in text[:6]):
        return True  # menu items; longer items of a list inside the story are judged like prose
    if not _LETTER.search(text) or is_time_ticker(text):
        return True
    return block.date_line


def classify(blocks: list[Block], language: str | None, repeated: frozenset[str] = frozenset()) -> None:
    """Context-free classes, then jusText's context pass that settles short and near-good blocks."""
    stops = stopwords(language)
    no_space_script = language in NO_SPACE_LANGUAGES
    for block in blocks:
        if block.bullet and len(block.text) < _BULLET_PROSE:
            block.cls = BAD  # menu items, the bulk of most pages: nothing more to measure
            block.length = len(block.text)
            continue
        block.date_line = _is_date_line(block.text)
        measure(block, language, stops, no_space_script)
        if boilerplate_shaped(block, repeated):
            block.cls = BAD
        elif block.length < LENGTH_LOW:
            block.cls = SHORT
        elif block.density >= STOP_HIGH and (block.length >= LENGTH_HIGH or block.terminal):
            block.cls = GOOD
        elif block.density >= STOP_LOW:
            block.cls = NEAR
        else:
            block.cls = BAD
    _mark_listings(blocks)
    _mark_echoes(blocks)
    for block in blocks:
        block.context_free_cls = block.cls
    _settle(blocks)


def _mark_listings(blocks: list[Block]) -> None:
    """A headline or snippet followed by a date alone on its line is an item of a list of other stories."""
    for i in range(1, len(blocks)):
        if blocks[i].cls == BAD and blocks[i].date_line and blocks[i - 1].length < 2 * LENGTH_HIGH:
            blocks[i - 1].cls = BAD
            if i >= 2 and blocks[i - 2].cls in (SHORT, NEAR) and not blocks[i - 2].terminal:
                blocks[i - 2].cls = BAD


def is_comments_heading(text: str) -> bool:
    return _COMMENTS_HEADING.match(text) is not None


# A clock time alone (not 10:30:15, not 2:1 in a score line), and the text up to the next one.
_CLOCK_TIME = re.compile(r"(?:^|(?<=\s))(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")
_TICKER_MIN_ITEMS = 3
_TICKER_ITEM_CHARS = 200
_HEADLINE_MIN_WORDS = 3


def is_time_ticker(text: str) -> bool:
    """A line of timestamped headlines ("08:45 Headline 08:38 Headline …"), a site's news feed: three
    items or more, each a clock time then a headline-sized text of a few words that does not go on in
    lower case ("at 11:45 he left" is a sentence; "18:30 Uhr, 19:30 Uhr" a list of times). A live blog
    writes one entry a line."""
    if ":" not in text:
        return False
    starts = [match.start() for match in _CLOCK_TIME.finditer(text)]
    if len(starts) < _TICKER_MIN_ITEMS or starts[0] > _TICKER_ITEM_CHARS:
        return False
    items = [text[begin:end] for begin, end in zip(starts, starts[1:] + [len(text)], strict=True)]
    return sum(1 for item in items if _is_headline_item(item)) >= _TICKER_MIN_ITEMS and all(
        len(item) <= _TICKER_ITEM_CHARS for item in items[:-1]
    )


def _is_headline_item(item: str) -> bool:
    words = item.split()[1:]  # the time is the first
    return len(words) >= _HEADLINE_MIN_WORDS and not words[0][0].islower()


def is_echo(blocks: list[Block]) -> list[bool]:
    """A line printed twice within a few lines is a teaser (image alt text, then the link): both copies."""
    echo = [False] * len(blocks)
    recent: dict[str, int] = {}
    for i, block in enumerate(blocks):
        text = block.text
        if len(text) > _ECHO_MAX_CHARS:
            continue
        seen = recent.get(text)
        if seen is not None and i - seen <= _ECHO_DISTANCE:
            echo[seen] = echo[i] = True
        recent[text] = i
    return echo


def _mark_echoes(blocks: list[Block]) -> None:
    for block, echo in zip(blocks, is_echo(blocks), strict=True):
        if echo:
            block.cls = BAD


def _relabel(blocks: list[Block], target: str, skip: tuple[str, ...], decide: Callable[[str, str], str]) -> None:
    """Give each `target` block decide(before, after): the classes of its nearest neighbours whose class is
    not in `skip` (BAD past either end). Left to right, as the labels are given: `before` sees the labels
    already given, `after` the classes as they were. One pass each way, so a page of 100,000 short lines
    costs no more than a normal one."""
    after = [BAD] * len(blocks)
    following = BAD
    for i in range(len(blocks) - 1, -1, -1):
        after[i] = following
        if blocks[i].cls not in skip:
            following = blocks[i].cls
    before = BAD
    for i, block in enumerate(blocks):
        if block.cls == target:
            block.cls = decide(before, after[i])
        if block.cls not in skip:
            before = block.cls


def _short_label(before: str, after: str) -> str:
    if before == GOOD and after == GOOD:
        return "short-good"
    if before == BAD or after == BAD:
        return "short-bad"
    return "short-near"


def _near_label(before: str, after: str) -> str:
    return GOOD if GOOD in (before, after) or before == "short-good" else BAD


def _settle(blocks: list[Block]) -> None:
    _relabel(blocks, SHORT, (SHORT,), _short_label)
    _relabel(blocks, NEAR, (SHORT, NEAR, "short-near"), _near_label)
    for block in blocks:
        if block.cls == "short-good":
            block.cls = GOOD
        elif block.cls in ("short-bad", "short-near"):
            block.cls = BAD


def _runs(blocks: list[Block], max_gap: float) -> list[tuple[float, int, int]]:
    """Runs of good blocks as (good characters, first, last); a run may cross boilerplate.

    A long rejected block costs a full step of the gap allowance, a short one (caption, credit,
    share button) a fraction, so an article broken up by many small widgets stays whole while a
    menu or a list of other stories still separates two runs.
    """
    runs: list[tuple[float, int, int]] = []
    start = last = -1
    score = gap = 0.0
    for i, block in enumerate(blocks):
        if block.cls != GOOD:
            if start >= 0:
                gap += _SHORT_GAP_COST if block.bullet or block.length < LENGTH_LOW else 1.0
                if _COMMENTS_HEADING.match(block.text):
                    gap = max_gap + 1  # a run never carries on into the comments
            continue
        if start >= 0 and gap <= max_gap:
            last, score, gap = i, score + block.length, 0.0
            continue
        if start >= 0:
            runs.append((score, start, last))
        start = last = i
        score, gap = block.length, 0.0
    if start >= 0:
        runs.append((score, start, last))
    return runs


def main_region(blocks: list[Block], max_gap: float = 4.0) -> tuple[int, int] | None:
    """(first, last) indices of the story: the best run of good blocks.

    A run's weight is its good text times its coherence (the share of its blocks that are good):
    a story is mostly paragraphs, while a list of teasers or a comment thread interleaves each
    good block with headlines, bylines and vote counts. Stories come before their comments and
    related lists, so an earlier run wins unless a later one clearly outweighs it.
    """
    comments_start = next((i for i, b in enumerate(blocks) if _COMMENTS_HEADING.match(b.text)), len(blocks))
    best: tuple[float, int, int] | None = None
    for chars, first, last in _runs(blocks, max_gap):
        good = sum(1 for b in blocks[first : last + 1] if b.cls == GOOD)
        weight = chars * good / (last - first + 1)
        if first > comments_start:
            weight *= _COMMENTS_WEIGHT
        if best is None or weight > _LATER_RUN_MARGIN * best[0]:
            best = (weight, first, last)
    if best is None:
        return None
    first, last = best[1], best[2]
    # Lists at the edges of a story are related links or tags; only lists inside it are its own.
    while first < last and (blocks[first].bullet or blocks[first].cls != GOOD):
        first += 1
    while last > first and (blocks[last].bullet or blocks[last].cls != GOOD):
        last -= 1
    # Short opening sentences ("Here's why:") right above the first paragraph belong to the story.
    while first > 0 and _short_sentence(blocks[first - 1]):
        first -= 1
        blocks[first].cls = GOOD
    return first, last


def _short_sentence(block: Block) -> bool:
    return (
        block.context_free_cls == SHORT
        and _FULL_STOP.search(block.text) is not None  # a headline may end in "?" or "!", rarely in "."
        and not block.bullet
        and len(block.text.split()) >= _SHORT_SENTENCE_WORDS
    )
