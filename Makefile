# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EDITOR_PORT ?= 5000
PUBLIC_PORT ?= 8001
# The live demo: a fictional story played on fictional sites on 127.0.0.1:DEMO_PORT (DEMO_LIVE=0: left out).
DEMO_LIVE ?= 1
# On/off by the rule every on/off setting follows (tracker/config.py): 1, true, yes, on / 0, false, no, off, any case.
ON_WORDS := 1 true yes on True Yes On TRUE YES ON
OFF_WORDS := 0 false no off False No Off FALSE NO OFF
DEMO_LIVE_ON := $(filter $(ON_WORDS),$(strip $(DEMO_LIVE)))
DEMO_PORT ?= 8188
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench bench-quick chromium clean model checkworthy-model

$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

$(VENV)/.installed-train: $(VENV)/.installed requirements-train.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-train.txt -c constraints.txt
	touch $@

# The check-worthiness model, refitted from the corpus beside the repository and written over the
# committed tracker/checkworthy/model.json.gz (deterministic: the same file every time). Its word
# vectors are learned from the unlabelled articles of the attribution corpus (MODEL_CORPUS, below).
# The logistic regression's solver sums with OpenBLAS, whose kernel (chosen by the CPU) and thread count
# change the weights' last digits: both are pinned, so a machine with AVX2 and two cores or more writes
# the committed file byte for byte (a SkylakeX kernel, or one thread, gave 20,000-30,000 other weights).
CHECKWORTHY_CORPUS ?= ../shared/corpora/checkworthy-dev/sentences.jsonl
checkworthy-model: $(VENV)/.installed-train
	OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=2 \
		nice -n 10 $(PY) -m tracker.checkworthy.train $(CHECKWORTHY_CORPUS) --unlabelled $(MODEL_CORPUS)

run: $(VENV)/.installed
	$(if $(DEMO_LIVE_ON)$(filter $(OFF_WORDS),$(strip $(DEMO_LIVE))),,$(if $(strip $(DEMO_LIVE)),$(error \
		DEMO_LIVE=$(DEMO_LIVE) is neither on nor off; give 1, true, yes or on, or 0, false, no or off)))
	$(PY) -m tracker init
	$(PY) -m tracker demo
	$(PY) -m tracker publish --refresh-only
	$(PY) -m tracker serve --editor-port $(EDITOR_PORT) --public-port $(PUBLIC_PORT) \
		$(if $(DEMO_LIVE_ON),--live-demo --demo-port $(DEMO_PORT))

# Debian's chromium for the browser tests; Playwright's own browser download does not work here.
chromium:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

test: $(VENV)/.installed-dev $(VENV)/.installed-train chromium
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The attribution model (tracker/attribution/attribution.model, committed) from the annotated corpus.
# Several minutes of CPU, so it runs niced; tests and CI use the committed file and never retrain.
MODEL_CORPUS ?= ../shared/corpora/attribution-dev
model: $(VENV)/.installed
	nice -n 10 $(PY) -m tracker train-attribution $(MODEL_CORPUS)

BENCHES := ingest extraction notpage claims editor editor_lists public documents charts alerts

bench: $(VENV)/.installed-dev
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

bench-quick: $(VENV)/.installed-dev
	@for b in $(BENCHES); do echo "== bench/$$b.py --quick"; $(PY) bench/$$b.py --quick || exit 1; done

clean:
	rm -rf $(VENV) data/*.db data/*.db-* instance test-artifacts
