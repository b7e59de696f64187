#!/usr/bin/env bash
# Builds the node image from what `./mvnw -DskipTests package` laid out in payara/target.
#   deploy/build-image.sh [BASE] [TAG]     BASE defaults to the Containerfile's (Temurin's JRE), TAG to localhost/wscluster:latest
# Uses podman, or docker when podman is missing. WSCLUSTER_PODMAN may name the command with its options.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
base=${1:-}
tag=${2:-localhost/wscluster:latest}
for f in payara-micro.jar wscluster.war; do
    [ -f "$root/payara/target/$f" ] || { echo "build-image.sh: payara/target/$f is missing: run ./mvnw -DskipTests package first" >&2; exit 1; }
done
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$root/payara/target/payara-micro.jar" "$root/payara/target/wscluster.war" "$root/payara/preboot.asadmin" \
    "$here/entrypoint.sh" "$here/Containerfile" "$context/"
engine=${WSCLUSTER_PODMAN:-$(command -v podman || command -v docker)}
# shellcheck disable=SC2086
# No network for the build's steps: they need none (and podman's default network would NAT to the outside).
$engine build --network none ${base:+--build-arg BASE="$base"} -t "$tag" -f "$context/Containerfile" "$context"
