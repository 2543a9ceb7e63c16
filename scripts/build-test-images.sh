#!/bin/bash
# build-test-images.sh: builds the images the pod tests run, offline, with
# buildah on a private storage root, and caches them as OCI archives keyed by
# their inputs (the image's recipe in this script and the host binaries copied
# in), so a second run only copies them.
#
#   busybox  - busybox with its applets, /etc/passwd, /www/index.html
#   registry - Debian's docker-registry binary on the busybox image, port 5000
#   sshd     - OpenSSH's sshd on the busybox image, port 22, host key baked in
#              (test only); keys from /etc/ssh/authorized_keys or
#              /etc/ssh/keys/authorized_keys (mount a Secret there)
#   buildah  - Debian bookworm with buildah (mmdebstrap from the Debian mirror,
#              about 60 s; only with --with-buildah), vfs storage baked in
#
# Usage: build-test-images.sh [--with-buildah] [--push HOST:PORT] [--prefix P]
#   --push    copy every image to the registry at HOST:PORT (plain HTTP) as
#             HOST:PORT/PREFIX/NAME:1 (PREFIX defaults to hero-virt-test)
# Prints one line per image: NAME ARCHIVE [REFERENCE].
# Cache: $HERO_VIRT_TEST_IMAGES_CACHE, else $XDG_CACHE_HOME/hero-virt-test-images.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

with_buildah=0
push=""
prefix="hero-virt-test"
while [ $# -gt 0 ]; do
  case "$1" in
    --with-buildah) with_buildah=1 ;;
    --push) push="$2"; shift ;;
    --prefix) prefix="$2"; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "build-test-images.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

cache="${HERO_VIRT_TEST_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hero-virt-test-images}"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

for tool in buildah skopeo; do
  command -v "$tool" >/dev/null || { echo "build-test-images.sh: $tool is missing" >&2; exit 3; }
done

# Private storage and runc (machine.md §1, §3), removed on exit.
work=$(mktemp -d "${TMPDIR:-/tmp}/hv-test-images-XXXXXX")
cleanup() {
  if [ -d "$work/root" ]; then
    CONTAINERS_STORAGE_CONF="$work/storage.conf" buildah rm --all >/dev/null 2>&1 || true
    CONTAINERS_STORAGE_CONF="$work/storage.conf" buildah rmi --all --force >/dev/null 2>&1 || true
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
cat > "$work/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$work/root"
runroot = "$work/run"
EOF
cat > "$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_STORAGE_CONF="$work/storage.conf" CONTAINERS_CONF="$work/containers.conf"
export BUILDAH_RUNTIME=runc BUILDAH_ISOLATION=chroot

key() { # name, input files...: a short hash of the image's recipe and its inputs
  local name="$1"; shift
  { declare -f "build_$name" finish copy_with_libs; sha256sum "$@" 2>/dev/null; } |
    sha256sum | cut -c1-16
}

copy_with_libs() { # binary, rootfs: copies the binary and the libraries it loads
  local bin="$1" mnt="$2" lib
  mkdir -p "$mnt$(dirname "$bin")"
  cp -L "$bin" "$mnt$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
    mkdir -p "$mnt$(dirname "$lib")"
    cp -L "$lib" "$mnt$lib"
  done
}

load_base() { # loads the cached busybox archive into the private storage once
  if ! buildah inspect --type image "localhost/$prefix/busybox:1" >/dev/null 2>&1; then
    local id
    id=$(buildah pull -q "oci-archive:$busybox_archive")
    buildah tag "$id" "localhost/$prefix/busybox:1"
  fi
}

archive_for() { echo "$cache/$1-$2.oci.tar"; }
prune() { # name, archive: archives of the name built from other inputs go
  find "$cache" -maxdepth 1 -name "$1-*.oci.tar" ! -path "$2" -delete
}

finish() { # name, container, archive
  local tmp="$3.tmp"
  buildah commit -q "$2" "localhost/$prefix/$1:1" >/dev/null
  buildah rm "$2" >/dev/null
  rm -f "$tmp"
  buildah push -q "localhost/$prefix/$1:1" "oci-archive:$tmp:$prefix/$1:1" >/dev/null
  mv "$tmp" "$3"
}

build_busybox() {
  local ctr mnt
  ctr=$(buildah from scratch)
  mnt=$(buildah mount "$ctr")
  mkdir -p "$mnt"/{bin,sbin,usr/bin,usr/sbin,etc,root,www,var/log,run,proc,sys,dev,tmp}
  chmod 1777 "$mnt/tmp"
  chmod 0700 "$mnt/root"
  copy_with_libs "$(readlink -f /bin/busybox)" "$mnt"
  [ -e "$mnt/bin/busybox" ] || cp -L /bin/busybox "$mnt/bin/busybox"
  chroot "$mnt" /bin/busybox --install -s /bin
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
    > "$mnt/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$mnt/etc/group"
  echo "hero-virt test busybox" > "$mnt/www/index.html"
  buildah umount "$ctr" >/dev/null
  buildah config --env PATH=/bin:/sbin:/usr/bin:/usr/sbin --cmd '["/bin/sh"]' \
    --label org.hero-virt.test-image=busybox "$ctr"
  finish busybox "$ctr" "$1"
}

build_registry() {
  local ctr mnt
  load_base
  ctr=$(buildah from "localhost/$prefix/busybox:1")
  mnt=$(buildah mount "$ctr")
  copy_with_libs /usr/bin/docker-registry "$mnt"
  mkdir -p "$mnt/etc/docker/registry" "$mnt/var/lib/registry"
  cat > "$mnt/etc/docker/registry/config.yml" <<'EOF'
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: 0.0.0.0:5000
EOF
  buildah umount "$ctr" >/dev/null
  buildah config --entrypoint '["/usr/bin/docker-registry","serve","/etc/docker/registry/config.yml"]' \
    --cmd '[]' --port 5000 --label org.hero-virt.test-image=registry "$ctr" 2>/dev/null
  finish registry "$ctr" "$1"
}

build_sshd() {
  local ctr mnt
  load_base
  ctr=$(buildah from "localhost/$prefix/busybox:1")
  mnt=$(buildah mount "$ctr")
  copy_with_libs /usr/sbin/sshd "$mnt"
  [ -x /usr/lib/openssh/sftp-server ] && copy_with_libs /usr/lib/openssh/sftp-server "$mnt"
  printf 'root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
    > "$mnt/etc/passwd"
  printf 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n' > "$mnt/etc/shadow"
  chmod 0600 "$mnt/etc/shadow"
  mkdir -p "$mnt/run/sshd" "$mnt/etc/ssh/keys"
  chmod 0755 "$mnt/run/sshd"
  ssh-keygen -q -t ed25519 -N '' -C hero-virt-test -f "$mnt/etc/ssh/ssh_host_ed25519_key"
  chmod 0600 "$mnt/etc/ssh/ssh_host_ed25519_key"
  : > "$mnt/etc/ssh/authorized_keys"
  cat > "$mnt/etc/ssh/sshd_config" <<'EOF'
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
AuthorizedKeysFile /etc/ssh/authorized_keys /etc/ssh/keys/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
  buildah umount "$ctr" >/dev/null
  buildah config --entrypoint '["/usr/sbin/sshd","-D","-e"]' --cmd '[]' --port 22 \
    --label org.hero-virt.test-image=sshd "$ctr" 2>/dev/null
  finish sshd "$ctr" "$1"
}

build_buildah() {
  local ctr mnt tar="$work/buildah-rootfs.tar"
  command -v mmdebstrap >/dev/null || {
    echo "build-test-images.sh: mmdebstrap is missing (apt-get install mmdebstrap)" >&2
    exit 3
  }
  mmdebstrap --quiet --variant=apt --include=buildah,ca-certificates bookworm "$tar"
  ctr=$(buildah from scratch)
  mnt=$(buildah mount "$ctr")
  tar -C "$mnt" -xf "$tar"
  mkdir -p "$mnt/etc/containers"
  # vfs: overlay does not work over the container's overlay root.
  printf '[storage]\ndriver = "vfs"\ngraphroot = "/var/lib/containers/storage"\nrunroot = "/run/containers/storage"\n' \
    > "$mnt/etc/containers/storage.conf"
  buildah umount "$ctr" >/dev/null
  buildah config --cmd '["/bin/bash"]' \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env BUILDAH_ISOLATION=chroot --env STORAGE_DRIVER=vfs \
    --label org.hero-virt.test-image=buildah "$ctr"
  finish buildah "$ctr" "$1"
}

busybox_archive=$(archive_for busybox "$(key busybox "$(readlink -f /bin/busybox)")")
[ -s "$busybox_archive" ] || build_busybox "$busybox_archive"
prune busybox "$busybox_archive"
declare -A archives=([busybox]="$busybox_archive")

registry_archive=$(archive_for registry "$(key registry "$busybox_archive" /usr/bin/docker-registry)")
[ -s "$registry_archive" ] || build_registry "$registry_archive"
prune registry "$registry_archive"
archives[registry]="$registry_archive"

sshd_archive=$(archive_for sshd "$(key sshd "$busybox_archive" /usr/sbin/sshd)")
[ -s "$sshd_archive" ] || build_sshd "$sshd_archive"
prune sshd "$sshd_archive"
archives[sshd]="$sshd_archive"

names="busybox registry sshd"
if [ "$with_buildah" = 1 ]; then
  # Keyed by the recipe only: delete the archive to take newer packages.
  buildah_archive=$(archive_for buildah "$(key buildah)")
  [ -s "$buildah_archive" ] || build_buildah "$buildah_archive"
  prune buildah "$buildah_archive"
  archives[buildah]="$buildah_archive"
  names="$names buildah"
fi

for name in $names; do
  if [ -n "$push" ]; then
    ref="$push/$prefix/$name:1"
    skopeo copy -q --dest-tls-verify=false "oci-archive:${archives[$name]}" "docker://$ref"
    echo "$name ${archives[$name]} $ref"
  else
    echo "$name ${archives[$name]}"
  fi
done
