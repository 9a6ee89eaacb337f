#!/usr/bin/env bash
# Run every Careleaf test (unit, build and browser tests).
#   bash scripts/test.sh [pytest options]
# Run scripts/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "No .venv: run 'bash scripts/setup.sh' first." >&2
  exit 2
fi
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest "$@"
