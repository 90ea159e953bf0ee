"""The names of the Dagster jobs, shared by the definitions that build them and the code that launches them."""

PIPELINE_JOB = "newsetl_pipeline"
REPORTS_JOB = "newsetl_reports"
REBUILD_JOB = "newsetl_rebuild"
RECLEAN_JOB = "newsetl_reclean"
CATALOG_JOB = "newsetl_catalog"
