"""The image and container half of demo.py: build a web image with buildah
through HeroVirt.Builder, run it with podman through
HeroVirt.ContainerBuilder, watch it, tear it down.

Container storage is private to the demo's temporary directory (a
containers.conf and storage.conf set on the executor), so nothing touches
the machine's own images or containers.
"""

import os
import socket
import time
import urllib.request

import gi

gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402


def section(title):
    print(f"\n==== {title}", flush=True)


def private_executor(workdir):
    conf = os.path.join(workdir, "containers.conf")
    storage = os.path.join(workdir, "storage.conf")
    with open(conf, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
    with open(storage, "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/storage/root"\n'
                'runroot = "%s/storage/run"\n' % (workdir, workdir))
    executor = HeroVirt.LocalExecutor.new()
    executor.setenv("CONTAINERS_CONF", conf)
    executor.setenv("CONTAINERS_STORAGE_CONF", storage)
    return executor


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_image(executor):
    section("image: build a busybox web server with buildah (HeroVirt.Builder)")
    progress = HeroVirt.Progress()
    progress.connect("changed", lambda p: p.props.stage == "commit" and p.props.message and
                     print(f"  [commit] {p.props.message}"))
    # A base image from the static busybox binary: no registry needed.
    HeroVirt.Builder(name="demo-base", base_image="scratch", executor=executor) \
        .set_isolation("chroot") \
        .copy("/bin/busybox", "/bin/busybox") \
        .run_argv(["/bin/busybox", "--install", "-s", "/bin"]) \
        .set_env("PATH", "/bin") \
        .commit("localhost/demo/busybox:latest") \
        .remove()
    web = HeroVirt.Builder(name="demo-web", base_image="localhost/demo/busybox:latest",
                           executor=executor)
    web.set_progress(progress) \
        .run("mkdir -p /www && echo built-by-run > /www/built.txt") \
        .write("<h1>Hello from HeroVirt</h1>\n", "/www/index.html") \
        .set_entrypoint(["/bin/httpd", "-f", "-v", "-p", "8080", "-h", "/www"]) \
        .add_port("8080/tcp") \
        .set_label("org.herovirt.demo", "yes") \
        .commit("localhost/demo/web:1")
    print(f"  committed localhost/demo/web:1 ({web.dup_image_id()[:12]})")
    print(f"  /www/index.html reads back: {web.read('/www/index.html').get_data().decode().strip()}")
    web.remove()
    try:
        HeroVirt.Builder(name="--privileged", base_image="localhost/demo/web:1",
                         executor=executor).run("true")
        raise SystemExit("a flag-like name was accepted")
    except GLib.Error as e:
        print(f"  a flag-like name is refused before anything runs: {e.message}")


def run_container(executor):
    section("container: run it with podman (HeroVirt.ContainerBuilder)")
    port = free_port()
    health = HeroVirt.HealthCheck.new("wget -q -O- http://127.0.0.1:8080/ || exit 1")
    container = HeroVirt.ContainerBuilder.new("demo-web", "localhost/demo/web:1") \
        .set_executor(executor) \
        .add_port(port, 8080) \
        .add_env("GREETING", "hello") \
        .set_memory_limit("64m") \
        .set_health_check(health) \
        .build(None)
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        for _ in range(100):
            try:
                body = urllib.request.urlopen(url, timeout=1).read().decode().strip()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"no answer from {url}")
        print(f"  GET {url} -> {body}")
        container.wait_healthy(30000, None)
        status = container.inspect(None)
        print(f"  state {status.get_state()}, health {status.get_health_status()}")
        stats = container.stats(None)
        print(f"  memory {stats.get_memory_usage() >> 10} KiB of {stats.get_memory_limit() >> 20} MiB, "
              f"{stats.get_pids()} pids")
        logs = container.logs(-1, None, None).strip().splitlines()
        print(f"  last log line: {logs[-1] if logs else '(none)'}")
    finally:
        container.stop(2, None)
        container.remove(True, None)
        print("  stopped and removed")


def run(workdir):
    registry = HeroVirt.Registry.get_default()
    if not registry.get_providers(HeroVirt.ProviderKind.IMAGE) or \
       not registry.get_providers(HeroVirt.ProviderKind.CONTAINER):
        print("\n(image or container plugins not built: skipping that part)")
        return
    executor = private_executor(workdir)
    build_image(executor)
    run_container(executor)
