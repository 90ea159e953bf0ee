"""Where the gazetteer's data files live."""

from pathlib import Path

GAZETTEER_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
CURATED_DIR = GAZETTEER_DIR / "curated"
NAMES_FILE = "names.tsv.gz"
BLOCKS_FILE = "blocks.tsv.gz"
DISPLAY_NAMES_FILE = "display_names.tsv.gz"
COUNTRIES_FILE = "countries.tsv"
PROVENANCE_FILE = "provenance.json"
ADJECTIVES_FILE = "adjectives.tsv"
