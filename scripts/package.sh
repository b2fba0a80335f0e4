#!/usr/bin/env bash
# Builds the self-contained tarball of offload-ctl: target/package/nvmf-offload-VERSION.tar.gz, one
# directory laid out as an installable tree (tar -C /usr/local --strip-components=1 -xzf ...):
#   bin/offload-ctl                              the launcher (finds its jars through readlink -f)
#   lib/nvmf-offload/*.jar                       offload-ctl and its runtime dependencies
#   lib/systemd/system/nvmf-offload.service      the unit (serve /etc/nvmf-offload/config.json)
#   share/man/man1/offload-ctl.1.gz              the man page, generated from the command model
#   share/bash-completion/completions/offload-ctl
#   etc/nvmf-offload/config.json.example         the quickstart, to copy to /etc/nvmf-offload/config.json
#   share/doc/nvmf-offload/                      README, the example configurations, the JSON schema
#
#   scripts/package.sh [--prefix DIR] [--output DIR] [--no-build] [-- MAVEN_ARGS...]
#     --prefix DIR   where the tree will be installed; the unit's paths name DIR/bin (default /usr/local)
#     --output DIR   where the tree and the tarball are written (default target/package)
#     --no-build     package what is already built (offload-ctl/target/classes and runtime-classpath.txt
#                    of an earlier mvnw compile/test/package); the tests use it
#     MAVEN_ARGS     extra arguments of the build, e.g. -- -o for an offline build
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
output="$root/target/package"
build=yes
maven_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --output) output=${2:?--output needs a directory}; shift 2 ;;
    --no-build) build=no; shift ;;
    --) shift; maven_args=("$@"); break ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package: unknown argument '$1' (--help lists them)" >&2; exit 2 ;;
  esac
done

ctl="$root/offload-ctl"
if [[ $build == yes ]]; then
  source "$root/scripts/lib/env.sh"
  echo "package: building offload-ctl and its modules (mvnw package, tests skipped)"
  # package, not install: nothing in ~/.m2 changes; the reactor hands offload-ctl its modules' jars.
  mvnw -q -B -ntp package -DskipTests -pl offload-ctl -am "${maven_args[@]}"
elif [[ ! -x "${JAVA_HOME:-/nonexistent}/bin/jar" ]]; then
  source "$root/scripts/lib/env.sh"
fi
info="$ctl/target/classes/io/nvmfoffload/ctl/cli/build-info.properties"
[[ -f "$info" && -f "$ctl/target/runtime-classpath.txt" ]] || {
  echo "package: offload-ctl is not built; run scripts/package.sh without --no-build" >&2; exit 1; }
version=$(sed -n 's/^version=//p' "$info")
name="nvmf-offload-$version"
stage="$output/$name"
rm -rf "$stage" "$output/$name.tar.gz"
mkdir -p "$stage"/{bin,lib/nvmf-offload,lib/systemd/system,share/man/man1,share/bash-completion/completions,etc/nvmf-offload}
mkdir -p "$stage/share/doc/nvmf-offload/examples"

# The jars: offload-ctl's own (the built jar, or its classes) and every runtime dependency. A
# dependency that is a module's classes directory (a build without package) becomes a jar here.
jar_of() {  # $1: a classpath entry
  local entry=$1 module
  if [[ -f "$entry" ]]; then
    cp "$entry" "$stage/lib/nvmf-offload/"
  elif [[ -d "$entry" ]]; then
    module=$(basename "$(dirname "$(dirname "$entry")")")
    "$JAVA_HOME/bin/jar" --create --file "$stage/lib/nvmf-offload/$module-$version.jar" -C "$entry" .
  else
    echo "package: classpath entry $entry does not exist" >&2; exit 1
  fi
}
own="$ctl/target/offload-ctl-$version.jar"
if [[ $build == yes && -f "$own" ]]; then jar_of "$own"; else jar_of "$ctl/target/classes"; fi
IFS=: read -r -a deps <"$ctl/target/runtime-classpath.txt" || true  # no final newline: read says 1
for d in "${deps[@]}"; do [[ -n "$d" ]] && jar_of "$d"; done

install -m 0755 "$root/packaging/bin/offload-ctl" "$stage/bin/offload-ctl"
sed "s|/usr/local/bin/offload-ctl|$prefix/bin/offload-ctl|g" "$root/packaging/systemd/nvmf-offload.service" \
  >"$stage/lib/systemd/system/nvmf-offload.service"
cp "$root/examples/configs/quickstart.json" "$stage/etc/nvmf-offload/config.json.example"
cp "$root/examples/configs/"*.json "$stage/share/doc/nvmf-offload/examples/"
cp "$root/README.md" "$stage/share/doc/nvmf-offload/README.md"
cp "$ctl/src/main/resources/io/nvmfoffload/ctl/config/offload-ctl-config.schema.json" "$stage/share/doc/nvmf-offload/"

# The man page and the completion come from the packaged launcher: the tree is checked as it runs.
"$stage/bin/offload-ctl" generate-man "$stage/share/man/man1/offload-ctl.1"
chmod 0644 "$stage/share/man/man1/offload-ctl.1"  # generate-man writes 0600, as save does
gzip -9n "$stage/share/man/man1/offload-ctl.1"
"$stage/bin/offload-ctl" generate-completion >"$stage/share/bash-completion/completions/offload-ctl"

# Owned by root in the archive whoever builds it; files in name order, so two builds list alike.
tar -C "$output" --owner=0 --group=0 --numeric-owner --sort=name -czf "$output/$name.tar.gz" "$name"
echo "package: $output/$name.tar.gz ($("$stage/bin/offload-ctl" --version | head -n 1))"
echo "package: install with: sudo tar -C $prefix --strip-components=1 -xzf $output/$name.tar.gz (see README.md)"
