#!/usr/bin/env python3
# HeroVirt.RegistryDeployer and HeroVirt.DevelopmentMachine against
# hero-virt-kube-sim with its fake node agent (pods become Ready, nothing
# runs): the objects they create, validation before any request, the
# timeouts (a pod that never gets ready, a registry or sshd that does not
# answer) and remove(). What needs pods that really run (/v2/ answering,
# an SSH login) is tested with the podman node agent. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap, require, binary  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import GLib, HeroVirt, Json  # noqa: E402

E = HeroVirt.Error


def requests_served(sim):
    ctx = ssl.create_default_context(cafile=sim.ca)
    ctx.load_cert_chain(sim.cert, sim.key)
    conn = http.client.HTTPSConnection("127.0.0.1", sim.port, context=ctx, timeout=10)
    conn.request("GET", "/kube-sim/requests")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data["total"]


def manager(sim, ns="default"):
    config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1)
    return HeroVirt.KubernetesManager.new_full(ns, sim.kubeconfig, None, config)


def py(node):
    return json.loads(Json.to_string(node, False))


def error_of(func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert e.domain == "hero-virt-error-quark", e
        return e
    raise AssertionError("expected an error")


def gone(km, kind, name):
    try:
        km.get(HeroVirt.ClusterKind.lookup(*kind), name, None)
    except GLib.Error as e:
        return e.code == E.NOT_FOUND
    return False


def env_of(container):
    return {e["name"]: e.get("value") for e in container["env"]}


def test_registry_objects(sim):
    km = manager(sim)
    reg = (HeroVirt.RegistryDeployer.new(km, "registry").node_port(30500)
           .storage_pvc("registry-data").auth("builder", "pa ss:word").tls_secret("registry-tls"))
    secret, deployment, service = [py(o) for o in reg.build(None)]
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == "registry-htpasswd"
    line = base64.b64decode(secret["data"]["htpasswd"]).decode()
    assert line.startswith("builder:$2y$") and line.endswith("\n"), line
    with tempfile.NamedTemporaryFile("w") as f:
        f.write(line)
        f.flush()
        # the bcrypt entry accepts the password (fed on stdin, as the deployer does)
        subprocess.run(["htpasswd", "-v", "-i", f.name, "builder"], input="pa ss:word", text=True,
                       check=True, capture_output=True)
    assert deployment["kind"] == "Deployment" and deployment["spec"]["strategy"] == {"type": "Recreate"}
    pod = deployment["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert c["name"] == "registry" and c["image"] == "docker.io/library/registry:2"
    assert c["ports"] == [{"name": "registry", "containerPort": 5000, "protocol": "TCP"}]
    env = env_of(c)
    assert env["REGISTRY_AUTH"] == "htpasswd" and env["REGISTRY_AUTH_HTPASSWD_PATH"] == "/auth/htpasswd"
    assert env["REGISTRY_HTTP_TLS_CERTIFICATE"] == "/certs/tls.crt"
    assert env["REGISTRY_HTTP_TLS_KEY"] == "/certs/tls.key"
    assert c["readinessProbe"]["tcpSocket"] == {"port": 5000}
    vols = {v["name"]: v for v in pod["volumes"]}
    assert vols["data"]["persistentVolumeClaim"] == {"claimName": "registry-data"}
    assert vols["auth"]["secret"] == {"secretName": "registry-htpasswd"}
    assert vols["certs"]["secret"] == {"secretName": "registry-tls"}
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    assert mounts == {"data": "/var/lib/registry", "auth": "/auth", "certs": "/certs"}
    assert service["spec"]["type"] == "NodePort"
    assert service["spec"]["ports"] == [{"name": "registry", "protocol": "TCP", "port": 5000,
                                         "targetPort": 5000, "nodePort": 30500}]
    assert reg.get_username() == "builder" and reg.get_password() == "pa ss:word"
    # defaults: emptyDir, no auth, a generated password when none is given
    plain = [py(o) for o in HeroVirt.RegistryDeployer.new(km, None).cluster_ip().build(None)]
    assert [o["kind"] for o in plain] == ["Deployment", "Service"]
    assert plain[0]["spec"]["template"]["spec"]["volumes"] == [{"name": "data", "emptyDir": {}}]
    assert plain[1]["spec"]["type"] == "ClusterIP"
    generated = HeroVirt.RegistryDeployer.new(km, "r2").auth("u", None)
    assert len(generated.get_password()) == 24


def test_registry_validation(sim):
    km = manager(sim)
    before = requests_served(sim)
    for reg, what in [
        (HeroVirt.RegistryDeployer.new(km, "Bad_Name"), "Registry name"),
        (HeroVirt.RegistryDeployer.new(km, "r").node_port(80), "nodePort"),
        (HeroVirt.RegistryDeployer.new(km, "r").auth("a:b", "x"), "user name"),
        (HeroVirt.RegistryDeployer.new(km, "r").auth("a", "two\nlines"), "password"),
        (HeroVirt.RegistryDeployer.new(km, "r").image("not an image"), "image"),
        (HeroVirt.RegistryDeployer.new(km, "r").namespace("Bad"), "RFC 1123"),
    ]:
        e = error_of(reg.deploy, 1000, None)
        assert e.code == E.INVALID_ARGUMENT and what in e.message, (what, e.message)
        assert "two\nlines" not in e.message
    assert requests_served(sim) == before


def test_registry_deploy_timeout_and_remove(sim):
    km = manager(sim)
    reg = HeroVirt.RegistryDeployer.new(km, "registry").auth("u", "p").endpoint_host("127.0.0.1")
    # the fake agent makes the pod Ready, but nothing listens on the node port
    e = error_of(reg.deploy, 3000, None)
    assert e.code == E.TIMEOUT and "did not answer /v2/" in e.message and "127.0.0.1:" in e.message, e.message
    got = py(km.deployment_get("registry", None))
    assert got["spec"]["template"]["spec"]["containers"][0]["name"] == "registry"
    svc = py(km.service_get("registry", None))
    assert svc["spec"]["type"] == "NodePort" and 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert py(km.secret_get("registry-htpasswd", None))["data"]["htpasswd"]
    assert reg.remove(None)
    assert gone(km, ("apps/v1", "Deployment"), "registry")
    assert gone(km, ("v1", "Service"), "registry")
    assert gone(km, ("v1", "Secret"), "registry-htpasswd")
    assert reg.remove(None)  # already gone is fine


def test_devmachine_objects(sim):
    km = manager(sim)
    dev = HeroVirt.DevelopmentMachine.new(km, "dev").image("localhost/sshd:1").node_port(30022)
    secret, pod, service = [py(o) for o in dev.build(None)]
    host_pub = dev.get_host_public_key()
    assert host_pub.startswith("ssh-ed25519 ")
    data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert secret["metadata"]["name"] == "dev-ssh"
    assert data["ssh_host_ed25519_key.pub"].strip() == host_pub
    assert "OPENSSH PRIVATE KEY" in data["ssh_host_ed25519_key"]
    assert data["authorized_keys"].startswith("ssh-ed25519 ") and "hero-virt-dev" in data["authorized_keys"]
    c = pod["spec"]["containers"][0]
    assert pod["metadata"]["labels"]["app"] == "dev" and c["image"] == "localhost/sshd:1"
    assert c["command"][:3] == ["/usr/sbin/sshd", "-D", "-e"]
    assert "AuthorizedKeysFile=/etc/hero-virt/ssh/authorized_keys" in c["command"]
    assert "PasswordAuthentication=no" in c["command"]
    items = {i["key"]: i["mode"] for i in pod["spec"]["volumes"][0]["secret"]["items"]}
    assert items == {"authorized_keys": 0o444, "ssh_host_ed25519_key": 0o400, "ssh_host_ed25519_key.pub": 0o444}
    assert service["metadata"]["name"] == "dev-ssh" and service["spec"]["selector"] == {"app": "dev"}
    assert service["spec"]["ports"][0]["nodePort"] == 30022 and service["spec"]["ports"][0]["targetPort"] == 22
    # the same keys on a second build
    again = [py(o) for o in dev.build(None)]
    assert again[0]["data"] == secret["data"]
    # a given key instead of a generated one
    given = HeroVirt.DevelopmentMachine.new(km, "dev2").authorized_key("ssh-ed25519 AAAAC3Nz me@host")
    s2 = py(given.build(None)[0])
    assert base64.b64decode(s2["data"]["authorized_keys"]).decode() == "ssh-ed25519 AAAAC3Nz me@host\n"


def test_devmachine_validation(sim):
    km = manager(sim)
    before = requests_served(sim)
    for dev, code, what in [
        (HeroVirt.DevelopmentMachine.new(km, "Dev"), E.INVALID_ARGUMENT, "name"),
        (HeroVirt.DevelopmentMachine.new(km, "d").authorized_key("not a key"), E.INVALID_ARGUMENT, "authorized key"),
        (HeroVirt.DevelopmentMachine.new(km, "d").user("Root;x"), E.INVALID_ARGUMENT, "user"),
        (HeroVirt.DevelopmentMachine.new(km, "d").node_port(22), E.INVALID_ARGUMENT, "nodePort"),
    ]:
        e = error_of(dev.create, 1000, None)
        assert e.code == code and what in e.message, (what, e.message)
    assert requests_served(sim) == before


def test_devmachine_timeout_and_remove(sim):
    km = manager(sim)
    dev = HeroVirt.DevelopmentMachine.new(km, "dev").endpoint_host("127.0.0.1")
    e = error_of(dev.create, 2500, None)
    assert e.code == E.TIMEOUT and "no SSH login at 127.0.0.1:" in e.message, e.message
    assert dev.get_port() >= 30000 and dev.get_host() == "127.0.0.1"
    assert py(km.pod_get("dev", None))["spec"]["containers"][0]["name"] == "sshd"
    assert dev.remove(None)
    assert gone(km, ("v1", "Service"), "dev-ssh") and gone(km, ("v1", "Secret"), "dev-ssh")
    # the pod is deleted (it may linger while it terminates)
    try:
        pod = py(km.pod_get("dev", None))
        assert pod["metadata"].get("deletionTimestamp"), pod["metadata"]
    except GLib.Error as err:
        assert err.code == E.NOT_FOUND
    assert dev.get_executor() is None


def test_pods_never_ready(slow):
    km = manager(slow)
    reg = HeroVirt.RegistryDeployer.new(km, "stuck").endpoint_host("127.0.0.1")
    e = error_of(reg.deploy, 1500, None)
    assert e.code == E.TIMEOUT, e.message
    assert "Registry “stuck”: not ready after 1500 ms: pod stuck-" in e.message, e.message
    assert "last condition PodScheduled=True" in e.message, e.message
    assert reg.remove(None)
    dev = HeroVirt.DevelopmentMachine.new(km, "stuck-dev")
    e = error_of(dev.create, 1500, None)
    assert e.code == E.TIMEOUT and "pod stuck-dev is Pending" in e.message, e.message
    assert dev.remove(None)


def main():
    require(binary(), "hero-virt-kube-sim")
    require("htpasswd", "apache2-utils")
    require("ssh-keygen", "openssh-client")
    tap = Tap()
    with Simulator("--pod-ready-delay", "100") as sim:
        tap.run("RegistryDeployer: the objects it builds", test_registry_objects, sim)
        tap.run("RegistryDeployer: bad settings before any request", test_registry_validation, sim)
        tap.run("RegistryDeployer: /v2/ timeout, remove()", test_registry_deploy_timeout_and_remove, sim)
        tap.run("DevelopmentMachine: the objects it builds", test_devmachine_objects, sim)
        tap.run("DevelopmentMachine: bad settings before any request", test_devmachine_validation, sim)
        tap.run("DevelopmentMachine: SSH timeout, remove()", test_devmachine_timeout_and_remove, sim)
    with Simulator("--pod-ready-delay", "600000") as slow:
        tap.run("a pod that never gets ready: TIMEOUT naming it and its condition", test_pods_never_ready, slow)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
