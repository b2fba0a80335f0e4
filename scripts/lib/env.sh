# Sourced by run.sh, test.sh, .ci/run and scripts/package.sh. Chooses a JDK 25 and the pinned Maven,
# and defines mvnw.
#
# JDK: JAVA_HOME when it is 25 or newer, else the newest JDK 25+ under /usr/lib/jvm, else a stop
# with what to install. Maven: the version in .mvn/wrapper/maven-wrapper.properties, taken from the
# local Maven repository (fetched there once by a system Maven).

NVMF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

java_major() {  # prints the feature version of the JDK at $1, or nothing
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 0
  # The JDK's release file first: starting a JVM per candidate would slow every run of the CLI launcher.
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [[ -n "$v" && "$v" != 1 ]]; then echo "$v"; return 0; fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

choose_jdk() {
  local v
  if [[ -n "${JAVA_HOME:-}" ]]; then
    v=$(java_major "$JAVA_HOME")
    if [[ -n "$v" && $v -ge 25 ]]; then return 0; fi
    echo "env: JAVA_HOME=$JAVA_HOME is not a JDK 25+ (${v:-no javac there}); looking under /usr/lib/jvm" >&2
  fi
  local best="" best_v=0 d
  # NVMF_JVM_DIR: another place to look instead (scripts/tests stubs a machine without a JDK 25).
  for d in "${NVMF_JVM_DIR:-/usr/lib/jvm}"/*/; do
    d=${d%/}; [[ -L "$d" ]] && continue
    v=$(java_major "$d")
    if [[ -n "$v" && $v -ge 25 && $v -gt $best_v ]]; then best=$d best_v=$v; fi
  done
  if [[ -z "$best" ]]; then
    cat >&2 <<MSG
env: no JDK 25 or newer found (JAVA_HOME unset or older, nothing suitable under /usr/lib/jvm).
env: install one: 'apt-get install openjdk-25-jdk-headless' on Debian 13 (scripts/install-build-deps.sh
env: does it), Eclipse Temurin 25 ('apt-get install temurin-25-jdk' once Adoptium's apt repository is
env: configured) on Debian 12, or point JAVA_HOME at a JDK 25.
MSG
    return 1
  fi
  export JAVA_HOME=$best
}

choose_maven() {
  local props="$NVMF_ROOT/.mvn/wrapper/maven-wrapper.properties" v repo zip
  v=$(sed -n 's|^distributionUrl=.*/apache-maven-\([0-9.]*\)-bin\.zip$|\1|p' "$props")
  [[ -n "$v" ]] || { echo "env: cannot read the Maven version from $props" >&2; return 1; }
  repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
  zip="$repo/org/apache/maven/apache-maven/$v/apache-maven-$v-bin.zip"
  if [[ ! -f "$zip" ]]; then
    command -v mvn >/dev/null || {
      echo "env: Maven $v is fetched once with a system Maven, and there is none: apt-get install maven" >&2
      return 1; }
    mvn -q -B dependency:get -Dartifact="org.apache.maven:apache-maven:$v:zip:bin" -Dtransitive=false >/dev/null \
      || { echo "env: could not fetch org.apache.maven:apache-maven:$v:zip:bin into $repo" >&2; return 1; }
  fi
  export MVNW_REPOURL="file://$repo"
}

# The wrapper's own downloaders (wget, curl) may not read file:// URLs; with credentials set it
# uses its Java downloader, which does. They are used for that one install only.
mvnw() {
  if ! "$NVMF_ROOT/mvnw" -q --version >/dev/null 2>&1; then
    MVNW_USERNAME=local MVNW_PASSWORD=local "$NVMF_ROOT/mvnw" -q --version >/dev/null \
      || { echo "env: installing the pinned Maven from $MVNW_REPOURL failed" >&2; return 1; }
  fi
  "$NVMF_ROOT/mvnw" "$@"
}

# NVMF_ENV_FUNCTIONS_ONLY=1: define the functions and choose nothing (scripts/install-build-deps.sh asks first).
[[ "${NVMF_ENV_FUNCTIONS_ONLY:-}" == 1 ]] || { choose_jdk && choose_maven; }
