#!/usr/bin/env bash
# IOPS of one subsystem with the offload on (emulated) and off, in one soft-RoCE guest (see OffloadBench).
#   soft-roce-tests/bench/offload-bench.sh            15 s per run: warm-up, then 4 runs per path and workload in ABBA order (about 14 minutes)
#   BENCH_ROUNDS=2 soft-roce-tests/bench/offload-bench.sh   2 runs per path and workload (about 9 minutes)
#   BENCH_SECONDS=5 soft-roce-tests/bench/offload-bench.sh
exec "$(dirname "${BASH_SOURCE[0]}")/run-main-in-guest.sh" io.nvmfoffload.softroce.bench.OffloadBench 15
