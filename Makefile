# embeddb: build, test, benchmark, fuzz.  Needs only Go (and ../shared for the
# tests that use real data; they skip with a message when it is absent).

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
PKGS      := ./...
FUZZTIME  ?= 30s
BENCH     ?= .
BENCHTIME ?= 1x
COUNT     ?= 1

.PHONY: all build test test-short bench lint fuzz golden cover walkthrough compare torture torture-flip web-browser clean

all: lint test build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/embeddb ./cmd/embeddb

# The tests that call testrace.Skip: they measure answers on thousands of
# rows or drive the command (built without -race) in other processes, run
# 4-30x slower under -race, and run in make test's second pass, without it
# (internal/testrace says why; its test holds these lists to the calls).
RACEFREE      := TestTSNE_Sklearn|TestHNSW_Recall|TestHNSW_ParallelBuild_Recall|TestHNSW_Quantized_Recall|TestHNSW_Calibrate|TestHNSW_RescoreCut|TestTorture|TestFlip
RACEFREE_PKGS := ./index ./plot ./internal/torture

# The whole test suite, as CI runs it: everything under the race detector,
# then the RACEFREE tests without it.
test:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -timeout 10m -run '^($(RACEFREE))$$' $(RACEFREE_PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

# Benchmarks; compare runs with benchstat (go run golang.org/x/perf/cmd/benchstat).
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count $(COUNT) -timeout 2h $(PKGS)

# gofmt, vet and staticcheck (pinned in go.mod as a tool: nothing to install).
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

# Runs every fuzz target for FUZZTIME each (a duration such as 10m, or a
# count such as 5000x; counts avoid golang/go#75804, a spurious "context
# deadline exceeded" from timed runs on a loaded machine in Go 1.26).
# FUZZ narrows the targets by regexp.
FUZZ ?= .
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' | grep -E '$(FUZZ)'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Rewrites golden files; review the diff.
golden:
	$(GO) test -count=1 $(PKGS) -args -update

cover:
	$(GO) test -count=1 -coverprofile=cover.out $(PKGS)
	$(GO) tool cover -func=cover.out | tail -1

# The seed's walkthrough: train on testdata/train-data.txt and query it.
walkthrough:
	$(GO) run ./cmd/embeddb -f testdata/walkthrough.sql

# embeddb beside its peers on the same data, one table each (needs Debian's
# python3-gensim, fasttext and python3-hnswlib; see the README's Performance):
# training (scripts/compare-train.sh), the HNSW index on 100k clustered
# vectors (scripts/compare-index.sh) and loading vector files
# (scripts/compare-load.sh).
compare:
	bash scripts/compare-train.sh
	bash scripts/compare-index.sh synthetic 100000
	sh scripts/compare-load.sh

# Kills the embeddb command at random moments while it writes (tables of
# every kind, with typed columns too: UPDATE, ALTER, IMPORT of JSON Lines
# and CSV, INSERT ... SELECT, scalar indexes) and checks every reopened
# file; TORTURE_SEED repeats a run.
TORTURE_ROUNDS ?= 1000
torture:
	$(GO) test -v -count=1 -timeout 3h -run '^TestTorture$$' ./internal/torture -args \
		-torture.rounds=$(TORTURE_ROUNDS) $(if $(TORTURE_SEED),-torture.seed=$(TORTURE_SEED))

# Flips one random byte of a database of every table kind per round and runs
# SELECT, NEAREST, VECTOR, CHECK DATABASE, VACUUM INTO and VACUUM on it in
# the embeddb command, each bounded in time and memory: any crash, hang or
# memory bound hit fails it. Needs prlimit (util-linux); FLIP_SEED repeats a run.
FLIP_ROUNDS ?= 1000
torture-flip:
	$(GO) test -v -count=1 -timeout 3h -run '^TestFlip$$' ./internal/torture -args \
		-flip.rounds=$(FLIP_ROUNDS) $(if $(FLIP_SEED),-flip.seed=$(FLIP_SEED))

# Drives the page of embeddb serve in headless Chromium (installs Debian's
# chromium and npm's puppeteer-core when missing) and keeps a screenshot.
web-browser:
	sh scripts/web-browser-test.sh

clean:
	rm -rf bin cover.out
