#!/usr/bin/env bash
# Runs JMH benchmarks and prints the RESULTS.md table for them.
#   benchmarks/run.sh                      # engine bounds + model throughput (about 15 minutes)
#   benchmarks/run.sh 'DecodeStep' -p model=toy   # any JMH selection and options
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
mvn -B -q -DskipTests package -pl benchmarks -am
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
out="$here/target/jmh-result.json"
export DJL_OFFLINE=true
if [ $# -eq 0 ]; then set -- 'EngineBounds|DecodeStep|PrefillAndTrain'; fi
java -cp "$cp" org.openjdk.jmh.Main "$@" -rf json -rff "$out"
java -cp "$cp" io.zero4j.benchmarks.BenchmarkReport "$out"
