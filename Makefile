# drumbeat: make build builds the example site into public/; make test runs every test.
GO      ?= go
NOW     ?= 2026-11-27
BIN     := bin/drumbeat
FUZZTIME ?= 10s

.PHONY: build test vet fuzz fuzz-short clean drumbeat

build: drumbeat
	./$(BIN) build --now $(NOW)
	@echo "open public/index.html in a browser"

drumbeat:
	$(GO) build -o $(BIN) ./cmd/drumbeat

vet:
	gofmt -l . | (! grep .) || (echo "gofmt: the files above need formatting" && exit 1)
	$(GO) vet ./...

test: vet
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz-short

# A short pass of every fuzz target (make fuzz FUZZTIME=5m for a long one).
fuzz-short:
	$(MAKE) fuzz FUZZTIME=3s

fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

clean:
	rm -rf public bin
