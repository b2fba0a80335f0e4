#!/usr/bin/env bash
# Installs the system packages the project's tests need, and caches the Debian kernel that the
# soft-RoCE guest boots. Idempotent: prints nothing but a one-line summary when all is present.
#
#   scripts/install-deps.sh            packages + guest kernel
#   scripts/install-deps.sh --check    exit 0 when everything is present, 1 otherwise; installs nothing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/guest-kernel.sh
source "$here/lib/guest-kernel.sh"

PACKAGES=(
  qemu-system-x86 busybox-static kmod cpio iproute2
  rdma-core ibverbs-providers ibverbs-utils rdmacm-utils libibverbs-dev librdmacm-dev perftest
  nvme-cli fio e2fsprogs gcc maven
  fontconfig fonts-dejavu-core
)

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

mapfile -t missing < <(missing_packages)
kernel_ready=yes
guest_kernel_ready || kernel_ready=no

if [[ "${1:-}" == "--check" ]]; then
  [[ ${#missing[@]} -eq 0 && $kernel_ready == yes ]] && exit 0
  echo "install-deps: missing packages: ${missing[*]:-none}; guest kernel cached: $kernel_ready" >&2
  exit 1
fi

if [[ ${#missing[@]} -eq 0 && $kernel_ready == yes ]]; then
  echo "install-deps: all system packages and the guest kernel are present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: must run as root to install: ${missing[*]:-}${missing[*]:+ }$( [[ $kernel_ready == no ]] && echo '(guest kernel)')" >&2
  echo "install-deps: run 'sudo scripts/install-deps.sh'" >&2
  exit 2
fi
if ! command -v apt-get >/dev/null; then
  echo "install-deps: no apt-get on this machine; install by hand: ${PACKAGES[*]}" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  apt_log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    echo "install-deps: apt-get failed installing: ${missing[*]} (log above)" >&2
    exit 3
  fi
  rm -f "$apt_log"
fi

if [[ $kernel_ready == no ]]; then
  fetch_guest_kernel
fi
echo "install-deps: ready (guest kernel $(cat "$GUEST_KERNEL_CACHE/abi"))"
