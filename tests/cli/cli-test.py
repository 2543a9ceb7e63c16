#!/usr/bin/python3
# The hero-virt command line tool, end to end, against the real qemu-img.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

from tap import Tap  # noqa: E402

BUILD = os.environ["HERO_VIRT_BUILD_ROOT"]
HERO_VIRT = os.path.join(BUILD, "tools", "hero-virt")
SAMPLE_DIR = os.path.join(BUILD, "examples", "sample-plugin")
QEMU_IMG = shutil.which("qemu-img")


def hv(*args, env=None, check=None):
    """Runs hero-virt; check=0 asserts success, check=N asserts exit N."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([HERO_VIRT, *args], capture_output=True, text=True, env=full_env)
    if check is not None:
        assert p.returncode == check, \
            f"hero-virt {' '.join(args)}: exit {p.returncode}, wanted {check}\n" \
            f"stdout: {p.stdout}\nstderr: {p.stderr}"
    return p


def qemu_info(path):
    out = subprocess.run([QEMU_IMG, "info", "--output=json", "--", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


class Cli:
    def __init__(self, tmp):
        self.tmp = tmp

    def path(self, name):
        return os.path.join(self.tmp, name)

    # --- general ---

    def help(self):
        p = hv("--help", check=0)
        for word in ("plugins", "doctor", "disk", "Exit status"):
            assert word in p.stdout, p.stdout
        p = hv(check=2)
        assert "Usage" in p.stderr
        p = hv("frobnicate", check=2)
        assert "unknown command 'frobnicate'" in p.stderr
        p = hv("disk", "--help", check=0)
        for word in ("create", "info", "snapshot", "resize", "convert", "check", "base-image"):
            assert word in p.stdout, (word, p.stdout)
        for cmd in (["disk", "create"], ["disk", "info"], ["disk", "snapshot", "create"],
                    ["disk", "resize"], ["disk", "convert"], ["disk", "check"],
                    ["disk", "base-image"], ["plugins"], ["doctor"]):
            p = hv(*cmd, "--help", check=0)
            assert "Usage:" in p.stdout and " ".join(cmd) in p.stdout, p.stdout

    def usage_errors(self):
        p = hv("disk", "create", self.path("x.qcow2"), check=2)
        assert "missing argument" in p.stderr, p.stderr
        p = hv("disk", "info", "a", "b", check=2)
        assert "unexpected argument 'b'" in p.stderr, p.stderr
        p = hv("disk", "info", "--no-such-option", "a", check=2)
        assert "Unknown option" in p.stderr, p.stderr
        p = hv("disk", "snapshot", "rename", "a", check=2)
        assert "unknown command 'rename'" in p.stderr
        assert not os.path.exists(self.path("x.qcow2"))

    # --- plugins and doctor ---

    def plugins_text(self):
        p = hv("plugins", check=0)
        assert "qcow2" in p.stdout, p.stdout
        assert "disk" in p.stdout and "available" in p.stdout, p.stdout
        assert "Total:" in p.stdout and "Search path:" in p.stdout, p.stdout
        p = hv("plugins", "qcow2", check=0)
        assert p.stdout.startswith("qcow2 "), p.stdout
        p = hv("plugins", "no-such-plugin", check=1)
        assert "[not-found]" in p.stderr

    def plugins_json(self):
        data = json.loads(hv("plugins", "--json", check=0).stdout)
        names = {pl["name"]: pl for pl in data["plugins"]}
        qcow2 = names["qcow2"]
        assert qcow2["loaded"] and qcow2["error"] is None, qcow2
        assert qcow2["path"].endswith(".so") and qcow2["version"], qcow2
        disk = [pr for pr in qcow2["providers"] if pr["kind"] == "disk"]
        assert disk and disk[0]["name"] == "qcow2" and disk[0]["available"], qcow2
        assert isinstance(disk[0]["priority"], int)
        assert data["defaults"]["disk"] == "qcow2", data["defaults"]
        assert isinstance(data["search_path"], list) and data["search_path"]

    def plugins_broken(self):
        """A broken .so next to the sample plugin: listed with its error, never fatal."""
        bad_dir = self.path("bad-plugins")
        os.mkdir(bad_dir)
        with open(os.path.join(bad_dir, "libherovirt-broken.so"), "wb") as f:
            f.write(b"\x7fELF this is not a shared object" + bytes(range(256)))
        env = {"HERO_VIRT_PLUGIN_PATH":
               os.pathsep.join([bad_dir, SAMPLE_DIR, os.environ["HERO_VIRT_PLUGIN_PATH"]])}
        data = json.loads(hv("plugins", "--json", env=env, check=0).stdout)
        by_path = {pl["path"]: pl for pl in data["plugins"]}
        broken = by_path[os.path.join(bad_dir, "libherovirt-broken.so")]
        assert not broken["loaded"] and broken["error"], broken
        sample = [pl for pl in data["plugins"] if pl["name"] == "sample"][0]
        assert sample["loaded"] and sample["version"] == "1.0.0", sample
        assert sample["providers"][0]["name"] == "sparse-raw", sample
        assert data["defaults"]["disk"] == "qcow2"      # priority 10 < qcow2's
        text = hv("plugins", env=env, check=0).stdout
        assert "FAILED TO LOAD" in text and broken["error"] in text, text
        assert "(1 failed to load)" in text, text

    def doctor(self):
        p = hv("doctor", check=0)
        first = subprocess.run([QEMU_IMG, "--version"], capture_output=True,
                               text=True).stdout.splitlines()[0]
        assert first in p.stdout, (first, p.stdout)
        assert "plugin dir:" in p.stdout and "search path:" in p.stdout
        data = json.loads(hv("doctor", "--json", check=0).stdout)
        tools = {t["name"]: t for t in data["tools"]}
        for name in ("qemu-img", "qemu-system-x86_64", "buildah", "podman", "nerdctl",
                     "containerd", "ctr", "runc", "crun", "skopeo", "docker-registry",
                     "sshd", "kubectl", "cloud-hypervisor"):
            assert name in tools, name
            t = tools[name]
            assert t["found"] == (t["path"] is not None), t
            if shutil.which(name) and t["found"]:
                assert t["version"], t
        assert tools["qemu-img"]["found"] and tools["qemu-img"]["version"] == first
        assert data["plugin_dir"].endswith("hero-virt-1/plugins")
        assert data["search_path"] == os.environ["HERO_VIRT_PLUGIN_PATH"].split(os.pathsep)
        # where VMs run: hero_virt_detect_virtualization(), /dev/kvm, the qemu accelerator
        virt = data["virtualization"]
        assert isinstance(virt["detected"], str) and virt["detected"], virt
        sanitized = "libasan" in subprocess.run(["ldd", HERO_VIRT], capture_output=True,
                                                text=True).stdout
        if not sanitized:  # an ASan library cannot be loaded into this python without a preload
            import gi
            gi.require_version("HeroVirt", "1")
            from gi.repository import HeroVirt
            assert virt["detected"] == HeroVirt.detect_virtualization(), virt
        kvm = virt["kvm_device"]
        assert kvm["exists"] == os.path.exists("/dev/kvm"), virt
        with open("/proc/cpuinfo") as f:
            flags = next((line.split() for line in f if line.startswith("flags")), [])
        hw = "vmx" in flags or "svm" in flags
        assert virt["cpu_hardware_virtualization"] == hw, virt
        if not kvm["exists"]:
            assert not kvm["usable"] and virt["qemu_accel"] == "tcg", virt
            assert "does not exist" in virt["qemu_accel_reason"], virt
        else:
            assert kvm["usable"] == (kvm["api_version"] == 12), virt
            assert virt["qemu_accel"] == ("kvm" if kvm["usable"] and hw else "tcg"), virt
        assert f"running on:            {virt['detected']}" in p.stdout, p.stdout
        assert "/dev/kvm:" in p.stdout and (
            "missing" if not kvm["exists"] else "present") in p.stdout, p.stdout
        assert f"qemu accelerator:      {virt['qemu_accel']} (" in p.stdout, p.stdout
        # HERO_VIRT_QEMU_ACCEL decides, as in the qemu plugin; other values are ignored
        forced = json.loads(hv("doctor", "--json", env={"HERO_VIRT_QEMU_ACCEL": "kvm"},
                               check=0).stdout)["virtualization"]
        assert forced["qemu_accel"] == "kvm" and "HERO_VIRT_QEMU_ACCEL" in \
            forced["qemu_accel_reason"], forced
        ignored = json.loads(hv("doctor", "--json", env={"HERO_VIRT_QEMU_ACCEL": "xen"},
                                check=0).stdout)["virtualization"]
        assert ignored["qemu_accel"] == virt["qemu_accel"], ignored

    # --- disks ---

    def disk_create_info(self):
        path = self.path("a.qcow2")
        p = hv("disk", "create", path, "1.5G", check=0)
        assert "1.5 GiB" in p.stdout, p.stdout
        q = qemu_info(path)
        assert q["format"] == "qcow2" and q["virtual-size"] == 1536 << 20, q
        text = hv("disk", "info", path, check=0).stdout
        assert "file format: qcow2" in text, text
        assert "virtual size: 1.5 GiB (1610612736 bytes)" in text, text
        assert "cluster_size: 65536" in text, text
        ours = json.loads(hv("disk", "info", "--json", path, check=0).stdout)
        for key in ("virtual-size", "format", "cluster-size"):
            assert ours[key] == q[key], (key, ours, q)
        p = hv("disk", "create", path, "1G", check=1)
        assert "[exists]" in p.stderr, p.stderr

    def disk_create_options(self):
        base = self.path("base.qcow2")
        hv("disk", "create", "--cluster-size", "4K", "--compat", "0.10", base, "64M", check=0)
        q = qemu_info(base)
        assert q["cluster-size"] == 4096 and q["format-specific"]["data"]["compat"] == "0.10", q
        lazy = self.path("lazy.qcow2")
        hv("disk", "create", "--lazy-refcounts", "--compat", "1.1", lazy, "64M", check=0)
        assert qemu_info(lazy)["format-specific"]["data"]["lazy-refcounts"] is True
        overlay = self.path("overlay.qcow2")
        hv("disk", "create", "--backing", base, "--backing-format", "qcow2", overlay, "64M", check=0)
        q = qemu_info(overlay)
        assert q["backing-filename"] == base and q["backing-filename-format"] == "qcow2", q
        # An overlay is refused unless allowed; then its backing file shows.
        p = hv("disk", "info", overlay, check=2)
        assert "allow-backing-file" in p.stderr, p.stderr
        text = hv("disk", "info", "--allow-backing-file", overlay, check=0).stdout
        assert f"backing file: {base}" in text, text
        raw = self.path("plain.raw")
        with open(raw, "wb") as f:
            f.truncate(1 << 20)
        p = hv("disk", "info", raw, check=2)
        assert "not a qcow2" in p.stderr, p.stderr
        text = hv("disk", "info", "--image-format", "raw", raw, check=0).stdout
        assert "raw" in text, text

    def bad_sizes(self):
        path = self.path("bad.qcow2")
        for size in ("10GG", "abc", "", "1.5", "0.3K", "10 G", "1e9", "99999999E", "12Q", ".5G"):
            p = hv("disk", "create", path, size, check=2)
            assert "Invalid size" in p.stderr and "[invalid-argument]" in p.stderr, (size, p.stderr)
        p = hv("disk", "create", path, "--", "-5G", check=2)
        assert "Invalid size '-5G'" in p.stderr, p.stderr
        p = hv("disk", "create", path, "16E", check=2)
        assert "too large" in p.stderr, p.stderr
        p = hv("disk", "create", "--cluster-size", "lots", path, "1G", check=2)
        assert "--cluster-size" in p.stderr, p.stderr
        assert not os.path.exists(path)
        # Sizes that are fine: plain bytes, suffixes, IEC spellings.
        for size, want in (("1048576", 1 << 20), ("512M", 512 << 20), ("1.25G", 1280 << 20),
                           ("2GiB", 2 << 30), ("64k", 64 << 10), ("1.5T", 3 << 39)):
            hv("disk", "create", path, size, check=0)
            assert qemu_info(path)["virtual-size"] == want, size
            os.unlink(path)

    def snapshots(self):
        path = self.path("snap.qcow2")
        hv("disk", "create", path, "64M", check=0)
        p = hv("disk", "snapshot", "list", path, check=0)
        assert "no snapshots" in p.stdout
        assert json.loads(hv("disk", "snapshot", "list", "--json", path, check=0).stdout) == []
        hv("disk", "snapshot", "create", path, "first", check=0)
        hv("disk", "snapshot", "create", path, "second", check=0)
        q = qemu_info(path)
        assert [s["name"] for s in q["snapshots"]] == ["first", "second"], q
        text = hv("disk", "snapshot", "list", path, check=0).stdout
        assert "first" in text and "second" in text and "TAG" in text, text
        listed = json.loads(hv("disk", "snapshot", "list", "--json", path, check=0).stdout)
        assert [s["name"] for s in listed] == ["first", "second"], listed
        assert "Snapshot list:" in hv("disk", "info", path, check=0).stdout
        hv("disk", "snapshot", "apply", path, "first", check=0)
        hv("disk", "snapshot", "delete", path, "first", check=0)
        assert [s["name"] for s in qemu_info(path)["snapshots"]] == ["second"]
        p = hv("disk", "snapshot", "delete", path, "first", check=1)
        assert "error [" in p.stderr, p.stderr

    def bad_snapshot_names(self):
        path = self.path("names.qcow2")
        hv("disk", "create", path, "64M", check=0)
        for name in ("-rf", "tab\there", "x" * 300, "new\nline"):
            p = hv("disk", "snapshot", "create", path, "--", name, check=2)
            assert "Invalid snapshot name" in p.stderr and "[invalid-argument]" in p.stderr, p.stderr
        assert "snapshots" not in qemu_info(path)

    def resize(self):
        path = self.path("resize.qcow2")
        hv("disk", "create", path, "64M", check=0)
        hv("disk", "resize", path, "+64M", check=0)
        assert qemu_info(path)["virtual-size"] == 128 << 20
        hv("disk", "resize", path, "1G", check=0)
        assert qemu_info(path)["virtual-size"] == 1 << 30
        p = hv("disk", "resize", path, "512M")
        assert p.returncode != 0 and "error [" in p.stderr, p
        assert qemu_info(path)["virtual-size"] == 1 << 30
        hv("disk", "resize", "--shrink", path, "512M", check=0)
        assert qemu_info(path)["virtual-size"] == 512 << 20
        hv("disk", "resize", path, "big", check=2)

    def convert_and_check(self):
        src = self.path("src.qcow2")
        hv("disk", "create", src, "64M", check=0)
        raw = self.path("out.raw")
        hv("disk", "convert", "-O", "raw", src, raw, check=0)
        assert qemu_info(raw)["format"] == "raw"
        packed = self.path("packed.qcow2")
        p = hv("disk", "convert", "-c", src, packed, check=0)
        assert "compressed" in p.stdout
        assert qemu_info(packed)["format"] == "qcow2"
        p = hv("disk", "check", src, check=0)
        assert "No errors" in p.stdout, p.stdout
        report = json.loads(hv("disk", "check", "--json", src, check=0).stdout)
        assert report.get("corruptions", 0) == 0 and report.get("leaks", 0) == 0, report

        # Unhook the first data cluster from its L2 table: one leaked cluster.
        leaky = self.path("leaky.qcow2")
        hv("disk", "create", leaky, "64M", check=0)
        subprocess.run(["qemu-io", "-c", "write 0 64k", leaky], check=True, capture_output=True)
        with open(leaky, "r+b") as f:
            l1_offset = struct.unpack(">Q", f.read(48)[40:48])[0]
            f.seek(l1_offset)
            l2_offset = struct.unpack(">Q", f.read(8))[0] & 0x00fffffffffffe00
            f.seek(l2_offset)
            f.write(bytes(8))
        p = hv("disk", "check", leaky, check=3)
        assert "1 leaked clusters" in p.stdout, p.stdout
        report = json.loads(hv("disk", "check", "--json", leaky, check=3).stdout)
        assert report["leaks"] == 1 and report.get("corruptions", 0) == 0, report

    def missing_file(self):
        p = hv("disk", "info", self.path("nope.qcow2"))
        assert p.returncode == 1 and "hero-virt: error [" in p.stderr, p
        assert p.stdout == ""

    def sample_provider(self):
        """The sample plugin's provider, picked by name from the CLI."""
        env = {"HERO_VIRT_PLUGIN_PATH":
               os.pathsep.join([SAMPLE_DIR, os.environ["HERO_VIRT_PLUGIN_PATH"]])}
        path = self.path("sample.raw")
        hv("disk", "create", "-p", "sparse-raw", "-f", "raw", path, "10M", env=env, check=0)
        assert os.stat(path).st_size == 10 << 20
        ours = json.loads(hv("disk", "info", "-p", "sparse-raw", "--json", path, env=env, check=0).stdout)
        q = qemu_info(path)
        assert ours["format"] == q["format"] == "raw"
        assert ours["virtual-size"] == q["virtual-size"]
        p = hv("disk", "snapshot", "create", "-p", "sparse-raw", path, "s", env=env, check=1)
        assert "[not-supported]" in p.stderr, p.stderr
        p = hv("disk", "info", "-p", "no-such-provider", path, env=env, check=1)
        assert "[not-found]" in p.stderr, p.stderr


class HttpServer:
    """python3 -m http.server on 127.0.0.1, a port the kernel picks, stopped by PID."""

    def __init__(self, directory):
        self.proc = subprocess.Popen(["/usr/bin/python3", "-u", "-m", "http.server", "-b", "127.0.0.1",
                                      "-d", directory, "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()      # "Serving HTTP on 127.0.0.1 port N (...) ..."
        assert " port " in line, line
        self.port = int(line.split(" port ")[1].split()[0])

    def url(self, name):
        return f"http://127.0.0.1:{self.port}/{name}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.proc.stdout.close()


def run_on_pty(args):
    """Runs hero-virt with stdout on a terminal; returns (status, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([HERO_VIRT, *args], stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:         # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait()
    proc.stderr.close()
    return proc.returncode, b"".join(chunks).decode()


STALLING_SERVER = r"""
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.recv(65536)
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n" + b"x" * 4096)
print("answering", flush=True)
sys.stdin.read()          # hold the connection open until the test is done
"""


def base_image_interrupted(cli):
    """Ctrl-C during a download: exit 130, [cancelled], nothing left behind."""
    server = subprocess.Popen(["/usr/bin/python3", "-c", STALLING_SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        dest = cli.path("interrupted")
        proc = subprocess.Popen([HERO_VIRT, "disk", "base-image", dest,
                                 "--url", f"http://127.0.0.1:{port}/x.img", "--allow-http",
                                 "--sha256", "0" * 64],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert server.stdout.readline().strip() == "answering"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate()
        assert proc.returncode == 130 and "[cancelled]" in err, (proc.returncode, out, err)
        assert not os.path.exists(dest) or os.listdir(dest) == [], os.listdir(dest)
    finally:
        server.stdin.close()
        server.wait()
        server.stdout.close()


def base_image(cli):
    served = cli.path("served")
    os.mkdir(served)
    subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", os.path.join(served, "cloud.img"), "32M"],
                   check=True)
    digest = subprocess.run(["sha256sum", "cloud.img"], cwd=served, capture_output=True,
                            text=True, check=True).stdout
    with open(os.path.join(served, "bad.img"), "wb") as f:
        f.write(b"not what the checksum says")
    with open(os.path.join(served, "SHA256SUMS"), "w") as f:
        f.write(digest + "0" * 64 + " *bad.img\n")
    server = HttpServer(served)
    try:
        dest = cli.path("base")
        pin = ["--allow-http", "--sha256", digest.split()[0]]
        # Plain http without a pinned checksum is refused before any download.
        p = hv("disk", "base-image", dest, "--url", server.url("cloud.img"), "--size", "64M")
        assert p.returncode != 0 and "sha256" in p.stderr.lower(), (p.returncode, p.stderr)
        p = hv("disk", "base-image", dest, "--url", server.url("cloud.img"), "--size", "64M", *pin,
               check=0)
        # Not a terminal: plain progress lines, then the result.
        assert "download:" in p.stdout and "\r" not in p.stdout, p.stdout
        assert "Base image:" in p.stdout and "downloaded now" in p.stdout, p.stdout
        result = json.loads(hv("disk", "base-image", dest, "--url", server.url("cloud.img"),
                               "--size", "64M", "--json", *pin, check=0).stdout)
        assert result["downloaded"] is False and result["snapshot"] == "base", result
        assert result["sha256"] == digest.split()[0], result
        q = qemu_info(result["path"])
        assert q["virtual-size"] == 64 << 20, q
        assert [s["name"] for s in q["snapshots"]] == ["base"], q

        # On a terminal: a bar redrawn in place.
        status, out = run_on_pty(["disk", "base-image", cli.path("base-tty"),
                                  "--url", server.url("cloud.img"), "--size", "64M", *pin])
        assert status == 0, out
        assert "\r" in out and "[####" in out and "100%" in out, repr(out)

        bad_dest = cli.path("bad")
        p = hv("disk", "base-image", bad_dest, "--url", server.url("bad.img"), *pin)
        assert p.returncode == 1 and "[checksum]" in p.stderr, (p.returncode, p.stderr)
        assert not os.path.exists(bad_dest) or os.listdir(bad_dest) == [], os.listdir(bad_dest)
        p = hv("disk", "base-image", bad_dest, "--size", "5X", check=2)
        assert "Invalid size '5X'" in p.stderr
    finally:
        server.stop()


def main():
    tap = Tap()
    assert QEMU_IMG, "qemu-img is not installed"
    tmp = tempfile.mkdtemp(prefix="hero-virt-cli-test-")
    try:
        cli = Cli(tmp)
        for name in ("help", "usage_errors", "plugins_text", "plugins_json", "plugins_broken",
                     "doctor", "disk_create_info", "disk_create_options", "bad_sizes",
                     "snapshots", "bad_snapshot_names", "resize", "convert_and_check",
                     "missing_file", "sample_provider"):
            tap.run(name.replace("_", "-"), getattr(cli, name))
        tap.run("base-image", base_image, cli)
        tap.run("base-image-interrupted", base_image_interrupted, cli)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
