#!/usr/bin/env bash
# Boots the soft-RoCE guest and runs one command in it; the command's output streams to stdout and
# its exit status becomes ours.
#
#   guest.sh [options] -- 'SCRIPT'           run a bash script line in the guest, cwd preserved
#   guest.sh [options] -- COMMAND ARG...     run a command with its arguments kept as words
#   guest.sh [options] shell                 an interactive root shell in the guest (exit to power off)
#
# Options:
#   --timeout SECONDS   kill the guest after this long (default 1800); exit status 124 then
#   --log-dir DIR       where the guest kernel console and timings go (default: a new temp dir)
#   --smp N / --mem SIZE   guest CPUs (default 2) and memory (default 4G)
#   --accel kvm|tcg|auto   default auto: KVM if it boots a guest here (probed once, cached), else TCG
#
# The guest has no disk image: its root is this host's / over 9p (read-only) with a tmpfs overlay,
# the project directory is shared read-write at the same path, and rxe0 runs on a dummy netdev with
# the address in RXE_ADDR (169.254.77.1/24). See soft-roce-tests/README.md.
set -euo pipefail

bed_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project_dir=$(cd "$bed_dir/../.." && pwd)
source "$project_dir/scripts/lib/guest-kernel.sh"

timeout_s=1800 log_dir="" smp=2 mem=4G accel=${SOFTROCE_ACCEL:-auto}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) timeout_s=$2; shift 2 ;;
    --log-dir) log_dir=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --) shift; mode=run; break ;;
    shell) shift; mode=shell; break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "guest.sh: unknown argument '$1' (see guest.sh --help)" >&2; exit 2 ;;
  esac
done
[[ -n "${mode:-}" ]] || { echo "guest.sh: say '-- COMMAND' or 'shell' (see guest.sh --help)" >&2; exit 2; }
[[ $mode == shell || $# -gt 0 ]] || { echo "guest.sh: no command after --" >&2; exit 2; }

command -v qemu-system-x86_64 >/dev/null || { echo "guest.sh: qemu-system-x86_64 not found; run scripts/install-deps.sh" >&2; exit 3; }
guest_kernel_ready || { echo "guest.sh: guest kernel not cached in $GUEST_KERNEL_CACHE; run scripts/install-deps.sh" >&2; exit 3; }
abi=$(cat "$GUEST_KERNEL_CACHE/abi")
kroot="$GUEST_KERNEL_CACHE/root"

# The initramfs only has to reach the host's root over 9p; it is rebuilt when its inputs change.
# The RDMA modules are loaded from the initramfs too: modprobe over 9p under TCG costs seconds each.
initrd_modules=(virtio_pci 9pnet_virtio 9p overlay configfs dummy rdma_rxe rdma_ucm ib_uverbs)
initrd="$GUEST_KERNEL_CACHE/initramfs-$abi-$( { cat "$bed_dir/initramfs-init" /bin/busybox; echo "${initrd_modules[*]}"; } | sha1sum | cut -c1-12).cpio.gz"
if [[ ! -s "$initrd" ]]; then
  staging=$(mktemp -d)
  mkdir -p "$staging"/{bin,proc,sys,dev,mods,host,rw,newroot}
  cp /bin/busybox "$staging/bin/busybox"
  cp "$bed_dir/initramfs-init" "$staging/init"; chmod 755 "$staging/init"
  : >"$staging/modules.order"
  for m in "${initrd_modules[@]}"; do
    modprobe -d "$kroot" -S "$abi" --show-depends "$m" | awk '$1=="insmod"{print $2}' | while read -r ko; do
      base=$(basename "$ko")
      grep -qx "$base" "$staging/modules.order" || { cp "$ko" "$staging/mods/"; echo "$base" >>"$staging/modules.order"; }
    done
  done
  (cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp" && mv "$initrd.tmp" "$initrd"
  rm -rf "$staging"
fi

ctl=$(mktemp -d /tmp/softroce-ctl.XXXXXX)
[[ -n "$log_dir" ]] || log_dir=$(mktemp -d /tmp/softroce-log.XXXXXX)
mkdir -p "$log_dir"
cleanup() { [[ -n "${qemu_pid:-}" ]] && kill "$qemu_pid" 2>/dev/null; rm -rf "$ctl"; }
trap cleanup EXIT

cp "$bed_dir/guest-stage2.sh" "$bed_dir/rxe-up.sh" "$ctl/"
{
  printf 'export BED_PROJECT=%q BED_ABI=%q BED_MODULES=%q BED_CWD=%q BED_MODE=%q\n' \
    "$project_dir" "$abi" "$kroot/lib/modules/$abi" "$PWD" "$mode"
  printf 'export PATH=%q RXE_UP_TRACE=%q\n' "$PATH" "${RXE_UP_TRACE:-}"
  [[ -n "${JAVA_HOME:-}" ]] && printf 'export JAVA_HOME=%q\n' "$JAVA_HOME"
} >"$ctl/env.sh"
# One argument is a shell script ("a | b"); several are one command with its arguments, kept as words.
if [[ $mode == run ]]; then
  if [[ $# -eq 1 ]]; then printf '%s\n' "$1" >"$ctl/cmd.sh"; else printf '%q ' "$@" >"$ctl/cmd.sh"; echo >>"$ctl/cmd.sh"; fi
fi

# KVM only where an ordinary Debian kernel really boots under it (see shared NOTES: a PVM host
# exposes /dev/kvm but aborts such guests); the answer is cached per host kernel and qemu build.
kvm_works() {
  [[ -w /dev/kvm ]] || return 1
  local stamp="$GUEST_KERNEL_CACHE/kvm-probe-$(uname -r)-$(qemu-system-x86_64 --version | head -1 | tr -cd '0-9.')"
  if [[ ! -f "$stamp" ]]; then
    local out; out=$(mktemp)
    ( timeout 30 qemu-system-x86_64 -accel kvm -cpu host -m 256M -nic none -no-reboot -display none \
      -monitor none -serial "file:$out" -kernel "$kroot/boot/vmlinuz-$abi" -initrd "$initrd" \
      -append "console=ttyS0 panic=-1 bed_probe=1" >/dev/null 2>&1 ) 2>/dev/null || true
    if grep -q 'BED-PROBE-OK' "$out"; then echo yes >"$stamp"; else echo no >"$stamp"; fi
    rm -f "$out"
  fi
  [[ $(cat "$stamp") == yes ]]
}
case "$accel" in
  kvm) accel_args=(-accel kvm -cpu host) ;;
  tcg) accel_args=(-accel tcg,thread=multi -cpu max) ;;
  auto) if kvm_works; then accel_args=(-accel kvm -cpu host); else accel_args=(-accel tcg,thread=multi -cpu max); fi ;;
  *) echo "guest.sh: --accel takes kvm, tcg or auto, not '$accel'" >&2; exit 2 ;;
esac
echo "${accel_args[1]%%,*}" >"$log_dir/accel"
# Under TCG the guest kernel's boot-time TSC sync check sees warps of a few cycles (qemu reads the
# host's TSC in a helper, not ordered like the guest's lfence;rdtsc) and falls back to the emulated
# HPET: every clock_gettime then becomes a system call plus a trapped device read, which fio, the
# JVM and perftest's peers all pay. qemu's TCG TSC is the host's own (one counter for all vCPUs), so
# the guest may trust it. GUEST_KERNEL_ARGS=clocksource=hpet boots with the HPET clock instead.
clock_args=""
[[ ${accel_args[1]} == tcg* ]] && clock_args="tsc=reliable"

# The shell mode reads the terminal; a run reads nothing (CI may have no stdin at all). The explicit
# redirection matters: without job control bash gives a background job /dev/null as its stdin.
serial_out=(-serial stdio)
exec {qemu_stdin}</dev/null
if [[ $mode == shell ]]; then
  serial_out=(-chardev stdio,id=s1,signal=off -serial chardev:s1)
  exec {qemu_stdin}<&0
fi
qemu-system-x86_64 "${accel_args[@]}" -smp "$smp" -m "$mem" -nic none -no-reboot \
  -display none -monitor none \
  -kernel "$kroot/boot/vmlinuz-$abi" -initrd "$initrd" \
  -append "console=ttyS0 loglevel=4 panic=-1 $clock_args ${GUEST_KERNEL_ARGS:-}" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$project_dir,mount_tag=project,security_model=none,multidevs=remap" \
  -virtfs "local,path=$ctl,mount_tag=bedctl,security_model=none" \
  -serial "file:$log_dir/console.log" "${serial_out[@]}" <&"$qemu_stdin" &
qemu_pid=$!
started=$(date +%s%N)
# Helpers in the background must not hold our stdout open: a reader of it waits for EOF.
( sleep "$timeout_s"; kill "$qemu_pid" 2>/dev/null ) </dev/null >/dev/null 2>&1 & watchdog=$!
# Readiness is stamped with the host's clock: the guest's clock starts from a coarse RTC.
( while [[ ! -e "$ctl/ready" ]]; do sleep 0.05; kill -0 "$qemu_pid" 2>/dev/null || exit 0; done
  date +%s%N >"$ctl/ready-ns" ) </dev/null >/dev/null 2>&1 & stamper=$!
wait "$qemu_pid" || true
qemu_pid=""
pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null || true
wait "$stamper" 2>/dev/null || true
ended=$(date +%s%N)
cp "$ctl/rxe-up.log" "$ctl/stage2.times" "$log_dir/" 2>/dev/null || true

if [[ -f "$ctl/rc" ]]; then
  rc=$(cat "$ctl/rc")
  ready=$(cat "$ctl/ready-ns" 2>/dev/null || echo "$started")
  printf 'guest: accel %s, boot %.1f s, in guest %.1f s, exit %s\n' "$(cat "$log_dir/accel")" \
    "$(( (ready - started) / 1000000 ))e-3" "$(( (ended - ready) / 1000000 ))e-3" "$rc" >&2
  printf 'boot_ms=%d\nguest_ms=%d\nrc=%d\n' $(( (ready - started) / 1000000 )) $(( (ended - ready) / 1000000 )) "$rc" >"$log_dir/timings"
  exit "$rc"
fi
elapsed=$(( (ended - started) / 1000000000 ))
if (( elapsed >= timeout_s )); then
  echo "guest.sh: guest killed after the ${timeout_s}s timeout; kernel console: $log_dir/console.log" >&2
  exit 124
fi
echo "guest.sh: the guest stopped without reporting an exit status; kernel console: $log_dir/console.log" >&2
tail -n 20 "$log_dir/console.log" >&2 || true
exit 125
