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

from newsetl.extract.lines import BAD, GOOD, NEAR, REPEATED_LINE_CHARS, SHORT, Block, normalize_line

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "blocks.json"

_DIGITS = str.maketrans("", "", "0123456789")
_PUNCT = str.maketrans("", "", ".,;:!?。，、；：！？")
_COMMAS = str.maketrans("", "", ",，、")
_SEPARATORS = str.maketrans("", "", "|｜/·»>•–—")
_BRACKETS = str.maketrans("", "", "[]()")

# Per-block columns; the names are stored with the model and checked when it loads.
BLOCK_FEATURES = (
    "log_length", "log_chars", "log_words", "density", "terminal", "bullet", "date_line", "blank_before",
    "cf_good", "cf_near", "cf_short", "cf_bad", "hand_good", "in_region", "region_distance", "repeated",
    "digit_share", "punct_per_word", "comma_per_word", "separator_share", "bracket_share", "upper_share",
    "position", "char_position", "relative_length",
)
# Features also taken from the neighbours (offset -2, -1, +1, +2).
_NEIGHBOUR_FEATURES = (
    "log_length", "density", "terminal", "bullet", "cf_good", "cf_bad", "hand_good", "repeated", "punct_per_word",
)
_OFFSETS = (-2, -1, 1, 2)
PAGE_FEATURES = ("page_blocks", "page_good_share", "window_good", "window_length")


def feature_names() -> tuple[str, ...]:
    neighbours = tuple(f"{name}@{offset:+d}" for offset in _OFFSETS for name in _NEIGHBOUR_FEATURES)
    return BLOCK_FEATURES + neighbours + PAGE_FEATURES


def _upper_share(text: str, words: int) -> float:
    """Share of words that start with a capital letter (0 for scripts without case)."""
    capitals = sum(1 for word in text.split() if word[:1].isupper())
    return capitals / words


def _window_mean(values: np.ndarray, reach: int = 2) -> np.ndarray:
    """Mean over the block and `reach` blocks each side (fewer at the page's ends)."""
    n = len(values)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    low, high = np.maximum(0, index - reach), np.minimum(n, index + reach + 1)
    return (sums[high] - sums[low]) / (high - low)


def block_features(blocks: list[Block], region: tuple[int, int] | None, repeated: frozenset[str]) -> np.ndarray:
    """(blocks × features) matrix; lines.classify must have run on `blocks`, `region` is main_region's."""
    n = len(blocks)
    base = np.zeros((n, len(BLOCK_FEATURES)), dtype=np.float64)
    first, last = region if region is not None else (-1, -2)
    total_chars = sum(len(b.text) for b in blocks) or 1
    seen_chars = 0
    cf_index = {GOOD: 8, NEAR: 9, SHORT: 10, BAD: 11}
    for i, block in enumerate(blocks):
        text = block.text
        chars = len(text)
        words = text.count(" ") + 1
        row = base[i]
        row[0] = block.length
        row[1] = chars
        row[2] = words
        row[3] = block.density
        row[4] = block.terminal
        row[5] = block.bullet
        row[6] = block.date_line
        row[7] = block.blank_before
        column = cf_index.get(block.context_free_cls)
        if column is not None:
            row[column] = 1.0
        row[12] = block.cls == GOOD
        if first <= i <= last:
            row[13] = 1.0
        else:
            row[14] = first - i if i < first else i - last
        if repeated and chars <= 2 * REPEATED_LINE_CHARS and normalize_line(text) in repeated:
            row[15] = 1.0
        row[16] = (chars - len(text.translate(_DIGITS))) / chars
        row[17] = (chars - len(text.translate(_PUNCT))) / words
        row[18] = (chars - len(text.translate(_COMMAS))) / words
        row[19] = (chars - len(text.translate(_SEPARATORS))) / chars
        row[20] = (chars - len(text.translate(_BRACKETS))) / chars
        row[21] = _upper_share(text, words) if chars <= 400 else 0.0
        row[23] = seen_chars / total_chars
        seen_chars += chars
    base[:, 22] = np.arange(n) / max(1, n - 1)
    base[:, 24] = base[:, 0] / max(1.0, float(base[:, 0].max()))
    if region is None:
        base[:, 14] = 99.0
    for column in (0, 1, 2, 14):
        base[:, column] = np.log1p(base[:, column])

    columns = [base]
    index = {name: k for k, name in enumerate(BLOCK_FEATURES)}
    picked = base[:, [index[name] for name in _NEIGHBOUR_FEATURES]]
    for offset in _OFFSETS:
        shifted = np.full_like(picked, -1.0)  # -1: no block there (before the first or after the last)
        if offset < 0 and n > -offset:
            shifted[-offset:] = picked[:offset]
        elif offset > 0 and n > offset:
            shifted[:-offset] = picked[offset:]
        columns.append(shifted)
    page = np.zeros((n, len(PAGE_FEATURES)), dtype=np.float64)
    page[:, 0] = math.log1p(n)
    good = base[:, 12]
    page[:, 1] = good.mean() if n else 0.0
    page[:, 2] = _window_mean(good)
    page[:, 3] = _window_mean(base[:, 0])
    columns.append(page)
    return np.hstack(columns)


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
        feature, threshold, left, right, value, roots = [], [], [], [], [], []
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

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        n = features.shape[0]
        if n == 0:
            return np.zeros(0)
        nodes = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            go_left = features[rows, self.feature[nodes]] <= self.threshold[nodes]
            nodes = np.where(go_left, self.left[nodes], self.right[nodes])
        margin = self.base_score + self.value[nodes].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-margin))


@cache
def load_model(path: Path = MODEL_PATH) -> TreeModel:
    return TreeModel(json.loads(path.read_text(encoding="utf-8")))


def main_blocks(blocks: list[Block], region: tuple[int, int] | None, repeated: frozenset[str],
                model: TreeModel | None = None) -> np.ndarray:
    """Probability per block that it is main text."""
    model = model or load_model()
    return model.probabilities(block_features(blocks, region, repeated))
