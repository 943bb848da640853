#!/usr/bin/env bash
# Makes the minimal Debian bookworm base image that every sandbox runtime builds FROM.
# Usage: build-base.sh <tag>
# No container registry is needed: the root filesystem comes from Debian's own package
# mirror via debootstrap and is turned into an image with `docker import`.
# Cached by tag: when <tag> already exists this exits at once.
set -euo pipefail

tag="${1:?usage: build-base.sh <tag>}"
mirror="${SANDBOX_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${SANDBOX_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag exists"
  exit 0
fi

# Cheap first try: a registry, where one is reachable (it fails within a second when not).
if [ "${SANDBOX_BASE_TRY_PULL:-1}" = "1" ] && timeout 30 docker pull debian:bookworm-slim >/dev/null 2>&1; then
  docker tag debian:bookworm-slim "$tag"
  echo "base image $tag from debian:bookworm-slim"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" = "0" ] || { echo "debootstrap needs root" >&2; exit 1; }

work="$(mktemp -d /var/tmp/hiring-sandbox-base.XXXXXX)"
cleanup() { rm -rf --one-file-system "$work"; }
trap cleanup EXIT

echo "debootstrap --variant=minbase bookworm from $mirror (takes a minute or two)"
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

root="$work/rootfs"
# apt over plain HTTP only (HTTPS inside containers meets an intercepting proxy). The security and
# updates suites as in Debian's own images (debian:bookworm-slim, the registry path above), so a
# machine without a registry builds the same package versions, with the same fixes, as one with.
cat >"$root/etc/apt/sources.list" <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
LIST
# debootstrap installed the release's packages: bring them to the suites' current versions.
chroot "$root" apt-get -q update >"$work/upgrade.log" 2>&1 &&
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -q -y upgrade >>"$work/upgrade.log" 2>&1 || {
  tail -n 30 "$work/upgrade.log" >&2
  exit 1
}
# Keep the image small; apt-get update runs again in each runtime's Dockerfile.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
mkdir -p "$root/var/lib/apt/lists/partial"
# No docs or man pages for packages installed later either.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'CFG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG

tar --numeric-owner -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --message "hiring sandbox base: debootstrap minbase bookworm" - "$tag" >/dev/null
echo "base image $tag imported"
