#!/usr/bin/env python3
# Runs the Kubernetes examples that need real pods (a registry, a build
# machine, an SSH pod) against one hero-virt-kube-sim --node-agent podman:
# the test images (scripts/build-test-images.sh --with-buildah) go to a
# docker-registry of its own, listening on 0.0.0.0 so that the build pod
# can pull its base image through the pod network's gateway; the examples
# get the images, the kubeconfig and the simulator's private podman storage
# (for their own `podman pull` and `podman run`) from the environment.
#
#   run-examples.py NAME CHECKS PROGRAM [ARG...] [-- NAME CHECKS PROGRAM [ARG...]]...
#
# An example passes when it exits 0 and prints "CHECKS/CHECKS checks passed".
# TAP output, one test point per example, the example's output as comments.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "kube-sim"))
from kubesim import binary, require, wait_for  # noqa: E402

PODMAN = require("podman", "podman")
require("buildah", "buildah")
require("skopeo", "skopeo")
require("runc", "runc")
require("mmdebstrap", "mmdebstrap (for the buildah test image)")
require("ssh", "openssh-client")
require("ssh-keygen", "openssh-client")
require("htpasswd", "apache2-utils")
REGISTRY = require("/usr/bin/docker-registry", "docker-registry")
SOURCE_ROOT = os.environ.get("HERO_VIRT_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
BUILD_IMAGES = os.path.join(SOURCE_ROOT, "scripts", "build-test-images.sh")


def free_port():
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


class Env:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kube-examples-")
        self.sim = None
        self.registry = None
        self.reg_log = self.sim_log = None
        self.root = os.path.join(self.dir, "podman")
        self.podman_env = {"CONTAINERS_CONF": os.path.join(self.root, "containers.conf"),
                           "CONTAINERS_STORAGE_CONF": os.path.join(self.root, "storage.conf")}
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self):
        self.port = free_port()
        os.makedirs(os.path.join(self.dir, "reg"))
        with open(os.path.join(self.dir, "reg", "config.yml"), "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {self.dir}/reg/data\nhttp:\n  addr: 0.0.0.0:{self.port}\n")
        self.reg_log = open(os.path.join(self.dir, "reg.log"), "w")
        self.registry = subprocess.Popen([REGISTRY, "serve", os.path.join(self.dir, "reg", "config.yml")],
                                         stdout=self.reg_log, stderr=subprocess.STDOUT)
        self.reg = f"127.0.0.1:{self.port}"
        wait_for(self._registry_up, timeout=30)
        t0 = time.monotonic()
        out = subprocess.run([BUILD_IMAGES, "--with-buildah", "--push", self.reg], check=True,
                             capture_output=True, text=True)
        print(f"# test images ready in {time.monotonic() - t0:.1f} s", flush=True)
        self.images = {line.split()[0]: line.split()[2] for line in out.stdout.splitlines()}
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.sim_log = open(os.path.join(self.dir, "sim.log"), "w")
        self.sim = subprocess.Popen([binary(), "--port", "0", "--kubeconfig", self.kubeconfig,
                                     "--node-agent", "podman", "--podman-root", self.root],
                                    stdout=subprocess.PIPE, stderr=self.sim_log, text=True)
        line = self.sim.stdout.readline()
        if not line.startswith("KUBE_SIM_READY"):
            raise RuntimeError(f"simulator did not start: {line!r}")

    def _registry_up(self):
        try:
            with urllib.request.urlopen(f"http://{self.reg}/v2/", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def podman(self, *args):
        return subprocess.run([PODMAN, *args], env=dict(os.environ, **self.podman_env), check=True,
                              capture_output=True, text=True).stdout

    def gateway(self):
        """The pod network's gateway (the host, as the pods reach it)."""
        try:
            net = json.loads(self.podman("network", "inspect", "podman"))[0]
            return net["subnets"][0]["gateway"]
        except (subprocess.CalledProcessError, LookupError, ValueError):
            return "10.88.0.1"

    def example_env(self):
        if getattr(self, "_gateway", None) is None:
            self._gateway = self.gateway()
        hostreg = f"{self._gateway}:{self.port}"
        return dict(os.environ, KUBECONFIG=self.kubeconfig, **self.podman_env, LC_ALL="C.UTF-8",
                    HERO_VIRT_EXAMPLE_REGISTRY_IMAGE=self.images["registry"],
                    HERO_VIRT_EXAMPLE_BUILDAH_IMAGE=self.images["buildah"],
                    HERO_VIRT_EXAMPLE_SSHD_IMAGE=self.images["sshd"],
                    # as the build pod pulls it: from this registry through the gateway
                    HERO_VIRT_EXAMPLE_BASE_IMAGE=self.images["busybox"].replace(self.reg, hostreg))

    def stop(self):
        if self.sim is not None and self.sim.poll() is None:
            self.sim.send_signal(signal.SIGTERM)
            try:
                self.sim.wait(120)
            except subprocess.TimeoutExpired:
                self.sim.kill()
                self.sim.wait()
        if self.sim_log is not None:
            self.sim_log.close()
        if self.sim is not None:
            if self.sim.returncode != 0:
                with open(os.path.join(self.dir, "sim.log")) as f:
                    for line in f.read().splitlines()[-40:]:
                        print("# sim: " + line)
        if self.registry is not None and self.registry.poll() is None:
            self.registry.terminate()
            self.registry.wait(10)
        if self.reg_log is not None:
            self.reg_log.close()
        if os.path.exists(os.path.join(self.root, "storage.conf")):
            try:  # whatever a failed example left behind
                self.podman("pod", "rm", "-a", "-f", "-t", "0")
                self.podman("rm", "-a", "-f", "-t", "0")
                self.podman("rmi", "-a", "-f")
            except subprocess.CalledProcessError:
                pass
        subprocess.run(["rm", "-rf", "--one-file-system", self.dir])


def parse(argv):
    examples, group = [], []
    for arg in argv + ["--"]:
        if arg != "--":
            group.append(arg)
            continue
        if len(group) < 3 or not group[1].isdigit():
            print("usage: run-examples.py NAME CHECKS PROGRAM [ARG...] [-- NAME CHECKS PROGRAM...]",
                  file=sys.stderr)
            sys.exit(2)
        examples.append((group[0], int(group[1]), group[2:]))
        group = []
    return examples


def run_example(env, name, checks, argv):
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, env=env.example_env(), capture_output=True, text=True, timeout=600,
                           stdin=subprocess.DEVNULL)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = e.stdout or "", (e.stderr or "") + "\ntimed out", None
        out = out.decode() if isinstance(out, bytes) else out
        err = err.decode() if isinstance(err, bytes) else err
    elapsed = time.monotonic() - t0
    for line in (out + err).splitlines():
        print(f"#   {line}")
    ok = rc == 0 and f"{checks}/{checks} checks passed" in out
    return ok, f"{name} ({elapsed:.1f} s)" + ("" if ok else f": exit status {rc}")


def main():
    examples = parse(sys.argv[1:])
    print(f"1..{len(examples)}", flush=True)
    try:
        env = Env()
    except Exception as e:  # noqa: BLE001
        print(f"Bail out! setup failed: {e}")
        return 1
    failed = 0
    try:
        for i, (name, checks, argv) in enumerate(examples, 1):
            ok, what = run_example(env, name, checks, argv)
            failed += not ok
            print(f"{'ok' if ok else 'not ok'} {i} - {what}", flush=True)
    finally:
        env.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
