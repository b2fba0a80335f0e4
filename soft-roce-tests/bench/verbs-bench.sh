#!/usr/bin/env bash
# Java verbs binding vs perftest on the soft-RoCE device, in the same guest boot:
#   ib_send_lat  vs VerbsBench ping-pong SEND latency  (ratio Java/perftest, goal <= 1.1)
#   ib_write_bw  vs VerbsBench RDMA WRITE bandwidth    (ratio Java/perftest, goal >= 0.95)
# perftest connects with -R (rdma_cm), as VerbsBench does. The tools alternate for --rounds rounds
# so that drift of the emulated machine hits both alike; ratios are of the per-tool means.
#
#   soft-roce-tests/bench/verbs-bench.sh [--rounds N] [--lat-iters N] [--bw-iters N] [--warmup-seconds S] [--java-opts "..."]
#
# On a machine without rxe0 it boots the soft-RoCE guest (soft-roce-tests/bed/guest.sh) and runs
# itself there; build first: mvnw -pl soft-roce-tests -am install -DskipTests.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=$(cd "$here/../.." && pwd)
rounds=2 lat_iters=10000 bw_iters=5000 warmup=15 java_opts=""
in_guest=no
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --in-guest) in_guest=yes; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --lat-iters) lat_iters=$2; shift 2 ;;
    --bw-iters) bw_iters=$2; shift 2 ;;
    --warmup-seconds) warmup=$2; shift 2 ;;
    --java-opts) java_opts=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "verbs-bench.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

classes=$project/soft-roce-tests/target/classes
[[ -f "$classes/io/nvmfoffload/softroce/bench/VerbsBench.class" && -f "$project/soft-roce-tests/target/test-classpath.txt" ]] \
  || { echo "verbs-bench.sh: build soft-roce-tests first (mvnw -pl soft-roce-tests -am install -DskipTests)" >&2; exit 3; }
cp="$classes:$(cat "$project/soft-roce-tests/target/test-classpath.txt")"

if [[ $in_guest == no ]] && ! ibv_devinfo -d rxe0 >/dev/null 2>&1; then
  exec "$project/soft-roce-tests/bed/guest.sh" --timeout 3600 -- "$here/verbs-bench.sh" --in-guest "${args[@]}"
fi

addr=${RXE_ADDR:-169.254.77.1/24}; addr=${addr%/*}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A JVM that crashes leaves hs_err files in its working directory; keep them out of the project.
cd "$work"

perftest() {  # perftest TOOL PORT OUT ARGS...: a server in the background, then the client
  local tool=$1 port=$2 out=$3; shift 3
  "$tool" -R -d rxe0 -F -p "$port" "$@" >"$out.server" 2>&1 &
  local server=$!
  sleep 3   # no readiness signal; the guest is slow to bind
  "$tool" -R -d rxe0 -F -p "$port" "$@" "$addr" >"$out" 2>&1 || { cat "$out" "$out.server" >&2; return 1; }
  wait "$server" || true
}

: >"$work/results"
for ((r = 1; r <= rounds; r++)); do
  echo "== round $r: ib_send_lat -s 2 -n $lat_iters"
  perftest ib_send_lat $((18515 + 2 * r)) "$work/lat$r" -s 2 -n "$lat_iters"
  grep -A1 '#bytes' "$work/lat$r"
  echo "== round $r: ib_write_bw -s 65536 -n $bw_iters"
  perftest ib_write_bw $((18516 + 2 * r)) "$work/bw$r" -s 65536 -n "$bw_iters"
  grep -A1 '#bytes' "$work/bw$r"
  echo "== round $r: VerbsBench ${java_opts}"
  # shellcheck disable=SC2086
  # C2 only, as the other benchmarks: tiered JVMs crash now and then in C1 code under multi-threaded
  # TCG (soft-roce-tests/README.md, known risk)
  "$java" --enable-native-access=ALL-UNNAMED -Xms256m -XX:-TieredCompilation $java_opts -cp "$cp" io.nvmfoffload.softroce.bench.VerbsBench \
    --address "$addr" --port $((7600 + r)) --lat-iters "$lat_iters" --bw-iters "$bw_iters" --warmup-seconds "$warmup" \
    | tee "$work/java$r"
  # Data lines: ib_send_lat "#bytes #iter t_min t_max t_typical t_avg ..."; ib_write_bw "#bytes #iter BW_peak BW_avg ...".
  c_lat=$(awk '/#bytes/ {getline; print $5; exit}' "$work/lat$r")
  c_bw=$(awk '/#bytes/ {getline; print $4; exit}' "$work/bw$r")
  j_lat=$(sed -n 's/.*java_lat_typical_us=\([0-9.]*\).*/\1/p' "$work/java$r")
  j_bw=$(sed -n 's/.*java_bw_MBps=\([0-9.]*\).*/\1/p' "$work/java$r")
  [[ -n "$c_lat" && -n "$c_bw" && -n "$j_lat" && -n "$j_bw" ]] || { echo "verbs-bench.sh: could not parse round $r" >&2; exit 1; }
  echo "$r $c_lat $j_lat $c_bw $j_bw" >>"$work/results"
done

awk '{
  printf "round %d: SEND latency typical [us] perftest %.2f Java %.2f (ratio %.3f); RDMA WRITE [MB/sec] perftest %.2f Java %.2f (ratio %.3f)\n",
         $1, $2, $3, $3 / $2, $4, $5, $5 / $4
  cl += $2; jl += $3; cb += $4; jb += $5; n++
} END {
  cl /= n; jl /= n; cb /= n; jb /= n; lr = jl / cl; br = jb / cb
  printf "\nmean of %d rounds%21s %12s %12s %8s %s\n", n, "", "perftest", "Java", "ratio", "goal"
  printf "%-34s %12.2f %12.2f %8.3f %s %s\n", "SEND latency, typical [us]", cl, jl, lr, "<= 1.10", (lr <= 1.10 ? "met" : "MISSED")
  printf "%-34s %12.2f %12.2f %8.3f %s %s\n", "RDMA WRITE bandwidth [MB/sec]", cb, jb, br, ">= 0.95", (br >= 0.95 ? "met" : "MISSED")
  # for scripts (the benchmark report of ./bench.sh reads it)
  printf "RESULT rounds=%d perftest_send_lat_us=%.3f java_send_lat_us=%.3f perftest_write_MBps=%.2f java_write_MBps=%.2f\n", n, cl, jl, cb, jb
}' "$work/results"
