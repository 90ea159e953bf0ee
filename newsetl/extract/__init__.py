"""Article extraction: boilerplate removal and metadata for text and HTML snapshots in any language."""

from newsetl.article import ExtractedArticle, ExtractionContext
from newsetl.extract.html import extract_html
from newsetl.extract.language import detect_language
from newsetl.extract.repeated import learn_repeated_lines
from newsetl.extract.sources import normalize_source_name
from newsetl.extract.text import extract_plain_text
from newsetl.formats import looks_like_html

__all__ = ["detect_language", "extract_html", "extract_text", "learn_repeated_lines", "normalize_source_name"]

# The opening of a text is enough to tell a page from plain text (an XML prolog is well under this).
_HTML_SNIFF_CHARS = 4096


def extract_text(text: str, ctx: ExtractionContext) -> ExtractedArticle:
    """The article of a decoded text snapshot; raises NoArticle when there is none.

    Crawlers sometimes store a page's markup under a text name: such a snapshot goes to the HTML extractor.
    """
    if text and looks_like_html(text.lstrip()[:_HTML_SNIFF_CHARS].encode("utf-8", "surrogatepass")):
        return extract_html(text, ctx)
    return extract_plain_text(text, ctx)
