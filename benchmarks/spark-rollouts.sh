#!/usr/bin/env bash
# Rollout rate of the built-in toy with the in-process backend and with 1 and 2 Spark executors,
# measured one after the other in one session on a standalone cluster this script starts on the
# loopback interface (./zero4j spark-master / spark-worker) and stops at the end. Each setting runs
# STEPS GRPO steps of configs/aha-toy.json from the cached base (./zero4j train makes it first) and
# reports the median over steps 2.. of sampled tokens per second of rollout wall time, and of the
# whole step; then the same 2 executors with max_off_policy_steps 1, overlapping rollout and update.
#   usage: benchmarks/spark-rollouts.sh [STEPS]   (needs python3 to read metrics.jsonl)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-12}"
out="$(mktemp -d)"
trap 'pkill -f "org.apache.spark.deploy" || true; rm -rf "$out"' EXIT
cd "$root"
./zero4j help >/dev/null # builds first
./zero4j spark-master --host 127.0.0.1 --port 7077 >"$out/master.log" 2>&1 &
sleep 8
for w in 1 2; do
  ./zero4j spark-worker spark://127.0.0.1:7077 --host 127.0.0.1 --cores 1 --memory 2g --work-dir "$out/w$w" \
    >"$out/worker$w.log" 2>&1 &
done
sleep 8
common=(--set run.steps="$steps" --set run.eval_every=0 --set run.save_every=0 --set run.log_samples_every=0)
spark=(--set rollout.backend=spark --set rollout.spark.master=spark://127.0.0.1:7077)
run() { # name, then --set options
  local name="$1"; shift
  ./zero4j train configs/aha-toy.json "${common[@]}" --set run.output_dir="$out/$name" "$@" >"$out/$name.log" 2>&1 \
    || { cat "$out/$name.log" >&2; exit 1; }
  python3 - "$out/$name/metrics.jsonl" "$name" <<'PY'
import json, statistics, sys
rows = [r for r in (json.loads(l)["data"] for l in open(sys.argv[1])) if "time/step_s" in r][1:]
def med(f): return statistics.median(f(r) for r in rows)
tokens = lambda r: r["completions/mean_length"] * 64
print(f"{sys.argv[2]:<28} rollout {med(lambda r: tokens(r) / (r['time/rollout_s'] + r['time/reward_s'])):7.1f} tokens/s"
      f"   step {med(lambda r: r['time/step_s']):5.2f} s   waited {med(lambda r: r['time/rollout_wait_s']):5.2f} s"
      f"   update {med(lambda r: r['time/update_s']):5.2f} s   executors {rows[-1]['rollout/executors']:.0f}")
PY
}
echo "toy, $steps steps, $(nproc) cores, $(date -u +%F)"
run local
run spark-1-executor "${spark[@]}" --set rollout.spark.executors=1
run spark-2-executors "${spark[@]}" --set rollout.spark.executors=2
run spark-2-executors-overlap "${spark[@]}" --set rollout.spark.executors=2 --set rollout.max_off_policy_steps=1
# the 2 cores split between learner and sampler: a 1-thread learner and 1 executor, without and with overlap
ZERO4J_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1" run split-1+1 "${spark[@]}" --set rollout.spark.executors=1
ZERO4J_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1" run split-1+1-overlap "${spark[@]}" --set rollout.spark.executors=1 \
  --set rollout.max_off_policy_steps=1
