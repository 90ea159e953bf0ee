"""Known page templates as data: TOML files in newsetl/data/site_profiles, read by generic code.

A profile names patterns that recognise its template, patterns that capture metadata fields, and
how to cut the story out (region, caption lines and widget labels to drop). Pages that match no
profile go to the general cleaner alone; a profile only sharpens what the general cleaner does.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "site_profiles"


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    detect: tuple[re.Pattern, ...]
    fields: dict[str, re.Pattern]
    start_after: re.Pattern | None
    end_before: re.Pattern | None
    caption: re.Pattern | None
    drop_lines: tuple[re.Pattern, ...]

    def matches(self, text: str) -> bool:
        return all(p.search(text) for p in self.detect)

    def field(self, text: str, name: str) -> str | None:
        pattern = self.fields.get(name)
        match = pattern.search(text) if pattern else None
        return match.group("v").strip() if match else None

    def region(self, text: str) -> tuple[int, int]:
        """Character span of the story."""
        start, end = 0, len(text)
        if self.start_after and (match := self.start_after.search(text)):
            start = match.end()
        if self.end_before and (match := self.end_before.search(text, start)):
            end = match.start()
        return start, end

    def drops(self, line: str) -> bool:
        return any(p.search(line) for p in self.drop_lines)

    def is_caption(self, line: str) -> bool:
        return bool(self.caption and self.caption.search(line))


def _compile(raw: str | None) -> re.Pattern | None:
    return re.compile(raw) if raw else None


def _load(path: Path) -> SiteProfile:
    data = tomllib.loads(path.read_text("utf-8"))
    body = data.get("body", {})
    return SiteProfile(
        name=data["name"],
        detect=tuple(re.compile(p) for p in data["detect"]),
        fields={k: re.compile(v) for k, v in data.get("fields", {}).items()},
        start_after=_compile(body.get("start_after")),
        end_before=_compile(body.get("end_before")),
        caption=_compile(body.get("caption")),
        drop_lines=tuple(re.compile(p) for p in body.get("drop_lines", ())),
    )


@lru_cache(maxsize=1)
def profiles() -> tuple[SiteProfile, ...]:
    return tuple(_load(path) for path in sorted(PROFILE_DIR.glob("*.toml")))


def match_profile(text: str) -> SiteProfile | None:
    for profile in profiles():
        if profile.matches(text):
            return profile
    return None
