"""The library never reads the environment: orchestration builds the Settings and passes them in.

Read from the source with ast, like tests/test_import_contract.py: every module under newsetl/, every
use of os.environ, os.environb, os.getenv, os.putenv or os.unsetenv (through an alias of os too) and
every import of those names from os is a failure, named by file and line.
"""

import ast

import pytest

from newsetl import config

LIBRARY = config.PROJECT_ROOT / "newsetl"
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place the source reaches the process environment through os."""
    tree = ast.parse(source)
    aliases = {"os"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "os"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [(node.lineno, f"from os import {a.name}") for a in node.names if a.name in ENVIRONMENT_NAMES]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT_NAMES
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return sorted(found)


def test_every_way_of_reaching_the_environment_is_found():
    source = (
        "import os\nimport os as system\nfrom os import environ, path\n"
        "a = os.environ.get('X')\nb = os.getenv('X')\nsystem.putenv('X', '1')\nc = path.join('a')\n"
    )
    assert environment_uses(source) == [
        (3, "from os import environ"),
        (4, "os.environ"),
        (5, "os.getenv"),
        (6, "system.putenv"),
    ]


def test_other_uses_of_os_are_not_reported():
    assert environment_uses("import os\nos.replace('a', 'b')\nenviron = {}\nenviron.get('x')\n") == []


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.py")), ids=lambda p: str(p.relative_to(LIBRARY)))
def test_library_module_reads_no_environment(path):
    where = path.relative_to(config.PROJECT_ROOT)
    offending = [f"{where}:{line}: {what}" for line, what in environment_uses(path.read_text(encoding="utf-8"))]
    assert not offending, "the library reads the environment (take a Settings instead): " + "; ".join(offending)
