#!/usr/bin/python3
# `hero-virt kube registry deploy|remove` and `kube devmachine
# create|ssh|remove` (tools/cli-kube-apps.c) against hero-virt-kube-sim with
# its fake node agent (pods become Ready, nothing runs): usage, bad input
# (exit 2 before any request), the objects a deploy leaves when it times out
# (exit 1) and remove. Real pods are tested through the library
# (tests/kube-sim-podman). TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap  # noqa: E402

HERO_VIRT = os.path.join(os.environ["HERO_VIRT_BUILD_ROOT"], "tools", "hero-virt")


class Cli:
    def __init__(self, sim):
        self.sim = sim
        self.env = dict(os.environ, KUBECONFIG=sim.kubeconfig)

    def run(self, *args, check=0):
        p = subprocess.run([HERO_VIRT, "kube", *args], capture_output=True, text=True, env=self.env,
                           timeout=120)
        assert p.returncode == check, \
            f"hero-virt kube {' '.join(args)}: exit {p.returncode}, wanted {check}\n" \
            f"stdout: {p.stdout}\nstderr: {p.stderr}"
        return p

    def names(self, kind):
        out = json.loads(self.run("get", kind, "--json").stdout)
        return sorted(o["metadata"]["name"] for o in out["items"])


def test_usage(c):
    p = c.run("--help")
    assert "registry deploy|remove" in p.stdout and "devmachine create|ssh|remove" in p.stdout, p.stdout
    assert "deploy" in c.run("registry", check=2).stderr
    assert "unknown command 'frob'" in c.run("registry", "frob", check=2).stderr
    assert "unknown command 'frob'" in c.run("devmachine", "frob", check=2).stderr
    for cmd in (["registry", "deploy"], ["registry", "remove"], ["devmachine", "create"],
                ["devmachine", "ssh"], ["devmachine", "remove"]):
        p = c.run(*cmd, "--help")
        assert "Usage:" in p.stdout and "--namespace" in p.stdout, p.stdout
        assert "missing argument" in c.run(*cmd, check=2).stderr
    assert "--password-file" in c.run("registry", "deploy", "--help").stdout


def test_bad_input(c):
    assert "RFC 1035" in c.run("registry", "deploy", "Bad_Name", check=2).stderr
    assert "30000" in c.run("registry", "deploy", "reg", "--node-port", "5", check=2).stderr
    assert "--password-file" in c.run("registry", "deploy", "reg", "--auth", "bob", check=2).stderr
    assert "--auth" in c.run("registry", "deploy", "reg", "--password-file", "/x", check=2).stderr
    assert "RFC 1035" in c.run("devmachine", "create", "dev_1", check=2).stderr
    assert "RFC 1035" in c.run("devmachine", "ssh", "Dev", check=2).stderr
    p = c.run("devmachine", "create", "dev", "--authorized-key-file", "/nonexistent.pub", check=1)
    assert "/nonexistent.pub" in p.stderr, p.stderr
    key = os.path.join(c.sim.dir, "key.pub")
    with open(key, "w") as f:
        f.write("not a key\n")
    p = c.run("devmachine", "create", "dev", "--authorized-key-file", key, check=2)
    assert "public key" in p.stderr, p.stderr
    assert c.names("pods") == [] and "dev-ssh" not in c.names("secrets")  # nothing was sent


def test_registry_timeout_and_remove(c):
    pw = os.path.join(c.sim.dir, "reg-password")
    p = c.run("registry", "deploy", "reg", "--auth", "bob", "--password-file", pw, "--timeout", "2s",
              check=1)
    assert "reg" in p.stderr and "2000 ms" in p.stderr, p.stderr
    assert not os.path.exists(pw)  # written only once the registry is up
    assert any(n.startswith("reg") for n in c.names("pods")), c.names("pods")
    c.run("registry", "remove", "reg")
    # the Deployment's pods go in the background (garbage collection)
    deadline = time.monotonic() + 60
    while any(n.startswith("reg") for n in c.names("pods")) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [n for n in c.names("pods") if n.startswith("reg")]
    assert not left, left
    c.run("registry", "remove", "reg")  # nothing left is fine


def test_devmachine_timeout_and_remove(c):
    key = os.path.join(c.sim.dir, "id")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    p = c.run("devmachine", "create", "dev", "--authorized-key-file", key + ".pub", "--timeout", "2s",
              check=1)
    assert "dev" in p.stderr, p.stderr
    assert "dev" in c.names("pods") and "dev-ssh" in c.names("secrets"), c.names("secrets")
    c.run("devmachine", "remove", "dev")
    # a deleted pod stays Terminating until the node agent lets it go
    deadline = time.monotonic() + 60
    while ("dev" in c.names("pods") or "dev-ssh" in c.names("secrets")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "dev" not in c.names("pods"), c.names("pods")
    assert "dev-ssh" not in c.names("secrets"), c.names("secrets")
    p = c.run("devmachine", "ssh", "dev", check=1)
    assert "not-found" in p.stderr or "not found" in p.stderr.lower(), p.stderr


def main():
    tap = Tap()
    with Simulator("--pod-ready-delay", "100") as sim:
        c = Cli(sim)
        for name, func in [("usage and help", test_usage), ("bad input", test_bad_input),
                           ("registry deploy times out, remove", test_registry_timeout_and_remove),
                           ("devmachine create times out, remove, ssh to none",
                            test_devmachine_timeout_and_remove)]:
            tap.run(name, func, c)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
