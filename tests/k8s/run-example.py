#!/usr/bin/python3
# Runs a Kubernetes example (C, Python, GJS or Vala) against a fresh
# hero-virt-kube-sim, or against the cluster HERO_VIRT_TEST_KUBECONFIG names,
# and checks that it passed all its checks.
#
#   run-example.py PROGRAM [ARG...]
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator  # noqa: E402


def run(kubeconfig):
    env = dict(os.environ, KUBECONFIG=kubeconfig)
    p = subprocess.run(sys.argv[1:], env=env, capture_output=True, text=True, timeout=600)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    if p.returncode != 0:
        print(f"{sys.argv[1]}: exit status {p.returncode}", file=sys.stderr)
        return 1
    if "14/14 checks passed" not in p.stdout:
        print(f"{sys.argv[1]}: did not report 14/14 checks passed", file=sys.stderr)
        return 1
    return 0


if len(sys.argv) < 2:
    print("usage: run-example.py PROGRAM [ARG...]", file=sys.stderr)
    sys.exit(2)
if os.environ.get("HERO_VIRT_TEST_KUBECONFIG"):
    sys.exit(run(os.environ["HERO_VIRT_TEST_KUBECONFIG"]))
with Simulator() as sim:
    sys.exit(run(sim.kubeconfig))
