#!/bin/sh
# Builds the fuzzer's seed corpus from images made by the real qemu-img:
# v2 and v3, several cluster sizes, backing files with and without a
# recorded format, lazy refcounts, zstd, extended L2 and snapshots.
# Small virtual sizes and clusters keep the files small.
#
#   fuzz/make-seed-corpus.sh OUTDIR
set -eu
out=${1:?usage: make-seed-corpus.sh OUTDIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

img() { qemu-img create -q -f qcow2 "$@"; }
n=0
save() { n=$((n + 1)); cp "$1" "$out/seed-$n-$(basename "$1")"; }

for cs in 512 1024 4096; do
  for compat in 0.10 1.1; do
    img -o cluster_size=$cs,compat=$compat c$cs-$compat.qcow2 1M
    save c$cs-$compat.qcow2
    img -o cluster_size=$cs,compat=$compat s$cs-$compat.qcow2 1M
    qemu-img snapshot -c first s$cs-$compat.qcow2
    qemu-img snapshot -c "second snapshot" s$cs-$compat.qcow2
    qemu-img snapshot -c 3 s$cs-$compat.qcow2
    qemu-img snapshot -d first s$cs-$compat.qcow2
    save s$cs-$compat.qcow2
  done
  img -o cluster_size=$cs -b c$cs-1.1.qcow2 -F qcow2 b$cs.qcow2
  save b$cs.qcow2
done
img -o cluster_size=4096,lazy_refcounts=on lazy.qcow2 1M
save lazy.qcow2
img -o cluster_size=4096,compression_type=zstd zstd.qcow2 1M
save zstd.qcow2
img -o cluster_size=16384,extended_l2=on extl2.qcow2 1M
save extl2.qcow2
qemu-img create -q -f raw raw.img 4096
img -o cluster_size=4096 -b raw.img -F raw braw.qcow2
save braw.qcow2
echo "$n seeds in $out"
