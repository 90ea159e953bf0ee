"""Many distinct snapshots shaped like the seeds, for tests that need a run to take a while."""

from pathlib import Path

from newsetl import config

_SEEDS = sorted(config.SAMPLES_LANDING.glob("*.txt"))


def write_snapshots(folder: Path, start: int, count: int) -> list[Path]:
    """Seed pages with a distinct title and lead sentence each, so that every file is its own snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [seed.read_text(encoding="utf-8") for seed in _SEEDS]
    written = []
    for number in range(start, start + count):
        text = seeds[number % len(seeds)]
        first_line, rest = text.split("\n", 1)
        path = folder / f"crawl-{number:06d}.txt"
        path.write_text(f"{first_line} ({number})\n{rest}", encoding="utf-8")
        written.append(path)
    return written
