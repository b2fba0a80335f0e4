#!/bin/bash
# Brings up a soft-RoCE device rxe0 on a dummy netdev (rdma_cm cannot route over rxe on lo).
# Used inside the guest, and on a host that can load rdma_rxe. Idempotent.
set -euo pipefail
addr=${RXE_ADDR:-169.254.77.1/24}
modprobe rdma_rxe
modprobe rdma_ucm
modprobe ib_uverbs
ip link show rxenet0 >/dev/null 2>&1 || ip link add rxenet0 type dummy
ip addr show dev rxenet0 | grep -q "inet ${addr%/*}/" || ip addr add "$addr" dev rxenet0
ip link set rxenet0 up
rdma link show rxe0 >/dev/null 2>&1 || rdma link add rxe0 type rxe netdev rxenet0
for _ in $(seq 50); do
  [[ "$(cat /sys/class/infiniband/rxe0/ports/1/state 2>/dev/null)" == *ACTIVE* ]] && exit 0
  sleep 0.1
done
echo "rxe-up: rxe0 did not become ACTIVE" >&2
exit 1
