#!/usr/bin/env bash
# Builds what is needed and runs offload-ctl; with no arguments it runs the main job on the
# embedded default: serve the quickstart subsystem (one RAM namespace) over NVMe/TCP on
# 127.0.0.1:4420 until Ctrl-C. Any arguments are offload-ctl's own: ./run.sh devices, ./run.sh --help
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/lib/env.sh
mvnw -q -B -ntp install -DskipTests -pl offload-ctl -am
classpath="offload-ctl/target/classes:$(cat offload-ctl/target/runtime-classpath.txt)"
[[ $# -gt 0 ]] || set -- serve
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" io.nvmfoffload.ctl.cli.OffloadCtl "$@"
