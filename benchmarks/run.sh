#!/usr/bin/env bash
# Runs JMH benchmarks and prints the RESULTS.md table for them.
#   benchmarks/run.sh                                # engine bounds + decode steps (about 10 minutes)
#   benchmarks/run.sh 'DecodeStep' -p model=toy      # any JMH selection and options
#   benchmarks/run.sh --device gpu ...               # on a device (run.device's words); the build takes
#                                                    # ZERO4J_MAVEN_ARGS as ./zero4j does (-Pcuda)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
if [ "${1:-}" = "--device" ]; then
  export ZERO4J_BENCH_DEVICE="${2:?--device needs a value}"
  shift 2
fi
# shellcheck disable=SC2086 # the options are words on purpose
mvn -B -q -DskipTests ${ZERO4J_MAVEN_ARGS:-} package -pl benchmarks -am
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
out="$here/target/jmh-result.json"
export DJL_OFFLINE=true
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" # as ./zero4j does
if [ $# -eq 0 ]; then set -- 'EngineBounds|DecodeStep'; fi
echo "benchmarks: on ${ZERO4J_BENCH_DEVICE:-cpu}" >&2
java -cp "$cp" org.openjdk.jmh.Main "$@" -rf json -rff "$out"
java -cp "$cp" io.zero4j.benchmarks.BenchmarkReport "$out"
