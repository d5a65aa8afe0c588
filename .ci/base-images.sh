#!/usr/bin/env bash
# Local base images for the Dockerfile, made from Debian's packages because no image registry is reachable here.
#   .ci/base-images.sh <workDir>   -> localhost/exporter-jre17 (runtime) and localhost/exporter-build17 (JDK + Maven)
# Both are Debian bookworm minbase; the runtime one adds the JRE and curl (the HEALTHCHECK), the build one adds the JDK
# and Maven on top of it. Users build with the Dockerfile's defaults (Temurin images) or their own registry's.
# Skips an image that already exists, so a second CI step on the same machine costs nothing.
set -euo pipefail
work=${1:?usage: $0 <workDir>}
runtime_image=localhost/exporter-jre17
build_image=localhost/exporter-build17
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if podman image exists "$runtime_image" && podman image exists "$build_image"; then
  echo "base images already present" >&2
  exit 0
fi
command -v debootstrap >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get -y -q install --no-install-recommends debootstrap \
    || { apt-get -y -q update && apt-get -y -q install --no-install-recommends debootstrap; }
}
rootfs="$work/rootfs"
rm -rf "$rootfs"; mkdir -p "$rootfs"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

in_root() { chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive "$@"; }
# The JRE's post-install scripts want /proc; the apt caches are dropped so the images stay small.
mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
in_root apt-get -y -q install --no-install-recommends openjdk-17-jre-headless curl ca-certificates >"$work/jre.log" 2>&1 \
  || { tail -n 30 "$work/jre.log" >&2; exit 1; }
in_root apt-get clean
umount "$rootfs/proc"
tar -C "$rootfs" --exclude='./proc/*' --exclude='./var/lib/apt/lists/*' -c . \
  | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$runtime_image" >/dev/null

mount -t proc proc "$rootfs/proc"
in_root apt-get -y -q install --no-install-recommends openjdk-17-jdk-headless maven >"$work/jdk.log" 2>&1 \
  || { tail -n 30 "$work/jdk.log" >&2; exit 1; }
in_root apt-get clean
umount "$rootfs/proc"
tar -C "$rootfs" --exclude='./proc/*' --exclude='./var/lib/apt/lists/*' -c . \
  | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$build_image" >/dev/null
rm -rf "$rootfs"
echo "base images: $runtime_image $build_image" >&2
