# drumbeat: make build builds the example site into public/; make test runs every test.
GO      ?= go
NOW     ?= 2026-11-27
BIN     := bin/drumbeat
FUZZTIME ?= 10s
# The Go toolchain: go1.26.10, which fixes the standard library's known
# vulnerabilities that go1.26.8 has (net/http, html/template, crypto/tls,
# crypto/x509: govulncheck in make lint). The go command fetches it from the
# Go module proxy the first time (about 76 MB, some seconds), whatever Go the
# machine has, as long as it is go1.21 or newer.
export GOTOOLCHAIN := go1.26.10
# WebP is always encoded by libwebp compiled to WebAssembly (github.com/gen2brain/webp),
# never by a libwebp.so the machine happens to have: the same bytes on every machine.
export GOFLAGS += -tags=nodynamic

.PHONY: build test test-quick test-heavy test-engines test-race test-race-all test-cmd test-plain vet lint lint-tools vulndb fuzz fuzz-short clean drumbeat vendor-echarts vendor-axe bench bench-smoke bench-photos example-photos

build: drumbeat
	./$(BIN) build --now $(NOW)
	@echo "open public/index.html in a browser"

drumbeat:
	$(GO) build -o $(BIN) ./cmd/drumbeat

vet:
	gofmt -l . | (! grep .) || (echo "gofmt: the files above need formatting" && exit 1)
	$(GO) vet ./...

# make lint: the checks beyond vet, each tool at a pinned version, installed
# by `go install module@version` into .tools/ (kept out of git; the file
# names carry the version, so changing a pin installs the new one).
# goimports must list no file (it also wants the standard library's imports
# in a group of their own), staticcheck must find nothing, go.mod and go.sum
# must be tidy, and govulncheck must find no vulnerability the code reaches
# but those .ci/vuln-accepted names, each with its reason (internal/vulngate
# reads govulncheck's JSON and prints every finding, accepted or not).
#
# govulncheck reads its database from a folder, built here from the module
# golang.org/x/vulndb at VULNDB_VERSION (the Go team's repository of reports,
# served by the module proxy like any module): its data/osv holds every report
# as OSV JSON, and its cmd/indexdb writes the index govulncheck -db file://
# reads. No other address is needed. The database is the snapshot of that
# pseudo-version's date; README ("Lint") says how to move the pin.
STATICCHECK_VERSION := v0.8.2
GOIMPORTS_VERSION   := v0.52.0
GOVULNCHECK_VERSION := v1.9.0
VULNDB_VERSION      := v0.0.0-20261105234957-e22db6528018
TOOLS := $(CURDIR)/.tools
STATICCHECK := $(TOOLS)/staticcheck-$(STATICCHECK_VERSION)
GOIMPORTS   := $(TOOLS)/goimports-$(GOIMPORTS_VERSION)
GOVULNCHECK := $(TOOLS)/govulncheck-$(GOVULNCHECK_VERSION)
INDEXDB     := $(TOOLS)/indexdb-$(VULNDB_VERSION)
VULNDB      := $(TOOLS)/vulndb-$(VULNDB_VERSION)

# $(call go-install,module/cmd/name,version,destination)
define go-install
	@mkdir -p $(TOOLS)/gobin
	GOBIN=$(TOOLS)/gobin GOFLAGS= $(GO) install $(1)@$(2)
	mv $(TOOLS)/gobin/$(notdir $(1)) $(3)
endef

$(STATICCHECK):
	$(call go-install,honnef.co/go/tools/cmd/staticcheck,$(STATICCHECK_VERSION),$@)
$(GOIMPORTS):
	$(call go-install,golang.org/x/tools/cmd/goimports,$(GOIMPORTS_VERSION),$@)
$(GOVULNCHECK):
	$(call go-install,golang.org/x/vuln/cmd/govulncheck,$(GOVULNCHECK_VERSION),$@)
$(INDEXDB):
	$(call go-install,golang.org/x/vulndb/cmd/indexdb,$(VULNDB_VERSION),$@)

lint-tools: $(STATICCHECK) $(GOIMPORTS) $(GOVULNCHECK) $(INDEXDB)

vulndb: $(VULNDB)/index/db.json
$(VULNDB)/index/db.json: $(INDEXDB)
	@set -e; src=$$(GOFLAGS= $(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	rm -rf $(VULNDB).tmp; \
	$(INDEXDB) -vulns "$$src/data/osv" -out $(VULNDB).tmp; \
	rm -rf $(VULNDB) && mv $(VULNDB).tmp $(VULNDB); \
	echo "vulndb: $$(ls $(VULNDB)/ID/*.json | wc -l) reports from golang.org/x/vulndb@$(VULNDB_VERSION)"

lint: vet lint-tools vulndb
	@echo "goimports -l"; $(GOIMPORTS) -l . | (! grep .) || (echo "goimports: the files above need goimports -w" && exit 1)
	@echo "staticcheck"; $(STATICCHECK) -tags nodynamic,engines ./...
	@echo "go mod tidy -diff"; $(GO) mod tidy -diff
	@echo "govulncheck (database golang.org/x/vulndb@$(VULNDB_VERSION))"; $(GOVULNCHECK) -format json -db file://$(VULNDB) ./... > $(TOOLS)/govulncheck.json
	$(GO) run ./internal/vulngate -accepted .ci/vuln-accepted < $(TOOLS)/govulncheck.json

# make test runs three lanes at once, to keep both cores busy: the race
# lane, the cmd lane and the plain lane.
#
# The race lane runs every package but cmd/drumbeat and generator under the
# race detector, and of generator the tests whose builds exercise its
# goroutines in every way they run: a whole build of the example and its
# reproducibility, a cancelled build, check, remote downloads, the preview
# session's full builds and reads, the newsletter's files, held stories.
# generator's other 150-odd tests build the same pipeline again and again,
# through the same goroutines: under the race detector they added about two
# minutes of both cores to make test, so they run without it, in the plain
# lane. make test-race-all runs all of generator under the detector.
#
# generator/deploy imports the cloud providers' libraries (gocloud.dev): built
# under the race detector they cost minutes of compiling, for a package whose
# concurrency (parallel uploads) TestDeployToS3 drives through the program; it
# runs in the cmd lane, without the detector.
#
# The cmd lane runs cmd/drumbeat, then generator's browser tests (headless
# Chromium: one browser for all of them, each test in a tab and browser
# context of its own, on one build of the example served to all; see
# generator/internal/browsertest), both without the race detector. cmd/drumbeat's tests run the program as child processes (a
# build killed at random moments, signals, sends to Mailpit): the race
# detector made each child five times slower and saw nothing there that
# generator's own raced tests of the same code do not.
RACED := ^(TestBuildExample|TestBuildIsReproducible|TestBuildCancelledStopsWithinASecond|TestCheckExample|TestRemote.*|TestSession(DownloadsRemoteImages|FullBuildMatchesAll|StopsWhileReading)|TestNewsletterEmailFiles|TestHeldStoriesReachNoOutput)$$

# Every test shares one image cache (generator.Options reads
# DRUMBEAT_CACHE_DIR), warmed first by a check of the example outside the race
# detector: the example's photos are decoded once, not in every lane and in
# every copy of the example a test makes. The tests that are about a cold
# cache give their own folder.
TEST_CACHE := $(CURDIR)/.drumbeat-cache
export DRUMBEAT_CACHE_DIR ?= $(TEST_CACHE)

# Of generator/images, the race lane runs the tests of its shared state (the
# cache, the digest memo, the decoding budget, many goroutines at once); its
# pixel tests decode and resize photos, some twenty times slower under the
# detector, and run in the plain lane.
RACED_IMAGES := ^(TestConcurrent|TestCache|TestDerive|TestDigestMemo|TestBombRefusedWithBoundedHeap)$$

# Tests that run on one goroutine and take long under the race detector
# (9-20 times their plain time: the parsers on pathological and limit-size
# inputs, the job-by-job comparison of build and serve, the corpus shapes,
# the email chart's label boxes, the 100,000-row workbook and its heap
# measure): the race lane skips them and the plain lane runs them, so each
# still runs once in make test.
NORACE := ^(TestJobListsAgree|TestPageBuffersReused|TestPathologicalMarkdown|TestPartnersProblems|FuzzPartners|TestFrontMatterNesting|TestShapes|TestFindLongText|TestChartPNGLabelBoxes|TestWorkbookLargeSheetStreamed)$$
NORACE_PKGS := ./generator/render ./generator/render/markdown ./generator/load ./generator/corpus ./generator/typed ./generator/render/email

# The dev server's two longest tests (a story edited again and again, every
# path served) take 35-40 s each under the race detector and 3-4 s without:
# make test runs them plain (test-plain), and make test-heavy, which CI runs
# after make test, runs them under the race detector, so CI still races
# them and make test stays under four minutes on two cores.
RACE_HEAVY_SERVE := ^(TestServeEditStory|TestServePaths)$$

# The heaviest tests (killed and signalled builds and sends, the chaos send,
# the deploy to a real S3 server, the briefing's PDF, cold photo processing
# twice, the preview's edits against full builds, a cancelled build under the
# race detector, files of 200 MB and a million rows, every code point's slug)
# call heavy.Test (internal/heavy), which skips them under -short: make test
# and make test-quick run with -short, and make test-heavy runs them, those of
# RACED under the race detector as make test would; .ci/run runs make test,
# then make test-heavy, so CI runs every test. The browser tests run in make
# test without -short (make test-quick leaves them out). internal/heavy's test fails
# when HEAVY and the tests calling heavy.Test disagree.
HEAVY := ^(TestBenchSmoke|TestBrowserSearchFirstQueryFiles|TestBigObservations|TestBriefingPDF|TestBuildCancelledStopsWithinASecond|TestBuildIsReproducible|TestBuildStopsOnSignals|TestDeployToS3|TestEveryRune|TestKilledBuildLeavesPreviousSite|TestKilledIncrementalBuild|TestNewsletterSendChaos|TestNewsletterSendKilled|TestNewsletterSendKilledAnywhere|TestObservationsCap|TestPhotosReachReadersClean|TestServeStopsOnSignals|TestSessionEditsMatchFullBuild)$$
HEAVY_RACED := ^(TestBuildCancelledStopsWithinASecond|TestBuildIsReproducible)$$
SHORT := -short

test: vet
	@$(GO) run ./cmd/drumbeat check --now $(NOW) >/dev/null
	@$(MAKE) --no-print-directory -j3 test-race test-cmd test-plain

test-heavy:
	$(GO) test -count=1 -run '$(HEAVY)' -skip '$(HEAVY_RACED)' ./cmd/drumbeat ./cmd/drumbeat-corpus ./generator ./generator/load ./generator/slug
	$(GO) test -race -count=1 -run '$(HEAVY_RACED)' ./generator
	$(GO) test -short -race -count=1 -run '$(RACE_HEAVY_SERVE)' ./generator/serve

# The inner loop: every package's tests but the program's (cmd/drumbeat),
# the browser tests and the heavy ones, without the race detector.
test-quick:
	$(GO) test -short -count=1 -skip '^TestBrowser' $$($(GO) list ./... | grep -v -e '/cmd/drumbeat$$' -e '/generator/deploy$$' -e '/internal/s3test$$')

test-race:
	$(GO) test $(SHORT) -race -count=1 -skip '$(NORACE)|$(RACE_HEAVY_SERVE)' $$($(GO) list ./... | grep -v -e '/cmd/drumbeat$$' -e '/generator$$' -e '/generator/images$$' -e '/generator/deploy$$' -e '/internal/s3test$$')
	$(GO) test $(SHORT) -race -count=1 -run '$(RACED)' ./generator
	$(GO) test $(SHORT) -race -count=1 -run '$(RACED_IMAGES)' ./generator/images

test-race-all:
	$(GO) test -race -count=1 ./generator

# The browser tests are the longest lane (about three minutes): they run
# alone in it, and the program's tests run in the plain lane.
test-cmd:
	$(GO) test -count=1 -run '^TestBrowser' -skip '$(HEAVY)' ./generator

test-plain:
	$(GO) test $(SHORT) -count=1 -skip '$(RACED)|^TestBrowser' ./generator
	$(GO) test $(SHORT) -count=1 -skip '$(RACED_IMAGES)' ./generator/images
	$(GO) test $(SHORT) -count=1 -run '$(NORACE)' $(NORACE_PKGS)
	$(GO) test $(SHORT) -count=1 ./cmd/drumbeat ./generator/deploy
	$(GO) test $(SHORT) -count=1 -run '$(RACE_HEAVY_SERVE)' ./generator/serve

# The search page in the engines besides Chromium (issue #24): Firefox and
# WebKit (WebKitGTK, Safari's engine), driven over WebDriver by
# generator/internal/webdriver (Firefox through Marionette, WebKit through
# WebKitWebDriver in an Xvfb display of its own). The tests build only with
# the engines tag, so make test neither builds nor runs them (its four
# minutes are spent); vet sees them here. Debian: apt-get install
# firefox-esr webkit2gtk-driver xvfb; a missing one skips its test, or
# fails it with DRUMBEAT_REQUIRE_ENGINES=1 or CI=true (.ci/run runs this
# target after make test). make lint's staticcheck sees them (the tag).
ENGINE_TAGS := -tags=nodynamic,engines
test-engines:
	$(GO) vet $(ENGINE_TAGS) ./generator/internal/webdriver ./generator
	$(GO) test $(ENGINE_TAGS) -count=1 -v -run '^TestEngines' ./generator

# A short pass of every fuzz target: a fixed count of inputs, so the pass
# does not end on a deadline in the middle of a slow input (make fuzz
# FUZZTIME=5m for a long one). make test runs every target's seed corpus
# (testdata/fuzz and f.Add) as an ordinary test; the mutating pass builds
# each of the 35 targets again with fuzzing instrumentation, one after the
# other, which took about two and a half minutes of make test's time: .ci/run
# runs it after make test.
fuzz-short:
	$(MAKE) fuzz FUZZTIME=500x

fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

clean:
	rm -rf public bin

# Refresh the vendored echarts build from the npm registry (make vendor-echarts ECHARTS=5.6.0)
# and record its version and checksum in themes/default/static/vendor/echarts/VERSION.
ECHARTS ?= 5
ECHARTS_DIR := themes/default/static/vendor/echarts
vendor-echarts:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	(cd $$tmp && npm pack --silent echarts@$(ECHARTS) >/dev/null); \
	tar -xzf $$tmp/echarts-*.tgz -C $$tmp; \
	v=$$(node -p "require('$$tmp/package/package.json').version"); \
	mkdir -p $(ECHARTS_DIR); \
	cp $$tmp/package/dist/echarts.min.js $$tmp/package/LICENSE $$tmp/package/NOTICE $(ECHARTS_DIR)/; \
	sum=$$(sha256sum $(ECHARTS_DIR)/echarts.min.js | cut -d' ' -f1); \
	printf 'echarts %s\nsource: npm package echarts@%s, dist/echarts.min.js\nsha256: %s\n' $$v $$v $$sum > $(ECHARTS_DIR)/VERSION; \
	cat $(ECHARTS_DIR)/VERSION

# Refresh the vendored axe-core, the accessibility engine the browser tests
# inject into every page (make vendor-axe AXE=4.10.3). It is a test asset,
# never copied into a site: it lives under generator/internal/browsertest/axe.
AXE ?= 4
AXE_DIR := generator/internal/browsertest/axe
vendor-axe:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	(cd $$tmp && npm pack --silent axe-core@$(AXE) >/dev/null); \
	tar -xzf $$tmp/axe-core-*.tgz -C $$tmp; \
	v=$$(node -p "require('$$tmp/package/package.json').version"); \
	mkdir -p $(AXE_DIR); \
	cp $$tmp/package/axe.min.js $$tmp/package/LICENSE $(AXE_DIR)/; \
	sum=$$(sha256sum $(AXE_DIR)/axe.min.js | cut -d' ' -f1); \
	printf 'axe-core %s\nsource: npm package axe-core@%s, axe.min.js\nsha256: %s\n' $$v $$v $$sum > $(AXE_DIR)/VERSION; \
	cat $(AXE_DIR)/VERSION

# Benchmark drumbeat against Hugo on generated corpora of each shape
# (issue #21: today's corpus, tags, short, long, data; see README,
# Performance) and size, output on tmpfs: one warm-up pair, then BENCH_RUNS
# pairs alternating drumbeat and Hugo; medians, the ratio of the pairs with
# its range, the worst ratios and the machine; for the today shape, the site
# search's figures too (index size, a first query's bytes, the build with
# the index against without it; README, Search). BENCH_FLAGS adds flags (e.g.
# -json bench.json). Installs Hugo with the Go toolchain when it is missing.
HUGO_VERSION ?= v0.165.0
BENCH_SIZES ?= 1000,10000
BENCH_SHAPES ?= today,tags,short,long,data
BENCH_RUNS ?= 3
BENCH_FLAGS ?=
bench: drumbeat
	@command -v hugo >/dev/null 2>&1 || [ -x "$$($(GO) env GOPATH)/bin/hugo" ] || { echo "installing hugo $(HUGO_VERSION) (several minutes)"; $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION); }
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" $(GO) run ./cmd/drumbeat-corpus bench -n $(BENCH_SIZES) -shapes $(BENCH_SHAPES) -runs $(BENCH_RUNS) -browser -drumbeat ./$(BIN) $(BENCH_FLAGS)
	$(GO) test ./generator/ ./generator/render/ ./generator/render/card/ ./generator/render/chart/ -run '^$$' -bench . -benchtime 3x

# The benchmark at CI size: every shape at 50 stories (5 partners, 5
# metrics, 2,000 observation rows), one pair after the warm-up; fails unless
# both tools build every shape and each ratio is computed (no time is
# checked). go test ./cmd/drumbeat-corpus -run TestBenchSmoke (make test-heavy) does the same
# at 20 stories, with Hugo when it is installed.
bench-smoke: drumbeat
	@command -v hugo >/dev/null 2>&1 || [ -x "$$($(GO) env GOPATH)/bin/hugo" ] || { echo "installing hugo $(HUGO_VERSION) (several minutes)"; $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION); }
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" $(GO) run ./cmd/drumbeat-corpus bench -n 50 -runs 1 -partners 5 -metrics 5 -rows 2000 -require-hugo -drumbeat ./$(BIN)

# Benchmark image processing (issue #18) on a corpus of BENCH_PHOTOS_N stories,
# each a page bundle with a 4000×3000 photo (2.2 MB, on tmpfs: about 2.5 GB
# per 1,000 stories with the outputs): cold drumbeat (empty cache folder)
# against cold Hugo (no resources/_gen, a fresh cache folder, --ignoreCache),
# then warm drumbeat against drumbeat on the same stories without photos, in
# alternating pairs. BENCH_PHOTOS_FLAGS=-hugo-only measures Hugo's side alone.
BENCH_PHOTOS_N ?= 1000
BENCH_PHOTOS_RUNS ?= 3
BENCH_PHOTOS_FLAGS ?=
bench-photos: drumbeat
	@command -v hugo >/dev/null 2>&1 || [ -x "$$($(GO) env GOPATH)/bin/hugo" ] || { echo "installing hugo $(HUGO_VERSION) (several minutes)"; $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION); }
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" $(GO) run ./cmd/drumbeat-corpus bench -photos -n $(BENCH_PHOTOS_N) -runs $(BENCH_PHOTOS_RUNS) -drumbeat ./$(BIN) $(BENCH_PHOTOS_FLAGS)

# Regenerate the example partnership's photos (painted by
# generator/internal/photogen, the same bytes each time for the same
# exiftool), with the metadata phones write, set by exiftool (Debian:
# apt-get install libimage-exiftool-perl), into their places in the example;
# generator/internal/photogen/PHOTOS.txt says what each carries. Approvals
# cover the photos: re-record them if the bytes changed.
example-photos:
	@command -v exiftool >/dev/null 2>&1 || { echo "example-photos needs exiftool (Debian: apt-get install libimage-exiftool-perl)"; exit 1; }
	rm -rf .photos-tmp && $(GO) run ./generator/internal/photogen/cmd -out .photos-tmp
	cp .photos-tmp/clinic-saturday.jpg static/images/lakeside-saturday.jpg
	cp .photos-tmp/coldchain-van.jpg content/stories/2026-07-16-cold-chain-handover/van-handover.jpg
	cp .photos-tmp/meeting-hall.jpg content/stories/2026-01-29-spotlight-hill-villages-parents/millbrook-hall.jpg
	rm -rf .photos-tmp