#!/usr/bin/env bash
# Set up everything on a fresh machine and run the main job: the standalone
# server showing the Superstore sample in <perspective-viewer> (datagrid and
# charts) at http://127.0.0.1:${PORT:-8080}/ . Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
bash scripts/setup-js.sh

exec .venv/bin/python -m perspective_nb serve --host 127.0.0.1 --port "${PORT:-8080}" "$@"
