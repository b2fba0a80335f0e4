#!/usr/bin/env bash
# The benchmark report: every side-by-side benchmark in one run, written as figures.json, one PNG
# per chart and report.md (see soft-roce-tests/README.md, "The benchmark report").
#
#   ./bench.sh [--seconds S] [--rounds N] [--out DIR]
#
#   --seconds S   seconds per fio run and per raw rxe run (default 10; about 30 minutes in all)
#   --rounds N    ABBA rounds of the offload on/off bench, rounds of Java verbs vs perftest (default 2)
#   --out DIR     the run directory, inside the project (default target/bench-report/<run id>)
#
# Stages: the control plane on this host (offload-ctl/bench.sh); then in one soft-RoCE guest boot
# our RDMA and TCP targets against the kernel's nvmet with a queue-depth sweep, and rxe's own rates
# between user-space queue pairs: ib_write_bw at 4 KiB and 128 KiB, WriteSendBench's 4 KiB WRITE +
# SEND pairs (TargetBench), NVMe/TCP with the DDP model on/off (TcpBench), offload on/off
# (OffloadBench), the Java verbs binding against perftest (soft-roce-tests/bench/verbs-bench.sh);
# then the report. A stage that fails is named in the report as missing, and the script exits 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=10 rounds=2 out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see ./bench.sh --help)" >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --seconds must be a positive whole number, got '$seconds'" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --rounds must be a positive whole number, got '$rounds'" >&2; exit 2; }

scripts/install-deps.sh
source scripts/lib/env.sh
run=$(date -u +%Y%m%dT%H%M%SZ)
out=$(mkdir -p "${out:-target/bench-report/$run}" && cd "${out:-target/bench-report/$run}" && pwd)
[[ -z "$(ls -A "$out")" ]] || { echo "bench.sh: $out is not empty: a report takes its figures from one run only" >&2; exit 2; }
# The guest sees this host's files read-only except the project directory (shared read-write).
[[ $out == "$PWD"/* ]] || { echo "bench.sh: --out $out must be inside $PWD: the guest writes its figures there" >&2; exit 2; }
echo "$run" >"$out/run"
started=$SECONDS
banner() { printf '\n== [bench %s, %d:%02d elapsed] %s\n' "$1" $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$2"; }

banner "build" "installing the modules"
mvnw -q -B -ntp install -DskipTests
failed=()

banner "1/3" "control plane on this host (about 1 minute)"
offload-ctl/bench.sh 2>&1 | tee "$out/control-plane.txt" || failed+=(control-plane)

banner "2/3" "soft-RoCE guest: targets, TCP, offload, verbs (about $((seconds * 150 / 60)) minutes)"
soft-roce-tests/bed/guest.sh --timeout $((1200 + seconds * 250)) -- \
  "$PWD/soft-roce-tests/bench/report-stages-in-guest.sh" "$out" "$run" "$seconds" "$rounds" || failed+=(guest)

banner "3/3" "report"
cp="$PWD/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
"$JAVA_HOME/bin/java" -Djava.awt.headless=true -cp "$cp" io.nvmfoffload.softroce.bench.report.BenchReport "$out"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench.sh: failed: ${failed[*]} (see above; the report names what is missing)" >&2
  exit 1
fi
