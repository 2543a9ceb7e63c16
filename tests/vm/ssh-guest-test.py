#!/usr/bin/python3
# Vm.get_ssh_executor() for real: the test guest (tests/vm/guest/) plus an
# appended initramfs carrying the host's sshd and sftp-server with the
# libraries ldd names, virtio_net, a host key and authorized_keys made by
# this test, an /etc/passwd with root and the sshd privilege-separation
# user, and an /init that brings up eth0 on qemu's user network and starts
# sshd. The VM gets a user-mode network with a port forward (the
# VmBuilder.add_port_forward API) from a free loopback port to 22; it
# boots under the qemu plugin (TCG here), the test waits for the console
# line sshd's start prints, then drives the guest over the SshExecutor the
# VM hands out: the host key is checked against the key baked in (a
# known_hosts file holding another key is refused), `uname -a`, a command
# with stdout, stderr and exit status, a file written and read back over
# SFTP; then the power button stops the VM and it is deleted.
# SPDX-License-Identifier: LGPL-2.1-or-later
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CI = os.environ.get("CI") == "true"
SSHD = "/usr/sbin/sshd"
SFTP = "/usr/lib/openssh/sftp-server"

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in button evdev virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
    virtio_blk failover net_failover virtio_net; do insmod /lib/modules/$m.ko 2>/dev/null; done
printf '#!/bin/sh\necho "HEROVIRT-POWER-BUTTON"\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
mkdir -p /run/sshd /var/empty /root
chmod 0755 /run/sshd
# sshd logs to the serial console, so a failure shows in the test log
if /usr/sbin/sshd -f /etc/ssh/sshd_config -E /dev/ttyS0; then
  echo "HEROVIRT-SSHD-READY uptime=$(cut -d' ' -f1 /proc/uptime) $(ip -o -4 addr show eth0)"
else
  echo "HEROVIRT-SSHD-FAILED"
fi
exec sleep 100000
"""

SSHD_CONFIG = """ListenAddress 0.0.0.0
Port 22
HostKey /etc/ssh/hostkey
PidFile /run/sshd.pid
AuthorizedKeysFile /etc/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
"""


def fail_or_skip(why):
    if CI:
        raise RuntimeError(why)
    print(f"1..0 # SKIP {why}")
    sys.exit(77)


def libraries(binary):
    """The absolute paths ldd names for @binary (the loader included)."""
    out = subprocess.run(["ldd", binary], check=True, stdout=subprocess.PIPE, text=True).stdout
    paths = []
    for line in out.splitlines():
        for word in line.split():
            if word.startswith("/"):
                paths.append(word)
    return paths


def put(stage, path, mode=None):
    dest = os.path.join(stage, path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(path, dest)  # follows symlinks: the loader wants the file at this name
    shutil.copymode(path, dest)
    if mode is not None:
        os.chmod(dest, mode)


def write(stage, path, text, mode=0o644):
    dest = os.path.join(stage, path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as f:
        f.write(text)
    os.chmod(dest, mode)


def ssh_initrd(tmp, kernel, initrd, hostkey, userkey_pub):
    """@initrd with a second cpio archive appended: sshd and what it needs."""
    kroot = os.path.dirname(os.path.dirname(kernel))
    moddir = None
    base = os.path.join(kroot, "lib", "modules")
    for v in os.listdir(base):
        if os.path.isdir(os.path.join(base, v, "kernel")):
            moddir = os.path.join(base, v, "kernel")
    stage = os.path.join(tmp, "ssh-stage")
    os.makedirs(os.path.join(stage, "lib", "modules"))
    for rel in ("net/core/failover", "drivers/net/net_failover", "drivers/net/virtio_net"):
        src = os.path.join(moddir, rel + ".ko")
        if os.path.exists(src):  # else built into this kernel
            shutil.copy(src, os.path.join(stage, "lib", "modules", os.path.basename(src)))
    for binary in (SSHD, SFTP):
        put(stage, binary)
        for lib in libraries(binary):
            put(stage, lib)
    write(stage, "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
          "sshd:x:100:65534::/run/sshd:/bin/false\n")
    write(stage, "/etc/group", "root:x:0:\nnogroup:x:65534:\n")
    # '*', not '!': with UsePAM no sshd refuses a locked account
    write(stage, "/etc/shadow", "root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n", 0o600)
    write(stage, "/etc/ssh/sshd_config", SSHD_CONFIG)
    write(stage, "/etc/ssh/hostkey", open(hostkey).read(), 0o600)
    write(stage, "/etc/ssh/authorized_keys", userkey_pub)
    write(stage, "/init", INIT, 0o755)
    files = subprocess.run(["find", ".", "-mindepth", "1"], cwd=stage, check=True,
                           stdout=subprocess.PIPE).stdout
    extra = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=stage, input=files,
                           check=True, stdout=subprocess.PIPE).stdout
    out = os.path.join(tmp, "ssh-initrd.cpio.gz")
    with open(out, "wb") as f, open(initrd, "rb") as orig:
        f.write(orig.read())
        f.write(gzip.compress(extra, 1))
    shutil.rmtree(stage)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), code), f"wanted {code}, got {e.code}: {e.message}"
        return e
    raise AssertionError(f"{func} did not fail")


def main():
    for tool in ("qemu-system-x86_64", "cpio", "ssh-keygen", "ldd"):
        if shutil.which(tool) is None:
            fail_or_skip(f"{tool} is missing")
    for path in (SSHD, SFTP):
        if not os.path.exists(path):
            fail_or_skip(f"{path} is missing (apt-get install openssh-server)")
    tmp = tempfile.mkdtemp(prefix="ssh-guest-")
    os.environ["HERO_VIRT_VM_DIR"] = os.path.join(tmp, "vms")
    os.environ["HERO_VIRT_HYPERVISOR"] = "qemu"
    vm = None
    print("1..1")
    try:
        out = subprocess.run(["bash", os.path.join(HERE, "guest", "build-guest.sh"),
                              os.path.join(tmp, "guest")],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        paths = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        for name in ("hostkey", "userkey", "otherkey"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                            "-f", os.path.join(tmp, name)], check=True)
        initrd = ssh_initrd(tmp, paths["KERNEL"], paths["INITRD"], os.path.join(tmp, "hostkey"),
                            open(os.path.join(tmp, "userkey.pub")).read())
        port = free_port()
        spec = (HeroVirt.VmBuilder.new("sshguest").set_kernel(paths["KERNEL"])
                .set_initramfs(initrd).set_cmdline("console=ttyS0 quiet panic=-1")
                .set_memory_mb(256).add_user_net().add_port_forward("tcp", None, port, 22)
                .build())
        vm = HeroVirt.Vm.new(spec)
        vm.create(None)
        info = vm.get_info(None)
        assert [f.to_string() for f in info.get_spec().list_port_forwards()] == [
            f"tcp:127.0.0.1:{port}-:22"]
        vm.start(None)
        line = vm.wait_for_console("HEROVIRT-SSHD-", 120, None)
        assert "HEROVIRT-SSHD-READY" in line, vm.get_console_log(40, None)

        # the host key is checked: the one baked in, written as known_hosts
        hostpub = open(os.path.join(tmp, "hostkey.pub")).read().split()
        known = os.path.join(tmp, "known_hosts")
        with open(known, "w") as f:
            f.write(f"[127.0.0.1]:{port} {hostpub[0]} {hostpub[1]}\n")
        otherpub = open(os.path.join(tmp, "otherkey.pub")).read().split()
        wrong = os.path.join(tmp, "wrong_known_hosts")
        with open(wrong, "w") as f:
            f.write(f"[127.0.0.1]:{port} {otherpub[0]} {otherpub[1]}\n")

        bad = vm.get_ssh_executor("root", 22, None)
        bad.set_private_key_file(os.path.join(tmp, "userkey")).set_known_hosts_file(wrong)
        bad.set_connect_timeout(60000)
        e = expect_error(HeroVirt.Error.HOST_KEY, bad.connect, None)
        print(f"# wrong host key: {e.message}")

        ssh = vm.get_ssh_executor("root", 0, None)
        assert (ssh.get_host(), ssh.get_port(), ssh.get_user()) == ("127.0.0.1", port, "root")
        ssh.set_private_key_file(os.path.join(tmp, "userkey")).set_known_hosts_file(known)
        ssh.set_connect_timeout(60000).set_command_timeout(60000)
        ssh.connect(None)

        res = ssh.run_argv(["uname", "-a"], None)
        assert res.get_exit_status() == 0, res.get_stderr_text()
        print(f"# guest: {res.get_stdout_text().strip()}")
        assert res.get_stdout_text().startswith("Linux "), res.get_stdout_text()

        res = ssh.run_argv(["sh", "-c", "echo out-$((6*7)); echo err-line >&2; exit 3"], None)
        assert (res.get_stdout_text(), res.get_stderr_text(), res.get_exit_status()) == (
            "out-42\n", "err-line\n", 3), (res.get_stdout_text(), res.get_stderr_text())

        payload = b"written over SFTP\n\x00\x01binary\xff" * 100
        ssh.write_file("/tmp/hv-file", GLib.Bytes.new(payload), 0o600, None)
        assert ssh.read_file("/tmp/hv-file", None).get_data() == payload
        res = ssh.run_argv(["wc", "-c", "/tmp/hv-file"], None)
        assert res.get_stdout_text().split()[0] == str(len(payload)), res.get_stdout_text()
        ssh.disconnect()

        # the power button stops it
        vm.stop(False, 60, None)
        assert vm.get_info(None).get_state() != HeroVirt.VmState.RUNNING
        vm.delete(False, None)
        vm = None
        print("ok 1 ssh_into_guest")
        return 0
    except Exception:
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        if vm is not None:
            try:
                for line in vm.get_console_log(60, None).splitlines():
                    print("# console: " + line)
            except GLib.Error:
                pass
        print("not ok 1 ssh_into_guest")
        return 1
    finally:
        if vm is not None:
            try:
                vm.delete(False, None)
            except GLib.Error:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
