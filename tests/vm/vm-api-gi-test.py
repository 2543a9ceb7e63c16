#!/usr/bin/python3
# HeroVirt.Vm from Python, as a new user drives it: a guest of our own
# making (tests/vm/guest/) boots through the qemu plugin from a qcow2
# overlay (one boot), its console is waited for, followed and tailed, it is
# paused and resumed, snapshotted while paused, listed from a second
# process, stopped asynchronously, restored from the snapshot (no second
# boot), killed with kill -9 (reported stopped) and deleted with its disks. The cloudhv plugin, picked with HERO_VIRT_HYPERVISOR=cloudhv, runs
# the lifecycle against hero-virt-ch-sim. Hostile specs leave nothing. A
# cloud-init seed is written with genisoimage; the booted guest mounts it
# (isofs.ko and an /init of ours appended to the test initramfs) and prints
# user-data and meta-data on its console; isoinfo reads another one back.
# SPDX-License-Identifier: LGPL-2.1-or-later
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import Gio, GLib, HeroVirt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = []
State = HeroVirt.VmState
Err = HeroVirt.Error
CI = os.environ.get("CI") == "true"


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


fx = Fixture()


def records():
    d = os.environ["HERO_VIRT_VM_DIR"]
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def need(tool):
    if shutil.which(tool) is None:
        if CI:
            raise RuntimeError(f"{tool} is missing")
        return False
    return True


def guest():
    if fx.kernel is None:
        out = subprocess.run(["bash", os.path.join(HERE, "guest", "build-guest.sh"),
                              os.path.join(fx.tmp, "guest")],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        paths = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        fx.kernel, fx.initrd = paths["KERNEL"], paths["INITRD"]


SEED_INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in button evdev virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
    virtio_blk cdrom isofs; do insmod /lib/modules/$m.ko 2>/dev/null; done
mkdir -p /seed
for try in 1 2 3 4 5 6 7 8 9 10; do
  for d in /dev/vd?; do
    mount -t iso9660 -o ro "$d" /seed 2>/tmp/mount.err && [ -e /seed/user-data ] && break 2
    umount /seed 2>/dev/null
  done
  sleep 0.2
done
if [ -e /seed/user-data ]; then
  for f in user-data meta-data network-config; do
    [ -e /seed/$f ] && sed "s|^|HEROVIRT-SEED $f |" /seed/$f
  done
  echo "HEROVIRT-SEED-END"
else
  echo "HEROVIRT-SEED-MISSING disks: $(ls /sys/block | tr '\\n' ' ') fs: $(grep iso /proc/filesystems) $(cat /tmp/mount.err)"
fi
printf '#!/bin/sh\necho "HEROVIRT-POWER-BUTTON"\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log
echo "HEROVIRT-GUEST-READY uptime=$(cut -d' ' -f1 /proc/uptime)"
n=0
while :; do n=$((n+1)); echo "HEROVIRT-TICK $n"; sleep 0.2; done
"""


def seed_reading_initrd():
    """The test guest's initramfs plus isofs.ko (and cdrom.ko) and an /init that mounts the
    cloud-init seed and prints it on the console (a later cpio archive's
    files replace an earlier one's)."""
    isofs_ko = None
    for root in (os.path.dirname(os.path.dirname(fx.kernel)),):
        base = os.path.join(root, "lib", "modules")
        for v in os.listdir(base):
            cand = os.path.join(base, v, "kernel", "fs", "isofs", "isofs.ko")
            if os.path.exists(cand):
                isofs_ko = cand
    if isofs_ko is None:
        return None
    stage = os.path.join(fx.tmp, "seed-stage")
    os.makedirs(os.path.join(stage, "lib", "modules"))
    shutil.copy(isofs_ko, os.path.join(stage, "lib", "modules", "isofs.ko"))
    cdrom = os.path.join(os.path.dirname(isofs_ko), "..", "..", "drivers", "cdrom", "cdrom.ko")
    shutil.copy(cdrom, os.path.join(stage, "lib", "modules", "cdrom.ko"))  # isofs needs it
    with open(os.path.join(stage, "init"), "w") as f:
        f.write(SEED_INIT)
    os.chmod(os.path.join(stage, "init"), 0o755)
    files = subprocess.run(["find", ".", "-mindepth", "1"], cwd=stage, check=True,
                           stdout=subprocess.PIPE).stdout
    extra = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=stage, input=files,
                           check=True, stdout=subprocess.PIPE).stdout
    extra = gzip.compress(extra, 1)
    out = os.path.join(fx.tmp, "seed-initrd.cpio.gz")
    with open(out, "wb") as f, open(fx.initrd, "rb") as orig:
        f.write(orig.read())
        f.write(extra)
    shutil.rmtree(stage)
    return out


def builder(name, kernel=None):
    return (HeroVirt.VmBuilder.new(name).set_kernel(kernel or fx.kernel)
            .set_initramfs(fx.initrd if kernel is None else None)
            .set_cmdline("console=ttyS0 quiet panic=-1").set_memory_mb(256))


def run_async(start, finish):
    loop = GLib.MainLoop()
    box = {}

    def done(source, result):
        try:
            box["value"] = finish(result)
        except GLib.Error as e:
            box["error"] = e
        loop.quit()

    start(done)
    loop.run()
    if "error" in box:
        raise box["error"]
    return box["value"]


@test
def qemu_lifecycle():
    for tool in ("qemu-system-x86_64", "qemu-img", "cpio", "apt-get"):
        if not need(tool):
            return f"skip {tool} is missing"
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    guest()
    base = os.path.join(fx.tmp, "base.qcow2")
    overlay = os.path.join(fx.tmp, "web-1.qcow2")
    HeroVirt.Disk.new(base).create(64 << 20, None)
    opts = HeroVirt.DiskCreateOptions.new(64 << 20)
    opts.set_backing_file(base, "qcow2")
    HeroVirt.Disk.new(overlay).create_with_options(opts, None)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # a cloud-init seed the guest mounts and prints (its initramfs gets
    # isofs.ko and an /init that does it)
    seed_path = os.path.join(fx.tmp, "web-1-seed.iso")
    (HeroVirt.CloudInit.new("web-1").add_ssh_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHero t@h")
     .add_runcmd("echo hello").write_seed(None, seed_path, None))
    initrd = seed_reading_initrd() if shutil.which("genisoimage") else None
    b = builder("web-1").add_disk_device(HeroVirt.VmDisk.new(overlay).set_format("qcow2"))
    if initrd is not None:
        b.set_initramfs(initrd).add_cloud_init_seed(seed_path)
    spec = b.add_user_net().add_port_forward("tcp", None, port, 22).build()
    fwd = spec.get_nets()[0].get_port_forwards()[0]
    assert (fwd.get_protocol(), fwd.get_host_address(), fwd.get_host_port(),
            fwd.get_guest_port()) == ("tcp", "127.0.0.1", port, 22)
    assert spec.get_extra_args() == []
    vm = HeroVirt.Vm.new(spec)
    assert vm.get_id() == "web-1"
    # create through the async triplet (it forwards to the provider's async op)
    assert run_async(lambda cb: vm.create_async(None, cb), vm.create_finish)
    assert records() == ["web-1"]
    assert vm.get_info(None).get_state() == State.CREATED
    # the forward is reported in info and kept in the record
    assert [f.to_string() for f in vm.get_info(None).get_spec().list_port_forwards()] == [
        f"tcp:127.0.0.1:{port}-:22"]
    details = json.loads(vm.get_info(None).to_json(False))["details"]
    assert details["port_forwards"] == [f"tcp:127.0.0.1:{port}-:22"], details
    with open(os.path.join(os.environ["HERO_VIRT_VM_DIR"], "web-1", "vm.json")) as f:
        assert '"port_forwards"' in f.read()
    expect_error(Err.EXISTS, vm.create, None)
    vm.start(None)
    line = vm.wait_for_console("HEROVIRT-GUEST-READY", 90, None)
    assert "HEROVIRT-GUEST-READY" in line, line
    assert vm.get_info(None).get_state() == State.RUNNING
    if initrd is not None:
        log = vm.get_console_log(0, None)
        assert "HEROVIRT-SEED-END" in log, log[-2000:]
        assert 'HEROVIRT-SEED user-data hostname: "web-1"' in log, log[-2000:]
        assert 'HEROVIRT-SEED user-data   - "echo hello"' in log, log[-2000:]
        assert 'HEROVIRT-SEED meta-data instance-id: "web-1"' in log, log[-2000:]
    elif CI:
        raise AssertionError("the guest kernel has no isofs.ko")
    expect_error(Err.TIMEOUT, vm.wait_for_console, "NEVER-WRITTEN", 1, None)
    expect_error(Err.INVALID_ARGUMENT, vm.wait_for_console, "(", 1, None)

    # follow: the next tick lines arrive through a stream; cancel ends it
    stream = vm.follow_console(False, None)
    data = Gio.DataInputStream.new(stream)
    got = []
    while len(got) < 2:
        text, _ = data.read_line_utf8(None)
        if text and "HEROVIRT-TICK" in text:
            got.append(text)
    cancel = Gio.Cancellable()
    threading.Timer(0.3, cancel.cancel).start()
    t0 = time.monotonic()
    try:
        while True:
            data.read_line_utf8(cancel)
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e.message
    assert time.monotonic() - t0 < 5
    stream.close(None)

    tail = vm.get_console_log(2, None)
    assert len(tail.strip().splitlines()) == 2, repr(tail)
    assert "HEROVIRT-GUEST-READY" in vm.get_console_log(0, None)

    # pause: the console stops; resume: it goes on
    vm.pause(None)
    assert vm.get_info(None).get_state() == State.PAUSED
    time.sleep(0.3)
    size = len(vm.get_console_log(0, None))
    time.sleep(1.0)
    assert len(vm.get_console_log(0, None)) == size, "console went on while paused"
    # a snapshot of the paused VM (restored after the kill -9 below); memory
    # cannot be hot-plugged
    snap = os.path.join(fx.tmp, "snap")
    assert run_async(lambda cb: vm.snapshot_async(snap, None, cb), vm.snapshot_finish)
    expect_error(Err.NOT_SUPPORTED, vm.resize, 0, 512, None)
    run_async(lambda cb: vm.resume_async(None, cb), vm.resume_finish)
    deadline = time.time() + 30
    while len(vm.get_console_log(0, None)) == size:
        assert time.time() < deadline, "console did not go on after resume"
        time.sleep(0.1)

    # a second process sees it running, through Vm.list() and Vm.new_for_id
    script = ("import gi; gi.require_version('HeroVirt', '1');"
              "from gi.repository import HeroVirt;"
              "import json;"
              "l = HeroVirt.Vm.list(None, None);"
              "i = HeroVirt.Vm.new_for_id('web-1').get_info(None);"
              "print(json.dumps([[x.get_id(), x.get_state().value_nick] for x in l] +"
              " [i.get_pid()]))")
    out = json.loads(subprocess.run([sys.executable, "-c", script], check=True,
                                    stdout=subprocess.PIPE, text=True).stdout)
    pid = vm.get_info(None).get_pid()
    assert out == [["web-1", "running"], pid], out

    # stop by the power button (async)
    assert run_async(lambda cb: vm.stop_async(False, 60, None, cb), vm.stop_finish)
    assert vm.get_info(None).get_state() in (State.STOPPED, State.CREATED)
    vm.stop(True, 0, None)  # stopping a stopped VM succeeds
    # restore the snapshot: paused, then on from where it was (no new boot)
    vm.restore(snap, None)
    assert vm.get_info(None).get_state() == State.PAUSED
    vm.resume(None)
    before = vm.get_console_log(0, None).count("HEROVIRT-TICK")
    deadline = time.time() + 30
    while vm.get_console_log(0, None).count("HEROVIRT-TICK") <= before:
        assert time.time() < deadline, "no console line after restore"
        time.sleep(0.1)
    assert vm.get_console_log(0, None).count("HEROVIRT-GUEST-READY") <= 2

    # a kill -9 of qemu: stopped, never running
    pid = vm.get_info(None).get_pid()
    assert pid > 0
    os.kill(pid, signal.SIGKILL)
    deadline = time.time() + 10
    while (info := vm.get_info(None)).get_state() != State.STOPPED:
        assert info.get_state() != State.RUNNING or time.time() < deadline, \
            "kill -9 still reported running"
        assert time.time() < deadline + 5, info.to_json(False)
        time.sleep(0.1)
    assert info.get_pid() == 0, info.to_json(False)

    # delete with disks: the record and the overlay go, the base stays
    vm.delete(True, None)
    assert records() == []
    assert not os.path.exists(overlay) and os.path.exists(base)
    assert list(HeroVirt.Vm.list(None, None)) == []
    expect_error(Err.NOT_FOUND, vm.get_info, None)
    return None


@test
def hostile_specs():
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    kernel = os.path.join(fx.tmp, "fake-vmlinuz")
    with open(kernel, "wb") as f:
        f.write(b"\0" * 4096)
    comma = os.path.join(fx.tmp, "a.qcow2,readonly=off")
    open(comma, "wb").close()

    def spec_json(**kw):
        d = {"name": "ok", "kernel": kernel, "memory_mb": 128, "vcpus": 1}
        d.update(kw)
        return HeroVirt.VmSpec.new_from_json(json.dumps(d))

    cases = [
        (Err.INVALID_ARGUMENT, spec_json(name="Bad_Name")),
        (Err.INVALID_ARGUMENT, spec_json(name="a..b")),
        (Err.INVALID_ARGUMENT, spec_json(name="../etc")),
        (Err.INVALID_ARGUMENT, spec_json(vcpus=0)),
        (Err.INVALID_ARGUMENT, spec_json(vcpus=100000)),
        (Err.INVALID_ARGUMENT, spec_json(memory_mb=0)),
        (Err.INVALID_ARGUMENT, spec_json(memory_mb=1 << 50)),
        (Err.INVALID_ARGUMENT, spec_json(disks=[{"path": comma}])),
        (Err.INVALID_ARGUMENT, spec_json(kernel=kernel + ",x=y")),
        (Err.NOT_FOUND, spec_json(kernel=os.path.join(fx.tmp, "missing-kernel"))),
    ]
    for code, spec in cases:
        vm = HeroVirt.Vm.new(spec)
        e = expect_error(code, vm.create, None)
        print(f"# {spec.get_name()}: {e.message}")
        assert records() == [], records()
        try:
            run_async(lambda cb: vm.create_async(None, cb), vm.create_finish)
            raise AssertionError("async create did not fail")
        except GLib.Error as e2:
            assert e2.code == code
        assert records() == []
    # ids that are not DNS labels are refused before any provider call
    for bad in ("..", "a/b", "a_b", "-x", ""):
        expect_error(Err.INVALID_ARGUMENT, HeroVirt.Vm.new_for_id(bad).get_info, None)
    # a spec and an id that disagree; an unknown provider
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Vm.new_full, spec_json(), "other", None, None)
    expect_error(Err.NOT_FOUND, HeroVirt.Vm.new_full, spec_json(), None, "no-such", None)
    # the builder refuses bad port forwards at build()
    for proto, addr, hport, gport in (("icmp", None, 1, 2), ("tcp", None, 0, 22),
                                      ("tcp", None, 70000, 22), ("udp", None, 53, 65536),
                                      ("tcp", "127.0.0.1,guestfwd=x", 2222, 22),
                                      ("tcp", "::1", 2222, 22), ("tcp", "1.2.3", 2222, 22)):
        expect_error(Err.INVALID_ARGUMENT,
                     builder("pf", kernel).add_user_net().add_port_forward(proto, addr, hport,
                                                                           gport).build)
    # twice the same host port; no user network
    expect_error(Err.INVALID_ARGUMENT, builder("pf", kernel).add_user_net()
                 .add_port_forward("tcp", None, 2222, 22).add_port_forward("tcp", None, 2222, 80)
                 .build)
    expect_error(Err.INVALID_ARGUMENT,
                 builder("pf", kernel).add_port_forward("tcp", None, 2222, 22).build)
    # the older extra-argument form is still checked by the qemu plugin
    vm = HeroVirt.Vm.new(builder("pf", kernel).add_user_net().add_extra_arg("hostfwd=icmp::1-:2")
                         .build())
    expect_error(Err.INVALID_ARGUMENT, vm.create, None)
    assert records() == []
    return None


@test
def ssh_executor_through_forward():
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    spec = (HeroVirt.VmBuilder.new("sshy").set_kernel("/k").add_user_net()
            .add_port_forward("tcp", None, 40022, 22).add_port_forward("tcp", "127.0.0.2", 40080, 80)
            .add_extra_arg("hostfwd=tcp::40443-:443").build())
    vm = HeroVirt.Vm.new(spec)
    ex = vm.get_ssh_executor("root", 0, None)
    assert (ex.get_host(), ex.get_port(), ex.get_user()) == ("127.0.0.1", 40022, "root")
    ex80 = vm.get_ssh_executor("root", 80, None)
    assert (ex80.get_host(), ex80.get_port()) == ("127.0.0.2", 40080)
    # the older extra-argument form still works
    assert vm.get_ssh_executor("root", 443, None).get_port() == 40443
    assert [f.to_string() for f in spec.list_port_forwards()] == [
        "tcp:127.0.0.1:40022-:22", "tcp:127.0.0.2:40080-:80", "tcp:127.0.0.1:40443-:443"]
    # the record form keeps them
    again = HeroVirt.VmSpec.new_from_json(spec.to_json(False))
    assert [f.to_string() for f in again.list_port_forwards()] == [
        f.to_string() for f in spec.list_port_forwards()]
    assert json.loads(spec.to_json(False))["nets"][0]["port_forwards"][1] == {
        "protocol": "tcp", "host_address": "127.0.0.2", "host_port": 40080, "guest_port": 80}
    expect_error(Err.NOT_FOUND, vm.get_ssh_executor, "root", 2222, None)
    expect_error(Err.NOT_FOUND, HeroVirt.Vm.new_for_id("nope").get_ssh_executor, "root", 22, None)
    return None


@test
def cloudhv_through_env():
    sim = os.environ.get("HERO_VIRT_CH_SIM") or shutil.which("hero-virt-ch-sim")
    if sim is None:
        if CI:
            raise RuntimeError("hero-virt-ch-sim not built")
        return "skip hero-virt-ch-sim not built"
    os.environ["HERO_VIRT_HYPERVISOR"] = "cloudhv"
    os.environ["HERO_VIRT_CLOUD_HYPERVISOR"] = sim
    kernel = os.path.join(fx.tmp, "ch-vmlinuz")
    with open(kernel, "wb") as f:
        f.truncate(4096)
    vm = HeroVirt.Vm.new(HeroVirt.VmBuilder.new("ch-1").set_kernel(kernel)
                         .set_cmdline("console=ttyS0").set_memory_mb(128).build())
    assert "cloud" in type(HeroVirt.Vm.new_for_id("x").get_provider()).__name__.lower() or \
        HeroVirt.Vm.new_for_id("x").get_provider().__gtype__.name.lower().find("ch") >= 0
    # no user-mode networking, so no port forwards: refused, nothing left
    fwd = HeroVirt.Vm.new(HeroVirt.VmBuilder.new("ch-fwd").set_kernel(kernel).add_user_net()
                          .add_port_forward("tcp", None, 2222, 22).build())
    expect_error(Err.NOT_SUPPORTED, fwd.create, None)
    assert records() == []
    vm.create(None)
    assert records() == ["ch-1"]
    run_async(lambda cb: vm.start_async(None, cb), vm.start_finish)
    assert vm.get_info(None).get_state() == State.RUNNING
    vm.pause(None)
    assert vm.get_info(None).get_state() == State.PAUSED
    vm.resume(None)
    ids = [i.get_id() for i in HeroVirt.Vm.list(None, None)]
    assert ids == ["ch-1"], ids
    pid = vm.get_info(None).get_pid()
    os.kill(pid, signal.SIGKILL)
    # never running again; "unknown" while the killed process is not yet
    # reaped, then stopped with pid 0
    deadline = time.time() + 10
    while (info := vm.get_info(None)).get_state() != State.STOPPED:
        assert info.get_state() != State.RUNNING, info.to_json(False)
        assert time.time() < deadline, info.to_json(False)
        time.sleep(0.1)
    assert info.get_pid() == 0, info.to_json(False)
    vm.start(None)
    vm.stop(True, 5, None)
    vm.delete(False, None)
    assert records() == []
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    return None


@test
def cloud_init_seed():
    if not need("genisoimage") or not need("isoinfo"):
        return "skip genisoimage is missing"
    seed = (HeroVirt.CloudInit.new("web-1")
            .set_user("hero")
            .add_ssh_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHero test@host\n")
            .add_package("nginx")
            .add_runcmd("echo 'quoted: \"x\"' > /tmp/x")
            .set_network_config("version: 2\nethernets:\n  eth0:\n    dhcp4: true\n"))
    path = os.path.join(fx.tmp, "seed.iso")
    assert run_async(lambda cb: seed.write_seed_async(None, path, None, cb), seed.write_seed_finish)
    listing = subprocess.run(["isoinfo", "-d", "-i", path], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
    assert "Volume id: cidata" in listing, listing

    def read(name):
        return subprocess.run(["isoinfo", "-R", "-x", "/" + name, "-i", path], check=True,
                              stdout=subprocess.PIPE, text=True).stdout

    user_data = read("user-data")
    assert user_data.startswith("#cloud-config\n"), user_data
    assert seed.get_user_data() == user_data
    assert 'hostname: "web-1"' in user_data
    assert '- "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHero test@host"' in user_data
    assert '- "nginx"' in user_data
    assert '- "echo \'quoted: \\"x\\"\' > /tmp/x"' in user_data, user_data
    assert 'instance-id: "web-1"' in read("meta-data")
    assert "dhcp4: true" in read("network-config")
    # attached as a read-only raw disk
    spec = (HeroVirt.VmBuilder.new("seeded").set_kernel("/k").add_cloud_init_seed(path).build())
    d = spec.get_disks()[0]
    assert d.get_path() == path and d.get_format() == "raw" and d.get_readonly()
    # hostile values
    for bad in (HeroVirt.CloudInit.new("Not A Label"),
                HeroVirt.CloudInit.new("ok").add_ssh_key("not a key"),
                HeroVirt.CloudInit.new("ok").add_ssh_key("ssh-rsa AAAA\nruncmd: [x]"),
                HeroVirt.CloudInit.new("ok").add_package("a b"),
                HeroVirt.CloudInit.new("ok").add_runcmd("two\nlines")):
        expect_error(Err.INVALID_ARGUMENT, bad.write_seed, None, os.path.join(fx.tmp, "bad.iso"),
                     None)
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.CloudInit.new("ok").write_seed, None,
                 os.path.join(fx.tmp, "a,b.iso"), None)
    assert not os.path.exists(os.path.join(fx.tmp, "bad.iso"))
    return None


def main():
    fx.tmp = tempfile.mkdtemp(prefix="vm-api-gi-")
    os.environ["HERO_VIRT_VM_DIR"] = os.path.join(fx.tmp, "vms")
    print(f"1..{len(TESTS)}")
    failed = 0
    try:
        for n, t in enumerate(TESTS, 1):
            try:
                skip = t()
                if skip and skip.startswith("skip"):
                    print(f"ok {n} {t.__name__} # SKIP {skip[5:]}")
                else:
                    print(f"ok {n} {t.__name__}")
            except Exception:
                failed += 1
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
                print(f"not ok {n} {t.__name__}")
            sys.stdout.flush()
    finally:
        # nothing left running: force-delete whatever a failed test left
        for provider in ("qemu", "cloudhv"):
            for name in records():
                try:
                    HeroVirt.Vm.new_full(None, name, provider, None).delete(False, None)
                except GLib.Error:
                    pass
        shutil.rmtree(fx.tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
