# 排污许可证后管理系统 — `make run` starts everything with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1
export PORT ?= 8000

# Debian packages: WeasyPrint's libraries, fast font subsetting, a CJK font; Chromium for browser tests.
DEBS_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-wqy-microhei
DEBS_TEST := chromium
# The load generator of the API throughput benchmark (tests/bench/throughput.py).
DEBS_BENCH := wrk

.PHONY: install system-deps test-deps bench-deps run test bench bench-data bench-pages bench-throughput lint clean

# Installs missing Debian packages as root; otherwise says which ones to install and stops.
define ensure_debs
	@if command -v dpkg-query >/dev/null; then \
	  missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done | xargs); \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "安装 Debian 软件包：$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	    else \
	      echo "缺少 Debian 软件包：$$missing" >&2; \
	      echo "请以 root 执行：apt-get install $$missing" >&2; exit 1; \
	    fi; \
	  fi; \
	else echo "非 Debian 系统：请自行安装 $(1) 的等价软件包。" >&2; fi
endef

$(BIN)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "需要 Python 3.11，当前是 " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

system-deps:
	$(call ensure_debs,$(DEBS_RUNTIME))

test-deps:
	$(call ensure_debs,$(DEBS_TEST))

bench-deps:
	$(call ensure_debs,$(DEBS_BENCH))

install: system-deps $(BIN)/.installed

# make run serves as production does: DEBUG off (no debug pages), a secret key made once and kept in
# the data directory, the demo loaded on purpose (--force), on the embedded SQLite and file broker.
RUN_DATA := $(or $(DATA_DIR),var)
RUN_ENV = DEBUG=0 SECRET_KEY="$$(cat $(RUN_DATA)/secret_key)" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}"

run: install
	@mkdir -p $(RUN_DATA) && test -s $(RUN_DATA)/secret_key || \
	  (umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $(RUN_DATA)/secret_key)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --force
	@echo "启动 web + Celery worker + Celery beat：http://127.0.0.1:$(PORT)/ （Ctrl-C 全部停止）"
	$(RUN_ENV) $(BIN)/honcho -f config/Procfile -d . start

test: install test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install bench-deps
	$(BIN)/python -m pytest tests/bench -m bench -s

# API throughput beside a trivial view, on the PostgreSQL database of DATABASE_URL (seeded if empty).
bench-throughput: install bench-deps
	$(BIN)/python -m tests.bench.throughput

# The city-scale data set (issue 15) in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bureau_bench,
# dropped and re-created): make bench-data FACILITIES=10000; then every page against its own SQL.
FACILITIES ?= 100000
bench-data: install
	$(BIN)/python -m tests.bench.data --facilities $(FACILITIES)

bench-pages: install
	$(BIN)/python -m tests.bench.pages $(BENCH_PAGES_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf var/broker var/static var/test.sqlite3*
