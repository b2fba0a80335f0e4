#!/usr/bin/env bash
# Benchmarks our target against the kernel's nvmet in one soft-RoCE guest (see TargetBench).
#   soft-roce-tests/bench/target-bench.sh            20 s per workload (about 5 minutes in all)
#   BENCH_SECONDS=5 soft-roce-tests/bench/target-bench.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl soft-roce-tests -am
cp="$root/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
exec soft-roce-tests/bed/guest.sh --timeout 1800 -- env BENCH_SECONDS="${BENCH_SECONDS:-20}" \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.SimpleFormatter.format='%1$tT %4$s %3$s: %5$s%6$s%n' \
  -cp "$cp" io.nvmfoffload.softroce.bench.TargetBench
