#!/usr/bin/env python3
# The k8s plugin against an API server that speaks HTTP/2, as kube-apiserver
# (Go's net/http) does: nghttpx, an HTTP/2 server from nghttp2, terminates
# TLS in front of hero-virt-kube-sim and offers h2 and http/1.1 by ALPN,
# with bearer-token auth passed through. Everything a client does goes
# through a server stack that is not the simulator's: REST on both HTTP
# paths (libsoup's on HTTP/2), watches and followed logs (on HTTP/1.1
# connections of their own: their bodies are read in other threads, which
# libsoup's HTTP/2 connections do not allow), exec and port-forward
# upgraded on HTTP/1.1, errors as Status objects, and kubectl and
# python3-kubernetes beside it. nghttpx's access log proves which protocol
# each request used. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap, require, binary, wait_for  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import Gio, GLib, HeroVirt, Json  # noqa: E402

E = HeroVirt.Error
LIBSOUP = os.environ.get("HERO_VIRT_K8S_LIBSOUP") == "1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Front:
    """nghttpx on 127.0.0.1 with the simulator's server certificate, its
    backend the simulator over TLS; stopped by its PID."""

    def __init__(self, sim, token):
        self.dir = tempfile.mkdtemp(prefix="k8s-h2-")
        self.access_log = os.path.join(self.dir, "access.log")
        self.port = free_port()
        argv = [require("nghttpx", "nghttpx (nghttp2-proxy)"), "--conf=/dev/null", "--single-process",
                "--workers=1", f"--frontend=127.0.0.1,{self.port}",
                f"--backend=127.0.0.1,{sim.port};;tls", "--insecure", "--no-ocsp",
                # the simulator's CA signed the server certificate for 127.0.0.1
                f"--accesslog-file={self.access_log}",
                "--accesslog-format=$alpn $method $path $status",
                "--frontend-read-timeout=1m", "--backend-read-timeout=1m",
                "--errorlog-file=" + os.path.join(self.dir, "error.log"),
                os.path.join(sim.dir, "server.key"), os.path.join(sim.dir, "server.crt")]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.listening)
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "Config",
                       "clusters": [{"name": "h2", "cluster": {
                           "server": f"https://127.0.0.1:{self.port}",
                           "certificate-authority": sim.ca}}],
                       "users": [{"name": "alice", "user": {"token": token}}],
                       "contexts": [{"name": "h2", "context": {"cluster": "h2", "user": "alice",
                                                               "namespace": "default"}}],
                       "current-context": "h2"}, f)

    def listening(self):
        assert self.proc.poll() is None, "nghttpx exited"
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def requests(self):
        """(alpn, method, path, status) for each request so far."""
        with open(self.access_log) as f:
            return [tuple(line.split(" ", 3)) for line in f.read().splitlines() if line]

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        subprocess.run(["rm", "-rf", "--", self.dir])


def js(obj):
    return Json.from_string(json.dumps(obj))


def pyobj(node):
    return json.loads(Json.to_string(node, False))


def names(list_node):
    return [HeroVirt.kube_resource_get_name(i) for i in HeroVirt.kube_list_get_items(list_node)]


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.domain == "hero-virt-error-quark" and e.code == code, \
            f"expected {code}, got {e.domain} {e.code}: {e.message}"
        return e
    raise AssertionError(f"expected error {code}, got success")


def manager(front, ns="default"):
    config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1).with_timeout(15000)
    return HeroVirt.KubernetesManager.new_full(ns, front.kubeconfig, None, config)


def test_rest(front, km):
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    km.namespace_create("h2", None)
    assert km.namespace_exists("h2", None)
    kh = manager(front, "h2")
    kh.configmap_create("one", ["a=1", "b=" + "x" * 200000], None)
    got = pyobj(kh.configmap_get("one", None))
    assert got["data"]["a"] == "1" and len(got["data"]["b"]) == 200000
    # a stale resourceVersion is a Conflict; patch and apply go through
    stale = dict(got, data={"a": "2"})
    stale["metadata"] = dict(got["metadata"], resourceVersion="1")
    expect_error(E.CONFLICT, kh.replace, cms, js(stale), None)
    kh.patch(cms, "one", HeroVirt.ClusterPatchType.MERGE, js({"data": {"c": "3"}}), None)
    kh.apply_yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata:\n  k: v\n"
                  "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  p: q\n",
                  False, None)
    assert names(kh.configmaps_list(None)) == ["kube-root-ca.crt", "one", "two"], names(kh.configmaps_list(None))
    # lists in pages follow continue tokens
    for i in range(30):
        kh.create(cms, js({"metadata": {"name": f"page-{i:02d}"}}), None)
    page = kh.list(cms, HeroVirt.ClusterListOptions.new().set_limit(7), None)
    assert len(HeroVirt.kube_list_get_items(page)) == 7 and pyobj(page)["metadata"]["continue"]
    assert len([n for n in names(kh.configmaps_list(None)) if n.startswith("page-")]) == 30
    # errors are the server's Status
    e = expect_error(E.NOT_FOUND, kh.configmap_get, "missing", None)
    assert "missing" in e.message, e.message
    expect_error(E.EXISTS, kh.configmap_create, "one", ["a=1"], None)
    deleted = kh.delete("^page-", True, None)
    assert len(deleted) == 30 and len([n for n in names(kh.configmaps_list(None)) if n.startswith("page-")]) == 30
    deleted = kh.delete("^page-", False, None)
    assert len(deleted) == 30
    assert not [n for n in names(kh.configmaps_list(None)) if n.startswith("page-")]
    km.namespace_delete("h2", None)


def test_watch(km):
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    rv = pyobj(km.list(cms, None, None))["metadata"]["resourceVersion"]
    opts = HeroVirt.ClusterListOptions.new().set_resource_version(rv).set_timeout_seconds(30)
    watch = km.watch(cms, opts, None)
    km.configmap_create("watched", ["a=b"], None)
    km.configmap_delete("watched", None)
    seen = []
    while len(seen) < 2:
        ev = watch.next(None)
        assert ev is not None
        if ev.get_event_type() == HeroVirt.ClusterWatchEventType.BOOKMARK:
            continue
        seen.append((ev.get_event_type(), HeroVirt.kube_resource_get_name(ev.get_object())))
    assert seen == [(HeroVirt.ClusterWatchEventType.ADDED, "watched"),
                    (HeroVirt.ClusterWatchEventType.DELETED, "watched")], seen
    watch.stop()
    assert watch.next(None) is None
    # a watch the server ends (timeoutSeconds) ends cleanly
    opts = HeroVirt.ClusterListOptions.new().set_resource_version(rv).set_timeout_seconds(1)
    watch = km.watch(cms, opts, None)
    while watch.next(None) is not None:
        pass
    # several watches at once share the HTTP/2 connection
    watches = [km.watch(cms, HeroVirt.ClusterListOptions.new().set_timeout_seconds(30), None) for _ in range(4)]
    km.configmap_create("watched-many", ["a=b"], None)
    for w in watches:
        while True:
            ev = w.next(None)
            assert ev is not None
            if HeroVirt.kube_resource_get_name(ev.get_object()) == "watched-many":
                break
        w.stop()
    km.configmap_delete("watched-many", None)
    # wait_for
    km.configmap_create("waited", ["a=b"], None)
    km.wait_for(cms, "waited", "{.data.a}=b", 10000, None)
    km.configmap_delete("waited", None)
    km.wait_for(cms, "waited", "deleted", 10000, None)


def running_pod(km, name, annotations=None):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": {"app": name}, "annotations": annotations or {}},
           "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}
    km.create(HeroVirt.ClusterKind.lookup("v1", "Pod"), js(pod), None)
    km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Pod"), name, "Ready", 20000, None)


def test_streams(km):
    running_pod(km, "box")
    running_pod(km, "ticker", {"kube-sim.hero-virt.dev/log-interval-ms": "50"})
    r = km.pod_exec("box", None, ["sh", "-c", "echo out; echo err >&2; exit 3"], None, None)
    assert (r.get_exit_status(), r.get_stdout_text(), r.get_stderr_text()) == (3, "out\n", "err\n")
    data = os.urandom(300000)
    r = km.pod_exec("box", None, ["cat"], GLib.Bytes.new(data), None)
    assert r.get_stdout().get_data() == data
    expect_error(E.NOT_FOUND, km.pod_exec, "nobox", None, ["true"], None, None)
    # following logs over an h2 stream, ended by a cancel
    stream = km.pod_logs_follow("ticker", None, -1, 0, False, False, None)
    lines = Gio.DataInputStream.new(stream)
    ticks = 0
    while ticks < 3:
        line, _ = lines.read_line_utf8(None)
        assert line is not None
        ticks += "tick" in line
    c = Gio.Cancellable()
    threading.Timer(0.2, c.cancel).start()
    try:
        while lines.read_line_utf8(c)[0] is not None:
            pass
        raise AssertionError("following ended by itself")
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e.message
    stream.close(None)
    assert km.pod_logs("ticker", None, 2, 0, False, False, None).count("\n") == 2
    # port-forward: a WebSocket per connection through the front
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def echo():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while chunk := conn.recv(65536):
                    conn.sendall(chunk)

    threading.Thread(target=echo, daemon=True).start()
    pf = km.port_forward("box", 0, server.getsockname()[1])
    try:
        payload = os.urandom(500000)
        with socket.create_connection(("127.0.0.1", pf.get_local_port()), timeout=20) as s:
            s.sendall(payload)
            got = b""
            while len(got) < len(payload):
                chunk = s.recv(65536)
                assert chunk, len(got)
                got += chunk
        assert got == payload
    finally:
        pf.stop()
        server.close()


def kubectl(front, *args, input=None):
    return subprocess.run(["kubectl", "--kubeconfig", front.kubeconfig, *args], input=input,
                          capture_output=True, text=True, timeout=60)


def test_other_clients(front):
    """kubectl and python3-kubernetes through the same front, to show it is a
    fair stand-in: they do what they do against kube-apiserver."""
    require("kubectl", "kubectl")
    r = kubectl(front, "get", "pods", "-o", "json")
    assert r.returncode == 0, r.stderr
    assert {"box", "ticker"} <= {p["metadata"]["name"] for p in json.loads(r.stdout)["items"]}
    r = kubectl(front, "exec", "box", "--", "echo", "through", "h2")
    assert r.returncode == 0 and r.stdout == "through h2\n", (r.stdout, r.stderr)
    r = kubectl(front, "apply", "--server-side", "-f", "-",
                input="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: by-kubectl\ndata:\n  k: v\n")
    assert r.returncode == 0, r.stderr
    code = ("import kubernetes, sys\n"
            "kubernetes.config.load_kube_config(sys.argv[1])\n"
            "v1 = kubernetes.client.CoreV1Api()\n"
            "print(v1.read_namespaced_config_map('by-kubectl', 'default').data['k'])\n")
    r = subprocess.run(["/usr/bin/python3", "-c", code, front.kubeconfig], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and r.stdout == "v\n", (r.stdout, r.stderr)


def test_large_body(front, km):
    """A body over the API server's limit: its 413 Status on both paths
    (libsoup's REST requests over HTTP/2), not a broken pipe, although
    the simulator answers it before reading it and closes."""
    cms = HeroVirt.ClusterKind.lookup("v1", "ConfigMap")
    e = expect_error(E.TOO_LARGE, km.create, cms,
                     js({"metadata": {"name": "too-big"}, "data": {"k": "x" * (8 << 20)}}), None)
    assert e.message == "Request entity too large: limit is 3145728 (RequestEntityTooLarge)", e.message
    expect_error(E.NOT_FOUND, km.configmap_get, "too-big", None)


def test_protocols(front):
    """What went over which protocol: the watches, followed logs and
    WebSocket upgrades over HTTP/1.1, and the REST calls over HTTP/2 on
    libsoup or HTTP/1.1 keep-alive on the plugin's own client."""
    reqs = front.requests()
    assert reqs, "no requests logged"

    def alpns(pred):
        return {alpn for alpn, method, path, status in reqs if pred(method, path)}

    assert alpns(lambda m, p: "watch=true" in p) == {"http/1.1"}, alpns(lambda m, p: "watch=true" in p)
    assert alpns(lambda m, p: "/log?" in p and "follow=true" in p) == {"http/1.1"}
    assert alpns(lambda m, p: "/exec?" in p or "/portforward" in p) == {"http/1.1"}
    rest = alpns(lambda m, p: "/configmaps" in p and "watch=true" not in p)
    # kubectl and the python client add h2 and http/1.1 of their own
    mine = {alpn for alpn, method, path, status in reqs if path.startswith("/api/v1/namespaces/h2/")}
    assert mine == ({"h2"} if LIBSOUP else {"http/1.1"}), mine
    assert rest, reqs
    bad = [r for r in reqs if r[3].startswith("5")]
    assert not bad, bad


def main():
    require(binary(), "hero-virt-kube-sim")
    require("nghttpx", "nghttpx (nghttp2-proxy)")
    tap = Tap()
    with Simulator() as sim:
        front = Front(sim, sim.tokens["alice"])
        try:
            km = manager(front)
            tap.run("REST through an HTTP/2 server: CRUD, conflict, patch, apply, pages, Status errors, "
                    "delete(pattern)", test_rest, front, km)
            tap.run("watches: events, stop and watch again, server timeout, four at once, wait_for", test_watch, km)
            tap.run("exec, followed logs, port-forward through the front", test_streams, km)
            tap.run("kubectl and python3-kubernetes through the same front", test_other_clients, front)
            tap.run("a body over the server's limit: its 413", test_large_body, front, km)
            tap.run("each request's protocol, and no 5xx", test_protocols, front)
        finally:
            front.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
