#!/usr/bin/python3
# qcow2-test.py: the qcow2 plugin from Python: create a disk, snapshot it,
# and compare its info with `qemu-img info --output=json` (parsed JSON
# equality), sync and async.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

from tap import test, run  # noqa: E402

if shutil.which("qemu-img") is None:
    # The plugin's backend is part of the test: missing it is a failure.
    print("1..0 # qemu-img is not installed")
    sys.exit(1)

tmp = tempfile.TemporaryDirectory(prefix="hv-py-qcow2-")


def qemu_img_info(path):
    out = subprocess.run(["qemu-img", "info", "--output=json", path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@test
def create_snapshot_info_matches_qemu_img():
    path = os.path.join(tmp.name, "a.qcow2")
    disk = HeroVirt.Disk.new(path)
    assert disk.get_provider().__gtype__.name == "HeroVirtQcow2Provider"
    options = HeroVirt.DiskCreateOptions(size=256 << 20, cluster_size=65536)
    disk.create_with_options(options, None)
    disk.snapshot_create("clean", None)
    disk.snapshot_create("second", None)

    info = disk.info(None)
    assert info.get_format() == "qcow2"
    assert info.get_virtual_size() == 256 << 20
    assert info.get_cluster_size() == 65536
    assert [s.get_name() for s in info.get_snapshots()] == ["clean", "second"]
    assert info.find_snapshot("clean").get_name() == "clean"
    assert [s.get_name() for s in disk.snapshot_list(None)] == ["clean", "second"]
    assert json.loads(info.to_json(False)) == qemu_img_info(path)

    disk.snapshot_delete("second", None)
    assert json.loads(disk.info(None).to_json(True)) == qemu_img_info(path)


@test
def async_create_and_info():
    path = os.path.join(tmp.name, "b.qcow2")
    disk = HeroVirt.Disk.new(path)
    loop = GLib.MainLoop()
    state = {}

    def created(d, res):
        d.create_finish(res)
        d.snapshot_create_async("s1", None, snapped)

    def snapped(d, res):
        d.snapshot_create_finish(res)
        d.info_async(None, got_info)

    def got_info(d, res):
        state["info"] = d.info_finish(res)
        loop.quit()

    disk.create_async(64 << 20, None, created)
    loop.run_with_guard()
    assert json.loads(state["info"].to_json(False)) == qemu_img_info(path)
    assert [s.get_name() for s in state["info"].get_snapshots()] == ["s1"]


@test
def errors_from_the_plugin():
    path = os.path.join(tmp.name, "a.qcow2")
    disk = HeroVirt.Disk.new(path)
    for call, code in [(lambda: disk.create(1 << 20, None), HeroVirt.Error.EXISTS),
                       (lambda: disk.snapshot_apply("nosuch", None), None),
                       (lambda: disk.snapshot_create("-bad", None), HeroVirt.Error.INVALID_ARGUMENT),
                       (lambda: HeroVirt.Disk.new(os.path.join(tmp.name, "none.qcow2")).info(None),
                        None)]:
        try:
            call()
        except GLib.Error as e:
            assert e.domain == "hero-virt-error-quark", e.domain
            assert code is None or e.code == int(code), (code, e.code, e.message)
        else:
            raise AssertionError("no error")


@test
def snapshot_arrays_keep_refcounts():
    # GPtrArray (transfer container) returns, many times over.
    disk = HeroVirt.Disk.new(os.path.join(tmp.name, "a.qcow2"))
    info = disk.info(None)
    first = info.get_snapshots()[0]
    before = first.__grefcount__
    for _ in range(5000):
        snaps = info.get_snapshots()
        del snaps
    assert first.__grefcount__ == before, (before, first.__grefcount__)
    assert first.get_name() == "clean"


run()
tmp.cleanup()
