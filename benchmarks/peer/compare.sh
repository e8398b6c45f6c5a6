#!/usr/bin/env bash
# zero4j against the PyTorch-eager peer, one after the other in one run, on the same shape and threads:
#   benchmarks/peer/compare.sh [toy|qwen2.5-0.5b|qwen2.5-1.5b] [THREADS]
# Needs Debian's python3-torch with OpenBLAS (apt-get install python3-torch libopenblas0-openmp; torch_peer.py
# says why); prints a markdown table, ours / peer per row.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
model="${1:-toy}"
threads="${2:-2}"
ours="$(mktemp)"
peer="$(mktemp)"
trap 'rm -f "$ours" "$peer"' EXIT
ZERO4J_JAVA_OPTS="${ZERO4J_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$threads" \
  "$here/../../zero4j" bench --model "$model" --json > "$ours"
/usr/bin/python3 "$here/torch_peer.py" --model "$model" --threads "$threads" > "$peer"
/usr/bin/python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{ours['model']}, {peer['threads']} threads; zero4j (DJL/libtorch) vs {peer['peer']}\n")
print("| tokens/s | zero4j | peer | zero4j / peer |")
print("| --- | ---: | ---: | ---: |")
rows = [(f"decode, batch {b}", ours["decode_tokens_per_s"][b], peer["decode_tokens_per_s"][b]) for b in ("1", "8", "64")]
rows += [("prefill 8 x 128", ours["prefill_tokens_per_s"], peer["prefill_tokens_per_s"]),
         ("bare forward + backward", ours["train_tokens_per_s"], peer["train_tokens_per_s"])]
for name, a, b in rows:
    print(f"| {name} | {a:,.1f} | {b:,.1f} | {a / b:.2f} |")
PY
