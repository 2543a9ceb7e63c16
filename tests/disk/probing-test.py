#!/usr/bin/python3
# The qemu probing hole and its relatives, as an attacker would try them:
# a raw guest disk whose first bytes are a qcow2 header naming a host file
# as its backing file (with a recorded format, an unrecorded one, a json:
# name) or as its external data file; protocol paths (nbd://, json:{…},
# a:b); a FIFO. Each must fail with INVALID_ARGUMENT before qemu-img reads
# anything, locally and through a remote executor, and the host file's
# bytes must appear in no file the operations left behind.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import signal
import subprocess
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, GObject, HeroVirt  # noqa: E402

import tap  # noqa: E402
from tap import test  # noqa: E402

Err = HeroVirt.Error
MARKER = b"HOST-SECRET-7f3a9c1e-" * 64   # never part of any path name
WORK = None
SECRET = None


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func} did not fail")


def qemu_img(*args):
    subprocess.run(["qemu-img", *args], check=True, stdout=subprocess.DEVNULL)


def p(name):
    return os.path.join(WORK, name)


def as_raw_guest_disk(path, size=1 << 20):
    """Pads a qcow2 header into a raw disk image of @size bytes: what a guest
    can write at the start of its own raw disk."""
    with open(path, "r+b") as f:
        f.truncate(size)


def drop_backing_format(path):
    data = bytearray(open(path, "rb").read())
    i = data.find(bytes.fromhex("e2792aca"), 0, 4096)
    assert i > 0
    data[i:i + 4] = bytes.fromhex("12345678")
    open(path, "wb").write(data)


def assert_no_leak():
    """The marker is in the secret file and nowhere else under WORK."""
    for root, _, files in os.walk(WORK):
        for name in files:
            path = os.path.join(root, name)
            if path in (SECRET, p("secret-copy")) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                assert MARKER[:32] not in f.read(), f"the host file leaked into {path}"


def leftovers(prefix):
    return [n for n in os.listdir(WORK) if n.startswith(prefix) or n.startswith("." + prefix)]


class Hostile:
    """The hostile images, made once."""
    made = False

    @classmethod
    def make(cls):
        if cls.made:
            return
        # 1. A backing file with its format recorded (raw: read as is).
        qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", SECRET, "-F", "raw",
                 p("evil-backing.img"), "1M")
        as_raw_guest_disk(p("evil-backing.img"))
        # 2. The same with no recorded format: QEMU would probe the host file.
        qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", SECRET, "-F", "raw",
                 p("evil-probe.img"), "1M")
        drop_backing_format(p("evil-probe.img"))
        as_raw_guest_disk(p("evil-probe.img"))
        # 3. A json: backing name: a protocol, even though it names a file.
        qemu_img("create", "-q", "-f", "qcow2", "-u", "-b",
                 'json:{"driver":"raw","file":{"driver":"file","filename":"%s"}}' % SECRET,
                 "-F", "raw", p("evil-json.img"), "1M")
        as_raw_guest_disk(p("evil-json.img"))
        # 4. An external data file (raw: the guest's data is that file).
        shutil.copy(SECRET, p("secret-copy"))
        # (made with a placeholder name of the same length, then pointed
        # at the copy of the host file, as a guest would write it)
        qemu_img("create", "-q", "-f", "qcow2", "-o",
                 "data_file=%s,data_file_raw=on" % p("placeholder"), p("evil-data.img"), "1M")
        data = bytearray(open(p("evil-data.img"), "rb").read())
        i = data.find(p("placeholder").encode())
        assert i > 0 and len("placeholder") == len("secret-copy")
        data[i:i + len(p("placeholder"))] = p("secret-copy").encode()
        open(p("evil-data.img"), "wb").write(data)
        as_raw_guest_disk(p("evil-data.img"))
        cls.made = True


HOSTILE = ["evil-backing.img", "evil-probe.img", "evil-json.img", "evil-data.img"]


def all_ops_refused(disk, dest_name):
    """info, convert, resize, check and a snapshot: every one refused with
    INVALID_ARGUMENT, no output left, the host file's bytes nowhere."""
    dest = p(dest_name)
    expect_error(Err.INVALID_ARGUMENT, disk.info, None)
    expect_error(Err.INVALID_ARGUMENT, disk.convert, dest, "raw", False, None)
    expect_error(Err.INVALID_ARGUMENT, disk.convert, dest, "qcow2", False, None)
    expect_error(Err.INVALID_ARGUMENT, disk.resize, 2 << 20, False, None)
    expect_error(Err.INVALID_ARGUMENT, disk.check, None)
    expect_error(Err.INVALID_ARGUMENT, disk.snapshot_create, "s", None)
    assert not os.path.exists(dest), dest
    assert leftovers(dest_name) == [], leftovers(dest_name)
    assert_no_leak()


@test
def the_probing_exploit_is_refused():
    Hostile.make()
    for name in HOSTILE:
        # Not stated: the qcow2 provider's default is qcow2, and the header
        # names another file: refused.
        all_ops_refused(HeroVirt.Disk.new(p(name)), name + ".out")
        all_ops_refused(HeroVirt.Disk(path=p(name), format="qcow2"), name + ".out")


@test
def allowing_backing_files_does_not_allow_probing_or_protocols():
    Hostile.make()
    for name in ["evil-probe.img", "evil-json.img"]:
        disk = HeroVirt.Disk(path=p(name), allow_backing_file=True)
        all_ops_refused(disk, name + ".allowed")
    e = expect_error(Err.INVALID_ARGUMENT,
                     HeroVirt.Disk(path=p("evil-probe.img"), allow_backing_file=True).info, None)
    assert "never probed" in e.message, e.message
    # The data file is its own permission.
    all_ops_refused(HeroVirt.Disk(path=p("evil-data.img"), allow_backing_file=True), "data.allowed")


@test
def stated_raw_is_read_as_raw():
    Hostile.make()
    for name in HOSTILE:
        disk = HeroVirt.Disk(path=p(name), format="raw")
        info = disk.info(None)
        assert info.get_format() == "raw"
        assert info.get_backing_filename() is None
        out = disk.convert(p(name + ".raw-copy"), "raw", False, None)
        assert out.get_format() == "raw"
        with open(p(name), "rb") as a, open(p(name + ".raw-copy"), "rb") as b:
            assert a.read() == b.read(), "a raw copy is the same bytes"
        os.unlink(p(name + ".raw-copy"))
    assert_no_leak()


@test
def a_file_not_in_the_stated_format_is_refused():
    with open(p("plain.raw"), "wb") as f:
        f.write(b"\0" * 65536)
    e = expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.new(p("plain.raw")).info, None)
    assert "not a qcow2 image" in e.message, e.message
    expect_error(Err.INVALID_ARGUMENT,
                 HeroVirt.Disk(path=p("plain.raw"), format="qcow2").convert,
                 p("plain.out"), "raw", False, None)
    assert HeroVirt.Disk(path=p("plain.raw"), format="raw").info(None).get_format() == "raw"
    # Only qcow2 and raw are read: vmdk descriptors name files of their own.
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk(path=p("plain.raw"), format="vmdk").info, None)


@test
def an_allowed_overlay_still_works():
    qemu_img("create", "-q", "-f", "qcow2", p("base.qcow2"), "4M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", p("top.qcow2"))
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.new(p("top.qcow2")).info, None)
    top = HeroVirt.Disk(path=p("top.qcow2"), allow_backing_file=True)
    assert top.info(None).get_backing_filename() == "base.qcow2"
    assert top.check(None).get_clean()
    top.resize(8 << 20, False, None)
    flat = top.convert(p("flat.qcow2"), "qcow2", False, None)
    assert flat.info(None).get_backing_filename() is None
    # A chain whose lower image names the host file is refused from the top.
    qemu_img("create", "-q", "-f", "qcow2", "-b", "evil-backing.img", "-F", "qcow2",
             p("over-evil.qcow2"))
    Hostile.make()
    # evil-backing.img is a qcow2 header padded to 1 MiB; as qcow2 it names
    # the host file, which is allowed here, so it must be its raw *format*
    # that stops it: the secret is "raw", recorded. Its recorded name is an
    # absolute plain path, so the chain is allowed as the caller asked.
    over = HeroVirt.Disk(path=p("over-evil.qcow2"), allow_backing_file=True)
    assert over.info(None).get_backing_filename() == "evil-backing.img"
    # Without the permission, no level of the chain is opened.
    all_ops_refused(HeroVirt.Disk.new(p("over-evil.qcow2")), "over-evil.out")


@test
def protocol_paths_are_refused():
    for bad in ["nbd://x", "nbd:localhost:10809", "json:{\"driver\":\"file\",\"filename\":\"/etc/passwd\"}",
                "a:b", "http://127.0.0.1/x.img", "file:x"]:
        disk = HeroVirt.Disk.new(bad)
        e = expect_error(Err.INVALID_ARGUMENT, disk.info, None)
        assert "protocol" in e.message, e.message
        expect_error(Err.INVALID_ARGUMENT, disk.create, 1 << 20, None)
        # As a convert destination and as a backing file of a new overlay.
        qemu_img("create", "-q", "-f", "qcow2", p("ok.qcow2"), "1M") if not os.path.exists(p("ok.qcow2")) else None
        expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.new(p("ok.qcow2")).convert, bad, "raw",
                     False, None)
        opts = HeroVirt.DiskCreateOptions.new(0)
        opts.set_backing_file(bad, "qcow2")
        expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.new(p("new-overlay.qcow2")).create_with_options,
                     opts, None)
        assert not os.path.exists(p("new-overlay.qcow2"))
    # A colon after the first slash is a plain file name.
    qemu_img("create", "-q", "-f", "qcow2", p("x:y.qcow2"), "1M")
    assert HeroVirt.Disk.new("./" + os.path.relpath(p("x:y.qcow2"))).info(None).get_format() == "qcow2"
    assert HeroVirt.Disk.validate_path("./a:b")
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.validate_path, "a:b")


def with_alarm(func, *args):
    """Runs func; a hang (a FIFO opened for reading blocks until a writer
    comes) raises instead of stalling the suite."""
    def on_alarm(signum, frame):
        raise TimeoutError("blocked on a FIFO")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(60)
    try:
        return func(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@test
def a_fifo_does_not_block():
    os.mkfifo(p("fifo"))
    for fmt in [None, "raw", "qcow2"]:
        disk = HeroVirt.Disk(path=p("fifo"), format=fmt)
        e = with_alarm(expect_error, Err.INVALID_ARGUMENT, disk.info, None)
        assert "regular file" in e.message, e.message
        with_alarm(expect_error, Err.INVALID_ARGUMENT, disk.convert, p("fifo.out"), "raw", False, None)
        with_alarm(expect_error, Err.INVALID_ARGUMENT, disk.check, None)
    assert not os.path.exists(p("fifo.out"))
    # A device too.
    e = with_alarm(expect_error, Err.INVALID_ARGUMENT, HeroVirt.Disk(path="/dev/zero", format="raw").info, None)
    assert "regular file" in e.message, e.message


class RemoteHost(GObject.Object, HeroVirt.Executor):
    """Another host, as the provider sees it (not local), whose commands
    happen to run here; it records them."""

    def __init__(self):
        super().__init__()
        self.argvs = []

    def do_is_local(self):
        return False

    def do_get_description(self):
        return "remote-test-host"

    def do_run(self, command, cancellable):
        argv = command.get_argv()
        self.argvs.append(argv)
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        return HeroVirt.CommandResult.new(argv[0], r.returncode, 0, GLib.Bytes.new(r.stdout),
                                          GLib.Bytes.new(r.stderr), 0)


def remote_disk(host, path, **props):
    provider = HeroVirt.Registry.get_default().get_provider(HeroVirt.ProviderKind.DISK, "qcow2")
    return HeroVirt.Disk(path=path, executor=host, provider=provider, **props)


@test
def remote_executor_same_rules():
    Hostile.make()
    host = RemoteHost()
    for name in HOSTILE:
        all_ops_refused(remote_disk(host, p(name)), name + ".remote")
        assert remote_disk(host, p(name), format="raw").info(None).get_format() == "raw"
    # No qemu-img ever ran on a hostile image without its format stated.
    for argv in host.argvs:
        if argv[0] == "qemu-img":
            assert "-f" in argv or "--image-opts" in argv, argv
            if "-f" in argv:
                assert argv[argv.index("-f") + 1] == "raw", argv
    # The FIFO is found by stat, never opened.
    if not os.path.exists(p("fifo")):
        os.mkfifo(p("fifo"))
    e = with_alarm(expect_error, Err.INVALID_ARGUMENT, remote_disk(host, p("fifo"), format="raw").info, None)
    assert "regular file" in e.message, e.message
    # Protocol paths: refused by the provider itself too, not only the Disk.
    provider = HeroVirt.Registry.get_default().get_provider(HeroVirt.ProviderKind.DISK, "qcow2")
    for bad in ["nbd://x", "json:{}", "a:b"]:
        expect_error(Err.INVALID_ARGUMENT, remote_disk(host, bad).info, None)
        expect_error(Err.INVALID_ARGUMENT, provider.info, host, bad, None, 0, None)
        expect_error(Err.INVALID_ARGUMENT, provider.convert, host, p("evil-backing.img"), "raw", 0,
                     bad, "raw", False, None)
    assert_no_leak()


def main():
    global WORK, SECRET
    t = tap.Tap()
    if shutil.which("qemu-img") is None:
        t.skip_all("qemu-img is not installed")
    WORK = tempfile.mkdtemp(prefix="disk-probing-")
    SECRET = os.path.join(WORK, "host-secret")
    try:
        with open(SECRET, "wb") as f:
            f.write(MARKER * 16)
        for fn in tap._tests:
            t.run(fn.__name__, fn)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    raise SystemExit(main())
