"""Property-based tests: the readers and the decoder never raise on arbitrary bytes or names.

(The cleaner's and the matcher's properties are in tests/extract and tests/countries.)
"""

import gzip
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsetl.article import Article, RejectedSnapshot
from newsetl.decode import UndecodableSnapshot, decode_snapshot
from newsetl.landing import RawSnapshot
from newsetl.process import process_one
from tests.landing_reader import read_landing

_NAMES = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda n: n not in {".", ".."} and not n.startswith("."))
_SUFFIXES = st.sampled_from([".txt", ".html", ".html.gz", ".warc", ".warc.gz", ".jsonl", ".jsonl.gz", ""])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_decode_returns_text_or_a_reason(data: bytes) -> None:
    try:
        decoded = decode_snapshot(data)
    except UndecodableSnapshot as exc:
        assert str(exc)
    else:
        assert isinstance(decoded.text, str) and decoded.encoding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAMES, suffix=_SUFFIXES, data=st.binary(max_size=2048), compress=st.booleans())
def test_reading_any_file_yields_snapshots_or_errors_never_raises(
    tmp_path_factory, name: str, suffix: str, data: bytes, compress: bool
) -> None:
    landing: Path = tmp_path_factory.mktemp("landing")
    payload = gzip.compress(data) if compress and suffix.endswith(".gz") else data
    try:
        (landing / f"{name}{suffix}").write_bytes(payload)
    except OSError:
        return  # a name the file system refuses is not ours to read
    snapshots, _ = read_landing(landing)
    found = list(snapshots)
    assert found, "a file must give at least one snapshot or one error"
    for snapshot in found:
        assert snapshot.source_file.startswith(f"{name}{suffix}")
        assert snapshot.read_error is None or snapshot.content == b""


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["text", "html"]))
def test_processing_any_bytes_gives_an_article_or_a_rejection(data: bytes, content_type: str) -> None:
    snapshot = RawSnapshot("f.txt", "text", content_type, data, ingested_at=datetime(2026, 1, 1))
    result = process_one(snapshot, frozenset())
    if isinstance(result, RejectedSnapshot):
        assert result.reason
    else:
        assert isinstance(result, Article) and result.title is not None and result.body
