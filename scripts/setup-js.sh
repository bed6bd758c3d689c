#!/usr/bin/env bash
# Install the npm packages the standalone page and the browser tests use
# (package.json / package-lock.json at the repository root) into
# ./node_modules. Idempotent: does nothing when node_modules already matches
# the lock file; pass --force to reinstall from scratch.
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "setup-js: npm is required (Node.js >= 18)" >&2
    exit 1
fi

if [[ "${1:-}" != "--force" ]] && [[ -d node_modules ]] \
    && npm ls --all --omit=dev >/dev/null 2>&1 \
    && [[ node_modules/.package-lock.json -nt package-lock.json ]]; then
    echo "setup-js: node_modules is up to date"
    exit 0
fi

# npm ci empties node_modules first, following a symbolic link: never let it
# empty a node_modules shared with another checkout.
if [[ -L node_modules ]]; then
    if npm ls --all --omit=dev >/dev/null 2>&1; then
        echo "setup-js: node_modules (a link to $(readlink node_modules)) is up to date"
        exit 0
    fi
    echo "setup-js: node_modules is a link to $(readlink node_modules) and does not match" \
        "package.json; run scripts/setup-js.sh in the checkout it belongs to" >&2
    exit 1
fi

# npm ci installs exactly the lock file's versions (and wipes node_modules first).
npm ci --no-audit --no-fund
echo "setup-js: installed $(npm ls --depth=0 --parseable | tail -n +2 | wc -l) packages into node_modules"
