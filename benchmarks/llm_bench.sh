#!/usr/bin/env bash
# Serves a small local model with llama.cpp's OpenAI-compatible server (at low priority: the machine is shared)
# and runs benchmarks/llm.py against it. Not part of `make test`. Usage: bash benchmarks/llm_bench.sh [1.5b|0.5b] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-1.5b}"
PORT="${2:-8088}"
# generation threads: 2 on an idle machine; 1 when other work shares the 2 cores (threads that wait on each other
# under contention made generation 10x slower in our runs); prompt processing always uses 2
THREADS="${LLM_THREADS:-2}"
GGUF=$(bash benchmarks/llm_setup.sh "$MODEL" | tail -1)
LOG=.llm/server-$PORT.log
nice -n 10 .llm/venv/bin/python -m llama_cpp.server --model "$GGUF" --model_alias "qwen2.5-$MODEL" \
  --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads "$THREADS" --n_threads_batch 2 > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; sleep 3; kill -9 $SERVER 2>/dev/null || true' EXIT  # a server busy in C code answers SIGTERM late
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { echo "server exited:"; tail -20 "$LOG"; exit 1; }
  sleep 1
done
nice -n 5 .venv/bin/python benchmarks/llm.py --base-url "http://127.0.0.1:$PORT/v1" --model "qwen2.5-$MODEL" \
  --label "$(basename "$GGUF" .gguf) (llama-cpp-python 0.3.36, $THREADS thread(s), nice 10)" --timeout 600 "${@:3}"
