"""The code versions of the partitioned assets: what Dagster compares to mark a batch's partitions
stale, so that reprocessing after an upgrade is a version change plus a backfill.

Bump a constant when the same input gives different output (a reader, the extractor, the star
schema's rules); the gazetteer is data, so its version is a digest of its files.
"""

import hashlib
from functools import cache

from newsetl.dedupe import SCHEME

BRONZE = "1"  # landing readers and the snapshot id
EXTRACT = "1"  # decoding, main-text extraction, page kinds, the title/date rankers
STAR = "1"  # facts from articles


@cache
def gazetteer() -> str:
    from newsetl.countries.paths import GAZETTEER_DIR

    # Every file of it: a curated lemma or a regenerated form table changes matches without touching
    # countries.tsv or the recorded source versions.
    digest = hashlib.sha256()
    for path in sorted(p for p in GAZETTEER_DIR.rglob("*") if p.is_file() and p.suffix != ".md"):
        digest.update(path.relative_to(GAZETTEER_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def silver() -> str:
    return f"extract{EXTRACT}-gazetteer{gazetteer()}-{SCHEME}"


def facts() -> str:
    # The facts read the articles' country matches, so a gazetteer change reaches them through silver;
    # their own rules are STAR, and country_key comes from the gazetteer.
    return f"star{STAR}-gazetteer{gazetteer()}"
