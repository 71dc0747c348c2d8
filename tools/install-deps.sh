#!/bin/sh
# Installs the Debian packages that `make site` (argument "site"),
# `make test` (argument "test") or `make bench` (argument "bench") needs and
# that are missing. Safe to run again:
# when everything is present it only checks and returns.
set -eu

build_pkgs="cmake g++ make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
libyaml-cpp-dev libkainjow-mustache-dev libcli11-dev libxml2-dev blahtexml"
# Diagrams: Graphviz lays out ```dot blocks and measures their text in DejaVu
# Sans, so the same content gives the same drawing on every machine.
build_pkgs="$build_pkgs graphviz fonts-dejavu-core"
# Search: the site's search box runs Debian's lunr, which the build copies
# into the site (assets/lunr.js).
build_pkgs="$build_pkgs libjs-lunr"
# mimalloc: the casebook executable's allocator (see CMakeLists.txt).
build_pkgs="$build_pkgs libmimalloc-dev"
# Live preview: `casebook serve` is an HTTP server built on cpp-httplib.
build_pkgs="$build_pkgs libcpp-httplib-dev"
# poppler-utils: pdftoppm, pdftotext and pdfinfo read the PDFs the print and
# cheat-sheet tests make.
test_pkgs="libgtest-dev libgmock-dev chromium fonts-lmodern fonts-dejavu-core poppler-utils"
# bench/run.sh times casebook against Hugo and the cmark-gfm CLI with
# hyperfine, reads peak RSS from GNU time and generates its corpus in Python.
bench_pkgs="hyperfine hugo cmark-gfm time python3"

want=$build_pkgs
[ "${1:-site}" = test ] && want="$want $test_pkgs"
[ "${1:-site}" = bench ] && want="$want $bench_pkgs"

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
# Node.js and npm drive the browser tests. A machine may already have a newer
# Node from elsewhere; only when there is none do we take Debian's.
if [ "${1:-site}" = test ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

[ -z "$missing" ] && exit 0

echo "casebook: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "casebook: not root; run as root or install them yourself:" >&2
  echo "  apt-get install$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
# Fonts installed in this run may leave fontconfig's cache stale; dot would
# then rescan every font on each run (it cannot write the cache: casebook
# runs it without file writes). Refreshing it here is quick when it is current.
if command -v fc-cache >/dev/null 2>&1; then fc-cache >/dev/null 2>&1 || true; fi
