#!/usr/bin/python3
# HeroVirt.Vm.new_from_base_image from Python: a local HTTPS server on
# 127.0.0.1 stands in for the Ubuntu mirror, serving a small qcow2 image
# (made with qemu-img, a marker in its first sector) and its SHA256SUMS.
# One call builds the base image, a per-VM overlay (backing file allowed
# for it alone, format recorded), a cloud-init seed and the VM; the test
# guest (tests/vm/guest: Debian's kernel, a busybox initramfs with an /init
# of ours) boots under qemu and prints the marker it reads from the
# overlay's first sector and the seed's user-data on its serial console.
# A second call for the same name fails with EXISTS and leaves the first
# VM's disks alone; a bad spec downloads nothing; delete removes the
# overlay and seed but never the base image.
# SPDX-License-Identifier: LGPL-2.1-or-later
import gzip
import hashlib
import http.server
import os
import shutil
import ssl
import subprocess
import tempfile
import threading

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

import tap  # noqa: E402
from tap import test  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
Err = HeroVirt.Error
MARKER = b"HEROVIRT-BASE-MARKER-5d41402abc4b"
W = {"hits": 0}

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in button evdev virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
    virtio_blk cdrom isofs; do insmod /lib/modules/$m.ko 2>/dev/null; done
for try in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/vda ] && break; sleep 0.2; done
echo "HEROVIRT-DISK $(head -c 33 /dev/vda)"
mkdir -p /seed
if mount -t iso9660 -o ro /dev/vdb /seed 2>/tmp/mount.err; then
  sed "s|^|HEROVIRT-SEED |" /seed/user-data
else
  echo "HEROVIRT-SEED-MISSING $(cat /tmp/mount.err)"
fi
echo "HEROVIRT-GUEST-READY"
printf '#!/bin/sh\necho "HEROVIRT-POWER-BUTTON"\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log
while :; do sleep 1; done
"""


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func} did not fail")


def run(*argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, **kw)


class Mirror(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        files = {"/noble/current/test-cloudimg.img": W["image"],
                 "/noble/current/SHA256SUMS": W["sums"]}
        body = files.get(self.path)
        if body is None:
            return self.send_error(404)
        if self.path.endswith(".img"):
            W["hits"] += 1
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def guest_initrd():
    """The test guest's initramfs with isofs/cdrom modules and our /init
    appended (a later cpio archive's files replace an earlier one's)."""
    out = run("bash", os.path.join(HERE, "guest", "build-guest.sh"), os.path.join(W["dir"], "guest"),
              text=True).stdout
    paths = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    kernel, initrd = paths["KERNEL"], paths["INITRD"]
    stage = os.path.join(W["dir"], "stage")
    os.makedirs(os.path.join(stage, "lib", "modules"))
    moddir = os.path.join(os.path.dirname(os.path.dirname(kernel)), "lib", "modules")
    for v in os.listdir(moddir):
        for rel, name in (("fs/isofs/isofs.ko", "isofs.ko"), ("drivers/cdrom/cdrom.ko", "cdrom.ko")):
            src = os.path.join(moddir, v, "kernel", rel)
            if os.path.exists(src):
                shutil.copy(src, os.path.join(stage, "lib", "modules", name))
    with open(os.path.join(stage, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(stage, "init"), 0o755)
    names = run("find", ".", "-mindepth", "1", cwd=stage).stdout
    extra = gzip.compress(run("cpio", "-o", "-H", "newc", "--quiet", cwd=stage, input=names).stdout, 1)
    out = os.path.join(W["dir"], "initrd.cpio.gz")
    with open(out, "wb") as f, open(initrd, "rb") as orig:
        f.write(orig.read() + extra)
    return kernel, out


def setup():
    d = W["dir"] = tempfile.mkdtemp(prefix="vm-from-base-")
    os.environ["HERO_VIRT_VM_DIR"] = os.path.join(d, "vms")
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    W["cert"], key = os.path.join(d, "ca.pem"), os.path.join(d, "key.pem")
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", W["cert"],
        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        stderr=subprocess.DEVNULL)
    raw = os.path.join(d, "src.raw")
    with open(raw, "wb") as f:
        f.write(MARKER)
        f.truncate(32 << 20)
    img = os.path.join(d, "src.qcow2")
    run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, img)
    W["image"] = open(img, "rb").read()
    W["sums"] = f"{hashlib.sha256(W['image']).hexdigest()} *test-cloudimg.img\n".encode()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(W["cert"], key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    W["httpd"] = httpd
    W["thread"] = threading.Thread(target=httpd.serve_forever, daemon=True)
    W["thread"].start()
    W["url"] = f"https://127.0.0.1:{httpd.server_address[1]}/noble/current/test-cloudimg.img"
    W["kernel"], W["initrd"] = guest_initrd()


def teardown():
    if "httpd" in W:
        W["httpd"].shutdown()
        W["httpd"].server_close()
        W["thread"].join()
    shutil.rmtree(W["dir"], ignore_errors=True)


def base_builder():
    return HeroVirt.BaseImageBuilder(url=W["url"], tls_ca_file=W["cert"],
                                     dest_dir=os.path.join(W["dir"], "images"), size=64 << 20)


def vm_builder(name):
    return (HeroVirt.VmBuilder.new(name).set_kernel(W["kernel"]).set_initramfs(W["initrd"])
            .set_cmdline("console=ttyS0 quiet panic=-1").set_memory_mb(256))


@test
def a_bad_spec_downloads_nothing():
    for name in ["../evil", "a/b", "-x", ""]:
        expect_error(Err.INVALID_ARGUMENT, HeroVirt.Vm.new_from_base_image, base_builder(),
                     vm_builder(name), None, None, None)
    bad_ci = HeroVirt.CloudInit.new("bad host name\n")
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Vm.new_from_base_image, base_builder(),
                 vm_builder("ok"), bad_ci, None, None)
    assert W["hits"] == 0
    assert not os.path.exists(os.path.join(W["dir"], "images"))


@test
def boots_from_the_overlay_with_its_seed():
    disks = os.path.join(W["dir"], "disks")
    ci = HeroVirt.CloudInit.new("fb-1").add_runcmd("echo seeded-by-herovirt")
    vm = HeroVirt.Vm.new_from_base_image(base_builder(), vm_builder("fb-1"), ci, disks, None)
    overlay = os.path.join(disks, "fb-1.qcow2")
    seed = os.path.join(disks, "fb-1-seed.iso")
    assert os.path.exists(overlay) and os.path.exists(seed)
    assert W["hits"] == 1
    spec_disks = vm.get_spec().get_disks()
    assert [(d.get_path(), d.get_format(), d.get_readonly()) for d in spec_disks] == [
        (overlay, "qcow2", False), (seed, "raw", True)], spec_disks
    # The overlay refers to the base image: refused by default, read with
    # the backing file allowed.
    expect_error(Err.INVALID_ARGUMENT, HeroVirt.Disk.new(overlay).info, None)
    info = HeroVirt.Disk(path=overlay, allow_backing_file=True).info(None)
    base_path = info.get_backing_filename()
    assert base_path.endswith("-base.qcow2") and info.get_backing_format() == "qcow2", base_path
    assert info.get_virtual_size() == 64 << 20

    vm.start(None)
    try:
        line = vm.wait_for_console("HEROVIRT-DISK ", 120, None)
        assert MARKER.decode() in line, line
        vm.wait_for_console("HEROVIRT-SEED .*seeded-by-herovirt", 60, None)
        vm.wait_for_console("HEROVIRT-GUEST-READY", 60, None)
    finally:
        vm.stop(True, 30, None)

    # The same name again: EXISTS, the first VM's disks untouched.
    before = os.stat(overlay).st_mtime_ns
    expect_error(Err.EXISTS, HeroVirt.Vm.new_from_base_image, base_builder(), vm_builder("fb-1"),
                 ci, disks, None)
    assert os.stat(overlay).st_mtime_ns == before and os.path.exists(seed)
    assert W["hits"] == 1, "the verified download is reused"

    vm.delete(True, None)
    assert not os.path.exists(overlay) and not os.path.exists(seed)
    assert os.path.exists(base_path), "the base image is not the VM's to delete"


@test
def async_without_cloud_init():
    loop = GLib.MainLoop()
    box = {}

    def done(source, result):
        try:
            box["vm"] = HeroVirt.Vm.new_from_base_image_finish(result)
        except GLib.Error as e:
            box["error"] = e
        loop.quit()

    HeroVirt.Vm.new_from_base_image_async(base_builder(), vm_builder("fb-2"), None, None, None, done)
    loop.run()
    if "error" in box:
        raise box["error"]
    vm = box["vm"]
    disks = vm.get_spec().get_disks()
    assert len(disks) == 1 and disks[0].get_path().endswith("/images/fb-2.qcow2"), disks
    vm.delete(True, None)
    assert not os.path.exists(disks[0].get_path())


def main():
    t = tap.Tap()
    for tool in ["qemu-img", "qemu-system-x86_64", "openssl", "cpio", "apt-get", "genisoimage"]:
        if shutil.which(tool) is None:
            t.skip_all(tool + " is not installed")
    try:
        setup()
        for fn in tap._tests:
            t.run(fn.__name__, fn)
    finally:
        teardown()
    return t.done()


if __name__ == "__main__":
    raise SystemExit(main())
