"""The corpus validation groups pages by site and weighs every site alike in the macro figure."""

from newsetl.train.validate import _accuracy, site_of


def test_site_is_the_domain_else_the_source_folder():
    assert site_of({"id": "fun-0001", "url": "https://www.derstandard.at/story/1"}) == "derstandard.at"
    assert site_of({"id": "tra-0002", "url": None, "upstream_path": "tests/cache/a.html"}) == "tra:tests/cache"


def test_site_macro_weighs_sites_alike_and_skips_missing_labels():
    outcomes = [("a", True, None), ("a", True, None), ("a", True, None), ("b", False, None), ("c", None, True)]
    assert _accuracy(outcomes, 1) == (0.75, 0.5, 4, 2)
    assert _accuracy(outcomes, 2) == (1.0, 1.0, 1, 1)
