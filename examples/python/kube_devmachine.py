#!/usr/bin/python3
# A pod a developer reaches over SSH, with HeroVirt.DevelopmentMachine, in 6
# checks: an sshd pod whose host key and authorized_keys HeroVirt generated
# and put in a Secret, a NodePort service to its port 22, `uname -a` over
# SSH with the host key checked. It makes its own namespace and removes it
# at the end, whatever happens.
#
#   KUBECONFIG=~/.kube/config kube_devmachine.py
#
# Settings from the environment:
#   KUBECONFIG                     the cluster (else ~/.kube/config, else in-cluster)
#   HERO_VIRT_EXAMPLE_SSHD_IMAGE   an image with /usr/sbin/sshd and /run/sshd
#                                  (localhost/hero-virt-test/sshd:1, which
#                                  scripts/build-test-images.sh builds)
#   HERO_VIRT_EXAMPLE_NODE_HOST    the host the node port is reached on (default: the
#                                  address of the node the pod runs on)
#   HERO_VIRT_EXAMPLE_PORT_FORWARD set to 1 to reach port 22 through a port forward
#                                  instead of a node port
#
# Needs ssh and ssh-keygen here (openssh-client).
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import sys

import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, HeroVirt, Json

N_CHECKS = 6
NAME = "devbox"
passed = 0
step = 0


def check(description, ok, detail=""):
    global passed, step
    step += 1
    passed += bool(ok)
    print(f"{'✓' if ok else '✗'} check {step}: {description}" + (f" ({detail})" if detail else ""),
          flush=True)
    return ok


def ssh_run(dev, *argv):
    """Runs argv in the machine over SSH: its standard output, stripped."""
    result = dev.get_executor().run_argv(list(argv), None)
    if result.get_exit_status() != 0:
        raise RuntimeError(f"{argv[0]}: exit status {result.get_exit_status()}: {result.get_stderr_text()}")
    return result.get_stdout_text().strip()


def gone(km, kind, name):
    """The object is gone (or, a pod on a real cluster, terminating)."""
    try:
        node = km.get(HeroVirt.ClusterKind.lookup("v1", kind), name, None)
    except GLib.Error as e:
        return e.matches(HeroVirt.Error.quark(), HeroVirt.Error.NOT_FOUND)
    return "deletionTimestamp" in json.loads(Json.to_string(node, False))["metadata"]


image = os.environ.get("HERO_VIRT_EXAMPLE_SSHD_IMAGE") or "localhost/hero-virt-test/sshd:1"
node_host = os.environ.get("HERO_VIRT_EXAMPLE_NODE_HOST") or None
forward = os.environ.get("HERO_VIRT_EXAMPLE_PORT_FORWARD") == "1"
namespace = "hv-devel-" + os.urandom(3).hex()
km = HeroVirt.KubernetesManager.new(namespace)
km.namespace_create(namespace, None)
print(f"Working in namespace {namespace}, sshd image {image}")

dev = HeroVirt.DevelopmentMachine.new(km, NAME).image(image)
if forward:
    dev.port_forward()
else:
    dev.endpoint_host(node_host)
try:
    # 1: the machine: a Secret with the keys, the sshd pod, a way to port 22
    dev.create(180000, None)
    check("development machine created", True,
          f"{dev.get_host()}:{dev.get_port()} through a {'port forward' if forward else 'node port'}")

    # 2: its host key is known before the first login: HeroVirt made it
    key = dev.get_host_public_key()
    check("its host key is known before the first login", key and key.startswith("ssh-"), key)

    # 3-4: logged in over SSH, in the pod
    out = ssh_run(dev, "uname", "-a")
    check("`uname -a` over SSH", out.startswith("Linux "), out)
    out = ssh_run(dev, "hostname")
    check("the login is in the pod: its hostname is the pod's name", out == NAME, out)
except (GLib.Error, RuntimeError) as e:
    check("unexpected error", False, getattr(e, "message", str(e)))
finally:
    # 5: removed: the pod, the Secret and the Service
    try:
        check("development machine removed: pod, Secret and Service gone",
              dev.remove(None) and gone(km, "Pod", NAME) and gone(km, "Secret", f"{NAME}-ssh")
              and gone(km, "Service", f"{NAME}-ssh"))
    except GLib.Error as e:
        check("development machine removed", False, e.message)
    # 6: the namespace goes, with everything still in it
    try:
        km.namespace_delete(namespace, None)
        km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Namespace"), namespace, "deleted", 180000, None)
        check("namespace deleted", True, namespace)
    except GLib.Error as e:
        check("namespace deleted", False, e.message)

print(f"{passed}/{N_CHECKS} checks passed")
sys.exit(0 if passed == N_CHECKS and step == N_CHECKS else 1)
