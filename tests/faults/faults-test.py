#!/usr/bin/python3
# Fault tests: a backend tool or service dies mid-operation, and the call
# through HeroVirt must fail with a clear HeroVirt error and leave nothing
# half-made behind.
#
#   qemu-img killed      Disk.convert of a 192 MiB random raw image to
#                        compressed qcow2; qemu-img is SIGKILLed (by PID,
#                        found in /proc by the destination's temp name)
#                        once its output has grown. The call fails naming
#                        the signal; neither the destination nor the temp
#                        file is left.
#   the same over SSH   an SshExecutor to a private sshd: the temp file is
#                        removed over SSH, and an unkilled conversion is
#                        published (ln, never replacing a file) under its name.
#   buildah killed       Builder.commit of a working container holding a
#                        96 MiB random file, with private storage; buildah
#                        commit is SIGKILLed by PID while it runs. The call
#                        fails naming the signal; the image does not exist
#                        (inspect: NOT_FOUND, not in `buildah images`).
#   podman service killed
#                        the podman REST socket of a `podman system service`
#                        this test started dies (SIGKILL by PID) while a
#                        request is open (a stop that waits for a container
#                        ignoring SIGTERM), then during a create + start: an
#                        error well before the request's own timeout, never
#                        a hang, and never two containers of one name.
#
# (An SSH connection dropped mid-command is tests/core/ssh-limits-test.c's
# /ssh-limits/dropped-connection, in this suite too.)
# SPDX-License-Identifier: LGPL-2.1-or-later
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
from gi.repository import GLib, HeroVirt  # noqa: E402

from tap import Tap  # noqa: E402

t = Tap()
CI = os.environ.get("CI") == "true"


def missing(tool):
    """True (skip) when @tool is not installed; under CI a failure."""
    if shutil.which(tool) is not None:
        return False
    if CI:
        raise AssertionError(f"{tool} is missing")
    return True


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def find_process(program, marker, timeout=60):
    """The PID of a running @program whose command line holds @marker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            argv = cmdline(name)
            if argv and os.path.basename(argv[0]) == program and any(marker in a for a in argv):
                return int(name)
        time.sleep(0.01)
    raise AssertionError(f"no {program} process with {marker} appeared")


def gone(pid):
    for _ in range(500):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ", 1)[1].startswith("Z"):
                    return True
        except (OSError, IndexError):
            return True
        time.sleep(0.01)
    return False


class Call(threading.Thread):
    """Runs @func(*args) in a thread; keeps its result or GLib.Error."""

    def __init__(self, func, *args):
        super().__init__(daemon=True)
        self.func, self.args = func, args
        self.result = self.error = None
        self.elapsed = None

    def run(self):
        start = time.monotonic()
        try:
            self.result = self.func(*self.args)
        except GLib.Error as e:
            self.error = e
        self.elapsed = time.monotonic() - start


def random_file(path, mib):
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(os.urandom(1 << 20))


def storage_env(d):
    """Private containers storage and config, as tests/lib's containers env."""
    conf = os.path.join(d, "containers.conf")
    with open(conf, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\n')
    storage = os.path.join(d, "storage.conf")
    with open(storage, "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n'
                % (d, d))
    registries = os.path.join(d, "registries.conf")
    open(registries, "w").close()
    return {"CONTAINERS_CONF": conf, "CONTAINERS_STORAGE_CONF": storage,
            "CONTAINERS_REGISTRIES_CONF": registries}


def qemu_img_killed(d):
    if missing("qemu-img"):
        return "skip qemu-img is not installed"
    src = os.path.join(d, "src.raw")
    random_file(src, 192)
    dest = os.path.join(d, "out", "converted.qcow2")
    os.makedirs(os.path.dirname(dest))
    disk = HeroVirt.Disk.new_with_format(src, "raw", 0)  # the format is stated, never probed
    call = Call(disk.convert, dest, "qcow2", True, None)
    call.start()
    # qemu-img writes to .converted.qcow2.XXXXXX.tmp beside the destination
    pid = find_process("qemu-img", ".converted.qcow2.")
    temp = next(a for a in cmdline(pid) if ".converted.qcow2." in a)
    for _ in range(3000):
        if os.path.exists(temp) and os.path.getsize(temp) > (1 << 20) or not call.is_alive():
            break
        time.sleep(0.01)
    assert call.is_alive(), "the conversion ended before it could be killed"
    os.kill(pid, signal.SIGKILL)
    call.join(60)
    assert not call.is_alive()
    assert call.error is not None, "a killed qemu-img was taken for a success"
    assert call.error.domain == GLib.quark_to_string(HeroVirt.error_quark()), call.error
    msg = call.error.message
    print(f"# qemu-img killed: {msg}")
    assert "qemu-img" in msg and "signal 9" in msg, msg
    assert os.listdir(os.path.dirname(dest)) == [], os.listdir(os.path.dirname(dest))
    return None


def start_sshd(d):
    """A private sshd on a free 127.0.0.1 port (machine.md §8), as root;
    returns (process, SshExecutor with its host key checked)."""
    sdir = os.path.join(d, "sshd")
    os.makedirs(sdir)
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    for name in ("host_key", "user_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        os.path.join(sdir, name)], check=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    shutil.copy(os.path.join(sdir, "user_key.pub"), os.path.join(sdir, "authorized_keys"))
    with open(os.path.join(sdir, "sshd_config"), "w") as f:
        f.write(f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {sdir}/host_key\n"
                f"PidFile {sdir}/sshd.pid\nAuthorizedKeysFile {sdir}/authorized_keys\n"
                "PermitRootLogin prohibit-password\nPubkeyAuthentication yes\n"
                "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                "StrictModes no\nSubsystem sftp /usr/lib/openssh/sftp-server\n")
    kind, key = open(os.path.join(sdir, "host_key.pub")).read().split()[:2]
    with open(os.path.join(sdir, "known_hosts"), "w") as f:
        f.write(f"[127.0.0.1]:{port} {kind} {key}\n")
    proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", os.path.join(sdir, "sshd_config")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    ssh = HeroVirt.SshExecutor.new("127.0.0.1", port, "root")
    ssh.set_private_key_file(os.path.join(sdir, "user_key"))
    ssh.set_known_hosts_file(os.path.join(sdir, "known_hosts"))
    ssh.set_connect_timeout(30000).set_command_timeout(120000)
    return proc, ssh


def qemu_img_killed_remote(d):
    """The same through an SshExecutor: the temp file is removed over SSH."""
    if missing("qemu-img") or not os.path.exists("/usr/sbin/sshd") or missing("ssh-keygen"):
        return "skip qemu-img or sshd is not installed"
    src = os.path.join(d, "src.raw")
    random_file(src, 192)
    dest = os.path.join(d, "out", "remote.qcow2")
    os.makedirs(os.path.dirname(dest))
    sshd, ssh = start_sshd(d)
    try:
        disk = HeroVirt.Disk(path=src, format="raw", executor=ssh)
        call = Call(disk.convert, dest, "qcow2", True, None)
        call.start()
        pid = find_process("qemu-img", ".remote.qcow2.")
        temp = next(a for a in cmdline(pid) if ".remote.qcow2." in a)
        for _ in range(3000):
            if os.path.exists(temp) and os.path.getsize(temp) > (1 << 20) or not call.is_alive():
                break
            time.sleep(0.01)
        assert call.is_alive(), "the conversion ended before it could be killed"
        os.kill(pid, signal.SIGKILL)
        call.join(120)
        assert not call.is_alive()
        assert call.error is not None, "a killed qemu-img was taken for a success"
        msg = call.error.message
        print(f"# qemu-img killed over SSH: {msg}")
        assert "qemu-img" in msg, msg
        assert os.listdir(os.path.dirname(dest)) == [], os.listdir(os.path.dirname(dest))
        # and a conversion that is not killed is published under its name
        small = os.path.join(d, "small.raw")
        random_file(small, 1)
        HeroVirt.Disk(path=small, format="raw", executor=ssh).convert(dest, "qcow2", False, None)
        assert os.listdir(os.path.dirname(dest)) == ["remote.qcow2"]
        assert HeroVirt.Disk.new(dest).info(None).get_format() == "qcow2"
        ssh.disconnect()
    finally:
        sshd.kill()
        sshd.wait(10)
    return None


def buildah_killed(d):
    if missing("buildah") or missing("runc"):
        return "skip buildah or runc is not installed"
    env = storage_env(d)
    os.environ.update(env)
    b = HeroVirt.Builder.new("hv-fault-base", "scratch")
    b.set_isolation("chroot")
    b.copy("/bin/busybox", "/bin/busybox")
    b.commit("localhost/hv-fault/base:1").remove()
    big = os.path.join(d, "big.bin")
    random_file(big, 96)
    w = HeroVirt.Builder.new("hv-fault-work", "localhost/hv-fault/base:1")
    w.set_isolation("chroot")
    w.copy(big, "/big.bin")
    image = "localhost/hv-fault/big:1"
    call = Call(w.commit, image)
    call.start()
    pid = find_process("buildah", "hv-fault/big:1")
    time.sleep(0.5)  # into the layer's diff
    assert call.is_alive(), "the commit ended before it could be killed"
    os.kill(pid, signal.SIGKILL)
    call.join(120)
    assert not call.is_alive()
    assert call.error is not None, "a killed buildah commit was taken for a success"
    msg = call.error.message
    print(f"# buildah killed: {msg}")
    assert "buildah" in msg and "signal 9" in msg, msg
    try:
        HeroVirt.image_inspect(image)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.NOT_FOUND), e.message
    else:
        raise AssertionError("a killed commit left an image")
    out = subprocess.run(["buildah", "images", "--json"], check=True, stdout=subprocess.PIPE,
                         text=True, env=dict(os.environ, **env)).stdout
    names = [n for i in json.loads(out or "[]") for n in (i.get("names") or [])]
    assert not any("hv-fault/big" in n for n in names), names
    # the working container is still there and commits once buildah runs again
    w.commit(image).remove()
    assert HeroVirt.image_inspect(image) is not None
    return None


def podman_service_killed(d):
    if missing("podman") or missing("runc"):
        return "skip podman or runc is not installed"
    env = storage_env(d)
    full_env = dict(os.environ, **env)
    rootfs = os.path.join(d, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
    tar = os.path.join(d, "rootfs.tar")
    subprocess.run(["tar", "-C", rootfs, "-cf", tar, "."], check=True)
    image = "localhost/hv-fault/podman:1"
    subprocess.run(["podman", "import", "--", tar, image], check=True, env=full_env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = os.path.join(d, "podman.sock")

    def start_service():
        if os.path.exists(sock):
            os.unlink(sock)
        service = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + sock],
                                   env=full_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        for _ in range(400):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        return service

    def kill_service(service):
        service.kill()
        service.wait(30)

    rest = HeroVirt.LocalExecutor.new()
    for k, v in env.items():
        rest.setenv(k, v)
    rest.setenv("CONTAINER_HOST", "unix://" + sock)

    def count(name):
        out = subprocess.run(["podman", "ps", "-a", "--format", "{{.Names}}"], check=True,
                             stdout=subprocess.PIPE, text=True, env=full_env).stdout
        return out.split().count(name)

    def remove(name):
        subprocess.run(["podman", "rm", "-f", "-t", "0", name], env=full_env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    service = start_service()
    try:
        # 1. a request left open by the server (stop waits 30 s for a
        #    container that ignores SIGTERM), the service killed under it
        c = (HeroVirt.ContainerBuilder(name="hv-fault-stop", image=image, executor=rest,
                                       provider_name="podman")
             .set_entrypoint(["/bin/busybox", "sh", "-c", "trap '' TERM; while :; do sleep 1; done"])
             .build(None))
        call = Call(c.stop, 30, None)
        call.start()
        time.sleep(1.0)
        assert call.is_alive(), f"stop returned at once: {call.error}"
        kill_service(service)
        call.join(25)
        assert not call.is_alive(), "the request hung after the service died"
        print(f"# stop mid-request: {call.error.message if call.error else 'ok'}"
              f" after {call.elapsed:.1f} s")
        assert call.error is not None and call.error.domain == GLib.quark_to_string(
            HeroVirt.error_quark()), call.error
        assert call.elapsed < 25, call.elapsed
        assert count("hv-fault-stop") == 1
        remove("hv-fault-stop")

        # 2. the service killed while a create + start is in flight (when
        #    the container's conmon appears, or as soon as create returns)
        service = start_service()
        builder = (HeroVirt.ContainerBuilder(name="hv-fault-create", image=image, executor=rest,
                                             provider_name="podman")
                   .set_entrypoint(["/bin/busybox", "sleep", "60"]))
        call = Call(builder.build, None)
        call.start()
        deadline = time.monotonic() + 30
        while call.is_alive() and time.monotonic() < deadline:
            if any(os.path.basename((cmdline(p) or [""])[0]) == "conmon"
                   and any("hv-fault-create" in a for a in cmdline(p))
                   for p in os.listdir("/proc") if p.isdigit()):
                break
            time.sleep(0.005)
        kill_service(service)
        call.join(60)
        assert not call.is_alive(), "create hung after the service died"
        print(f"# create mid-request: {call.error.message if call.error else 'succeeded'}")
        if call.error is not None:
            assert call.error.domain == GLib.quark_to_string(HeroVirt.error_quark()), call.error
        assert count("hv-fault-create") <= 1, "two containers of one name"
        remove("hv-fault-create")

        # 3. the socket file left behind by the dead service: a clear error
        #    or the CLI, and still one container at most
        if not os.path.exists(sock):
            open(sock, "w").close()
        call = Call((HeroVirt.ContainerBuilder(name="hv-fault-dead", image=image, executor=rest,
                                               provider_name="podman")
                     .set_entrypoint(["/bin/busybox", "sleep", "60"])).build, None)
        call.start()
        call.join(60)
        assert not call.is_alive()
        print(f"# dead socket: {call.error.message if call.error else 'succeeded (CLI)'}")
        assert count("hv-fault-dead") <= 1
        remove("hv-fault-dead")
    finally:
        if service.poll() is None:
            kill_service(service)
        for name in ("hv-fault-stop", "hv-fault-create", "hv-fault-dead"):
            remove(name)
    return None


def cleanup_storage(d):
    """Removes what buildah and podman made in @d's private storage, and
    the overlay directory containers/storage bind-mounts on itself."""
    if not os.path.exists(os.path.join(d, "storage.conf")):
        return
    env = dict(os.environ, **storage_env(d))
    for argv in (["buildah", "rm", "--all"], ["buildah", "rmi", "--all", "--force"],
                 ["podman", "rm", "-af", "-t", "0"]):
        if shutil.which(argv[0]):
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(8):
        if subprocess.run(["umount", "--", os.path.join(d, "root", "overlay")],
                          stderr=subprocess.DEVNULL).returncode != 0:
            break


def main():
    for name, func in (("qemu-img killed mid-convert", qemu_img_killed),
                       ("qemu-img killed mid-convert over SSH", qemu_img_killed_remote),
                       ("buildah killed mid-commit", buildah_killed),
                       ("podman service killed mid-request", podman_service_killed)):
        d = tempfile.mkdtemp(prefix="hv-faults-")
        try:
            try:
                skip = func(d)
            except Exception:
                t.ok(False, name)
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            else:
                t.ok(True, name + (f" # SKIP {skip[5:]}" if skip else ""))
        finally:
            cleanup_storage(d)
            shutil.rmtree(d, ignore_errors=True)
    sys.exit(t.done())


if __name__ == "__main__":
    main()
