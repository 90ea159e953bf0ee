"""The headline and date rankers: rebuilt byte-for-byte, trained on what the committed file says, used by the
cleaner."""

import json
from pathlib import Path

import pytest

from newsetl.article import ExtractionContext
from newsetl.extract import extract_text
from newsetl.extract.ranking import DATE_FEATURES, MODEL_PATH, TITLE_FEATURES, load_models
from newsetl.train import title_date

CORPUS = Path("/work/shared/corpus")
_PARAGRAPH = (
    "The council met on {day} and agreed after a long debate that the {thing} would be rebuilt before winter, "
    "a decision that residents of the {place} district had been waiting for since the storm of last year."
)
_THINGS = ["bridge", "library", "school", "harbour wall", "market hall", "tram depot"]
_PLACES = ["north", "river", "old town", "harbour", "station", "hill"]


def _page(n: int) -> tuple[str, str, str]:
    """(text, headline, date) of a small synthetic page: menu, headline, date line, story, teasers, footer."""
    thing, place = _THINGS[n % len(_THINGS)], _PLACES[n % len(_PLACES)]
    headline = f"Council agrees to rebuild the {thing} in the {place} district"
    day = 3 + n
    paragraph = _PARAGRAPH.format(day=f"{day} May", thing=thing, place=place)
    text = (
        f"Home | News | Sport | Weather\n\n{headline}\n\n"
        f"Published {day} May 2024, 10:{n:02d}\n\n{paragraph}\n\n{paragraph} The work starts in June.\n\n"
        f"Most read: Storm closes {place} roads for a week\n\n"
        f"Related: Storm damage in the {place} district, 1 March 2023\n\n© 2024 Example News. All rights reserved."
    )
    return text, headline, f"2024-05-{day:02d}"


def _tiny_corpus(root: Path, pages: int = 8) -> Path:
    labels = []
    for renderer in ("txt", "inner"):
        (root / renderer).mkdir(parents=True)
    for n in range(pages):
        text, headline, date = _page(n)
        page_id = f"syn-{n:04d}"
        for renderer in ("txt", "inner"):
            (root / renderer / f"{page_id}.txt").write_text(text, encoding="utf-8")
        labels.append(
            {
                "id": page_id,
                "url": f"https://site{n % 3}.example/news/{n}",
                "language": "en",
                "title": headline,
                "published": date,
                "upstream_path": f"syn/{n}",
            }
        )
    (root / "labels.jsonl").write_text("".join(json.dumps(label) + "\n" for label in labels), encoding="utf-8")
    return root


def test_training_is_byte_for_byte_reproducible_and_learns_the_headline(tmp_path):
    pytest.importorskip("sklearn")
    corpus = _tiny_corpus(tmp_path / "corpus")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert title_date.main(["--corpus", str(corpus), "--out", str(first)]) == 0
    assert title_date.main(["--corpus", str(corpus), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert title_date.main(["--corpus", str(corpus), "--out", str(first), "--check"]) == 0
    spec = json.loads(first.read_text(encoding="utf-8"))
    assert spec["title"]["positives"] > 0 and spec["date"]["positives"] > 0
    assert spec["meta"]["corpus_sha256"] == title_date.corpus_digest(corpus, title_date._labels(corpus, None))
    # A changed page changes the corpus digest, and --check then fails.
    (corpus / "txt" / "syn-0000.txt").write_text(_page(1)[0], encoding="utf-8")
    assert title_date.main(["--corpus", str(corpus), "--out", str(first), "--check"]) == 1


def test_folds_keep_a_site_on_one_side():
    assert title_date.fold_of("example.com", 12) == title_date.fold_of("example.com", 12)
    assert len({title_date.fold_of(f"site{n}.example", 12) for n in range(50)}) == title_date.FOLDS


def test_the_committed_model_matches_the_features_the_cleaner_computes():
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(spec["title"]["features"]) == TITLE_FEATURES
    assert tuple(spec["date"]["features"]) == DATE_FEATURES
    assert spec["meta"]["command"] == "python -m newsetl.train.title_date"
    assert load_models() is not None


@pytest.mark.skipif(not (CORPUS / "labels.jsonl").exists(), reason="the labelled corpus is not on this machine")
def test_the_committed_model_was_trained_on_this_corpus():
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    labels = title_date._labels(CORPUS, None)
    assert spec["meta"]["corpus_sha256"] == title_date.corpus_digest(CORPUS, labels)


def test_the_ranked_choice_keeps_the_guards():
    """Menus, teasers, related links and the copyright line stay candidates the model must pass over."""
    text, headline, date = _page(2)
    article = extract_text(text, ExtractionContext(url="https://site2.example/news/2"))
    assert article.title == headline
    assert article.published_at.date().isoformat() == date
    # Without a printed date, neither the copyright year nor the related link's date is the publication date.
    undated = "\n\n".join(part for part in text.split("\n\n") if not part.startswith(("Published", "Related")))
    assert extract_text(undated, ExtractionContext()).published_at is None


def test_date_label_words_tell_the_publication_from_the_update():
    from newsetl.extract.ranking import _label_kind

    assert _label_kind("Veröffentlicht am ") == "published"
    assert _label_kind("Publikacja: ") == "published"
    assert _label_kind("Publicado 3 de mayo | Actualizado ") == "updated"
    assert _label_kind("Par Alexandre Hervaud — ") is None


def test_the_ranker_keeps_the_rules_choice_unless_it_scores_clearly_better():
    from newsetl.extract.ranking import Linear

    rows = [[0.0, 2.0], [1.0, 1.0]]  # the second feature marks nothing; the first marks the rules' choice
    assert Linear((0.0, 1.0), 0.0, 0.0, 0).best(rows) == 0
    assert Linear((0.0, 1.0), 0.0, 1.5, 0).best(rows) == 1
    assert Linear((0.0, 1.0), 0.0).best(rows) == 0
    assert Linear((0.0, 1.0), 0.0).best([]) is None


def test_block_distances_from_one_running_count_equal_the_walk():
    from newsetl.extract.lines import split_blocks
    from newsetl.extract.title import _DEBRIS_CHARS, _distances

    def walked(blocks, index: int, body_start: int) -> int:
        low, high = sorted((index, body_start))
        return sum(1 for b in blocks[low + 1 : high] if not b.bullet and len(b.text) >= _DEBRIS_CHARS) + 1

    blocks = split_blocks(_page(3)[0] + "\n\n• Share\n\nx\n\n" + _page(4)[0])
    for start in range(len(blocks)):
        distance = _distances(blocks, start)
        assert [distance(i) for i in range(len(blocks))] == [walked(blocks, i, start) for i in range(len(blocks))]


def _blocks(*texts, good=()):
    from newsetl.extract.lines import GOOD, Block

    return [Block(t, True, False, cls=GOOD if k in good else "bad") for k, t in enumerate(texts)]


def test_a_headline_printed_twice_in_a_row_is_a_candidate_once_and_an_alt_text_echo_is_not():
    from newsetl.extract.ranking import title_candidates

    headline = "Council approves the new bridge over the river after long debate"
    story = (
        "The city council voted on Tuesday to approve the construction of a new bridge over the river, ending a debate."
    )
    blocks = _blocks(headline, headline, story, story, good=(2, 3))
    indexes = [i for i, _ in title_candidates(blocks, 2, frozenset(), None)]
    assert 0 in indexes and 1 not in indexes
    caption = "Council members inspect the old bridge over the river"
    blocks = _blocks(caption, caption + " Photo by the city", story, good=(2,))
    assert 0 not in [i for i, _ in title_candidates(blocks, 2, frozenset(), None)]


def test_a_headline_below_a_kept_notice_is_a_candidate_and_a_kept_sentence_is_not():
    from newsetl.extract.ranking import title_candidates

    notice = "Sign in with your existing account or try our digital subscription with access to all articles"
    headline = "Council approves the new bridge over the river after long debate"
    sentence = "The city council voted on Tuesday to approve a new bridge, ending a long debate."
    blocks = _blocks(notice, headline, sentence, good=(0, 1, 2))
    indexes = [i for i, _ in title_candidates(blocks, 0, frozenset(), None)]
    assert 1 in indexes and 2 not in indexes


def test_a_bracketed_credit_marks_a_caption_but_a_page_number_does_not():
    from newsetl.extract.ranking import _CREDIT_AT_END

    assert _CREDIT_AT_END.search("Graduates at the ceremony in Jakarta (Photo: Reuters)")
    assert not _CREDIT_AT_END.search("Comparing the newest SSDs in a small PC (1/2 page)")
