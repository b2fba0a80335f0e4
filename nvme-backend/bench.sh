#!/usr/bin/env bash
# Runs the nvme-backend JMH benchmarks (4 KiB random read/write of the stores and the emulated
# controller beside raw FileChannel) with short settings, then prints a ratio table.
# Extra arguments go to JMH, e.g. ./bench.sh -p target=ram-store,raw-filechannel
set -euo pipefail
module=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$module/.."
source scripts/lib/env.sh

result="$module/target/jmh-result.json"
classpath_file="$module/target/bench.classpath"
mvnw -q -B -pl nvme-backend test-compile dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
cp="$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  -f 1 -wi 2 -w 1s -i 3 -r 1s -rf json -rff "$result" "$@" 'io\.nvmfoffload\.nvme\.bench\..*'
echo
"$JAVA_HOME/bin/java" -cp "$cp" io.nvmfoffload.nvme.bench.BenchTable "$result"
