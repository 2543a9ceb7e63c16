#!/usr/bin/env python3
# hero-virt-kube-sim driven by the real kubectl: version, get -o json, apply
# of a multi-document file, server-side apply, the three patch types,
# delete, get -w, wait, rollout status, explain, errors and auth.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kubesim import Simulator, Tap, require, wait_for  # noqa: E402

KUBECTL = require(os.environ.get("KUBECTL", "kubectl"), "kubectl")

APP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: test}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: web
spec:
  entryPoints: [web]
  routes:
  - kind: Rule
    match: Host(`web.example.com`)
    services:
    - {name: web, port: 80}
"""


class Kubectl:
    def __init__(self, sim):
        self.sim = sim
        self.cache = os.path.join(sim.dir, "kubectl-cache")

    def argv(self, *args, context=None, kubeconfig=None):
        argv = [KUBECTL, "--kubeconfig", kubeconfig or self.sim.kubeconfig, "--cache-dir", self.cache]
        if context:
            argv += ["--context", context]
        return argv + list(args)

    def run(self, *args, check=True, input=None, context=None, kubeconfig=None, timeout=60):
        p = subprocess.run(self.argv(*args, context=context, kubeconfig=kubeconfig), input=input,
                           capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return p

    def json(self, *args, **kw):
        return json.loads(self.run(*args, "-o", "json", **kw).stdout)


def test_version(k):
    out = k.run("version", "-o", "json").stdout
    server = json.loads(out)["serverVersion"]
    assert server["major"] == "1" and server["gitVersion"].startswith("v1."), server


def test_get_json(k):
    lst = k.json("get", "namespaces")
    assert lst["kind"] == "List", lst["kind"]
    names = {item["metadata"]["name"] for item in lst["items"]}
    assert {"default", "kube-system", "kube-public"} <= names, names
    for item in lst["items"]:
        assert item["kind"] == "Namespace" and item["apiVersion"] == "v1"
        assert item["status"]["phase"] == "Active"
        assert item["metadata"]["uid"] and item["metadata"]["resourceVersion"]
    svc = k.json("get", "service", "kubernetes", "-n", "default")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"


def test_apply_multi(k, path):
    out = k.run("apply", "-f", path).stdout
    for line in ("configmap/web-config created", "deployment.apps/web created",
                 "service/web created", "ingressroute.traefik.io/web created"):
        assert line in out, out
    out = k.run("apply", "-f", path).stdout
    assert "configmap/web-config unchanged" in out and "deployment.apps/web unchanged" in out, out
    svc = k.json("get", "service", "web")
    assert svc["spec"]["clusterIP"].startswith("10.96."), svc["spec"]
    assert svc["spec"]["ports"][0]["protocol"] == "TCP"
    ir = k.json("get", "ingressroute", "web")
    assert ir["spec"]["routes"][0]["match"] == "Host(`web.example.com`)"


def test_rollout_and_wait(k):
    out = k.run("rollout", "status", "deployment/web", "--timeout=60s").stdout
    assert 'deployment "web" successfully rolled out' in out, out
    k.run("wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=30s")
    k.run("wait", "--for=condition=Available", "deployment/web", "--timeout=30s")
    pods = k.json("get", "pods", "-l", "app=web")["items"]
    assert len(pods) == 2, len(pods)
    for pod in pods:
        assert pod["status"]["phase"] == "Running"
        refs = pod["metadata"]["ownerReferences"]
        assert refs[0]["kind"] == "ReplicaSet" and refs[0]["controller"] is True
    top = k.run("top", "pods", "-l", "app=web").stdout
    assert "CPU(cores)" in top and len(top.strip().splitlines()) == 3, top
    running = k.json("get", "pods", "--field-selector", "status.phase=Running", "-l", "app=web")
    assert len(running["items"]) == 2
    dep = k.json("get", "deployment", "web")
    st = dep["status"]
    assert st["replicas"] == st["readyReplicas"] == st["availableReplicas"] == st["updatedReplicas"] == 2, st
    assert st["observedGeneration"] == dep["metadata"]["generation"]
    ep = k.json("get", "endpoints", "web")
    assert len(ep["subsets"][0]["addresses"]) == 2, ep


def test_rollout_template_change(k):
    before = {rs["metadata"]["name"] for rs in k.json("get", "replicasets", "-l", "app=web")["items"]}
    k.run("set", "image", "deployment/web", "nginx=nginx:1.27")
    out = k.run("rollout", "status", "deployment/web", "--timeout=60s").stdout
    assert "successfully rolled out" in out, out
    rss = k.json("get", "replicasets", "-l", "app=web")["items"]
    new = [rs for rs in rss if rs["metadata"]["name"] not in before]
    assert len(new) == 1 and new[0]["spec"]["replicas"] == 2, [rs["metadata"]["name"] for rs in rss]
    assert new[0]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    old = [rs for rs in rss if rs["metadata"]["name"] in before]
    assert all(rs["spec"]["replicas"] == 0 for rs in old)
    def pods_updated():
        pods = k.json("get", "pods", "-l", "app=web")["items"]
        return len(pods) == 2 and all(p["spec"]["containers"][0]["image"] == "nginx:1.27" for p in pods)
    wait_for(pods_updated, 30, 0.3)
    hist = k.run("rollout", "history", "deployment/web").stdout
    assert "REVISION" in hist, hist
    k.run("rollout", "undo", "deployment/web")
    k.run("rollout", "status", "deployment/web", "--timeout=60s")
    dep = k.json("get", "deployment", "web")
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3", dep["metadata"]
    revisions = k.run("rollout", "history", "deployment/web").stdout.split()
    assert "2" in revisions and "3" in revisions and "1" not in revisions, revisions
    assert len(k.json("get", "replicasets", "-l", "app=web")["items"]) == 2


def test_server_side_apply(k, path):
    ssa = os.path.join(k.sim.dir, "ssa.yaml")
    with open(ssa, "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-config\ndata:\n  a: '1'\n  b: '2'\n")
    out = k.run("apply", "--server-side", "-f", ssa).stdout
    assert "configmap/ssa-config serverside-applied" in out, out
    cm = k.json("get", "configmap", "ssa-config", "--show-managed-fields")
    entries = cm["metadata"]["managedFields"]
    assert any(e["manager"] == "kubectl" and e["operation"] == "Apply" for e in entries), entries
    assert "f:a" in entries[0]["fieldsV1"]["f:data"]
    # dropping a field from the applied config removes it
    with open(ssa, "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-config\ndata:\n  a: '1'\n")
    k.run("apply", "--server-side", "-f", ssa)
    assert k.json("get", "configmap", "ssa-config")["data"] == {"a": "1"}
    # another manager owning the field conflicts unless forced
    k.run("patch", "configmap", "ssa-config", "--type", "merge", "-p", '{"data":{"a":"other"}}')
    p = k.run("apply", "--server-side", "-f", ssa, check=False)
    assert p.returncode != 0 and "conflict" in p.stderr.lower(), p.stderr
    k.run("apply", "--server-side", "--force-conflicts", "-f", ssa)
    assert k.json("get", "configmap", "ssa-config")["data"]["a"] == "1"
    # the client-side applied file moves to server-side apply ("kubectl set
    # image" owns the image now: force, as against a real server)
    out = k.run("apply", "--server-side", "--force-conflicts", "-f", path).stdout
    assert "deployment.apps/web serverside-applied" in out, out


def test_patches(k):
    k.run("patch", "configmap", "web-config", "--type", "merge", "-p", '{"data":{"merged":"yes"}}')
    k.run("patch", "configmap", "web-config", "--type", "json",
          "-p", '[{"op":"add","path":"/data/json","value":"yes"},{"op":"remove","path":"/data/greeting"}]')
    data = k.json("get", "configmap", "web-config")["data"]
    assert data == {"merged": "yes", "json": "yes"}, data
    # strategic merge: containers by name, env by name
    k.run("patch", "deployment", "web", "--type", "strategic", "-p",
          '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"EXTRA","value":"1"}]}]}}}}')
    c = k.json("get", "deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert len(c) == 1 and c[0]["image"] == "nginx:1.25", c
    assert {e["name"] for e in c[0]["env"]} == {"MODE", "EXTRA"}, c[0]["env"]
    assert c[0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}], c[0]["ports"]
    p = k.run("patch", "ingressroute", "web", "-p", '{"spec":{"entryPoints":["websecure"]}}', check=False)
    assert p.returncode != 0 and "application/merge-patch+json" in p.stderr, p.stderr
    k.run("patch", "ingressroute", "web", "--type", "merge", "-p", '{"spec":{"entryPoints":["websecure"]}}')
    assert k.json("get", "ingressroute", "web")["spec"]["entryPoints"] == ["websecure"]
    p = k.run("patch", "configmap", "web-config", "--type", "json",
              "-p", '[{"op":"test","path":"/data/merged","value":"no"}]', check=False)
    assert p.returncode != 0, p.stdout


def test_watch(k):
    argv = k.argv("get", "configmaps", "--watch", "--output-watch-events", "-o", "json",
                  "--request-timeout=20s")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        k.run("create", "configmap", "watched", "--from-literal=k=v") if False else \
            k.run("apply", "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\n")
        k.run("delete", "configmap", "watched")
        time.sleep(1)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    decoder = json.JSONDecoder()
    events, text = [], out.strip()
    while text:
        obj, end = decoder.raw_decode(text)
        events.append(obj)
        text = text[end:].strip()
    seen = [(e["type"], e["object"]["metadata"]["name"]) for e in events]
    assert ("ADDED", "watched") in seen and ("DELETED", "watched") in seen, (seen, err)


def test_delete(k):
    out = k.run("delete", "configmap", "web-config").stdout
    assert 'configmap "web-config" deleted' in out, out
    p = k.run("get", "configmap", "web-config", check=False)
    assert p.returncode == 1 and 'Error from server (NotFound): configmaps "web-config" not found' in p.stderr, p.stderr
    k.run("delete", "deployment", "web")
    wait_for(lambda: not k.json("get", "replicasets,pods", "-l", "app=web")["items"], 30, 0.3)


def test_namespace_lifecycle(k):
    k.run("create", "namespace", "scratch") if False else \
        k.run("apply", "-f", "-", input="apiVersion: v1\nkind: Namespace\nmetadata: {name: scratch}\n")
    k.run("apply", "-n", "scratch", "-f", "-",
          input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inside}\ndata: {a: b}\n")
    wait_for(lambda: k.run("get", "serviceaccount", "default", "-n", "scratch", check=False).returncode == 0)
    k.run("delete", "namespace", "scratch", "--wait=true", "--timeout=30s")
    p = k.run("get", "namespace", "scratch", check=False)
    assert p.returncode == 1 and "NotFound" in p.stderr, p.stderr


def test_explain(k):
    out = k.run("explain", "pod.spec.containers").stdout
    assert "KIND:       Pod" in out and "image\t<string>" in out, out
    out = k.run("explain", "deployment.spec.replicas").stdout
    assert "<integer>" in out, out
    out = k.run("explain", "ingressroute.spec.routes").stdout
    assert "match\t<string> -required-" in out, out


def test_errors(k):
    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n"
    p = k.run("apply", "-f", "-", input=bad, check=False)
    assert p.returncode != 0 and 'is invalid' in p.stderr and "RFC 1123" in p.stderr, p.stderr
    typo = ("apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: {name: typo}\n"
            "spec: {stripPrefix: {prefixs: [/x]}}\n")
    p = k.run("apply", "-f", "-", input=typo, check=False)
    assert p.returncode != 0 and 'strict decoding error: unknown field "spec.stripPrefix.prefixs"' in p.stderr, p.stderr
    p = k.run("apply", "--validate=warn", "-f", "-", input=typo)
    assert 'Warning: unknown field "spec.stripPrefix.prefixs"' in p.stderr, p.stderr
    # node ports as the API server checks them
    svc = ("apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\n"
           "spec: {{type: {type}, selector: {{app: np}}, ports: [{{port: 80, nodePort: {np}}}]}}\n")
    k.run("apply", "-f", "-", input=svc.format(name="np-a", type="NodePort", np=30765))
    k.run("apply", "-f", "-", input=svc.format(name="np-a", type="NodePort", np=30765))  # its own: fine
    for name, type_, np, text in (
            ("np-b", "NodePort", 30765, "spec.ports[0].nodePort: Invalid value: 30765: provided port is already allocated"),
            ("np-c", "NodePort", 80, "provided port is not in the valid range. The range of valid ports is 30000-32767"),
            ("np-d", "ClusterIP", 30766, "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")):
        p = k.run("apply", "-f", "-", input=svc.format(name=name, type=type_, np=np), check=False)
        assert p.returncode != 0 and text in p.stderr, p.stderr
    k.run("delete", "service", "np-a")
    k.run("apply", "-f", "-", input=svc.format(name="np-b", type="NodePort", np=30765))  # freed
    k.run("delete", "service", "np-b")
    p = k.run("get", "secrets", context="kube-sim-readonly", check=False)
    assert p.returncode != 0 and "Forbidden" in p.stderr and 'User "readonly" cannot list resource "secrets"' in p.stderr, p.stderr
    assert k.run("get", "configmaps", context="kube-sim-readonly").returncode == 0
    assert k.run("auth", "can-i", "list", "secrets").stdout.strip() == "yes"
    p = k.run("auth", "can-i", "list", "secrets", context="kube-sim-readonly", check=False)
    assert p.returncode == 1 and p.stdout.startswith("no"), p.stdout
    assert "readonly" in k.run("auth", "whoami", context="kube-sim-readonly").stdout
    assert k.run("get", "configmaps", context="kube-sim-alice").returncode == 0
    anon = os.path.join(k.sim.dir, "anonymous")
    with open(anon, "w") as f:
        f.write(f"apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {k.sim.url}\n"
                f"    certificate-authority: {k.sim.ca}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\n"
                "current-context: c\nusers:\n- name: u\n  user: {}\n")
    p = k.run("get", "configmaps", "--token=not-a-known-token", kubeconfig=anon, check=False)
    assert p.returncode != 0 and "Unauthorized" in p.stderr, p.stderr


def test_create_protobuf(k):
    # kubectl's typed clients send protobuf bodies
    k.run("create", "namespace", "made")
    k.run("create", "configmap", "cm1", "-n", "made", "--from-literal=a=1", "--from-literal=b=2")
    assert k.json("get", "configmap", "cm1", "-n", "made")["data"] == {"a": "1", "b": "2"}
    k.run("create", "secret", "generic", "s1", "-n", "made", "--from-literal=password=pw")
    assert k.json("get", "secret", "s1", "-n", "made")["data"] == {"password": "cHc="}
    k.run("create", "deployment", "d1", "-n", "made", "--image=nginx:1.25", "--replicas=2")
    k.run("rollout", "status", "deployment/d1", "-n", "made", "--timeout=60s")
    spec = k.json("get", "deployment", "d1", "-n", "made")["spec"]
    assert spec["replicas"] == 2 and spec["strategy"]["type"] == "RollingUpdate", spec
    k.run("create", "service", "clusterip", "svc1", "-n", "made", "--tcp=80:8080")
    ports = k.json("get", "service", "svc1", "-n", "made")["spec"]["ports"]
    assert ports[0]["port"] == 80 and ports[0]["targetPort"] == 8080, ports
    k.run("create", "serviceaccount", "robot", "-n", "made")
    k.run("run", "one", "-n", "made", "--image=busybox:1.36", "--restart=Never", "--", "sleep", "60")
    k.run("wait", "--for=condition=Ready", "pod/one", "-n", "made", "--timeout=30s")
    k.run("scale", "deployment/d1", "-n", "made", "--replicas=3")
    k.run("rollout", "status", "deployment/d1", "-n", "made", "--timeout=60s")
    assert len(k.json("get", "pods", "-n", "made", "-l", "app=d1")["items"]) == 3
    k.run("delete", "namespace", "made", "--timeout=60s")


def test_jobs_statefulsets_daemonsets(k):
    k.run("create", "job", "once", "--image=busybox:1.36", "--", "true")
    k.run("wait", "--for=condition=complete", "job/once", "--timeout=30s")
    job = k.json("get", "job", "once")
    assert job["status"]["succeeded"] == 1 and job["status"].get("completionTime"), job["status"]
    sets = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: busybox:1.36}]
"""
    k.run("apply", "-f", "-", input=sets)
    k.run("rollout", "status", "statefulset/db", "--timeout=60s")
    k.run("rollout", "status", "daemonset/agent", "--timeout=60s")
    names = sorted(p["metadata"]["name"] for p in k.json("get", "pods", "-l", "app=db")["items"])
    assert names == ["db-0", "db-1"], names
    k.run("set", "image", "statefulset/db", "db=postgres:17")
    k.run("rollout", "status", "statefulset/db", "--timeout=60s")
    def updated():
        pods = k.json("get", "pods", "-l", "app=db")["items"]
        return len(pods) == 2 and all(p["spec"]["containers"][0]["image"] == "postgres:17"
                                      and p["status"]["phase"] == "Running" for p in pods)
    wait_for(updated, 30, 0.3)
    k.run("delete", "statefulset/db", "daemonset/agent", "job/once")
    wait_for(lambda: not k.json("get", "pods", "-l", "app in (db,agent)")["items"], 30, 0.3)


def test_chunking(k):
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: chunk-{i:02d}, labels: {{set: chunk}}}}\n"
                   for i in range(23))
    k.run("apply", "-f", "-", input=docs)
    names = k.run("get", "configmaps", "-l", "set=chunk", "--chunk-size=5", "-o", "name").stdout.split()
    assert len(names) == 23 and names == sorted(names), names
    k.run("delete", "configmaps", "-l", "set=chunk")
    assert k.json("get", "configmaps", "-l", "set=chunk")["items"] == []


def main():
    tap = Tap()
    with Simulator() as sim:
        k = Kubectl(sim)
        app = os.path.join(sim.dir, "app.yaml")
        with open(app, "w") as f:
            f.write(APP)
        tap.run("kubectl version", test_version, k)
        tap.run("kubectl get -o json", test_get_json, k)
        tap.run("kubectl apply -f (multi-document)", test_apply_multi, k, app)
        tap.run("kubectl rollout status, wait, selectors", test_rollout_and_wait, k)
        tap.run("rollout on template change", test_rollout_template_change, k)
        tap.run("kubectl apply --server-side", test_server_side_apply, k, app)
        tap.run("kubectl patch (merge, json, strategic)", test_patches, k)
        tap.run("kubectl get -w", test_watch, k)
        tap.run("kubectl delete", test_delete, k)
        tap.run("namespace termination", test_namespace_lifecycle, k)
        tap.run("kubectl explain", test_explain, k)
        tap.run("errors and auth", test_errors, k)
        tap.run("limit/continue chunking", test_chunking, k)
        tap.run("kubectl create/run/scale (protobuf bodies)", test_create_protobuf, k)
        tap.run("jobs, statefulsets, daemonsets", test_jobs_statefulsets_daemonsets, k)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
