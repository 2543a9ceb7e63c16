#!/usr/bin/python3
# A container registry in the cluster with HeroVirt.RegistryDeployer, after
# the original's 02_registry_deployment: one without authentication and one
# with htpasswd, in 10 checks. It makes its own namespace and removes it at
# the end, whatever happens.
#
#   KUBECONFIG=~/.kube/config kube_registry_deployment.py
#
# Settings from the environment:
#   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
#   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
#   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node ports are reached on (default: the
#                                     address of the node the registry runs on)
#
# `hero-virt-kube-sim --node-agent podman` gives a cluster to try it on
# (tests/kube-sim-podman/run-examples.py).
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import json
import os
import sys
import urllib.error
import urllib.request

import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, HeroVirt, Json

N_CHECKS = 10
passed = 0
step = 0


def check(description, ok, detail=""):
    global passed, step
    step += 1
    passed += bool(ok)
    print(f"{'✓' if ok else '✗'} check {step}: {description}" + (f" ({detail})" if detail else ""),
          flush=True)
    return ok


def as_dict(node):
    return json.loads(Json.to_string(node, False))


def get(endpoint, path, auth=None):
    """GET http://ENDPOINT/PATH: (status, headers, body)."""
    req = urllib.request.Request(f"http://{endpoint}{path}")
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, ""


def catalog(endpoint, auth=None):
    status, _, body = get(endpoint, "/v2/_catalog", auth)
    return json.loads(body)["repositories"] if status == 200 else None


def gone(km, api_version, kind, name):
    """The object is gone (or, on a real cluster, going)."""
    try:
        node = km.get(HeroVirt.ClusterKind.lookup(api_version, kind), name, None)
    except GLib.Error as e:
        return e.matches(HeroVirt.Error.quark(), HeroVirt.Error.NOT_FOUND)
    return "deletionTimestamp" in as_dict(node)["metadata"]


image = os.environ.get("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE") or "docker.io/library/registry:2"
node_host = os.environ.get("HERO_VIRT_EXAMPLE_NODE_HOST") or None
namespace = "hv-registry-" + os.urandom(3).hex()
km = HeroVirt.KubernetesManager.new(namespace)
km.namespace_create(namespace, None)
print(f"Working in namespace {namespace}, registry image {image}")
plain = HeroVirt.RegistryDeployer.new(km, "registry").image(image).endpoint_host(node_host)
authed = (HeroVirt.RegistryDeployer.new(km, "registry-auth").image(image).endpoint_host(node_host)
          .auth("builder", None))  # None: a generated password
try:
    # 1-3: a registry without authentication
    plain.deploy(180000, None)
    service = as_dict(km.service_get("registry", None))
    km.deployment_get("registry", None)
    check("registry deployed: a Deployment and a NodePort Service", service["spec"]["type"] == "NodePort",
          plain.get_endpoint())
    status, headers, _ = get(plain.get_endpoint(), "/v2/")
    check("it answers /v2/ as a registry (HTTP 200, Docker-Distribution-Api-Version)",
          status == 200 and headers.get("Docker-Distribution-Api-Version") == "registry/2.0", f"HTTP {status}")
    repos = catalog(plain.get_endpoint())
    check("its catalog is empty", repos == [], str(repos))

    # 4-8: a registry with htpasswd authentication
    authed.deploy(180000, None)
    endpoint, user, password = authed.get_endpoint(), authed.get_username(), authed.get_password()
    secret = as_dict(km.secret_get("registry-auth-htpasswd", None))
    entry = base64.b64decode(secret["data"]["htpasswd"]).decode()
    check("registry with htpasswd deployed: user builder, a generated password, only its bcrypt hash "
          "in the Secret",
          user == "builder" and len(password) >= 16 and entry.startswith("builder:$2")
          and password not in entry, endpoint)
    status, headers, _ = get(endpoint, "/v2/")
    check("without credentials /v2/ is 401 with a Basic challenge",
          status == 401 and headers.get("WWW-Authenticate", "").lower().startswith("basic"), f"HTTP {status}")
    check("a wrong password is 401", get(endpoint, "/v2/", ("builder", "wrong"))[0] == 401)
    check("the credentials it returned are 200", get(endpoint, "/v2/", (user, password))[0] == 200)
    repos = catalog(endpoint, (user, password))
    check("its catalog with the credentials: empty", repos == [], str(repos))
except GLib.Error as e:
    check("unexpected error", False, e.message)
finally:
    # 9: both removed, nothing of them left
    try:
        removed = plain.remove(None) and authed.remove(None)
        check("both registries removed: deployments, services and the htpasswd Secret gone",
              removed and all(gone(km, v, k, n) for v, k, n in (
                  ("apps/v1", "Deployment", "registry"), ("v1", "Service", "registry"),
                  ("apps/v1", "Deployment", "registry-auth"), ("v1", "Service", "registry-auth"),
                  ("v1", "Secret", "registry-auth-htpasswd"))))
    except GLib.Error as e:
        check("both registries removed", False, e.message)
    # 10: the namespace goes, with everything still in it
    try:
        km.namespace_delete(namespace, None)
        km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Namespace"), namespace, "deleted", 180000, None)
        check("namespace deleted", True, namespace)
    except GLib.Error as e:
        check("namespace deleted", False, e.message)

print(f"{passed}/{N_CHECKS} checks passed")
sys.exit(0 if passed == N_CHECKS and step == N_CHECKS else 1)
