#!/usr/bin/env bash
# Set up everything on a fresh machine and run the main job: JupyterLab on
# the example notebooks, opening notebooks/quickstart.ipynb, with the
# perspective_nb server extension and widget installed. Idempotent.
# PORT picks the port (default 8888); extra arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# Builds the prebuilt labextension (npm) and enables the server extension.
.venv/bin/python -m pip install -q -e ".[jupyter,pandas]" "jupyterlab>=4.4"
# npm packages for the standalone page (python -m perspective_nb serve).
bash scripts/setup-js.sh

extra=()
if [ "$(id -u)" = "0" ]; then extra+=(--allow-root); fi
cd notebooks
exec ../.venv/bin/jupyter lab --ip 127.0.0.1 --port "${PORT:-8888}" "${extra[@]}" "$@" quickstart.ipynb
