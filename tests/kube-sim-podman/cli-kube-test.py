#!/usr/bin/env python3
# The hero-virt CLI on real pods (hero-virt-kube-sim --node-agent podman, one
# simulator for the whole file): `kube logs -f`, `exec` (-i), `port-forward`
# and `cp` on a running pod; `kube registry deploy|remove` without and with
# htpasswd (a push from the host with the printed endpoint and credentials,
# a pull back, nothing left after remove); `kube devmachine create|ssh|remove`
# with a generated key, the host key checked. tests/k8s/cli-kube-apps-test.py
# covers usage and bad input against the fake agent. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("podman_agent_test", os.path.join(HERE, "podman-agent-test.py"))
pat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pat)  # the environment: registry, images, simulator
Tap, wait_for = pat.Tap, pat.wait_for

HERO_VIRT = os.path.join(os.environ["HERO_VIRT_BUILD_ROOT"], "tools", "hero-virt")
SSH = pat.require("ssh", "openssh-client")
SSH_KEYGEN = pat.require("ssh-keygen", "openssh-client")
pat.require("htpasswd", "apache2-utils")

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: box}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: web
    image: {image}
    command: [httpd, -f, -p, "127.0.0.1:8080", -h, /www]
  - name: ticker
    image: {image}
    command: [sh, -c, "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done"]
"""


class Cli:
    def __init__(self, env):
        self.env = env
        self.environ = dict(os.environ, KUBECONFIG=env.kubeconfig)

    def run(self, *args, check=0, input=None, timeout=180):
        p = subprocess.run([HERO_VIRT, "kube", *args], capture_output=True, text=True, env=self.environ,
                           input=input, stdin=None if input is not None else subprocess.DEVNULL,
                           timeout=timeout)
        assert p.returncode == check, \
            f"hero-virt kube {' '.join(args)}: exit {p.returncode}, wanted {check}\n" \
            f"stdout: {p.stdout}\nstderr: {p.stderr}"
        return p

    def popen(self, *args):
        return subprocess.Popen([HERO_VIRT, "kube", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True, env=self.environ)

    def names(self, kind):
        out = json.loads(self.run("get", kind, "--json").stdout)
        return sorted(o["metadata"]["name"] for o in out["items"])


def stop(p):
    """Stops a CLI process we started, by its PID; gives its exit status."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        return p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise


def get(url, auth=None):
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def free_node_port():
    for candidate in range(30000 + (os.getpid() * 7) % 2500, 32767):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        return candidate
    raise RuntimeError("no free node port")


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except OSError:
        return True


def setup_pod(env):
    env.apply(POD.format(image=env.busybox))
    env.kubectl("wait", "--for=condition=Ready", "pod/box", "--timeout=120s")


# ---- logs, exec, port-forward, cp ---------------------------------------------

def test_logs(cli):
    p = cli.popen("logs", "-f", "box", "-c", "ticker")
    try:
        lines = [p.stdout.readline() for _ in range(6)]
        assert all(line.startswith("tick") for line in lines), lines
        nums = [int(line.strip()[4:]) for line in lines]
        assert nums == list(range(nums[0], nums[0] + 6)), nums
        assert p.poll() is None, "logs -f ended on its own"
    finally:
        assert stop(p) == 0, p.stderr.read()
    out = cli.run("logs", "box", "-c", "ticker", "--tail", "2").stdout.splitlines()
    assert len(out) == 2 and all(line.startswith("tick") for line in out), out


def test_exec(cli):
    p = cli.run("exec", "box", "-c", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=3)
    assert p.stdout == "out\n" and p.stderr == "err\n", (p.stdout, p.stderr)
    # in that container: its PID 1 is the httpd
    p = cli.run("exec", "box", "-c", "web", "--", "cat", "/proc/1/cmdline")
    assert p.stdout.split("\0")[0] == "httpd", repr(p.stdout)
    data = "".join(f"line {i} äöü\n" for i in range(5000))
    p = cli.run("exec", "-i", "box", "-c", "ticker", "--", "sh", "-c", "tr a-z A-Z; echo done", input=data)
    upper = "".join(c.upper() if "a" <= c <= "z" else c for c in data)
    assert p.stdout == upper + "done\n", (len(p.stdout), len(upper))
    # options after the command are the command's
    p = cli.run("exec", "box", "-c", "web", "--", "echo", "-n", "--help")
    assert p.stdout == "--help", repr(p.stdout)


def test_port_forward(cli):
    p = cli.popen("port-forward", "box", "0:8080")
    try:
        line = p.stdout.readline()
        assert line.startswith("Forwarding from 127.0.0.1:") and line.rstrip().endswith("-> 8080"), line
        port = int(line.split(":")[1].split()[0])
        for _ in range(3):  # httpd listens on the pod's loopback only
            status, body = get(f"http://127.0.0.1:{port}/index.html")
            assert status == 200 and body.strip() == "hero-virt test busybox", (status, body)
    finally:
        assert stop(p) == 0, p.stderr.read()
    wait_for(lambda: refused(port), timeout=30)


def test_cp(cli):
    local = tempfile.mkdtemp(prefix="cli-cp-", dir=cli.env.dir)
    src = os.path.join(local, "src")
    os.makedirs(os.path.join(src, "sub"))
    with open(os.path.join(src, "run.sh"), "w") as f:
        f.write("#!/bin/sh\necho ran\n")
    os.chmod(os.path.join(src, "run.sh"), 0o755)
    blob = os.urandom(200000)
    with open(os.path.join(src, "sub", "blob"), "wb") as f:
        f.write(blob)
    cli.run("cp", "-c", "web", src, "box:/tmp/copied")
    p = cli.run("exec", "box", "-c", "web", "--", "sh", "-c", "/tmp/copied/run.sh && stat -c %s /tmp/copied/sub/blob")
    assert p.stdout == "ran\n200000\n", (p.stdout, p.stderr)
    back = os.path.join(local, "back")
    cli.run("cp", "-c", "web", "default/box:/tmp/copied", back)  # NAMESPACE/POD:PATH
    with open(os.path.join(back, "sub", "blob"), "rb") as f:
        assert f.read() == blob
    assert os.stat(os.path.join(back, "run.sh")).st_mode & 0o777 == 0o755
    p = cli.run("cp", "-c", "web", "box:/no/such/file", os.path.join(local, "x"), check=1)
    assert "/no/such/file" in p.stderr, p.stderr


# ---- registry deploy|remove ---------------------------------------------------

def push_and_pull(env, endpoint, authfile):
    ref = f"{endpoint}/cli/pushed:1"
    auth = ["--authfile", authfile] if authfile else []
    env.podman("pull", "-q", "--tls-verify=false", env.busybox)
    env.podman("tag", env.busybox, ref)
    env.podman("push", "-q", "--tls-verify=false", *auth, ref)
    env.podman("rmi", ref)
    env.podman("pull", "-q", "--tls-verify=false", *auth, ref)
    labels = json.loads(env.podman("image", "inspect", ref))[0]["Labels"] or {}
    env.podman("rmi", ref)
    return labels


def registry_gone(cli, env, name, port):
    """Nothing of the registry is left: objects, pods, podman pods, port."""
    def gone():
        return (not [n for n in cli.names("pods") if n.startswith(name + "-")]
                and name not in cli.names("deployments") and name not in cli.names("services")
                and f"{name}-htpasswd" not in cli.names("secrets"))
    wait_for(gone, timeout=90)
    wait_for(lambda: refused(port), timeout=60)
    left = [n for n in env.podman("pod", "ps", "--format", "{{.Name}}").split()
            if n.startswith(f"k8s_{name}-")]
    assert not left, left


def test_registry_plain(cli):
    env = cli.env
    port = free_node_port()
    p = cli.run("registry", "deploy", "reg", "--image", env.images["registry"], "--node-port", str(port),
                "--endpoint-host", "127.0.0.1", "--timeout", "2m")
    endpoint = p.stdout.strip()
    assert endpoint == f"127.0.0.1:{port}", p.stdout
    assert get(f"http://{endpoint}/v2/")[0] == 200
    assert push_and_pull(env, endpoint, None).get("org.hero-virt.test-image") == "busybox"
    status, body = get(f"http://{endpoint}/v2/_catalog")
    assert status == 200 and json.loads(body)["repositories"] == ["cli/pushed"], body
    cli.run("registry", "remove", "reg")
    registry_gone(cli, env, "reg", port)
    cli.run("registry", "remove", "reg")  # nothing left is fine


def test_registry_auth(cli):
    env = cli.env
    port = free_node_port()
    pwfile = os.path.join(env.dir, "authreg-password")
    # no node address given: the node's (the simulator's node is 127.0.0.1)
    p = cli.run("--json", "registry", "deploy", "authreg", "--image", env.images["registry"], "--node-port",
                str(port), "--auth", "builder", "--password-file", pwfile)
    out = json.loads(p.stdout)
    assert out == {"name": "authreg", "endpoint": f"127.0.0.1:{port}", "username": "builder"}, out
    assert os.stat(pwfile).st_mode & 0o777 == 0o600
    with open(pwfile) as f:
        password = f.read().rstrip("\n")
    assert len(password) == 24 and password not in p.stdout + p.stderr, "the password leaked"
    endpoint = out["endpoint"]
    url = f"http://{endpoint}/v2/"
    assert get(url)[0] == 401 and get(url, "builder:wrong")[0] == 401
    assert get(url, f"builder:{password}")[0] == 200
    try:
        env.podman("push", "-q", "--tls-verify=false", env.busybox, f"docker://{endpoint}/cli/x:1")
        raise AssertionError("pushed without credentials")
    except subprocess.CalledProcessError:
        pass
    authfile = os.path.join(env.dir, "auth.json")  # credentials never on argv
    token = base64.b64encode(f"builder:{password}".encode()).decode()
    with open(authfile, "w") as f:
        json.dump({"auths": {endpoint: {"auth": token}}}, f)
    os.chmod(authfile, 0o600)
    assert push_and_pull(env, endpoint, authfile).get("org.hero-virt.test-image") == "busybox"
    # deploying again with the password file: the same password, the images kept
    cli.run("registry", "deploy", "authreg", "--image", env.images["registry"], "--node-port", str(port),
            "--auth", "builder", "--password-file", pwfile)
    with open(pwfile) as f:
        assert f.read().rstrip("\n") == password
    status, body = get(f"http://{endpoint}/v2/_catalog", f"builder:{password}")
    assert status == 200 and json.loads(body)["repositories"] == ["cli/pushed"], (status, body)
    cli.run("registry", "remove", "authreg")
    registry_gone(cli, env, "authreg", port)


# ---- devmachine create|ssh|remove ----------------------------------------------

def test_devmachine(cli):
    env = cli.env
    key = os.path.join(env.dir, "dev-id")
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "cli-test", "-f", key], check=True)
    port = free_node_port()
    p = cli.run("devmachine", "create", "dev", "--image", env.images["sshd"], "--authorized-key-file",
                key + ".pub", "--node-port", str(port), "--timeout", "2m")
    hostport, host_key = p.stdout.strip().split(" ", 1)
    assert hostport == f"127.0.0.1:{port}", p.stdout
    assert host_key.startswith("ssh-ed25519 "), p.stdout
    p = cli.run("devmachine", "ssh", "dev", "-i", key, "--", "uname", "-a")
    assert p.stdout.startswith("Linux dev "), (p.stdout, p.stderr)
    # it is the pod: sshd with the host key devmachine create made is its PID 1
    p = cli.run("devmachine", "ssh", "dev", "-i", key, "--", "cat", "/etc/hero-virt/ssh/ssh_host_ed25519_key.pub")
    assert p.stdout.split()[:2] == host_key.split()[:2], (p.stdout, host_key)
    # exit status and arguments pass through
    p = cli.run("devmachine", "ssh", "dev", "-i", key, "--", "sh", "-c", "'echo $0 $1; exit 7'", "a", "b",
                check=7)
    assert p.stdout == "a b\n", repr(p.stdout)
    # the host key is checked: with another key on record ssh refuses
    other = os.path.join(env.dir, "other-host")
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", other], check=True)
    with open(other + ".pub") as f:
        fake = base64.b64encode(f.read().encode()).decode()
    env.kubectl("patch", "secret", "dev-ssh", "--type", "merge", "-p",
                json.dumps({"data": {"ssh_host_ed25519_key.pub": fake}}))
    p = cli.run("devmachine", "ssh", "dev", "-i", key, "--", "true", check=255)
    assert "host key" in p.stderr.lower() or "HOST IDENTIFICATION" in p.stderr, p.stderr
    cli.run("devmachine", "remove", "dev")

    def gone():
        return "dev" not in cli.names("pods") and "dev-ssh" not in cli.names("secrets") \
            and "dev-ssh" not in cli.names("services")
    wait_for(gone, timeout=90)
    wait_for(lambda: refused(port), timeout=60)
    left = [n for n in env.podman("pod", "ps", "--format", "{{.Name}}").split() if n.startswith("k8s_dev_")]
    assert not left, left
    p = cli.run("devmachine", "ssh", "dev", "-i", key, "--", "true", check=1)
    assert "not found" in p.stderr.lower() or "not-found" in p.stderr, p.stderr


def main():
    tap = Tap()
    try:
        env = pat.Env()
    except Exception as e:  # noqa: BLE001
        print(f"Bail out! setup failed: {e}")
        return 1
    try:
        cli = Cli(env)
        setup_pod(env)
        for test in (test_logs, test_exec, test_port_forward, test_cp, test_registry_plain,
                     test_registry_auth, test_devmachine):
            tap.run(test.__name__, test, cli)
    finally:
        env.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
