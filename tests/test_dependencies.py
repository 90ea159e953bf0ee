"""pyproject.toml declares everything the pipeline imports: `pip install .` without the lock must work.

The lock pins the whole tree, so a package pulled in only by the lock hides a missing declaration;
scripts/ci-pip-install.sh runs the real install, these tests catch the omission without a network.
"""

import ast
import importlib.metadata
import re
import sys
import tomllib

from newsetl import config

_PACKAGES = ("newsetl", "assets", "orchestration")
# Extras whose packages only one command imports: `newsetl bench`, the gazetteer build, model training.
_TOOL_EXTRAS = ("bench", "gazetteer", "train")


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lines: list[str]) -> dict[str, str]:
    return {_name(line): line.split("==", 1)[1].split(";")[0].strip() for line in lines if "==" in line}


def _project() -> dict:
    return tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared() -> dict[str, str]:
    return _pins(_project()["dependencies"])


def _declared_for_tools() -> set[str]:
    extras = _project()["optional-dependencies"]
    return {name for extra in _TOOL_EXTRAS for name in _pins(extras[extra])}


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for package in _PACKAGES:
        for source in (config.PROJECT_ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - set(_PACKAGES)


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = set(_declared())
    providers = {
        module: {_name(n) for n in distributions.get(module, [module])} for module in _imported_top_level_modules()
    }
    undeclared = {
        module: names for module, names in providers.items() if not names & (declared | _declared_for_tools())
    }
    assert not undeclared, f"imported but not in pyproject.toml dependencies: {undeclared}"


def test_lxmls_html_cleaner_is_declared_because_lxml_no_longer_ships_it() -> None:
    # trafilatura and jusText import lxml.html.clean; since lxml 5.2 that module is lxml_html_clean.
    import lxml.html.clean  # noqa: F401  (fails here, as in a clean venv, when the project is missing)

    assert "lxml-html-clean" in _declared()


def test_declared_pins_match_the_lock() -> None:
    locked = _pins(
        [
            line
            for line in (config.PROJECT_ROOT / "requirements.lock").read_text().splitlines()
            if not line.startswith("#")
        ]
    )
    mismatched = {name: (pin, locked.get(name)) for name, pin in _declared().items() if locked.get(name) != pin}
    assert not mismatched, f"pyproject.toml pin vs requirements.lock: {mismatched}"
