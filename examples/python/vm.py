#!/usr/bin/python3
# Boot a guest from a qcow2 overlay disk, wait for its console, stop it and
# delete it.
#
#   vm.py [KERNEL INITRD]
#
# Without arguments it takes $HERO_VIRT_GUEST_KERNEL and
# $HERO_VIRT_GUEST_INITRD, or builds the test guest with
# tests/vm/guest/build-guest.sh (from $HERO_VIRT_SOURCE_ROOT), whose
# console says HEROVIRT-GUEST-READY when it is up.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt


def guest(tmp):
    if len(sys.argv) == 3:
        return sys.argv[1], sys.argv[2]
    if os.environ.get("HERO_VIRT_GUEST_KERNEL") and os.environ.get("HERO_VIRT_GUEST_INITRD"):
        return os.environ["HERO_VIRT_GUEST_KERNEL"], os.environ["HERO_VIRT_GUEST_INITRD"]
    script = os.path.join(os.environ["HERO_VIRT_SOURCE_ROOT"], "tests", "vm", "guest",
                          "build-guest.sh")
    out = subprocess.run(["bash", script, os.path.join(tmp, "guest")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    paths = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return paths["KERNEL"], paths["INITRD"]


with tempfile.TemporaryDirectory(prefix="hero-virt-example-vm-") as tmp:
    # This example's VM records go in its temporary directory.
    os.environ["HERO_VIRT_VM_DIR"] = os.path.join(tmp, "vms")
    kernel, initrd = guest(tmp)

    # A base image and a copy-on-write overlay on it for this VM.
    base = os.path.join(tmp, "base.qcow2")
    overlay = os.path.join(tmp, "example.qcow2")
    HeroVirt.Disk.new(base).create(64 << 20, None)
    options = HeroVirt.DiskCreateOptions.new(64 << 20)
    options.set_backing_file(base, "qcow2")
    HeroVirt.Disk.new(overlay).create_with_options(options, None)

    spec = (HeroVirt.VmBuilder.new("example-python")
            .set_kernel(kernel).set_initramfs(initrd)
            .set_cmdline("console=ttyS0 quiet panic=-1")
            .set_memory_mb(256)
            .add_disk_device(HeroVirt.VmDisk.new(overlay).set_format("qcow2"))
            .build())
    vm = HeroVirt.Vm.new(spec)
    vm.create(None)
    try:
        vm.start(None)
        print("console:", vm.wait_for_console("HEROVIRT-GUEST-READY", 120, None))
        print("state:   %s, pid %d" % (vm.get_info(None).get_state().value_nick,
                                       vm.get_info(None).get_pid()))
        vm.stop(True, 60, None)       # the power button, then a kill after 60 s
        print("stopped")
    finally:
        vm.delete(True, None)         # the record and the overlay; the base stays
        print("deleted")
    print("VMs left:", len(HeroVirt.Vm.list(None, None)))
