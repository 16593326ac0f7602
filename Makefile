# The same targets serve people and CI (.ci/run calls `make lint`, then `make test`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test bench lint eval soak clean fuzz

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/corroborator run examples/ --db demo.db --json demo.json -o report.html
	@echo "open report.html in a browser to read the fact sheets,"
	@echo "or browse them: $(VENV)/bin/corroborator serve --db demo.db"

test: $(STAMP)
	$(PY) -m pytest -q

# Each fuzz target (tests/fuzz_targets.py: the five readers and the claim extractor) for
# FUZZ_SECONDS; failing inputs land in tests/fuzz_corpus/ and `make test` replays them.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(PY) scripts/fuzz.py --seconds $(FUZZ_SECONDS)

bench: $(STAMP)
	$(PY) benchmarks/bench_stream.py
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_entailment.py
	$(PY) benchmarks/bench_stories.py
	$(PY) benchmarks/bench_ray.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy

# The entailment model on every held-out item (about 15 minutes on 2 cores); each floor in
# quality/entailment_floors.json is pinned at the sample size it was measured on.
eval: $(STAMP)
	$(PY) scripts/eval_entailment.py --check-floors

# `corroborator run` (a real subprocess) over every real news document under ../shared/data:
# the CNN/DM and XSum documents, the allsides articles, the PolNeAR texts. Prints the errors
# per stage, the wall time and the peak memory; fails on any error (about 30-60 minutes).
soak: $(STAMP)
	$(PY) scripts/soak.py

clean:
	rm -rf demo.db demo.db-* demo.json report.html .pytest_cache .mypy_cache .ruff_cache
