#!/usr/bin/env bash
# Set up Careleaf on a fresh Debian machine and build the site into site/.
#   bash scripts/setup.sh
# Installs Debian's Chromium, Noto fonts and Poppler (browser tests, handouts), a virtual
# environment with the pinned Python packages, validates the content, builds the site and
# its PDF handouts, and the offline kiosk copy (dist/).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(chromium fonts-noto-core fonts-noto-cjk poppler-utils)
command -v npm >/dev/null 2>&1 || debian_packages+=(nodejs npm)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
# Front-end assets pinned in package-lock.json (the kiosk's iframe-worker shim), never a CDN.
npm ci --no-audit --no-fund --loglevel=error

.venv/bin/python scripts/validate.py
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict
.venv/bin/python scripts/build_handouts.py --site site
.venv/bin/python scripts/build_kiosk.py --dist dist
echo "Site built in site/ ($(find site -name index.html | wc -l) pages, $(find site/handouts -name '*.pdf' | wc -l) PDF handouts); kiosk copy in dist/."
