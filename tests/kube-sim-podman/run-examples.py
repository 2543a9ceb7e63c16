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
import importlib.util
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "kube-sim"))
from kubesim import require  # noqa: E402

# The environment (registry, images, simulator) is build-machine-test.py's.
_spec = importlib.util.spec_from_file_location("build_machine_test",
                                               os.path.join(HERE, "build-machine-test.py"))
bmt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bmt)
require("ssh", "openssh-client")
require("ssh-keygen", "openssh-client")
require("htpasswd", "apache2-utils")


class Env(bmt.Env):
    def __init__(self):
        super().__init__(prefix="kube-examples-")
        self.podman_env = {"CONTAINERS_CONF": os.path.join(self.root, "containers.conf"),
                           "CONTAINERS_STORAGE_CONF": os.path.join(self.root, "storage.conf")}
        self._gateway = None

    def gateway(self):
        """The pod network's gateway (the host, as the pods reach it)."""
        try:
            net = json.loads(self.podman("network", "inspect", "podman"))[0]
            return net["subnets"][0]["gateway"]
        except (subprocess.CalledProcessError, LookupError, ValueError):
            return "10.88.0.1"

    def example_env(self):
        if self._gateway is None:
            self._gateway = self.gateway()
        hostreg = f"{self._gateway}:{self.port}"
        return dict(os.environ, KUBECONFIG=self.kubeconfig, **self.podman_env, LC_ALL="C.UTF-8",
                    HERO_VIRT_EXAMPLE_REGISTRY_IMAGE=self.images["registry"],
                    HERO_VIRT_EXAMPLE_BUILDAH_IMAGE=self.images["buildah"],
                    HERO_VIRT_EXAMPLE_SSHD_IMAGE=self.images["sshd"],
                    # as the build pod pulls it: from this registry through the gateway
                    HERO_VIRT_EXAMPLE_BASE_IMAGE=self.images["busybox"].replace(self.reg, hostreg))


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
