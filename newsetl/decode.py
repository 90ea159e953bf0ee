"""Bytes to text: detect the encoding of a snapshot, or say clearly why there is none."""

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, from_bytes


class UndecodableSnapshot(Exception):
    """The snapshot is not text in any encoding we can read; the message is the reason."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Formats that are surely not text, named so that the rejection reason helps the operator.
_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "ELF executable"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)

# Legacy declarations name a subset of what servers really send; decode with the superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
}


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / len(text)


# Where the detector cannot tell encodings apart (cp1250 and cp1252 read most French text the
# same way), the one the web uses more wins.
_WEB_PREFERENCE = [
    "utf_8",
    "cp1252",
    "gb18030",
    "gb2312",
    "big5",
    "cp932",
    "shift_jis",
    "euc_jp",
    "cp949",
    "euc_kr",
    "cp1251",
    "koi8_r",
    "cp1258",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
]


def _ranked_guesses(data: bytes) -> list[str]:
    matches = list(from_bytes(data[:262144]))

    def rank(match: CharsetMatch) -> tuple:
        preference = _WEB_PREFERENCE.index(match.encoding) if match.encoding in _WEB_PREFERENCE else 99
        return (round(match.chaos, 2), -round(match.coherence, 1), preference)

    return [match.encoding for match in sorted(matches, key=rank)]


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few KB, if any."""
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _mostly_utf8(data: bytes) -> DecodedText | None:
    """UTF-8 with a few damaged bytes (a truncated write, a bad proxy) keeps its article.

    Accepted only when the damage is rare and the rest is clearly UTF-8 (many valid multi-byte
    characters), so that legacy encodings, where every accented letter is invalid, go on to detection.
    """
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    valid_multibyte = sum(1 for ch in text if ch > "\x7f") - damaged
    if damaged <= max(1, len(data) // 1000) and valid_multibyte >= 10 * damaged:
        return DecodedText(text, f"utf-8 ({damaged} invalid byte sequences replaced)")
    return None


def decode_snapshot(data: bytes) -> DecodedText:
    """Decode one snapshot's bytes; raise UndecodableSnapshot with a reason when impossible."""
    if not data.strip():
        raise UndecodableSnapshot("empty file" if not data else "only whitespace")

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.replace("-sig", "") + " (BOM)")
            except UnicodeDecodeError as exc:
                raise UndecodableSnapshot(f"{encoding} byte-order mark but invalid {encoding}: {exc.reason}") from None

    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UndecodableSnapshot(f"binary file ({kind})")

    head = data[:65536]
    if b"\x00" in head:
        # UTF-16 without BOM shows NULs in every other byte of Latin text, and almost never in the others.
        even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
        half = max(1, len(head) // 2)
        for encoding, high, low in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
            if high < half * 0.3 or low > half * 0.02:
                continue
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _control_ratio(text[:5000]) < 0.01:
                return DecodedText(text, encoding)
        if head.count(b"\x00") > len(head) // 100 + 1:
            raise UndecodableSnapshot("binary content (NUL bytes)")
        # A few stray NULs in otherwise textual bytes are damage, not a reason to lose the page.
        data = data.replace(b"\x00", b"")

    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass

    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired

    declared = declared_charset(data)
    if declared:
        try:
            text = data.decode(declared)
            if _control_ratio(text[:5000]) < 0.01:
                return DecodedText(text, declared)
        except UnicodeDecodeError:
            pass

    for guess in _ranked_guesses(data):
        encoding = _SUPERSETS.get(guess, guess)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _control_ratio(text[:5000]) < 0.01:
            return DecodedText(text, codecs.lookup(encoding).name)
    raise UndecodableSnapshot("not text: no known encoding decodes it")
