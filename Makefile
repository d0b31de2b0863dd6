# Opis: `make run` for a local site on SQLite, `make test` for the test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

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

.PHONY: run test install migrate demo lint messages clean bench

$(VENV)/.installed: requirements.txt
	@PYTHON=$$(sh -c "$$FIND_PYTHON") || { \
	  echo "Opis needs Python 3.12 or newer (Django 6 requires it), and none was found."; \
	  echo "Install python3.13 (Debian 13: apt-get install python3.13 python3.13-venv) or pyenv install 3.13."; \
	  exit 1; }; \
	echo "Using $$PYTHON ($$($$PYTHON --version))"; \
	test -x $(PY) || $$PYTHON -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py setup_roles
	$(PY) manage.py create_curator
	@echo "Public site: http://127.0.0.1:$(PORT)/   Curation: http://127.0.0.1:$(PORT)/curation/"
	@# The task worker runs large admin imports in the background; it stops with the server.
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --no-reload >var-worker.log 2>&1 & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks at scale (bench/): build the collection once (reused while N and the migrations stay the same),
# then the budgets in-process and the throughput under gunicorn + wrk. Needs PostgreSQL; BENCH_DATABASE_URL
# names the database it fills.
BENCH_SOURCES ?= 1000000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/opis_bench
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) -m bench.generate --sources $(BENCH_SOURCES) --database-url $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.budgets; budgets=$$?; \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.throughput; throughput=$$?; \
	exit $$((budgets || throughput))

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
