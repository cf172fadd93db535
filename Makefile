# kazmig: thin wrapper over CMake/CTest. `make demo` and `make test` work on a fresh Debian 12.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR ?= ON
# Let ccache share results between clones in different folders (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all setup build demo test unit-test asan-test bench fuzz format format-check clean

all: build

setup:
	@bash scripts/setup-deps.sh

$(BUILD)/build.ninja: | setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAZMIG_WERROR=$(WERROR) -DKAZMIG_MPI=ON $(CMAKE_FLAGS) >/dev/null

build: setup $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/bin/kazmig

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory asan-test

$(ASAN_BUILD)/build.ninja: | setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAZMIG_SANITIZE=ON \
	  -DKAZMIG_UNIT_TESTS_ONLY=ON -DKAZMIG_WERROR=$(WERROR) -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null

asan-test: setup $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS) -L unit

bench: setup
	@cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAZMIG_BENCH=ON >/dev/null
	@cmake --build $(BUILD)-bench -j $(JOBS)
	@bash bench/run.sh $(BUILD)-bench

fuzz: setup
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DKAZMIG_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target kazmig_csv_fuzz
	@mkdir -p build-fuzz/corpus/csv && cp tests/fuzz/corpus/csv/* build-fuzz/corpus/csv/ 2>/dev/null || true
	@build-fuzz/bin/kazmig_csv_fuzz -max_total_time=$${FUZZ_SECONDS:-180} build-fuzz/corpus/csv

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) $(BUILD)-bench build-fuzz
