# Zona Integritas: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run worker serve-prod test test-fast test-browser lint check browser-deps clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Perlu $(PYTHON) (Debian: apt-get install python3.11 python3.11-venv)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py siapkan_demo

run: setup
	@echo ""
	@echo "  Zona Integritas berjalan di http://$(HOST):$(PORT)/"
	@echo "  Login demo (kata sandi: demo12345):"
	@echo "    admin        Admin (semua unit)"
	@echo "    sekretaris   Sekretaris Tim ZI, Dinas Sosial (dinsos-mojokerto)"
	@echo "    anggota1     Anggota Tim ZI, Dinas Sosial"
	@echo "    anggota2     Anggota Tim ZI, Dinas Sosial"
	@echo "    kepaladinas  Kepala Dinas Sosial"
	@echo "    tpi          Tim Penilai Internal (Dinas Sosial dan Dinas Kesehatan)"
	@echo "    sekretaris2  Sekretaris Tim ZI, Dinas Kesehatan (dinkes-mojokerto)"
	@echo "    anggota3     Anggota Tim ZI, Dinas Kesehatan"
	@echo "  Pekerja latar (PDF laporan, tanda tangan, ZIP bukti) berjalan bersama server."
	@echo ""
	@# the worker in its own session: Ctrl-C reaches it once, through the trap, and the
	@# task in hand is finished before it stops
	@setsid $(PY) manage.py pekerja & W=$$!; \
	  trap 'trap - EXIT INT TERM; kill -TERM $$W 2>/dev/null; wait $$W' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The background worker alone (docs/deploy.md: one per machine that runs tasks).
worker: $(STAMP)
	$(PY) manage.py pekerja

# Production (docs/deploy.md): settings from the environment (DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS, DATABASE_URL, ...), DEBUG off, no demo users, gunicorn + whitenoise.
serve-prod: $(STAMP)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "DJANGO_SECRET_KEY belum diisi (lihat docs/deploy.md)"; exit 1; }
	DJANGO_DEBUG=False $(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_DEBUG=False $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=False $(PY) manage.py siapkan_lke --tahun $$(date +%Y)
	DJANGO_DEBUG=False $(PY) manage.py collectstatic --noinput -v 0
	@# ZI_PEKERJA background workers beside gunicorn (default 1; 0 when workers run elsewhere)
	@pids=""; for i in $$(seq 1 $${ZI_PEKERJA:-1}); do \
	  DJANGO_DEBUG=False setsid $(PY) manage.py pekerja & pids="$$pids $$!"; done; \
	  trap 'trap - EXIT INT TERM; kill -TERM $$pids 2>/dev/null; wait $$pids' EXIT INT TERM; \
	  DJANGO_DEBUG=False $(VENV)/bin/gunicorn zona_integritas.wsgi -c zona_integritas/gunicorn_conf.py

# Chromium for the browser tests: Debian's package, never a downloaded browser.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  else echo "Chromium belum terpasang: sudo apt-get install chromium"; fi; }

test: setup browser-deps
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser"

test-browser: setup browser-deps
	$(PY) -m pytest -q -m browser

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var/screenshots
