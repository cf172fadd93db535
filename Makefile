# kazmig: thin wrapper over CMake/CTest. `make demo` and `make test` work on a fresh Debian 12.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR ?= ON
# Let ccache share results between clones in different folders (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all setup build install demo test unit-test asan-test bench fuzz format format-check clean

all: build

setup:
	@bash scripts/setup-deps.sh

$(BUILD)/build.ninja: | setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAZMIG_WERROR=$(WERROR) -DKAZMIG_MPI=ON $(CMAKE_FLAGS) >/dev/null

build: setup $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

# `make install` (PREFIX=~/.local by default): PREFIX/bin/kazmig and its data in PREFIX/share/kazmig.
PREFIX ?= $(HOME)/.local
install: build
	@bash scripts/install.sh $(BUILD)/bin/kazmig $(PREFIX)

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
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS) -L 'unit|fuzz'

bench: setup
	@cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAZMIG_BENCH=ON >/dev/null
	@cmake --build $(BUILD)-bench -j $(JOBS)
	@bash bench/run.sh $(BUILD)-bench

# The libFuzzer targets (every tests/fuzz/<name>_fuzz.cc) share FUZZ_SECONDS (default 450). `make
# test` runs each briefly through tests/fuzz/replay_main.cc (CTest fuzz.<name>).
FUZZ_BUILD ?= build-fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/%_fuzz.cc,%,$(wildcard tests/fuzz/*_fuzz.cc))
fuzz: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DKAZMIG_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) $(patsubst %,--target kazmig_%_fuzz,$(FUZZ_TARGETS))
	@set -e; each=$$(( $${FUZZ_SECONDS:-450} / $(words $(FUZZ_TARGETS)) )); [ $$each -ge 1 ] || each=1; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  if [ -d tests/fuzz/corpus/$$t ]; then cp tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/; fi; \
	  echo "fuzz: $$t for $$each s"; \
	  $(FUZZ_BUILD)/bin/kazmig_$${t}_fuzz -max_total_time=$$each $(FUZZ_BUILD)/corpus/$$t; \
	done

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) $(BUILD)-bench build-fuzz
