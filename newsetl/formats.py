"""The input formats of the landing zone, in one registry: which file names each format claims, whether
a file is a container of many snapshots, and how its payload is typed; plus the one HTML sniffer.

Readers live next to the code that streams files (newsetl.landing), keyed by format name here, so that
this module stays free of I/O and can be imported by evaluation and extraction code alike."""

import re
from dataclasses import dataclass

COMPRESSED_SUFFIX = ".gz"


@dataclass(frozen=True, slots=True)
class InputFormat:
    name: str
    suffixes: tuple[str, ...]  # lower case, before an optional COMPRESSED_SUFFIX
    container: bool  # many snapshots per file (streamed in-process) rather than one
    # Of the one snapshot that stands for a whole file: the file itself, or a container's rejection row
    # (each record of a container is typed by its reader).
    content_type: str
    empty_reason: str = ""  # why a container with nothing in it is rejected


WARC = InputFormat("warc", (".warc", ".arc"), container=True, content_type="text", empty_reason="no response records")
JSONL = InputFormat("jsonl", (".jsonl", ".ndjson"), container=True, content_type="text", empty_reason="no records")
HTML = InputFormat("html", (".html", ".htm", ".xhtml"), container=False, content_type="html")
# Anything else is read as plain text (rendered pages: .txt, .inner.txt, no suffix at all).
TEXT = InputFormat("text", (), container=False, content_type="text")

FORMATS: dict[str, InputFormat] = {f.name: f for f in (WARC, JSONL, HTML, TEXT)}


def classify(name: str) -> tuple[InputFormat, bool]:
    """(format, gzip-compressed) from a file name."""
    lower = name.lower()
    compressed = lower.endswith(COMPRESSED_SUFFIX)
    if compressed:
        lower = lower.removesuffix(COMPRESSED_SUFFIX)
    for fmt in FORMATS.values():
        if fmt.suffixes and lower.endswith(fmt.suffixes):
            return fmt, compressed
    return TEXT, compressed


def is_container(name: str) -> bool:
    """Whether a format (by name) holds many snapshots per file."""
    return FORMATS[name].container


# A document that starts (after white space) as an HTML page does: a doctype, an <html> tag, or an XML
# prolog before one (XHTML). Kept to the opening so that a text quoting markup is not taken for a page.
_HTML_OPENING = re.compile(rb"\A\s*(?:<!doctype html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.I)


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes open like an HTML page, whatever file name they came under."""
    return _HTML_OPENING.match(data) is not None
