#!/usr/bin/env bash
# Runs the whole test suite: unit tests on this host, then the tests that need a real RDMA device
# inside the soft-RoCE bed (this host's rxe0 if it has one, else a qemu guest it boots once).
# Installs the system packages first (needs root the first time). Extra arguments go to Maven,
# e.g. ./test.sh -pl nvme-backend   or   ./test.sh -Dsoftroce.bed=qemu
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/install-deps.sh
source scripts/lib/env.sh
mvnw -B -ntp verify -Dsoftroce.required=true "$@"
