from orchestration.bench.listing import NEW_FILES, listing_bench


def test_the_bounded_listing_finds_exactly_the_files_written_after_the_bound() -> None:
    report = listing_bench(2500, repeats=1)
    assert report["landing_files"] == 2500 + NEW_FILES
    assert report["new_files"] == NEW_FILES
    assert report["folders"] == 4
