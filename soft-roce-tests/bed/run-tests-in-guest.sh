#!/usr/bin/env bash
# Runs chosen in-guest tests (not the whole suite) in the soft-RoCE guest: for working on one test.
#   soft-roce-tests/bed/run-tests-in-guest.sh [--timeout S] [--then 'SHELL'] SELECTOR...
# A SELECTOR is a test class (TcpTargetWithKernelHostTest) or one method of it
# (TcpTargetWithKernelHostTest#corruptedDataDigestFailsOnlyThatWriteAndTheHostRetriesIt); simple
# names are looked up under soft-roce-tests' test classes. Builds first; reports go to
# soft-roce-tests/target/guest-reports. The JVM is the suite's (C1 only, serial GC: see README).
# --then runs a shell line in the guest afterwards (e.g. 'dmesg | tail -50'); the tests' status is kept.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
timeout_s=1800 then=true
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --timeout) timeout_s=$2; shift 2 ;;
    --then) then=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: $0 [--timeout S] CLASS[#METHOD]..." >&2; exit 2; }
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl soft-roce-tests -am
tc="$root/soft-roce-tests/target/test-classes"
selectors=()
for s in "$@"; do
  class=${s%%#*}
  if [[ $class != *.* ]]; then
    file=$(cd "$tc" && find . -name "$class.class" | head -1)
    [[ -n $file ]] || { echo "no test class $class under $tc" >&2; exit 2; }
    class=$(echo "${file#./}" | sed 's/\.class$//; s#/#.#g')
  fi
  if [[ $s == *#* ]]; then selectors+=(--select-method "$class#${s#*#}"); else selectors+=(--select-class "$class"); fi
done
cp="$tc:$root/soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)"
reports="$root/soft-roce-tests/target/guest-reports"
mkdir -p "$reports"
props=(-Dsoftroce.project="$root" -Dsoftroce.testClasses="$tc" -Dsoftroce.classes="$root/soft-roce-tests/target/classes"
       -Dsoftroce.classpathFile="$root/soft-roce-tests/target/test-classpath.txt" -Dsoftroce.workDir="$root/soft-roce-tests/target/softroce")
# SOFTROCE_CAMPAIGN=full: the fault campaigns' full form (FaultCampaignTest)
[[ -n "${SOFTROCE_CAMPAIGN:-}" ]] && props+=(-Dsoftroce.campaign="$SOFTROCE_CAMPAIGN")
# SOFTROCE_JVM_PROPS="-Dnvmf.verbs.leakReport=true ...": JVM options for the tests and the target under test
if [[ -n "${SOFTROCE_JVM_PROPS:-}" ]]; then read -ra extra <<<"$SOFTROCE_JVM_PROPS"; props+=("${extra[@]}"); fi
printf -v java_cmd '%q ' "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g --enable-native-access=ALL-UNNAMED \
  "${props[@]}" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree \
  --disable-ansi-colors "${selectors[@]}" --reports-dir "$reports"
exec soft-roce-tests/bed/guest.sh --timeout "$timeout_s" -- \
  "bash $root/soft-roce-tests/bed/rxe-up.sh >/dev/null 2>&1; $java_cmd; status=\$?; $then; exit \$status"
