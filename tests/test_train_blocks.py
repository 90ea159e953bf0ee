"""The learned block model: the committed file loads and picks prose, labels follow the gold, and
retraining on the same corpus writes the same file byte for byte."""

import json
import random

import numpy as np
import pytest

from newsetl.article import ExtractionContext
from newsetl.extract import extract_text
from newsetl.extract.blockmodel import MODEL_PATH, TreeModel, block_features, feature_names, load_model
from newsetl.extract.text import prepare_text as prepare
from newsetl.train.split import is_validation_site

_MENU = ["Home", "News", "Sport", "Weather", "Contact us", "Subscribe"]
_PROSE = [
    "The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been "
    "debated for more than a decade and that residents say will cut their commute by half.",
    "Officials said construction would begin next spring and last about three years, with the first stations "
    "opening in the autumn of the second year if the budget holds.",
    "Opponents argued that the money would be better spent on buses, which could serve more neighbourhoods at a "
    "fraction of the cost, but the motion passed with a clear majority.",
]
_FOOTER = ["Share on Facebook", "Share on Twitter", "© 2024 Example Media. All rights reserved."]


def _page(prose: list[str]) -> str:
    return "\n".join([*_MENU, "", "Council extends the tram line north", "", "\n\n".join(prose), "", *_FOOTER]) + "\n"


def test_the_committed_model_loads_with_the_runtime_features():
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(spec["features"]) == feature_names()
    model = load_model()
    prepared = prepare(_page(_PROSE), ExtractionContext())
    probabilities = model.probabilities(block_features(prepared.blocks, prepared.region, frozenset()))
    assert probabilities.shape == (len(prepared.blocks),)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_the_body_is_the_prose_without_menu_headline_or_footer():
    article = extract_text(_page(_PROSE), ExtractionContext())
    for paragraph in _PROSE:
        assert paragraph in article.body
    for line in [*_MENU, *_FOOTER, "Council extends the tram line north"]:
        assert line not in article.body.splitlines()


def test_a_model_file_with_other_features_is_refused():
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    spec["features"] = spec["features"][:-1]
    with pytest.raises(ValueError):
        TreeModel(spec)


def test_tree_evaluation_follows_the_splits():
    names = list(feature_names())
    # one tree: feature 0 <= 1.0 -> leaf -2, else (feature 3 <= 0.5 -> leaf 1, else leaf 3)
    tree = {
        "depth": 2,
        "nodes": [
            {"feature": 0, "threshold": 1.0, "left": 1, "right": 2},
            {"leaf": -2.0},
            {"feature": 3, "threshold": 0.5, "left": 3, "right": 4},
            {"leaf": 1.0},
            {"leaf": 3.0},
        ],
    }
    stump = {"depth": 0, "nodes": [{"leaf": 0.5}]}
    model = TreeModel({"features": names, "threshold": 0.5, "base_score": 0.0, "trees": [tree, stump]})
    x = np.zeros((3, len(names)))
    x[0, 0] = 1.0
    x[1, 0], x[1, 3] = 2.0, 0.2
    x[2, 0], x[2, 3] = 2.0, 0.9
    margins = np.array([-2.0, 1.0, 3.0]) + 0.5
    assert np.allclose(model.probabilities(x), 1 / (1 + np.exp(-margins)))


def test_labels_align_blocks_with_the_gold_body_and_snippets():
    from newsetl.train.blocks import _labels

    texts = ["Home", _PROSE[0], _PROSE[1], "Share on Facebook"]
    labels, weights = _labels(texts, {"body_kind": "full", "body": "\n\n".join(_PROSE)})
    assert labels.tolist() == [0, 1, 1, 0]
    assert weights[1] > weights[0]
    labels, _ = _labels(texts, {"body_with": ["three years, with the first"], "body_without": ["Share on"]})
    assert labels.tolist() == [-1, -1, 1, 0]


def _site(index: int) -> str:
    """A made-up training site (never one of the held-out validation sites)."""
    while is_validation_site(f"site{index}.example"):
        index += 1000
    return f"site{index}.example"


def _tiny_corpus(root):
    rng = random.Random(3)
    (root / "txt").mkdir()
    (root / "inner").mkdir()
    rows = []
    for index in range(24):
        prose = rng.sample(_PROSE, 2) + [
            f"Paragraph {index} says the council met again and voted {index} times on the plan."
        ]
        page_id = f"tst-{index:04d}"
        text = _page(prose)
        (root / "txt" / f"{page_id}.txt").write_text(text, encoding="utf-8")
        (root / "inner" / f"{page_id}.txt").write_text(text.replace("\n\n", "\n"), encoding="utf-8")
        rows.append(
            {
                "id": page_id,
                "url": f"https://{_site(index)}/story/{index}",
                "language": "en",
                "page_kind": "article",
                "body_kind": "full",
                "body": "\n\n".join(prose),
            }
        )
    (root / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_retraining_on_the_same_corpus_writes_the_same_file(tmp_path):
    pytest.importorskip("lightgbm")
    from newsetl.train import blocks

    _tiny_corpus(tmp_path)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    blocks.main(["--corpus", str(tmp_path), "--out", str(first)])
    blocks.main(["--corpus", str(tmp_path), "--out", str(second)])
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8"))["trees"]


def test_the_exported_trees_give_lightgbms_own_probabilities(tmp_path):
    pytest.importorskip("lightgbm")
    from newsetl.train import blocks

    _tiny_corpus(tmp_path)
    pages = blocks.load_rows(tmp_path)
    booster = blocks.train(pages)
    x = np.vstack([p.features for p in pages])
    ours = TreeModel(blocks.export(booster)).probabilities(x)
    assert np.allclose(ours, booster.predict(x), atol=1e-9)
