#!/usr/bin/env bash
# build-guest.sh: the test guest for the VM tests and the bench.
#
#   build-guest.sh OUTDIR
#
# Prints KERNEL=<path> and INITRD=<path> on stdout. The kernel is Debian's
# linux-image package, fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` (never installed), cached under
# ${HERO_VIRT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hero-virt-test} and
# reused across runs. The initramfs is busybox (busybox-static) plus the
# modules for the ACPI power button and virtio disks; its /init prints
# "HEROVIRT-GUEST-READY" on the serial console, then a "HEROVIRT-TICK <n>"
# line every 0.2 s (so a test can see the console stop while paused), and
# powers off on the ACPI power button. The kernel command line the tests
# use is "console=ttyS0 quiet panic=-1".
set -euo pipefail

out=${1:?usage: build-guest.sh OUTDIR}
mkdir -p -- "$out"
cache=${HERO_VIRT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hero-virt-test}
mkdir -p -- "$cache"

need() { command -v "$1" >/dev/null 2>&1 || { echo "build-guest.sh: $1 is missing ($2)" >&2; exit 1; }; }
need apt-cache "apt"
need dpkg-deb "dpkg"
need cpio "apt-get install cpio"
need gzip "gzip"

busybox=
for b in /bin/busybox /usr/bin/busybox; do
  if [ -x "$b" ] && ! LC_ALL=C ldd "$b" >/dev/null 2>&1; then busybox=$b; break; fi
done
[ -n "$busybox" ] || { echo "build-guest.sh: a static busybox is missing (apt-get install busybox-static)" >&2; exit 1; }

# The kernel package linux-image-amd64 points at (linux-image-6.1.0-NN-amd64).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$kpkg" ] || { echo "build-guest.sh: apt-cache knows no linux-image-amd64 (run apt-get update)" >&2; exit 1; }
kroot=$cache/$kpkg
if [ ! -e "$kroot/.complete" ]; then
  tmp=$(mktemp -d -- "$cache/.download.XXXXXX")
  trap 'rm -rf -- "$tmp"' EXIT
  (cd -- "$tmp" && apt-get download -q -- "$kpkg" >&2)
  deb=$(find "$tmp" -maxdepth 1 -name "${kpkg}_*.deb" -print -quit)
  [ -n "$deb" ] || { echo "build-guest.sh: apt-get download $kpkg left no .deb" >&2; exit 1; }
  dpkg-deb -x "$deb" "$tmp/root"
  rm -rf -- "$kroot"
  mv -- "$tmp/root" "$kroot"
  touch -- "$kroot/.complete"
  rm -rf -- "$tmp"
  trap - EXIT
fi
kernel=$(find "$kroot/boot" -maxdepth 1 -name 'vmlinuz-*' -print -quit)
moddir=$(find "$kroot/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)
[ -n "$kernel" ] && [ -n "$moddir" ] || { echo "build-guest.sh: $kpkg has no kernel or modules" >&2; exit 1; }

stage=$(mktemp -d -- "$out/.initrd.XXXXXX")
trap 'rm -rf -- "$stage"' EXIT
mkdir -p -- "$stage"/{bin,lib/modules,proc,sys,dev,etc/acpi/PWRF,tmp}
cp -- "$busybox" "$stage/bin/busybox"

# In dependency order: virtio_ring before virtio.
mods="drivers/acpi/button drivers/input/evdev drivers/virtio/virtio_ring drivers/virtio/virtio
drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci
drivers/block/virtio_blk"
names=
for m in $mods; do
  name=${m##*/}
  src=$moddir/kernel/$m.ko
  if [ -e "$src" ]; then
    cp -- "$src" "$stage/lib/modules/$name.ko"
  elif [ -e "$src.xz" ]; then
    xz -dc -- "$src.xz" > "$stage/lib/modules/$name.ko"
  elif [ -e "$src.zst" ]; then
    zstd -qdc -- "$src.zst" > "$stage/lib/modules/$name.ko"
  else
    continue   # built into this kernel
  fi
  names="$names $name"
done

cat > "$stage/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in$names; do insmod /lib/modules/\$m.ko 2>/dev/null; done
printf '#!/bin/sh\necho "HEROVIRT-POWER-BUTTON"\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log
echo "HEROVIRT-GUEST-READY uptime=\$(cut -d' ' -f1 /proc/uptime) disks=\$(ls /sys/block | tr '\n' ' ')"
n=0
while :; do n=\$((n+1)); echo "HEROVIRT-TICK \$n"; sleep 0.2; done
INIT
chmod +x "$stage/init"

initrd=$out/initrd.cpio.gz
(cd -- "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp"
mv -- "$initrd.tmp" "$initrd"
echo "KERNEL=$kernel"
echo "INITRD=$initrd"
