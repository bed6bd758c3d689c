#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it.
# Idempotent: re-running reuses .venv, .venv-oracle5 and node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

# perspective-python 5.6.1, a second oracle (tests/oracle5), in a venv of its
# own: it and 3.8.0 are both the `perspective` package.
if [ ! -x .venv-oracle5/bin/python ]; then
  "$PY" -m venv .venv-oracle5
fi
.venv-oracle5/bin/python -m pip install -q --upgrade pip
.venv-oracle5/bin/python -m pip install -q "perspective-python==5.6.1" pyarrow pandas duckdb polars

# npm packages (idempotent; never empties a node_modules linked from another checkout).
bash scripts/setup-js.sh

if [ -d tests/browser ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tests/browser needs Debian's chromium: sudo apt-get install -y chromium" >&2
  fi
fi

# tests/virtual and tests/conformance run Spark (pyspark) locally, which needs a Java 17+ runtime.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "tests/virtual and tests/conformance need Java 17 for Spark: sudo apt-get install -y openjdk-17-jre-headless" >&2
  fi
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .

# A pytest run, where "no tests collected" (exit 5) is a failure.
run_pytest() {
  set +e
  PERSPECTIVE_NB_REQUIRE_BROWSER=1 PERSPECTIVE_NB_REQUIRE_ORACLE5=1 \
    .venv/bin/python -m pytest "$@"
  local status=$?
  set -e
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: failing on purpose" >&2
    return 1
  fi
  return "$status"
}

if [ "$#" -gt 0 ]; then
  run_pytest "$@"
  exit $?
fi
# Notebook 7 runs in its own process: a JupyterLab app and a Notebook app
# started one after the other in one process do not both serve the widget.
NB7=tests/jupyter/test_notebook7_browser.py
status=0
run_pytest "$NB7" || status=$?
run_pytest --ignore="$NB7" || status=$?
exit "$status"
