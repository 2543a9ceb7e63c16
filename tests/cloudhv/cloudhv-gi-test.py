#!/usr/bin/python3
# The cloudhv plugin from Python, as a new user would drive it: registry →
# provider, the VM's lifecycle against hero-virt-ch-sim, a second "process"
# (a fresh provider reading the same records), kill -9, hostile specs,
# errors as GLib.Error with cloud-hypervisor's message.
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

SIM = os.environ.get("HERO_VIRT_CH_SIM") or shutil.which("hero-virt-ch-sim")
TESTS = []


def test(func):
    TESTS.append(func)
    return func


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func.__name__} did not fail")


class Env:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cloudhv-gi-")
        self.records = os.path.join(self.dir, "vms")
        self.kernel = os.path.join(self.dir, "vmlinuz")
        self.disk = os.path.join(self.dir, "disk.raw")
        for path, size in ((self.kernel, 4096), (self.disk, 1 << 20)):
            with open(path, "wb") as f:
                f.truncate(size)
        self.provider = self.new_provider()

    def new_provider(self):
        registry = HeroVirt.Registry.get_default()
        provider = registry.get_provider(HeroVirt.ProviderKind.HYPERVISOR, "cloudhv")
        provider.props.binary = SIM
        provider.props.state_dir = self.records
        return provider

    def spec(self, name):
        return (HeroVirt.VmBuilder.new(name)
                .set_kernel(self.kernel)
                .set_cmdline("console=ttyS0")
                .set_vcpus(1)
                .set_memory_mb(128)
                .add_disk(self.disk, False)
                .build())

    def close(self):
        for vm in self.provider.list(None, None):
            try:
                self.provider.delete(None, vm.get_id(), False, None)
            except GLib.Error:
                pass
        self.provider.props.binary = None
        self.provider.props.state_dir = None
        shutil.rmtree(self.dir, ignore_errors=True)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_dead(pid, seconds=3):
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not alive(pid)


@test
def lifecycle():
    env = Env()
    try:
        p = env.provider
        assert p.is_available(None, None)
        vm = p.create(None, env.spec("py-web"), None)
        assert vm == "py-web"
        assert p.info(None, vm, None).get_state() == HeroVirt.VmState.CREATED
        assert p.start(None, vm, None)
        info = p.info(None, vm, None)
        assert info.get_state() == HeroVirt.VmState.RUNNING, info.get_state()
        pid = info.get_pid()
        assert alive(pid)
        details = info.get_details()
        assert details.get_object().get_string_member("state") == "Running"
        # another process sees the same VM through the records
        script = ("import sys, gi; gi.require_version('HeroVirt', '1'); "
                  "from gi.repository import HeroVirt; "
                  "p = HeroVirt.Registry.get_default().get_provider("
                  "HeroVirt.ProviderKind.HYPERVISOR, 'cloudhv'); "
                  "p.props.binary = sys.argv[1]; p.props.state_dir = sys.argv[2]; "
                  "i = p.info(None, 'py-web', None); "
                  "print(i.get_state().value_nick, i.get_pid())")
        out = subprocess.run([sys.executable, "-c", script, SIM, env.records],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["running", str(pid)], out.stdout
        other = env.new_provider()
        assert [i.get_id() for i in other.list(None, None)] == ["py-web"]
        assert other.info(None, vm, None).get_pid() == pid
        p.pause(None, vm, None)
        assert other.info(None, vm, None).get_state() == HeroVirt.VmState.PAUSED
        p.resume(None, vm, None)
        assert p.info(None, vm, None).get_state() == HeroVirt.VmState.RUNNING
        with open(info.get_console_path()) as f:
            assert "Linux version" in f.read()
        # the power button: the guest powers off, the process ends
        assert p.stop(None, vm, False, 10, None)
        assert wait_dead(pid)
        stopped = p.info(None, vm, None)
        assert stopped.get_state() == HeroVirt.VmState.STOPPED and stopped.get_pid() == 0
        # kill -9: reported stopped, never running
        p.start(None, vm, None)
        pid = p.info(None, vm, None).get_pid()
        os.kill(pid, signal.SIGKILL)
        assert wait_dead(pid)
        assert p.info(None, vm, None).get_state() == HeroVirt.VmState.STOPPED
        assert p.delete(None, vm, False, None)
        expect_error(HeroVirt.Error.NOT_FOUND, p.info, None, vm, None)
    finally:
        env.close()


@test
def errors():
    env = Env()
    try:
        p = env.provider
        vm = p.create(None, env.spec("py-err"), None)
        p.start(None, vm, None)
        e = expect_error(HeroVirt.Error.COMMAND_FAILED, p.resize, None, vm, 1000, 0, None)
        assert "Error from API: The VM could not be resized" in e.message, e.message
        assert "Requested vCPUs exceed maximum" in e.message, e.message
        expect_error(HeroVirt.Error.EXISTS, p.start, None, vm, None)
        expect_error(HeroVirt.Error.FAILED, p.snapshot, None, vm,
                     os.path.join(env.dir, "snap"), None)
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, p.info, None, "../etc", None)
        # a comma in a disk path: refused, nothing started, no record left
        comma = os.path.join(env.dir, "a.qcow2,readonly=off")
        with open(comma, "wb") as f:
            f.truncate(512)
        spec = HeroVirt.VmSpec.new_from_json(
            env.spec("py-comma").to_json(False).replace(env.disk, comma))
        expect_error(HeroVirt.Error.INVALID_ARGUMENT, p.create, None, spec, None)
        assert not os.path.exists(os.path.join(env.records, "py-comma"))
        # the hypervisor missing
        p.props.binary = "/nonexistent/cloud-hypervisor"
        expect_error(HeroVirt.Error.UNAVAILABLE, p.is_available, None, None)
    finally:
        env.close()


def guest_files():
    """The VM tests' guest (tests/vm/guest/build-guest.sh), or a reason."""
    script = os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", ""), "tests", "vm", "guest",
                          "build-guest.sh")
    if not shutil.which("qemu-system-x86_64") or not os.path.exists(script):
        return None, "qemu-system-x86_64 or tests/vm/guest/build-guest.sh missing"
    out = tempfile.mkdtemp(prefix="cloudhv-guest-")
    r = subprocess.run(["bash", script, out], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        return None, "build-guest.sh failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    files = dict(line.split("=", 1) for line in r.stdout.split() if "=" in line)
    return (files["KERNEL"], files["INITRD"], out), None


def real_guest(guest):
    """The simulator running the guest under qemu: the console is real."""
    kernel, initrd, _ = guest
    env = Env()
    try:
        p = env.provider
        spec = (HeroVirt.VmBuilder.new("py-real")
                .set_kernel(kernel)
                .set_initramfs(initrd)
                .set_cmdline("console=ttyS0 quiet panic=-1")
                .set_vcpus(1)
                .set_memory_mb(256)
                .add_extra_arg("--sim-guest")
                .add_extra_arg("qemu")
                .build())
        vm = p.create(None, spec, None)
        p.start(None, vm, None)
        info = p.info(None, vm, None)
        console = info.get_console_path()

        def text():
            try:
                with open(console) as f:
                    return f.read()
            except FileNotFoundError:
                return ""

        deadline = time.monotonic() + 120
        while "HEROVIRT-TICK" not in text():
            assert time.monotonic() < deadline, "the guest did not boot: " + text()[-500:]
            time.sleep(0.2)
        p.pause(None, vm, None)
        time.sleep(0.5)
        before = text().count("\n")
        time.sleep(1.0)
        assert text().count("\n") == before, "the console goes on while paused"
        assert p.info(None, vm, None).get_state() == HeroVirt.VmState.PAUSED
        p.resume(None, vm, None)
        time.sleep(1.0)
        assert text().count("\n") > before, "the console does not go on after resume"
        # the guest answers the ACPI power button and powers off
        assert p.stop(None, vm, False, 60, None)
        assert "Power down" in text()
        assert p.info(None, vm, None).get_state() == HeroVirt.VmState.STOPPED
        p.delete(None, vm, False, None)
    finally:
        env.close()


def main():
    if SIM is None:
        print("Bail out! hero-virt-ch-sim not built (set HERO_VIRT_CH_SIM)")
        return 1
    failed = 0
    for n, func in enumerate(TESTS, 1):
        try:
            func()
        except Exception:
            failed += 1
            print(f"not ok {n} - {func.__name__}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print(f"ok {n} - {func.__name__}")
    n = len(TESTS) + 1
    guest, why = guest_files()
    if guest is None and os.environ.get("CI") == "true":
        failed += 1
        print(f"not ok {n} - real_guest # {why}")
    elif guest is None:
        print(f"ok {n} - real_guest # SKIP {why}")
    else:
        try:
            real_guest(guest)
        except Exception:
            failed += 1
            print(f"not ok {n} - real_guest")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print(f"ok {n} - real_guest")
        finally:
            shutil.rmtree(guest[2], ignore_errors=True)
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
