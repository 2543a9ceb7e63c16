#!/usr/bin/python3
# provider-test.py: a disk provider written in Python (only the plain
# do_* vfuncs), registered at run time, used by HeroVirt.Disk exactly like
# a C plugin: by name, as the default by priority, and through the async
# API from a GLib.MainLoop (served from a worker thread).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import tempfile
import threading

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, GObject, HeroVirt  # noqa: E402

from tap import test, run  # noqa: E402


class MemDisk(GObject.Object, HeroVirt.DiskProvider):
    """Keeps images in a dict; the file only marks that one exists."""

    def __init__(self):
        super().__init__()
        self.images = {}
        self.calls = []

    def _record(self, op):
        self.calls.append((op, threading.current_thread() is threading.main_thread()))

    def do_is_available(self, executor, cancellable):
        return True

    def do_create(self, executor, path, options, cancellable):
        self._record("create")
        assert isinstance(executor, HeroVirt.Executor)
        if path in self.images:
            raise GLib.Error("%s exists" % path, "hero-virt-error-quark", int(HeroVirt.Error.EXISTS))
        self.images[path] = {"size": options.get_size(), "snapshots": []}
        with open(path, "w") as f:
            f.write("memdisk\n")
        return True

    def do_info(self, executor, path, image_format, flags, cancellable):
        self._record("info")
        image = self.images.get(path)
        if image is None:
            raise GLib.Error("no image at %s" % path, "hero-virt-error-quark", int(HeroVirt.Error.NOT_FOUND))
        return HeroVirt.DiskInfo.new_from_json(json.dumps({
            "filename": path, "format": "memdisk", "virtual-size": image["size"], "actual-size": 0,
        }))

    def do_snapshot_create(self, executor, path, image_format, flags, name, cancellable):
        self._record("snapshot_create")
        self.images[path]["snapshots"].append(name)
        return True


registry = HeroVirt.Registry.get_default()
provider = MemDisk()
tmp = tempfile.TemporaryDirectory(prefix="hv-py-provider-")


def path(name):
    return os.path.join(tmp.name, name)


@test
def register_at_run_time():
    registry.register_provider(HeroVirt.ProviderKind.DISK, "pymem", 10, provider)
    info = registry.lookup(HeroVirt.ProviderKind.DISK, "pymem")
    assert info.get_plugin_name() is None
    assert info.get_priority() == 10
    assert info.get_provider() == provider
    names = [p.get_name() for p in registry.get_providers(HeroVirt.ProviderKind.DISK)]
    assert names == ["qcow2", "pymem"], names   # qcow2 has priority 100
    # Taken names and wrong types are refused with the right codes.
    for args, code in [(("pymem", 0, MemDisk()), HeroVirt.Error.EXISTS),
                       (("qcow2", 0, MemDisk()), HeroVirt.Error.EXISTS),
                       (("other", 0, GObject.Object()), HeroVirt.Error.INVALID_ARGUMENT),
                       (("Not Valid", 0, MemDisk()), HeroVirt.Error.INVALID_ARGUMENT)]:
        try:
            registry.register_provider(HeroVirt.ProviderKind.DISK, *args)
        except GLib.Error as e:
            assert e.matches(HeroVirt.error_quark(), code), (args, e.message)
        else:
            raise AssertionError("registered %r" % (args,))


@test
def used_by_name():
    disk = HeroVirt.Disk.new_for_provider(path("byname.img"), "pymem", None)
    disk.create(1 << 20, None)
    info = disk.info(None)
    assert info.get_format() == "memdisk"
    assert info.get_virtual_size() == 1 << 20
    assert info.get_filename() == path("byname.img")
    disk.snapshot_create("first", None)
    assert provider.images[path("byname.img")]["snapshots"] == ["first"]
    # A Python exception with a GLib.Error reaches the caller as that error.
    try:
        disk.create(1 << 20, None)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.EXISTS), e.message
    else:
        raise AssertionError("created twice")
    # Operations the class does not implement are NOT_SUPPORTED.
    try:
        disk.resize(2 << 20, False, None)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.NOT_SUPPORTED), e.message
    else:
        raise AssertionError("resize worked without an implementation")


@test
def async_from_main_loop():
    # Only sync vfuncs: the async API runs them in a worker thread while the
    # main loop keeps running.
    disk = HeroVirt.Disk.new_for_provider(path("async.img"), "pymem", None)
    loop = GLib.MainLoop()
    results = {}
    provider.calls.clear()

    def created(d, res):
        results["created"] = d.create_with_options_finish(res)
        d.info_async(None, got_info)

    def got_info(d, res):
        results["info"] = d.info_finish(res)
        loop.quit()

    options = HeroVirt.DiskCreateOptions(size=4 << 20)
    disk.create_with_options_async(options, None, created)
    loop.run_with_guard()
    assert results["created"] is True
    assert results["info"].get_virtual_size() == 4 << 20
    assert provider.calls == [("create", False), ("info", False)], provider.calls


@test
def default_by_priority():
    # With the lower priority the default is still qcow2...
    disk = HeroVirt.Disk.new(path("default1.img"))
    assert disk.get_provider() != provider
    # ...re-registered above it, the Python provider becomes the default.
    assert registry.unregister_provider(HeroVirt.ProviderKind.DISK, "pymem")
    assert not registry.unregister_provider(HeroVirt.ProviderKind.DISK, "pymem")
    registry.register_provider(HeroVirt.ProviderKind.DISK, "pymem", 1000, provider)
    disk = HeroVirt.Disk.new(path("default2.img"))
    disk.create(8 << 20, None)
    assert disk.get_provider() == provider
    assert path("default2.img") in provider.images
    assert disk.info(None).get_format() == "memdisk"


@test
def unregistered_is_gone():
    assert registry.unregister_provider(HeroVirt.ProviderKind.DISK, "pymem")
    try:
        HeroVirt.Disk.new_for_provider(path("gone.img"), "pymem", None)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.NOT_FOUND), e.message
    else:
        raise AssertionError("found an unregistered provider")
    disk = HeroVirt.Disk.new(path("default3.img"))
    assert disk.get_provider() != provider



class FarHost(GObject.Object, HeroVirt.Executor):
    """An executor for a host that has `far-tool`, which this machine lacks:
    it answers find_program's `command -v` and nothing else."""

    def do_is_local(self):
        return False

    def do_get_description(self):
        return "far-host"

    def do_run(self, command, cancellable):
        argv = command.get_argv()
        found = argv[0] == "sh" and argv[-1] == "far-tool"
        out = GLib.Bytes.new(b"/opt/bin/far-tool\n" if found else b"")
        return HeroVirt.CommandResult.new(argv[0], 0 if found else 1, 0, out, GLib.Bytes.new(b""), 0)


class FarDisk(GObject.Object, HeroVirt.DiskProvider):
    """Available where `far-tool` is installed; counts its probes."""

    def __init__(self):
        super().__init__()
        self.probes = []

    def do_is_available(self, executor, cancellable):
        self.probes.append(executor.get_description())
        executor.find_program("far-tool", cancellable)  # raises GLib.Error when missing
        return True


@test
def available_per_executor():
    far = FarDisk()
    host = FarHost()
    kind = HeroVirt.ProviderKind.DISK
    registry.register_provider(kind, "far", 2000, far)
    try:
        # Judged on the executor the call will use, and remembered per executor.
        assert registry.find_provider(kind, None, host, None) == far
        assert registry.find_provider(kind, None, host, None) == far
        assert registry.find_provider(kind, None, None, None) != far
        assert far.probes == ["far-host", "local"], far.probes
        info = registry.lookup(kind, "far")
        try:
            info.check_available(None, None)
        except GLib.Error as e:
            assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.UNAVAILABLE), e.message
            assert "far-tool is not installed" in e.message, e.message
        else:
            raise AssertionError("far-tool was found locally")
        assert info.check_available(host, None)
        assert far.probes == ["far-host", "local", "local"], far.probes
    finally:
        registry.unregister_provider(kind, "far")


run()
tmp.cleanup()
