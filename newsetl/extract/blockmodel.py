"""The learned block classifier of text snapshots: which blocks of a rendering are the story.

Each block gets Boilerpipe-style shallow features that hold across languages and renderers (its
length and word count, function-word density as lines.measure computes it, sentence punctuation,
digits, separators, bullets, position on the page, repetition across the site's snapshots, the hand
classes of lines.classify and the hand region of main_region) and the same features of the blocks
before and after it. A small gradient-boosted tree ensemble, trained on the labelled corpus by
`python -m newsetl.train.blocks` and stored as JSON under newsetl/data/models/, turns them into a
probability that the block belongs to the main text. Evaluation is numpy over all blocks of a page
at once: every tree descends one level per step for all blocks together.
"""

import json
import math
from functools import cache
from pathlib import Path

import numpy as np

from newsetl.extract.lines import (
    BAD,
    GOOD,
    NEAR,
    REPEATED_LINE_CHARS,
    SHORT,
    Block,
    is_comments_heading,
    is_echo,
    is_time_ticker,
    normalize_line,
)

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "blocks.json"

# Character classes counted per block, as bits of a table over the Basic Multilingual Plane.
_CLASSES = (
    ("digit", "0123456789"),
    ("punct", ".;:!?。；：！？,，、"),
    ("comma", ",，、"),
    ("separator", "|｜/·»>•–—"),
    ("bracket", "[]()"),
    ("upper", None),
    ("space", " "),
    ("boundary", "\n"),
)


def _class_table() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, (_, chars) in enumerate(_CLASSES):
        if chars is None:  # capitals: every cased script, not only Latin
            codes = [c for c in range(0x10000) if chr(c).isupper()]
        else:
            codes = [ord(c) for c in chars]
        table[codes] |= np.uint8(1 << (7 - bit))  # unpackbits reads the highest bit first
    return table


_TABLE = _class_table()
_BYTE_BITS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float64)
_SPACE_OR_BOUNDARY = np.uint8((1 << 1) | (1 << 0))

# Per-block columns; the names are stored with the model and checked when it loads.
BLOCK_FEATURES = (
    "log_length",
    "log_chars",
    "log_words",
    "density",
    "terminal",
    "bullet",
    "date_line",
    "blank_before",
    "cf_good",
    "cf_near",
    "cf_short",
    "cf_bad",
    "hand_good",
    "in_region",
    "region_distance",
    "repeated",
    "digit_share",
    "punct_per_word",
    "comma_per_word",
    "separator_share",
    "bracket_share",
    "upper_share",
    "position",
    "char_position",
    "relative_length",
    "before_title",
    "title_distance",
)
# Features also taken from the neighbours (offset -2, -1, +1, +2).
_NEIGHBOUR_FEATURES = (
    "log_length",
    "density",
    "terminal",
    "bullet",
    "cf_good",
    "cf_bad",
    "hand_good",
    "repeated",
    "punct_per_word",
)
_OFFSETS = (-2, -1, 1, 2)
# digits, punctuation, commas, separators, brackets, capitals: per word (True) or per character
_PER_WORD = np.array([False, True, True, False, False, True])
_NEIGHBOUR_COLUMNS = [BLOCK_FEATURES.index(name) for name in _NEIGHBOUR_FEATURES]
_REACH = max(map(abs, _OFFSETS))
_GATHER = np.array([_REACH + offset for offset in _OFFSETS])
PAGE_FEATURES = ("page_blocks", "page_good_share", "window_good", "window_length")


def feature_names() -> tuple[str, ...]:
    neighbours = tuple(f"{name}@{offset:+d}" for offset in _OFFSETS for name in _NEIGHBOUR_FEATURES)
    return BLOCK_FEATURES + neighbours + PAGE_FEATURES


def _window_mean(values: np.ndarray, reach: int = 2) -> np.ndarray:
    """Mean of each column over the block and `reach` blocks each side (fewer at the page's ends)."""
    n = len(values)
    sums = np.zeros((n + 1, values.shape[1]))
    np.cumsum(values, axis=0, out=sums[1:])
    index = np.arange(n)
    low, high = np.maximum(0, index - reach), np.minimum(n, index + reach + 1)
    return (sums[high] - sums[low]) / (high - low)[:, None]


def _character_counts(texts: list[str]) -> np.ndarray:
    """(blocks × 7): digits, punctuation, commas, separators, brackets, capitals starting a word, spaces."""
    joined = "\n".join(texts) + "\n"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    classes = _TABLE[np.minimum(codes, 0xFFFF)]
    # A capital counts where it starts a word: after a space, a block boundary or at the very start.
    after_space = np.empty(len(classes), dtype=bool)
    after_space[0] = True
    np.not_equal(classes[:-1] & _SPACE_OR_BOUNDARY, 0, out=after_space[1:])
    upper_bit = np.uint8(1 << (7 - 5))
    classes = np.where(after_space, classes, classes & ~upper_bit)
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=n) + 1
    # How often each class byte occurs in each block, then the bits of those bytes.
    keys = np.repeat(np.arange(n, dtype=np.intp) * 256, lengths) + classes
    per_byte = np.bincount(keys, minlength=n * 256).reshape(n, 256)
    return (per_byte @ _BYTE_BITS)[:, :7]


_CONTEXT_FREE = {
    GOOD: (1.0, 0.0, 0.0, 0.0),
    NEAR: (0.0, 1.0, 0.0, 0.0),
    SHORT: (0.0, 0.0, 1.0, 0.0),
    BAD: (0.0, 0.0, 0.0, 1.0),
}
_NO_CLASS = (0.0, 0.0, 0.0, 0.0)


def block_features(
    blocks: list[Block], region: tuple[int, int] | None, repeated: frozenset[str], title_index: int | None = None
) -> np.ndarray:
    """(blocks × features) matrix; lines.classify must have run on `blocks`, `region` is main_region's,
    `title_index` the headline's block (title.choose_title), if any."""
    n = len(blocks)
    texts = [b.text for b in blocks]
    counts = _character_counts(texts)
    width = len(BLOCK_FEATURES)
    out = np.empty((n, len(feature_names())), dtype=np.float64)
    base = out[:, :width]
    # columns 0..12 from the blocks in one pass: length, chars, words (counted below), density, flags, classes
    base[:, :13] = np.array(
        [
            (
                b.length,
                len(b.text),
                0.0,
                b.density,
                b.terminal,
                b.bullet,
                b.date_line,
                b.blank_before,
                *_CONTEXT_FREE.get(b.context_free_cls, _NO_CLASS),
                b.cls == GOOD,
            )
            for b in blocks
        ],
        dtype=np.float64,
    ).reshape(n, 13)
    chars = base[:, 1].copy()
    lengths = base[:, 0].copy()
    words = counts[:, 6] + 1.0
    base[:, 2] = words
    np.log1p(base[:, :3], out=base[:, :3])
    index = np.arange(n)
    if region is None:
        base[:, 13] = 0.0
        base[:, 14] = np.log1p(99.0)
    else:
        first, last = region
        base[:, 13] = (index >= first) & (index <= last)
        base[:, 14] = np.log1p(np.maximum(first - index, 0) + np.maximum(index - last, 0))
    if repeated:
        base[:, 15] = [len(t) <= 2 * REPEATED_LINE_CHARS and normalize_line(t) in repeated for t in texts]
    else:
        base[:, 15] = 0.0
    safe_chars = np.maximum(chars, 1.0)[:, None]
    base[:, 16:22] = counts[:, :6] / np.where(_PER_WORD, words[:, None], safe_chars)
    base[:, 22] = index / max(1, n - 1)
    base[:, 23] = (np.cumsum(chars) - chars) / max(1.0, float(chars.sum()))
    base[:, 24] = lengths / max(1.0, float(lengths.max()))
    if title_index is None:
        base[:, 25] = 0.0
        base[:, 26] = np.log1p(99.0)
    else:
        base[:, 25] = index < title_index
        base[:, 26] = np.log1p(np.abs(index - title_index))

    # neighbours: the picked columns of a copy padded with -1 (no block there) at both ends
    picked = np.full((n + 2 * _REACH, len(_NEIGHBOUR_FEATURES)), -1.0)
    picked[_REACH : _REACH + n] = base[:, _NEIGHBOUR_COLUMNS]
    column = width + len(_OFFSETS) * picked.shape[1]
    out[:, width:column] = picked[index[:, None] + _GATHER].reshape(n, -1)
    good = base[:, 12]
    out[:, column] = math.log1p(n)
    out[:, column + 1] = good.mean()
    out[:, column + 2 : column + 4] = _window_mean(base[:, [12, 0]])
    return out


class TreeModel:
    """A boosted tree ensemble as flat arrays: node -> (feature, threshold, left, right), leaves hold values."""

    def __init__(self, spec: dict) -> None:
        if tuple(spec["features"]) != feature_names():
            raise ValueError("block model features differ from newsetl.extract.blockmodel.feature_names()")
        self.threshold_probability = float(spec["threshold"])
        self.base_score = float(spec["base_score"])
        trees = spec["trees"]
        self.depth = max(tree["depth"] for tree in trees)
        # All trees in one node table; a leaf points at itself so extra steps leave it in place.
        feature: list[int] = []
        left: list[int] = []
        right: list[int] = []
        roots: list[int] = []
        threshold: list[float] = []
        value: list[float] = []
        for tree in trees:
            offset = len(feature)
            roots.append(offset)
            for node in tree["nodes"]:
                if "leaf" in node:
                    me = len(feature)
                    feature.append(0)
                    threshold.append(np.inf)  # x <= inf: go "left", which is the leaf itself
                    left.append(me)
                    right.append(me)
                    value.append(node["leaf"])
                else:
                    feature.append(node["feature"])
                    threshold.append(node["threshold"])
                    left.append(offset + node["left"])
                    right.append(offset + node["right"])
                    value.append(0.0)
        self.feature = np.array(feature, dtype=np.intp)
        self.threshold = np.array(threshold, dtype=np.float64)
        self.left = np.array(left, dtype=np.intp)
        self.right = np.array(right, dtype=np.intp)
        self.value = np.array(value, dtype=np.float64)
        self.roots = np.array(roots, dtype=np.intp)
        self.children = np.stack([self.left, self.right], axis=1).ravel()  # 2 * node (+1 to the right)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        n = features.shape[0]
        if n == 0:
            return np.zeros(0)
        flat = np.ascontiguousarray(features, dtype=np.float64).ravel()
        width = features.shape[1]
        # (block, tree) pairs as one flat vector; each step moves every pair one level down.
        offsets = np.repeat(np.arange(n, dtype=np.intp) * width, len(self.roots))
        nodes = np.tile(self.roots, n)
        for _ in range(self.depth):
            right = flat.take(offsets + self.feature.take(nodes)) > self.threshold.take(nodes)
            nodes = self.children.take(2 * nodes + right)
        margin = self.base_score + self.value.take(nodes).reshape(n, len(self.roots)).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-margin))


# A comment heading ends the story when this much chosen text comes before it, or when it follows the hand
# region within this many blocks; earlier ones are "Comments" links in the header, before the story.
_STORY_BEFORE_COMMENTS = 400
_COMMENTS_AFTER_REGION = 3


def never_body(
    blocks: list[Block], features: np.ndarray, region: tuple[int, int] | None, chosen: np.ndarray
) -> np.ndarray:
    """Blocks the hand rules exclude for certain, whatever the model says: lines repeated across the site's
    snapshots, a line printed twice within a few blocks (a caption, a teaser), and the comment thread after
    the story, and lines of timestamped headlines (a site's news feed)."""
    excluded = features[:, BLOCK_FEATURES.index("repeated")] > 0
    excluded |= np.fromiter(is_echo(blocks), dtype=bool, count=len(blocks))
    excluded |= np.fromiter((is_time_ticker(block.text) for block in blocks), dtype=bool, count=len(blocks))
    last = region[1] if region is not None else len(blocks)
    before = 0
    for i, block in enumerate(blocks):
        if is_comments_heading(block.text) and (
            before >= _STORY_BEFORE_COMMENTS or 0 < i - last <= _COMMENTS_AFTER_REGION
        ):
            excluded[i:] = True
            break
        if chosen[i]:
            before += len(block.text)
    return excluded


@cache
def load_model(path: Path = MODEL_PATH) -> TreeModel:
    return TreeModel(json.loads(path.read_text(encoding="utf-8")))


def main_blocks(
    blocks: list[Block],
    region: tuple[int, int] | None,
    repeated: frozenset[str],
    title_index: int | None = None,
    model: TreeModel | None = None,
) -> np.ndarray:
    """Probability per block that it is main text."""
    model = model or load_model()
    features = block_features(blocks, region, repeated, title_index)
    probabilities = model.probabilities(features)
    probabilities[never_body(blocks, features, region, probabilities >= model.threshold_probability)] = 0.0
    return probabilities
