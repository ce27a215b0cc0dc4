# The README's commands. Each target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
PORT ?= 8765

.PHONY: crawl test demo browser install install-dev bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

browser: $(BIN)/.installed
	scripts/install-browser.sh $(BIN)

## crawl: the whole live site into output/ (extra spider args/settings: make crawl ARGS='-s JOBDIR=crawls/full')
crawl: install browser
	$(BIN)/scrapy crawl sulselsatu $(ARGS)

## test: the whole test suite, against local replicas of the site
test: install-dev browser
	$(BIN)/pytest $(ARGS)

## demo: serve the sample site on localhost and crawl it end to end, offline
demo: install browser
	scripts/demo.sh $(BIN) $(PORT)

## bench: speed and memory figures for the README
bench: install-dev
	$(BIN)/python benchmarks/crawl_benchmark.py

clean:
	rm -rf build dist *.egg-info setup.py .pytest_cache
