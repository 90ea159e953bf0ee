"""Cleaning a text costs one pass per step over its lines: a page of 100,000 one-word lines ends."""

import random
import signal

import pytest

from newsetl.article import ExtractionContext, NoArticle
from newsetl.extract import extract_text
from newsetl.extract.lines import BAD, GOOD, NEAR, SHORT, Block, _settle


def _neighbour(blocks: list[Block], start: int, step: int, skip: tuple[str, ...]) -> str:
    i = start + step
    while 0 <= i < len(blocks):
        if blocks[i].cls not in skip:
            return blocks[i].cls
        i += step
    return BAD


def _settle_by_walking(blocks: list[Block]) -> None:
    """The settling rule as first written: walk to each neighbour, relabelling left to right."""
    for i, block in enumerate(blocks):
        if block.cls == SHORT:
            before, after = _neighbour(blocks, i, -1, (SHORT,)), _neighbour(blocks, i, 1, (SHORT,))
            if before == GOOD and after == GOOD:
                block.cls = "short-good"
            elif before == BAD or after == BAD:
                block.cls = "short-bad"
            else:
                block.cls = "short-near"
    for i, block in enumerate(blocks):
        if block.cls == NEAR:
            before = _neighbour(blocks, i, -1, (SHORT, NEAR, "short-near"))
            after = _neighbour(blocks, i, 1, (SHORT, NEAR, "short-near"))
            block.cls = GOOD if GOOD in (before, after) or before == "short-good" else BAD
    for block in blocks:
        if block.cls == "short-good":
            block.cls = GOOD
        elif block.cls in ("short-bad", "short-near"):
            block.cls = BAD


@pytest.mark.parametrize("seed", range(200))
def test_settling_gives_the_labels_of_the_walking_rule(seed: int) -> None:
    rng = random.Random(seed)
    classes = [rng.choice((GOOD, NEAR, SHORT, BAD)) for _ in range(rng.randint(0, 30))]
    fast = [Block(f"line {i}", False, False, cls) for i, cls in enumerate(classes)]
    walked = [Block(f"line {i}", False, False, cls) for i, cls in enumerate(classes)]
    _settle(fast)
    _settle_by_walking(walked)
    assert [b.cls for b in fast] == [b.cls for b in walked], classes


def test_a_hundred_thousand_one_word_lines_are_cleaned() -> None:
    def fail(signum, frame):
        raise TimeoutError("cleaning 100,000 lines did not end")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(60)  # a hang guard, far above what a linear pass needs
    try:
        text = "\n".join(f"word{i % 97}" for i in range(100_000))
        try:
            article = extract_text(text, ExtractionContext())
        except NoArticle:
            article = None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert article is None or article.body
