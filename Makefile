# The README's commands. Each target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
PORT ?= 8765
# Scrapyd: the scrapy.cfg [deploy] target, and the environment Scrapyd runs in.
SCRAPYD_TARGET ?= default
SCRAPYD_VENV ?= .scrapyd/venv

.PHONY: crawl test test-fast demo browser install install-dev bench bench-scale bench-extraction clean deploy schedule scrapyd scrapyd-host

# pytest caches the test modules it rewrites as bytecode; without the cache
# every run compiles them all again (seconds of make test-fast).
unexport PYTHONDONTWRITEBYTECODE

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

## test: the whole test suite, every tier, against local replicas of the site
test: install-dev browser
	$(BIN)/pytest $(ARGS)

## test-fast: the unit tier only, in seconds: no crawl, browser, Scrapyd or Redis (make test-fast ARGS='-k dates')
test-fast: install-dev
	$(BIN)/pytest -m unit $(ARGS)

## demo: serve the sample site on localhost and crawl it end to end, offline
demo: install browser
	scripts/demo.sh $(BIN) $(PORT)

## bench: speed and memory figures for the README and docs/benchmarks.md: the sample crawls, extraction, the web archive, then the crawls at scale (about half an hour)
bench: install-dev browser
	$(BIN)/python benchmarks/crawl_benchmark.py
	$(BIN)/python benchmarks/extraction_benchmark.py
	$(BIN)/python benchmarks/warc_benchmark.py
	$(BIN)/python benchmarks/scale_benchmark.py

## bench-scale: full and update crawls of 2,000- and 20,000-article replicas against scrapy bench (make bench-scale ARGS=300 for a quick check)
bench-scale: install-dev browser
	$(BIN)/python benchmarks/scale_benchmark.py $(ARGS)

## bench-extraction: article pages per CPU second, the project's extraction against trafilatura and parsel
bench-extraction: install-dev
	$(BIN)/python benchmarks/extraction_benchmark.py $(ARGS)

## scrapyd-host: Scrapyd's environment: Scrapyd, the project's dependencies and a browser (make scrapyd-host SCRAPYD_VENV=/opt/scrapyd/venv)
scrapyd-host:
	scripts/setup-scrapyd-host.sh $(SCRAPYD_VENV)

## scrapyd: run Scrapyd here, in the foreground, in .scrapyd/ with deploy/scrapyd.conf (needs SCRAPYD_USERNAME, SCRAPYD_PASSWORD)
scrapyd: scrapyd-host
	@test -n "$$SCRAPYD_USERNAME" -a -n "$$SCRAPYD_PASSWORD" || { echo "scrapyd: set SCRAPYD_USERNAME and SCRAPYD_PASSWORD" >&2; exit 1; }
	mkdir -p .scrapyd
	cp deploy/scrapyd.conf .scrapyd/scrapyd.conf
	cd .scrapyd && $(abspath $(SCRAPYD_VENV))/bin/scrapyd

## deploy: build the project's egg and upload it to Scrapyd (make deploy SCRAPYD_TARGET=remote; targets in scrapy.cfg)
deploy: install-dev
	@test -n "$$SCRAPYD_USERNAME" -a -n "$$SCRAPYD_PASSWORD" || { echo "deploy: set SCRAPYD_USERNAME and SCRAPYD_PASSWORD" >&2; exit 1; }
	$(BIN)/scrapyd-deploy $(SCRAPYD_TARGET)

## schedule: start a crawl on Scrapyd (make schedule ARGS='--wait -a base_url=http://127.0.0.1:8765'; scripts/schedule.py --help)
schedule:
	$(PYTHON) scripts/schedule.py $(ARGS)

clean:
	rm -rf build dist *.egg-info setup.py .pytest_cache

.PHONY: mutants
## mutants: mutation testing of the core modules against the unit tier, then the score per module; fails below 90% in total or 80% in a module (docs/testing.md#mutation-testing). make mutants ARGS='sulsel_crawler.dates.*' re-tests only those mutants of the last run
mutants: install-dev
	$(if $(ARGS),,rm -rf mutants)
	$(BIN)/mutmut run $(ARGS)
	$(BIN)/python scripts/mutation_score.py
