#!/usr/bin/env bash
# NVMe/TCP in the soft-RoCE guest: our TCP target vs the kernel's nvmet-tcp (reads), and the DDP
# receive offload model on vs off (writes with data digests: IOPS, bytes placed/copied per write).
# BENCH_SECONDS per fio run (default 15); about 6 minutes in all under TCG.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-main-in-guest.sh" io.nvmfoffload.softroce.bench.TcpBench 15
