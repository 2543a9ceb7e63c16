#!/usr/bin/env python3
# The k8s plugin and HeroVirt.KubernetesManager against hero-virt-kube-sim,
# from Python (GObject Introspection): every manager method, kubeconfig
# merging, each kind of credentials, retries, watch across 410, hostile
# kubeconfigs. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap, require, binary  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import Gio, GLib, HeroVirt, Json  # noqa: E402

E = HeroVirt.Error


def err_code(e):
    return e.code if e.domain == "hero-virt-error-quark" else None


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert err_code(e) == code, f"expected {code}, got {e.domain} {e.code}: {e.message}"
        return e
    raise AssertionError(f"expected error {code}, got success")


def names(listnode):
    return sorted(HeroVirt.kube_resource_get_name(i) for i in HeroVirt.kube_list_get_items(listnode))


def js(obj):
    return Json.from_string(json.dumps(obj))


def pyobj(node):
    return json.loads(Json.to_string(node, False))


def admin(sim, method, path, body=None):
    return sim.request(method, path, body)


def fast_config():
    return HeroVirt.KubernetesConfig.new().with_retries(3, 20, 200).with_rate_limit(0, 1).with_timeout(10000)


def manager(sim, ns="default", kubeconfig=None, context=None, config=None):
    return HeroVirt.KubernetesManager.new_full(ns, kubeconfig or sim.kubeconfig, context,
                                               config or fast_config())


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def kubeconfig_text(sim, user_yaml, server=None, extra_cluster=""):
    return f"""apiVersion: v1
kind: Config
current-context: c
clusters:
- name: sim
  cluster:
    server: {server or sim.url}
    certificate-authority: {sim.ca}
{extra_cluster}contexts:
- name: c
  context:
    cluster: sim
    user: u
    namespace: default
users:
- name: u
  user:
{user_yaml}
"""


# ---- the manager's methods -------------------------------------------------

def test_manager_methods(sim):
    km = manager(sim)
    assert km.get_namespace() == "default"
    assert km.get_config().get_max_retries() == 3
    assert "default" in names(km.namespaces_list(None))

    pod = km.pod_create("web-1", "nginx:1.25", ["app=web"], ["MODE=fast"], None)
    assert HeroVirt.kube_resource_get_uid(pod)
    assert HeroVirt.kube_resource_get_label(pod, "app") == "web"
    assert pyobj(pod)["spec"]["containers"][0]["env"] == [{"name": "MODE", "value": "fast"}]
    svc = km.service_create("web", ["app=web"], 80, 8080, None)
    assert pyobj(svc)["spec"]["ports"][0]["targetPort"] == 8080
    dep = km.deployment_create("api", "nginx:1.25", 2, ["app=api"], None, None)
    assert pyobj(dep)["spec"]["replicas"] == 2
    km.configmap_create("settings", ["mode=fast", "level=3"], None)
    km.secret_create("creds", ["password=s3cret"], None, None)

    assert "web-1" in names(km.pods_list(None))
    assert names(km.services_list(None)).count("web") == 1
    assert names(km.deployments_list(None)) == ["api"]
    assert "settings" in names(km.configmaps_list(None))
    assert "creds" in names(km.secrets_list(None))

    assert HeroVirt.kube_resource_get_name(km.pod_get("web-1", None)) == "web-1"
    assert HeroVirt.kube_resource_get_name(km.service_get("web", None)) == "web"
    assert HeroVirt.kube_resource_get_name(km.deployment_get("api", None)) == "api"
    assert pyobj(km.configmap_get("settings", None))["data"] == {"mode": "fast", "level": "3"}
    sec = pyobj(km.secret_get("creds", None))
    assert base64.b64decode(sec["data"]["password"]) == b"s3cret" and sec["type"] == "Opaque"

    counts = km.resource_counts(None)
    assert counts["pods"] >= 1 and counts["services"] >= 1 and counts["deployments"] == 1, counts
    assert counts["configmaps"] >= 1 and counts["secrets"] >= 1, counts

    expect_error(E.EXISTS, km.configmap_create, "settings", ["a=b"], None)
    expect_error(E.NOT_FOUND, km.pod_get, "nope", None)
    # DNS-1123 names are checked before any request
    expect_error(E.INVALID_ARGUMENT, km.pod_create, "Bad_Name", "nginx", None, None, None)
    expect_error(E.INVALID_ARGUMENT, km.service_create, "1web", ["app=web"], 80, 0, None)
    expect_error(E.INVALID_ARGUMENT, km.configmap_get, "UPPER", None)
    expect_error(E.INVALID_ARGUMENT, km.configmap_create, "ok", ["novalue"], None)
    expect_error(E.INVALID_ARGUMENT, km.pod_create, "p", "nginx", ["bad key=v"], None, None)

    km.pod_delete("web-1", None)
    km.service_delete("web", None)
    km.deployment_delete("api", None)
    km.configmap_delete("settings", None)
    km.secret_delete("creds", None)
    expect_error(E.NOT_FOUND, km.configmap_delete, "settings", None)
    expect_error(E.NOT_FOUND, km.configmap_get, "settings", None)
    expect_error(E.NOT_FOUND, km.secret_get, "creds", None)


def test_namespaces(sim):
    km = manager(sim)
    assert not km.namespace_exists("team-a", None)
    km.namespace_create("team-a", None)
    km.namespace_create("team-a", None)  # idempotent
    assert km.namespace_exists("team-a", None)
    assert "team-a" in names(km.namespaces_list(None))
    expect_error(E.INVALID_ARGUMENT, km.namespace_create, "Team.A", None)
    km.namespace_delete("team-a", None)
    # Terminating, then gone
    deadline = time.monotonic() + 20
    while km.namespace_exists("team-a", None) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not km.namespace_exists("team-a", None)
    expect_error(E.NOT_FOUND, km.namespace_delete, "team-a", None)
    # a manager in a namespace that does not exist
    other = manager(sim, ns="missing-ns")
    expect_error(E.NOT_FOUND, other.configmap_create, "x", ["a=b"], None)
    expect_error(E.INVALID_ARGUMENT, HeroVirt.KubernetesManager.new_full, "Bad NS", sim.kubeconfig, None, None)


def test_delete_pattern(sim):
    km = manager(sim)
    km.namespace_create("regex", None)
    km = manager(sim, ns="regex")
    for n in ("test-a", "test-b", "keep"):
        km.configmap_create(n, ["k=v"], None)
    km.secret_create("test-secret", ["k=v"], None, None)
    km.pod_create("test-pod", "busybox", None, None, None)
    would = km.delete("^test-", True, None)
    assert sorted(would) == ["configmaps/test-a", "configmaps/test-b", "pods/test-pod",
                             "secrets/test-secret"], would
    assert "test-a" in names(km.configmaps_list(None))  # dry run changed nothing
    e = expect_error(E.INVALID_ARGUMENT, km.delete, "test-(", False, None)
    assert "test-(" in e.message
    assert "test-a" in names(km.configmaps_list(None))
    done = km.delete("^test-", False, None)
    assert sorted(done) == sorted(would)
    left = names(km.configmaps_list(None))
    assert "keep" in left and "test-a" not in left and "test-b" not in left
    assert "test-secret" not in names(km.secrets_list(None))


def test_deploy_application_and_wait(sim):
    km = manager(sim)
    km.deploy_application("shop", "nginx:1.25", 2, 8080, None, ["A=1"], None)
    dep = km.deployment_get("shop", None)
    assert pyobj(dep)["spec"]["selector"]["matchLabels"] == {"app": "shop"}
    svc = pyobj(km.service_get("shop", None))
    assert svc["spec"]["selector"] == {"app": "shop"} and svc["spec"]["ports"][0]["port"] == 8080
    kind = HeroVirt.ClusterKind.lookup("apps/v1", "Deployment")
    km.wait_for(kind, "shop", "Available", 20000, None)
    km.wait_for(kind, "shop", "rollout", 20000, None)
    km.wait_for(kind, "shop", "{.status.readyReplicas}=2", 20000, None)
    km.pod_create("waiter", "busybox", None, None, None)
    pods = HeroVirt.ClusterKind.lookup("v1", "Pod")
    km.wait_for(pods, "waiter", "Ready", 20000, None)
    km.wait_for(pods, "waiter", "{.status.phase}=Running", 20000, None)
    expect_error(E.TIMEOUT, km.wait_for, pods, "waiter", "{.status.phase}=Nonsense", 300, None)
    km.pod_delete("waiter", None)
    km.wait_for(pods, "waiter", "deleted", 20000, None)
    km.deployment_delete("shop", None)
    km.service_delete("shop", None)


def test_generic(sim):
    km = manager(sim)
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    created = km.create(cms, js({"metadata": {"name": "gen", "labels": {"tier": "x"}}, "data": {"a": "1"}}), None)
    rv = HeroVirt.kube_resource_get_resource_version(created)
    got = km.get(cms, "gen", None)
    assert pyobj(got)["data"] == {"a": "1"}
    # label and field selectors
    opts = HeroVirt.ClusterListOptions.new().add_label("tier", "x")
    assert names(km.list(cms, opts, None)) == ["gen"]
    opts = HeroVirt.ClusterListOptions.new().set_field_selector("metadata.name=gen")
    assert names(km.list(cms, opts, None)) == ["gen"]
    # replace, and a stale resourceVersion is a Conflict
    obj = pyobj(got)
    obj["data"] = {"a": "2"}
    replaced = km.replace(cms, js(obj), None)
    assert pyobj(replaced)["data"] == {"a": "2"}
    obj["metadata"]["resourceVersion"] = rv
    expect_error(E.CONFLICT, km.replace, cms, js(obj), None)
    # the three patch types
    p = km.patch(cms, "gen", HeroVirt.ClusterPatchType.MERGE, js({"data": {"b": "3"}}), None)
    assert pyobj(p)["data"] == {"a": "2", "b": "3"}
    p = km.patch(cms, "gen", HeroVirt.ClusterPatchType.JSON, js([{"op": "remove", "path": "/data/a"}]), None)
    assert pyobj(p)["data"] == {"b": "3"}
    p = km.patch(cms, "gen", HeroVirt.ClusterPatchType.STRATEGIC, js({"data": {"c": "4"}}), None)
    assert pyobj(p)["data"] == {"b": "3", "c": "4"}
    expect_error(E.INVALID_ARGUMENT, km.patch, cms, "gen", HeroVirt.ClusterPatchType.JSON, js({"x": 1}), None)
    # server-side apply creates, then updates
    applied = km.apply(cms, js({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"},
                                "data": {"x": "1"}}), False, None)
    assert pyobj(applied)["data"] == {"x": "1"}
    applied = km.apply(cms, js({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"},
                                "data": {"x": "2"}}), True, None)
    assert pyobj(applied)["data"] == {"x": "2"}
    assert any(m.get("manager") == "hero-virt" for m in pyobj(applied)["metadata"].get("managedFields", []))
    km.delete_object(cms, "applied", HeroVirt.ClusterPropagation.BACKGROUND, 0, None)
    km.delete_object(cms, "gen", HeroVirt.ClusterPropagation.DEFAULT, -1, None)
    expect_error(E.NOT_FOUND, km.get, cms, "gen", None)
    # a namespace in the resource that is not the manager's
    expect_error(E.INVALID_ARGUMENT, km.create, cms, js({"metadata": {"name": "x", "namespace": "kube-system"}}), None)
    # cluster-scoped kinds get no namespace
    nss = HeroVirt.ClusterKind.lookup("v1", "Namespace")
    assert HeroVirt.kube_resource_get_name(km.get(nss, "default", None)) == "default"


def test_apply_yaml(sim):
    km = manager(sim)
    docs = HeroVirt.kube_parse_yaml("a: 1\n---\n---\nb: [x, true, null]\n", -1)
    assert [pyobj(d) for d in docs] == [{"a": 1}, {"b": ["x", True, None]}]
    manifest = """apiVersion: v1
kind: ConfigMap
metadata:
  name: from-yaml
data:
  key: value
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: strip
spec:
  stripPrefix:
    prefixes: [/api]
---
apiVersion: v1
kind: Namespace
metadata:
  name: yaml-ns
"""
    applied = km.apply_yaml(manifest, False, None)
    assert [HeroVirt.kube_resource_get_name(o) for o in applied] == ["from-yaml", "strip", "yaml-ns"]
    assert pyobj(km.configmap_get("from-yaml", None))["data"] == {"key": "value"}
    again = km.apply_yaml(manifest.replace("value", "other"), False, None)
    assert pyobj(again[0])["data"] == {"key": "other"}
    expect_error(E.INVALID_ARGUMENT, km.apply_yaml, "apiVersion: v1\nkind: ConfigMap\n", False, None)
    expect_error(E.PARSE, km.apply_yaml, "a: [\n", False, None)
    expect_error(E.NOT_FOUND, km.apply_yaml, "apiVersion: nope.example/v1\nkind: X\nmetadata: {name: x}\n", False, None)
    km.configmap_delete("from-yaml", None)
    km.namespace_delete("yaml-ns", None)


def test_discovery_and_crds(sim):
    km = manager(sim)
    kind = km.resolve_kind("traefik.io/v1alpha1", "IngressRoute", None)
    assert kind.get_plural() == "ingressroutes" and kind.get_namespaced()
    route = {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute", "metadata": {"name": "r1"},
             "spec": {"entryPoints": ["web"], "routes": [{"match": "Host(`a.example`)", "kind": "Rule",
                                                           "services": [{"name": "web", "port": 80}]}]}}
    km.create(kind, js(route), None)
    assert names(km.list(kind, None, None)) == ["r1"]
    # strategic merge is not for custom resources
    expect_error(E.NOT_SUPPORTED, km.patch, kind, "r1", HeroVirt.ClusterPatchType.STRATEGIC, js({"spec": {}}), None)
    km.delete_object(kind, "r1", HeroVirt.ClusterPropagation.DEFAULT, -1, None)
    expect_error(E.NOT_FOUND, km.resolve_kind, "nothere.example.com/v1", "Thing", None)
    expect_error(E.NOT_FOUND, km.resolve_kind, "v1", "NoSuchKind", None)
    assert km.resolve_kind("apps/v1", "Deployment", None).get_plural() == "deployments"


def test_paging(sim):
    km = manager(sim)
    km.namespace_create("paging", None)
    km = manager(sim, ns="paging")
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    for i in range(1003):
        km.create(cms, js({"metadata": {"name": f"cm-{i:04d}"}}), None)
    admin(sim, "DELETE", "/kube-sim/requests")
    everything = km.configmaps_list(None)
    got = [n for n in names(everything) if n.startswith("cm-")]
    assert len(got) == 1003, len(got)
    _, log = admin(sim, "GET", "/kube-sim/requests")
    lists = [r for r in log["requests"] if r["method"] == "GET" and r["path"].endswith("/configmaps")]
    assert len(lists) == 3, lists  # 500 + 500 + 4 (the root CA config map too)
    # an explicit limit is one page with its continue token
    page = km.list(cms, HeroVirt.ClusterListOptions.new().set_limit(10), None)
    assert len(HeroVirt.kube_list_get_items(page)) == 10
    assert pyobj(page)["metadata"].get("continue")
    km.namespace_delete("paging", None)


def test_watch(sim):
    km = manager(sim)
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    listed = km.list(cms, None, None)
    rv = pyobj(listed)["metadata"]["resourceVersion"]
    opts = HeroVirt.ClusterListOptions.new().set_resource_version(rv).set_timeout_seconds(30)
    watch = km.watch(cms, opts, None)
    km.configmap_create("watched", ["a=b"], None)
    km.configmap_delete("watched", None)
    seen = []
    while len(seen) < 2:
        ev = watch.next(None)
        assert ev is not None
        t = ev.get_event_type()
        if t == HeroVirt.ClusterWatchEventType.BOOKMARK:
            continue
        seen.append((t, HeroVirt.kube_resource_get_name(ev.get_object())))
    assert seen == [(HeroVirt.ClusterWatchEventType.ADDED, "watched"),
                    (HeroVirt.ClusterWatchEventType.DELETED, "watched")], seen
    watch.stop()
    assert watch.next(None) is None
    # Several at once, each on a connection of its own: none waits for
    # another to end (libsoup's default was two per host).
    watches = [km.watch(cms, HeroVirt.ClusterListOptions.new().set_timeout_seconds(20), None) for _ in range(6)]
    km.configmap_create("watched-many", ["a=b"], None)
    for w in watches:
        while True:
            ev = w.next(None)
            assert ev is not None, "a watch ended before it saw the object"
            if HeroVirt.kube_resource_get_name(ev.get_object()) == "watched-many":
                break
        w.stop()
    km.configmap_delete("watched-many", None)


def test_watch_gone():
    with Simulator("--watch-history", "5") as sim:
        km = manager(sim)
        cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
        old = pyobj(km.list(cms, None, None))["metadata"]["resourceVersion"]
        for i in range(20):
            km.configmap_create(f"churn-{i}", ["a=b"], None)
        watch = km.watch(cms, HeroVirt.ClusterListOptions.new().set_resource_version(old), None)
        ev = watch.next(None)
        assert ev.get_event_type() == HeroVirt.ClusterWatchEventType.ERROR
        status = pyobj(ev.get_object())
        assert status["code"] == 410, status
        assert watch.next(None) is None  # the stream closes after the 410
        # relist and watch from the new version: it works again
        fresh = pyobj(km.list(cms, None, None))["metadata"]["resourceVersion"]
        watch = km.watch(cms, HeroVirt.ClusterListOptions.new().set_resource_version(fresh), None)
        km.configmap_create("after-gone", ["a=b"], None)
        while True:
            ev = watch.next(None)
            if ev.get_event_type() != HeroVirt.ClusterWatchEventType.BOOKMARK:
                break
        assert HeroVirt.kube_resource_get_name(ev.get_object()) == "after-gone"
        watch.stop()
        # the resumable watch relists by itself: current objects as ADDED, then changes
        resumable = km.watch_resumable(cms, HeroVirt.ClusterListOptions.new().set_resource_version(old))
        seen = set()
        while not {"after-gone", "churn-0", "churn-19"} <= seen:
            ev = resumable.next(None)
            assert ev.get_event_type() == HeroVirt.ClusterWatchEventType.ADDED
            seen.add(HeroVirt.kube_resource_get_name(ev.get_object()))
        km.configmap_create("after-relist", ["a=b"], None)
        while True:
            ev = resumable.next(None)
            if ev.get_event_type() != HeroVirt.ClusterWatchEventType.BOOKMARK and \
                    HeroVirt.kube_resource_get_name(ev.get_object()) == "after-relist":
                break
        resumable.stop()
        assert resumable.next(None) is None


def test_async(sim):
    km = manager(sim)
    loop = GLib.MainLoop()
    out = {}

    def created(source, result):
        out["cm"] = source.configmap_create_finish(result)
        source.configmaps_list_async(None, listed)

    def listed(source, result):
        out["list"] = source.configmaps_list_finish(result)
        source.pod_get_async("Bad_Name", None, bad)

    def bad(source, result):
        try:
            source.pod_get_finish(result)
        except GLib.Error as e:
            out["bad"] = e.code
        source.delete_async("^async-", False, None, deleted)

    def deleted(source, result):
        out["deleted"] = source.delete_finish(result)
        source.namespace_exists_async("default", None, exists)

    def exists(source, result):
        out["exists"] = source.namespace_exists_finish(result)
        loop.quit()

    km.configmap_create_async("async-cm", ["a=b"], None, created)
    GLib.timeout_add_seconds(20, loop.quit)
    loop.run()
    assert HeroVirt.kube_resource_get_name(out["cm"]) == "async-cm"
    assert "async-cm" in names(out["list"])
    assert out["bad"] == E.INVALID_ARGUMENT
    assert out["deleted"] == ["configmaps/async-cm"]
    assert out["exists"] is True


# ---- kubeconfig and credentials ------------------------------------------------

def test_kubeconfig_merge(sim):
    d = tempfile.mkdtemp(prefix="k8s-merge-")
    try:
        # first file: current-context and a context "c" pointing at a
        # cluster only the second file defines; a user "u" with a token
        a = write(os.path.join(d, "a.yaml"), f"""apiVersion: v1
kind: Config
current-context: c
contexts:
- name: c
  context: {{cluster: sim, user: u, namespace: kube-system}}
users:
- name: u
  user:
    token: alice-token
""")
        # second file: sets current-context too (ignored: the first wins),
        # redefines user "u" (ignored: the first wins), defines the cluster
        b = write(os.path.join(d, "b.yaml"), f"""apiVersion: v1
kind: Config
current-context: other
clusters:
- name: sim
  cluster:
    server: {sim.url}
    certificate-authority: {sim.ca}
users:
- name: u
  user:
    token: wrong-token
contexts:
- name: other
  context: {{cluster: sim, user: u}}
""")
        os.environ["KUBECONFIG"] = os.pathsep.join([a, os.path.join(d, "missing.yaml"), b])
        try:
            km = HeroVirt.KubernetesManager.new_full(None, None, None, fast_config())
            # the context's namespace is used when the manager has none
            lst = km.configmaps_list(None)
            assert "kube-root-ca.crt" in names(lst)
            assert km.namespace_exists("kube-system", None)
            cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
            made = km.create(cms, js({"metadata": {"name": "merged"}}), None)
            assert HeroVirt.kube_resource_get_namespace(made) == "kube-system"
            # a context chosen by name
            km2 = HeroVirt.KubernetesManager.new_full("default", None, "other", fast_config())
            km2.configmaps_list(None)
            expect_error(E.NOT_FOUND, HeroVirt.KubernetesManager.new_full("default", None, "nope",
                                                                       None).configmaps_list, None)
        finally:
            del os.environ["KUBECONFIG"]
    finally:
        import shutil
        shutil.rmtree(d, ignore_errors=True)


def test_auth_kinds():
    with Simulator("--basic-auth", "bob=hunter2", tokens={"alice": "alice-token"}) as sim:
        d = sim.dir
        # client certificate (the simulator's own kubeconfig: *-data fields)
        manager(sim).configmaps_list(None)
        # client certificate from files, relative to the kubeconfig's directory
        kc = write(os.path.join(d, "cert.yaml"), kubeconfig_text(
            sim, "    client-certificate: admin.crt\n    client-key: admin.key"))
        manager(sim, kubeconfig=kc).configmaps_list(None)
        # the key formats clusters hand out: RSA PKCS#1 (kubeadm), EC SEC1
        # (k3s), besides the simulator's PKCS#8; signed by the cluster's CA
        for kind, genkey in (("rsa", ["genrsa", "-traditional", "-out", "KEY", "2048"]),
                             ("ec", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "KEY"])):
            key, csr, crt = (os.path.join(d, f"{kind}.{x}") for x in ("key", "csr", "crt"))
            subprocess.run(["openssl"] + [key if a == "KEY" else a for a in genkey], check=True,
                           capture_output=True)
            subprocess.run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=admin/O=system:masters",
                            "-out", csr], check=True, capture_output=True)
            subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", sim.ca,
                            "-CAkey", os.path.join(d, "ca.key"), "-CAcreateserial", "-days", "1",
                            "-out", crt], check=True, capture_output=True)
            head = open(key).readline().strip()
            assert head == {"rsa": "-----BEGIN RSA PRIVATE KEY-----",
                            "ec": "-----BEGIN EC PRIVATE KEY-----"}[kind], head
            kc = write(os.path.join(d, f"{kind}.yaml"), kubeconfig_text(
                sim, f"    client-certificate: {kind}.crt\n    client-key: {kind}.key"))
            manager(sim, kubeconfig=kc).configmaps_list(None)
        # bearer token
        kc = write(os.path.join(d, "token.yaml"), kubeconfig_text(sim, "    token: alice-token"))
        manager(sim, kubeconfig=kc).configmaps_list(None)
        kc = write(os.path.join(d, "badtoken.yaml"), kubeconfig_text(sim, "    token: nope"))
        expect_error(E.AUTH, manager(sim, kubeconfig=kc).configmaps_list, None)
        # tokenFile, re-read when it changes (rotation)
        tf = write(os.path.join(d, "token"), "nope\n")
        kc = write(os.path.join(d, "tokenfile.yaml"), kubeconfig_text(sim, "    tokenFile: token"))
        km = manager(sim, kubeconfig=kc)
        expect_error(E.AUTH, km.configmaps_list, None)
        time.sleep(0.02)
        write(tf, "alice-token\n")
        km.configmaps_list(None)
        # basic auth
        kc = write(os.path.join(d, "basic.yaml"), kubeconfig_text(sim, "    username: bob\n    password: hunter2"))
        manager(sim, kubeconfig=kc).configmaps_list(None)
        # anonymous is refused
        kc = write(os.path.join(d, "anon.yaml"), kubeconfig_text(sim, "    {}"))
        expect_error(E.AUTH, manager(sim, kubeconfig=kc).configmaps_list, None)
        # the read-only token is Forbidden for secrets
        kc = write(os.path.join(d, "ro.yaml"), kubeconfig_text(sim, f"    token: {sim.readonly_token}"))
        ro = manager(sim, kubeconfig=kc)
        ro.configmaps_list(None)
        e = expect_error(E.AUTH, ro.secrets_list, None)
        assert "Forbidden" in e.message and "secrets" in e.message
        # insecure-skip-tls-verify without a CA
        kc = write(os.path.join(d, "insecure.yaml"), kubeconfig_text(sim, "    token: alice-token").replace(
            f"    certificate-authority: {sim.ca}\n", "    insecure-skip-tls-verify: true\n"))
        manager(sim, kubeconfig=kc).configmaps_list(None)
        # no CA and no skip: the simulator's certificate is not trusted
        kc = write(os.path.join(d, "untrusted.yaml"), kubeconfig_text(sim, "    token: alice-token").replace(
            f"    certificate-authority: {sim.ca}\n", ""))
        e = expect_error(E.HOST_KEY, manager(sim, kubeconfig=kc).configmaps_list, None)
        # tls-server-name: the certificate names "kubernetes", the URL "localhost"
        url = sim.url.replace("127.0.0.1", "localhost")
        kc = write(os.path.join(d, "sni.yaml"), kubeconfig_text(sim, "    token: alice-token", server=url,
                                                                  extra_cluster="    tls-server-name: kubernetes\n"))
        manager(sim, kubeconfig=kc).configmaps_list(None)
        kc = write(os.path.join(d, "sni-bad.yaml"), kubeconfig_text(sim, "    token: alice-token",
                                                                      extra_cluster="    tls-server-name: wrong.example\n"))
        expect_error(E.HOST_KEY, manager(sim, kubeconfig=kc).configmaps_list, None)


def test_exec_plugin():
    with Simulator(tokens={"alice": "alice-token"}) as sim:
        d = sim.dir
        counter = os.path.join(d, "runs")
        script = write(os.path.join(d, "cred.py"), f"""#!/usr/bin/env python3
import json, os, sys
info = json.loads(os.environ["KUBERNETES_EXEC_INFO"])
assert info["apiVersion"] == "client.authentication.k8s.io/v1" and info["spec"]["interactive"] is False
with open({counter!r}, "a") as f:
    f.write(sys.argv[1] + " " + os.environ.get("EXTRA", "") + "\\n")
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {{"token": sys.argv[1], "expirationTimestamp": sys.argv[2]}}}}))
""", mode=0o700)
        future = "2099-01-01T00:00:00Z"
        user = f"""    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./cred.py
      args: [alice-token, "{future}"]
      env: [{{name: EXTRA, value: "x1"}}]
      interactiveMode: Never
"""
        kc = write(os.path.join(d, "exec.yaml"), kubeconfig_text(sim, user))
        km = manager(sim, kubeconfig=kc)
        for _ in range(3):
            km.configmaps_list(None)
        with open(counter) as f:
            runs = f.read().splitlines()
        assert runs == ["alice-token x1"], runs  # cached until it expires
        # an already expired credential is asked for again every time
        os.unlink(counter)
        kc = write(os.path.join(d, "exec-expired.yaml"),
                   kubeconfig_text(sim, user.replace(future, "2000-01-01T00:00:00Z")))
        km = manager(sim, kubeconfig=kc)
        km.configmaps_list(None)
        km.configmaps_list(None)
        with open(counter) as f:
            assert len(f.read().splitlines()) == 2
        # a plugin that fails, and one that is missing
        kc = write(os.path.join(d, "exec-fail.yaml"), kubeconfig_text(sim, user.replace("./cred.py", "/bin/false")))
        expect_error(E.AUTH, manager(sim, kubeconfig=kc).configmaps_list, None)
        kc = write(os.path.join(d, "exec-missing.yaml"), kubeconfig_text(sim, user.replace("./cred.py", "./nothere")))
        expect_error(E.AUTH, manager(sim, kubeconfig=kc).configmaps_list, None)
        # v1 requires interactiveMode
        kc = write(os.path.join(d, "exec-nomode.yaml"),
                   kubeconfig_text(sim, user.replace("      interactiveMode: Never\n", "")))
        expect_error(E.INVALID_ARGUMENT, manager(sim, kubeconfig=kc).configmaps_list, None)


def test_in_cluster():
    with Simulator(tokens={"alice": "alice-token"}) as sim:
        sa = os.path.join(sim.dir, "sa")
        os.mkdir(sa)
        write(os.path.join(sa, "token"), "nope")
        write(os.path.join(sa, "namespace"), "kube-system\n")
        with open(sim.ca) as f:
            write(os.path.join(sa, "ca.crt"), f.read())
        env = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": str(sim.port),
               "HERO_VIRT_K8S_SERVICE_ACCOUNT_DIR": sa, "KUBECONFIG": os.path.join(sim.dir, "none")}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            km = HeroVirt.KubernetesManager.new_full(None, None, None, fast_config())
            expect_error(E.AUTH, km.configmaps_list, None)
            time.sleep(0.02)
            write(os.path.join(sa, "token"), "alice-token")  # the token rotated
            made = km.configmap_create("from-inside", ["a=b"], None)
            assert HeroVirt.kube_resource_get_namespace(made) == "kube-system"
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def test_hostile_kubeconfigs(sim):
    d = sim.dir

    def fails(code, text, **kw):
        path = write(os.path.join(d, "hostile.yaml"), text)
        e = expect_error(code, manager(sim, kubeconfig=path, **kw).configmaps_list, None)
        assert "token" not in e.message.lower() or "tokenfile" in e.message.lower(), e.message
        return e

    expect_error(E.NOT_FOUND, manager(sim, kubeconfig=os.path.join(d, "absent")).configmaps_list, None)
    # huge
    with open(os.path.join(d, "huge.yaml"), "w") as f:
        f.write("a: '")
        f.write("x" * (17 * 1024 * 1024))
        f.write("'\n")
    expect_error(E.INVALID_ARGUMENT, manager(sim, kubeconfig=os.path.join(d, "huge.yaml")).configmaps_list, None)
    # deeply nested, flow and block style
    fails(E.PARSE, "a: " + "[" * 10000 + "]" * 10000 + "\n")
    fails(E.PARSE, "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n")
    # billion laughs
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(12):
        laughs += f"b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        prev = f"b{i}"
    fails(E.PARSE, laughs)
    fails(E.PARSE, "clusters: [unclosed\n")
    fails(E.PARSE, "- just\n- a list\n")
    fails(E.INVALID_ARGUMENT, "apiVersion: v1\nkind: Config\n")  # no current-context
    # plain http without opting in, and not a URL at all
    e = fails(E.INVALID_ARGUMENT, kubeconfig_text(sim, "    token: alice-token", server="http://127.0.0.1:1"))
    assert "http" in e.message
    fails(E.INVALID_ARGUMENT, kubeconfig_text(sim, "    token: alice-token", server="ftp://127.0.0.1:1"))
    fails(E.INVALID_ARGUMENT, kubeconfig_text(sim, "    token: alice-token", server="not a url"))
    # missing files it names
    fails(E.NOT_FOUND, kubeconfig_text(sim, "    token: a").replace(sim.ca, "/nonexistent/ca.crt"))
    fails(E.NOT_FOUND, kubeconfig_text(sim, "    client-certificate: nope.crt\n    client-key: nope.key"))
    fails(E.NOT_FOUND, kubeconfig_text(sim, "    tokenFile: /nonexistent/token"))
    fails(E.INVALID_ARGUMENT, kubeconfig_text(sim, "    client-certificate: admin.crt"))  # no key
    fails(E.INVALID_ARGUMENT, kubeconfig_text(sim, "    client-certificate-data: '!!!'\n    client-key-data: '!!!'"))
    # a context naming a cluster or user that does not exist
    fails(E.NOT_FOUND, kubeconfig_text(sim, "    token: a").replace("cluster: sim", "cluster: ghost"))
    fails(E.NOT_FOUND, kubeconfig_text(sim, "    token: a").replace("user: u\n", "user: ghost\n"))
    # an unsupported exec apiVersion
    fails(E.NOT_SUPPORTED, kubeconfig_text(sim, "    exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}"))
    # http with the opt-in is accepted (then fails to connect: nothing listens there)
    path = write(os.path.join(d, "http.yaml"), kubeconfig_text(sim, "    token: a", server="http://127.0.0.1:1"))
    cfg = fast_config().with_insecure_http(True).with_retries(0, 1, 1)
    expect_error(E.UNAVAILABLE, manager(sim, kubeconfig=path, config=cfg).configmaps_list, None)


# ---- retries and rate limits ---------------------------------------------------

def test_retries(sim):
    km = manager(sim)
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    km.configmap_create("retry-me", ["a=b"], None)
    # a POST that got a 500 is not sent again
    admin(sim, "DELETE", "/kube-sim/requests")
    admin(sim, "PUT", "/kube-sim/faults", {"fail500": 1, "methods": ["POST"]})
    expect_error(E.NETWORK, km.configmap_create, "once", ["a=b"], None)
    _, log = admin(sim, "GET", "/kube-sim/requests")
    posts = [r for r in log["requests"] if r["method"] == "POST"]
    assert len(posts) == 1 and posts[0]["status"] == 500, posts
    # a GET that got two 500s is retried and succeeds
    admin(sim, "DELETE", "/kube-sim/requests")
    admin(sim, "PUT", "/kube-sim/faults", {"fail500": 2, "methods": ["GET"]})
    km.configmap_get("retry-me", None)
    _, log = admin(sim, "GET", "/kube-sim/requests")
    gets = [r["status"] for r in log["requests"] if r["method"] == "GET" and r["path"].endswith("/retry-me")]
    assert gets == [500, 500, 200], gets
    # PUT and DELETE are retried too
    admin(sim, "PUT", "/kube-sim/faults", {"fail500": 1, "methods": ["PUT"]})
    obj = pyobj(km.get(cms, "retry-me", None))
    obj.pop("metadata").pop("resourceVersion", None)
    km.replace(cms, js({"metadata": {"name": "retry-me"}, "data": {"a": "c"}}), None)
    # 429 with Retry-After: honoured
    admin(sim, "PUT", "/kube-sim/faults", {"fail429": 1, "retryAfter": 1, "methods": ["GET"]})
    start = time.monotonic()
    km.configmap_get("retry-me", None)
    assert time.monotonic() - start >= 0.9
    # dropped connections: retried for GET
    admin(sim, "PUT", "/kube-sim/faults", {"failDrop": 1, "methods": ["GET"]})
    km.configmap_get("retry-me", None)
    # but a POST whose connection dropped is not sent again: it may have
    # been carried out (and on the next request the connection is new)
    admin(sim, "DELETE", "/kube-sim/requests")
    admin(sim, "PUT", "/kube-sim/faults", {"failDrop": 1, "methods": ["POST"]})
    expect_error(E.NETWORK, km.configmap_create, "dropped", ["a=b"], None)
    _, log = admin(sim, "GET", "/kube-sim/requests")
    posts = [r for r in log["requests"] if r["method"] == "POST"]
    assert len(posts) == 1, posts
    km.configmap_create("dropped", ["a=b"], None)
    km.configmap_delete("dropped", None)
    # retries run out: the error says so
    admin(sim, "PUT", "/kube-sim/faults", {"fail500": "100%", "methods": ["GET"]})
    expect_error(E.NETWORK, km.configmap_get, "retry-me", None)
    admin(sim, "PUT", "/kube-sim/faults", {"fail429": "100%", "fail500": 0, "retryAfter": 0, "methods": ["GET"]})
    expect_error(E.RATE_LIMITED, km.configmap_get, "retry-me", None)
    admin(sim, "PUT", "/kube-sim/faults", {"fail429": 0, "fail500": 0, "failDrop": 0, "methods": []})
    km.configmap_delete("retry-me", None)


def test_large_body(sim):
    # kube-apiserver (and the simulator) answers a body over its limit
    # (3 MiB) with 413 before reading it, then closes the connection
    km = manager(sim)
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    libsoup = os.environ.get("HERO_VIRT_K8S_LIBSOUP") == "1"
    big = "x" * (8 << 20)
    km.configmap_create("big", ["a=b"], None)
    admin(sim, "DELETE", "/kube-sim/requests")
    calls = [
        ("POST", km.create, (cms, js({"metadata": {"name": "too-big"}, "data": {"k": big}}), None)),
        ("PUT", km.replace, (cms, js({"metadata": {"name": "big"}, "data": {"k": big}}), None)),
        ("PATCH", km.apply, (cms, js({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                                      "data": {"k": big}}), True, None)),
    ]
    for method, func, args in calls:
        try:
            func(*args)
            raise AssertionError(f"{method} of a body over the limit succeeded")
        except GLib.Error as err:
            e = err
        if not libsoup:
            assert e.code == E.TOO_LARGE, (e.code, e.message)
            # the server's answer, as for any other failed status, and
            # the request is not sent again
            assert e.message == "Request entity too large: limit is 3145728 (RequestEntityTooLarge)", e.message
            _, log = admin(sim, "GET", "/kube-sim/requests")
            sent = [r["status"] for r in log["requests"] if r["method"] == method]
            assert sent == [413], (method, sent)
        else:
            # libsoup over HTTP/1.1 (the simulator speaks no HTTP/2; see
            # k8s-h2-test.py for HTTP/2) reads no answer before it has sent
            # the whole body: when the reset comes first, the broken pipe
            # is all it tells
            assert ((e.code == E.TOO_LARGE and "RequestEntityTooLarge" in e.message)
                    or (e.code == E.NETWORK and ("Broken pipe" in e.message or "reset" in e.message))), \
                (e.code, e.message)
    # the next requests go on new connections
    assert pyobj(km.configmap_get("big", None))["data"] == {"a": "b"}
    expect_error(E.NOT_FOUND, km.configmap_get, "too-big", None)
    # over the limit by less than Go's net/http reads past it: the body
    # is read and the same 413 comes after it, on both paths alike
    admin(sim, "PUT", "/kube-sim/faults", {"maxBody": 100000})
    try:
        e = expect_error(E.TOO_LARGE, km.create, cms,
                         js({"metadata": {"name": "too-big"}, "data": {"k": "x" * 200000}}), None)
        assert e.message == "Request entity too large: limit is 100000 (RequestEntityTooLarge)", e.message
    finally:
        admin(sim, "PUT", "/kube-sim/faults", {"maxBody": 3 << 20})
    km.configmap_delete("big", None)


def test_rate_limit(sim):
    cfg = HeroVirt.KubernetesConfig.new().with_rate_limit(20, 2)
    km = manager(sim, config=cfg)
    start = time.monotonic()
    for _ in range(12):
        km.configmap_get("kube-root-ca.crt", None)
    elapsed = time.monotonic() - start
    assert elapsed >= 0.4, elapsed  # 2 at once, then 20/s


def test_config_presets():
    d = HeroVirt.KubernetesConfig.new()
    assert (d.get_operation_timeout_ms(), d.get_max_retries(), d.get_retry_base_delay_ms(),
            d.get_retry_max_delay_ms(), d.get_rate_limit_rps(), d.get_rate_limit_burst()) == (30000, 3, 1000, 30000, 10, 20)
    ht = HeroVirt.KubernetesConfig.new_high_throughput()
    assert ht.get_rate_limit_rps() > d.get_rate_limit_rps() and ht.get_max_retries() > d.get_max_retries()
    ll = HeroVirt.KubernetesConfig.new_low_latency()
    assert ll.get_operation_timeout_ms() < d.get_operation_timeout_ms()
    dev = HeroVirt.KubernetesConfig.new_development()
    assert dev.get_operation_timeout_ms() > d.get_operation_timeout_ms()
    c = d.copy().with_timeout(5).with_retries(1, 2, 3).with_rate_limit(4, 5).with_insecure_http(True)
    assert (c.get_operation_timeout_ms(), c.get_max_retries(), c.get_rate_limit_burst(),
            c.get_allow_insecure_http()) == (5, 1, 5, True)
    assert d.get_operation_timeout_ms() == 30000


def test_timeout_and_cancel():
    """The per-call I/O timeout and a GCancellable end a request the server sits on."""
    with Simulator("--latency", "4000", tokens={"alice": "alice-token"}) as sim:
        cfg = HeroVirt.KubernetesConfig.new().with_retries(0, 1, 1).with_rate_limit(0, 1).with_timeout(1000)
        km = manager(sim, config=cfg)
        expect_error(E.TIMEOUT, km.configmap_get, "slow", None)
        km = manager(sim, config=HeroVirt.KubernetesConfig.new().with_retries(0, 1, 1).with_timeout(60000))
        cancellable = Gio.Cancellable()
        timer = threading.Timer(0.5, cancellable.cancel)
        timer.start()
        try:
            km.configmap_get("slow", cancellable)
            raise AssertionError("not cancelled")
        except GLib.Error as e:
            assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), (e.domain, e.message)
        finally:
            timer.cancel()


def main():
    require(binary(), "hero-virt-kube-sim")
    tap = Tap()
    tap.run("config presets", test_config_presets)
    with Simulator(tokens={"alice": "alice-token"}) as sim:
        tap.run("manager methods", test_manager_methods, sim)
        tap.run("namespaces", test_namespaces, sim)
        tap.run("delete(pattern)", test_delete_pattern, sim)
        tap.run("deploy_application and wait_for", test_deploy_application_and_wait, sim)
        tap.run("generic get/list/create/replace/patch/apply/delete", test_generic, sim)
        tap.run("discovery and CRDs", test_discovery_and_crds, sim)
        tap.run("apply of multi-document YAML", test_apply_yaml, sim)
        tap.run("lists follow continue", test_paging, sim)
        tap.run("watch", test_watch, sim)
        tap.run("async forms", test_async, sim)
        tap.run("kubeconfig merge", test_kubeconfig_merge, sim)
        tap.run("hostile kubeconfigs", test_hostile_kubeconfigs, sim)
        tap.run("retries only for idempotent verbs", test_retries, sim)
        tap.run("a body over the server's limit", test_large_body, sim)
        tap.run("rate limit", test_rate_limit, sim)
    tap.run("watch across 410 Gone", test_watch_gone)
    tap.run("each kind of credentials", test_auth_kinds)
    tap.run("exec credential plugin", test_exec_plugin)
    tap.run("in-cluster config", test_in_cluster)
    tap.run("timeout and cancellation", test_timeout_and_cancel)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
