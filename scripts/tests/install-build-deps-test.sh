#!/usr/bin/env bash
# Tests scripts/install-build-deps.sh on stubbed machines: PATH holds only stubs of id, apt-get,
# apt-cache, mvn and unzip plus the few real tools the script uses, so nothing is installed and the
# machine's own JDK and Maven are not seen. Prints 'N passed, N failed'; exit 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# One machine: $1 uid, $2 apt-cache candidate of the JDK package ("none" for Debian 12), then what is
# present: any of jdk25, mvn, unzip, noapt.
machine() {
  local dir="$work/m$RANDOM$RANDOM" t
  mkdir -p "$dir/bin" "$dir/jvm" "$dir/home"
  for t in bash sed grep mktemp rm tail cat dirname env; do ln -s "$(command -v "$t")" "$dir/bin/$t"; done
  printf '#!/bin/bash\n[[ "$1" == -u ]] && echo %s || echo uid=%s\n' "$1" "$1" >"$dir/bin/id"
  printf '#!/bin/bash\necho "apt-get $*" >>"%s/apt.log"\n' "$dir" >"$dir/bin/apt-get"
  if [[ $2 == none ]]; then
    printf '#!/bin/bash\necho "$2:"; echo "  Installed: (none)"; echo "  Candidate: (none)"\n' >"$dir/bin/apt-cache"
  else
    printf '#!/bin/bash\necho "$2:"; echo "  Installed: (none)"; echo "  Candidate: %s"\n' "$2" >"$dir/bin/apt-cache"
  fi
  shift 2
  for t in "$@"; do
    case $t in
      jdk25) mkdir -p "$dir/jvm/jdk-25/bin"; printf '#!/bin/true\n' >"$dir/jvm/jdk-25/bin/java"; cp "$dir/jvm/jdk-25/bin/java" "$dir/jvm/jdk-25/bin/javac"
             echo 'JAVA_VERSION="25.0.1"' >"$dir/jvm/jdk-25/release"; chmod +x "$dir/jvm/jdk-25/bin/"* ;;
      mvn | unzip) printf '#!/bin/true\n' >"$dir/bin/$t" ;;
      noapt) rm "$dir/bin/apt-get" ;;
    esac
  done
  chmod +x "$dir/bin/"*
  echo "$dir"
}

# Runs the script on machine $1; sets out, code, apt (the apt-get calls).
run_on() {
  out=$(env -i PATH="$1/bin" HOME="$1/home" NVMF_JVM_DIR="$1/jvm" bash "$root/scripts/install-build-deps.sh" 2>&1)
  code=$?
  apt=$(cat "$1/apt.log" 2>/dev/null)
}

check() {  # $1 name, $2 condition (a bash expression)
  if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: $2"; echo "  exit $code; output: $out"; echo "  apt: $apt"; fi
}

m=$(machine 0 "25.0.1+8-1")
run_on "$m"
check "debian13 installs the JDK, maven and unzip" '[[ $code == 0 && $apt == *"install -y -qq --no-install-recommends openjdk-25-jdk-headless maven unzip"* ]]'
check "debian13 says what it does" '[[ $out == *"installing openjdk-25-jdk-headless maven unzip"* ]]'

m=$(machine 0 none)
run_on "$m"
check "debian12 installs maven and unzip, not a JDK it has not" '[[ $code == 2 && $apt == *"--no-install-recommends maven unzip"* && $apt != *openjdk* ]]'
check "debian12 says in one line what to install" '[[ $(grep -c "no openjdk-25-jdk-headless" <<<"$out") == 1 && $out == *Temurin* ]]'

m=$(machine 1000 "25.0.1+8-1")
run_on "$m"
check "not root: nothing installed, one line naming everything" '[[ $code == 2 && -z $apt && $(wc -l <<<"$out") == 1 && $out == *"openjdk-25-jdk-headless maven unzip"*"not root"* ]]'

m=$(machine 0 "25.0.1+8-1" noapt mvn unzip)
run_on "$m"
check "no apt-get: the JDK hint" '[[ $code == 2 && $out == *"no apt-get"*"for the JDK"* ]]'

m=$(machine 0 none jdk25 mvn unzip)
run_on "$m"
check "everything present: silent, exit 0, no apt-get" '[[ $code == 0 && -z $out && -z $apt ]]'

[[ -n "${VERBOSE:-}" ]] && echo "last output: $out"
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
