#!/usr/bin/env bash
# Builds what is needed and runs offload-ctl; with no arguments it runs the main job on the
# embedded default: serve the quickstart subsystem (one RAM namespace) over NVMe/TCP on
# 127.0.0.1:4420 until Ctrl-C. Any arguments are offload-ctl's own: ./run.sh devices, ./run.sh --help
# On a fresh Debian machine it first installs the JDK 25, Maven and unzip it builds with (as root,
# through apt-get: scripts/install-build-deps.sh), or says in one line what to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/install-build-deps.sh
source scripts/lib/env.sh
# The build is quiet and takes minutes the first time (Maven fetches the dependencies): say so.
if [[ ! -f offload-ctl/target/runtime-classpath.txt ]]; then
  echo "run: building offload-ctl with $JAVA_HOME (first build: a few minutes) ..." >&2
fi
mvnw -q -B -ntp install -DskipTests -pl offload-ctl -am
classpath="offload-ctl/target/classes:$(cat offload-ctl/target/runtime-classpath.txt)"
[[ $# -gt 0 ]] || set -- serve
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" io.nvmfoffload.ctl.cli.OffloadCtl "$@"
