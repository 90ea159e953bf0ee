"""The Kubernetes deployment: the production definitions with the k8s executor, and the Helm values beside them."""

import os
import re
import subprocess
import sys

import dagster as dg
import pytest
import yaml

from newsetl import config
from newsetl.settings import Settings
from orchestration import deployment

DEPLOY = config.PROJECT_ROOT / "deploy"
VALUES = DEPLOY / "kubernetes" / "values.yaml"

PRODUCTION_ENV = {
    "NEWSETL_EXECUTOR": "k8s",
    "NEWSETL_LANDING": "s3://news-landing/crawl",
    "NEWSETL_WAREHOUSE": "s3://news-warehouse/newsetl",
    "NEWSETL_CATALOG": "/var/lib/newsetl/catalog",
}


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    return PRODUCTION_ENV


def _user_deployment() -> dict:
    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    (newsetl,) = values["dagster-user-deployments"]["deployments"]
    return newsetl


def test_production_definitions_load_with_the_k8s_job_executor(production_env) -> None:
    # A fresh interpreter loads the module the user-code server loads (`--module-name
    # orchestration.definitions`) in the production environment, as the pod does.
    probe = (
        "from dagster_k8s import k8s_job_executor\n"
        "from orchestration.definitions import PIPELINE_JOB, defs\n"
        "job = defs.resolve_job_def(PIPELINE_JOB)\n"
        "assets = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}\n"
        "print(job.executor_def is k8s_job_executor, job.executor_def.name, 'raw_snapshots' in assets and "
        "'warehouse_catalog' in assets)\n"
    )
    env = {**os.environ, **production_env}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=config.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["True", "k8s", "True"]


def test_k8s_setting_selects_the_k8s_job_executor(production_env) -> None:
    from dagster_k8s import k8s_job_executor

    from orchestration.definitions import build_definitions, executor_from_env
    from orchestration.jobs import PIPELINE_JOB

    assert executor_from_env() is k8s_job_executor
    assert build_definitions().resolve_job_def(PIPELINE_JOB).executor_def is k8s_job_executor


def test_default_executor_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.definitions import executor_from_env

    monkeypatch.delenv("NEWSETL_EXECUTOR", raising=False)
    assert executor_from_env() is dg.in_process_executor


@pytest.mark.parametrize(
    "unset, message",
    [("NEWSETL_WAREHOUSE", "NEWSETL_WAREHOUSE is unset"), ("NEWSETL_CATALOG", "NEWSETL_CATALOG is unset")],
)
def test_k8s_executor_refuses_settings_pods_cannot_share(
    production_env, monkeypatch: pytest.MonkeyPatch, unset: str, message: str
) -> None:
    from orchestration.definitions import executor_from_env

    monkeypatch.delenv(unset)
    with pytest.raises(ValueError, match=message):
        executor_from_env()


def test_k8s_executor_refuses_a_local_warehouse(production_env, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from orchestration.definitions import executor_from_env

    monkeypatch.setenv("NEWSETL_WAREHOUSE", str(tmp_path))
    with pytest.raises(ValueError, match="share no disk"):
        executor_from_env()


def test_helm_values_use_the_k8s_run_launcher_and_the_project_module() -> None:
    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    newsetl = _user_deployment()
    args = newsetl["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "orchestration.definitions"
    assert newsetl["includeConfigInLaunchedRuns"]["enabled"] is True


def test_helm_values_set_every_setting_the_code_reads_and_none_it_does_not() -> None:
    newsetl = _user_deployment()
    env = {item["name"]: item.get("value") for item in newsetl["env"]}
    secrets = [item["name"] for item in newsetl["envSecrets"]]
    secret_file = yaml.safe_load((DEPLOY / "kubernetes" / "s3-credentials.example.yaml").read_text(encoding="utf-8"))
    assert secret_file["metadata"]["name"] in secrets
    from_secret = set(secret_file["stringData"])

    assert set(env) | from_secret == set(deployment.ENVIRONMENT)
    assert from_secret == set(deployment.SECRET_SETTINGS) and not from_secret & set(env)  # keys never in plain values
    assert env["NEWSETL_EXECUTOR"] == "k8s"
    assert deployment.environment_problems(env) == []
    # The names are the code's: the resources read these, not look-alikes.
    assert {"NEWSETL_LANDING", "NEWSETL_WAREHOUSE"} <= set(env)
    mounts = {mount["mountPath"] for mount in newsetl["volumeMounts"]}
    assert env["NEWSETL_CATALOG"] in mounts


def test_helm_values_run_partitions_in_parallel_with_one_step_per_shared_pool() -> None:
    from orchestration.definitions import defs

    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert values["concurrency"]["runs"]["maxConcurrentRuns"] >= 2  # batches run side by side
    assert values["concurrency"]["pools"]["defaultLimit"] == 1
    named = {a.node_def.pool for a in defs.resolve_asset_graph().assets_defs if a.is_executable and a.node_def.pool}
    assert named == set(deployment.SERIAL_POOLS)  # every pool an asset names gets the limit of one


def test_helm_pod_cpu_limit_is_the_cleaning_worker_count(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsetl import cpus

    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    resources = values["runLauncher"]["config"]["k8sRunLauncher"]["runK8sConfig"]["containerConfig"]["resources"]
    limit = resources["limits"]["cpu"]
    assert resources["requests"]["cpu"] == limit  # the scheduler reserves what the workers use
    # What the kubelet makes of limits.cpu: a cgroup v2 cpu.max quota over a 100 ms period.
    (tmp_path / "pod").mkdir()
    (tmp_path / "pod" / "cpu.max").write_text(f"{int(float(limit) * 100000)} 100000\n")
    proc_cgroup = tmp_path / "cgroup"
    proc_cgroup.write_text("0::/pod\n")
    monkeypatch.setattr(cpus, "affinity_cpus", lambda: 64)  # the node's cores
    assert cpus.available_cpus(tmp_path, proc_cgroup) == int(float(limit))


def test_readme_and_dockerfile_name_the_same_settings_and_module() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for name in deployment.ENVIRONMENT:
        assert name in readme, name
    dockerfile = (config.PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"--module-name\"?,\s*\"orchestration\.definitions", dockerfile)
    assert "requirements.lock" in dockerfile


def test_lock_pins_the_dagster_libraries_the_pods_need() -> None:
    import dagster

    pins = dict(
        line.split("==")
        for line in (config.PROJECT_ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith(" ")
    )
    # dagster-k8s and dagster-postgres are released with dagster: 1.13.27 goes with 0.29.27.
    major, minor, patch = dagster.__version__.split(".")
    library = f"0.{int(minor) + 16}.{patch}"
    assert (pins["dagster"], pins["dagster-k8s"], pins["dagster-postgres"]) == (dagster.__version__, library, library)


def test_cleaning_starts_a_worker_per_cpu_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsetl import cpus, silver

    started: dict[str, int] = {}

    class RecordingPool:
        def __init__(self, max_workers: int, mp_context, **options) -> None:
            started["workers"] = max_workers

    monkeypatch.setattr(cpus, "available_cpus", lambda: 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)  # the node's cores: not what the process gets
    monkeypatch.setattr(silver, "warm_up", lambda: None)
    monkeypatch.setattr(silver, "ProcessPoolExecutor", RecordingPool)
    large = Settings().tuning.silver_parallel_threshold  # a batch large enough to be worth the processes
    silver._pool(large, Settings.from_environ({}))
    assert started == {"workers": 3}
    silver._pool(large, Settings.from_environ({"NEWSETL_WORKERS": "5"}))
    assert started == {"workers": 5}


def test_every_newsetl_setting_of_the_deployment_is_a_declared_setting() -> None:
    from newsetl.settings import SETTINGS_BY_ENV

    newsetl = _user_deployment()
    in_values = {item["name"] for item in newsetl["env"] if item["name"].startswith("NEWSETL_")}
    in_environment = {name for name in deployment.ENVIRONMENT if name.startswith("NEWSETL_")}
    assert in_values == in_environment and in_environment <= set(SETTINGS_BY_ENV)
    for name in in_environment:  # and each value the Helm chart sets is one the settings accept
        SETTINGS_BY_ENV[name].parse(next(item["value"] for item in newsetl["env"] if item["name"] == name))
