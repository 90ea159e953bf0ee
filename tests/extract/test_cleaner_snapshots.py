"""The general cleaner on pages that are not the site profiles' templates: English, German and Spanish
news pages with navigation, teaser lists, captions, comment widgets and disclaimers around the story
(tests/fixtures/cleaner/README.md says how the snapshots are marked)."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from newsetl.article import ExtractionContext
from newsetl.extract import extract_text
from newsetl.extract import text as text_extractor

SNAPSHOTS = Path(__file__).resolve().parents[1] / "fixtures" / "cleaner"
CTX = ExtractionContext(snapshot_time=datetime(2024, 6, 20))


@dataclass(frozen=True)
class MarkedSnapshot:
    language: str  # the file name's prefix
    text: str
    title: str
    paragraphs: list[str]
    boilerplate: list[str]
    still_kept: list[str]  # boilerplate the cleaner does not drop yet


def _marked(path: Path) -> MarkedSnapshot:
    lines = [(line[0], line[2:]) for line in path.read_text("utf-8").splitlines()]

    def marked(mark: str) -> list[str]:
        return [line.strip() for kind, line in lines if kind == mark]

    (title,) = marked("T")
    text = "\n".join(line for _, line in lines) + "\n"
    return MarkedSnapshot(path.name.split("_")[0], text, title, marked("P"), marked("B"), marked("M"))


NAMES = sorted(path.name for path in SNAPSHOTS.glob("*.txt"))


@pytest.fixture(params=NAMES)
def snapshot(request) -> MarkedSnapshot:
    return _marked(SNAPSHOTS / request.param)


def test_the_snapshots_cover_three_languages_and_every_kind_of_boilerplate() -> None:
    pages = [_marked(SNAPSHOTS / name) for name in NAMES]
    assert {page.language for page in pages} >= {"en", "de", "es"}
    for page in pages:
        assert len(page.paragraphs) >= 3 and page.boilerplate, page.language
        assert any(line.startswith("•") for line in page.boilerplate + page.still_kept), page.language  # teasers


def test_the_body_is_the_story_paragraphs_in_order(snapshot: MarkedSnapshot) -> None:
    article = extract_text(snapshot.text, CTX)
    body = [line for line in article.body.splitlines() if line not in snapshot.still_kept]
    assert body == snapshot.paragraphs
    assert article.title == snapshot.title


def test_the_boilerplate_is_left_out(snapshot: MarkedSnapshot) -> None:
    body = extract_text(snapshot.text, CTX).body
    kept = [line for line in snapshot.boilerplate if line in body]
    assert kept == []


def test_the_language_is_the_storys(snapshot: MarkedSnapshot) -> None:
    assert extract_text(snapshot.text, CTX).language == snapshot.language


def test_no_site_profile_is_involved(snapshot: MarkedSnapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    article = extract_text(snapshot.text, CTX)
    assert article.extractor == "text"
    monkeypatch.setattr(text_extractor, "match_profile", lambda _text: None)
    assert extract_text(snapshot.text, CTX) == article


@pytest.mark.xfail(strict=True, reason="a long caption, teaser or newsletter line inside the story region is kept")
@pytest.mark.parametrize("name", [name for name in NAMES if _marked(SNAPSHOTS / name).still_kept])
def test_known_misses_are_still_kept(name: str) -> None:
    page = _marked(SNAPSHOTS / name)
    body = extract_text(page.text, CTX).body
    assert not any(line in body for line in page.still_kept)
