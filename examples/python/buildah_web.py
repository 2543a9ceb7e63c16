#!/usr/bin/python3
# The nginx-style example with busybox httpd: build an image that serves a
# page, push it to a local registry, pull it back, run it with podman and
# fetch the page over HTTP from the host.
#
# It starts and stops everything itself in a private directory (container
# storage, a docker-registry on 127.0.0.1, one podman container) and makes
# its busybox base image from /bin/busybox, so it needs no internet.
# Needs buildah, runc, podman, docker-registry, busybox-static; run as root.
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
from gi.repository import HeroVirt  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, expect):
    for _ in range(300):
        try:
            body = urllib.request.urlopen(url, timeout=1).read().decode()
            if expect in body:
                return body
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("no answer from " + url)


def private_storage(d):
    with open(os.path.join(d, "containers.conf"), "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n')
    with open(os.path.join(d, "storage.conf"), "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    os.environ["CONTAINERS_CONF"] = os.path.join(d, "containers.conf")
    os.environ["CONTAINERS_STORAGE_CONF"] = os.path.join(d, "storage.conf")


def main():
    d = tempfile.mkdtemp(prefix="hero-virt-web-")
    private_storage(d)
    registry = None
    try:
        # A busybox base image from the static busybox binary.
        base = HeroVirt.Builder.new("example-base", "scratch")
        base.set_isolation("chroot")
        base.copy("/bin/busybox", "/bin/busybox") \
            .run_argv(["/bin/busybox", "mkdir", "-p", "/tmp", "/www"]) \
            .run_argv(["/bin/busybox", "--install", "-s", "/bin"]) \
            .set_env("PATH", "/bin").commit("localhost/example/busybox:latest").remove()

        # The web image.
        HeroVirt.Builder.new("example-web", "localhost/example/busybox:latest") \
            .run("mkdir -p /www") \
            .write("<h1>Hello from HeroVirt (Python)</h1>\n", "/www/index.html") \
            .set_entrypoint(["/bin/httpd", "-f", "-v", "-p", "8080", "-h", "/www"]) \
            .add_port("8080/tcp") \
            .commit("localhost/example/web:1") \
            .remove()
        print("built localhost/example/web:1")

        # A plain-HTTP registry: TLS verification off, explicitly.
        port = free_port()
        with open(os.path.join(d, "registry.yml"), "w") as f:
            f.write("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\n"
                    "http:\n  addr: 127.0.0.1:%d\n" % (d, port))
        registry = subprocess.Popen(["docker-registry", "serve", os.path.join(d, "registry.yml")],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("http://127.0.0.1:%d/v2/" % port, "{}")
        remote = "127.0.0.1:%d/example/web:1" % port
        opts = HeroVirt.ImageRegistryOptions.new().set_tls_verify(False)

        progress = HeroVirt.Progress.new()
        progress.connect("changed", lambda p: print("  %s: %s" % (p.props.stage, p.props.message)))
        HeroVirt.image_push("localhost/example/web:1", remote, opts, progress)
        HeroVirt.image_remove("localhost/example/web:1", True)
        image_id = HeroVirt.image_pull(remote, opts, progress)
        print("pushed and pulled back", image_id[:12])

        web = free_port()
        subprocess.run(["podman", "run", "-d", "--name", "hero-virt-example-web-py",
                        "-p", "127.0.0.1:%d:8080" % web, "--", remote], check=True, stdout=subprocess.DEVNULL)
        print(wait_for("http://127.0.0.1:%d/index.html" % web, "Hello from HeroVirt"))
    finally:
        subprocess.run(["podman", "rm", "-f", "-t", "0", "hero-virt-example-web-py"], capture_output=True)
        if registry is not None:
            registry.terminate()
            registry.wait()
        subprocess.run(["buildah", "rm", "--all"], capture_output=True)
        subprocess.run(["podman", "rmi", "--all", "--force"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
