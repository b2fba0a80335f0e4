# Sourced, not run. Where the soft-RoCE guest's kernel is cached and how it is fetched.
# The kernel is never installed on the host: its .deb is downloaded and unpacked into a cache.

GUEST_KERNEL_CACHE=${GUEST_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvmf-offload/guest-kernel}

guest_kernel_ready() {
  [[ -s "$GUEST_KERNEL_CACHE/abi" ]] || return 1
  local abi; abi=$(cat "$GUEST_KERNEL_CACHE/abi")
  [[ -f "$GUEST_KERNEL_CACHE/root/boot/vmlinuz-$abi" && -f "$GUEST_KERNEL_CACHE/root/lib/modules/$abi/modules.dep" ]]
}

# The kernel that Debian's linux-image-amd64 meta-package points at (for example 6.1.0-50-amd64).
guest_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}

fetch_guest_kernel() {
  local pkg abi work
  pkg=$(guest_kernel_package)
  if [[ -z "$pkg" ]]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(guest_kernel_package)
  fi
  [[ -n "$pkg" ]] || { echo "guest-kernel: apt cannot resolve linux-image-amd64 to a kernel package" >&2; return 3; }
  abi=${pkg#linux-image-}
  echo "guest-kernel: downloading $pkg into $GUEST_KERNEL_CACHE"
  work=$(mktemp -d); chmod 755 "$work"  # apt-get download drops to user _apt
  ( cd "$work" && apt-get download -qq "$pkg" >/dev/null ) \
    || { echo "guest-kernel: apt-get download $pkg failed" >&2; rm -rf "$work"; return 3; }
  rm -rf "$GUEST_KERNEL_CACHE/root"
  mkdir -p "$GUEST_KERNEL_CACHE/root"
  dpkg-deb -x "$work"/*.deb "$GUEST_KERNEL_CACHE/root"
  rm -rf "$work"
  depmod -b "$GUEST_KERNEL_CACHE/root" "$abi"
  echo "$abi" >"$GUEST_KERNEL_CACHE/abi"
}
