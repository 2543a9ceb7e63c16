#!/usr/bin/python3
# Containers from Python through GObject Introspection, as a script user
# writes them: a web container with a port, env, a memory limit and a
# health check, run through the podman CLI and then through the podman
# REST API (a private `podman system service`), then torn down; hostile
# names raise GLib.Error and run nothing. A container provider written in
# Python receives an immutable ContainerSpec and hands log lines back
# through the follow_logs callback.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, GObject, HeroVirt  # noqa: E402

from tap import test, run  # noqa: E402

IMAGE = "localhost/hv-gi/busybox:latest"
STATE = {}


def setup():
    if STATE:
        return STATE
    if shutil.which("podman") is None:
        raise RuntimeError("podman is not installed")
    d = tempfile.mkdtemp(prefix="containers-gi-")
    conf = os.path.join(d, "containers.conf")
    with open(conf, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n')
    storage = os.path.join(d, "storage.conf")
    with open(storage, "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    registries = os.path.join(d, "registries.conf")
    open(registries, "w").close()
    env = {"CONTAINERS_CONF": conf, "CONTAINERS_STORAGE_CONF": storage, "CONTAINERS_REGISTRIES_CONF": registries}
    ex = HeroVirt.LocalExecutor.new()
    for k, v in env.items():
        ex.setenv(k, v)
    rootfs = os.path.join(d, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    os.makedirs(os.path.join(rootfs, "www"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
    subprocess.run(["chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin"], check=True)
    with open(os.path.join(rootfs, "www", "index.html"), "w") as f:
        f.write("hello from python\n")
    tar = os.path.join(d, "rootfs.tar")
    subprocess.run(["tar", "-C", rootfs, "-cf", tar, "."], check=True)
    full_env = dict(os.environ, **env)
    subprocess.run(["podman", "import", "--change", 'ENTRYPOINT ["/bin/sh"]', "--", tar, IMAGE],
                   check=True, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = os.path.join(d, "podman.sock")
    service = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + sock], env=full_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(400):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    rest = HeroVirt.LocalExecutor.new()
    for k, v in env.items():
        rest.setenv(k, v)
    rest.setenv("CONTAINER_HOST", "unix://" + sock)
    STATE.update(dir=d, cli=ex, rest=rest, service=service, env=full_env)
    return STATE


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port):
    for _ in range(400):
        try:
            return urllib.request.urlopen("http://127.0.0.1:%d/index.html" % port, timeout=5).read().decode()
        except OSError:
            time.sleep(0.05)
    raise AssertionError("port %d never answered" % port)


def workflow(executor, name):
    port = free_port()
    web = (HeroVirt.ContainerBuilder(name=name, image=IMAGE, executor=executor, provider_name="podman")
           .add_port_full("127.0.0.1", port, 8080, "tcp")
           .add_env("GREETING", "hello")
           .set_memory_limit("64m")
           .set_health_check(HeroVirt.HealthCheck.new("wget -q -O- http://127.0.0.1:8080/ || exit 1").set_retries(3))
           .set_entrypoint(["/bin/httpd"])
           .set_command(["-f", "-v", "-p", "8080", "-h", "/www"])
           .build(None))
    assert len(web.props.id) == 64
    assert fetch(port) == "hello from python\n"
    assert web.wait_healthy(30000, None)
    st = web.inspect(None)
    assert st.props.state == "running" and st.props.health_status == "healthy", (st.props.state, st.props.health_status)
    assert "response:200" in web.logs(-1, None, None)
    stats = web.stats(None)
    assert stats.props.memory_limit == 64 << 20
    assert 0 < stats.props.memory_usage < 64 << 20
    r = web.exec(["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"], None, None)
    assert r.get_exit_status() == 0 and r.get_stdout_text().strip() == "67108864"
    r = web.exec(["sh", "-c", "echo $GREETING; exit 4"], None, None)
    assert (r.get_exit_status(), r.get_stdout_text()) == (4, "hello\n")
    assert name in [c.props.name for c in HeroVirt.Container.list("podman", executor, True, None)]
    web.stop(1, None)
    assert web.inspect(None).props.state == "exited"
    web.remove(False, None)
    assert name not in [c.props.name for c in HeroVirt.Container.list("podman", executor, True, None)]
    try:
        web.inspect(None)
    except GLib.Error as e:
        assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.NOT_FOUND), e.message
    else:
        raise AssertionError("a removed container still has a status")


@test
def workflow_through_cli():
    workflow(setup()["cli"], "py-web-cli")


@test
def workflow_through_rest():
    workflow(setup()["rest"], "py-web-rest")


@test
def async_build_and_stop():
    s = setup()
    loop = GLib.MainLoop()
    out = {}
    b = HeroVirt.ContainerBuilder(name="py-async", image=IMAGE, executor=s["rest"], provider_name="podman")
    b.set_command(["-c", "sleep 300"])

    def built(src, res):
        out["c"] = src.build_finish(res)
        out["c"].stop_async(0, None, stopped)

    def stopped(src, res):
        out["stopped"] = src.stop_finish(res)
        loop.quit()

    b.build_async(None, built)
    loop.run()
    assert out["stopped"]
    out["c"].remove(True, None)


@test
def hostile_names_run_nothing():
    s = setup()
    before = subprocess.run(["podman", "ps", "-aq"], env=s["env"], capture_output=True, text=True).stdout
    for name in ["--privileged", "x; rm -rf /", "$(reboot)", "-it"]:
        try:
            HeroVirt.ContainerBuilder(name=name, image=IMAGE, executor=s["cli"]).build(None)
        except GLib.Error as e:
            assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.INVALID_ARGUMENT), e.message
            assert "Invalid container name" in e.message
        else:
            raise AssertionError("%r was accepted" % name)
    for image in ["--volume=/:/host", "-v", "a b"]:
        try:
            HeroVirt.ContainerBuilder(name="ok", image=image, executor=s["cli"]).build(None)
        except GLib.Error as e:
            assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.INVALID_ARGUMENT), e.message
        else:
            raise AssertionError("%r was accepted" % image)
    after = subprocess.run(["podman", "ps", "-aq"], env=s["env"], capture_output=True, text=True).stdout
    assert before == after


class ScriptedEngine(GObject.Object, HeroVirt.ContainerProvider):
    """A container provider in Python: only the plain do_* vfuncs."""

    def __init__(self):
        super().__init__()
        self.specs = []

    def do_create(self, executor, spec, start, cancellable):
        assert isinstance(spec, HeroVirt.ContainerSpec) and start
        self.specs.append(spec)
        return "c0ffee" * 8

    def do_follow_logs(self, executor, name, tail, since, on_line, cancellable):
        assert name == "c0ffee" * 8 and tail == 2 and since is None
        for i in range(3):
            on_line(HeroVirt.OutputStream.STDOUT, "line %d" % i)
        on_line(HeroVirt.OutputStream.STDERR, "oops")
        return True

    def do_run_health_check(self, executor, name, cancellable):
        return "healthy"


@test
def python_provider_gets_a_spec_and_hands_back_lines():
    engine = ScriptedEngine()
    HeroVirt.Registry.get_default().register_provider(HeroVirt.ProviderKind.CONTAINER, "pyscripted", 0, engine)
    b = (HeroVirt.ContainerBuilder(name="py-spec", image=IMAGE, provider_name="pyscripted")
         .add_port(8080, 80).add_env("A", "1")
         .set_health_check(HeroVirt.HealthCheck.new("true").set_retries(2)))
    c = b.build(None)
    b.set_image("localhost/changed:1")   # does not reach the spec already handed over
    spec = engine.specs[0]
    assert (spec.props.name, spec.props.image, list(spec.props.ports)) == ("py-spec", IMAGE, ["8080:80/tcp"])
    assert (spec.get_health_cmd(), spec.get_health_retries(), spec.props.detach) == ("true", 2, True)
    assert '"env":["A=1"]' in spec.to_json(False)
    assert c.props.id == "c0ffee" * 8 and c.props.name == "py-spec"
    assert c.run_health_check(None) == "healthy"

    lines = []
    c.connect("log-line", lambda _c, stream, line: lines.append(
        (stream, line, threading.current_thread() is threading.main_thread())))
    assert c.follow_logs(2, None, None)
    assert [(s, t) for s, t, _ in lines] == [(HeroVirt.OutputStream.STDOUT, "line 0"),
                                             (HeroVirt.OutputStream.STDOUT, "line 1"),
                                             (HeroVirt.OutputStream.STDOUT, "line 2"),
                                             (HeroVirt.OutputStream.STDERR, "oops")], lines
    # Asynchronously, the provider runs in a worker thread, but every line
    # is emitted in the main context, before the call completes.
    del lines[:]
    loop = GLib.MainLoop()
    done = {}

    def finished(src, res):
        done["ok"] = src.follow_logs_finish(res)
        done["lines"] = len(lines)
        loop.quit()

    c.follow_logs_async(2, None, None, finished)
    loop.run_with_guard()
    assert done == {"ok": True, "lines": 4}, done
    assert all(main for _, _, main in lines), lines


def teardown():
    if not STATE:
        return
    subprocess.run(["podman", "rm", "-af", "-t", "0"], env=STATE["env"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    STATE["service"].send_signal(signal.SIGTERM)
    try:
        STATE["service"].wait(10)
    except subprocess.TimeoutExpired:
        STATE["service"].kill()
        STATE["service"].wait()
    # containers/storage leaves its overlay directory bind-mounted on itself
    # (stacked when two podman processes raced to mount it)
    for _ in range(8):
        if subprocess.run(["umount", "--", os.path.join(STATE["dir"], "root", "overlay")],
                          stderr=subprocess.DEVNULL).returncode != 0:
            break
    shutil.rmtree(STATE["dir"], ignore_errors=True)


if __name__ == "__main__":
    try:
        run()
    finally:
        teardown()
