#!/usr/bin/env bash
# CI: `pip install .` alone (no lock file) must give a working pipeline. The lock pins the whole
# tree, so a dependency that pyproject.toml forgets to declare only shows up here: in a throwaway
# venv, install the project as a user would and run it on the bundled samples plus an HTML page.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --disable-pip-version-check -q .
mkdir -p "$scratch/landing"
cp samples/landing/* samples/html/ci-article.html "$scratch/landing/"
# Out of the source tree, so the installed package (not ./newsetl) is what runs.
cd "$scratch"
DAGSTER_HOME="$scratch/home" && mkdir -p "$DAGSTER_HOME" && export DAGSTER_HOME
"$scratch/venv/bin/newsetl" run --quiet --landing "$scratch/landing" --warehouse "$scratch/warehouse"
articles="$("$scratch/venv/bin/newsetl" query --warehouse "$scratch/warehouse" \
    "SELECT count(*) FROM articles WHERE source_file = 'ci-article.html'" --format csv | tail -n 1 | tr -d "\r")"
if [ "$articles" != "1" ]; then
    echo "ci-pip-install: the HTML sample gave no article (count: $articles)" >&2
    exit 1
fi
# The catalog's views and the reports come from sql/, which must be installed with the package.
"$scratch/venv/bin/newsetl" query --warehouse "$scratch/warehouse" "SELECT count(*) FROM mention_details" --format csv >/dev/null
test -s "$scratch/warehouse/reports/index.html"
echo "ci-pip-install: pip install . ran the pipeline, HTML page, sql/ views and reports included"
