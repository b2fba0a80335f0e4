#!/usr/bin/env bash
# Fuzzes one parser with Jazzer (coverage-guided), or each of them in turn; every build already runs
# their seed corpora as regression tests. A crash is written as a new input beside the seeds
# (offload-ctl/src/test/resources/.../<Test>Inputs/<method>/): commit it, and it stays a regression test.
#   scripts/fuzz.sh [config|tcp|tcp-session|rdma|all] [DURATION]  e.g. scripts/fuzz.sh tcp 30m   (default: all, 5m each)
# config: the JSON configuration loader; tcp: the NVMe/TCP PDU receive side over loopback;
# tcp-session: whole NVMe/TCP host sessions (Connect, enable, I/O) with mutated PDUs, stateful;
# rdma: the RDMA command capsule's SGL decoder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=${1:-all} duration=${2:-5m}
declare -A tests=(
  [config]="io.nvmfoffload.ctl.config.ConfigReaderFuzzTest"
  [tcp]="io.nvmfoffload.nvmf.transport.tcp.TcpPduFuzzTest"
  [tcp-session]="io.nvmfoffload.hostile.tcp.TcpSessionFuzzTest"
  [rdma]="io.nvmfoffload.nvmf.transport.rdma.CapsuleSglFuzzTest"
)
case "$target" in
  all) names=(config tcp tcp-session rdma) ;;
  config|tcp|tcp-session|rdma) names=("$target") ;;
  *) echo "fuzz.sh: unknown target '$target' (config, tcp, tcp-session, rdma, all)" >&2; exit 2 ;;
esac
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl offload-ctl -am
for name in "${names[@]}"; do
  echo "== fuzzing ${tests[$name]} for $duration =="
  # Jazzer fuzzes only with JAZZER_FUZZ set, one fuzz test per JVM; JUnit's own timeout would
  # otherwise cut the whole run short.
  JAZZER_FUZZ=1 mvnw -B -ntp -o surefire:test -pl offload-ctl -Dtest="${tests[$name]}" \
    -Djazzer.max_duration="$duration" -Djunit.jupiter.execution.timeout.mode=disabled -Dsurefire.failIfNoSpecifiedTests=false
done
