#!/usr/bin/env bash
# IOPS of one subsystem with the offload on (emulated) and off, in one soft-RoCE guest (see OffloadBench).
#   soft-roce-tests/bench/offload-bench.sh            15 s per workload (about 3 minutes in all)
#   BENCH_SECONDS=5 soft-roce-tests/bench/offload-bench.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl soft-roce-tests -am
cp="$root/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
exec soft-roce-tests/bed/guest.sh --timeout 1800 -- env BENCH_SECONDS="${BENCH_SECONDS:-15}" \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.SimpleFormatter.format='%1$tT %4$s %3$s: %5$s%6$s%n' \
  -cp "$cp" io.nvmfoffload.softroce.bench.OffloadBench
