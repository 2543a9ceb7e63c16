#!/usr/bin/python3
# Create a disk image, snapshot it, print what it is, and compare with qemu-img.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt

with tempfile.TemporaryDirectory(prefix="hero-virt-example-") as tmp:
    path = os.path.join(tmp, "example.qcow2")
    disk = HeroVirt.Disk.new(path)
    disk.create(1 << 30, None)            # 1 GiB, the default provider (qcow2)
    disk.snapshot_create("clean", None)
    info = disk.info(None)
    print("format:      ", info.get_format())
    print("virtual size:", info.get_virtual_size(), "bytes")
    print("snapshots:   ", " ".join(s.get_name() for s in info.get_snapshots()))

    # The same facts as qemu-img reports them.
    theirs = json.loads(subprocess.run(["qemu-img", "info", "--output=json", "--", path],
                                       capture_output=True, text=True, check=True).stdout)
    ours = json.loads(info.to_json(False))
    same = all(ours.get(k) == theirs.get(k) for k in ("format", "virtual-size", "cluster-size")) and \
        [s["name"] for s in ours.get("snapshots", [])] == [s["name"] for s in theirs["snapshots"]]
    print("matches qemu-img:", "yes" if same else "NO")
    sys.exit(0 if same else 1)
