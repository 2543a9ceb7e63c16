#!/usr/bin/python3
# Kubernetes basics, after the original's 01_basic_operations: pods,
# services, config maps, secrets and namespaces in 14 checks. It makes its
# own namespace and removes it at the end, whatever happens.
#
#   KUBECONFIG=~/.kube/config kube_basic.py
#
# It talks to the cluster of the kubeconfig's current context (KUBECONFIG,
# else ~/.kube/config, else the in-cluster service account) through the
# k8s plugin; no kubectl is needed. `hero-virt-kube-sim --kubeconfig FILE`
# gives a cluster to try it on.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import json
import os
import sys

import gi
gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, HeroVirt, Json

N_CHECKS = 14
passed = 0
step = 0


def check(description, ok, detail=""):
    global passed, step
    step += 1
    passed += bool(ok)
    print(f"[{step:2}/{N_CHECKS}] {'ok  ' if ok else 'FAIL'} {description}"
          + (f" ({detail})" if detail else ""), flush=True)


def as_dict(node):
    return json.loads(Json.to_string(node, False))


def names(list_node):
    return [HeroVirt.kube_resource_get_name(i) for i in HeroVirt.kube_list_get_items(list_node)]


def error_code(func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        return e.code if e.domain == "hero-virt-error-quark" else None
    return None


namespace = "hv-basic-" + os.urandom(3).hex()
km = HeroVirt.KubernetesManager.new(namespace)
print(f"Working in namespace {namespace}")
try:
    # 1-3: the cluster and a namespace of our own
    check("the cluster answers", "default" in names(km.namespaces_list(None)))
    km.namespace_create(namespace, None)
    check("namespace created", km.namespace_exists(namespace, None), namespace)
    km.namespace_create(namespace, None)
    check("creating it again is no error (idempotent)", True)

    # 4-7: one object of each kind, read back
    km.configmap_create("example-config", ["mode=fast", "level=3"], None)
    data = as_dict(km.configmap_get("example-config", None)).get("data")
    check("config map created and read back", data == {"mode": "fast", "level": "3"}, str(data))

    km.secret_create("example-secret", ["password=s3cr3t"], None, None)
    secret = as_dict(km.secret_get("example-secret", None))
    check("secret created, its value base64-encoded",
          base64.b64decode(secret["data"]["password"]) == b"s3cr3t"
          and secret["type"] == "Opaque")

    km.pod_create("example-pod", "nginx:1.25-alpine", ["app=example"], ["MODE=demo"], None)
    pod = km.pod_get("example-pod", None)
    check("pod created with its labels",
          HeroVirt.kube_resource_get_label(pod, "app") == "example"
          and as_dict(pod)["spec"]["containers"][0]["image"] == "nginx:1.25-alpine")

    km.service_create("example-svc", ["app=example"], 80, 8080, None)
    port = as_dict(km.service_get("example-svc", None))["spec"]["ports"][0]
    check("service created on port 80 -> 8080",
          port["port"] == 80 and port["targetPort"] == 8080)

    # 8-9: lists and counts
    listed = ("example-pod" in names(km.pods_list(None))
              and "example-svc" in names(km.services_list(None))
              and "example-config" in names(km.configmaps_list(None))
              and "example-secret" in names(km.secrets_list(None)))
    check("each object is in its list", listed)
    counts = km.resource_counts(None)
    check("resource counts", counts["pods"] == 1 and counts["services"] == 1
          and counts["configmaps"] >= 1 and counts["secrets"] >= 1,
          ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))

    # 10-12: delete by pattern, first as a dry run
    would = sorted(km.delete("^example-", True, None))
    expected = ["configmaps/example-config", "pods/example-pod", "secrets/example-secret",
                "services/example-svc"]
    check("dry run lists what would go, deletes nothing",
          would == expected and km.resource_counts(None)["pods"] == 1, " ".join(would))
    deleted = sorted(km.delete("^example-", False, None))
    check("delete by pattern", deleted == expected, f"{len(deleted)} deleted")
    # a pod gets its grace period on a real cluster: gone or terminating
    try:
        gone = "deletionTimestamp" in as_dict(km.pod_get("example-pod", None))["metadata"]
    except GLib.Error as e:
        gone = e.code == HeroVirt.Error.NOT_FOUND
    gone = gone and "example-config" not in names(km.configmaps_list(None)) \
        and "example-secret" not in names(km.secrets_list(None)) \
        and "example-svc" not in names(km.services_list(None))
    check("the objects are gone", gone)

    # 13: errors say what went wrong
    check("a missing object is NOT_FOUND, a bad name INVALID_ARGUMENT (before any request)",
          error_code(km.configmap_get, "no-such-config", None) == HeroVirt.Error.NOT_FOUND
          and error_code(km.pod_create, "Bad_Name", "nginx", None, None, None)
          == HeroVirt.Error.INVALID_ARGUMENT)
finally:
    # 14: the namespace goes, with everything still in it
    try:
        km.namespace_delete(namespace, None)
        km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Namespace"), namespace, "deleted",
                    180000, None)
        check("namespace deleted", not km.namespace_exists(namespace, None))
    except GLib.Error as e:
        check("namespace deleted", False, e.message)

print(f"{passed}/{N_CHECKS} checks passed")
sys.exit(0 if passed == N_CHECKS and step == N_CHECKS else 1)
