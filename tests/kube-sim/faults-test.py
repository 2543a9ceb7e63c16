#!/usr/bin/env python3
# hero-virt-kube-sim over raw HTTPS: authentication (client certificate,
# tokens, the read-only token, anonymous), health endpoints, the fault knobs
# (429 with Retry-After, 500, dropped connections, latency, body size limit)
# and a clean stop on SIGTERM.
# SPDX-License-Identifier: LGPL-2.1-or-later
import http.client
import json
import os
import signal
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kubesim import Simulator, Tap  # noqa: E402


def connect(sim, cert=True):
    ctx = ssl.create_default_context(cafile=sim.ca)
    if cert:
        ctx.load_cert_chain(sim.cert, sim.key)
    return http.client.HTTPSConnection("127.0.0.1", sim.port, context=ctx, timeout=10)


def request(sim, method, path, body=None, token=None, cert=None, headers=None):
    conn = connect(sim, cert=cert if cert is not None else token is None)
    h = {"Accept": "application/json"}
    if body is not None:
        h["Content-Type"] = "application/json"
    if token:
        h["Authorization"] = f"Bearer {token}"
    h.update(headers or {})
    conn.request(method, path, body=json.dumps(body) if isinstance(body, dict) else body, headers=h)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    try:
        payload = json.loads(data)
    except ValueError:
        payload = data.decode()
    return resp.status, dict(resp.getheaders()), payload


def cm(name):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


def test_auth(sim):
    status, _, body = request(sim, "GET", "/api/v1/namespaces/default/configmaps", cert=False)
    assert status == 401 and body == {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                      "status": "Failure", "message": "Unauthorized",
                                      "reason": "Unauthorized", "code": 401}, body
    status, _, body = request(sim, "GET", "/api/v1/namespaces", token="wrong")
    assert status == 401, body
    status, _, body = request(sim, "GET", "/api/v1/namespaces")
    assert status == 200 and body["kind"] == "NamespaceList"
    status, _, body = request(sim, "GET", "/api/v1/namespaces", token="alice-token")
    assert status == 200
    for path in ("/healthz", "/readyz", "/livez"):
        status, _, body = request(sim, "GET", path, cert=False)
        assert status == 200 and body == "ok", (path, body)
    status, _, body = request(sim, "GET", "/version", cert=False)
    assert status == 200 and body["major"] == "1"


def test_readonly(sim):
    status, _, body = request(sim, "GET", "/api/v1/namespaces/default/secrets", token=sim.readonly_token)
    assert status == 403 and body["reason"] == "Forbidden", body
    assert body["message"] == ('secrets is forbidden: User "readonly" cannot list resource "secrets" '
                               'in API group "" in the namespace "default"'), body
    status, _, body = request(sim, "POST", "/api/v1/namespaces/default/secrets",
                              {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}},
                              token=sim.readonly_token)
    assert status == 403, body
    status, _, body = request(sim, "GET", "/api/v1/namespaces/default/configmaps", token=sim.readonly_token)
    assert status == 200, body


def test_errors(sim):
    status, _, body = request(sim, "GET", "/api/v1/namespaces/default/configmaps/nope")
    assert status == 404 and body["details"] == {"name": "nope", "kind": "configmaps"}, body
    status, _, body = request(sim, "POST", "/api/v1/namespaces/missing/configmaps", cm("a"))
    assert status == 404 and body["message"] == 'namespaces "missing" not found', body
    status, _, body = request(sim, "PATCH", "/api/v1/namespaces/default/configmaps/a",
                              {"data": {}}, headers={"Content-Type": "application/apply-patch+yaml"})
    assert status == 422 and "fieldManager: Required value" in body["message"], body
    status, _, body = request(sim, "GET", "/api/v1/namespaces/default/pods?fieldSelector=spec.bogus%3D1")
    assert status == 400 and body["message"] == "field label not supported: spec.bogus", body
    status, _, body = request(sim, "PATCH", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt",
                              "{}", headers={"Content-Type": "text/plain"})
    assert status == 415 and body["reason"] == "UnsupportedMediaType", body


def test_faults_500():
    with Simulator("--fail-500", "2", "--fault-methods", "POST") as sim:
        for i in range(2):
            status, _, body = request(sim, "POST", "/api/v1/namespaces/default/configmaps", cm(f"f{i}"))
            assert status == 500 and body["reason"] == "InternalError", body
        status, _, _ = request(sim, "GET", "/api/v1/namespaces/default/configmaps")
        assert status == 200
        status, _, body = request(sim, "POST", "/api/v1/namespaces/default/configmaps", cm("ok"))
        assert status == 201, body
        # the failed POSTs did not happen
        _, _, body = request(sim, "GET", "/api/v1/namespaces/default/configmaps")
        assert {i["metadata"]["name"] for i in body["items"]} == {"ok", "kube-root-ca.crt"}, body


def test_faults_429():
    with Simulator("--fail-429", "1", "--retry-after", "3") as sim:
        status, headers, body = request(sim, "GET", "/api/v1/namespaces")
        assert status == 429 and headers.get("Retry-After") == "3", headers
        assert body["reason"] == "TooManyRequests" and body["details"]["retryAfterSeconds"] == 3, body
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 200


def test_faults_drop():
    with Simulator("--fail-drop", "1") as sim:
        try:
            request(sim, "GET", "/api/v1/namespaces")
            raise AssertionError("the connection was not dropped")
        except (http.client.RemoteDisconnected, ConnectionResetError, ssl.SSLError):
            pass
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 200
    with Simulator("--fail-500", "100%") as sim:
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 500
        assert request(sim, "GET", "/healthz", cert=False)[0] == 200


def test_latency_and_body():
    with Simulator("--latency", "300", "--max-body", "2000") as sim:
        start = time.monotonic()
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 200
        assert time.monotonic() - start >= 0.3
        big = cm("big")
        big["data"]["k"] = "x" * 3000
        status, _, body = request(sim, "POST", "/api/v1/namespaces/default/configmaps", big)
        assert status == 413 and body["reason"] == "RequestEntityTooLarge", body


def test_early_413():
    # a body over the limit by more than the 256 KiB Go's net/http would
    # read past it: the 413 comes at the head, before any of the body is
    # sent, and the connection is closed (as kube-apiserver does)
    with Simulator("--max-body", "2000") as sim:
        ctx = ssl.create_default_context(cafile=sim.ca)
        ctx.load_cert_chain(sim.cert, sim.key)
        with socket.create_connection(("127.0.0.1", sim.port), timeout=30) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                s.sendall(b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 4000000\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413 "), head
        assert b"\r\nConnection: close" in head, head
        status = json.loads(body)
        assert status["reason"] == "RequestEntityTooLarge" and status["code"] == 413, status
        assert status["message"] == "Request entity too large: limit is 2000", status
        _, _, log = request(sim, "GET", "/kube-sim/requests")
        assert [(r["method"], r["status"]) for r in log["requests"]][:1] == [("POST", 413)], log


def test_admin_endpoints():
    with Simulator() as sim:
        assert request(sim, "DELETE", "/kube-sim/requests")[0] == 204
        status, _, body = request(sim, "PUT", "/kube-sim/faults", {"fail500": 1, "methods": ["POST"]})
        assert status == 200 and body["count500"] == 1 and body["methods"] == ["POST"], body
        assert request(sim, "POST", "/api/v1/namespaces/default/configmaps", cm("x"))[0] == 500
        assert request(sim, "POST", "/api/v1/namespaces/default/configmaps", cm("x"))[0] == 201
        assert request(sim, "GET", "/api/v1/namespaces/default/configmaps/x")[0] == 200
        status, _, body = request(sim, "GET", "/kube-sim/requests")
        seen = [(r["method"], r["status"], r.get("fault")) for r in body["requests"]]
        assert seen == [("POST", 500, "500"), ("POST", 201, None), ("GET", 200, None)], seen
        assert body["requests"][0]["path"] == "/api/v1/namespaces/default/configmaps"
        status, _, body = request(sim, "PUT", "/kube-sim/faults", {"latency": 200, "fail429": "100%", "methods": []})
        assert body["latency"] == 200 and body["rate429"] == 1.0
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 429
        request(sim, "PUT", "/kube-sim/faults", {"latency": 0, "fail429": 0})
        assert request(sim, "GET", "/api/v1/namespaces")[0] == 200
        assert request(sim, "GET", "/kube-sim/requests", cert=False)[0] == 401


def test_basic_auth():
    import base64
    with Simulator("--basic-auth", "bob=secret") as sim:
        good = "Basic " + base64.b64encode(b"bob:secret").decode()
        bad = "Basic " + base64.b64encode(b"bob:wrong").decode()
        status, _, body = request(sim, "GET", "/apis/authentication.k8s.io/v1", cert=False,
                                  headers={"Authorization": good})
        assert status == 200, body
        assert request(sim, "GET", "/api/v1/namespaces", cert=False, headers={"Authorization": bad})[0] == 401
        with open(sim.kubeconfig) as f:
            assert "username: bob" in f.read()


def test_client_cert_and_token_rotation():
    with Simulator("--client-cert", "carol:devs,ops") as sim:
        ctx = ssl.create_default_context(cafile=sim.ca)
        ctx.load_cert_chain(os.path.join(sim.dir, "carol.crt"), os.path.join(sim.dir, "carol.key"))
        conn = http.client.HTTPSConnection("127.0.0.1", sim.port, context=ctx, timeout=10)
        conn.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                     body=json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}),
                     headers={"Content-Type": "application/json"})
        info = json.loads(conn.getresponse().read())["status"]["userInfo"]
        conn.close()
        assert info["username"] == "carol" and {"devs", "ops"} <= set(info["groups"]), info
        assert request(sim, "POST", "/kube-sim/tokens", {"user": "rot", "token": "t1"})[0] == 204
        assert request(sim, "GET", "/api/v1/namespaces", token="t1")[0] == 200
        assert request(sim, "POST", "/kube-sim/tokens", {"user": "rot", "token": "t2"})[0] == 204
        assert request(sim, "DELETE", "/kube-sim/tokens", {"token": "t1"})[0] == 204
        assert request(sim, "GET", "/api/v1/namespaces", token="t1")[0] == 401
        assert request(sim, "GET", "/api/v1/namespaces", token="t2")[0] == 200


def test_sigterm():
    sim = Simulator()
    try:
        os.kill(sim.proc.pid, signal.SIGTERM)
        assert sim.proc.wait(10) == 0
    finally:
        sim.stop()


def main():
    tap = Tap()
    with Simulator() as sim:
        tap.run("authentication", test_auth, sim)
        tap.run("read-only token", test_readonly, sim)
        tap.run("Status errors", test_errors, sim)
    tap.run("--fail-500 for POST", test_faults_500)
    tap.run("--fail-429 with Retry-After", test_faults_429)
    tap.run("--fail-drop and rates", test_faults_drop)
    tap.run("--latency and --max-body", test_latency_and_body)
    tap.run("--max-body: 413 before the body", test_early_413)
    tap.run("/kube-sim/requests and /kube-sim/faults", test_admin_endpoints)
    tap.run("--basic-auth", test_basic_auth)
    tap.run("--client-cert and token rotation", test_client_cert_and_token_rotation)
    tap.run("SIGTERM stops cleanly", test_sigterm)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
