#!/bin/bash
# Brings up a soft-RoCE device rxe0 on a dummy netdev (rdma_cm cannot route over rxe on lo).
# Used inside the guest, and on a host that can load rdma_rxe. Idempotent.
# Few processes on purpose: under TCG each exec over 9p costs up to a second.
set -euo pipefail
[[ -n "${RXE_UP_TRACE:-}" ]] && { PS4='+ $(cut -d" " -f1 /proc/uptime) '; set -x; }
addr=${RXE_ADDR:-169.254.77.1/24}
for m in rdma_rxe rdma_ucm ib_uverbs; do
  [[ -d /sys/module/$m ]] || { modprobe -a rdma_rxe rdma_ucm ib_uverbs; break; }
done
if [[ ! -e /sys/class/net/rxenet0 ]]; then
  ip -batch - <<IP
link add rxenet0 type dummy
addr replace $addr dev rxenet0
link set rxenet0 up
IP
fi
[[ -e /sys/class/infiniband/rxe0 ]] || rdma link add rxe0 type rxe netdev rxenet0
for _ in {1..100}; do
  read -r state </sys/class/infiniband/rxe0/ports/1/state || true
  [[ "$state" == *ACTIVE* ]] && exit 0
  sleep 0.1
done
echo "rxe-up: rxe0 did not become ACTIVE (port state: ${state:-unknown})" >&2
exit 1
