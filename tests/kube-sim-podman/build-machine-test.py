#!/usr/bin/env python3
# HeroVirt.BuildMachine on real pods (hero-virt-kube-sim --node-agent podman),
# from Python: a privileged buildah pod builds a tiny image FROM the busybox
# test image, pushes it to a docker-registry on the host (listening on
# 0.0.0.0, reached from the pod through the pod network's gateway), and the
# host pulls it back with podman and runs it. Also: the pod spec, bad input,
# a start that times out (the error names the pod and its last condition,
# the pod is deleted). Needs the buildah test image
# (scripts/build-test-images.sh --with-buildah: mmdebstrap, about a minute
# the first time). TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "kube-sim"))
from kubesim import Tap, binary, require, wait_for  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import Gio, GLib, HeroVirt, Json  # noqa: E402

PODMAN = require("podman", "podman")
require("buildah", "buildah")
require("skopeo", "skopeo")
require("runc", "runc")
require("mmdebstrap", "mmdebstrap (for the buildah test image)")
REGISTRY = require("/usr/bin/docker-registry", "docker-registry")
SOURCE_ROOT = os.environ.get("HERO_VIRT_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
BUILD_IMAGES = os.path.join(SOURCE_ROOT, "scripts", "build-test-images.sh")


def free_port():
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


class Env:
    """The test images (with buildah's) in a registry on 0.0.0.0, so that
    pods reach it through the pod network's gateway, and the simulator with
    the podman node agent. run-examples.py uses it too."""

    def __init__(self, prefix="build-machine-test-"):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.sim = None
        self.port = free_port()
        os.makedirs(os.path.join(self.dir, "reg"))
        with open(os.path.join(self.dir, "reg", "config.yml"), "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {self.dir}/reg/data\nhttp:\n  addr: 0.0.0.0:{self.port}\n")
        self.reg_log = open(os.path.join(self.dir, "reg.log"), "w")
        self.registry = subprocess.Popen([REGISTRY, "serve", os.path.join(self.dir, "reg", "config.yml")],
                                         stdout=self.reg_log, stderr=subprocess.STDOUT)
        self.reg = f"127.0.0.1:{self.port}"
        wait_for(self._registry_up, timeout=30)
        out = subprocess.run([BUILD_IMAGES, "--with-buildah", "--push", self.reg], check=True,
                             capture_output=True, text=True)
        self.images = {line.split()[0]: line.split()[2] for line in out.stdout.splitlines()}
        self.root = os.path.join(self.dir, "podman")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.sim_log = open(os.path.join(self.dir, "sim.log"), "w")
        self.sim = subprocess.Popen([binary(), "--port", "0", "--kubeconfig", self.kubeconfig,
                                     "--node-agent", "podman", "--podman-root", self.root],
                                    stdout=subprocess.PIPE, stderr=self.sim_log, text=True)
        line = self.sim.stdout.readline()
        if not line.startswith("KUBE_SIM_READY"):
            self.stop()
            raise RuntimeError(f"simulator did not start: {line!r}")
        config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1)
        self.km = HeroVirt.KubernetesManager.new_full("default", self.kubeconfig, None, config)

    def _registry_up(self):
        try:
            with urllib.request.urlopen(f"http://{self.reg}/v2/", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def podman(self, *args):
        env = dict(os.environ, CONTAINERS_CONF=os.path.join(self.root, "containers.conf"),
                   CONTAINERS_STORAGE_CONF=os.path.join(self.root, "storage.conf"))
        return subprocess.run([PODMAN, *args], env=env, check=True, capture_output=True, text=True).stdout

    def stop(self):
        if self.sim is not None and self.sim.poll() is None:
            self.sim.send_signal(signal.SIGTERM)
            try:
                self.sim.wait(120)
            except subprocess.TimeoutExpired:
                self.sim.kill()
                self.sim.wait()
        self.sim_log.close() if hasattr(self, "sim_log") else None
        if self.registry.poll() is None:
            self.registry.terminate()
            self.registry.wait(10)
        self.reg_log.close()
        if os.path.exists(os.path.join(self.root, "storage.conf")):
            try:
                self.podman("pod", "rm", "-a", "-f", "-t", "0")
                self.podman("rm", "-a", "-f", "-t", "0")
                self.podman("rmi", "-a", "-f")
            except subprocess.CalledProcessError:
                pass
        subprocess.run(["rm", "-rf", "--one-file-system", self.dir])


def error_of(func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.domain == "hero-virt-error-quark", e
        return e
    raise AssertionError("expected an error")


def pod_gone(env, name):
    kind = HeroVirt.ClusterKind.lookup("v1", "Pod")
    try:
        env.km.get(kind, name, None)
    except GLib.Error as e:
        return e.matches(HeroVirt.Error.quark(), HeroVirt.Error.NOT_FOUND)
    return False


def gateway(executor):
    """The pod's default gateway, from /proc/net/route (little-endian hex)."""
    text = executor.run_argv(["cat", "/proc/net/route"], None).get_stdout_text()
    for line in text.splitlines()[1:]:
        f = line.split()
        if f[1] == "00000000":
            return socket.inet_ntoa(int(f[2], 16).to_bytes(4, "little"))
    raise AssertionError(f"no default route in {text!r}")


def test_spec_and_bad_input(env):
    bm = HeroVirt.BuildMachine.new(env.km, "bm-spec").image(env.images["buildah"])
    pod = json.loads(Json.to_string(bm.build(), False))
    c = pod["spec"]["containers"][0]
    assert c["name"] == "buildah" and c["image"] == env.images["buildah"], c
    assert c["command"] == ["sleep", "infinity"], c
    assert c["securityContext"]["privileged"] is True, c
    assert pod["metadata"]["labels"]["hero-virt.org/build-machine"] == "bm-spec", pod
    e = error_of(HeroVirt.BuildMachine.new(env.km, "Bad_Name").start, 1000, None)
    assert e.code == HeroVirt.Error.INVALID_ARGUMENT and "Bad_Name" in e.message, e.message
    e = error_of(HeroVirt.BuildMachine.new(env.km, "bm").image("bad image ref").start, 1000, None)
    assert e.code == HeroVirt.Error.INVALID_ARGUMENT and "image" in e.message, e.message
    e = error_of(HeroVirt.BuildMachine.new(env.km, "bm").registry("a b").build)
    assert e.code == HeroVirt.Error.INVALID_ARGUMENT and "registry" in e.message, e.message
    idle = HeroVirt.BuildMachine.new(env.km, "bm-idle")
    e = error_of(idle.push, "localhost/x:1", "x:1", None)
    assert "not running" in e.message, e.message
    e = error_of(idle.new_builder, "x", "scratch")
    assert "not running" in e.message, e.message
    assert idle.stop(None)  # nothing to delete is fine


def test_start_timeout(env):
    missing = f"{env.reg}/hero-virt-test/no-such-image:1"
    bm = HeroVirt.BuildMachine.new(env.km, "bm-timeout").image(missing)
    e = error_of(bm.start, 3000, None)
    assert e.code == HeroVirt.Error.TIMEOUT, e.message
    assert "bm-timeout" in e.message and "condition" in e.message, e.message
    assert not bm.is_running()
    assert wait_for(lambda: pod_gone(env, "bm-timeout"), timeout=60), "the pod was not deleted"


def test_start_cancelled(env):
    missing = f"{env.reg}/hero-virt-test/no-such-image:1"
    bm = HeroVirt.BuildMachine.new(env.km, "bm-cancel").image(missing)
    cancellable = Gio.Cancellable()
    loop = GLib.MainLoop()
    res = {}

    def done(src, result):
        try:
            res["ok"] = src.start_finish(result)
        except GLib.Error as e:
            res["error"] = e
        loop.quit()

    bm.start_async(120000, cancellable, done)
    GLib.timeout_add(1500, lambda: cancellable.cancel() and False)
    loop.run()
    e = res.get("error")
    assert e is not None and e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), res
    assert not bm.is_running()
    assert wait_for(lambda: pod_gone(env, "bm-cancel"), timeout=60), "the pod was not deleted"
    # stop_async on a machine that is not running
    res.clear()

    def stopped(src, result):
        res["ok"] = src.stop_finish(result)
        loop.quit()

    bm.stop_async(None, stopped)
    loop.run()
    assert res["ok"] is True


def test_build_push_pull_run(env):
    bm = HeroVirt.BuildMachine.new(env.km, "bm").image(env.images["buildah"]).tls_verify(False)
    loop = GLib.MainLoop()
    res = {}

    def started(src, result):
        try:
            res["ok"] = src.start_finish(result)
        except GLib.Error as e:
            res["error"] = e
        loop.quit()

    bm.start_async(300000, None, started)
    loop.run()
    assert res.get("ok"), res
    try:
        ex = bm.get_executor()
        assert ex.get_pod() == "bm" and ex.get_container() == "buildah"
        gw = gateway(ex)
        hostreg = f"{gw}:{env.port}"
        bm.registry(hostreg)
        base = env.images["busybox"].replace(env.reg, hostreg)
        b = bm.new_builder("tiny", base)
        # a buildah provider of its own that passes --storage-driver vfs
        assert b.props.provider.props.storage_driver == "vfs", b.props.provider
        b.open(None)
        b.run("echo built-inside-the-pod > /inside.txt", None)
        b.set_cmd(["cat", "/inside.txt"])
        b.commit("localhost/bm/tiny:1", None)
        # every buildah call ran with --storage-driver vfs: the image is in vfs
        drv = ex.run_argv(["buildah", "--storage-driver", "vfs", "images", "-q", "localhost/bm/tiny:1"],
                          None)
        assert drv.get_exit_status() == 0 and drv.get_stdout_text().strip(), drv.get_stderr_text()
        pushed = bm.push("localhost/bm/tiny:1", "bm/tiny:1", None)
        assert pushed == f"{hostreg}/bm/tiny:1", pushed
        with urllib.request.urlopen(f"http://{env.reg}/v2/_catalog", timeout=5) as r:
            assert "bm/tiny" in json.loads(r.read())["repositories"]
        env.podman("pull", "-q", "--tls-verify=false", f"{env.reg}/bm/tiny:1")
        out = env.podman("run", "--rm", f"{env.reg}/bm/tiny:1")
        assert out.strip() == "built-inside-the-pod", out
        res.clear()

        def pushed_cb(src, result):
            try:
                res["ref"] = src.push_finish(result)
            except GLib.Error as e:
                res["error"] = e
            loop.quit()

        bm.push_async("localhost/bm/none:1", "bm/none:1", None, pushed_cb)
        loop.run()
        e = res.get("error")
        assert e is not None and "localhost/bm/none:1" in e.message, res
    finally:
        assert bm.stop(None)
    assert not bm.is_running()
    assert wait_for(lambda: pod_gone(env, "bm"), timeout=60), "the pod was not deleted"


def main():
    tap = Tap()
    env = Env()
    try:
        tap.run("spec, bad input, not running", test_spec_and_bad_input, env)
        tap.run("start times out on a missing image, pod deleted", test_start_timeout, env)
        tap.run("start cancelled, pod deleted; stop_async", test_start_cancelled, env)
        tap.run("build in the pod, push, pull on the host, run", test_build_push_pull_run, env)
    finally:
        env.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
