#!/usr/bin/env python3
# Issue 12's bench, on one real pod of hero-virt-kube-sim --node-agent podman:
#  - `true` run N times through HeroVirt.PodExecutor, through one `kubectl
#    exec` per run, and through podman's own REST exec on the agent's socket
#    (the floor: what every client pays for runc);
#  - SIZE MiB read through HeroVirt.PortForward, through `kubectl
#    port-forward`, and straight from the pod IP (the limit), in
#    BENCH_PF_ROUNDS (default 5) interleaved rounds. The pod's source is
#    busybox `nc -ll -e dd bs=64k`: dd writes 64 KiB at a time straight into
#    the socket (a `dd | nc` pipe would go through nc's 1 KiB copy loop and
#    cap every path at what nc copies).
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
import threading
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
PF_ROUNDS = int(os.environ.get("BENCH_PF_ROUNDS", "5"))

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: bench}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: {image}
    # -ll: a new dd for every connection; dd's 64 KiB writes go to the socket
    command: [nc, -ll, -p, "9000", -e, dd, if=/dev/zero, bs=64k, count={blocks}]
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
    """Reads until EOF into one reused buffer (the reader must not be what
    limits the direct path)."""
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = 0
    with socket.create_connection((host, port), timeout=60) as s:
        while True:
            n = s.recv_into(view)
            if n == 0:
                break
            total += n
    return total


def main():
    env = pat.Env()
    try:
        env.apply(POD.format(image=env.busybox, blocks=SIZE_MIB * 16))
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


def cpu_seconds(pid=None):
    """User + system CPU of a process (all its threads), or of this one."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kubectl_port_forward(env):
    """`kubectl port-forward pod/bench :9000`: the process and its local port."""
    p = subprocess.Popen([pat.KUBECTL, "--kubeconfig", env.kubeconfig, "port-forward", "pod/bench", ":9000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()  # Forwarding from 127.0.0.1:PORT -> 9000
    if "127.0.0.1:" not in line:
        p.terminate()
        p.wait(30)
        raise RuntimeError(f"kubectl port-forward: {line!r} {p.stderr.read()!r}")
    port = int(line.split("127.0.0.1:")[1].split()[0])
    # "Handling connection for 9000" per connection: keep the pipe drained.
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p, port


def bench_portforward(env, km, ip):
    want = SIZE_MIB << 20
    pf = km.port_forward("bench", 0, 9000)
    kc, kc_port = kubectl_port_forward(env)
    paths = [("HeroVirt.PortForward", "127.0.0.1", pf.get_local_port()),
             ("kubectl port-forward", "127.0.0.1", kc_port),
             ("direct to the pod IP (limit)", ip, 9000)]
    times = {name: [] for name, _, _ in paths}
    # CPU seconds, all rounds: the simulator's, the client's (this process,
    # which reads and for HeroVirt also forwards, plus kubectl's process).
    cpu = {name: [0.0, 0.0] for name, _, _ in paths}
    try:
        for _, host, port in paths:  # warm: the streams, the page cache, dd
            assert read_all(port, host) == want
        for _ in range(PF_ROUNDS):
            for name, host, port in paths:
                sim0, me0, kc0 = cpu_seconds(env.sim.pid), cpu_seconds(), cpu_seconds(kc.pid)
                t = time.perf_counter()
                got = read_all(port, host)
                times[name].append(time.perf_counter() - t)
                cpu[name][0] += cpu_seconds(env.sim.pid) - sim0
                cpu[name][1] += cpu_seconds() - me0 + cpu_seconds(kc.pid) - kc0
                assert got == want, (name, got)
    finally:
        pf.stop()
        kc.terminate()
        kc.wait(30)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"port-forward, {SIZE_MIB} MiB read, {PF_ROUNDS} interleaved rounds, load {' '.join(load)}")
    print(f"  {'':28s} {'median s':>9s} {'min s':>8s} {'MiB/s (median)':>15s} {'MiB/s (best)':>13s}"
          f" {'CPU s/GiB: simulator':>21s} {'client':>7s}")
    med = {}
    gib = PF_ROUNDS * SIZE_MIB / 1024
    for name, _, _ in paths:
        med[name] = statistics.median(times[name])
        lo = min(times[name])
        print(f"  {name:28s} {med[name]:9.3f} {lo:8.3f} {SIZE_MIB / med[name]:15.1f} {SIZE_MIB / lo:13.1f}"
              f" {cpu[name][0] / gib:21.2f} {cpu[name][1] / gib:7.2f}")
    hv, kc_t, direct = (med[name] for name, _, _ in paths)
    best = {name: min(times[name]) for name, _, _ in paths}
    print(f"  PortForward vs kubectl port-forward: {kc_t / hv:.2f}x (best {best[paths[1][0]] / best[paths[0][0]]:.2f}x;"
          " target >= 1x)")
    print(f"  PortForward vs direct: {direct / hv:.2f} of the limit (best {best[paths[2][0]] / best[paths[0][0]]:.2f})")


if __name__ == "__main__":
    main()
