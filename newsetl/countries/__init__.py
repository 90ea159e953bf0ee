"""Country gazetteer and matcher: which countries an article mentions, and the country dimension."""

from newsetl.countries.dimension import country_rows
from newsetl.countries.matcher import match_countries

__all__ = ["country_rows", "match_countries"]
