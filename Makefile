# Quick start:  make run   (set up, then the main job on source/)
#               make test  (set up, then the whole test suite)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEBS_RUN := apertium-eng-spa gettext hunspell hunspell-es hunspell-en-us
DEBS_TEST := $(DEBS_RUN) chromium default-jre-headless

.PHONY: run test setup setup-test debs-run debs-test bench peers clean

run: setup
	$(VENV)/bin/translate run

test: setup-test
	$(PY) -m pytest -q

# Debian packages: installed when run as root and missing; otherwise say what is missing.
debs-run:
	@bash .ci/debs.sh $(DEBS_RUN)

debs-test:
	@bash .ci/debs.sh $(DEBS_TEST)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch comes in through argostranslate (stanza); pin the CPU build first.
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[argos,test]'
	touch $@

setup: debs-run $(VENV)/.installed

setup-test: debs-test $(VENV)/.installed

# The peers the benchmarks compare against (translate-toolkit's txt2po and pofilter) live in
# their own venv: translate-toolkit's Python package is also called `translate`.
peers:
	test -x .venv-peers/bin/python || python3 -m venv .venv-peers
	.venv-peers/bin/pip install -q translate-toolkit

bench: setup peers
	$(PIP) install -q -e '.[argos,test,bench,cluster]'
	$(PY) bench/segmenters.py
	$(PY) bench/segment.py
	$(PY) bench/mt.py
	$(PY) bench/scale.py
	$(PY) bench/quality.py
	$(PY) bench/tm_reuse.py
	$(PY) bench/check_accuracy.py --debian
	$(PY) bench/check_speed.py
	$(PY) bench/check_cluster.py
	$(PY) bench/review.py

clean:
	rm -rf editions .pytest_cache
