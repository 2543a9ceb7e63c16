#!/usr/bin/env python3
# hero-virt-kube-sim driven by python3-kubernetes: CoreV1Api, AppsV1Api,
# CustomObjectsApi and watch.Watch. Every answer is also fetched raw and
# compared with what the client's models kept, so a shape the client cannot
# read (or silently drops) fails the test.
# SPDX-License-Identifier: LGPL-2.1-or-later
import datetime
import json
import os
import sys
import threading
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from kubesim import Simulator, Tap, require, wait_for  # noqa: E402

try:
    import kubernetes
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
except ImportError:
    require("/nonexistent/python3-kubernetes", "python3-kubernetes")

warnings.simplefilter("error")  # a warning from the client is a failure
warnings.simplefilter("ignore", ResourceWarning)

# Fields newer than this client's models: a 1.32 server sends them, the
# client does not know them. Anything else it does not know is a bug here.
NEWER_THAN_CLIENT = {"hostIPs", "subresource", "started"}


def same_time(raw, value):
    parsed = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return parsed == value


def compare(raw, model, path="$"):
    """Every field of raw the model class declares must have come through."""
    if hasattr(model, "attribute_map") and hasattr(model, "openapi_types"):
        assert isinstance(raw, dict), f"{path}: expected an object, got {raw!r}"
        json_to_attr = {v: k for k, v in model.attribute_map.items()}
        for key, value in raw.items():
            attr = json_to_attr.get(key)
            if attr is None:
                assert key in NEWER_THAN_CLIENT, f"{path}.{key}: unknown to {type(model).__name__}"
                continue
            compare(value, getattr(model, attr), f"{path}.{key}")
        return
    if isinstance(model, datetime.datetime):
        assert same_time(raw, model), f"{path}: {raw!r} != {model!r}"
        return
    if isinstance(model, list):
        assert isinstance(raw, list) and len(raw) == len(model), f"{path}: {raw!r} vs {model!r}"
        for i, (r, m) in enumerate(zip(raw, model)):
            compare(r, m, f"{path}[{i}]")
        return
    if isinstance(model, dict):
        assert isinstance(raw, dict) and set(raw) == set(model), f"{path}: {raw!r} vs {model!r}"
        for key in raw:
            compare(raw[key], model[key], f"{path}.{key}")
        return
    assert raw == model, f"{path}: {raw!r} != {model!r}"


def checked(api_client, call, *args, **kwargs):
    """Calls twice: deserialized and raw; compares both."""
    model = call(*args, **kwargs)
    raw = call(*args, _preload_content=False, **kwargs)
    data = json.loads(raw.data)
    compare(data, model)
    return model


class _Raw:
    def __init__(self, data):
        self.data = data


def checked_once(api_client, call, response_type, *args, **kwargs):
    """For calls that change something: raw once, then deserialized from it."""
    raw = call(*args, _preload_content=False, **kwargs)
    data = raw.data
    model = api_client.deserialize(_Raw(data), response_type)
    compare(json.loads(data), model)
    return model


def setup(sim):
    cfg = client.Configuration()
    config.load_kube_config(config_file=sim.kubeconfig, client_configuration=cfg)
    return client.ApiClient(cfg)


def test_core(api):
    v1 = client.CoreV1Api(api)
    nss = checked(api, v1.list_namespace)
    assert {"default", "kube-system"} <= {n.metadata.name for n in nss.items}
    ns = client.V1Namespace(metadata=client.V1ObjectMeta(name="py"))
    created = v1.create_namespace(ns)
    assert created.status.phase == "Active"
    cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "py"}),
                            data={"a": "1"})
    made = checked_once(api, v1.create_namespaced_config_map, "V1ConfigMap", "py", cm)
    assert made.metadata.uid and made.metadata.resource_version and made.metadata.creation_timestamp
    got = checked(api, v1.read_namespaced_config_map, "cfg", "py")
    assert got.data == {"a": "1"}
    # generateName
    gen = v1.create_namespaced_config_map("py", client.V1ConfigMap(
        metadata=client.V1ObjectMeta(generate_name="gen-"), data={"x": "y"}))
    assert gen.metadata.name.startswith("gen-") and len(gen.metadata.name) == 9, gen.metadata.name
    # replace with a stale resourceVersion conflicts
    stale = got.metadata.resource_version
    got.data["b"] = "2"
    v1.replace_namespaced_config_map("cfg", "py", got)
    got.metadata.resource_version = stale
    try:
        v1.replace_namespaced_config_map("cfg", "py", got)
        raise AssertionError("a stale resourceVersion was accepted")
    except ApiException as e:
        assert e.status == 409 and json.loads(e.body)["reason"] == "Conflict", e.body
    # already exists
    try:
        v1.create_namespaced_config_map("py", cm)
        raise AssertionError("created twice")
    except ApiException as e:
        body = json.loads(e.body)
        assert e.status == 409 and body["reason"] == "AlreadyExists", body
        assert body["message"] == 'configmaps "cfg" already exists', body
    # invalid, with causes
    try:
        v1.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="UPPER")))
        raise AssertionError("invalid name accepted")
    except ApiException as e:
        body = json.loads(e.body)
        assert e.status == 422 and body["reason"] == "Invalid", body
        assert body["details"]["causes"][0]["field"] == "metadata.name", body
        assert body["message"].startswith('ConfigMap "UPPER" is invalid: metadata.name: Invalid value'), body
    # not found
    try:
        v1.read_namespaced_secret("missing", "py")
        raise AssertionError("found a missing secret")
    except ApiException as e:
        assert e.status == 404 and json.loads(e.body)["message"] == 'secrets "missing" not found'
    # secrets, stringData
    sec = v1.create_namespaced_secret("py", client.V1Secret(
        metadata=client.V1ObjectMeta(name="s"), string_data={"password": "pw"}))
    assert sec.data == {"password": "cHc="} and sec.type == "Opaque", sec.data
    checked(api, v1.list_namespaced_secret, "py")
    # services, service accounts, endpoints, events, nodes
    svc = v1.create_namespaced_service("py", client.V1Service(
        metadata=client.V1ObjectMeta(name="svc"),
        spec=client.V1ServiceSpec(selector={"app": "py"},
                                  ports=[client.V1ServicePort(port=8080, target_port=80)])))
    assert svc.spec.cluster_ip.startswith("10.96."), svc.spec.cluster_ip
    checked(api, v1.read_namespaced_service, "svc", "py")
    wait_for(lambda: v1.list_namespaced_service_account("py").items)
    checked(api, v1.list_namespaced_service_account, "py")
    checked(api, v1.list_namespaced_endpoints, "py")
    checked(api, v1.list_node)
    v1.create_namespaced_event("py", client.CoreV1Event(
        metadata=client.V1ObjectMeta(name="ev1"), reason="Tested", message="by the python client",
        involved_object=client.V1ObjectReference(kind="ConfigMap", name="cfg", namespace="py"),
        type="Normal"))
    checked(api, v1.list_namespaced_event, "py", field_selector="involvedObject.name=cfg")
    # label and field selectors, limit/continue
    for i in range(7):
        v1.create_namespaced_config_map("py", client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name=f"page-{i}", labels={"page": "yes"})))
    names, token = [], None
    while True:
        page = checked(api, v1.list_namespaced_config_map, "py", label_selector="page=yes", limit=3,
                       _continue=token)
        names += [c.metadata.name for c in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"page-{i}" for i in range(7)], names
    only = v1.list_namespaced_config_map("py", field_selector="metadata.name=page-3")
    assert [c.metadata.name for c in only.items] == ["page-3"]
    try:
        v1.list_namespaced_pod("py", field_selector="spec.bogus=1")
        raise AssertionError("unsupported field selector accepted")
    except ApiException as e:
        assert e.status == 400 and "field label not supported" in json.loads(e.body)["message"]
    # dryRun
    v1.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="dry")),
                                    dry_run="All")
    assert "dry" not in {c.metadata.name for c in v1.list_namespaced_config_map("py").items}
    # delete returns Status for config maps
    st = checked_once(api, v1.delete_namespaced_config_map, "V1Status", "page-0", "py")
    assert st.status == "Success", st


def test_pods(api):
    v1 = client.CoreV1Api(api)
    pod = client.V1Pod(metadata=client.V1ObjectMeta(name="p1", labels={"app": "py"}),
                       spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox:1.36")]))
    v1.create_namespaced_pod("py", pod)
    def ready():
        p = v1.read_namespaced_pod("p1", "py")
        return p.status.phase == "Running" and any(
            c.type == "Ready" and c.status == "True" for c in p.status.conditions or [])
    wait_for(ready, 20, 0.1)
    got = checked(api, v1.read_namespaced_pod, "p1", "py")
    assert got.status.pod_ip and got.spec.node_name == "kube-sim-node"
    assert got.status.container_statuses[0].ready is True
    checked(api, v1.list_pod_for_all_namespaces)
    log = v1.read_namespaced_pod_log("p1", "py")
    assert isinstance(log, str)
    gone = checked_once(api, v1.delete_namespaced_pod, "V1Pod", "p1", "py")
    assert gone.metadata.deletion_timestamp is not None
    wait_for(lambda: not v1.list_namespaced_pod("py").items, 20, 0.1)


def test_apps(api):
    apps = client.AppsV1Api(api)
    v1 = client.CoreV1Api(api)
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="d"),
        spec=client.V1DeploymentSpec(
            replicas=3,
            selector=client.V1LabelSelector(match_labels={"app": "d"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "d"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx:1.25")]))))
    apps.create_namespaced_deployment("py", dep)
    def available():
        d = apps.read_namespaced_deployment("d", "py")
        return d.status.available_replicas == 3 and d.status.observed_generation == d.metadata.generation
    wait_for(available, 30, 0.2)
    checked(api, apps.read_namespaced_deployment, "d", "py")
    checked(api, apps.read_namespaced_deployment_status, "d", "py")
    checked(api, apps.list_namespaced_replica_set, "py")
    checked(api, apps.list_deployment_for_all_namespaces)
    pods = checked(api, v1.list_namespaced_pod, "py", label_selector="app=d")
    assert len(pods.items) == 3
    # scale subresource
    scale = checked(api, apps.read_namespaced_deployment_scale, "d", "py")
    assert scale.spec.replicas == 3
    apps.patch_namespaced_deployment_scale("d", "py", {"spec": {"replicas": 1}})
    wait_for(lambda: len(v1.list_namespaced_pod("py", label_selector="app=d").items) == 1, 30, 0.2)
    # strategic merge through the client (its default for dicts)
    apps.patch_namespaced_deployment("d", "py", {"spec": {"template": {"metadata": {"labels": {"v": "2"}}}}})
    wait_for(lambda: apps.read_namespaced_deployment("d", "py").status.updated_replicas == 1
             and all(p.metadata.labels.get("v") == "2"
                     for p in v1.list_namespaced_pod("py", label_selector="app=d").items), 30, 0.2)
    # delete with foreground propagation removes replica sets and pods
    apps.delete_namespaced_deployment("d", "py", propagation_policy="Foreground")
    wait_for(lambda: not apps.list_namespaced_replica_set("py").items
             and not v1.list_namespaced_pod("py", label_selector="app=d").items, 30, 0.2)
    wait_for(lambda: not apps.list_namespaced_deployment("py").items, 30, 0.2)


def test_custom_objects(api):
    ext = client.ApiextensionsV1Api(api)
    crds = checked(api, ext.list_custom_resource_definition)
    assert {"ingressroutes.traefik.io", "middlewares.traefik.io", "tlsoptions.traefik.io"} <= \
        {c.metadata.name for c in crds.items}
    co = client.CustomObjectsApi(api)
    body = {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
            "metadata": {"name": "strip"}, "spec": {"stripPrefix": {"prefixes": ["/api"]}}}
    co.create_namespaced_custom_object("traefik.io", "v1alpha1", "py", "middlewares", body)
    route = {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute", "metadata": {"name": "r"},
             "spec": {"entryPoints": ["web"], "routes": [{"kind": "Rule", "match": "Host(`a.example`)",
                                                          "middlewares": [{"name": "strip"}],
                                                          "services": [{"name": "svc", "port": 8080}]}]}}
    co.create_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes", route)
    got = co.get_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes", "r")
    assert got["spec"]["routes"][0]["services"][0]["port"] == 8080
    lst = co.list_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes")
    assert lst["kind"] == "IngressRouteList" and lst["items"][0]["kind"] == "IngressRoute"
    co.patch_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes", "r",
                                      {"spec": {"entryPoints": ["websecure"]}})
    got = co.get_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes", "r")
    assert got["spec"]["entryPoints"] == ["websecure"]
    try:
        co.create_namespaced_custom_object("traefik.io", "v1alpha1", "py", "ingressroutes",
                                           {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
                                            "metadata": {"name": "bad"}, "spec": {"routes": [{}]}})
        raise AssertionError("schema not enforced")
    except ApiException as e:
        assert e.status == 422 and "spec.routes[0].match: Required value" in json.loads(e.body)["message"]
    # a CRD of our own becomes a served resource
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "subresources": {"status": {}},
                                  "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                      "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                                      "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}]}}
    made = ext.create_custom_resource_definition(crd)
    assert any(c.type == "Established" and c.status == "True" for c in made.status.conditions)
    checked(api, ext.read_custom_resource_definition, "widgets.example.com")
    co.create_namespaced_custom_object("example.com", "v1", "py", "widgets",
                                       {"apiVersion": "example.com/v1", "kind": "Widget",
                                        "metadata": {"name": "w"}, "spec": {"size": 3, "unknown": 1}})
    w = co.get_namespaced_custom_object("example.com", "v1", "py", "widgets", "w")
    assert w["spec"] == {"size": 3}, w  # pruned
    co.patch_namespaced_custom_object_status("example.com", "v1", "py", "widgets", "w",
                                             {"status": {"ready": True}})
    assert co.get_namespaced_custom_object("example.com", "v1", "py", "widgets", "w")["status"] == {"ready": True}
    co.delete_namespaced_custom_object("example.com", "v1", "py", "widgets", "w")
    ext.delete_custom_resource_definition("widgets.example.com")
    try:
        co.list_namespaced_custom_object("example.com", "v1", "py", "widgets")
        raise AssertionError("widgets still served")
    except ApiException as e:
        assert e.status == 404


def test_garbage_collection(api_client):
    """Owner references on ConfigMaps: background, orphan and foreground
    deletes of the owner, and an owner that never existed."""
    api = client.CoreV1Api(api_client)
    ns = "py-gc"
    api.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))

    def cm(name, owner=None):
        meta = client.V1ObjectMeta(name=name)
        if owner is not None:
            meta.owner_references = [client.V1OwnerReference(
                api_version="v1", kind="ConfigMap", name=owner.metadata.name,
                uid=owner.metadata.uid)]
        return api.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=meta,
                                                                        data={"k": "v"}))

    def gone(name):
        try:
            api.read_namespaced_config_map(name, ns)
        except ApiException as e:
            assert e.status == 404, e
            return True
        return False

    owner = cm("gc-owner")
    cm("gc-dep", owner)
    api.delete_namespaced_config_map("gc-owner", ns)
    wait_for(lambda: gone("gc-dep"))

    nobody = client.V1ConfigMap(metadata=client.V1ObjectMeta(
        name="nobody", uid="00000000-0000-0000-0000-000000000000"))
    cm("gc-dangling", nobody)
    wait_for(lambda: gone("gc-dangling"))

    owner = cm("gc-owner2")
    cm("gc-kept", owner)
    api.delete_namespaced_config_map("gc-owner2", ns, propagation_policy="Orphan")
    wait_for(lambda: not api.read_namespaced_config_map("gc-kept", ns).metadata.owner_references)
    assert not gone("gc-kept")

    owner = cm("gc-owner3")
    cm("gc-dep3", owner)
    api.delete_namespaced_config_map("gc-owner3", ns, propagation_policy="Foreground")
    wait_for(lambda: gone("gc-dep3") and gone("gc-owner3"))


def test_watch(api, sim):
    v1 = client.CoreV1Api(api)
    start = v1.list_namespaced_config_map("py").metadata.resource_version
    def writer():
        time.sleep(0.5)
        v1.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="w1")))
        v1.patch_namespaced_config_map("w1", "py", {"data": {"k": "v"}})
        v1.delete_namespaced_config_map("w1", "py")
    t = threading.Thread(target=writer)
    t.start()
    seen, bookmarks = [], 0
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_config_map, "py", resource_version=start,
                          allow_watch_bookmarks=True, timeout_seconds=10):
        if event["type"] == "BOOKMARK":
            bookmarks += 1
            continue
        obj = event["object"]
        assert isinstance(obj, client.V1ConfigMap), type(obj)
        compare(event["raw_object"], obj)
        seen.append((event["type"], obj.metadata.name))
        if event["type"] == "DELETED":
            w.stop()
    t.join()
    assert seen == [("ADDED", "w1"), ("MODIFIED", "w1"), ("DELETED", "w1")], seen
    # a watch from a resourceVersion replays what happened since, deletions included
    v1.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="gone")))
    since = v1.list_namespaced_config_map("py").metadata.resource_version
    v1.delete_namespaced_config_map("gone", "py")
    replay = []
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_config_map, "py", resource_version=since, timeout_seconds=5):
        replay.append((event["type"], event["object"].metadata.name))
        w.stop()
    assert replay == [("DELETED", "gone")], replay
    # timeoutSeconds ends the stream
    began = time.monotonic()
    events = list(watch.Watch().stream(v1.list_namespaced_secret, "py", timeout_seconds=2,
                                       resource_version=v1.list_namespaced_secret("py").metadata.resource_version))
    assert events == [] and time.monotonic() - began < 6
    # bookmarks arrive on a quiet watch
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_secret, "py", allow_watch_bookmarks=True, timeout_seconds=5,
                          resource_version=v1.list_namespaced_secret("py").metadata.resource_version):
        if event["type"] == "BOOKMARK":
            bookmarks += 1
            w.stop()
    assert bookmarks >= 1


def test_watch_gone():
    with Simulator("--watch-history", "20") as sim:
        api = setup(sim)
        v1 = client.CoreV1Api(api)
        old = v1.list_namespaced_config_map("default").metadata.resource_version
        for i in range(30):
            v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"c{i}")))
        try:
            for _ in watch.Watch().stream(v1.list_namespaced_config_map, "default", resource_version=old,
                                          timeout_seconds=5):
                pass
            raise AssertionError("no 410 for a compacted resourceVersion")
        except ApiException as e:
            assert e.status == 410, e


def main():
    tap = Tap()
    with Simulator() as sim:
        api = setup(sim)
        tap.run("CoreV1Api", test_core, api)
        tap.run("CoreV1Api pods", test_pods, api)
        tap.run("AppsV1Api", test_apps, api)
        tap.run("CustomObjectsApi and CRDs", test_custom_objects, api)
        tap.run("garbage collection of owned ConfigMaps", test_garbage_collection, api)
        tap.run("watch.Watch", test_watch, api, sim)
    tap.run("watch.Watch after compaction (410 Gone)", test_watch_gone)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
