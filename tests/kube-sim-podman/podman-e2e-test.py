#!/usr/bin/env python3
# End to end on real pods (hero-virt-kube-sim --node-agent podman): the real
# kubectl's logs -f, exec (-i) and port-forward; HeroVirt's pod_exec,
# PodExecutor (also on a terminal, resized), PortForward and cp; RegistryDeployer (a push and a pull, with
# and without htpasswd) and DevelopmentMachine (an SSH login, host key
# checked). The images come from scripts/build-test-images.sh. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import base64
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("podman_agent_test", os.path.join(HERE, "podman-agent-test.py"))
pat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pat)  # the environment: registry, images, simulator
Tap, wait_for = pat.Tap, pat.wait_for

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

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


def manager(env):
    config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1).with_timeout(30000)
    return HeroVirt.KubernetesManager.new_full("default", env.kubeconfig, None, config)


def get(url, auth=None):
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def concurrent_gets(port, n=6):
    results = {}

    def one(i):
        results[i] = get(f"http://127.0.0.1:{port}/index.html")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == n, results
    for status, body in results.values():
        assert status == 200 and body.strip() == "hero-virt test busybox", (status, body)


def free_node_port():
    for candidate in range(30000 + os.getpid() % 2000, 32767):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        return candidate
    raise RuntimeError("no free node port")


def setup_pod(env):
    env.apply(POD.format(image=env.busybox))
    env.kubectl("wait", "--for=condition=Ready", "pod/box", "--timeout=120s")
    ip = env.pod("box")["status"]["podIP"]
    # httpd listens on the pod's loopback only: not reachable on its IP
    try:
        socket.create_connection((ip, 8080), timeout=5).close()
        raise AssertionError("httpd answers on the pod IP")
    except OSError:
        pass


# ---- the real kubectl -------------------------------------------------------

def test_kubectl_logs_follow(env):
    p = subprocess.Popen([pat.KUBECTL, "--kubeconfig", env.kubeconfig, "logs", "-f", "box", "-c", "ticker"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [p.stdout.readline() for _ in range(8)]
        nums = [int(line.strip()[4:]) for line in lines]
        assert all(line.startswith("tick") for line in lines), lines
        assert nums == list(range(nums[0], nums[0] + 8)), nums
        assert p.poll() is None, "logs -f ended on its own"
    finally:
        p.terminate()
        p.wait(30)


def test_kubectl_exec(env):
    r = subprocess.run([pat.KUBECTL, "--kubeconfig", env.kubeconfig, "exec", "box", "-c", "web", "--",
                        "sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert r.stdout == "out\n", repr(r.stdout)
    assert r.stderr.startswith("err\n"), repr(r.stderr)
    # the container's own processes: it runs in that container
    out = env.kubectl("exec", "box", "-c", "web", "--", "cat", "/proc/1/cmdline")
    assert out.split("\0")[0] == "httpd", repr(out)
    data = "".join(f"line {i} äöü\n" for i in range(20000))
    out = env.kubectl("exec", "-i", "box", "-c", "web", "--", "sh", "-c", "tr a-z A-Z; echo done", input=data)
    upper = "".join(c.upper() if "a" <= c <= "z" else c for c in data)  # tr is bytewise
    assert out == upper + "done\n", (len(out), len(upper))


def test_kubectl_port_forward(env):
    p = subprocess.Popen([pat.KUBECTL, "--kubeconfig", env.kubeconfig, "port-forward", "pod/box", ":8080"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("Forwarding from 127.0.0.1:"), line
        port = int(line.split(":")[1].split()[0])
        for _ in range(2):
            concurrent_gets(port)
    finally:
        p.terminate()
        p.wait(30)


# ---- HeroVirt's own ---------------------------------------------------------

def test_pod_exec(env):
    km = manager(env)
    r = km.pod_exec("box", "web", ["sh", "-c", "echo out; echo err >&2; exit 3"], None, None)
    assert r.get_exit_status() == 3, r.get_exit_status()
    assert r.get_stdout_text() == "out\n" and r.get_stderr_text() == "err\n", (r.get_stdout_text(),
                                                                              r.get_stderr_text())
    data = b"bin\x00\xff" * 50000
    r = km.pod_exec("box", "ticker", ["cat"], GLib.Bytes.new(data), None)
    assert r.get_exit_status() == 0 and r.get_stdout().get_data() == data


def test_pod_executor(env):
    km = manager(env)
    ex = HeroVirt.PodExecutor.new(km, "box", "web")
    cmd = (HeroVirt.Command.new("sh").add_arg("-c").add_arg('echo "$X|$(pwd)"; cat; echo e >&2; exit 5')
           .setenv("X", "from-cmd").set_cwd("/www").set_stdin_text("stdin data\n"))
    r = ex.run(cmd, None)
    assert r.get_exit_status() == 5, r.get_exit_status()
    assert r.get_stdout_text() == "from-cmd|/www\nstdin data\n", repr(r.get_stdout_text())
    assert r.get_stderr_text() == "e\n", repr(r.get_stderr_text())


ATTACH_POD = """
apiVersion: v1
kind: Pod
metadata: {{name: att}}
spec:
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
  containers:
  - name: main
    image: {image}
    command: [cat]
    stdin: true
"""


def test_pod_attach(env):
    """Attach to a real container's main process (cat): what we write
    comes back; shutting down our side closes its stdin, cat exits, and
    its exit ends the stream."""
    env.apply(ATTACH_POD.format(image=env.busybox))
    env.kubectl("wait", "--for=condition=Ready", "pod/att", "--timeout=120s")
    km = manager(env)
    try:
        s = km.pod_attach("att", None, True, False, None)
        data = b"line one\n" + b"x" * 300000 + b"\nlast\n"
        s.get_output_stream().write_all(data, None)
        s.get_socket().shutdown(False, True)
        got = b""
        while True:
            b = s.get_input_stream().read_bytes(65536, None).get_data()
            if not b:
                break
            got += b
        s.close(None)
        assert got == data, (len(got), got[:40], got[-40:])
        wait_for(lambda: env.pod("att")["status"].get("phase") == "Succeeded", timeout=60)
    finally:
        env.kubectl("delete", "pod", "att", "--wait=false")


def test_pod_exec_tty(env):
    """A terminal in a real container (runc's pty through podman's exec):
    stderr merged, the size set before the run, a resize while it runs.
    podman applies a resize in its own time, so the shell waits until it
    sees the size (the command's timeout bounds it; busybox's stty fails
    on a terminal with no size yet, hence 2>/dev/null)."""
    km = manager(env)
    ex = HeroVirt.PodExecutor.new(km, "box", "web")
    cmd = HeroVirt.Command.new_argv(
        ["sh", "-c", "test -t 0 && test -t 1 && echo tty; echo err >&2; "
                     "until [ \"$(stty size 2>/dev/null)\" = '33 77' ]; do sleep 0.05; done; stty size; exit 4"])
    cmd.set_tty(True).set_timeout(60000).resize(77, 33)
    r = ex.run(cmd, None)
    assert r.get_exit_status() == 4, r.get_exit_status()
    assert r.get_stdout_text() == "tty\r\nerr\r\n33 77\r\n", repr(r.get_stdout_text())
    assert r.get_stderr_text() == ""
    cmd = HeroVirt.Command.new_argv(
        ["sh", "-c", "until [ \"$(stty size 2>/dev/null)\" = '24 80' ]; do sleep 0.05; done; "
                     "trap 'stty size; exit 0' WINCH; stty size; while :; do sleep 0.05; done"])
    cmd.set_tty(True).set_timeout(60000).resize(80, 24)
    lines = []

    def on_line(c, stream, line):
        lines.append(line)
        if line == "24 80":
            c.resize(100, 30)

    cmd.connect("output-line", on_line)
    r = ex.run(cmd, None)
    assert r.get_exit_status() == 0 and lines == ["24 80", "30 100"], (r.get_exit_status(), lines)


def test_port_forward(env):
    km = manager(env)
    pf = km.port_forward("box", 0, 8080)
    try:
        concurrent_gets(pf.get_local_port())
        assert pf.get_total_connections() == 6, pf.get_total_connections()
    finally:
        pf.stop()
    pf = HeroVirt.PortForward.new(km.get_provider(), "default", "box", 8080)
    assert pf.start(0)
    try:
        concurrent_gets(pf.get_local_port(), 3)
    finally:
        pf.stop()


def test_cp(env):
    km = manager(env)
    local = tempfile.mkdtemp(prefix="cp-", dir=env.dir)
    src = os.path.join(local, "src")
    os.makedirs(os.path.join(src, "sub"))
    with open(os.path.join(src, "run.sh"), "w") as f:
        f.write("#!/bin/sh\necho ran\n")
    os.chmod(os.path.join(src, "run.sh"), 0o755)
    blob = os.urandom(300000)
    with open(os.path.join(src, "sub", "blob"), "wb") as f:
        f.write(blob)
    km.cp_to(src, "box", "web", "/tmp/copied", None)
    r = km.pod_exec("box", "web", ["sh", "-c", "/tmp/copied/run.sh && stat -c %s /tmp/copied/sub/blob"], None,
                    None)
    assert r.get_stdout_text() == "ran\n300000\n", (r.get_stdout_text(), r.get_stderr_text())
    back = os.path.join(local, "back")
    km.cp_from("box", "web", "/tmp/copied", back, None)
    with open(os.path.join(back, "sub", "blob"), "rb") as f:
        assert f.read() == blob
    assert os.stat(os.path.join(back, "run.sh")).st_mode & 0o777 == 0o755


# ---- RegistryDeployer ---------------------------------------------------------

def podman_authfile(env, endpoint, user, password):
    path = os.path.join(env.dir, "auth.json")  # credentials never on argv
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    with open(path, "w") as f:
        json.dump({"auths": {endpoint: {"auth": token}}}, f)
    os.chmod(path, 0o600)
    return path


def push_and_pull(env, endpoint, authfile):
    ref = f"{endpoint}/e2e/pushed:1"
    auth = ["--authfile", authfile] if authfile else []
    env.podman("pull", "-q", "--tls-verify=false", env.busybox)
    env.podman("tag", env.busybox, ref)
    env.podman("push", "-q", "--tls-verify=false", *auth, ref)
    env.podman("rmi", ref)
    env.podman("pull", "-q", "--tls-verify=false", *auth, ref)
    labels = json.loads(env.podman("image", "inspect", ref))[0]["Labels"] or {}
    env.podman("rmi", ref)
    return labels


def test_registry_plain(env):
    km = manager(env)
    port = free_node_port()
    reg = (HeroVirt.RegistryDeployer.new(km, "registry").image(env.images["registry"]).node_port(port)
           .endpoint_host("127.0.0.1"))
    assert reg.deploy(120000, None)
    try:
        assert reg.get_endpoint() == f"127.0.0.1:{port}", reg.get_endpoint()
        assert get(f"http://127.0.0.1:{port}/v2/")[0] == 200
        labels = push_and_pull(env, reg.get_endpoint(), None)
        assert labels.get("org.hero-virt.test-image") == "busybox", labels
        status, body = get(f"http://127.0.0.1:{port}/v2/_catalog")
        assert status == 200 and json.loads(body)["repositories"] == ["e2e/pushed"], body
    finally:
        assert reg.remove(None)
    wait_for(lambda: _refused(port), timeout=60)


def test_registry_htpasswd(env):
    km = manager(env)
    port = free_node_port()
    reg = (HeroVirt.RegistryDeployer.new(km, "authreg").image(env.images["registry"]).node_port(port)
           .endpoint_host("127.0.0.1").auth("builder", "pa ss:word"))
    assert reg.deploy(120000, None)
    try:
        url = f"http://127.0.0.1:{port}/v2/"
        assert get(url)[0] == 401
        assert get(url, "builder:wrong")[0] == 401
        assert get(url, "builder:pa ss:word")[0] == 200
        try:
            env.podman("push", "-q", "--tls-verify=false", env.busybox, f"docker://{reg.get_endpoint()}/e2e/x:1")
            raise AssertionError("pushed without credentials")
        except subprocess.CalledProcessError:
            pass
        authfile = podman_authfile(env, reg.get_endpoint(), reg.get_username(), reg.get_password())
        assert push_and_pull(env, reg.get_endpoint(), authfile).get("org.hero-virt.test-image") == "busybox"
    finally:
        assert reg.remove(None)
    wait_for(lambda: _refused(port), timeout=60)


# ---- DevelopmentMachine ---------------------------------------------------------

def test_devmachine_ssh(env):
    km = manager(env)
    port = free_node_port()
    dev = (HeroVirt.DevelopmentMachine.new(km, "dev").image(env.images["sshd"]).node_port(port)
           .endpoint_host("127.0.0.1"))
    assert dev.create(120000, None)
    try:
        assert dev.get_host() == "127.0.0.1" and dev.get_port() == port
        ex = dev.get_executor()
        r = ex.run(HeroVirt.Command.new("uname").add_arg("-a"), None)
        assert r.get_exit_status() == 0 and r.get_stdout_text().startswith("Linux dev "), r.get_stdout_text()
        # sshd is the pod's PID 1: the login went into the pod, with the host key checked
        r = ex.run(HeroVirt.Command.new("sh").add_arg("-c").add_arg("cat /proc/1/cmdline | tr '\\0' ' '"), None)
        # (sshd rewrites its title): the host key DevelopmentMachine generated
        assert "-h /etc/hero-virt/ssh/ssh_host_ed25519_key" in r.get_stdout_text(), r.get_stdout_text()
    finally:
        assert dev.remove(None)
    assert dev.get_executor() is None
    wait_for(lambda: _refused(port), timeout=60)


def test_devmachine_port_forward(env):
    """The same machine reached through a port forward to the pod's 22."""
    km = manager(env)
    dev = HeroVirt.DevelopmentMachine.new(km, "devpf").image(env.images["sshd"]).port_forward()
    assert dev.create(120000, None)
    port = dev.get_port()
    try:
        assert dev.get_host() == "127.0.0.1" and port > 0
        r = dev.get_executor().run(HeroVirt.Command.new("uname").add_arg("-a"), None)
        assert r.get_exit_status() == 0 and r.get_stdout_text().startswith("Linux devpf "), \
            r.get_stdout_text()
    finally:
        assert dev.remove(None)
    wait_for(lambda: _refused(port), timeout=60)


def _refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except OSError:
        return True


def main():
    tap = Tap()
    try:
        env = pat.Env()
        setup_pod(env)
    except Exception as e:  # noqa: BLE001
        print(f"Bail out! setup failed: {e}")
        try:
            env.stop()
        except Exception:  # noqa: BLE001
            pass
        return 1
    try:
        for test in (test_kubectl_logs_follow, test_kubectl_exec, test_kubectl_port_forward,
                     test_pod_exec, test_pod_executor, test_pod_exec_tty, test_pod_attach, test_port_forward, test_cp,
                     test_registry_plain, test_registry_htpasswd, test_devmachine_ssh,
                     test_devmachine_port_forward):
            tap.run(test.__name__, test, env)
    finally:
        env.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
