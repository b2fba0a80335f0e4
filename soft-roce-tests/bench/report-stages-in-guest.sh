#!/usr/bin/env bash
# The guest half of ./bench.sh, run inside one soft-RoCE guest boot:
#   report-stages-in-guest.sh OUT_DIR RUN_ID SECONDS ROUNDS
# Each stage leaves its figures in OUT_DIR (tagged with RUN_ID); a failing stage does not stop the
# others, the script's status says whether all passed.
set -uo pipefail
out=$1 run=$2 seconds=$3 rounds=$4
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/lib/env.sh
cp="$root/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
started=$SECONDS
failed=0

stage() {  # stage N TITLE FIGURES_FILE MAIN_CLASS
  printf '\n== [guest stage %s/4, %d:%02d elapsed] %s\n' "$1" $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$2"
  # The same JVM flags as run-main-in-guest.sh: C2 only and the serial GC (tiered JVMs crashed in
  # C1 code under multi-threaded TCG, see the README's known risk).
  env BENCH_RUN="$run" BENCH_FIGURES="$out/$3" BENCH_SECONDS="$seconds" BENCH_ROUNDS="$rounds" \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:-TieredCompilation \
    -Djava.util.logging.SimpleFormatter.format='%1$tT %4$s %3$s: %5$s%6$s%n' -cp "$cp" "$4" \
    || { echo "bench: stage $1 ($2) failed" >&2; failed=1; }
}

stage 1 "our RDMA and TCP targets vs the kernel's nvmet, queue-depth sweep, rxe's raw rates" targets.json io.nvmfoffload.softroce.bench.TargetBench
stage 2 "NVMe/TCP vs nvmet-tcp, DDP model on/off" tcp.json io.nvmfoffload.softroce.bench.TcpBench
stage 3 "offload on (emulated provider) vs off" offload.json io.nvmfoffload.softroce.bench.OffloadBench
printf '\n== [guest stage 4/4, %d:%02d elapsed] Java verbs vs perftest\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60))
soft-roce-tests/bench/verbs-bench.sh --in-guest --rounds "$rounds" 2>&1 | tee "$out/verbs.txt" || { echo "bench: stage 4 (verbs) failed" >&2; failed=1; }
exit $failed
