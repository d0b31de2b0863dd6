# Opis: `make run` for a local site, `make test` for the test suite. Both use the PostgreSQL server that
# DATABASE_URL names, or else start the embedded one (archive/embedded_db.py; data in var/postgres/) and stop it after.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Runs a command with DATABASE_URL set: the given server, or the embedded one for the command's duration.
WITH_DB := $(PY) -m archive.embedded_db run --

# The first Python 3.12+ found: on PATH, then under pyenv (whose shims only run a version when selected).
define FIND_PYTHON
for c in python3.14 python3.13 python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
done; \
root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
for p in $$(ls -d $$root/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
done; exit 1
endef
export FIND_PYTHON

.PHONY: run test install migrate demo db-start db-stop clean bench screenshots scale-test

$(VENV)/.installed: requirements.txt requirements-no-deps.txt
	@PYTHON=$$(sh -c "$$FIND_PYTHON") || { \
	  echo "Opis needs Python 3.12 or newer (Django 6 requires it), and none was found."; \
	  echo "Install python3.13 (Debian 13: apt-get install python3.13 python3.13-venv) or pyenv install 3.13."; \
	  exit 1; }; \
	echo "Using $$PYTHON ($$($$PYTHON --version))"; \
	test -x $(PY) || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-no-deps.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(WITH_DB) $(PY) manage.py migrate --noinput

demo: install
	$(WITH_DB) sh -c '$(PY) manage.py migrate --noinput && $(PY) manage.py load_demo'

# The task worker runs large admin imports in the background; it stops with the server.
run: install
	@mkdir -p var
	@$(WITH_DB) sh -c '$(PY) manage.py migrate --noinput && $(PY) manage.py load_demo \
	  && $(PY) manage.py setup_roles && $(PY) manage.py create_curator \
	  && echo "Public site: http://127.0.0.1:$(PORT)/   Curation: http://127.0.0.1:$(PORT)/curation/" \
	  && { $(PY) manage.py db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
	       $(PY) manage.py runserver 127.0.0.1:$(PORT); }'

test: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(WITH_DB) sh -c '$(PY) manage.py makemigrations --check --dry-run && $(PY) -m pytest $(PYTEST_ARGS)'

# The scale-out rehearsal alone (also part of `make test`): primary, streaming replica, Redis, two app servers and
# the worker, started from the project's files and tested over HTTP (docs/deploy.md). OPIS_PG_BINDIR picks the
# PostgreSQL binaries (default: the embedded wheel's).
scale-test: install
	$(PY) -m pytest -m scale $(PYTEST_ARGS)

# The browser tests again, keeping their screenshots (1366 and 390 px, both languages) in docs/screenshots/.
screenshots: install
	$(WITH_DB) sh -c 'OPIS_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -m browser $(PYTEST_ARGS)'

# The embedded server by hand (make run and make test start and stop it themselves).
db-start: install
	$(PY) -m archive.embedded_db start

db-stop: install
	$(PY) -m archive.embedded_db stop

# Benchmarks at scale (bench/): build the collection once (reused while N and the migrations stay the same),
# then the budgets in-process, the throughput under gunicorn + wrk, and traffic as users make it (bench.traffic:
# seconds per scenario in BENCH_TRAFFIC_DURATION, other flags in BENCH_TRAFFIC_FLAGS, e.g. --only churn).
# Needs PostgreSQL; BENCH_DATABASE_URL names the database it fills.
BENCH_SOURCES ?= 1000000
BENCH_TRAFFIC_DURATION ?= 30
BENCH_TRAFFIC_FLAGS ?=
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/opis_bench
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) -m bench.generate --sources $(BENCH_SOURCES) --database-url $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.budgets; budgets=$$?; \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.throughput; throughput=$$?; \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.traffic --duration $(BENCH_TRAFFIC_DURATION) $(BENCH_TRAFFIC_FLAGS); \
	traffic=$$?; exit $$((budgets || throughput || traffic))

clean:
	-$(PY) -m archive.embedded_db stop
	rm -rf $(VENV) var .pytest_cache .ruff_cache
