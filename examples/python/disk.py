#!/usr/bin/python3
# Create a disk image, snapshot it and print what it is.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt

with tempfile.TemporaryDirectory(prefix="hero-virt-example-") as tmp:
    disk = HeroVirt.Disk.new(os.path.join(tmp, "example.qcow2"))
    disk.create(1 << 30, None)            # 1 GiB, the default provider (qcow2)
    disk.snapshot_create("clean", None)
    info = disk.info(None)
    print("format:      ", info.get_format())
    print("virtual size:", info.get_virtual_size(), "bytes")
    print("snapshots:   ", " ".join(s.get_name() for s in info.get_snapshots()))
