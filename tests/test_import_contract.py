"""The import contracts: the library is Dagster-free (nothing under newsetl/ imports dagster,
orchestration or assets), and no module of newsetl/, assets/ or orchestration/ imports itself through
others (the import graph has no cycle).

Read from the source (every import statement, at any depth, lazy ones inside functions included), so
the contracts hold for code paths no other test happens to import.
"""

import ast
from pathlib import Path

import pytest

from newsetl import config

LIBRARY = config.PROJECT_ROOT / "newsetl"
PACKAGES = ("newsetl", "assets", "orchestration")
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


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project's modules `module` imports: `from a.b import c` is a.b.c when that is a module, else a.b."""

    def project_module(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(project_module(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            found.update(project_module(f"{base}.{alias.name}") for alias in node.names)
    return found - {None, module}


def import_graph(root: Path = config.PROJECT_ROOT) -> dict[str, set[str]]:
    paths = {_module_name(p, root): p for package in PACKAGES for p in (root / package).rglob("*.py")}
    known = set(paths)
    return {
        name: _imported_modules(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", known)
        for name, path in paths.items()
    }


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    return cycles


def test_the_cycle_finder_finds_a_cycle_through_lazy_and_relative_imports(tmp_path):
    (tmp_path / "newsetl" / "extract").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "orchestration").mkdir()
    (tmp_path / "newsetl" / "__init__.py").write_text("")
    (tmp_path / "newsetl" / "extract" / "__init__.py").write_text("from .html import parse\n")
    (tmp_path / "newsetl" / "extract" / "html.py").write_text("from newsetl.extract.text import clean\n")
    (tmp_path / "newsetl" / "extract" / "text.py").write_text("def clean():\n    from . import html\n")
    (tmp_path / "newsetl" / "spacing.py").write_text("import newsetl.extract.text\n")
    graph = import_graph(tmp_path)
    assert graph["newsetl.spacing"] == {"newsetl.extract.text"}
    assert import_cycles(graph) == [["newsetl.extract.html", "newsetl.extract.text"]]


def test_the_import_graph_has_no_cycle():
    # A cycle, even through a lazy import inside a function, means two modules that cannot be understood,
    # tested or moved apart; the shared part belongs in a third module both import.
    assert import_cycles(import_graph()) == []
