import pytest

from newsetl import formats
from newsetl.evaluation import is_html_file


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", ("text", False)),
        ("a/b/page.html", ("html", False)),
        ("a.html.gz", ("html", True)),
        ("export.ndjson.gz", ("jsonl", True)),
        ("PAGE.HTM.GZ", ("html", True)),
        ("x.xhtml", ("html", False)),
        ("crawl.warc.gz", ("warc", True)),
        ("old.arc", ("warc", False)),
        ("feed.ndjson", ("jsonl", False)),
        ("feed.jsonl.gz", ("jsonl", True)),
        ("page.inner.txt", ("text", False)),
        ("README", ("text", False)),
        ("html", ("text", False)),  # a suffix, not a word anywhere in the name
    ],
)
def test_classify_by_suffix(name, expected):
    fmt, compressed = formats.classify(name)
    assert (fmt.name, compressed) == expected


def test_every_suffix_classifies_to_its_format():
    for fmt in formats.FORMATS.values():
        for suffix in fmt.suffixes:
            assert formats.classify("file" + suffix) == (fmt, False)
            assert formats.classify("file" + suffix + formats.COMPRESSED_SUFFIX) == (fmt, True)


def test_only_warc_and_jsonl_are_containers():
    assert {name for name in formats.FORMATS if formats.is_container(name)} == {"warc", "jsonl"}


def test_eval_buckets_records_of_containers_apart():
    assert is_html_file("site/page.htm.gz")
    assert not is_html_file("site/crawl.warc.gz#3")
    assert not is_html_file("site/page.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><p>x",
        b"  \n<html lang=en>",
        b"<HTML>\n",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
    ],
)
def test_html_openings_are_recognised(data):
    assert formats.looks_like_html(data)


@pytest.mark.parametrize(
    "data",
    [
        b"Plain news text that quotes <html> later.",
        b"<htmlish>",
        b"<?xml version='1.0'?><rss>",
        b"",
    ],
)
def test_other_openings_are_not_html(data):
    assert not formats.looks_like_html(data)
