#!/usr/bin/python3
# bench-kube-configmaps.py: create, get and delete N ConfigMaps through
# HeroVirt.KubernetesManager, through python3-kubernetes, and through one
# kubectl process per operation, on the same hero-virt-kube-sim in one run.
# Prints the time per operation of each and the ratios.
#
#   bench/kube/bench-kube-configmaps.py [N] [KUBECTL_N]
#
# N (default 1000) ConfigMaps go through the manager and the python client;
# kubectl, at one process per operation, does KUBECTL_N (default 100) of
# each and its time per operation is compared (a per-operation ratio, so
# nothing is extrapolated but the total it would take for N). The three
# interleave in ten rounds so that machine load hits them alike. Needs the
# environment of an uninstalled build (bench/run.sh sets it) or an
# installed HeroVirt.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "kube-sim"))
from kubesim import Simulator  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt  # noqa: E402

ROUNDS = 10
OPS = ("create", "get", "delete")


class Manager:
    name = "HeroVirt.KubernetesManager"

    def __init__(self, sim, ns):
        # no client-side rate limit: the other two have none either
        cfg = HeroVirt.KubernetesConfig.new().with_rate_limit(0, 1)
        self.km = HeroVirt.KubernetesManager.new_full(ns, sim.kubeconfig, None, cfg)
        self.km.configmaps_list(None)  # connect and authenticate before timing

    def create(self, name):
        self.km.configmap_create(name, ["key=value"], None)

    def get(self, name):
        self.km.configmap_get(name, None)

    def delete(self, name):
        self.km.configmap_delete(name, None)


class PythonClient:
    name = "python3-kubernetes"

    def __init__(self, sim, ns):
        from kubernetes import client, config
        self.ns = ns
        self.client = client
        api_client = config.new_client_from_config(config_file=sim.kubeconfig)
        self.api = client.CoreV1Api(api_client)
        self.api.list_namespaced_config_map(ns)

    def create(self, name):
        body = self.client.V1ConfigMap(metadata=self.client.V1ObjectMeta(name=name),
                                       data={"key": "value"})
        self.api.create_namespaced_config_map(self.ns, body)

    def get(self, name):
        self.api.read_namespaced_config_map(name, self.ns)

    def delete(self, name):
        self.api.delete_namespaced_config_map(name, self.ns)


class Kubectl:
    name = "kubectl (a process per operation)"

    def __init__(self, sim, ns, kubectl):
        self.base = [kubectl, "--kubeconfig", sim.kubeconfig, "-n", ns]
        self.env = dict(os.environ, KUBECACHEDIR=os.path.join(sim.dir, "kubectl-cache"))
        self.run("get", "configmaps")  # a warm discovery cache, as a user has

    def run(self, *args):
        subprocess.run(self.base + list(args), env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create(self, name):
        self.run("create", "configmap", name, "--from-literal=key=value")

    def get(self, name):
        self.run("get", "configmap", name, "-o", "json")

    def delete(self, name):
        self.run("delete", "configmap", name)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_kubectl = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    kubectl = shutil.which("kubectl")
    try:
        import kubernetes  # noqa: F401
        have_python = True
    except ImportError:
        have_python = False

    with Simulator() as sim:
        admin = Manager(sim, "default")
        clients = []
        for i, make in enumerate([lambda ns: Manager(sim, ns),
                                  (lambda ns: PythonClient(sim, ns)) if have_python else None,
                                  (lambda ns: Kubectl(sim, ns, kubectl)) if kubectl else None]):
            if make is None:
                continue
            ns = f"bench-{i}"
            admin.km.namespace_create(ns, None)
            clients.append((make(ns), n_kubectl if i == 2 else n))
        # seconds spent per client and operation
        spent = {(c.name, op): 0.0 for c, _ in clients for op in OPS}
        for op in OPS:
            for r in range(ROUNDS):
                for c, count in clients:
                    per_round = count // ROUNDS
                    names = [f"cm-{r}-{j}" for j in range(per_round)]
                    func = getattr(c, op)
                    start = time.perf_counter()
                    for name in names:
                        func(name)
                    spent[(c.name, op)] += time.perf_counter() - start

        print(f"ConfigMaps on hero-virt-kube-sim: {n} through the manager and the python client, "
              f"{n_kubectl} through kubectl (per-operation times compared)")
        print(f"{'':36} {'create':>10} {'get':>10} {'delete':>10} {'all':>10}   (ms per operation)")
        per_op = {}
        for c, count in clients:
            done = count // ROUNDS * ROUNDS
            row = [spent[(c.name, op)] / done * 1000 for op in OPS]
            per_op[c.name] = row + [sum(spent[(c.name, op)] for op in OPS) / (3 * done) * 1000]
            print(f"{c.name:36} " + " ".join(f"{v:10.3f}" for v in per_op[c.name]))
        ours = per_op[Manager.name]
        failed = False
        for other, target in ((PythonClient.name, 3), (Kubectl.name, 30)):
            if other not in per_op:
                print(f"{other}: not installed, not compared")
                continue
            ratios = [theirs / mine for theirs, mine in zip(per_op[other], ours)]
            ok = ratios[3] >= target
            failed |= not ok
            print(f"manager vs {other}: " + ", ".join(
                f"{op} {ratio:.1f}x" for op, ratio in zip(OPS + ("all",), ratios))
                + f"  (target >= {target}x: {'met' if ok else 'NOT met'})")
        if Kubectl.name in per_op:
            total = sum(per_op[Kubectl.name][:3]) * n / 1000
            print(f"(kubectl would take about {total:.0f} s for {n} of each; the manager took "
                  f"{sum(spent[(Manager.name, op)] for op in OPS):.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
