"""Function words per language: jusText's stop lists, which ship inside its wheel (a trafilatura dependency)."""

from functools import cache
from pathlib import Path

import justext

_STOPLIST_FILES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "ru": "Russian",
    "uk": "Ukrainian",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "ro": "Romanian",
    "tr": "Turkish",
    "id": "Indonesian",
    "ms": "Malay",
    "vi": "Vietnamese",
    "ar": "Arabic",
    "fa": "Persian",
    "he": "Hebrew",
    "hi": "Hindi",
    "ko": "Korean",
    "sv": "Swedish",
    "da": "Danish",
    "nb": "Norwegian_Bokmal",
    "no": "Norwegian_Bokmal",
    "fi": "Finnish",
    "hu": "Hungarian",
    "el": "Greek",
    "ca": "Catalan",
    "bg": "Bulgarian",
    "sr": "Serbian",
    "hr": "Croatian",
    "tl": "Tagalog",
    "ur": "Urdu",
}


@cache
def stopwords(language: str | None) -> frozenset[str]:
    name = _STOPLIST_FILES.get(language or "")
    if not name:
        return frozenset()
    path = Path(justext.__file__).parent / "stoplists" / f"{name}.txt"
    return frozenset(w.strip().lower() for w in path.read_text("utf-8").splitlines() if w.strip())
