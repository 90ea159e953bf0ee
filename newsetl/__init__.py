"""newsetl: raw news snapshots in, a star-schema warehouse of country mentions out.

This package is the Dagster-free library: plain data in, plain data out.
"""

__version__ = "0.1.0"
