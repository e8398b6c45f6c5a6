#!/usr/bin/env bash
# For a machine with an NVIDIA GPU and CUDA 12.4: builds the CUDA variant (the cuda Maven profile:
# DJL 0.33.0, libtorch 2.5.1 cu124; the first build downloads its 2.4 GB natives from Maven Central),
# then checks, in order:
#   build    the cuda build compiles and starts
#   driver   nvidia-smi sees a GPU, and a CUDA runtime (libcudart.so) is where DJL looks for it
#   device   ./zero4j info --devices --device gpu: PyTorch sees the GPU
#   parity   ./zero4j gpu-check: forward, one GRPO update and forward again agree with the CPU (1e-4)
#   bench    ./zero4j bench --device gpu on the toy shape: engine rates, decode, prefill, one GRPO step
#   train    the default toy run for 3 steps with run.device gpu (pretrains its base on the GPU once)
# and ends with one line saying what passed. It stops at the first step that fails, with one line
# saying why; each step's output is kept in .zero4j/gpu-check/STEP.log.
#   scripts/gpu-check.sh [gpu:N]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
device="${1:-gpu}"
export ZERO4J_MAVEN_ARGS="-Pcuda"
logs="$root/.zero4j/gpu-check"
mkdir -p "$logs"
steps=(build driver device parity bench train)
passed=()

stop() { # step, reason
  local rest=("${steps[@]:${#passed[@]}+1}")
  echo "gpu-check: stopped at '$1': $2"
  echo "gpu-check: passed ${#passed[@]}/${#steps[@]} (${passed[*]:-none}); not run: ${rest[*]:-none}"
  exit 1
}

run_step() { # step, command...
  local step="$1"
  shift
  echo "gpu-check: $step ..."
  if ! "$@" >"$logs/$step.log" 2>&1; then
    stop "$step" "$(grep -v '^\s*$' "$logs/$step.log" | tail -1) (all of it in $logs/$step.log)"
  fi
  passed+=("$step")
}

run_step build ./zero4j help

if ! command -v nvidia-smi >/dev/null 2>&1; then
  stop driver "no NVIDIA driver on this machine (nvidia-smi not found); the steps from here on need a GPU"
fi
if ! nvidia-smi -L >"$logs/driver.log" 2>&1 || ! grep -q '^GPU ' "$logs/driver.log"; then
  stop driver "nvidia-smi sees no GPU: $(tail -1 "$logs/driver.log")"
fi
library_path="${LD_LIBRARY_PATH:-}"
if ! { ldconfig -p 2>/dev/null | grep -q 'libcudart\.so'; } \
   && ! { [ -n "$library_path" ] && find ${library_path//:/ } -maxdepth 1 -name 'libcudart.so*' 2>/dev/null | grep -q .; }; then
  stop driver "no CUDA runtime (libcudart.so) on the library path: DJL needs it to use its CUDA libtorch; install CUDA 12.4 or set LD_LIBRARY_PATH"
fi
echo "gpu-check: driver: $(head -1 "$logs/driver.log")"
passed+=(driver)

run_step device ./zero4j info --devices --device "$device"
cat "$logs/device.log"
run_step parity ./zero4j gpu-check --device "$device"
cat "$logs/parity.log"
run_step bench ./zero4j bench --device "$device"
grep -A20 '^engine:' "$logs/bench.log"
run_step train ./zero4j train configs/aha-toy.json --overwrite --set run.device="$device" --set run.steps=3 \
  --set run.eval_every=3 --set run.save_every=3 --set dataset.eval_size=32 --set run.output_dir="$logs/train"
tail -6 "$logs/train.log"

echo "gpu-check: passed ${#passed[@]}/${#steps[@]} (${passed[*]}) on $device"
