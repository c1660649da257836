# Two commands for a newcomer: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=test-secret-key-not-for-production

.PHONY: run test lint migrations-check pytest setup messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) $(PY) manage.py ensure_local_admin
	@echo "Serving http://127.0.0.1:8000/ — the Nagano area: http://127.0.0.1:8000/areas/nagano/"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: lint migrations-check pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest

# Regenerate the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=tests
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3
