# Leg Numbness Assistant. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(PY) -m rasa
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install train run shell test test-unit test-integration lint typecheck check format validate test-stories clean

help:  ## list the targets
	@grep -E '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "%-20s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt .python-version
	@python_bin=$$(scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python_bin"; "$$python_bin" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip wheel 'setuptools<70'
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)  ## create .venv (Python 3.10) with the pinned requirements; a no-op when nothing changed

train: install  ## train the model when data, config or domain changed
	@$(PY) scripts/train_if_changed.py

run: train  ## start both servers under supervisord (restarted when they die) on SQLite, on 127.0.0.1 (HOST=0.0.0.0 for all)
	@scripts/run.sh

shell: train  ## chat in the terminal (starts the action server in the background)
	@SANIC_HOST=127.0.0.1 $(PY) -m rasa_sdk --actions actions --port 5055 >/dev/null 2>&1 & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; mkdir -p var; $(RASA) shell --model models/current.tar.gz --endpoints endpoints.yml

lint: install  ## ruff check and format check, then mypy (config in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m mypy

typecheck: install  ## mypy over bot/, actions/, tools/ and scripts/ (config in pyproject.toml)
	$(PY) -m mypy

# The tests of every folder that run without a server (server tests are collected
# only when their suite's variable is set, see each folder's conftest.py).
FAST_TEST_DIRS = $(UNIT_TEST_DIRS) tests/bench tests/channels tests/reliability tests/robustness

check: lint validate cause-table-check test-fast test-stories test-eval  ## the check while working (~2 min): ruff, mypy, rasa data validate, the cause table report up to date, every test that needs no server, the story tests, the own vignettes against their targets

test-fast: install  ## every test that needs no server (unit, NLU, vignette files, bench, channel and reliability units)
	$(PY) -m pytest $(FAST_TEST_DIRS) -q

format: install  ## apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

validate: install  ## rasa data validate (warnings fail)
	$(RASA) data validate --config config.yml --domain domain.yml --data bot/data --fail-on-warnings

UNIT_TEST_DIRS := $(wildcard tests/unit tests/nlu tests/vignettes)

test-unit: install  ## unit tests of the core, actions and NLU component (no servers)
	$(PY) -m pytest $(UNIT_TEST_DIRS) -q

test-integration: train  ## `make run` contract: start, greet, Ctrl-C; action server killed and back; no token in ps; loopback; retention
	$(PY) -m pytest tests/integration -q

test-stories: train  ## conversation regression tests (tests/test_*.yml); any wrong prediction fails
	@stories=$$(mktemp -d); cp tests/test_*.yml "$$stories"/; \
	$(RASA) test core --model models/current.tar.gz --stories "$$stories" --fail-on-prediction-errors --out reports/stories; \
	status=$$?; rm -rf "$$stories"; exit $$status

.PHONY: test-channels test-browser
INSTALL_CHROMIUM = command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
test-channels: train  ## Telegram channel end to end against a local fake Bot API, plus channel unit tests
	CHANNEL_SERVERS=1 $(PY) -m pytest tests/channels -q

test-browser: train  ## chat widget in headless Chromium (Debian's; installed when missing): axe-core WCAG 2.2 AA audit to reports/accessibility.md, keyboard, reconnection; screenshots to reports/
	@$(INSTALL_CHROMIUM)
	BROWSER_TESTS=1 $(PY) -m pytest tests/browser -q

.PHONY: cause-table-report cause-table-check
cause-table-report: install  ## validate actions/causes.yml + questions.yml and write reports/cause_table.md
	$(PY) -m scripts.cause_table_report

cause-table-check: cause-table-report  ## fail when reports/cause_table.md is stale (cause table edited, report not regenerated)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git diff --exit-code -- reports/cause_table.md; fi

.PHONY: eval
eval: train  ## simulated patients against the bot on free ports, each set apart (own vignettes, realistic dev); writes reports/eval.md
	$(PY) -m scripts.eval

.PHONY: eval-sealed test-eval test-conversations
eval-sealed: train  ## score the sealed realistic set once, at the end of a piece of work; writes reports/eval-sealed.md
	$(PY) -m scripts.eval --sets sealed --out reports/eval-sealed.md




test-eval: train  ## gate: own vignettes through the simulated patient meet their targets (report to a temporary file)
	@out=$$(mktemp --suffix=.md); $(PY) -m scripts.eval --sets own --check --out "$$out"; status=$$?; rm -f "$$out"; exit $$status

test-conversations: train  ## 50+ scripted multi-turn conversations on real servers, an expectation per turn
	RELIABILITY_SERVERS=1 $(PY) -m pytest tests/conversations -q

.PHONY: nlu-report
nlu-report: install  ## NLU on tests/nlu/heldout.yml (intent F1, entity P/R/F1, negation, parse latency) and the red-flag sets; writes reports/nlu.md
	$(PY) -m scripts.nlu_report

.PHONY: findings-report
findings-report: install  ## do the red flags fired on the realistic dev texts rest on one finding? writes reports/findings.md
	$(PY) -m scripts.findings_report

.PHONY: bench test-bench
bench: install  ## ours vs the stock `rasa init` bot: training, start-up, memory, latency, profile (~15 min); writes reports/bench.md
	$(PY) -m scripts.bench

test-bench: install  ## fast checks of the benchmark's percentiles, verdicts and report (no servers)
	$(PY) -m pytest tests/bench -q

.PHONY: test-reliability test-robustness test-scale robustness
test-reliability: train  ## restart, faults (action server, database), privacy and security on real servers (SQLite); channel guard unit tests
	RELIABILITY_SERVERS=1 $(PY) -m pytest tests/reliability tests/robustness/test_cases.py -q

test-robustness: train  ## bad-input suite (>= 200 inputs per channel) on REST, socket.io, Telegram: no 5xx, no crash, history intact
	RELIABILITY_SERVERS=1 $(PY) -m pytest tests/robustness -q

test-scale: train  ## 2 Rasa servers on PostgreSQL + Redis (Debian packages, installed when missing): alternating turns, bursts, outage, delete
	tests/reliability/install_services.sh
	RELIABILITY_SCALE=1 $(PY) -m pytest tests/reliability/test_scale.py -q

robustness: train  ## bad-input suite on REST, socket.io and Telegram; writes reports/robustness.md
	$(PY) -m scripts.robustness

# The server suites run in two lanes side by side (each lane in order; every suite
# picks free ports), so one lane's waits overlap the other's work: SERVER_LANES=1
# runs them one after the other. Training happens once, before the lanes start.
SERVER_LANES ?= 2
SERVER_LANE_A := test-robustness test-scale
SERVER_LANE_B := test-conversations test-integration test-channels test-browser test-reliability
.PHONY: test-fast test-servers server-packages server-lane-a server-lane-b
server-packages:  ## the Debian packages of the server suites (Chromium, PostgreSQL, Redis), installed when missing, one apt at a time
	@$(INSTALL_CHROMIUM)
	tests/reliability/install_services.sh

test-servers: train server-packages  ## every server suite (SERVER_LANES=1: one after the other)
	@if [ "$(SERVER_LANES)" = 1 ]; then \
	  MAKEFLAGS= $(MAKE) --no-print-directory $(SERVER_LANE_A) $(SERVER_LANE_B); \
	else \
	  $(MAKE) --no-print-directory -j2 --output-sync=recurse server-lane-a server-lane-b; \
	fi

server-lane-a:
	@start=$$(date +%s); MAKEFLAGS= $(MAKE) --no-print-directory $(SERVER_LANE_A); status=$$?; \
	echo "lane A ($(SERVER_LANE_A)): $$(( $$(date +%s) - start )) s"; exit $$status

server-lane-b:
	@start=$$(date +%s); MAKEFLAGS= $(MAKE) --no-print-directory $(SERVER_LANE_B); status=$$?; \
	echo "lane B ($(SERVER_LANE_B)): $$(( $$(date +%s) - start )) s"; exit $$status

test: check test-bench test-servers  ## every check (what CI runs): `make check`, then the server suites (two lanes in parallel)

clean:  ## remove the virtualenv, models and generated run files
	rm -rf $(VENV) models var .pytest_cache .ruff_cache .mypy_cache
