#!/usr/bin/python3
# Secrets and hostile input around containers, checked as an attacker
# would: a secret environment value and build argument are watched for in
# every /proc/*/cmdline (a thread scans them while a container runs through
# the podman CLI and the REST API and while buildah builds) and in every
# log line (G_MESSAGES_DEBUG=all); JSON nested 200 000 deep is refused by
# every public parser; the REST transport answers a list while another
# thread waits on a running container, and turns a 0xFFFFFFFF frame from a
# fake socket server into an error; CONTAINER_HOST must name a socket; the
# CLI refuses a port with a trailing newline and --username with no
# password source, and removes auth directories a crashed run left.
# SPDX-License-Identifier: LGPL-2.1-or-later
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

from tap import test, run  # noqa: E402

IMAGE = "localhost/hv-secrets/busybox:latest"
SECRET = "hvS3cr3t-" + hashlib.sha256(os.urandom(16)).hexdigest()[:20]
BUILD = os.environ.get("HERO_VIRT_BUILD_ROOT", "")
HERO_VIRT = os.path.join(BUILD, "tools", "hero-virt")
STATE = {}


def containers_env(d):
    conf = os.path.join(d, "containers.conf")
    with open(conf, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n')
    storage = os.path.join(d, "storage.conf")
    with open(storage, "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    registries = os.path.join(d, "registries.conf")
    open(registries, "w").close()
    return {"CONTAINERS_CONF": conf, "CONTAINERS_STORAGE_CONF": storage,
            "CONTAINERS_REGISTRIES_CONF": registries}


def setup():
    if STATE:
        return STATE
    for tool in ("podman", "buildah"):
        if shutil.which(tool) is None:
            raise RuntimeError(tool + " is not installed")
    d = tempfile.mkdtemp(prefix="secrets-test-")
    env = containers_env(d)
    rootfs = os.path.join(d, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    os.makedirs(os.path.join(rootfs, "tmp"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
    subprocess.run(["chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin"], check=True)
    tar = os.path.join(d, "rootfs.tar")
    subprocess.run(["tar", "-C", rootfs, "-cf", tar, "."], check=True)
    full_env = dict(os.environ, **env)
    subprocess.run(["podman", "import", "--change", 'ENTRYPOINT ["/bin/sh"]', "--change", "ENV PATH=/bin",
                    "--", tar, IMAGE], check=True, env=full_env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    sock = os.path.join(d, "podman.sock")
    service = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + sock], env=full_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(400):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    STATE.update(dir=d, env=env, full_env=full_env, sock=sock, service=service)
    return STATE


def teardown():
    if not STATE:
        return
    subprocess.run(["podman", "rm", "--all", "--force", "--time=0"], env=STATE["full_env"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    STATE["service"].terminate()
    STATE["service"].wait(timeout=30)
    for layer in ("root/overlay",):
        for _ in range(8):
            if subprocess.run(["umount", "--", os.path.join(STATE["dir"], layer)],
                              stderr=subprocess.DEVNULL).returncode != 0:
                break
    shutil.rmtree(STATE["dir"], ignore_errors=True)


def executor(rest=False, extra=None):
    ex = HeroVirt.LocalExecutor.new()
    for k, v in STATE["env"].items():
        ex.setenv(k, v)
    if rest:
        ex.setenv("CONTAINER_HOST", "unix://" + STATE["sock"])
    for k, v in (extra or {}).items():
        ex.setenv(k, v)
    return ex


class ProcWatch:
    """Scans every /proc/*/cmdline in a loop; counts the secret and a marker."""

    def __init__(self, secret, markers):
        self.secret = secret.encode()
        self.markers = [m.encode() for m in markers]
        self.seen = []
        self.marker_seen = {m: 0 for m in markers}
        self.scans = 0
        self.stop = False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stop:
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as f:
                        cmdline = f.read()
                except OSError:
                    continue
                if self.secret in cmdline:
                    self.seen.append(cmdline.replace(b"\0", b" ")[:200])
                for m in self.markers:
                    if m in cmdline:
                        self.marker_seen[m.decode()] += 1
            self.scans += 1

    def finish(self):
        self.stop = True
        self.thread.join()
        return self


# --- the workload, run in a child process with every debug line on ---

def md5_check(variable):
    digest = hashlib.md5(SECRET_FROM_ENV().encode()).hexdigest()
    return '[ "$(printf %%s "$%s" | md5sum)" = "%s  -" ]' % (variable, digest)


def SECRET_FROM_ENV():
    return os.environ["HV_TEST_SECRET"]


def workload():
    """Runs in the child: containers and a build that get the secret."""
    env = json.loads(os.environ["HV_TEST_CONTAINERS_ENV"])
    STATE.update(env=env, sock=os.environ["HV_TEST_SOCK"])
    secret = SECRET_FROM_ENV()
    for rest, name in ((False, "hv-secret-marker-cli"), (True, "hv-secret-marker-rest")):
        ex = executor(rest)
        c = (HeroVirt.ContainerBuilder(name=name, image=IMAGE, executor=ex, provider_name="podman")
             .add_env("HV_SECRET", secret)
             .add_env("HV_SECRET_PEM", "-----BEGIN-----\n" + secret + "\n-----END-----")
             .set_command(["-c", md5_check("HV_SECRET") + " && sleep 1 && exit 7 || exit 3"])
             .build(None))
        for _ in range(600):
            st = c.inspect(None)
            if st.props.state == "exited":
                break
            time.sleep(0.05)
        assert st.props.exit_code == 7, (name, st.props.state, st.props.exit_code)
        c.remove(True)
    # the hero-virt CLI takes --env NAME from its own environment
    name = "hv-secret-marker-hvcli"
    p = subprocess.run([HERO_VIRT, "container", "run", "--name", name, "--env", "HV_SECRET", IMAGE, "--", "-c",
                        md5_check("HV_SECRET") + " && exit 7 || exit 3"],
                       env=dict(os.environ, HV_SECRET=secret, **env), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    c = HeroVirt.Container.new_for_provider(name, "podman", executor())
    for _ in range(600):
        st = c.inspect(None)
        if st.props.state == "exited":
            break
        time.sleep(0.05)
    assert st.props.exit_code == 7, (name, st.props.state, st.props.exit_code)
    c.remove(True)
    ctx = tempfile.mkdtemp(prefix="hv-secret-ctx-", dir=os.environ["HV_TEST_DIR"])
    with open(os.path.join(ctx, "Containerfile"), "w") as f:
        f.write("FROM %s\nARG HV_BUILD_SECRET\nRUN %s\n" % (IMAGE, md5_check("HV_BUILD_SECRET")))
    HeroVirt.image_build(ctx, None, "localhost/hv-secret-marker-build:1", ["HV_BUILD_SECRET=" + secret],
                         None, None, executor(), None)
    b = HeroVirt.Builder.new("hv-secret-marker-builder", IMAGE)
    b.set_executor(executor())
    b.set_env("HV_CONFIG_SECRET", secret).commit("localhost/hv-secret-marker-config:1").remove()
    print("workload done", flush=True)


@test
def secret_never_in_cmdline_or_logs():
    s = setup()
    watch = ProcWatch(SECRET, ["hv-secret-marker-cli", "hv-secret-marker-hvcli", "hv-secret-marker-build",
                               "hv-secret-marker-config"])
    child_env = dict(os.environ, G_MESSAGES_DEBUG="all", HV_TEST_SECRET=SECRET,
                     HV_TEST_CONTAINERS_ENV=json.dumps(s["env"]), HV_TEST_SOCK=s["sock"],
                     HV_TEST_DIR=s["dir"])
    p = subprocess.run([sys.executable, __file__, "--workload"], env=child_env, capture_output=True,
                       text=True, timeout=500)
    watch.finish()
    assert p.returncode == 0 and "workload done" in p.stdout, (p.returncode, p.stdout, p.stderr[-3000:])
    # the scan ran while the tools ran, and debug logging was on
    assert watch.scans > 0 and all(n > 0 for n in watch.marker_seen.values()), watch.marker_seen
    # (GLib writes debug lines to stdout, warnings to stderr)
    logs = p.stdout + p.stderr
    assert "HeroVirt-Podman-DEBUG" in logs and "HeroVirt-Buildah-DEBUG" in logs, logs[-2000:]
    assert watch.seen == [], watch.seen[:3]
    assert SECRET not in p.stdout and SECRET not in p.stderr
    # the build did get it: the image config holds what Builder.set_env set
    out = subprocess.run(["buildah", "inspect", "--type", "image", "localhost/hv-secret-marker-config:1"],
                         env=s["full_env"], capture_output=True, text=True, check=True).stdout
    assert "HV_CONFIG_SECRET=" + SECRET in out
    # no env or auth file with the secret is left in the temporary directory
    tmp = tempfile.gettempdir()
    for entry in os.listdir(tmp):
        if entry.startswith("hero-virt"):
            for root, _, files in os.walk(os.path.join(tmp, entry)):
                for name in files:
                    try:
                        with open(os.path.join(root, name), "rb") as f:
                            assert SECRET.encode() not in f.read(), os.path.join(root, name)
                    except OSError:
                        pass


@test
def hostile_env_names():
    b = HeroVirt.ContainerBuilder(name="hv-bad-env", image=IMAGE)
    b.add_env("-Secho INJECTED #", "hidden-value")
    try:
        b.validate()
        raise AssertionError("a hostile env name was accepted")
    except GLib.Error as e:
        assert "hidden-value" not in e.message
    try:
        HeroVirt.image_build("/tmp", None, "localhost/x:1", ["-Secho=hidden-value"], None, None, None, None)
        raise AssertionError("a hostile build argument was accepted")
    except GLib.Error as e:
        assert "hidden-value" not in e.message


@test
def deep_json_public_parsers():
    deep = "[" * 200000 + "]" * 200000
    deep_obj = '{"a":' * 200000 + "1" + "}" * 200000
    for parse in (HeroVirt.DiskInfo.new_from_json, HeroVirt.DiskCheckResult.new_from_json,
                  HeroVirt.VmInfo.new_from_json, HeroVirt.VmSpec.new_from_json):
        for text in (deep, deep_obj):
            try:
                parse(text)
                raise AssertionError("%s accepted 200000 levels" % parse.__name__)
            except GLib.Error as e:
                assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.TOO_LARGE), (parse, e.message)


@test
def rest_wait_does_not_stall_others():
    setup()
    ex = executor(rest=True)
    name = "hv-rest-waiter"
    done = threading.Event()
    errors = []

    def foreground():
        try:
            (HeroVirt.ContainerBuilder(name=name, image=IMAGE, executor=ex, provider_name="podman")
             .set_detach(False).set_command(["-c", "sleep 120"]).build(None))
        except GLib.Error as e:
            errors.append(e.message)
        done.set()

    t = threading.Thread(target=foreground, daemon=True)
    t.start()
    running = False
    for _ in range(600):
        rows = HeroVirt.Container.list("podman", ex, True, None)
        if any(r.props.name == name and r.props.state == "running" for r in rows):
            running = True
            break
        time.sleep(0.05)
    assert running, errors
    time.sleep(1)  # the other thread is inside POST /wait by now
    rows = HeroVirt.Container.list("podman", ex, True, None)
    # the list came back while the wait still blocks
    assert not done.is_set()
    assert any(r.props.name == name and r.props.state == "running" for r in rows)
    HeroVirt.Container.new_for_provider(name, "podman", ex).kill("SIGKILL")
    t.join(60)
    assert done.is_set()
    HeroVirt.Container.new_for_provider(name, "podman", ex).remove(True)


class FakePodman:
    """A unix-socket HTTP server that answers like libpod, then sends a
    multiplexed-stream frame header claiming 0xFFFFFFFF bytes."""

    def __init__(self, path):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(8)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            method, path = lines[0].split(" ")[:2]
            length = 0
            for h in lines[1:]:
                if h.lower().startswith("content-length:"):
                    length = int(h.split(":")[1])
            while len(body) < length:
                body += conn.recv(65536)
            if path.endswith("/exec") and method == "POST":
                payload = b'{"Id":"e1"}'
                conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                             b"Connection: close\r\n\r\n%s" % (len(payload), payload))
                return
            frame = b"\x01\x00\x00\x00\xff\xff\xff\xff" + b"x" * 64
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                         b"Connection: close\r\n\r\n" + frame)

    def close(self):
        self.server.close()


@test
def rest_huge_frame_is_an_error():
    d = tempfile.mkdtemp(prefix="hv-fake-podman-")
    fake = FakePodman(os.path.join(d, "podman.sock"))
    try:
        ex = HeroVirt.LocalExecutor.new()
        ex.setenv("CONTAINER_HOST", "unix://" + fake.path)
        c = HeroVirt.Container.new_for_provider("x", "podman", ex)
        for call in (lambda: c.follow_logs(-1, None, None), lambda: c.exec(["true"], None, None)):
            try:
                call()
                raise AssertionError("a 0xFFFFFFFF frame was accepted")
            except GLib.Error as e:
                assert e.matches(HeroVirt.error_quark(), HeroVirt.Error.TOO_LARGE), e.message
    finally:
        fake.close()
        shutil.rmtree(d, ignore_errors=True)


def probe_host():
    """Runs in the child: one call with CONTAINER_HOST naming a regular file."""
    ex = HeroVirt.LocalExecutor.new()
    ex.setenv("CONTAINER_HOST", "unix://" + os.environ["HV_TEST_FAKE_HOST"])
    try:
        HeroVirt.Container.list("podman", ex, True, None)
    except GLib.Error:
        pass  # the podman CLI reads CONTAINER_HOST too, and fails on its own


@test
def container_host_must_be_a_socket():
    d = tempfile.mkdtemp(prefix="hv-not-a-socket-")
    try:
        fake = os.path.join(d, "podman.sock")
        with open(fake, "w") as f:
            f.write("x")
        p = subprocess.run([sys.executable, __file__, "--probe-host"], capture_output=True, text=True,
                           env=dict(os.environ, G_MESSAGES_DEBUG="all", HV_TEST_FAKE_HOST=fake), timeout=120)
        logs = p.stdout + p.stderr
        assert p.returncode == 0, logs[-2000:]
        # the REST transport refused the file; no request was sent to it
        assert "is not a socket of ours" in logs and "REST GET" not in logs, logs[-2000:]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def hv(*args, env=None, stdin=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([HERO_VIRT, *args], capture_output=True, text=True, env=full_env, input=stdin)


@test
def cli_port_with_newline_is_refused():
    p = hv("container", "run", "--name", "hv-port-nl", "--publish", "8080:80\n", IMAGE)
    assert p.returncode != 0 and "single line" in p.stderr, (p.returncode, p.stderr)


@test
def cli_username_needs_a_password_source():
    p = hv("image", "push", "--username", "someone", IMAGE, "127.0.0.1:1/x:1")
    assert p.returncode != 0 and "--password-stdin" in p.stderr, (p.returncode, p.stderr)
    p = hv("image", "push", "--username", "someone", "--password-stdin", IMAGE, "127.0.0.1:1/x:1", stdin="")
    assert p.returncode != 0 and "no password" in p.stderr, (p.returncode, p.stderr)


@test
def cli_stale_auth_dirs_are_removed():
    s = setup()
    runtime = tempfile.mkdtemp(prefix="hv-xdg-")
    try:
        os.chmod(runtime, 0o700)
        base = os.path.join(runtime, "hero-virt")
        os.mkdir(base, 0o700)
        dead = subprocess.Popen(["true"])
        dead.wait()
        stale = os.path.join(base, "auth-%d-abcdef" % dead.pid)
        os.mkdir(stale, 0o700)
        with open(os.path.join(stale, "auth.json"), "w") as f:
            f.write('{"auths":{}}')
        env = dict(s["env"], XDG_RUNTIME_DIR=runtime)
        p = hv("image", "push", "--no-tls-verify", "--username", "someone", "--password-stdin",
               IMAGE, "127.0.0.1:1/hv/x:1", env=env, stdin="pw\n")
        assert p.returncode != 0  # nothing listens on port 1
        assert "pw" not in p.stderr.split()
        assert not os.path.exists(stale), os.listdir(base)
        assert [e for e in os.listdir(base) if e.startswith("auth-")] == [], os.listdir(base)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--workload"]:
        workload()
        sys.exit(0)
    if sys.argv[1:] == ["--probe-host"]:
        probe_host()
        sys.exit(0)
    try:
        run()
    finally:
        teardown()
