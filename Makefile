# The two commands a user needs. Both install what is missing, configure with
# CMake and build; `site` then writes site/, `test` runs every test.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
# Extra flags for `casebook build`, e.g. SITE_FLAGS="--base-url https://x/ --out public"
SITE_FLAGS ?=

.PHONY: site test sanitize bench build deps test-deps bench-deps clean

site: deps build
	$(BUILD)/casebook build --content content --templates templates --out site $(SITE_FLAGS)

test: test-deps build
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Every test but the browser ones, built with ASan and UBSan.
sanitize: test-deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DCASEBOOK_SANITIZE=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS) -LE browser

# casebook against Hugo and the cmark-gfm floor (bench/README.md), e.g.
# BENCH_FLAGS='--pages 4000 --runs 3'
BENCH_FLAGS ?=
bench: bench-deps build
	bench/run.sh --casebook $(BUILD)/casebook $(BENCH_FLAGS)

deps:
	sh tools/install-deps.sh site

bench-deps:
	sh tools/install-deps.sh bench

test-deps:
	sh tools/install-deps.sh test

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASEBOOK_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan
