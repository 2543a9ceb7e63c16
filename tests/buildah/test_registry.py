#!/usr/bin/python3
# Push to and pull from an authenticated TLS registry from Python, as a
# user's script would: a self-signed CA trusted through a cert dir,
# htpasswd credentials right and wrong, with real buildah and
# docker-registry on 127.0.0.1.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

from tap import Tap  # noqa: E402

t = Tap()
tap = t.ok
PASSWORD = "py-Secret-99"


def run(*argv):
    subprocess.run(argv, check=True, capture_output=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_registry(d):
    ca = os.path.join(d, "ca")
    os.makedirs(ca)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/ca.key",
        "-out", ca + "/ca.crt", "-days", "2", "-subj", "/CN=hv-py-ca")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/srv.key",
        "-out", d + "/srv.csr", "-subj", "/CN=127.0.0.1")
    with open(d + "/ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    run("openssl", "x509", "-req", "-in", d + "/srv.csr", "-CA", ca + "/ca.crt", "-CAkey", d + "/ca.key",
        "-CAcreateserial", "-out", d + "/srv.crt", "-days", "2", "-extfile", d + "/ext")
    with open(d + "/htpasswd", "w") as f:
        f.write(subprocess.run(["htpasswd", "-Bbn", "pyuser", PASSWORD], check=True,
                               capture_output=True, text=True).stdout)
    port = free_port()
    with open(d + "/reg.yml", "w") as f:
        f.write("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/data\n"
                "http:\n  addr: 127.0.0.1:%d\n  tls:\n    certificate: %s/srv.crt\n    key: %s/srv.key\n"
                "auth:\n  htpasswd:\n    realm: hv\n    path: %s/htpasswd\n" % (d, port, d, d, d))
    proc = subprocess.Popen(["docker-registry", "serve", d + "/reg.yml"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, port, ca


def main():
    for tool in ("buildah", "docker-registry", "openssl", "htpasswd"):
        if shutil.which(tool) is None:
            t.skip_all("%s is not installed" % tool)
    d = tempfile.mkdtemp(prefix="hv-py-registry-")
    with open(d + "/containers.conf", "w") as f:
        f.write('[engine]\nruntime = "runc"\n')
    with open(d + "/storage.conf", "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    os.environ["CONTAINERS_CONF"] = d + "/containers.conf"
    os.environ["CONTAINERS_STORAGE_CONF"] = d + "/storage.conf"
    proc = None
    try:
        b = HeroVirt.Builder.new("hv-py-reg", "scratch")
        b.set_isolation("chroot").copy("/bin/busybox", "/bin/busybox") \
            .run_argv(["/bin/busybox", "--install", "-s", "/bin"]).set_env("PATH", "/bin") \
            .write("pushed from python\n", "/hello.txt").commit("localhost/hv-py/reg:1").remove()
        proc, port, ca = start_registry(d)
        dest = "127.0.0.1:%d/hv/py:1" % port

        untrusted = HeroVirt.ImageRegistryOptions.new().set_credentials("pyuser", PASSWORD)
        try:
            HeroVirt.image_push("localhost/hv-py/reg:1", dest, untrusted)
            tap(False, "unknown CA refused")
        except GLib.Error as e:
            tap(e.matches(HeroVirt.error_quark(), HeroVirt.Error.HOST_KEY), "unknown CA refused")

        wrong = HeroVirt.ImageRegistryOptions(cert_dir=ca, username="pyuser", password="wrong-one")
        try:
            HeroVirt.image_push("localhost/hv-py/reg:1", dest, wrong)
            tap(False, "wrong password refused")
        except GLib.Error as e:
            tap(e.matches(HeroVirt.error_quark(), HeroVirt.Error.AUTH) and "wrong-one" not in e.message,
                "wrong password refused, not quoted")

        right = HeroVirt.ImageRegistryOptions.new().set_cert_dir(ca).set_credentials("pyuser", PASSWORD)
        stages = []
        progress = HeroVirt.Progress.new()
        progress.connect("changed", lambda p: stages.append(p.props.message))
        HeroVirt.image_push("localhost/hv-py/reg:1", dest, right, progress)
        tap("Writing manifest to image destination" in stages, "push with CA and credentials, progress")
        HeroVirt.image_remove("localhost/hv-py/reg:1", True)
        image_id = HeroVirt.image_pull(dest, right, None)
        tap(len(image_id) == 64, "pull back")
        c = HeroVirt.Builder.new("hv-py-check", dest)
        c.set_registry_options(right).set_isolation("chroot")
        tap(c.read("/hello.txt").get_data() == b"pushed from python\n", "the pulled image has the file")
        c.remove()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()
        subprocess.run(["buildah", "rm", "--all"], capture_output=True)
        subprocess.run(["buildah", "rmi", "--all", "--force"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
    sys.exit(t.done())


if __name__ == "__main__":
    main()
