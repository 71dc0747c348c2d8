#!/usr/bin/env bash
# Times casebook against Hugo and the cmark-gfm floor on the same generated
# pages, and prints a Markdown table per corpus size.
#
#   bench/run.sh [--pages "4000 10000"] [--runs 5] [--casebook PATH] [--templates DIR] [--keep]
#
# --casebook defaults to build/casebook and --templates to templates/ of this
# repository; give both when timing another tree's binary (they must match).
#
# For each N: bench/corpus.py writes the corpus into a tmpfs folder (outputs go
# there too), every tool builds it once to check it (casebook with --strict,
# Hugo with and without highlighting, the floor), then RUNS timed rounds follow
# after one warm-up round. A round is one `hyperfine --runs 1` call over all
# five commands, in an order that rotates each round, so the tools alternate
# and a slow spell on the machine is shared between them. Every command runs
# under GNU time for its peak RSS. bench/report.py prints the medians.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
pages="4000 10000"
runs=5
casebook="$repo/build/casebook"
templates="$repo/templates"
keep=0

usage() {
  sed -n "5p" "$0" | sed "s/^#  *//" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --casebook) casebook=$2; shift 2 ;;
    --templates) templates=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

for tool in hyperfine hugo cmark-gfm python3 /usr/bin/time "$casebook"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "run.sh: '$tool' not found (sh tools/install-deps.sh bench; build casebook)" >&2
    exit 2
  }
done
work=$(mktemp -d /dev/shm/casebook-bench.XXXXXX)
cleanup() { [ "$keep" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
# Copies, so that a rebuild or a checkout during the run changes nothing.
casebook_source=$(readlink -f "$casebook")
templates_source=$(readlink -f "$templates")
cp "$casebook" "$work/casebook-bin"
cp -r "$templates" "$work/templates"
casebook="$work/casebook-bin"
templates="$work/templates"

machine_facts() {
  echo "## Machine"
  echo
  echo "- $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
  echo "- $("$casebook" --version | head -1); hugo $(hugo version | awk '{print $2}');" \
       "$(cmark-gfm --version | head -1 | awk '{print $1, $2}'); $(hyperfine --version); $(python3 --version)"
  echo "- casebook binary: $casebook_source ($(stat -c %y "$casebook_source" | cut -d. -f1)), templates: $templates_source"
  echo "- outputs on tmpfs ($work); $runs timed rounds after 1 warm-up round"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
}

# The five commands of size N, as name<TAB>output path<TAB>shell command.
# Each runs under GNU time, which appends its peak RSS (KiB) to rss-NAME.txt.
commands() {
  local d=$1 o=$1/out t="/usr/bin/time -f %M -a -o"
  printf '%s\t%s\t%s\n' \
    casebook "$o/casebook" "$t $d/rss-casebook.txt $casebook build --no-cache --content $d/casebook --templates $templates --out $o/casebook" \
    casebook-jobs1 "$o/casebook-jobs1" "$t $d/rss-casebook-jobs1.txt $casebook build --no-cache --jobs 1 --content $d/casebook --templates $templates --out $o/casebook-jobs1" \
    hugo "$o/hugo" "$t $d/rss-hugo.txt hugo --quiet -s $d/hugo -d $o/hugo" \
    hugo-nohl "$o/hugo-nohl" "$t $d/rss-hugo-nohl.txt hugo --quiet -s $d/hugo -d $o/hugo-nohl --config config.toml,nohl.toml" \
    cmark "$o/cmark.html" "cd $d/cmark && $t $d/rss-cmark.txt cmark-gfm -e table -e tasklist -e autolink -e strikethrough page-*.md > $o/cmark.html"
}

# Builds once with every tool and checks what came out: casebook accepts the
# corpus with --strict, default Hugo highlights code, the no-highlighting
# config really does not, and the floor rendered every page's table.
validate() {
  local d=$1 n=$2 v=$1/validate
  mkdir -p "$v"
  if ! "$casebook" build --strict --content "$d/casebook" --templates "$templates" --out "$v/casebook" > "$d/check.log" 2>&1; then
    cat "$d/check.log" >&2
    echo "run.sh: casebook build --strict failed on the corpus" >&2
    exit 1
  fi
  tail -1 "$d/check.log"
  hugo --quiet -s "$d/hugo" -d "$v/hugo"
  hugo --quiet -s "$d/hugo" -d "$v/hugo-nohl" --config config.toml,nohl.toml
  (cd "$d/cmark" && cmark-gfm -e table -e tasklist -e autolink -e strikethrough page-*.md > "$v/cmark.html")
  local hl nohl code tables
  hl=$(cat "$v"/hugo/page-*.html | grep -c 'class="highlight"' || true)
  nohl=$(cat "$v"/hugo-nohl/page-*.html | grep -c 'class="highlight"' || true)
  code=$(cat "$v"/hugo-nohl/page-*.html | grep -c '<pre><code class="language-' || true)
  tables=$(grep -c '<table>' "$v/cmark.html" || true)
  echo "check: hugo pages $(ls "$v"/hugo/page-*.html | wc -l), highlighted blocks $hl;" \
       "no-highlight blocks highlighted $nohl, plain $code; cmark tables $tables of $n"
  if [ "$hl" -lt "$n" ] || [ "$nohl" -ne 0 ] || [ "$code" -lt "$n" ] || [ "$tables" -ne "$n" ]; then
    echo "run.sh: the corpus check failed" >&2
    exit 1
  fi
  rm -rf "$v"
}

# One round: every command once, starting at command (round mod 5).
round() {
  local d=$1 r=$2 args=() lines i k
  mapfile -t lines < <(commands "$d")
  for ((i = 0; i < ${#lines[@]}; i++)); do
    k=$(( (i + r) % ${#lines[@]} ))
    IFS=$'\t' read -r name out cmd <<< "${lines[$k]}"
    args+=(--prepare "rm -rf $out" -n "$name" "$cmd")
  done
  hyperfine --runs 1 --style none --export-json "$d/round-$r.json" "${args[@]}"
}

measure() {
  local n=$1 d=$work/n$1 r
  echo "## $n pages"
  echo
  python3 "$here/corpus.py" "$n" "$d"
  validate "$d" "$n"
  mkdir -p "$d/out"
  for ((r = 0; r <= runs; r++)); do
    round "$d" "$r"
    if [ "$r" = 0 ]; then rm -f "$d"/round-0.json "$d"/rss-*.txt; fi  # the warm-up round
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  python3 "$here/report.py" table "$d"
  echo
  rm -rf "$d/out" "$d/casebook" "$d/hugo" "$d/cmark"
}

machine_facts
for n in $pages; do measure "$n"; done
python3 "$here/report.py" scaling $(for n in $pages; do echo "$work/n$n"; done)
