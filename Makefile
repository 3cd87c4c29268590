# The two set-up commands of the README (`make run`, `make test`) and the benchmark (`make bench`).
# Each installs the system LMDB first when pkg-config cannot find it.

DATA ?= ./data

.PHONY: deps run test bench build clean

deps:
	@bash scripts/ensure-deps.sh

build: deps
	swift build --product sealhall

PORT ?= 8080

## Serves the hall on http://127.0.0.1:$(PORT)/ from the store under $(DATA), created and seeded when absent;
## prints the URL and the demo logins. Ctrl-C stops it cleanly.
run: build
	.build/debug/sealhall serve --data $(DATA) --seeds seeds --port $(PORT)

## Every test: Swift Testing, debug build.
test: deps
	swift test --disable-xctest

## The benchmarks, release build; prints `bench <name> <value> <unit>` lines.
bench: deps
	@bash scripts/ensure-deps.sh --bench
	swift build -c release --product sealhall
	.build/release/sealhall bench --scratch ./.bench

clean:
	rm -rf .build .bench
