# Test helpers for hero-virt-kube-sim: start it on port 0 in a temporary
# directory, read its ready line, stop it by PID; a tiny TAP producer.
# SPDX-License-Identifier: LGPL-2.1-or-later
import http.client
import json
import os
import shutil
import ssl
import signal
import subprocess
import sys
import tempfile
import time
import traceback


def binary():
    path = os.environ.get("KUBE_SIM")
    if not path:
        root = os.environ.get("HERO_VIRT_BUILD_ROOT", "build")
        path = os.path.join(root, "tools", "kube-sim", "hero-virt-kube-sim")
    return path


def require(tool, what):
    """Skips the whole test when tool is missing (fails under CI=true)."""
    found = shutil.which(tool) if os.sep not in tool else (tool if os.path.exists(tool) else None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        print(f"Bail out! {what} ({tool}) is missing and CI=true")
        sys.exit(1)
    print(f"1..0 # SKIP {what} ({tool}) is not installed")
    sys.exit(0)


class Simulator:
    """One simulator process with its own temp dir, kubeconfig and tokens."""

    def __init__(self, *extra, tokens=None, readonly_token="readonly-token"):
        self.dir = tempfile.mkdtemp(prefix="kube-sim-test-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.tokens = tokens or {"alice": "alice-token"}
        argv = [binary(), "--port", "0", "--kubeconfig", self.kubeconfig]
        for user, token in self.tokens.items():
            argv += ["--token", f"{user}={token}"]
        if readonly_token:
            argv += ["--readonly-token", readonly_token]
        self.readonly_token = readonly_token
        argv += list(extra)
        # e.g. KUBE_SIM_EXTRA_ARGS="--watch-history 5" to stress the simulator
        argv += os.environ.get("KUBE_SIM_EXTRA_ARGS", "").split()
        self.log = open(os.path.join(self.dir, "sim.log"), "w")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("KUBE_SIM_READY"):
            self.stop()
            raise RuntimeError(f"simulator did not start: {line!r}")
        fields = dict(f.split("=", 1) for f in line.split()[1:])
        self.port = int(fields["port"])
        self.url = fields["url"]
        self.ca = os.path.join(self.dir, "ca.crt")
        self.cert = os.path.join(self.dir, "admin.crt")
        self.key = os.path.join(self.dir, "admin.key")

    def request(self, method, path, body=None):
        """One HTTPS request as the admin client certificate; returns (status, parsed JSON or None)."""
        ctx = ssl.create_default_context(cafile=self.ca)
        ctx.load_cert_chain(self.cert, self.key)
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=10)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json", "Accept": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        return resp.status, (json.loads(data) if data else None)

    def admin(self, method, path, body=None):
        """As request(), for the simulator's own /kube-sim endpoints: anything but 200 fails the test."""
        status, obj = self.request(method, path, body)
        assert status == 200, (status, obj)
        return obj

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    def run(self, name, func, *args):
        self.n += 1
        start = time.monotonic()
        try:
            func(*args)
        except Exception:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print(f"ok {self.n} - {name} # {time.monotonic() - start:.2f}s")
        sys.stdout.flush()

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


def wait_for(predicate, timeout=20, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")
