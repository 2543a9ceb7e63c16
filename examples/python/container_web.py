#!/usr/bin/python3
# Run a configured web container and keep an eye on it: busybox httpd with
# a published port, an environment variable, a memory limit and a health
# check; wait until healthy, fetch the page, read status, stats and logs,
# follow the log for a moment, then stop and remove it.
#
# It runs the same thing twice: through the podman CLI, and through the
# podman REST API of a `podman system service` it starts on a private
# socket (HeroVirt picks REST when the executor's CONTAINER_HOST is a
# unix:// socket). Everything lives in a private directory: container
# storage and a busybox image made from /bin/busybox (no internet needed).
# Needs podman, runc, busybox-static; run as root.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import Gio, GLib, HeroVirt  # noqa: E402

IMAGE = "localhost/example/busybox:latest"


def private_podman(d):
    conf = os.path.join(d, "containers.conf")
    with open(conf, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
    storage = os.path.join(d, "storage.conf")
    with open(storage, "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    env = {"CONTAINERS_CONF": conf, "CONTAINERS_STORAGE_CONF": storage}
    rootfs = os.path.join(d, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    os.makedirs(os.path.join(rootfs, "www"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin"))
    subprocess.run(["chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin"], check=True)
    with open(os.path.join(rootfs, "www", "index.html"), "w") as f:
        f.write("hello from Python\n")
    subprocess.run(["tar", "-C", rootfs, "-cf", d + "/rootfs.tar", "."], check=True)
    subprocess.run(["podman", "import", "--change", 'ENTRYPOINT ["/bin/sh"]', "--", d + "/rootfs.tar", IMAGE],
                   check=True, env=dict(os.environ, **env), stdout=subprocess.DEVNULL)
    return env


def executor(env, socket_path=None):
    ex = HeroVirt.LocalExecutor.new()
    for k, v in env.items():
        ex.setenv(k, v)
    if socket_path:
        ex.setenv("CONTAINER_HOST", "unix://" + socket_path)
    return ex


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port):
    for _ in range(200):
        try:
            return urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2).read().decode()
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("no answer on port %d" % port)


def run_web(ex, name):
    port = free_port()
    t0 = time.monotonic()
    web = (HeroVirt.ContainerBuilder(name=name, image=IMAGE, executor=ex)
           .add_port_full("127.0.0.1", port, 8080, "tcp")
           .add_env("GREETING", "hello")
           .set_memory_limit("64m")
           .set_restart_policy("no")
           .set_health_check(HeroVirt.HealthCheck.new("wget -q -O- http://127.0.0.1:8080/ || exit 1")
                             .set_retries(3))
           .set_entrypoint(["/bin/httpd"])
           .set_command(["-f", "-v", "-p", "8080", "-h", "/www"])
           .build(None))
    print("  page:", fetch(port).strip())
    web.wait_healthy(30000, None)
    st = web.inspect(None)
    print("  state %s, health %s, started %s" % (st.props.state, st.props.health_status, st.props.started_at))
    stats = web.stats(None)
    print("  memory %d of %d bytes" % (stats.props.memory_usage, stats.props.memory_limit))
    print("  GREETING =", web.exec(["sh", "-c", "echo $GREETING"], None, None).get_stdout_text().strip())

    # Follow the log as a stream; stop following after the first line.
    cancel = Gio.Cancellable()
    lines = []
    web.connect("log-line", lambda c, stream, line: (lines.append(line), cancel.cancel()))
    try:
        web.follow_logs(-1, None, cancel)
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e.message
    print("  first log line:", lines[0])

    web.stop(1, None)
    web.remove(False, None)
    print("  stopped and removed (%.2f s)" % (time.monotonic() - t0))


def main():
    d = tempfile.mkdtemp(prefix="hero-virt-example-")
    env = private_podman(d)
    sock = os.path.join(d, "podman.sock")
    service = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + sock],
                               env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        print("through the podman CLI:")
        run_web(executor(env), "example-cli")
        while not os.path.exists(sock):
            time.sleep(0.05)
        print("through the podman REST API:")
        run_web(executor(env, sock), "example-rest")
        try:
            HeroVirt.ContainerBuilder(name="x; rm -rf /", image=IMAGE).build(None)
        except GLib.Error as e:
            print("hostile name refused:", e.message)
    finally:
        service.terminate()
        service.wait()
        # containers/storage leaves its overlay directory bind-mounted on itself
        subprocess.run(["umount", "--", os.path.join(d, "root", "overlay")], stderr=subprocess.DEVNULL)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
