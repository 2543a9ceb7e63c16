#!/usr/bin/python3
# Build an image inside the cluster and push it to a registry there, after
# the original's 03_registry_build_and_push, in 8 checks:
# HeroVirt.RegistryDeployer deploys a registry, a HeroVirt.BuildMachine (a
# privileged buildah pod) builds a small image from a base image and pushes
# it to the registry's in-cluster address, and podman here pulls it back
# through the node port and runs it. It makes its own namespace and removes
# it at the end, whatever happens.
#
#   KUBECONFIG=~/.kube/config kube_registry_build.py
#
# Settings from the environment:
#   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
#   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
#   HERO_VIRT_EXAMPLE_BUILDAH_IMAGE   an image with buildah (quay.io/buildah/stable:latest)
#   HERO_VIRT_EXAMPLE_BASE_IMAGE      what the build starts from, as the build pod pulls it
#                                     (docker.io/library/alpine:latest); plain HTTP is allowed
#   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node port is reached on (default: the
#                                     address of the node the registry runs on)
#   HERO_VIRT_EXAMPLE_PODMAN          the podman to pull and run with (podman)
#
# Needs podman here, and a cluster whose pods resolve Service names
# (<name>.<namespace>.svc). `hero-virt-kube-sim --node-agent podman` gives
# one to try it on (tests/kube-sim-podman/run-examples.py).
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys
import urllib.request

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt

N_CHECKS = 8
GREETING = "hello from a HeroVirt build machine"
passed = 0
step = 0


class Failed(Exception):
    pass


def check(description, ok, detail=""):
    """Prints the check; a failed one ends the run (Failed)."""
    global passed, step
    step += 1
    passed += bool(ok)
    print(f"{'✓' if ok else '✗'} check {step}: {description}" + (f" ({detail})" if detail else ""),
          flush=True)
    if not ok:
        raise Failed()


def podman(*args):
    exe = os.environ.get("HERO_VIRT_EXAMPLE_PODMAN") or "podman"
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


def env(name, default):
    return os.environ.get(name) or default


registry_image = env("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE", "docker.io/library/registry:2")
buildah_image = env("HERO_VIRT_EXAMPLE_BUILDAH_IMAGE", "quay.io/buildah/stable:latest")
base_image = env("HERO_VIRT_EXAMPLE_BASE_IMAGE", "docker.io/library/alpine:latest")
node_host = os.environ.get("HERO_VIRT_EXAMPLE_NODE_HOST") or None

namespace = "hv-build-" + os.urandom(3).hex()
km = HeroVirt.KubernetesManager.new(namespace)
km.namespace_create(namespace, None)
print(f"Working in namespace {namespace}")
registry = HeroVirt.RegistryDeployer.new(km, "registry").image(registry_image).endpoint_host(node_host)
inside = f"registry.{namespace}.svc:5000"  # the registry as the pods reach it
bm = HeroVirt.BuildMachine.new(km, "builder").image(buildah_image).registry(inside).tls_verify(False)
builder = None
outside = None  # the image as this host pulls it
pulled = False
try:
    # 1: the registry, reached from here on its node port
    registry.deploy(180000, None)
    check("registry deployed and answering /v2/", True, registry.get_endpoint())
    outside = f"{registry.get_endpoint()}/hero-virt-example/hello:1"

    # 2: the build machine: a privileged buildah pod
    bm.start(300000, None)
    version = bm.get_executor().run_argv(["buildah", "--version"], None)
    check("build machine running (buildah in the pod)", version.get_exit_status() == 0,
          version.get_stdout_text().strip())

    # 3-4: a working container from the base image, one step, committed
    builder = bm.new_builder("hello", base_image)
    builder.open(None)
    check("working container from the base image", True, base_image)
    builder.set_cmd(["cat", "/hello.txt"])
    builder.set_label("org.hero-virt.example", "kube-registry-build")
    builder.run(f"echo '{GREETING}' > /hello.txt", None)
    builder.commit("localhost/hero-virt-example/hello:1", None)
    check("image built and committed in the pod", builder.dup_image_id(), builder.dup_image_id())

    # 5: pushed from the pod to the registry's in-cluster address
    pushed = bm.push("localhost/hero-virt-example/hello:1", "hero-virt-example/hello:1", None)
    check("pushed to the registry from inside the cluster", pushed, pushed)

    # 6: the registry has it, seen from here
    url = f"http://{registry.get_endpoint()}/v2/hero-virt-example/hello/tags/list"
    with urllib.request.urlopen(url, timeout=30) as r:
        tags = json.loads(r.read())["tags"]
    check("the registry lists hero-virt-example/hello:1", tags == ["1"], str(tags))

    # 7-8: pulled back here through the node port and run with podman
    podman("pull", "-q", "--tls-verify=false", outside)
    pulled = True
    check("pulled back on this host with podman", True, outside)
    out = podman("run", "--rm", outside).strip()
    check("podman runs it: it prints what the build wrote", out == GREETING, out)
except GLib.Error as e:
    print(f"✗ error: {e.message}")
except subprocess.CalledProcessError as e:
    print(f"✗ error: {' '.join(e.cmd)}: {e.stderr.strip()}")
except (OSError, ValueError, KeyError) as e:
    print(f"✗ error: {e}")
except Failed:
    pass
finally:
    print("Cleaning up")
    if pulled:
        subprocess.run([env("HERO_VIRT_EXAMPLE_PODMAN", "podman"), "rmi", outside], capture_output=True)
    for what, func in (("working container", lambda: builder and builder.remove(None)),
                       ("build machine", lambda: bm.stop(None)),
                       ("registry", lambda: registry.remove(None))):
        try:
            func()
        except GLib.Error as e:
            print(f"warning: {what}: {e.message}", file=sys.stderr)
    try:
        km.namespace_delete(namespace, None)
        km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Namespace"), namespace, "deleted", 180000, None)
    except GLib.Error as e:
        print(f"warning: namespace {namespace}: {e.message}", file=sys.stderr)

print(f"{passed}/{N_CHECKS} checks passed")
sys.exit(0 if passed == N_CHECKS and step == N_CHECKS else 1)
