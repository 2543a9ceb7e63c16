#!/usr/bin/python3
# HeroVirt.detect_virtualization(): this machine, and fake /sys + /proc
# trees of the machines it must recognise (detect_virtualization_at()).
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import struct
import sys
import tempfile
import traceback

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt  # noqa: E402

TESTS = []
KNOWN = {"none", "kvm", "qemu", "firecracker", "microsoft", "vmware", "oracle", "xen", "bochs",
         "parallels", "bhyve", "acrn", "qnx", "amazon", "google", "apple", "vm-other"}


def test(func):
    TESTS.append(func)
    return func


def fake_root(files):
    root = tempfile.mkdtemp(prefix="virt-detect-")
    for path, content in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if content is None:
            os.makedirs(full, exist_ok=True)
            continue
        with open(full, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())
    return root


def acpi_table(signature, oem):
    # signature, length, revision, checksum, OEM id (6), OEM table id (8), ...
    return signature + struct.pack("<IBB", 36, 2, 0) + oem.ljust(6) + b"FCVMDSDT" + bytes(12)


def detect(files):
    root = fake_root(files)
    try:
        return HeroVirt.detect_virtualization_at(root)
    finally:
        shutil.rmtree(root)


@test
def this_machine():
    name = HeroVirt.detect_virtualization()
    assert name in KNOWN, name
    # Cross-check with the facts the kernel logged, where they are plain.
    if os.path.exists("/sys/firmware/acpi/tables/DSDT"):
        with open("/sys/firmware/acpi/tables/DSDT", "rb") as f:
            if f.read(16)[10:16] == b"FIRECK":
                assert name == "firecracker", name
    with open("/proc/cpuinfo") as f:
        flags = [line for line in f if line.startswith("flags")][0].split()
    if "hypervisor" not in flags:
        assert name in ("none", "firecracker", "amazon", "google"), name
    else:
        assert name != "none", name


@test
def firecracker_from_acpi_oem():
    assert detect({"sys/firmware/acpi/tables/DSDT": acpi_table(b"DSDT", b"FIRECK"),
                   "proc/cpuinfo": "flags\t: fpu hypervisor\n"}) == "firecracker"
    # Another OEM is not Firecracker.
    assert detect({"sys/firmware/acpi/tables/DSDT": acpi_table(b"DSDT", b"BOCHS "),
                   "proc/cpuinfo": "flags\t: fpu\n"}) == "none"


@test
def dmi_vendors():
    cases = {
        "QEMU": "qemu", "Amazon EC2": "amazon", "Google": "google", "innotek GmbH": "oracle",
        "VMware, Inc.": "vmware", "Xen": "xen", "Parallels Software International Inc.": "parallels",
        "BHYVE": "bhyve",
    }
    for vendor, name in cases.items():
        got = detect({"sys/class/dmi/id/sys_vendor": vendor + "\n"})
        assert got == name, (vendor, got)
    assert detect({"sys/class/dmi/id/sys_vendor": "Microsoft Corporation\n",
                   "sys/class/dmi/id/product_name": "Virtual Machine\n"}) == "microsoft"
    assert detect({"sys/class/dmi/id/sys_vendor": "Microsoft Corporation\n",
                   "sys/class/dmi/id/product_name": "Surface Laptop\n"}) == "none"
    assert detect({"sys/class/dmi/id/sys_vendor": "Dell Inc.\n",
                   "sys/class/dmi/id/product_name": "PowerEdge R650\n"}) == "none"


@test
def proc_xen_and_cpu_flag():
    assert detect({"proc/xen": None}) == "xen"
    assert detect({"proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu vme hypervisor sse\n"}) == "vm-other"
    assert detect({"proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu vme sse\n"}) == "none"
    assert detect({}) == "none"


def main():
    print(f"1..{len(TESTS)}")
    failed = 0
    for n, func in enumerate(TESTS, 1):
        try:
            func()
            print(f"ok {n} - {func.__name__}")
        except Exception:
            failed += 1
            print(f"not ok {n} - {func.__name__}")
            for line in traceback.format_exc().splitlines():
                print(f"# {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
