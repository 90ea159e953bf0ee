"""Train the block classifier of text snapshots (newsetl/extract/blockmodel.py) on the labelled corpus.

    python -m newsetl.train.blocks [--corpus /work/shared/corpus] [--out newsetl/data/models/blocks.json]
    python -m newsetl.train.blocks --cv      # site-grouped cross-validation only, nothing written

Needs the `train` extra (`pip install -e .[train]`: scikit-learn, lightgbm). The same corpus and the fixed
seed give the same model file byte for byte (one thread, LightGBM's deterministic mode).

Labels come from aligning each rendering (w3m `txt/`, Chromium `inner/`) with the corpus's gold: a block of a
page with a full gold body is main text when most of its word pairs occur in the body; on pages labelled with
snippets, a block holding a `body_with` snippet is main text and one holding a `body_without` snippet is not
(their other blocks stay unlabelled). A rendering that shows under 80% of the gold body (the corpus's
`checks`: a paywall, a live blog whose gold is its summary) is left out. Pages of the validation sites
(newsetl/train/split.py) are never read. Cross-validation is grouped by site (newsetl.train.validate.site_of):
a site's pages are never on both sides; it prints body F1 (full bodies), snippet recall and leak per renderer
and per language, for the hand classes alone and for the model.
"""

import argparse
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsetl.article import ExtractionContext, NoArticle
from newsetl.evaluation import _squeeze, token_f1, tokens
from newsetl.extract.blockmodel import MODEL_PATH, block_features, feature_names
from newsetl.extract.lines import GOOD, Block
from newsetl.extract.repeated import learn_repeated_lines
from newsetl.extract.text import prepare_text as prepare
from newsetl.extract.title import choose_title
from newsetl.train.split import is_validation_page
from newsetl.train.validate import RENDERERS, site_of

if TYPE_CHECKING:  # imported where used: only training needs lightgbm
    import lightgbm

SEED = 20261203
FOLDS = 5
# A block is main text when this share of its word pairs (single words for one-word blocks) is in the body.
POSITIVE_SHARE = 0.5
# Repeated lines are learned over batches of about this many pages, as large as the validation slice.
REPEATED_BATCH = 370
THRESHOLD = 0.5
# Renderings that show less of the gold body than this (the corpus's checks) are left out of training.
MIN_COVERAGE = 0.8
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.15,
    "num_leaves": 12,
    "max_depth": 4,
    "min_data_in_leaf": 30,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_col_wise": True,
    "verbose": -1,
}
ROUNDS = 100


@dataclass
class PageRows:
    """One rendering of one page: its blocks' features, labels (1, 0, or -1 unlabelled) and weights."""

    page: str
    site: str
    renderer: str
    language: str
    features: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    texts: list[str]
    hand: np.ndarray  # the hand pipeline's choice: GOOD blocks in the hand region
    gold: str | None
    body_with: list[str]
    body_without: list[str]
    region: tuple[int, int]
    blocks: list[Block]


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def _labels(texts: list[str], label: dict) -> tuple[np.ndarray, np.ndarray]:
    n = len(texts)
    labels = np.full(n, -1, dtype=np.int8)
    sizes = np.array([len(tokens(text)) for text in texts], dtype=np.float64)
    gold = label.get("body") if label.get("body_kind") == "full" else None
    if gold:
        gold_words = tokens(gold)
        gold_pairs, gold_set = _pairs(gold_words), set(gold_words)
        for i, text in enumerate(texts):
            words = tokens(text)
            if len(words) >= 2:
                pairs = list(zip(words, words[1:], strict=False))
                share = sum(p in gold_pairs for p in pairs) / len(pairs)
            else:
                share = float(bool(words) and words[0] in gold_set)
            labels[i] = share >= POSITIVE_SHARE
    else:
        squeezed = [_squeeze(text) for text in texts]
        for key, value in (("body_without", 0), ("body_with", 1)):
            for snippet in label.get(key) or []:
                needle = _squeeze(snippet)
                for i, haystack in enumerate(squeezed):
                    if needle and needle in haystack:
                        labels[i] = value
    # Body F1 counts words: a block weighs by its words, a page by about the same in all.
    weights = np.sqrt(sizes + 1.0)
    return labels, weights


def _training_labels(corpus: Path) -> list[dict]:
    rows = [json.loads(line) for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    useful = [
        r
        for r in rows
        if (r.get("body_kind") == "full" and r.get("body")) or r.get("body_with") or r.get("body_without")
    ]
    return [r for r in useful if not is_validation_page(r)]


def _covered(label: dict, renderer: str) -> bool:
    """Whether the rendering shows the gold text.

    A rendering missing most of it would teach that prose is boilerplate.
    """
    coverage = (label.get("checks") or {}).get("body_cov_w3m" if renderer == "txt" else "body_cov_inner")
    return coverage is None or coverage >= MIN_COVERAGE


def _order(page_id: str) -> bytes:
    return hashlib.sha256(f"{SEED}:{page_id}".encode()).digest()


def load_rows(corpus: Path, limit: int | None = None) -> list[PageRows]:
    labels = sorted(_training_labels(corpus), key=lambda r: _order(r["id"]))[:limit]
    out: list[PageRows] = []
    for start in range(0, len(labels), REPEATED_BATCH):
        batch = labels[start : start + REPEATED_BATCH]
        texts = {}
        for label in batch:
            for renderer in RENDERERS:
                path = corpus / renderer / f"{label['id']}.txt"
                if path.exists():
                    texts[(label["id"], renderer)] = path.read_text(encoding="utf-8")
        repeated = learn_repeated_lines(texts.values())
        ctx = ExtractionContext(repeated_lines=repeated)
        for label in batch:
            for renderer in RENDERERS:
                text = texts.get((label["id"], renderer))
                if text is None or not _covered(label, renderer):
                    continue
                try:
                    prepared = prepare(text, ctx)
                except NoArticle:
                    continue
                blocks = prepared.blocks
                block_texts = [b.text for b in blocks]
                first, last = prepared.region
                title_index = None
                if prepared.title is None:  # as extract_text: the headline next to the hand region
                    chosen = choose_title(blocks, first, repeated)
                    title_index = chosen[0] if chosen else None
                    if title_index == first and first < last:
                        first += 1
                hand = np.array([first <= i <= last and b.cls == GOOD for i, b in enumerate(blocks)])
                y, w = _labels(block_texts, label)
                out.append(
                    PageRows(
                        label["id"],
                        site_of(label),
                        renderer,
                        label["language"],
                        block_features(blocks, prepared.region, repeated, title_index),
                        y,
                        w,
                        block_texts,
                        hand,
                        label.get("body") if label.get("body_kind") == "full" else None,
                        label.get("body_with") or [],
                        label.get("body_without") or [],
                        prepared.region,
                        blocks,
                    )
                )
    return out


def _stack(pages: list[PageRows]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    keep = y >= 0
    return x[keep], y[keep].astype(np.float64), w[keep]


def train(pages: list[PageRows]) -> "lightgbm.Booster":
    import lightgbm

    x, y, w = _stack(pages)
    data = lightgbm.Dataset(x, label=y, weight=w, feature_name=list(feature_names()), free_raw_data=False)
    return lightgbm.train({**PARAMS, "seed": SEED}, data, num_boost_round=ROUNDS)


def _tree(node: dict, nodes: list[dict]) -> int:
    me = len(nodes)
    nodes.append({})
    if "leaf_value" in node:
        nodes[me] = {"leaf": float(node["leaf_value"])}
        return me
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"unsupported split {node.get('decision_type')}")
    left = _tree(node["left_child"], nodes)
    right = _tree(node["right_child"], nodes)
    nodes[me] = {
        "feature": int(node["split_feature"]),
        "threshold": float(node["threshold"]),
        "left": left,
        "right": right,
    }
    return me


def _depth(node: dict) -> int:
    if "leaf_value" in node:
        return 0
    return 1 + max(_depth(node["left_child"]), _depth(node["right_child"]))


def export(booster: "lightgbm.Booster") -> dict:
    dumped = booster.dump_model()
    trees = []
    for info in dumped["tree_info"]:
        nodes: list[dict] = []
        _tree(info["tree_structure"], nodes)
        trees.append({"depth": _depth(info["tree_structure"]), "nodes": nodes})
    return {
        "about": "Block classifier of text snapshots; rebuilt by `python -m newsetl.train.blocks` (do not edit).",
        "features": list(feature_names()),
        "threshold": THRESHOLD,
        "base_score": 0.0,
        "params": {**PARAMS, "seed": SEED, "rounds": ROUNDS},
        "trees": trees,
    }


def serialize(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def folds_of(pages: list[PageRows]) -> dict[str, int]:
    """Site -> fold, by hash: a site's pages are all on one side."""
    return {p.site: hashlib.sha256(f"{SEED}:{p.site}".encode()).digest()[0] % FOLDS for p in pages}


def _page_scores(page: PageRows, chosen: np.ndarray) -> dict[str, list[float]]:
    body = "\n".join(t for t, keep in zip(page.texts, chosen, strict=True) if keep)
    scores: dict[str, list[float]] = defaultdict(list)
    if page.gold:
        scores["body_f1"].append(token_f1(body, page.gold))
    squeezed = _squeeze(body)
    for snippet in page.body_with:
        scores["snippet_recall"].append(float(_squeeze(snippet) in squeezed))
    for snippet in page.body_without:
        scores["snippet_leak"].append(float(_squeeze(snippet) in squeezed))
    return scores


def cross_validate(pages: list[PageRows], say: Callable[[str], object] = print) -> dict:
    from newsetl.extract.blockmodel import TreeModel, never_body

    fold = folds_of(pages)
    tallies: dict[tuple[str, str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for k in range(FOLDS):
        held = [p for p in pages if fold[p.site] == k]
        model = TreeModel(export(train([p for p in pages if fold[p.site] != k])))
        for page in held:
            chosen = model.probabilities(page.features) >= THRESHOLD
            chosen &= ~never_body(page.blocks, page.features, page.region, chosen)  # as extract_text does
            for method, picks in (("hand", page.hand), ("model", chosen)):
                for group in ("all", f"renderer:{page.renderer}", f"lang:{page.language}"):
                    for metric, values in _page_scores(page, picks).items():
                        tallies[(group, method, metric)][metric].extend(values)
    groups = sorted({g for g, _, _ in tallies}, key=lambda g: (g != "all", not g.startswith("renderer"), g))
    say(f"site-grouped {FOLDS}-fold CV on {len({p.site for p in pages})} training sites, {len(pages)} renderings")
    say(f"{'group':<16} {'metric':<15} {'n':>5} {'hand':>6} {'model':>6}")
    result = {}
    for group in groups:
        for metric in ("body_f1", "snippet_recall", "snippet_leak"):
            hand = tallies.get((group, "hand", metric), {}).get(metric)
            by_model = tallies.get((group, "model", metric), {}).get(metric)
            if not hand or not by_model:
                continue
            h, m = sum(hand) / len(hand), sum(by_model) / len(by_model)
            result[(group, metric)] = (h, m, len(hand))
            if group.startswith("lang:") and len(hand) < 10:
                continue
            say(f"{group:<16} {metric:<15} {len(hand):>5} {h:>6.3f} {m:>6.3f}")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", action="store_true", help="site-grouped cross-validation only; write nothing")
    parser.add_argument("--limit", type=int, default=None, help="only the first N training pages (a quick look)")
    args = parser.parse_args(argv)
    pages = load_rows(args.corpus, args.limit)
    if args.cv:
        cross_validate(pages)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(serialize(export(train(pages))), encoding="utf-8")
    print(f"wrote {args.out} from {len(pages)} renderings of {len({p.page for p in pages})} training pages")


if __name__ == "__main__":
    main()
