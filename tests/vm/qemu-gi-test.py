#!/usr/bin/python3
# The qemu provider from Python, as a new user would drive it: a guest of
# our own making (tests/vm/guest/) boots, is paused and resumed (its console
# stops and goes on), rebooted, answers the power button, survives a second
# process reading its record and a kill -9 of qemu (reported stopped), and
# is deleted; hostile specs (commas in paths included) leave nothing behind.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = []
State = HeroVirt.VmState
Err = HeroVirt.Error


def test(func):
    TESTS.append(func)
    return func


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func} did not fail")


class Fixture:
    tmp = None
    kernel = None
    initrd = None
    provider = None
    executor = None


fx = Fixture()


def setup():
    fx.tmp = tempfile.mkdtemp(prefix="qemu-gi-")
    os.environ["HERO_VIRT_VM_DIR"] = os.path.join(fx.tmp, "vms")
    for tool in ("qemu-system-x86_64", "cpio", "apt-get"):
        if shutil.which(tool) is None:
            if os.environ.get("CI"):
                raise RuntimeError(f"{tool} is missing")
            return f"{tool} is missing"
    out = subprocess.run(["bash", os.path.join(HERE, "guest", "build-guest.sh"),
                          os.path.join(fx.tmp, "guest")],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    paths = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    fx.kernel, fx.initrd = paths["KERNEL"], paths["INITRD"]
    fx.provider = HeroVirt.Registry.get_default().get_provider(HeroVirt.ProviderKind.HYPERVISOR, "qemu")
    fx.executor = HeroVirt.Executor.get_default()
    return None


def builder(name):
    return (HeroVirt.VmBuilder.new(name).set_kernel(fx.kernel).set_initramfs(fx.initrd)
            .set_cmdline("console=ttyS0 quiet panic=-1").set_memory_mb(256))


def console(info):
    try:
        with open(info.get_console_path(), errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def wait_for(info, marker, count=1, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if console(info).count(marker) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {count}× {marker!r} on the console within {timeout} s:\n"
                         + console(info)[-2000:])


def info(vm_id):
    return fx.provider.info(fx.executor, vm_id, None)


@test
def hypervisor_env_picks_the_plugin():
    registry = HeroVirt.Registry.get_default()
    old = os.environ.get("HERO_VIRT_HYPERVISOR")
    try:
        os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
        chosen = registry.get_default_provider(HeroVirt.ProviderKind.HYPERVISOR, None)
        assert chosen == fx.provider, chosen
        found = registry.find_provider(HeroVirt.ProviderKind.HYPERVISOR, None, fx.executor, None)
        assert found == fx.provider, found
        assert fx.provider.is_available(fx.executor, None)
    finally:
        if old is None:
            del os.environ["HERO_VIRT_HYPERVISOR"]
        else:
            os.environ["HERO_VIRT_HYPERVISOR"] = old


@test
def hostile_specs_leave_nothing():
    p, ex = fx.provider, fx.executor
    comma = os.path.join(fx.tmp, "a.qcow2,readonly=off")
    open(comma, "w").close()
    cases = [
        ('{"name": "bad_name", "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "a..b", "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "v", "vcpus": 0, "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "v", "vcpus": 100000, "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "v", "memory_mb": 1, "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "v", "memory_mb": 100000000, "kernel": "%s"}' % fx.kernel, Err.INVALID_ARGUMENT),
        ('{"name": "v", "kernel": "%s/missing"}' % fx.tmp, Err.NOT_FOUND),
        ('{"name": "v", "kernel": "%s", "disks": [{"path": "%s/none.raw", "format": "raw"}]}'
         % (fx.kernel, fx.tmp), Err.NOT_FOUND),
        ('{"name": "v", "kernel": "%s", "disks": [{"path": "%s", "format": "qcow2"}]}'
         % (fx.kernel, comma), Err.INVALID_ARGUMENT),
        ('{"name": "v", "kernel": "%s"}' % comma, Err.INVALID_ARGUMENT),
    ]
    for json, code in cases:
        spec = HeroVirt.VmSpec.new_from_json(json)
        expect_error(code, p.create, ex, spec, None)
        assert list(p.list(ex, None)) == [], json
    expect_error(Err.INVALID_ARGUMENT, p.start, ex, "../etc", None)
    expect_error(Err.NOT_FOUND, p.info, ex, "nosuchvm", None)
    os.unlink(comma)


@test
def guest_lifecycle():
    p, ex = fx.provider, fx.executor
    disk = os.path.join(fx.tmp, "disk.raw")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    spec = builder("pyguest").add_disk_device(HeroVirt.VmDisk.new(disk).set_format("raw")).build()
    assert p.create(ex, spec, None) == "pyguest"
    assert info("pyguest").get_state() == State.CREATED
    p.start(ex, "pyguest", None)
    expect_error(Err.EXISTS, p.start, ex, "pyguest", None)
    i = info("pyguest")
    assert i.get_state() == State.RUNNING and i.get_pid() > 0
    wait_for(i, "HEROVIRT-GUEST-READY")
    assert "disks=vda" in console(i)
    wait_for(i, "HEROVIRT-TICK 3", timeout=20)

    # pause: the console stops; resume: it goes on
    p.pause(ex, "pyguest", None)
    assert info("pyguest").get_state() == State.PAUSED
    time.sleep(0.3)
    size = len(console(i))
    time.sleep(1.2)
    assert len(console(i)) == size
    p.resume(ex, "pyguest", None)
    assert info("pyguest").get_state() == State.RUNNING
    deadline = time.monotonic() + 10
    while len(console(i)) == size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(console(i)) > size

    # a 1-vCPU guest boots without room for hot-plug
    expect_error(Err.NOT_SUPPORTED, p.resize, ex, "pyguest", 2, 0, None)

    # a second process reads the record
    child = subprocess.run([sys.executable, __file__, "--child", "pyguest"], check=True,
                           stdout=subprocess.PIPE, text=True, env=os.environ).stdout.split()
    assert child == ["RUNNING", str(i.get_pid())], child

    # reboot in place: the guest boots again in the same qemu process
    pid = i.get_pid()
    p.reboot(ex, "pyguest", None)
    wait_for(i, "HEROVIRT-GUEST-READY", count=2)
    assert info("pyguest").get_pid() == pid

    # the ACPI power button
    p.stop(ex, "pyguest", False, 30, None)
    i = info("pyguest")
    assert i.get_state() == State.STOPPED and i.get_pid() == 0
    assert "Power down" in console(i)
    expect_error(Err.FAILED, p.reboot, ex, "pyguest", None)

    # started again, then kill -9 of qemu: stopped, never running
    p.start(ex, "pyguest", None)
    pid = info("pyguest").get_pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while info("pyguest").get_state() != State.STOPPED and time.monotonic() < deadline:
        time.sleep(0.01)
    i = info("pyguest")
    assert i.get_state() == State.STOPPED and i.get_pid() == 0
    assert [v.get_id() for v in p.list(ex, None)] == ["pyguest"]

    # delete with its disk
    p.delete(ex, "pyguest", True, None)
    assert not os.path.exists(disk)
    assert list(p.list(ex, None)) == []
    expect_error(Err.NOT_FOUND, p.info, ex, "pyguest", None)


def child(vm_id):
    provider = HeroVirt.Registry.get_default().get_provider(HeroVirt.ProviderKind.HYPERVISOR, "qemu")
    i = provider.info(HeroVirt.Executor.get_default(), vm_id, None)
    print(i.get_state().value_nick.upper(), i.get_pid())
    return 0


def main():
    skip = setup()
    print(f"1..{len(TESTS)}")
    failed = 0
    try:
        for n, func in enumerate(TESTS, 1):
            if skip:
                print(f"ok {n} - {func.__name__} # SKIP {skip}")
                continue
            try:
                func()
                print(f"ok {n} - {func.__name__}")
            except Exception:
                failed += 1
                print(f"not ok {n} - {func.__name__}")
                for line in traceback.format_exc().splitlines():
                    print(f"# {line}")
    finally:
        if fx.provider is not None:
            for vm in fx.provider.list(fx.executor, None):
                fx.provider.delete(fx.executor, vm.get_id(), False, None)
        shutil.rmtree(fx.tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    sys.exit(main())
