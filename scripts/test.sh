#!/usr/bin/env bash
# Run every Careleaf test (lint, format and type checks; unit, build and browser tests).
#   bash scripts/test.sh [--fast] [pytest options]
# Run scripts/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "No .venv: run 'bash scripts/setup.sh' first." >&2
  exit 2
fi
export NO_MKDOCS_2_WARNING=1
# --fast: the editing loop. Leaves out real builds, the browser, the audit tools and the package index
# (markers set by tests/conftest.py from what each test reaches) and fuzzes with fewer examples.
arguments=()
fast=no
for argument in "$@"; do
  if [ "$argument" = "--fast" ]; then
    fast=yes
    arguments+=(-m "not build and not browser and not audit and not network")
    export CARELEAF_FUZZ_EXAMPLES="${CARELEAF_FUZZ_EXAMPLES:-40}"
  else
    arguments+=("$argument")
  fi
done
# Every core (pytest-xdist). The whole suite sends a test file to a worker, so each file's fixtures are
# built once, the longest files first (tests/conftest.py orders them); the fast loop, with no costly
# fixtures, sends single tests.
if [ "$fast" = no ]; then
  # The 25 slowest steps are listed at the end: where the suite's time goes, for whoever shortens it.
  # One worker more than the cores: a third of the suite's time is spent waiting on browsers and servers.
  arguments=(-n "$(($(nproc) + 1))" --dist loadfile --no-loadscope-reorder --durations=25 "${arguments[@]}")
else
  arguments=(-n auto --dist load "${arguments[@]}")
fi
# Lint, format and types first: a second each, and they name the line.
.venv/bin/ruff check --quiet scripts tests
.venv/bin/ruff format --check --quiet scripts tests
.venv/bin/mypy
exec .venv/bin/python -m pytest "${arguments[@]}"
