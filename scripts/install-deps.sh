#!/usr/bin/env bash
# Installs the Debian packages HeroVirt needs to build, run its demo and run
# every test, real backends included. Safe to run again: it does nothing
# when everything is there. Needs root (apt-get).
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gi-docgen clang-format
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libssh2-1-dev libyaml-dev
  libgnutls28-dev zlib1g-dev
  gobject-introspection libgirepository1.0-dev python3-gi gjs valac
  # containers and images
  buildah podman runc skopeo containerd docker-registry slirp4netns fuse-overlayfs uidmap catatonit
  containernetworking-plugins netavark aardvark-dns iptables busybox-static
  # the podman node agent's ClusterIP rules (a private nftables table)
  nftables
  # the buildah test image (scripts/build-test-images.sh --with-buildah)
  mmdebstrap
  # disks and VMs
  qemu-utils qemu-system-x86 cpio
  # base-image signatures: gpgv checks SHA256SUMS.gpg, gpg makes the test key
  gpgv gpg gpg-agent
  # Kubernetes: the simulator is tested with real clients, and the plugin
  # also through nghttpx, an HTTP/2 server in front of it (k8s-h2-python)
  python3-kubernetes nghttp2-proxy
  # cloud-init NoCloud seeds (genisoimage; isoinfo reads them back in tests)
  genisoimage
  # remote execution, registries with TLS and auth
  openssh-server openssh-client openssl apache2-utils ca-certificates curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
