"""The fixed site-disjoint split of the labelled corpus: which sites are held out for validation.

Every learned model trains only on the other sites, and the evaluation gate (`newsetl eval-gate`) measures
on these, so a figure printed for the validation slice comes from sites no model and no rule was fitted
on. A site's side is a pure function of its name (a hash), so the split never changes when pages are
added and needs no list kept by hand.
"""

import hashlib

from newsetl.train.validate import site_of

# One site in five: ~370 of the 1,756 pages, enough per renderer for the German and English figures.
VALIDATION_SHARE = 5


def is_validation_site(site: str) -> bool:
    return hashlib.sha256(site.encode("utf-8")).digest()[0] % VALIDATION_SHARE == 0


def is_validation_page(label: dict) -> bool:
    return is_validation_site(site_of(label))
