#!/usr/bin/env bash
# Builds soft-roce-tests and runs one of its main classes inside the soft-RoCE guest.
#   run-main-in-guest.sh CLASS [DEFAULT_BENCH_SECONDS]
# BENCH_JVM_OPTS adds JVM options, e.g. a flight recording of the run:
#   BENCH_JVM_OPTS="-XX:StartFlightRecording=filename=$PWD/target/bench.jfr,settings=profile -XX:FlightRecorderOptions:stackdepth=96"
set -euo pipefail
main_class=$1
default_seconds=${2:-20}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl soft-roce-tests -am
cp="$root/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
# C2 without tiers and the serial GC: tiered JVMs crashed in C1 code under multi-threaded TCG
# (see the README's known risk).
# The guest starts from a clean environment: the benches' knobs are passed on by name.
knobs=(BENCH_SECONDS="${BENCH_SECONDS:-$default_seconds}")
for knob in BENCH_ROUNDS BENCH_ONLY; do
  [[ -n "${!knob:-}" ]] && knobs+=("$knob=${!knob}")
done
exec soft-roce-tests/bed/guest.sh --timeout 1800 -- env "${knobs[@]}" \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:-TieredCompilation \
  -Djava.util.logging.SimpleFormatter.format='%1$tT %4$s %3$s: %5$s%6$s%n' ${BENCH_JVM_OPTS:-} \
  -cp "$cp" "$main_class"
