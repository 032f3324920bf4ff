# Quick start: `make render` and `make test` (see README). Both install what is missing.
SWIFT ?= swift
PREFIX ?= /usr/local
NOTERUN_RELEASE := .build/release/noterun
NOTERUN_DEBUG := .build/debug/noterun

.PHONY: render test build install bench format lint clean

render:
	@scripts/ensure-deps.sh build
	$(SWIFT) build -c release --product noterun
	$(NOTERUN_RELEASE) render Notes -o output

test:
	@scripts/ensure-deps.sh test
	$(SWIFT) build
	$(SWIFT) test
	$(NOTERUN_DEBUG) check Notes
	scripts/test-pythons.sh $(NOTERUN_DEBUG)

build:
	@scripts/ensure-deps.sh build
	$(SWIFT) build -c release --product noterun

# The binary carries its templates, styles and Python kernel: it runs from anywhere.
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(NOTERUN_RELEASE) $(DESTDIR)$(PREFIX)/bin/noterun

bench: build
	bench/run-all.sh

format:
	$(SWIFT) format format -i -r Sources Tests

lint:
	$(SWIFT) format lint -r Sources Tests

clean:
	rm -rf .build output
