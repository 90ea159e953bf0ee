"""Offline tools over the labelled training corpus: never imported by the pipeline."""
