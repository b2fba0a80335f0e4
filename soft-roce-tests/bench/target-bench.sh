#!/usr/bin/env bash
# Benchmarks our target against the kernel's nvmet in one soft-RoCE guest (see TargetBench).
#   soft-roce-tests/bench/target-bench.sh            20 s per workload, our target warmed first (about 8 minutes in all)
#   BENCH_SECONDS=5 soft-roce-tests/bench/target-bench.sh
exec "$(dirname "${BASH_SOURCE[0]}")/run-main-in-guest.sh" io.nvmfoffload.softroce.bench.TargetBench 20
