"""Article extraction: boilerplate removal and metadata for text and HTML snapshots in any language."""

from newsetl.extract.html import extract_html
from newsetl.extract.language import detect_language
from newsetl.extract.repeated import learn_repeated_lines
from newsetl.extract.sources import normalize_source_name
from newsetl.extract.text import extract_text

__all__ = ["detect_language", "extract_html", "extract_text", "learn_repeated_lines", "normalize_source_name"]
