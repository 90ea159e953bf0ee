"""Asset checks beside the assets they guard: the contract's invariants, blocking downstream work.

A check of a batch table in a partition run reads that partition only (the batch just written);
what spans batches is the catalog's warehouse_reconciliation check, run by every `newsetl run`.
"""

import dagster as dg

from newsetl import quality, schemas
from newsetl.batches import PARTITION_KEY
from orchestration.resources import WarehouseStore


def _metadata_value(value: object) -> dg.MetadataValue:
    if isinstance(value, (dict, list)):
        return dg.MetadataValue.json(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return dg.MetadataValue.text(str(value))
    return dg.MetadataValue.int(value) if isinstance(value, int) else dg.MetadataValue.float(value)


def _partition(context: dg.AssetCheckExecutionContext, table: str) -> str | None:
    """The `ingest_batch=<key>` folder the run wrote, for a batch table in a partition run; else None (whole table)."""
    run = context.op_execution_context
    if not schemas.DECLARATIONS[table].partitioned or not run.has_partition_key:
        return None
    return f"{PARTITION_KEY}={run.partition_key}"


def _result(outcome: quality.Outcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.summary,
        metadata={key: _metadata_value(value) for key, value in outcome.details.items()},
    )


def _table_checks(table: str) -> list[dg.AssetChecksDefinition]:
    @dg.asset_check(
        asset=table, name="contract_columns", blocking=True, description="The contract's columns, with their types."
    )
    def contract_columns(context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore) -> dg.AssetCheckResult:
        return _result(quality.contract_columns(warehouse.store(), table, _partition(context, table)))

    declaration = schemas.DECLARATIONS[table]
    key = ", ".join(declaration.key)

    @dg.asset_check(asset=table, name="unique_key", blocking=True, description=f"({key}) is unique and never null.")
    def unique_key(context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore) -> dg.AssetCheckResult:
        return _result(quality.unique_key(warehouse.store(), table, _partition(context, table)))

    columns = declaration.required_columns

    @dg.asset_check(
        asset=table, name="required_not_null", blocking=True, description=f"No nulls in {', '.join(columns)}."
    )
    def required_not_null(context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore) -> dg.AssetCheckResult:
        return _result(quality.not_null(warehouse.store(), table, columns, _partition(context, table)))

    return [contract_columns, unique_key, required_not_null]


def _keys_resolve(fact: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=fact, name="keys_resolve", blocking=True, description="Every key resolves in its dimension.")
    def keys_resolve(context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore) -> dg.AssetCheckResult:
        return _result(quality.keys_resolve(warehouse.store(), fact, _partition(context, fact)))

    return keys_resolve


@dg.asset_check(
    asset="articles",
    blocking=True,
    additional_deps=["rejected_snapshots", "raw_snapshots"],
    description="Reconciliation: every raw snapshot is an article or a rejection, never both, never neither.",
)
def every_snapshot_accounted(context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore) -> dg.AssetCheckResult:
    return _result(quality.every_snapshot_accounted(warehouse.store(), _partition(context, "articles")))


@dg.asset_check(
    asset="articles", blocking=True, description="No article is published after the snapshot that holds it."
)
def published_not_after_snapshot(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore
) -> dg.AssetCheckResult:
    return _result(quality.published_not_after_snapshot(warehouse.store(), _partition(context, "articles")))


@dg.asset_check(
    asset="raw_snapshots",
    blocking=True,
    description=(
        "The ingest batch still holds as many raw_snapshots rows as its run wrote (ingest_manifest), so an "
        "emptied partition fails loudly."
    ),
)
def ingested_snapshots_present(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore
) -> dg.AssetCheckResult:
    return _result(quality.ingested_snapshots_present(warehouse.store(), _partition(context, "raw_snapshots")))


@dg.asset_check(
    asset="warehouse_catalog",
    blocking=True,
    description=(
        "Across all ingest batches: keys unique over every partition of the batch tables, and each batch still "
        "holding the raw_snapshots rows its run wrote. DuckDB aggregates over key columns and footers."
    ),
)
def warehouse_reconciliation(warehouse: WarehouseStore) -> dg.AssetCheckResult:
    return _result(quality.warehouse_reconciliation(warehouse.store()))


@dg.asset_check(asset="articles", blocking=True, description="Every published date lies between 1990 and its snapshot.")
def published_in_plausible_range(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseStore
) -> dg.AssetCheckResult:
    return _result(quality.published_in_plausible_range(warehouse.store(), _partition(context, "articles")))


all_checks = [check for table in schemas.TABLES for check in _table_checks(table)]
all_checks += [_keys_resolve(table) for table, declaration in schemas.DECLARATIONS.items() if declaration.foreign_keys]
all_checks += [
    every_snapshot_accounted,
    published_not_after_snapshot,
    published_in_plausible_range,
    ingested_snapshots_present,
]
all_checks += [warehouse_reconciliation]
