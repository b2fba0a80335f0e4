#!/bin/bash
# Runs as PID 1 on the host's root (overlaid): finish the system set-up, bring up rxe0, run the
# command with its output on the second serial port, leave its exit status in the bedctl share.
. /run/bed/env.sh
# Guest uptime at each step, kept with the logs: where a slow boot spends its time.
mark() { echo "$(cut -d' ' -f1 /proc/uptime) $1" >>/run/bed/stage2.times; }
mark "stage2 start"
# A fresh /tmp, unless the project lives under it (a CI clone may): the overlay root is writable
# anyway, and a tmpfs there would hide the project share mounted below it.
case "$BED_PROJECT/" in
  /tmp/*) ;;
  *) mount -t tmpfs tmpfs /tmp ;;
esac
mount -t tmpfs tmpfs /dev/shm 2>/dev/null || { mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm; }
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mkdir -p "/lib/modules/$BED_ABI" && mount --bind "$BED_MODULES" "/lib/modules/$BED_ABI"
modprobe configfs && mount -t configfs configfs /sys/kernel/config
mark "mounts and modules dir ready"
hostname softroce-guest
ip link set lo up
out=/dev/ttyS1
stty -F "$out" raw -echo 115200 2>/dev/null

finish() { echo "$1" >/run/bed/rc; sync; poweroff -f; }
if ! bash /run/bed/rxe-up.sh >/run/bed/rxe-up.log 2>&1; then
  { echo "guest: bringing up rxe0 failed:"; cat /run/bed/rxe-up.log; } >"$out"
  finish 126
fi
mark "rxe0 up, command starts"
touch /run/bed/ready
cd "$BED_CWD" 2>/dev/null || cd "$BED_PROJECT"
export HOME=/root TERM=${TERM:-vt100}
if [[ $BED_MODE == shell ]]; then
  stty -F "$out" sane 2>/dev/null
  echo "soft-RoCE guest: rxe0 at ${RXE_ADDR:-169.254.77.1}; 'exit' powers off" >"$out"
  setsid -c bash -il <>"$out" >&0 2>&1
  finish 0
fi
bash /run/bed/cmd.sh >"$out" 2>&1 </dev/null
finish $?
