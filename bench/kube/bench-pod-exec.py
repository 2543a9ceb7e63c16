#!/usr/bin/env python3
# Issue 12's bench, on one real pod of hero-virt-kube-sim --node-agent podman:
#  - `true` run N times through HeroVirt.PodExecutor, through one `kubectl
#    exec` per run, and through podman's own REST exec on the agent's socket
#    (the floor: what every client pays for runc);
#  - SIZE MiB read through HeroVirt.PortForward, through `kubectl
#    port-forward`, and straight from the pod IP (the limit).
# Prints medians and ratios. Needs the test images (scripts/build-test-images.sh
# via the kube-sim-podman test environment).
#
#   GI_TYPELIB_PATH=build/gir KUBE_SIM=build/tools/kube-sim/hero-virt-kube-sim \
#     /usr/bin/python3 bench/kube/bench-pod-exec.py [N] [SIZE_MIB]
# SPDX-License-Identifier: LGPL-2.1-or-later
import http.client
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
_spec = importlib.util.spec_from_file_location(
    "podman_agent_test", os.path.join(ROOT, "tests", "kube-sim-podman", "podman-agent-test.py"))
pat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pat)

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
SIZE_MIB = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
# BENCH_PARTS=exec or BENCH_PARTS=portforward runs one half only.
PARTS = os.environ.get("BENCH_PARTS", "exec,portforward").split(",")

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: bench}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: {image}
    command: [sh, -c, "while true; do dd if=/dev/zero bs=1048576 count={size} 2>/dev/null | nc -l -p 9000; done"]
"""


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def rest(path, method, url, body=None):
    c = UnixHTTP(path)
    c.request(method, url, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def timed(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)


def read_all(port, host="127.0.0.1"):
    total = 0
    with socket.create_connection((host, port), timeout=60) as s:
        while True:
            b = s.recv(1 << 20)
            if not b:
                break
            total += len(b)
    return total


def main():
    env = pat.Env()
    try:
        env.apply(POD.format(image=env.busybox, size=SIZE_MIB))
        env.kubectl("wait", "--for=condition=Ready", "pod/bench", "--timeout=120s")
        ip = env.pod("bench")["status"]["podIP"]
        km = HeroVirt.KubernetesManager.new_full("default", env.kubeconfig, None,
                                                 HeroVirt.KubernetesConfig.new())
        ex = HeroVirt.PodExecutor.new(km, "bench", "c")
        true = HeroVirt.Command.new("true")
        assert ex.run(true, None).get_exit_status() == 0
        sock = os.path.join(env.root, "podman.sock")
        status, data = rest(sock, "GET", "/v4.0.0/libpod/containers/json")
        ctr = next(c["Id"] for c in json.loads(data)
                   if any(n.endswith("-c") or "bench" in n for n in c["Names"]) and not c.get("IsInfra"))

        def podman_rest():
            s, d = rest(sock, "POST", f"/v4.0.0/libpod/containers/{ctr}/exec",
                        {"Cmd": ["true"], "AttachStdout": True, "AttachStderr": True, "Tty": False})
            eid = json.loads(d)["Id"]
            rest(sock, "POST", f"/v4.0.0/libpod/exec/{eid}/start", {"Detach": False, "Tty": False})
            rest(sock, "GET", f"/v4.0.0/libpod/exec/{eid}/json")

        def kubectl_exec():
            env.kubectl("exec", "bench", "-c", "c", "--", "true")

        if "exec" in PARTS:
            bench_exec(podman_rest, ex, true, kubectl_exec)
        if "portforward" in PARTS:
            bench_portforward(env, km, ip)
    finally:
        env.stop()


def bench_exec(podman_rest, ex, true, kubectl_exec):
    rows = []
    for name, fn in [("podman REST exec (floor)", podman_rest),
                     ("HeroVirt.PodExecutor", lambda: ex.run(true, None)),
                     ("kubectl exec", kubectl_exec)]:
        fn()  # warm
        rows.append((name, timed(fn, N)))
    print(f"exec `true`, {N} runs each, ms (median / min / max), load {os.getloadavg()[0]:.1f}")
    for name, (med, lo, hi) in rows:
        print(f"  {name:28s} {med * 1000:8.1f} {lo * 1000:8.1f} {hi * 1000:8.1f}")
    floor, hv, kc = rows[0][1][0], rows[1][1][0], rows[2][1][0]
    print(f"  PodExecutor vs floor: {hv / floor:.2f}x the floor ({(hv / floor - 1) * 100:+.0f}%, target within 15%)")
    print(f"  PodExecutor vs kubectl exec: {kc / hv:.2f}x faster (target >= 1.8x)")


def bench_portforward(env, km, ip):
    want = SIZE_MIB << 20
    results = []
    t = time.perf_counter()
    assert read_all(9000, ip) == want
    results.append(("direct to the pod IP (limit)", time.perf_counter() - t))
    time.sleep(0.5)
    pf = km.port_forward("bench", 0, 9000)
    t = time.perf_counter()
    got = read_all(pf.get_local_port())
    results.append(("HeroVirt.PortForward", time.perf_counter() - t))
    pf.stop()
    assert got == want, got
    time.sleep(0.5)
    p = subprocess.Popen([pat.KUBECTL, "--kubeconfig", env.kubeconfig, "port-forward", "pod/bench", ":9000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()  # Forwarding from 127.0.0.1:PORT -> 9000
        port = int(line.split("127.0.0.1:")[1].split()[0])
        t = time.perf_counter()
        got = read_all(port)
        results.append(("kubectl port-forward", time.perf_counter() - t))
        assert got == want, got
    finally:
        p.terminate()
        p.wait(30)
    print(f"port-forward, {SIZE_MIB} MiB read once each, MiB/s")
    for name, secs in results:
        print(f"  {name:28s} {SIZE_MIB / secs:8.1f}")
    print(f"  PortForward vs kubectl port-forward: {results[2][1] / results[1][1]:.2f}x (target >= 1x)")
    print(f"  PortForward vs direct: {results[0][1] / results[1][1]:.2f} of the limit")


if __name__ == "__main__":
    main()
