"""A synthetic landing zone shaped like the seed snapshots, reproducible from a seed.

Every snapshot i is generated from its own random stream (seed, i), so a corpus of 1,000 is the
first 1,000 snapshots of a corpus of 100,000 and any page can be regenerated alone, in its text or
its HTML form (the anchors compare extractors on both forms of the same pages).
"""

import gzip
import html
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from newsetl import config
from orchestration.bench.words import LABELS, LANGUAGES, NAME_SYLLABLES, SITES

DEFAULT_SEED = 20240619
LANGUAGE_WEIGHTS = {"zh": 20, "vi": 14, "en": 15, "ru": 10, "fr": 8, "es": 8, "de": 7, "ja": 6, "ko": 6, "ar": 6}
# aggregator: the fyun snapshot template (Chinese labels, any language's story); sputnik: the
# captioned page of the Vietnamese seed; portal: navigation, metadata line, related list, footer.
TEMPLATE_WEIGHTS = {"aggregator": 30, "sputnik": 25, "portal": 45}
MEDIAN_BYTES = 8000
MIN_BYTES, MAX_BYTES = 2000, 40000
NEAR_DUPLICATE_SHARE = 0.02
_EPOCH = datetime(2024, 1, 1)
_SPAN_DAYS = 600
_NO_SPACE = {"zh", "ja"}


@dataclass
class Page:
    index: int
    language: str
    template: str
    title: str
    site: str
    category: str
    published: datetime
    snapshot_time: datetime
    paragraphs: list[str]
    captions: list[str]  # one before every few paragraphs
    teasers: list[str]  # headlines of other stories shown inside the page
    related: list[tuple[str, datetime]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _seed_sentences() -> dict[str, list[str]]:
    """Sentences of the bundled seed snapshots, by language (zh and vi), for recombination."""
    pools: dict[str, list[str]] = {"zh": [], "vi": []}
    for path in sorted(Path(config.SAMPLES_LANDING).glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) < 80:
                continue
            if re.search(r"[\u4e00-\u9fff]", line):
                pools["zh"] += [s + "。" for s in line.split("。") if len(s) > 15]
            else:
                pools["vi"] += [s.strip() + "." for s in line.split(". ") if len(s) > 40]
    return pools


def _person(rng: random.Random, language: str) -> str:
    kind = language if language in NAME_SYLLABLES else "latin"
    syllables = NAME_SYLLABLES[kind]
    if kind in ("zh", "ja", "ko"):
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
    first = "".join(rng.choice(syllables) for _ in range(2)).capitalize()
    last = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
    return f"{first} {last}"


def _sentence(rng: random.Random, language: str) -> str:
    words = LANGUAGES[language]
    pool = _seed_sentences().get(language)
    if pool and rng.random() < 0.3:
        return rng.choice(pool)
    length = rng.randint(9, 24)
    out: list[str] = []
    for position in range(length):
        roll = rng.random()
        if roll < 0.04:
            token = rng.choice(words["countries"])
        elif roll < 0.07:
            token = str(rng.choice([rng.randint(2, 99), rng.randint(100, 9999), rng.randint(1990, 2025)]))
        elif roll < 0.10:
            token = _person(rng, language)
        elif language in ("ko", "ja"):
            # Particles follow their word; the verb closes the sentence.
            token = rng.choice(words["content"]) + rng.choice(words["function"])
        elif roll < 0.45 and position:
            token = rng.choice(words["function"])
        else:
            token = rng.choice(words["content"])
        out.append(token)
    if language in ("ko", "ja"):
        out.append(rng.choice(words["verbs"]))
    if language in _NO_SPACE:
        text = "".join(out)
        comma = "，" if language == "zh" else "、"
        if len(text) > 20:
            cut = rng.randint(8, len(text) - 8)
            text = text[:cut] + comma + text[cut:]
        return text + words["end"]
    if rng.random() < 0.4 and length > 12:
        out[length // 2] += ","
    text = " ".join(out)
    return text[0].upper() + text[1:] + words["end"]


def _headline(rng: random.Random, language: str) -> str:
    sentence = _sentence(rng, language).rstrip(".。")
    limit = 30 if language in _NO_SPACE else 90
    return sentence[:limit].rstrip(" ,，、")


def _paragraph(rng: random.Random, language: str) -> str:
    return ("" if language in _NO_SPACE else " ").join(_sentence(rng, language) for _ in range(rng.randint(2, 6)))


def _size(rng: random.Random) -> int:
    return int(min(MAX_BYTES, max(MIN_BYTES, rng.lognormvariate(0, 0.45) * MEDIAN_BYTES)))


def _choose(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fresh_page(index: int, seed: int) -> Page:
    rng = random.Random(f"{seed}:{index}")
    language = _choose(rng, LANGUAGE_WEIGHTS)
    template = _choose(rng, TEMPLATE_WEIGHTS)
    published = _EPOCH + timedelta(days=rng.randrange(_SPAN_DAYS), minutes=rng.randrange(24 * 60))
    target = _size(rng)
    paragraphs: list[str] = []
    size = 1500  # about what the template's navigation, related list and footer add
    while size < target:
        paragraph = _paragraph(rng, language)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return Page(
        index=index,
        language=language,
        template=template,
        title=_headline(rng, language),
        site=rng.choice(SITES[language]),
        category=rng.choice(LABELS[language]["nav"][1:5]),
        published=published,
        snapshot_time=published + timedelta(hours=rng.randint(1, 48), seconds=rng.randrange(3600)),
        paragraphs=paragraphs,
        captions=[_headline(rng, language) for _ in range(max(1, len(paragraphs) // 4))],
        teasers=[_headline(rng, language) for _ in range(rng.randint(1, 3))],
        related=[
            (_headline(rng, language), published - timedelta(hours=rng.randint(1, 900)))
            for _ in range(rng.randint(3, 8))
        ],
    )


def generate_page(index: int, seed: int = DEFAULT_SEED) -> Page:
    """Snapshot `index` of the corpus of `seed`; a small share re-crawl an earlier story (near-duplicates)."""
    rng = random.Random(f"{seed}:{index}:copy")
    if index >= 20 and rng.random() < NEAR_DUPLICATE_SHARE:
        page = _fresh_page(index - rng.randint(1, 15), seed)
        # The same story through another template, one paragraph dropped: close but not identical.
        page.index = index
        page.template = _choose(rng, TEMPLATE_WEIGHTS)
        if len(page.paragraphs) > 3:
            del page.paragraphs[rng.randrange(len(page.paragraphs))]
        page.snapshot_time += timedelta(hours=rng.randint(1, 72))
        return page
    return _fresh_page(index, seed)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _interleave(page: Page, caption_line) -> list[str]:
    """The story's paragraphs with a caption (and, after some, a teaser) every few paragraphs."""
    lines: list[str] = []
    captions = iter(page.captions)
    teasers = iter(page.teasers)
    for number, paragraph in enumerate(page.paragraphs):
        if number and number % 4 == 0:
            caption = next(captions, None)
            if caption:
                lines += caption_line(caption)
                teaser = next(teasers, None)
                if teaser and number % 8 == 0:
                    lines.append(teaser)
        lines.append(paragraph)
    return lines


def render_text(page: Page) -> str:
    """The page as a crawler's text rendering, in the page's template."""
    labels = LABELS[page.language]
    if page.template == "aggregator":
        lines = [
            "• 我的订阅",
            f"  • {page.category}",
            "",
            page.title,
            "",
            f"类别:{page.category} 发布时间:{_stamp(page.published)} 来源:国际时事讲解",
            "",
            f"来源:{page.site}",
            "",
            page.title,
            "",
        ]
        lines += ["\n".join(_interleave(page, lambda c: [f"{labels['photo']}: {c}"]))]
        lines += [
            "",
            "以上内容为资讯信息快照,由td.fyun.cc爬虫进行采集并收录,本站未对信息做任何修改,信息内容不代表本站立场。",
            "",
            f"快照生成时间:{_stamp(page.snapshot_time)}",
            "",
            "本站信息快照查询为非营利公共服务,如有侵权请联系我们进行删除。",
            "",
            "信息原文地址:",
            "",
        ]
        for title, when in page.related:
            lines += [title, f"...{title}", _stamp(when)]
        return "\n".join(lines) + "\n"
    if page.template == "sputnik":
        edition = labels["edition"]
        day = page.published.strftime("%d.%m.%Y")
        credit = f"© Sputnik / {_person(random.Random(page.index), 'en')}"
        lines = [
            page.title,
            "",
            f"{credit} / {page.captions[0]}",
            f"{page.captions[0]} - Sputnik {edition}, 1920, {day}",
            labels["subscribe"],
        ]
        lines += _interleave(page, lambda c: [f"{c} - Sputnik {edition}, 1920, {day}"])
        lines += ["", labels["news"], "0", labels["discuss"], "loader"]
        return "\n".join(lines) + "\n"
    lines = [f"• {item}" for item in labels["nav"]]
    lines += [
        "",
        page.title,
        "",
        f"{labels['published']}: {_stamp(page.published)[:16]} | {labels['source']}: {page.site}",
        "",
        page.title,
        "",
    ]
    for line in _interleave(page, lambda c: [f"{labels['photo']}: {c}"]):
        lines += [line, ""]
    lines += [labels["related"]]
    for title, when in page.related:
        lines += [f"• {title}", _stamp(when)[:16]]
    lines += ["", labels["footer"].format(site=page.site)]
    return "\n".join(lines) + "\n"


def render_html(page: Page) -> str:
    """The same page as its site would serve it: navigation, article with figures, related list, footer."""
    labels = LABELS[page.language]
    e = html.escape
    iso = page.published.strftime("%Y-%m-%dT%H:%M:%S")
    nav = "".join(f'<li><a href="/{n}">{e(item)}</a></li>' for n, item in enumerate(labels["nav"]))
    body: list[str] = []
    for line in _interleave(page, lambda c: [f"\0{c}"]):
        if line.startswith("\0"):
            body.append(
                f'<figure><img src="/img/{len(body)}.jpg" alt=""><figcaption>{e(line[1:])}</figcaption></figure>'
            )
        elif line in page.teasers:
            body.append(f'<aside class="teaser"><a href="/story/{len(body)}">{e(line)}</a></aside>')
        else:
            body.append(f"<p>{e(line)}</p>")
    related = "".join(
        f'<li><a href="/r/{n}">{e(t)}</a> <time>{_stamp(w)[:16]}</time></li>' for n, (t, w) in enumerate(page.related)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{page.language}"><head><meta charset="utf-8">'
        f"<title>{e(page.title)} | {e(page.site)}</title>"
        f'<meta property="article:published_time" content="{iso}+00:00">'
        f'<meta property="og:site_name" content="{e(page.site)}"></head>'
        f"<body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>{e(page.title)}</h1>"
        f'<p class="meta">{e(labels["published"])}: {_stamp(page.published)[:16]} | '
        f"{e(labels['source'])}: {e(page.site)}</p>"
        + "\n".join(body)
        + f'</article><section class="related"><h2>{e(labels["related"])}</h2><ul>{related}</ul></section></main>'
        f"<footer><p>{e(labels['footer'].format(site=page.site))}</p></footer></body></html>\n"
    )


def form_of(index: int, seed: int, html_share: float) -> str:
    """txt, html or html.gz for snapshot `index`: half of the HTML share is gzipped."""
    roll = random.Random(f"{seed}:{index}:form").random()
    if roll >= html_share:
        return "txt"
    return "html.gz" if roll < html_share / 2 else "html"


def snapshot_bytes(index: int, seed: int = DEFAULT_SEED, html_share: float = 0.2) -> tuple[str, bytes]:
    """(relative path, file bytes) of snapshot `index`."""
    page = generate_page(index, seed)
    form = form_of(index, seed, html_share)
    name = f"{page.language}/{page.template}/{index:06d}.{form}"
    if form == "txt":
        return name, render_text(page).encode("utf-8")
    data = render_html(page).encode("utf-8")
    # mtime=0: the same corpus gives the same bytes, run after run.
    return name, gzip.compress(data, compresslevel=6, mtime=0) if form == "html.gz" else data


@dataclass
class CorpusSummary:
    root: str
    snapshots: int
    bytes_on_disk: int
    languages: dict[str, int]
    forms: dict[str, int]
    templates: dict[str, int]


def _write_range(job: tuple[str, int, int, int, float]) -> list[tuple[str, int]]:
    root, start, stop, seed, html_share = job
    written = []
    for index in range(start, stop):
        name, data = snapshot_bytes(index, seed, html_share)
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append((name, len(data)))
    return written


def write_landing(
    root: str | Path, count: int, seed: int = DEFAULT_SEED, html_share: float = 0.2, workers: int = 1
) -> CorpusSummary:
    """Write snapshots 0..count-1 under root (folders by language and template)."""
    root = Path(root)
    step = 2000
    jobs = [(str(root), start, min(count, start + step), seed, html_share) for start in range(0, count, step)]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            written = [item for chunk in pool.imap(_write_range, jobs) for item in chunk]
    else:
        written = [item for job in jobs for item in _write_range(job)]
    return summarize(str(root), written)


def summarize(root: str, written: list[tuple[str, int]]) -> CorpusSummary:
    languages: dict[str, int] = {}
    forms: dict[str, int] = {}
    templates: dict[str, int] = {}
    for name, _size in written:
        language, template, file_name = name.split("/")
        form = file_name.split(".", 1)[1]
        languages[language] = languages.get(language, 0) + 1
        templates[template] = templates.get(template, 0) + 1
        forms[form] = forms.get(form, 0) + 1
    return CorpusSummary(root, len(written), sum(size for _, size in written), languages, forms, templates)


def link_prefix(source: str | Path, target: str | Path, count: int) -> CorpusSummary:
    """A landing zone of the first `count` snapshots of a larger one, as hard links (no copying)."""
    source, target = Path(source), Path(target)
    written = []
    for path in sorted(source.rglob("*.*")):
        if not path.is_file() or int(path.name.split(".", 1)[0]) >= count:
            continue
        name = path.relative_to(source).as_posix()
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            destination.hardlink_to(path)
        except OSError:
            destination.write_bytes(path.read_bytes())
        written.append((name, path.stat().st_size))
    return summarize(str(target), written)
