#!/usr/bin/env bash
# IOPS of one subsystem with the offload on (emulated) and off, in one soft-RoCE guest (see OffloadBench).
#   soft-roce-tests/bench/offload-bench.sh            15 s per run: warm-up, 4 runs per path and workload in ABBA
#                                                     order, then 4 side-by-side runs per workload (about 27 minutes)
#   BENCH_ROUNDS=2 soft-roce-tests/bench/offload-bench.sh   2 of each (about 15 minutes)
#   BENCH_SECONDS=5 soft-roce-tests/bench/offload-bench.sh
exec "$(dirname "${BASH_SOURCE[0]}")/run-main-in-guest.sh" io.nvmfoffload.softroce.bench.OffloadBench 15
