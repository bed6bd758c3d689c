#!/usr/bin/env bash
# Set up everything on a fresh machine and run the main job: JupyterLab on
# the example notebooks, opening notebooks/quickstart.ipynb, with the
# perspective_nb server extension and widget installed. Idempotent.
# It runs in its own virtualenv, .venv-demo, holding what a user installs
# (the "demo" extra of pyproject.toml) and nothing the test suite uses:
# the tests' .venv also holds perspective-python, whose JupyterLab
# extension would otherwise load beside ours.
# PORT picks the port (default 8888); extra arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-demo
PORT=${PORT:-8888}
say() { echo "demo: $*"; }

PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtualenv $VENV"
  "$PY" -m venv "$VENV"
fi
say "updating pip in $VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
say "installing the npm packages of package.json (scripts/setup-js.sh)"
bash scripts/setup-js.sh
say "installing perspective_nb, JupyterLab and pandas into $VENV"
say "(the first run also builds the JupyterLab extension with npm: a minute or two)"
# Editable: builds the prebuilt labextension (npm) and enables the server extension.
"$VENV/bin/python" -m pip install -q -e ".[demo]"

extra=()
if [ "$(id -u)" = "0" ]; then extra+=(--allow-root); fi
say "starting JupyterLab on notebooks/ at http://127.0.0.1:$PORT/lab (Ctrl+C stops it)"
cd notebooks
exec "../$VENV/bin/jupyter" lab --ip 127.0.0.1 --port "$PORT" "${extra[@]}" "$@" quickstart.ipynb
