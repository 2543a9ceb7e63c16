#!/usr/bin/env python3
# hero-virt-kube-sim's streaming subresources driven by real clients:
# kubectl logs [-f], kubectl exec [-i] (WebSocket v5.channel.k8s.io),
# kubectl port-forward (SPDY/3.1 tunneled in WebSocket, and raw SPDY/3.1),
# python3-kubernetes stream() exec and portforward (v4.channel.k8s.io).
# The fake node agent runs exec'd commands on the host and forwards ports to
# 127.0.0.1, so the pod port here is an HTTP server this test runs.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import hashlib
import http.client
import http.server
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from kubesim import Simulator, Tap, require, wait_for  # noqa: E402

KUBECTL = require(os.environ.get("KUBECTL", "kubectl"), "kubectl")
require("sh", "a POSIX shell")

try:
    from kubernetes import client, config
    from kubernetes.client.rest import ApiException
    from kubernetes.stream import portforward, stream
except ImportError:
    require("/nonexistent/python3-kubernetes", "python3-kubernetes")

BLOB = os.urandom(3 * 1024 * 1024 + 17)

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  annotations:
    kube-sim.hero-virt.dev/log: "first line\\nsecond line\\nthird line"
    kube-sim.hero-virt.dev/log-interval-ms: "{interval}"
spec:
  containers:
  - name: main
    image: busybox
"""

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = BLOB if self.path == "/blob" else f"hello {self.path}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        body = hashlib.sha256(data).hexdigest().encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kubectl:
    def __init__(self, sim):
        self.sim = sim
        self.cache = os.path.join(sim.dir, "kubectl-cache")
        self.env = dict(os.environ, HOME=sim.dir)
        self.extra_env = {}

    def argv(self, *args):
        return [KUBECTL, "--kubeconfig", self.sim.kubeconfig, "--cache-dir", self.cache, *args]

    def run(self, *args, check=True, input=None, timeout=60):
        p = subprocess.run(self.argv(*args), input=input, capture_output=True, timeout=timeout,
                           env=dict(self.env, **self.extra_env))
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}): "
                                 f"{p.stderr.decode()}")
        return p

    def popen(self, *args, env=None):
        return subprocess.Popen(self.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=dict(self.env, **(env or {})))


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def open_fds(sim):
    """The simulator's file descriptors, less its client connections:
    libsoup 3.2 keeps a keep-alive connection the client closed (CLOSE-WAIT)
    until the server exits, whatever the request was."""
    api_sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == sim.port:
                    api_sockets.add(f"socket:[{fields[9]}]")
    fds = f"/proc/{sim.proc.pid}/fd"
    count = 0
    for fd in os.listdir(fds):
        try:
            if os.readlink(os.path.join(fds, fd)) not in api_sockets:
                count += 1
        except FileNotFoundError:
            pass
    return count


def process_gone(pid):
    """Ended: no such process, or a zombie nobody reaped yet (its parent,
    the simulator, may be gone and PID 1 slow to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def start_pod(k, name, interval=0):
    k.run("apply", "-f", "-", input=POD.format(name=name, interval=interval).encode())
    k.run("wait", "--for=condition=Ready", f"pod/{name}", "--timeout=30s")


def logs(k):
    out = k.run("logs", "web").stdout.decode()
    assert out.splitlines() == ["kube-sim: pod default/web started (fake node agent)",
                                "first line", "second line", "third line"], out
    assert k.run("logs", "web", "--tail=2").stdout.decode() == "second line\nthird line\n"
    stamped = k.run("logs", "web", "--tail=1", "--timestamps").stdout.decode()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z third line\n", stamped), stamped
    assert k.run("logs", "web", "--limit-bytes=5").stdout.decode() == "kube-"
    assert k.run("logs", "web", "--since=1h").stdout.decode() == out
    assert k.run("logs", "web", "--since-time=2000-01-01T00:00:00Z").stdout.decode() == out
    assert k.run("logs", "web", "-c", "main").stdout.decode() == out
    bad = k.run("logs", "web", "-c", "nope", check=False)
    assert bad.returncode != 0 and b"container nope is not valid for pod web" in bad.stderr, bad
    prev = k.run("logs", "web", "--previous", check=False)
    assert prev.returncode != 0 and b"previous terminated container" in prev.stderr, prev


def logs_follow_ends_with_container(k):
    start_pod(k, "ticker", interval=50)
    p = k.popen("logs", "-f", "ticker")
    try:
        lines = [p.stdout.readline() for _ in range(6)]
        # The ticks arrive while the request is open: it streams.
        assert lines[:4] == [b"kube-sim: pod default/ticker started (fake node agent)\n",
                             b"first line\n", b"second line\n", b"third line\n"], lines
        assert lines[4] == b"tick 1\n" and lines[5] == b"tick 2\n", lines
        k.run("delete", "pod", "ticker", "--wait=false")
        # The container exits: the stream ends and kubectl exits 0.
        assert p.wait(30) == 0, p.stderr.read()
    finally:
        stop(p)


def logs_follow_client_leaves(k):
    start_pod(k, "ticker2", interval=20)
    for _ in range(3):
        p = k.popen("logs", "-f", "ticker2")
        assert p.stdout.readline().startswith(b"kube-sim: pod default/ticker2")
        stop(p)  # a client that goes away cancels its stream
    assert b"tick" in k.run("logs", "ticker2", "--tail=1").stdout
    k.run("delete", "pod", "ticker2", "--wait=false")
    # A quiet log: the server still notices the client left (its
    # connection and the agent's stream are closed; no file descriptor stays).
    before = open_fds(k.sim)
    for _ in range(4):
        p = k.popen("logs", "-f", "web")
        assert p.stdout.readline().startswith(b"kube-sim: pod default/web")
        stop(p)
    wait_for(lambda: open_fds(k.sim) <= before, timeout=30)


def logs_container_choice(api):
    api.create_namespaced_pod("default", json.loads(json.dumps(
        {"metadata": {"name": "two"},
         "spec": {"containers": [{"name": "a", "image": "busybox"},
                                 {"name": "b", "image": "busybox"}]}})))
    try:
        api.read_namespaced_pod_log("two", "default")
        raise AssertionError("no container: expected 400")
    except ApiException as e:
        body = json.loads(e.body)
        assert e.status == 400 and body["reason"] == "BadRequest", e.body
        assert body["message"] == ("a container name must be specified for pod two, "
                                   "choose one of: [a b]"), body
    assert "started" in api.read_namespaced_pod_log("two", "default", container="b")
    try:
        api.read_namespaced_pod_log("two", "default", container="c", tail_lines=-1)
        raise AssertionError("negative tailLines: expected 422")
    except ApiException as e:
        assert e.status == 422, e.body


def exec_exit_code(k):
    p = k.run("exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert p.returncode == 3, p
    assert p.stdout == b"out\n", p.stdout
    assert p.stderr.startswith(b"err\n"), p.stderr
    assert b"command terminated with exit code 3" in p.stderr, p.stderr
    ok = k.run("exec", "web", "-c", "main", "--", "sh", "-c", 'printf "%s|" "$@"', "-", "a b", "c")
    assert ok.stdout == b"a b|c|", ok.stdout


def exec_stdin(k):
    data = b"".join(b"line %d\n" % i for i in range(20000))
    p = k.run("exec", "-i", "web", "--", "sh", "-c", "wc -c; echo done", input=data)
    assert p.stdout.split() == [str(len(data)).encode(), b"done"], p.stdout
    p = k.run("exec", "-i", "web", "--", "cat", input=b"echoed back\n")
    assert p.stdout == b"echoed back\n", p.stdout


def over_spdy(k, func):
    """kubectl exec as older kubectl (and client-go's fallback) does it."""
    k.extra_env = {"KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"}
    try:
        func(k)
    finally:
        k.extra_env = {}


def kubectl_cp(k, tmp):
    """kubectl cp is tar through exec (stdin to EOF, then stdout)."""
    src, back = os.path.join(tmp, "cp-src.bin"), os.path.join(tmp, "cp-back.bin")
    with open(src, "wb") as f:
        f.write(BLOB)
    # A relative pod path: the fake agent's scratch directory for the pod.
    k.run("cp", src, "web:copied.bin")
    digest = k.run("exec", "web", "--", "sha256sum", "copied.bin").stdout.split()[0]
    assert digest == hashlib.sha256(BLOB).hexdigest().encode(), digest
    k.run("cp", "web:copied.bin", back)
    with open(back, "rb") as f:
        assert f.read() == BLOB


def exec_errors(k):
    p = k.run("exec", "web", "-c", "nope", "--", "true", check=False)
    assert p.returncode != 0 and b"container nope is not valid for pod web" in p.stderr, p
    p = k.run("exec", "gone", "--", "true", check=False)
    assert p.returncode != 0 and b'pods "gone" not found' in p.stderr, p
    p = k.run("exec", "web", "--", "/nonexistent/binary", check=False)
    assert p.returncode != 0 and b"OCI runtime exec failed" in p.stderr, p
    p = k.run("attach", "gone", check=False)
    assert p.returncode != 0 and b'pods "gone" not found' in p.stderr, p


def fetch(port, path, data=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def port_forward(k, http_port, env=None):
    local, closed_local = free_port(), free_port()
    p = k.popen("port-forward", "pod/web", f"{local}:{http_port}", env=env)
    try:
        line = p.stdout.readline()
        assert line.startswith(b"Forwarding from 127.0.0.1:%d" % local), (line, p.stderr.read())
        results = {}

        def one(i):
            results[i] = fetch(local, f"/req{i}") if i % 3 else fetch(local, "/blob")

        threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for i in range(12):
            assert results.get(i) == (f"hello /req{i}\n".encode() if i % 3 else BLOB), i
        upload = os.urandom(2 * 1024 * 1024)
        assert fetch(local, "/up", upload) == hashlib.sha256(upload).hexdigest().encode()
        assert p.poll() is None
    finally:
        stop(p)
    # A closed pod port: that connection gets the error stream's message;
    # kubectl (client-go >= 1.29) then gives up the whole forward.
    dead = free_port()
    p = k.popen("port-forward", "pod/web", f"{closed_local}:{dead}", env=env)
    try:
        assert p.stdout.readline().startswith(b"Forwarding from")
        try:
            fetch(closed_local, "/")
            raise AssertionError("a closed pod port answered")
        except OSError:
            pass
        p.wait(30)
        err = p.stderr.read()
        assert (f"error forwarding port {dead} to pod web".encode() in err
                and b"refused" in err), err
    finally:
        stop(p)


def python_exec(api):
    r = stream(api.connect_get_namespaced_pod_exec, "web", "default",
               command=["sh", "-c", "echo out; echo err >&2; exit 7"],
               stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
    r.run_forever(timeout=30)
    assert r.read_stdout() == "out\n" and r.read_stderr() == "err\n"
    assert r.returncode == 7, r.returncode
    r.close()
    r = stream(api.connect_get_namespaced_pod_exec, "web", "default", command=["cat"],
               stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    r.write_stdin("from python\n")
    out = wait_for(lambda: (r.update(timeout=1), r.read_stdout())[1], timeout=30)
    assert out == "from python\n", out
    r.close()
    assert stream(api.connect_get_namespaced_pod_exec, "web", "default",
                  command=["echo", "a  b"], stderr=True, stdin=False, stdout=True,
                  tty=False) == "a  b\n"


def python_tty_resize(api):
    r = stream(api.connect_get_namespaced_pod_exec, "web", "default",
               command=["sh", "-c", "read x; stty size; echo got $x; exit 4"],
               stderr=False, stdin=True, stdout=True, tty=True, _preload_content=False)
    r.write_channel(4, json.dumps({"Width": 123, "Height": 45}))
    r.write_stdin("typed\n")
    r.run_forever(timeout=30)
    out = r.read_stdout()
    # A terminal: one stream, CR LF line ends, the echo of the input.
    assert out == "typed\r\n45 123\r\ngot typed\r\n", repr(out)
    assert r.returncode == 4, r.returncode


def exec_client_leaves(k, tmp):
    pidfile = os.path.join(tmp, "exec.pid")
    p = k.popen("exec", "web", "--", "sh", "-c", f"echo $$ > {pidfile}; echo up; exec sleep 600")
    try:
        assert p.stdout.readline() == b"up\n"
        pid = int(open(pidfile).read())
        os.kill(pid, 0)
    finally:
        stop(p)

    def gone():
        return process_gone(pid)

    # The connection dropped: the process in the "container" is ended.
    wait_for(gone, timeout=30)


def exec_simulator_stops(tmp):
    """The simulator ends (SIGTERM) mid-exec: kubectl fails, the command is ended."""
    with Simulator("--pod-ready-delay", "50") as sim:
        k = Kubectl(sim)
        start_pod(k, "web")
        pidfile = os.path.join(tmp, "exec2.pid")
        p = k.popen("exec", "web", "--", "sh", "-c", f"echo $$ > {pidfile}; echo up; exec sleep 600")
        try:
            assert p.stdout.readline() == b"up\n"
            pid = int(open(pidfile).read())
            sim.stop()
            assert p.wait(30) != 0
        finally:
            stop(p)

    def gone():
        return process_gone(pid)

    wait_for(gone, timeout=30)


def python_portforward(api, http_port):
    dead = free_port()
    pf = portforward(api.connect_get_namespaced_pod_portforward, "web", "default",
                     ports=f"{http_port},{dead}")
    s = pf.socket(http_port)
    s.setblocking(True)
    s.sendall(b"GET /blob HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK") and data.endswith(BLOB), data[:100]
    assert pf.error(http_port) is None
    pf.socket(dead)
    err = wait_for(lambda: pf.error(dead), timeout=30)
    assert f"error forwarding port {dead} to pod web" in err and "refused" in err, err
    s.close()


def slow_pod_port(total, result):
    """A pod port that reads slowly (64 KiB, then a pause) until the end;
    result gets (bytes, sha256) of what it read."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve():
        try:
            conn, _ = srv.accept()
            with conn:
                digest, n = hashlib.sha256(), 0
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    digest.update(chunk)
                    n += len(chunk)
                    time.sleep(0.005)
                result.append((n, digest.hexdigest()))
        finally:
            srv.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv.getsockname()[1], t


def python_portforward_close(api):
    """The local socket sends 16 MiB and closes; the client then closes its
    WebSocket while the pod port still reads (slowly): every byte reaches
    the pod port in order, then the connection's end, as kubelet's copy to
    the pod runs to the end. (Three times: how much the simulator still
    queues at the close varies.)"""
    chunks = [hashlib.sha256(i.to_bytes(8, "big")).digest() * 32768 for i in range(16)]
    want = hashlib.sha256(b"".join(chunks)).hexdigest()
    for _ in range(3):
        result = []
        port, server = slow_pod_port(16 << 20, result)
        pf = portforward(api.connect_get_namespaced_pod_portforward, "web", "default",
                         ports=str(port))
        s = pf.socket(port)
        s.setblocking(True)
        for c in chunks:
            s.sendall(c)
        s.close()
        server.join(120)
        assert result == [(16 << 20, want)], (result, want)


def raw_websocket_checks(sim):
    """What the clients above do not show: the negotiated subprotocol and a
    request with no acceptable subprotocol."""
    ctx = ssl.create_default_context(cafile=sim.ca)
    ctx.load_cert_chain(sim.cert, sim.key)

    def handshake(path, protocols, connection="Upgrade"):
        with socket.create_connection(("127.0.0.1", sim.port)) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: {connection}\r\n"
                           "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           f"Sec-WebSocket-Protocol: {protocols}\r\n\r\n").encode())
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                return head.decode(errors="replace")

    def frames(s, buf):
        """Server frames (unmasked) until the connection ends."""
        def need(k):
            while len(buf) < k:
                chunk = s.recv(65536)
                if not chunk:
                    raise EOFError
                buf.extend(chunk)
        try:
            while True:
                need(2)
                n, h = buf[1] & 0x7f, 2
                if n >= 126:
                    h = 4 if n == 126 else 10
                    need(h)
                    n = int.from_bytes(buf[2:h], "big")
                need(h + n)
                yield buf[0] & 0x0f, bytes(buf[h:h + n])
                del buf[:h + n]
        except EOFError:
            return

    # v4.base64.channel.k8s.io: text frames, an ASCII channel digit, base64.
    with socket.create_connection(("127.0.0.1", sim.port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
            s.sendall(("GET /api/v1/namespaces/default/pods/web/exec?command=sh&command=-c"
                       "&command=echo+hi%3B+exit+2&stdout=true HTTP/1.1\r\nHost: x\r\n"
                       "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Protocol: v4.base64.channel.k8s.io\r\n\r\n").encode())
            buf = bytearray()
            while b"\r\n\r\n" not in buf:
                buf += s.recv(4096)
            head, _, rest = bytes(buf).partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 101"), head
            got = {}
            for opcode, payload in frames(s, bytearray(rest)):
                if opcode == 8:
                    break
                assert opcode == 1, opcode
                ch = payload[:1].decode()
                got[ch] = got.get(ch, b"") + base64.b64decode(payload[1:])
            assert got["1"] == b"hi\n", got
            status = json.loads(got["3"])
            assert status["reason"] == "NonZeroExitCode", status
            assert status["details"]["causes"] == [{"reason": "ExitCode", "message": "2"}], status

    path = "/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true"
    head = handshake(path, "v5.channel.k8s.io, v4.channel.k8s.io")
    assert head.startswith("HTTP/1.1 101"), head
    assert "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head, head
    assert re.search(r"(?i)sec-websocket-protocol: v5\.channel\.k8s\.io", head), head
    # (close: libsoup 3.2 would keep the refused connection open after the
    # client left.)
    head = handshake(path, "v1.nothing.example", connection="Upgrade, close")
    assert head.startswith("HTTP/1.1 400"), head
    # The refuseProtocols knob: v5 is ignored as if unknown, v4 wins.
    admin(sim, "PUT", "/kube-sim/faults", {"refuseProtocols": ["v5.channel.k8s.io"]})
    try:
        head = handshake(path, "v5.channel.k8s.io, v4.channel.k8s.io", connection="Upgrade, close")
        assert re.search(r"(?i)sec-websocket-protocol: v4\.channel\.k8s\.io", head), head
        head = handshake(path, "v5.channel.k8s.io", connection="Upgrade, close")
        assert head.startswith("HTTP/1.1 400"), head
    finally:
        admin(sim, "PUT", "/kube-sim/faults", {"refuseProtocols": []})
    assert admin(sim, "GET", "/kube-sim/faults")["refuseProtocols"] == []


def admin(sim, method, path, body=None):
    return sim.admin(method, path, body)


def kubectl_v4_fallback(k):
    """kubectl offers v5 then v4: with v5 refused it speaks v4 (no stdin
    close there, so no -i)."""
    admin(k.sim, "PUT", "/kube-sim/faults", {"refuseProtocols": ["v5.channel.k8s.io"]})
    try:
        p = k.run("exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
        assert p.returncode == 3, p
        assert p.stdout == b"out\n", p.stdout
        assert p.stderr.startswith(b"err\n"), p.stderr
    finally:
        admin(k.sim, "PUT", "/kube-sim/faults", {"refuseProtocols": []})


ATTACH_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  annotations:
    kube-sim.hero-virt.dev/log-interval-ms: "{interval}"
spec:
  containers:
  - name: main
    image: busybox
    stdin: true
    stdinOnce: {once}
    tty: {tty}
"""


def start_attach_pod(k, name, interval=0, once=True, tty=False):
    k.run("apply", "-f", "-", input=ATTACH_POD.format(
        name=name, interval=interval, once=str(once).lower(), tty=str(tty).lower()).encode())
    k.run("wait", "--for=condition=Ready", f"pod/{name}", "--timeout=30s")


def kubectl_attach_stdin(k):
    """The fake main process is cat: stdin lines come back on stdout and go
    to the log; stdinOnce: closing stdin ends the attach with 0."""
    name = "att-spdy" if k.extra_env else "att"
    start_attach_pod(k, name)
    p = k.run("attach", "-i", name, "-c", "main", input=b"hello\nworld\nno newline")
    assert p.stdout == b"hello\nworld\nno newline\n", p.stdout
    log = k.run("logs", name).stdout.decode().splitlines()
    assert log[-3:] == ["hello", "world", "no newline"], log
    # attach without stdin on a pod without stdin: 0 lines in, output only
    k.run("delete", "pod", name, "--wait=false")


def kubectl_attach_output(k):
    """Attach shows what the main process writes from then on; a client
    that leaves detaches (the pod goes on); the pod's end ends attach."""
    start_attach_pod(k, "tick-att", interval=20, once=False)
    for _ in range(2):
        p = k.popen("attach", "tick-att")
        try:
            line = p.stdout.readline()
            assert re.fullmatch(rb"tick \d+\n", line), line
        finally:
            stop(p)
    assert k.run("get", "pod", "tick-att", "-o", "jsonpath={.status.phase}").stdout == b"Running"
    p = k.popen("attach", "tick-att")
    try:
        assert p.stdout.readline().startswith(b"tick ")
        k.run("delete", "pod", "tick-att", "--wait=false")
        assert p.wait(30) == 0, p.stderr.read()
    finally:
        stop(p)
    # a pod that is not running
    bad = k.run("attach", "no-such-pod", check=False)
    assert bad.returncode != 0 and b"not found" in bad.stderr, bad


def python_attach(api, k):
    start_attach_pod(k, "att-py", once=False)
    r = stream(api.connect_get_namespaced_pod_attach, "att-py", "default",
               stdin=True, stdout=True, stderr=True, tty=False, _preload_content=False)
    r.write_stdin("from python\n")
    out = wait_for(lambda: (r.update(timeout=1), r.read_stdout())[1], timeout=30)
    assert out == "from python\n", out
    r.close()
    # a second client sees what the main process writes, the first one detached
    r = stream(api.connect_get_namespaced_pod_attach, "att-py", "default",
               stdin=True, stdout=True, stderr=False, tty=False, _preload_content=False)
    r.write_stdin("again\n")
    out = wait_for(lambda: (r.update(timeout=1), r.read_stdout())[1], timeout=30)
    assert out == "again\n", out
    r.close()
    # a tty container: one stream, CR LF line ends
    start_attach_pod(k, "att-tty", once=False, tty=True)
    r = stream(api.connect_get_namespaced_pod_attach, "att-tty", "default",
               stdin=True, stdout=True, stderr=False, tty=True, _preload_content=False)
    r.write_stdin("typed\r")
    out = wait_for(lambda: (r.update(timeout=1), r.read_stdout())[1], timeout=30)
    assert out == "typed\r\n", repr(out)
    r.close()
    k.run("delete", "pod", "att-py", "att-tty", "--wait=false")


def python_attach_slow_reader(api, k):
    """One client attached with stdin writes 24 MiB of lines into the fake
    main process (cat), another attached reads nothing for a while: the
    process waits for it (as the runtime's attach blocks the container's
    writes), the writer stalls, and the reader then gets every line in
    order."""
    start_attach_pod(k, "att-slow", once=False)
    lines = [b"%08d %s\n" % (i, hashlib.sha256(b"%d" % i).hexdigest().encode() * 15)
             for i in range(24 * 1024)]
    data = b"".join(lines)
    reader = stream(api.connect_get_namespaced_pod_attach, "att-slow", "default",
                    stdin=False, stdout=True, stderr=False, tty=False, _preload_content=False)
    writer = stream(api.connect_get_namespaced_pod_attach, "att-slow", "default",
                    stdin=True, stdout=False, stderr=False, tty=False, _preload_content=False)
    sent = [0]

    def write():
        for i in range(0, len(data), 65536):
            writer.write_stdin(data[i:i + 65536])
            sent[0] = min(i + 65536, len(data))

    t = threading.Thread(target=write, daemon=True)
    t.start()
    last, still = -1, 0
    while t.is_alive() and still < 10:
        time.sleep(0.2)
        still = still + 1 if sent[0] == last else 0
        last = sent[0]
    got = []
    n, idle = 0, 0
    # (until everything came, or nothing more comes once the writer is done)
    while n < len(data) and reader.is_open() and idle < 6:
        reader.update(timeout=5)
        out = reader.read_stdout(timeout=0)
        got.append(out)
        n += len(out)
        idle = idle + 1 if not out and not t.is_alive() else 0
    t.join(60)
    text = "".join(got)
    assert text == data.decode(), \
        f"{len(text)} of {len(data)} bytes, stalled at {sent[0]}; first lines differ at " \
        f"{next((i for i, (a, b) in enumerate(zip(text.splitlines(), data.decode().splitlines())) if a != b), None)}"
    print(f"# the writer stalled at {last >> 10} KiB of {len(data) >> 10} KiB", flush=True)
    reader.close()
    writer.close()
    k.run("delete", "pod", "att-slow", "--wait=false")


def main():
    tap = Tap()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    http_port = server.server_address[1]
    with Simulator("--pod-ready-delay", "50") as sim:
        k = Kubectl(sim)
        config.load_kube_config(config_file=sim.kubeconfig)
        api = client.CoreV1Api()
        start_pod(k, "web")
        # Warm up what the simulator sets up once (GLib's resolver for the
        # first pod connection), then count its file descriptors.
        pf = portforward(api.connect_get_namespaced_pod_portforward, "web", "default",
                         ports=str(http_port))
        pf.socket(http_port).close()
        pf.close()
        k.run("exec", "web", "--", "true")
        baseline = open_fds(sim)
        tap.run("kubectl logs: tail, timestamps, limit, since, container, previous", logs, k)
        tap.run("kubectl logs -f streams and ends when the container exits",
                logs_follow_ends_with_container, k)
        tap.run("kubectl logs -f: a client that leaves cancels", logs_follow_client_leaves, k)
        tap.run("pods/log: the container choice and option checks", logs_container_choice, api)
        tap.run("kubectl exec: stdout and stderr apart, exit code 3", exec_exit_code, k)
        tap.run("kubectl exec -i: stdin", exec_stdin, k)
        tap.run("kubectl exec: missing container, pod and binary", exec_errors, k)
        tap.run("kubectl cp both ways", kubectl_cp, k, sim.dir)
        tap.run("kubectl exec over SPDY/3.1: exit code 3", over_spdy, k, exec_exit_code)
        tap.run("kubectl exec -i over SPDY/3.1: stdin", over_spdy, k, exec_stdin)
        tap.run("kubectl exec over SPDY/3.1: errors", over_spdy, k, exec_errors)
        tap.run("kubectl port-forward (SPDY in WebSocket): concurrent requests, closed port",
                port_forward, k, http_port)
        tap.run("kubectl port-forward (raw SPDY/3.1): concurrent requests, closed port",
                port_forward, k, http_port, {"KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"})
        tap.run("python3-kubernetes stream(): exec", python_exec, api)
        tap.run("python3-kubernetes stream(): tty and resize", python_tty_resize, api)
        tap.run("kubectl exec falls back to v4.channel.k8s.io", kubectl_v4_fallback, k)
        tap.run("kubectl attach -i (fake agent): stdin echoed, stdinOnce ends it",
                kubectl_attach_stdin, k)
        tap.run("kubectl attach -i over SPDY/3.1", over_spdy, k, kubectl_attach_stdin)
        tap.run("kubectl attach: output, detach, the pod's end", kubectl_attach_output, k)
        tap.run("python3-kubernetes stream(): attach, tty attach", python_attach, api, k)
        tap.run("python3-kubernetes stream(): attach, a slow reader gets every line",
                python_attach_slow_reader, api, k)
        tap.run("kubectl exec: a client that leaves ends the process", exec_client_leaves, k,
                sim.dir)
        tap.run("kubectl exec: the simulator stops mid-exec", exec_simulator_stops, sim.dir)
        tap.run("python3-kubernetes portforward(): open and closed ports",
                python_portforward, api, http_port)
        tap.run("python3-kubernetes portforward(): a client that closes, every byte reaches the pod",
                python_portforward_close, api)
        tap.run("WebSocket: subprotocol negotiation, v4.base64.channel.k8s.io", raw_websocket_checks, sim)
        # Every stream ended: its pipes, terminals, log streams and pod
        # connections are closed.
        tap.run("no file descriptor left behind",
                lambda: wait_for(lambda: open_fds(sim) <= baseline, timeout=30))
    server.shutdown()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
