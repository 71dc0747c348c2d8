#!/bin/sh
# Builds the libFuzzer targets (once) and fuzzes one of them:
#   tests/fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags]
# TARGET is yaml, source_file, markdown, term_matcher, svg or check. New
# inputs go to build-fuzz/corpus/TARGET; content/ and the test fixtures
# seed it. Crashes are written to build-fuzz/crash-* (and stop the run).
set -eu
cd "$(dirname "$0")/../.."
target=${1:?usage: tests/fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift $#
build=${BUILD_FUZZ:-build-fuzz}
if [ ! -x "$build/fuzz_$target" ]; then
  cmake -S . -B "$build" -DCASEBOOK_FUZZ=ON -DCASEBOOK_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "fuzz_$target"
fi
corpus="$build/corpus/$target"
mkdir -p "$corpus"
case $target in
  svg) seeds="tests/fuzz/seeds/svg" ;;
  *) seeds="content tests/golden tests/invalid" ;;
esac
# Leaks at exit are not findings here (caches live for the process).
ASAN_OPTIONS=detect_leaks=0 "$build/fuzz_$target" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/" "$@" "$corpus" $seeds
