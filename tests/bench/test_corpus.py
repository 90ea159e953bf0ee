"""The synthetic corpus: reproducible from its seed, every language, template and form present,
sizes around 8 KB, and pages the pipeline reads as articles in the language they were written in."""

import gzip
from pathlib import Path

import pytest

from orchestration.bench import corpus
from orchestration.bench.words import LANGUAGES

COUNT = 300


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> tuple[Path, corpus.CorpusSummary]:
    root = tmp_path_factory.mktemp("landing")
    return root, corpus.write_landing(root, COUNT)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(tmp_path, landing) -> None:
    root, _ = landing
    again = corpus.write_landing(tmp_path / "again", 40, workers=2)
    first_40 = {name: data for name, data in _files(root).items() if int(name.rsplit("/", 1)[1].split(".")[0]) < 40}
    assert _files(tmp_path / "again") == first_40 and again.snapshots == 40
    corpus.write_landing(tmp_path / "other", 40, seed=corpus.DEFAULT_SEED + 1)
    assert _files(tmp_path / "other") != first_40


def test_every_language_template_and_form_is_present(landing) -> None:
    _, summary = landing
    assert set(summary.languages) == set(LANGUAGES) == set(corpus.LANGUAGE_WEIGHTS)
    assert set(summary.templates) == {"aggregator", "sputnik", "portal"}
    assert set(summary.forms) == {"txt", "html", "html.gz"}
    assert sum(summary.forms.values()) == summary.snapshots == COUNT
    # The HTML share asked for (0.2 by default), within sampling noise.
    assert 0.12 <= (summary.forms["html"] + summary.forms["html.gz"]) / COUNT <= 0.28


def test_sizes_are_mixed_around_8_kb(landing) -> None:
    root, summary = landing
    sizes = sorted(len(gzip.decompress(d) if n.endswith(".gz") else d) for n, d in _files(root).items())
    median = sizes[len(sizes) // 2]
    assert 6_000 <= median <= 11_000
    assert sizes[0] >= corpus.MIN_BYTES * 0.8 and sizes[-1] <= corpus.MAX_BYTES * 1.3
    assert sizes[int(len(sizes) * 0.9)] > 1.5 * sizes[int(len(sizes) * 0.1)]
    assert summary.bytes_on_disk == sum(len(d) for d in _files(root).values())


def test_text_and_html_forms_carry_the_same_story() -> None:
    page = corpus.generate_page(5)
    text, html = corpus.render_text(page), corpus.render_html(page)
    assert page.paragraphs[0] in text
    assert f'<html lang="{page.language}"' in html and "<nav>" in html and "<footer>" in html
    assert page.title in text and page.title.replace("&", "&amp;") in html


def test_templates_have_the_seed_pages_shapes() -> None:
    pages = {}
    for index in range(200):
        page = corpus.generate_page(index)
        pages.setdefault(page.template, page)
    aggregator = corpus.render_text(pages["aggregator"])
    assert "• 我的订阅" in aggregator and "快照生成时间:" in aggregator and "类别:" in aggregator
    sputnik = corpus.render_text(pages["sputnik"])
    assert sputnik.splitlines()[2].startswith("© Sputnik / ") and ", 1920, " in sputnik
    portal = corpus.render_text(pages["portal"])
    assert portal.startswith("• ") and "©" in portal.splitlines()[-1]
    for template in ("aggregator", "portal"):
        page = pages[template]
        text = corpus.render_text(page)
        assert text.count(page.title + "\n") >= 2  # the headline repeated, as on the seed pages
        assert all(title in text for title, _ in page.related)  # the related list with its dates


def test_a_few_pages_re_crawl_an_earlier_story() -> None:
    copies = [
        i
        for i in range(20, 1000)
        if corpus.generate_page(i).paragraphs[-1]
        in {p for j in range(i - 15, i) for p in corpus.generate_page(j).paragraphs}
    ]
    assert 0 < len(copies) < 60


def test_the_pipeline_reads_the_pages_as_articles_in_their_language(landing) -> None:
    from newsetl.article import ExtractionContext
    from newsetl.decode import decode_snapshot
    from newsetl.extract import extract_html, extract_text
    from newsetl.landing import discover, read_file

    files, _ = discover(landing[0])
    right = 0
    for file in files[::10]:
        (snapshot,) = read_file(file)
        language = file.source_file.split("/")[0]
        extract = extract_html if snapshot.content_type == "html" else extract_text
        article = extract(decode_snapshot(snapshot.content).text, ExtractionContext())
        right += article.language == language and len(article.body) > 500
    assert right >= 0.9 * len(files[::10])


def test_link_prefix_is_the_first_n_snapshots(tmp_path, landing) -> None:
    root, _ = landing
    summary = corpus.link_prefix(root, tmp_path / "prefix", 25)
    assert summary.snapshots == 25
    assert sorted(int(p.name.split(".")[0]) for p in (tmp_path / "prefix").rglob("*.*")) == list(range(25))
