#!/usr/bin/python3
# `hero-virt kube get|apply|delete|wait|counts|ns` against hero-virt-kube-sim:
# each subcommand, its --json output, exit codes (0 ok, 1 error, 2 usage)
# and bad input. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap  # noqa: E402

HERO_VIRT = os.path.join(os.environ["HERO_VIRT_BUILD_ROOT"], "tools", "hero-virt")

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {tier: conf}
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""


class Cli:
    def __init__(self, sim):
        self.sim = sim
        self.env = dict(os.environ)
        self.env["KUBECONFIG"] = sim.kubeconfig

    def run(self, *args, check=0, stdin=None, env=None):
        """Runs hero-virt kube ARGS and asserts the exit status."""
        e = dict(self.env)
        e.update(env or {})
        p = subprocess.run([HERO_VIRT, "kube", *args], capture_output=True, text=True, env=e,
                           input=stdin, timeout=120)
        if check is not None:
            assert p.returncode == check, \
                f"hero-virt kube {' '.join(args)}: exit {p.returncode}, wanted {check}\n" \
                f"stdout: {p.stdout}\nstderr: {p.stderr}"
        return p

    def json(self, *args, **kw):
        return json.loads(self.run(*args, "--json", **kw).stdout)

    def write(self, name, text):
        path = os.path.join(self.sim.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path


def table(text):
    """The rows of a table as lists of cells, header first."""
    return [line.split() for line in text.splitlines() if line.strip()]


def test_usage(c):
    p = c.run("--help")
    for word in ("get", "apply", "delete", "wait", "counts", "ns", "--namespace", "Exit status"):
        assert word in p.stdout, (word, p.stdout)
    assert "Usage" in c.run(check=2).stderr
    assert "unknown command 'frob'" in c.run("frob", check=2).stderr
    assert "missing argument" in c.run("get", check=2).stderr
    assert "Unknown option" in c.run("get", "pods", "--bogus", check=2).stderr
    assert "unknown option" in c.run("--bogus", "get", "pods", check=2).stderr
    assert "needs a value" in c.run("-n", check=2).stderr
    for cmd in (["get"], ["apply"], ["delete"], ["wait"], ["counts"], ["ns", "create"]):
        p = c.run(*cmd, "--help")
        assert "Usage:" in p.stdout and "--namespace" in p.stdout and "--json" in p.stdout, p.stdout
    assert "list" in c.run("ns", "--help").stdout
    assert "unknown command 'rename'" in c.run("ns", "rename", check=2).stderr
    # hero-virt --help lists the family
    p = subprocess.run([HERO_VIRT, "--help"], capture_output=True, text=True, env=c.env)
    assert "kube" in p.stdout


def test_ns(c):
    rows = table(c.run("ns", "list").stdout)
    assert rows[0] == ["NAME", "STATUS", "AGE"], rows
    assert ["default", "Active"] == rows[1][:2] or any(r[0] == "default" for r in rows[1:])
    names = [i["metadata"]["name"] for i in c.json("ns", "list")["items"]]
    assert "default" in names and "kube-system" in names

    assert c.run("ns", "create", "cli-ns").stdout.strip() == "namespace/cli-ns created"
    assert "unchanged" in c.run("ns", "create", "cli-ns").stdout
    assert c.json("ns", "create", "cli-ns") == {"name": "cli-ns", "created": False}
    assert c.run("ns", "exists", "cli-ns").stdout.strip() == "namespace/cli-ns exists"
    assert c.json("ns", "exists", "cli-ns") == {"name": "cli-ns", "exists": True}
    p = c.run("ns", "exists", "no-such-ns", check=1)
    assert "does not exist" in p.stdout and p.stderr == ""
    assert c.json("ns", "exists", "no-such-ns", check=1)["exists"] is False

    assert c.run("ns", "delete", "cli-ns", "--wait", "--timeout", "60s").stdout.strip() \
        == "namespace/cli-ns deleted"
    c.run("ns", "exists", "cli-ns", check=1)
    assert "not-found" in c.run("ns", "delete", "cli-ns", check=1).stderr
    c.run("ns", "delete", "cli-ns", "--ignore-not-found")

    # bad names are usage errors, before any request
    assert "invalid-argument" in c.run("ns", "create", "Bad_Name", check=2).stderr
    c.run("ns", "exists", "-x-", check=2)
    c.run("ns", "create", check=2)
    c.run("ns", "create", "a", "b", check=2)
    c.run("ns", "delete", "x", "--timeout", "soon", check=2)


def test_apply_get(c):
    c.run("ns", "create", "app")
    path = c.write("app.yaml", MANIFEST)
    p = c.run("apply", "-f", path, "-n", "app")
    assert p.stdout.splitlines() == ["configmap/settings serverside-applied",
                                     "deployment/web serverside-applied",
                                     "service/web serverside-applied"], p.stdout
    # again, from stdin, as JSON: the stored objects
    objs = c.json("apply", "-f", "-", "-n", "app", stdin=MANIFEST)
    assert [o["kind"] for o in objs] == ["ConfigMap", "Deployment", "Service"]
    assert all(o["metadata"]["namespace"] == "app" for o in objs)
    assert any(f["manager"] == "hero-virt" for f in objs[0]["metadata"]["managedFields"])

    c.run("wait", "deployment/web", "--for=condition=Available", "--timeout=60s", "-n", "app")

    rows = table(c.run("get", "pods", "-n", "app").stdout)
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], rows
    assert len(rows) == 3 and all(r[0].startswith("web-") for r in rows[1:]), rows
    rows = table(c.run("get", "deploy", "-n", "app").stdout)
    assert rows[0] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert rows[1][:4] == ["web", "2/2", "2", "2"], rows
    rows = table(c.run("get", "svc", "web", "-n", "app").stdout)
    assert rows[0] == ["NAME", "TYPE", "CLUSTER-IP", "PORT(S)", "AGE"]
    assert rows[1][0] == "web" and rows[1][1] == "ClusterIP" and rows[1][3] == "80/TCP", rows
    rows = table(c.run("get", "configmap/settings", "-n", "app").stdout)
    assert rows[1][:2] == ["settings", "1"], rows
    c.run("ns", "create", "app")
    assert c.run("-n", "app", "get", "secrets").stderr.startswith("No secrets")

    # JSON: the object, and the list
    obj = c.json("get", "cm", "settings", "-n", "app")
    assert obj["data"] == {"mode": "fast"} and obj["kind"] == "ConfigMap"
    lst = c.json("get", "pods", "-n", "app", "-l", "app=web")
    assert len(lst["items"]) == 2
    assert c.json("get", "configmaps", "-n", "app", "-l", "tier=conf")["items"][0]["metadata"][
        "name"] == "settings"
    assert c.json("get", "pods", "-n", "app", "-l", "app=nope")["items"] == []
    phases = c.json("get", "pods", "-n", "app", "--field-selector", "status.phase=Running")
    assert len(phases["items"]) == 2
    # options before the command, --namespace=, and kinds by other names
    assert c.json("--namespace=app", "get", "Deployment", "web")["spec"]["replicas"] == 2
    assert c.json("--json", "-n", "app", "get", "deployments.apps/web")["kind"] == "Deployment"
    # a cluster-scoped kind
    assert c.json("get", "ns", "app")["metadata"]["name"] == "app"
    # a kind through discovery, with --api-version
    assert c.json("get", "Endpoints", "--api-version", "v1", "-n", "app")["kind"] == "EndpointsList"

    # errors
    assert "not-found" in c.run("get", "cm", "nope", "-n", "app", check=1).stderr
    assert "Unknown kind" in c.run("get", "frobs", check=2).stderr
    assert "not-found" in c.run("get", "Widget", "--api-version", "example.com/v1", check=1).stderr
    c.run("get", "pods", "a", "b", check=2)
    c.run("get", "pods/web", "extra", check=2)
    c.run("get", "cm", "settings", "-l", "a=b", check=2)
    c.run("get", "pods", "-n", "Bad_NS", check=2)
    c.run("get", "pods", "-n", "no-such-ns")  # an empty list, as kubectl


def test_apply_errors(c):
    assert "give a manifest" in c.run("apply", check=2).stderr
    c.run("apply", "-f", os.path.join(c.sim.dir, "missing.yaml"), check=1)
    bad = c.write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
                              "data: [unclosed\n")
    p = c.run("apply", "-f", bad, check=1)
    assert "bad.yaml" in p.stderr and "[parse]" in p.stderr, p.stderr
    nokind = c.write("nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n")
    assert "needs apiVersion, kind" in c.run("apply", "-f", nokind, check=2).stderr
    badname = c.write("badname.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_X}\n")
    c.run("apply", "-f", badname, check=2)
    unknown = c.write("unknown.yaml", "apiVersion: example.com/v1\nkind: Widget\n"
                                      "metadata: {name: w}\n")
    assert "not-found" in c.run("apply", "-f", unknown, check=1).stderr
    # nothing of a failed multi-document manifest was applied before the bad document
    both = c.write("both.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n"
                                "---\napiVersion: v1\nmetadata: {name: second}\n")
    c.run("apply", "-f", both, check=2)
    c.run("get", "cm", "first", check=1)


def test_wait(c):
    c.run("ns", "create", "w")
    c.run("apply", "-n", "w", "-f", "-", stdin="""\
apiVersion: v1
kind: Pod
metadata: {name: solo}
spec:
  containers: [{name: c, image: "busybox:1.36"}]
""")
    assert c.run("wait", "pod/solo", "--for=condition=Ready", "-n", "w").stdout.strip() \
        == "pod/solo condition met"
    obj = c.json("wait", "pods", "solo", "--for=jsonpath={.status.phase}=Running", "-n", "w")
    assert obj["status"]["phase"] == "Running"
    c.run("apply", "-n", "w", "-f", "-", stdin=MANIFEST)
    c.run("wait", "deploy/web", "--for=rollout", "-n", "w", "--timeout", "2m")
    # a condition that never comes: an error once the time is up
    p = c.run("wait", "pod/solo", "--for=condition=Frobnicated", "--timeout=1s", "-n", "w",
              check=1)
    assert "timeout" in p.stderr, p.stderr
    c.run("delete", "pod", "solo", "-n", "w")
    assert c.run("wait", "pod/solo", "--for=delete", "-n", "w").stdout.strip() \
        == "pod/solo deleted"
    # an object that never appears: waited for, then a timeout
    assert "timeout" in c.run("wait", "pod/nope", "--for=condition=Ready", "--timeout=1s",
                              "-n", "w", check=1).stderr
    # usage
    assert "give --for" in c.run("wait", "pod/solo", check=2).stderr
    assert "invalid --for" in c.run("wait", "pod/solo", "--for=ready", check=2).stderr
    c.run("wait", "pod/solo", "--for=jsonpath=status.phase", check=2)
    c.run("wait", "pod/solo", "--for=condition=Ready", "--timeout", "1x", check=2)
    c.run("wait", "pod", check=2)
    c.run("wait", "pod/", "--for=delete", check=2)


def test_delete(c):
    c.run("ns", "create", "d")
    c.run("apply", "-n", "d", "-f", "-", stdin=MANIFEST)
    for i in range(3):
        c.run("apply", "-n", "d", "-f", "-", stdin=f"apiVersion: v1\nkind: ConfigMap\n"
                                                    f"metadata: {{name: temp-{i}}}\n")
    c.run("apply", "-n", "d", "-f", "-", stdin="apiVersion: v1\nkind: Secret\n"
                                                "metadata: {name: temp-secret}\n"
                                                "stringData: {k: v}\n")
    # by name, dry run first
    assert c.run("delete", "cm", "temp-0", "--dry-run", "-n", "d").stdout.strip() \
        == "configmaps/temp-0 would be deleted (dry run)"
    c.run("get", "cm", "temp-0", "-n", "d")
    assert c.run("delete", "configmap/temp-0", "-n", "d").stdout.strip() \
        == "configmaps/temp-0 deleted"
    c.run("get", "cm", "temp-0", "-n", "d", check=1)
    assert "not-found" in c.run("delete", "cm", "temp-0", "-n", "d", check=1).stderr
    c.run("delete", "cm", "temp-0", "-n", "d", "--ignore-not-found")
    assert c.run("delete", "cm", "temp-0", "--dry-run", "-n", "d", check=1).returncode == 1

    # by pattern: the dry run lists, deletes nothing
    out = c.json("delete", "--pattern", "^temp-", "--dry-run", "-n", "d")
    assert out == {"deleted": ["configmaps/temp-1", "configmaps/temp-2", "secrets/temp-secret"],
                   "dry_run": True}, out
    assert c.json("counts", "-n", "d")["configmaps"] == 4  # settings, temp-1, temp-2, root CA
    p = c.run("delete", "--pattern", "^temp-", "-n", "d")
    assert p.stdout.splitlines() == ["configmaps/temp-1 deleted", "configmaps/temp-2 deleted",
                                     "secrets/temp-secret deleted"], p.stdout
    assert "No pods" in c.run("delete", "--pattern", "^temp-", "-n", "d").stdout
    # an invalid pattern is a usage error before anything is deleted
    before = c.json("counts", "-n", "d")
    assert "Invalid pattern" in c.run("delete", "--pattern", "web(", "-n", "d", check=2).stderr
    assert c.json("counts", "-n", "d") == before

    # several names, --wait, --cascade
    c.run("apply", "-n", "d", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\n"
                                                "metadata: {name: a}\n---\n"
                                                "apiVersion: v1\nkind: ConfigMap\n"
                                                "metadata: {name: b}\n")
    out = c.json("delete", "cm", "a", "b", "--wait", "-n", "d")
    assert out == {"deleted": ["configmaps/a", "configmaps/b"], "dry_run": False}
    c.run("delete", "deploy", "web", "--cascade", "foreground", "--wait", "-n", "d")
    c.run("get", "deploy", "web", "-n", "d", check=1)

    # usage
    assert "--pattern" in c.run("delete", "web", check=2).stderr
    c.run("delete", check=2)
    c.run("delete", "--pattern", "x", "cm", "a", check=2)
    c.run("delete", "cm", "a", "--cascade", "sideways", check=2)
    c.run("delete", "cm", "Bad_Name", "-n", "d", check=2)


def test_counts(c):
    c.run("ns", "create", "cnt")
    rows = table(c.run("counts", "-n", "cnt").stdout)
    assert rows[0] == ["KIND", "COUNT"]
    assert [r[0] for r in rows[1:]] == ["pods", "services", "deployments", "configmaps",
                                        "secrets"]
    c.run("apply", "-n", "cnt", "-f", "-", stdin=MANIFEST)
    c.run("wait", "deploy/web", "--for=condition=Available", "-n", "cnt", "--timeout", "60s")
    counts = c.json("counts", "-n", "cnt")
    assert counts == {"pods": 2, "services": 1, "deployments": 1, "configmaps": 2,
                      "secrets": 0}, counts
    c.run("counts", "extra", check=2)


def test_contexts(c):
    # --kubeconfig alone, KUBECONFIG unset
    env = {"KUBECONFIG": "/nonexistent/kubeconfig"}
    c.run("ns", "exists", "default", "--kubeconfig", c.sim.kubeconfig, env=env)
    c.run("--kubeconfig", c.sim.kubeconfig, "ns", "exists", "default", env=env)
    # a context that is not there: a clear error
    p = c.run("ns", "list", "--context", "no-such-context", check=None)
    assert p.returncode in (1, 2) and "no-such-context" in p.stderr, p.stderr
    # the simulator's kubeconfig names its own context: choosing it works
    with open(c.sim.kubeconfig) as f:
        ctx = [line.split(":", 1)[1].strip() for line in f if line.startswith("current-context:")]
    c.run("ns", "exists", "default", "--context", ctx[0])
    # no cluster at all
    p = c.run("counts", env=env, check=1)
    assert "hero-virt: error" in p.stderr


def main():
    tap = Tap()
    with Simulator() as sim:
        c = Cli(sim)
        for name, func in [("usage and help", test_usage), ("ns", test_ns),
                           ("apply and get", test_apply_get), ("apply errors", test_apply_errors),
                           ("wait", test_wait), ("delete", test_delete), ("counts", test_counts),
                           ("--kubeconfig and --context", test_contexts)]:
            tap.run(name, func, c)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
