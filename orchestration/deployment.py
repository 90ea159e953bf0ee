"""Production on Kubernetes: the settings the code reads, and the check that they fit a cluster.

With `NEWSETL_EXECUTOR=k8s` every step of a run is its own pod (dagster-k8s `k8s_job_executor`,
launched by the `K8sRunLauncher` of the official Helm chart; deploy/README.md). Pods share no disk:
the landing zone and the warehouse must be object-store URLs, and the DuckDB catalog (a local file by
nature) goes to a volume the pods mount, named by `NEWSETL_CATALOG`.
"""

import os
from collections.abc import Mapping

import dagster as dg

from newsetl.fs import is_url
from newsetl.settings import S3_ENVIRONMENT, SETTINGS_BY_NAME

EXECUTOR_ENV = SETTINGS_BY_NAME["executor"].env
LANDING_ENV = SETTINGS_BY_NAME["landing"].env
WAREHOUSE_ENV = SETTINGS_BY_NAME["warehouse"].env
CATALOG_ENV = SETTINGS_BY_NAME["catalog"].env

# Every setting the pipeline reads in a deployment, and what it is for. The Helm values in
# deploy/kubernetes/ set each of them (tests/test_deployment.py holds the two together).
ENVIRONMENT: dict[str, str] = {
    EXECUTOR_ENV: "k8s: one pod per step",
    LANDING_ENV: "s3://bucket/prefix the crawlers write raw snapshots to",
    WAREHOUSE_ENV: "s3://bucket/prefix of the Parquet warehouse",
    CATALOG_ENV: "folder on a shared volume for warehouse.duckdb (views over the S3 tables)",
    S3_ENVIRONMENT["region"]: "the bucket's region",
    S3_ENVIRONMENT["endpoint_url"]: "an S3-compatible server (MinIO, Ceph); empty for AWS S3 itself",
    S3_ENVIRONMENT["access_key_id"]: "from a Kubernetes secret (or use the pod's IAM role and leave both keys out)",
    S3_ENVIRONMENT["secret_access_key"]: "from a Kubernetes secret",
}
SECRET_SETTINGS = (S3_ENVIRONMENT["access_key_id"], S3_ENVIRONMENT["secret_access_key"])


def environment_problems(environ: Mapping[str, str] = os.environ) -> list[str]:
    """What stops a run from working when its steps are separate pods; empty when nothing does."""
    problems = []
    for name in (LANDING_ENV, WAREHOUSE_ENV):
        value = environ.get(name, "")
        if not is_url(value):
            shown = repr(value) if value else "unset (a folder inside the image)"
            problems.append(
                f"{name} is {shown}: step pods share no disk, it must be an object-store URL such as s3://bucket/prefix"
            )
    if not environ.get(CATALOG_ENV):
        problems.append(
            f"{CATALOG_ENV} is unset: warehouse.duckdb would be written inside a pod and lost; point it at a mounted "
            "volume"
        )
    return problems


def kubernetes_executor() -> dg.ExecutorDefinition:
    """dagster-k8s's k8s_job_executor, once the environment suits it (checked when the definitions load,
    so a misconfigured code location fails in the UI rather than in a half-finished run)."""
    problems = environment_problems()
    if problems:
        raise ValueError(f"{EXECUTOR_ENV}=k8s needs: " + "; ".join(problems))
    from dagster_k8s import k8s_job_executor

    return k8s_job_executor


# The pools the assets name: each guards what every batch shares (identical bytes kept by the first
# batch, first-seen order for near-duplicates, the dimensions and the catalog), so each holds one step
# at a time across all runs; the Helm values' pool limit says so (tests/test_deployment.py).
SERIAL_POOLS = ("newsetl_bronze", "newsetl_first_seen", "newsetl_catalog")
