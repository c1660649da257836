# Two commands for a newcomer: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=test-secret-key-not-for-production
# The browser tests' checkers, pinned, from the npm registry: axe-core (accessibility) and
# vnu-jar (the Nu HTML Checker, run with Debian's JRE). Bump both to each newest release.
AXE_VERSION := 4.14.1
VNU_VERSION := 26.9.27
AXE_DIR := .cache/axe
AXE_STAMP := $(AXE_DIR)/.installed-$(AXE_VERSION)-$(VNU_VERSION)
# Without npm the axe checks skip with a printed reason instead of failing `make test`.
AXE_DEP := $(if $(shell command -v npm 2>/dev/null),$(AXE_STAMP))

.PHONY: run serve test lint migrations-check pytest setup messages clean axe mutation bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# `make run PORT=8001` serves elsewhere; every address it prints, and the links in the
# notification e-mails, follow (SITE_URL).
PORT ?= 8000
RUN_URL = http://127.0.0.1:$(PORT)
RUN_ENV = $(DEV_ENV) SITE_URL=$(RUN_URL)

run: $(STAMP)
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py setup_roles
	$(RUN_ENV) $(PY) manage.py load_registry
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py load_directory
	$(RUN_ENV) $(PY) manage.py build_open_data
	$(RUN_ENV) $(PY) manage.py ensure_local_admin
	@echo "Serving $(RUN_URL)/ — the Nagano area: $(RUN_URL)/areas/nagano/"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# What the site never serves, left out of collectstatic (about 20 MB to hash and compress at
# each start): Django REST framework's browsable-API assets (the API answers JSON only) and
# ReDoc (the API's documentation is Swagger UI).
UNSERVED_STATIC := --ignore rest_framework --ignore redoc

# Production: settings from the environment (docs/deploy.md), gunicorn on $HOST:$PORT with
# $WEB_CONCURRENCY workers, one log line per request on standard output.
serve: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py build_open_data
	$(PY) manage.py collectstatic --noinput --verbosity 0 $(UNSERVED_STATIC)
	exec $(VENV)/bin/gunicorn config.wsgi --bind "$${HOST:-127.0.0.1}:$${PORT:-8000}" \
		--workers "$${WEB_CONCURRENCY:-2}" --access-logfile - --error-logfile - \
		--forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: lint migrations-check pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

migrations-check: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# One worker per core (pytest-xdist), each with its own test database and live servers; idle
# workers take tests from busy ones. A single file runs best alone: see README.
pytest: $(STAMP) $(AXE_DEP)
	$(TEST_ENV) $(PY) -m pytest -n auto --dist worksteal

# $(AXE_DIR)/node_modules/axe-core/axe.min.js, the file tests/e2e injects into each page, and
# $(AXE_DIR)/node_modules/vnu-jar/build/dist/vnu.jar, which checks each page's markup.
$(AXE_STAMP):
	rm -rf $(AXE_DIR)
	mkdir -p $(AXE_DIR)
	npm install --prefix $(AXE_DIR) --no-save --no-package-lock --no-audit --no-fund \
		--ignore-scripts --loglevel=error axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION)
	test -f $(AXE_DIR)/node_modules/axe-core/axe.min.js
	test -f $(AXE_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
	touch $@

axe: $(AXE_STAMP)

# Mutation testing of the rule modules (mutmut, configured in pyproject.toml; the last report
# is docs/mutation.md). Not part of `make test` or CI: it takes about an hour. Each mutant runs
# only the guarding tests that reach the mutated function, on a PostgreSQL test database that
# is created once and kept (--reuse-db), so one mutant at a time. MUTANTS narrows the run, e.g.
# `make mutation MUTANTS='agreements.services.*'`.
MUTATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rentai_mutation
# The rules of the models are their clean() methods and the helpers these call.
MUTANTS ?= agreements.status.* agreements.services.* agreements.stored_status.x_refresh* \
	agreements.stored_status.x_valid_until* agreements.stored_status.x__*_changed* \
	agreements.stored_status.x__agreement_saved* agreements.models.*clean* \
	agreements.models.*_check_both_passed* vision.progress.* vision.models.*clean* \
	vision.models.x__check_* vision.models.*takes_* vision.models.*refusal* \
	municipalities.codes.x_check_digit__* municipalities.codes.x_is_valid_code* \
	municipalities.codes.x_validate_local_government_code*

mutation: $(STAMP)
	rm -rf mutants
	$(TEST_ENV) DATABASE_URL=$(MUTATION_DATABASE_URL) $(VENV)/bin/mutmut run --max-children 1 \
		$(foreach name,$(MUTANTS),"$(name)")
	$(VENV)/bin/mutmut results

# Benchmark of the public pages at national scale and ten times that (bench/run.py says what
# it needs: PostgreSQL and Redis on this machine). About ten minutes; BENCH_QUICK=1 for a smoke
# run. Results in bench/results/latest.json.
bench: $(STAMP)
	$(PY) -m bench.run

# Regenerate the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemessages -l ja --no-obsolete --no-wrap --ignore=.venv --ignore=tests
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 $(AXE_DIR)
