# 提案答复追踪 — the two commands of the README.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev lint bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .

install-dev: $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"

## make run: install, migrate, load the demo and serve on http://127.0.0.1:8000 (SQLite, Celery in-process)
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

## make test: install what the tests need and run them all against PostgreSQL and Redis
test: install-dev
	bin/install-system-deps
	bin/test

lint: install-dev
	$(VENV)/bin/ruff check .

bench: install
	$(PY) -m replies.parsing.bench
