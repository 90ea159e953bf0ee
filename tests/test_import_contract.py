"""The library is Dagster-free: nothing under newsetl/ imports dagster, orchestration or assets.

Read from the source (every import statement, at any depth, lazy ones inside functions included), so
the contract holds for code paths no other test happens to import.
"""

import ast

import pytest

from newsetl import config

LIBRARY = config.PROJECT_ROOT / "newsetl"
FORBIDDEN = ("dagster", "orchestration", "assets")


def _imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return sorted(found)


def test_the_contract_reads_lazy_imports_too():
    names = [name for _, name in _imports("def f():\n    from orchestration.cli import main\nimport dagster as dg\n")]
    assert names == ["orchestration.cli", "dagster"]


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.py")), ids=lambda p: str(p.relative_to(LIBRARY)))
def test_library_module_imports_no_orchestration(path):
    offending = [
        f"line {line}: {name}"
        for line, name in _imports(path.read_text(encoding="utf-8"))
        if name.split(".")[0] in FORBIDDEN
    ]
    assert not offending, f"{path.relative_to(config.PROJECT_ROOT)} imports {offending}"
