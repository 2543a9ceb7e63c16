#!/usr/bin/python3
# The async forms of KubernetesManager's hand-written methods
# (resource_counts, apply_yaml, deploy_application, wait_for) from Python,
# driven by a GLib main loop, against hero-virt-kube-sim. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib, HeroVirt, Json  # noqa: E402

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: async-a}
data: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: async-s}
stringData: {password: x}
"""


def run_async(start, finish, *args):
    """Starts an async call, runs a main loop until it is done, returns
    (result, error, ticks): ticks counts a 10 ms timer that ran meanwhile."""
    loop = GLib.MainLoop()
    out = {}
    ticks = [0]

    def tick():
        ticks[0] += 1
        return GLib.SOURCE_CONTINUE

    def done(source, result):
        try:
            out["result"] = finish(result)
        except GLib.Error as e:
            out["error"] = e
        loop.quit()

    timer = GLib.timeout_add(10, tick)
    start(*args, None, done)
    loop.run()
    GLib.source_remove(timer)
    return out.get("result"), out.get("error"), ticks[0]


def manager(sim, ns):
    cfg = HeroVirt.KubernetesConfig.new().with_rate_limit(0, 1).with_timeout(10000)
    return HeroVirt.KubernetesManager.new_full(ns, sim.kubeconfig, None, cfg)


def test_apply_and_counts(sim):
    km = manager(sim, "default")
    km.namespace_create("async", None)
    km = manager(sim, "async")
    objs, err, _ = run_async(km.apply_yaml_async, km.apply_yaml_finish, MANIFEST, False)
    assert err is None, err
    assert [HeroVirt.kube_resource_get_name(o) for o in objs] == ["async-a", "async-s"]
    assert json.loads(Json.to_string(objs[0], False))["data"] == {"k": "v"}
    counts, err, _ = run_async(km.resource_counts_async, km.resource_counts_finish)
    assert err is None, err
    assert counts["configmaps"] >= 1 and counts["secrets"] >= 1 and counts["pods"] == 0, counts
    # an error comes back through the callback
    _, err, _ = run_async(km.apply_yaml_async, km.apply_yaml_finish,
                          "apiVersion: v1\nmetadata: {name: x}\n", False)
    assert err is not None and err.code == HeroVirt.Error.INVALID_ARGUMENT, err


def test_deploy_and_wait(sim):
    km = manager(sim, "async")
    ok, err, _ = run_async(km.deploy_application_async, km.deploy_application_finish,
                           "shop", "nginx:1.25", 2, 8080, None, None)
    assert err is None and ok is True, err
    deployments = HeroVirt.ClusterKind.lookup("apps/v1", "Deployment")
    obj, err, _ = run_async(km.wait_for_async, km.wait_for_finish, deployments, "shop",
                                "Available", 60000)
    assert err is None, err
    assert json.loads(Json.to_string(obj, False))["status"]["availableReplicas"] == 2
    # waiting for what never comes: a timeout error through the callback
    _, err, ticks = run_async(km.wait_for_async, km.wait_for_finish, deployments, "shop",
                              "Frobnicated", 300)
    assert err is not None and err.code == HeroVirt.Error.TIMEOUT, err
    assert ticks > 0, "the main loop did not run during wait_for_async"
    # a cancelled wait
    cancellable = Gio.Cancellable()
    loop = GLib.MainLoop()
    out = {}

    def done(source, result):
        try:
            km.wait_for_finish(result)
        except GLib.Error as e:
            out["error"] = e
        loop.quit()

    km.wait_for_async(deployments, "shop", "Frobnicated", 60000, cancellable, done)
    GLib.timeout_add(100, lambda: cancellable.cancel() or False)
    loop.run()
    assert out["error"].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), out
    # deploy_application validates before any request
    _, err, _ = run_async(km.deploy_application_async, km.deploy_application_finish,
                          "Bad_Name", "nginx", 1, 80, None, None)
    assert err.code == HeroVirt.Error.INVALID_ARGUMENT, err


def main():
    tap = Tap()
    with Simulator() as sim:
        tap.run("apply_yaml_async and resource_counts_async", test_apply_and_counts, sim)
        tap.run("deploy_application_async and wait_for_async", test_deploy_and_wait, sim)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
