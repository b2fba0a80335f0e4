#!/usr/bin/env bash
# Installs what ./run.sh needs to build on a fresh Debian machine, as install-deps.sh does for the
# tests: a JDK 25 (openjdk-25-jdk-headless, in Debian 13; Debian 12's archive has none), a system
# Maven (used once, to fetch the pinned Maven into ~/.m2) and unzip (the Maven wrapper unpacks it).
# Silent when everything is present; not root, no apt-get, or no JDK 25 package: one line of what
# to install, exit 2.
#
#   scripts/install-build-deps.sh            install what is missing
#   scripts/install-build-deps.sh --check    exit 0 when everything is present, 1 otherwise; installs nothing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JDK_PACKAGE=openjdk-25-jdk-headless
# The JDK search and the pinned Maven's version come from env.sh, so both scripts agree on "present".
# shellcheck source=scripts/lib/env.sh
NVMF_ENV_FUNCTIONS_ONLY=1 source "$here/lib/env.sh"

jdk_present() { (choose_jdk) >/dev/null 2>&1; }

pinned=$(sed -n 's|^distributionUrl=.*/apache-maven-\([0-9.]*\)-bin\.zip$|\1|p' "$NVMF_ROOT/.mvn/wrapper/maven-wrapper.properties")

maven_present() {  # the pinned Maven already in the local repository, or a system mvn to fetch it
  local repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
  [[ -f "$repo/org/apache/maven/apache-maven/$pinned/apache-maven-$pinned-bin.zip" ]] || command -v mvn >/dev/null
}

wrapper_ready() {  # the wrapper has unpacked its Maven already (under ~/.m2/wrapper), or can unzip one
  compgen -G "${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists/apache-maven-$pinned*/*/bin/mvn" >/dev/null || command -v unzip >/dev/null
}

missing=()
jdk_present || missing+=("$JDK_PACKAGE")
maven_present || missing+=(maven)
wrapper_ready || missing+=(unzip)

if [[ "${1:-}" == "--check" ]]; then
  [[ ${#missing[@]} -eq 0 ]] && exit 0
  echo "install-build-deps: missing: ${missing[*]}" >&2
  exit 1
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

jdk_hint="a JDK 25: $JDK_PACKAGE on Debian 13, or on Debian 12 Temurin 25 (temurin-25-jdk from Adoptium's apt repository) or any JDK 25 under /usr/lib/jvm or in JAVA_HOME"
if [[ $(id -u) -ne 0 || -z "$(command -v apt-get)" ]]; then
  why=$([[ $(id -u) -ne 0 ]] && echo "not root" || echo "no apt-get")
  hint=""
  [[ " ${missing[*]} " == *" $JDK_PACKAGE "* ]] && hint="; for the JDK: $jdk_hint"
  echo "install-build-deps: needs ${missing[*]} ($why, so not installed here): run 'sudo scripts/install-build-deps.sh' or install them yourself$hint" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-build-deps: installing ${missing[*]} with apt-get (once; later runs find them)"
apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT
apt-get update -qq >"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; echo "install-build-deps: apt-get update failed (log above)" >&2; exit 3; }

# Debian 12 has no JDK 25 package: install the rest, then say in one line what to install instead.
installable=()
no_jdk=no
for p in "${missing[@]}"; do
  if [[ $p == "$JDK_PACKAGE" ]] && ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    no_jdk=yes
  else
    installable+=("$p")
  fi
done
if [[ ${#installable[@]} -gt 0 ]]; then
  if ! apt-get install -y -qq --no-install-recommends "${installable[@]}" >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    echo "install-build-deps: apt-get failed installing: ${installable[*]} (log above)" >&2
    exit 3
  fi
fi
if [[ $no_jdk == yes ]]; then
  echo "install-build-deps: this machine's apt sources have no $JDK_PACKAGE; install $jdk_hint" >&2
  exit 2
fi
echo "install-build-deps: ready (${missing[*]} installed)"
