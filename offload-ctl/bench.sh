#!/usr/bin/env bash
# Prints the issue's figures for the control plane: validate + apply of 1,000 subsystems x 4
# namespaces on a serving target with the RSS afterwards, and the management round trip (in process,
# and as a CLI run in a fresh JVM, plain and through bin/offload-ctl with its AOT cache). Arguments: [SUBSYSTEMS] [NAMESPACES].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl offload-ctl -am
mvnw -q -B -ntp -pl offload-ctl test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
cp="offload-ctl/target/test-classes:offload-ctl/target/classes:$(cat offload-ctl/target/test-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -cp "$cp" io.nvmfoffload.ctl.bench.ConfigBench \
  "${1:-1000}" "${2:-4}" "$JAVA_HOME/bin/java" \
  "offload-ctl/target/offload-ctl-0.1.0-SNAPSHOT.jar:$(cat offload-ctl/target/runtime-classpath.txt)" "$PWD/offload-ctl/bin/offload-ctl"
