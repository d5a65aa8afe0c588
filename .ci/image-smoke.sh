#!/usr/bin/env bash
# The container image, built and run as a user would: .ci/image-smoke.sh <workDir>
#  1. builds the service image and the sandbox image with podman from the Dockerfile, on local Debian base images
#     (.ci/base-images.sh; Docker Hub is not reachable here), Maven reading the host's repository and trusting the
#     host's certificates (the way out to Maven Central here goes through a TLS proxy);
#  2. runs the sandbox image with a read-only root filesystem (only data/ and a tmpfs /tmp writable), as uid 10001,
#     waits for its HEALTHCHECK (liveness) to say healthy, and for the sandbox org to be exported and verified;
#  3. stops it with a 30 s grace period: it must exit by itself within it (not be killed), after writing its shutdown
#     audit digest, with every recording STORED;
#  4. checks that the service image (the default target) refuses --sandbox.
# Needs root (podman, chroot for the base images). Prints the seconds each step took.
set -euo pipefail
[ "$(id -u)" = 0 ] || exec sudo -E bash "$0" "$@"   # non-root CI runners
cd "$(dirname "$0")/.."
work=$(mkdir -p "${1:?usage: $0 <workDir>}" && cd "$1" && pwd)
command -v podman >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  pkgs=(podman runc uidmap fuse-overlayfs slirp4netns debootstrap)
  apt-get -y -q install --no-install-recommends "${pkgs[@]}" \
    || { apt-get -y -q update && apt-get -y -q install --no-install-recommends "${pkgs[@]}"; }
}
step() { echo "=== image smoke: $* ($(( $(date +%s) - began )) s)"; }
began=$(date +%s)
# runc: crun cannot use this machine's hybrid cgroups; the rlimits are ones root may set here
podman=(podman --runtime runc)
run_limits=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

step "base images"
.ci/base-images.sh "$work"

step "build"
build=("${podman[@]}" build --format docker --pull=never --network=host -v "$HOME/.m2:/root/.m2" -v /etc/ssl/certs:/etc/ssl/certs:ro
  --build-arg BUILD_IMAGE=localhost/exporter-build17 --build-arg RUNTIME_IMAGE=localhost/exporter-jre17)
"${build[@]}" --target sandbox -t localhost/recording-exporter-sandbox . >"$work/build-sandbox.log" 2>&1 \
  || { tail -n 40 "$work/build-sandbox.log"; exit 1; }
"${build[@]}" -t localhost/recording-exporter . >"$work/build-service.log" 2>&1 \
  || { tail -n 40 "$work/build-service.log"; exit 1; }

step "run the sandbox image read-only as uid 10001"
name=exporter-smoke-$$
volume=exporter-smoke-data-$$
cleanup() { "${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true; "${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); management_port=$(free_port)
"${podman[@]}" volume create "$volume" >/dev/null
# the volume is created root-owned; the image's data/ is 10001's, and podman copies that ownership up on first use
"${podman[@]}" run -d --name "$name" --read-only --user 10001:10001 "${run_limits[@]}" --network host \
  -v "$volume:/opt/recording-exporter/data" \
  -e EXPORTER_HTTP_PORT="$http_port" -e EXPORTER_MANAGEMENT_PORT="$management_port" \
  -e SANDBOX_CONVERSATIONS=40 -e SANDBOX_LATE_SCREEN_SECONDS=5 \
  localhost/recording-exporter-sandbox --sandbox >/dev/null
[ "$("${podman[@]}" inspect -f '{{.Config.User}}' "$name")" = "10001:10001" ]
[ "$("${podman[@]}" inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$name")" = "true" ]

# podman runs a HEALTHCHECK from systemd timers, which this machine has not: run it as the timer would
healthy=""
for _ in $(seq 90); do
  if "${podman[@]}" healthcheck run "$name" >/dev/null 2>&1; then healthy=yes; break; fi
  [ "$("${podman[@]}" inspect -f '{{.State.Running}}' "$name")" = "true" ] || break
  sleep 2
done
[ -n "$healthy" ] || { "${podman[@]}" logs "$name" | tail -n 60; echo "never healthy"; exit 1; }
step "healthy: $("${podman[@]}" inspect -f '{{.State.Health.Status}}' "$name")"

data=$("${podman[@]}" volume inspect -f '{{.Mountpoint}}' "$volume")
for _ in $(seq 150); do
  [ -f "$data/sandbox-summary.json" ] && break
  [ "$("${podman[@]}" inspect -f '{{.State.Running}}' "$name")" = "true" ] || break
  sleep 2
done
[ -f "$data/sandbox-summary.json" ] || { "${podman[@]}" logs "$name" | tail -n 60; echo "no summary"; exit 1; }
python3 - "$data/sandbox-summary.json" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
recordings, stored = summary["recordings"], summary["stored"]
verification = summary["verification"]
print(f"sandbox in the image: {stored}/{recordings} stored, {summary['failed']} failed, verified {verification['verified']}")
assert recordings > 0 and stored == recordings and summary["failed"] == 0, summary
assert verification["verified"] == recordings, verification
EOF
curl -fsS "http://127.0.0.1:$management_port/observe/metrics" | grep -q '^exporter_recordings_total{lane="voice",outcome="stored"}' \
  || { echo "metrics not served"; exit 1; }
[ "$(stat -c %u "$data/audit")" = 10001 ] || { echo "data/ not written by uid 10001"; exit 1; }

step "stop with a 30 s grace period"
stop_began=$(date +%s)
"${podman[@]}" stop -t 30 "$name" >/dev/null
stop_seconds=$(( $(date +%s) - stop_began ))
exit_code=$("${podman[@]}" inspect -f '{{.State.ExitCode}}' "$name")
echo "stopped in ${stop_seconds} s, exit code ${exit_code}"
[ "$exit_code" != 137 ] && [ "$stop_seconds" -lt 30 ] || { "${podman[@]}" logs "$name" | tail -n 40; echo "killed, not stopped"; exit 1; }
last_entry=$(cat "$data"/audit/audit-*.jsonl | tail -n 1)
case "$last_entry" in
  *'"event":"DIGEST_PUBLISHED"'*) ;;
  *) echo "the trail does not end with the shutdown digest: $last_entry"; exit 1 ;;
esac

step "the service image refuses --sandbox"
if "${podman[@]}" run --rm "${run_limits[@]}" --network host localhost/recording-exporter --sandbox >"$work/service-sandbox.log" 2>&1; then
  echo "the service image ran --sandbox"; exit 1
fi
grep -q 'this build has no sandbox' "$work/service-sandbox.log" || { cat "$work/service-sandbox.log"; exit 1; }
step "passed"
