# The two set-up commands of the README (`make run`, `make test`) and the benchmark (`make bench`).
# Each installs the system LMDB first when pkg-config cannot find it.

DATA ?= ./data

.PHONY: deps run test bench build clean

deps:
	@bash scripts/ensure-deps.sh

build: deps
	swift build --product sealhall

## Creates the store under $(DATA) when absent, loads seeds/ (once), lists the demo logins and the store's state.
run: build
	.build/debug/sealhall seed --data $(DATA) --seeds seeds
	.build/debug/sealhall log stats --data $(DATA)

## Every test: Swift Testing, debug build.
test: deps
	swift test --disable-xctest

## The benchmarks, release build; prints `bench <name> <value> <unit>` lines.
bench: deps
	swift build -c release --product sealhall
	.build/release/sealhall bench --scratch ./.bench

clean:
	rm -rf .build .bench
