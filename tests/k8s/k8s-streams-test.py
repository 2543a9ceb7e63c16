#!/usr/bin/env python3
# The k8s plugin's streams against hero-virt-kube-sim (its fake node agent
# runs exec on the host in a scratch directory and forwards ports to
# 127.0.0.1): exec over WebSocket, following logs, port-forward, cp both
# ways, HeroVirt.PodExecutor, and the simulator killed mid-exec. TAP output.
# SPDX-License-Identifier: LGPL-2.1-or-later
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", "."), "tests", "kube-sim"))
from kubesim import Simulator, Tap, require, binary, wait_for  # noqa: E402

import gi  # noqa: E402

gi.require_version("HeroVirt", "1")
gi.require_version("Json", "1.0")
from gi.repository import Gio, GLib, HeroVirt, Json  # noqa: E402

E = HeroVirt.Error


def err_code(e):
    return e.code if e.domain == "hero-virt-error-quark" else None


def expect_error(code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        assert err_code(e) == code, f"expected {code}, got {e.domain} {e.code}: {e.message}"
        return e
    raise AssertionError(f"expected error {code}, got success")


def manager(sim, ns="default"):
    config = HeroVirt.KubernetesConfig.new().with_retries(2, 20, 200).with_rate_limit(0, 1).with_timeout(10000)
    return HeroVirt.KubernetesManager.new_full(ns, sim.kubeconfig, None, config)


def running_pod(km, name, annotations=None):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": {"app": name}, "annotations": annotations or {}},
           "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}
    km.create(HeroVirt.ClusterKind.lookup("v1", "Pod"), Json.from_string(json.dumps(pod)), None)
    km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Pod"), name, "Ready", 20000, None)


# ---- exec ------------------------------------------------------------------

def test_exec(km):
    r = km.pod_exec("box", None, ["sh", "-c", "echo out; echo err >&2; exit 3"], None, None)
    assert r.get_exit_status() == 3, r.get_exit_status()
    assert r.get_stdout_text() == "out\n", repr(r.get_stdout_text())
    assert r.get_stderr_text() == "err\n", repr(r.get_stderr_text())
    r = km.pod_exec("box", None, ["true"], None, None)
    assert r.get_exit_status() == 0
    data = b"line one\n\x00\xffbinary" * 5000
    r = km.pod_exec("box", None, ["cat"], GLib.Bytes.new(data), None)
    assert r.get_exit_status() == 0
    assert r.get_stdout().get_data() == data
    # argv, not a shell string
    r = km.pod_exec("box", None, ["echo", "a b", "$HOME", ";", "*"], None, None)
    assert r.get_stdout_text() == "a b $HOME ; *\n", repr(r.get_stdout_text())


def test_exec_missing(km):
    e = expect_error(E.NOT_FOUND, km.pod_exec, "box", "nope", ["true"], None, None)
    assert "nope" in e.message, e.message
    expect_error(E.NOT_FOUND, km.pod_exec, "no-such-pod", None, ["true"], None, None)
    expect_error(E.INVALID_ARGUMENT, km.pod_exec, "box", "Bad_Name", ["true"], None, None)


def test_exec_tls(sim):
    """The exec stream opens its own TLS connection: the kubeconfig's CA,
    insecure-skip-tls-verify and tls-server-name decide as for requests."""
    with open(sim.kubeconfig) as f:
        good = f.read()
    d = tempfile.mkdtemp(prefix="k8s-streams-tls-", dir=sim.dir)

    def executor(text):
        path = os.path.join(d, f"kc-{len(os.listdir(d))}")
        with open(path, "w") as f:
            f.write(text)
        config = HeroVirt.KubernetesConfig.new().with_retries(0, 20, 200).with_rate_limit(0, 1)
        km = HeroVirt.KubernetesManager.new_full("default", path, None, config)
        return HeroVirt.PodExecutor.new(km, "box", "main")

    def run(text):
        return executor(text).run(HeroVirt.Command.new("echo").add_arg("tls ok"), None)

    assert run(good).get_stdout_text() == "tls ok\n"
    ca_line = next(line for line in good.splitlines() if "certificate-authority" in line)
    insecure = good.replace(ca_line, ca_line.split("certificate-authority")[0] + "insecure-skip-tls-verify: true")
    assert run(insecure).get_exit_status() == 0
    wrong_name = good.replace(ca_line, ca_line + "\n" + ca_line.split("certificate-authority")[0]
                              + "tls-server-name: wrong.example")
    expect_error(E.HOST_KEY, run, wrong_name)
    openssl = shutil.which("openssl")
    if openssl is None and os.environ.get("CI") == "true":
        raise AssertionError("openssl is missing and CI=true")
    if openssl is not None:
        key, crt = os.path.join(d, "other.key"), os.path.join(d, "other.crt")
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", crt, "-days", "1", "-subj", "/CN=other-ca"],
                       check=True, capture_output=True)
        other = good.replace(ca_line, ca_line.split("certificate-authority")[0] + f"certificate-authority: {crt}")
        expect_error(E.HOST_KEY, run, other)


def test_exec_async(km):
    loop = GLib.MainLoop()
    out = {}

    def done(obj, res):
        out["r"] = km.pod_exec_finish(res)
        loop.quit()

    km.pod_exec_async("box", None, ["sh", "-c", "echo async"], None, None, done)
    loop.run()
    assert out["r"].get_stdout_text() == "async\n"


# ---- PodExecutor ----------------------------------------------------------

def test_pod_executor(km):
    ex = HeroVirt.PodExecutor.new(km, "box", None)
    assert not ex.is_local()
    assert "box" in ex.get_description()
    # stdin, env (executor's and command's), cwd
    ex.setenv("FROM_EXECUTOR", "e v")
    cmd = HeroVirt.Command.new("sh").add_arg("-c").add_arg('echo "$FROM_EXECUTOR|$FROM_CMD|$(pwd)"; cat')
    cmd.setenv("FROM_CMD", "c;v").set_cwd("/").set_stdin_text("input\n")
    r = ex.run(cmd, None)
    assert r.get_stdout_text() == "e v|c;v|/\ninput\n", repr(r.get_stdout_text())
    # output lines
    lines = []
    cmd = HeroVirt.Command.new("sh").add_arg("-c").add_arg("echo one; echo two >&2; printf three")
    cmd.connect("output-line", lambda c, stream, line: lines.append((int(stream), line)))
    r = ex.run(cmd, None)
    assert sorted(lines) == [(0, "one"), (0, "three"), (1, "two")], lines
    # async: the result's source is the executor, the lines come in this
    # thread's context before the result
    loop = GLib.MainLoop()
    got = {}
    main_thread = threading.get_ident()
    cmd = HeroVirt.Command.new("sh").add_arg("-c").add_arg("echo a; echo b")
    cmd.connect("output-line", lambda c, stream, line: got.setdefault("lines", []).append(
        (line, threading.get_ident() == main_thread, "r" in got)))

    def done(source, res):
        got["source"] = source
        got["r"] = source.run_finish(res)
        loop.quit()

    ex.run_async(cmd, None, done)
    loop.run()
    assert got["source"] is ex, got["source"]
    assert got["r"].get_stdout_text() == "a\nb\n"
    assert got["lines"] == [("a", True, False), ("b", True, False)], got["lines"]
    # timeout: the stream is closed, an error within the limit
    cmd = HeroVirt.Command.new("sleep").add_arg("30").set_timeout(500)
    start = time.monotonic()
    expect_error(E.TIMEOUT, ex.run, cmd, None)
    assert time.monotonic() - start < 10
    # cancellation
    c = Gio.Cancellable()
    threading.Timer(0.3, c.cancel).start()
    try:
        ex.run(HeroVirt.Command.new("sleep").add_arg("30"), c)
        raise AssertionError("not cancelled")
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e.message
    # output caps
    cmd = HeroVirt.Command.new("head").add_arg("-c").add_arg("200000").add_arg("/dev/zero").set_max_output(1000)
    expect_error(E.TOO_LARGE, ex.run, cmd, None)
    ex.set_max_output(1000)
    expect_error(E.TOO_LARGE, ex.run, HeroVirt.Command.new("head").add_arg("-c").add_arg("5000").add_arg("/dev/zero"), None)
    ex.set_max_output(0)
    # files: write/read/temp dir/remove without following links
    tmp = ex.make_temp_dir(None)
    assert tmp.startswith("/")
    ex.write_file(tmp + "/f", GLib.Bytes.new(b"data\x00\x01"), 0o640, None)
    assert ex.read_file(tmp + "/f", None).get_data() == b"data\x00\x01"
    r = ex.run(HeroVirt.Command.new("stat").add_arg("-c").add_arg("%a").add_arg(tmp + "/f"), None)
    assert r.get_stdout_text().strip() == "640", r.get_stdout_text()
    victim = tempfile.mkdtemp(prefix="pod-exec-victim-")
    with open(os.path.join(victim, "keep"), "w") as f:
        f.write("keep")
    ex.run(HeroVirt.Command.new("ln").add_arg("-s").add_arg(victim).add_arg(tmp + "/link"), None)
    ex.remove_path(tmp, None)
    assert os.path.exists(os.path.join(victim, "keep"))
    r = ex.run(HeroVirt.Command.new("test").add_arg("-e").add_arg(tmp), None)
    assert r.get_exit_status() == 1
    # async run
    loop = GLib.MainLoop()
    out = {}

    def done(obj, res):
        out["r"] = ex.run_finish(res)
        loop.quit()

    ex.run_async(HeroVirt.Command.new("echo").add_arg("hi"), None, done)
    loop.run()
    assert out["r"].get_stdout_text() == "hi\n"
    # a missing program: the exit status a shell gives
    r = ex.run(HeroVirt.Command.new("no-such-program-here"), None)
    assert r.get_exit_status() in (126, 127), r.get_exit_status()


# ---- terminals and the v4 fallback ---------------------------------------

def test_tty(km):
    ex = HeroVirt.PodExecutor.new(km, "box", None)
    # A terminal in the container; stderr merged into stdout; the size set
    # before the run is there when the command reads its input (the resize
    # travels before stdin).
    cmd = HeroVirt.Command.new_argv(
        ["sh", "-c", "read x; test -t 0 && test -t 1 && test -t 2 && echo tty; stty size; "
                     "echo err >&2; exit 5"])
    cmd.set_tty(True).set_stdin_text("go\n")
    assert cmd.get_tty() and cmd.get_property("tty")
    assert cmd.get_terminal_size() == (False, 0, 0)
    cmd.resize(77, 33)
    assert cmd.get_terminal_size() == (True, 77, 33)
    r = ex.run(cmd, None)
    assert r.get_exit_status() == 5, r.get_exit_status()
    # the terminal echoes what was typed; its lines end in CR LF
    assert r.get_stdout_text() == "go\r\ntty\r\n33 77\r\nerr\r\n", repr(r.get_stdout_text())
    assert r.get_stderr_text() == "", repr(r.get_stderr_text())
    # without tty: no terminal
    r = ex.run(HeroVirt.Command.new_argv(["sh", "-c", "test -t 0 || test -t 1 || echo none"]), None)
    assert r.get_stdout_text() == "none\n", repr(r.get_stdout_text())


def test_tty_resize(km):
    ex = HeroVirt.PodExecutor.new(km, "box", None)
    # The shell prints the size, then again when SIGWINCH comes (the trap
    # is set after the first size is seen, so only a resize fires it).
    cmd = HeroVirt.Command.new_argv(
        ["sh", "-c", "read x; trap 'stty size; exit 0' WINCH; stty size; "
                     "while :; do sleep 0.05; done"])
    cmd.set_tty(True).set_stdin_text("go\n").set_timeout(60000)
    cmd.resize(80, 24)
    lines = []
    resized = []

    def on_line(c, stream, line):
        lines.append(line)
        if line == "24 80":
            c.resize(100, 30)

    cmd.connect("output-line", on_line)
    cmd.connect("resized", lambda c, w, h: resized.append((w, h)))
    r = ex.run(cmd, None)
    assert r.get_exit_status() == 0, r.get_exit_status()
    assert lines == ["go", "24 80", "30 100"], lines
    assert resized == [(100, 30)], resized
    # async, the resize from another thread while it runs
    cmd = HeroVirt.Command.new_argv(
        ["sh", "-c", "read x; trap 'stty size; exit 0' WINCH; stty size; "
                     "while :; do sleep 0.05; done"])
    cmd.set_tty(True).set_stdin_text("go\n").set_timeout(60000).resize(80, 24)
    seen = threading.Event()
    cmd.connect("output-line", lambda c, stream, line: line == "24 80" and seen.set())
    t = threading.Thread(target=lambda: (seen.wait(60), cmd.resize(132, 43)))
    t.start()
    loop = GLib.MainLoop()
    out = {}

    def done(obj, res):
        out["r"] = ex.run_finish(res)
        loop.quit()

    ex.run_async(cmd, None, done)
    loop.run()
    t.join()
    assert out["r"].get_stdout_text().endswith("24 80\r\n43 132\r\n"), repr(out["r"].get_stdout_text())


def test_tty_not_supported():
    cmd = HeroVirt.Command.new_argv(["true"]).set_tty(True)
    local = HeroVirt.LocalExecutor.new()
    expect_error(E.NOT_SUPPORTED, local.run, cmd, None)
    loop = GLib.MainLoop()
    out = {}

    def done(obj, res):
        try:
            local.run_finish(res)
            out["e"] = None
        except GLib.Error as e:
            out["e"] = e
        loop.quit()

    local.run_async(cmd, None, done)
    loop.run()
    assert out["e"] is not None and err_code(out["e"]) == E.NOT_SUPPORTED, out["e"]


def admin(sim, method, path, body=None):
    return sim.admin(method, path, body)


def test_v4_fallback(sim, km):
    ex = HeroVirt.PodExecutor.new(km, "box", None)
    faults = admin(sim, "PUT", "/kube-sim/faults", {"refuseProtocols": ["v5.channel.k8s.io"]})
    assert faults["refuseProtocols"] == ["v5.channel.k8s.io"], faults
    try:
        # stdout and stderr apart, the exit code from the error channel
        r = km.pod_exec("box", None, ["sh", "-c", "echo out; echo err >&2; exit 3"], None, None)
        assert r.get_exit_status() == 3, r.get_exit_status()
        assert r.get_stdout_text() == "out\n" and r.get_stderr_text() == "err\n", r
        # stdin: v4 cannot close it, so the command reads a known length
        data = os.urandom(200000)
        cmd = HeroVirt.Command.new_argv(["head", "-c", str(len(data))])
        r = ex.run(cmd.set_stdin(GLib.Bytes.new(data)), None)
        assert r.get_exit_status() == 0 and r.get_stdout().get_data() == data
        # ...and one that reads to the end never sees it: this is v4
        cmd = HeroVirt.Command.new_argv(["cat"]).set_stdin_text("x").set_timeout(2000)
        expect_error(E.TIMEOUT, ex.run, cmd, None)
        # a terminal and its size over v4 too
        cmd = HeroVirt.Command.new_argv(["sh", "-c", "read x; stty size; exit 4"])
        cmd.set_tty(True).set_stdin_text("go\n").resize(90, 20)
        r = ex.run(cmd, None)
        assert r.get_exit_status() == 4 and r.get_stdout_text() == "go\r\n20 90\r\n", repr(r.get_stdout_text())
    finally:
        admin(sim, "PUT", "/kube-sim/faults", {"refuseProtocols": []})
    # v5 again: stdin is closed, cat ends
    r = ex.run(HeroVirt.Command.new_argv(["cat"]).set_stdin_text("x").set_timeout(30000), None)
    assert r.get_stdout_text() == "x", repr(r.get_stdout_text())


# ---- attach ----------------------------------------------------------------

def attach_pod(km, name, once=True, interval=0):
    """The fake agent's main process: cat for a container with stdin."""
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name,
                        "annotations": {"kube-sim.hero-virt.dev/log-interval-ms": str(interval)}},
           "spec": {"containers": [{"name": "main", "image": "busybox:1.36",
                                    "stdin": True, "stdinOnce": once}]}}
    km.create(HeroVirt.ClusterKind.lookup("v1", "Pod"), Json.from_string(json.dumps(pod)), None)
    km.wait_for(HeroVirt.ClusterKind.lookup("v1", "Pod"), name, "Ready", 20000, None)


def read_to_eof(stream, limit=1 << 20):
    out = b""
    while len(out) < limit:
        b = stream.get_input_stream().read_bytes(65536, None).get_data()
        if not b:
            return out
        out += b
    raise AssertionError(f"more than {limit} bytes: {out[:200]!r}")


def test_attach(sim, km):
    pods = HeroVirt.ClusterKind.lookup("v1", "Pod")
    attach_pod(km, "att")
    # stdin goes to the main process (cat); shutting down our writing
    # closes its stdin, and with stdinOnce that ends the attach
    s = km.pod_attach("att", None, True, False, None)
    assert isinstance(s, Gio.SocketConnection), s
    data = b"hello\nworld\n" + b"".join(os.urandom(500).hex().encode() + b"\n" for _ in range(40))
    s.get_output_stream().write_all(data, None)
    s.get_socket().shutdown(False, True)
    got = read_to_eof(s)
    assert got == data, (len(got), got[:80])
    s.close(None)
    log = km.pod_logs("att", None, 3, 0, False, False, None)
    assert log.splitlines() == data.decode().splitlines()[-3:], log[-200:]
    # the CLI: -i passes stdin on; its end ends this attach (stdinOnce)
    r = cli(sim, "attach", "-i", "att", stdin=b"from the cli\n")
    assert r.returncode == 0 and r.stdout == b"from the cli\n", r
    r = cli(sim, "attach", "-c", "nope", "att")
    assert r.returncode == 1 and b"nope" in r.stderr, r

    # without stdin: output from now on; closing the stream detaches and
    # the pod goes on
    attach_pod(km, "att-tick", once=False, interval=20)
    s = km.pod_attach("att-tick", "main", False, False, None)
    lines = Gio.DataInputStream.new(s.get_input_stream())
    first = [lines.read_line_utf8(None)[0] for _ in range(3)]
    assert all(line.startswith("tick ") for line in first), first
    n = [int(line.split()[1]) for line in first]
    assert n == sorted(n) and len(set(n)) == 3, n
    s.close(None)
    # the CLI prints until interrupted, which detaches
    p = subprocess.Popen([cli_binary(), "kube", "attach", "att-tick"], stdout=subprocess.PIPE,
                         env=dict(os.environ, KUBECONFIG=sim.kubeconfig))
    lines = [p.stdout.readline() for _ in range(2)]
    assert all(line.startswith(b"tick ") for line in lines), lines
    p.send_signal(signal.SIGINT)
    assert p.wait(20) == 0, p.returncode
    p.stdout.close()
    pod = json.loads(Json.to_string(km.get(pods, "att-tick", None), False))
    assert pod["status"]["phase"] == "Running", pod["status"]
    # several attached at once all see the same process; the pod's end
    # ends every attach
    a = km.pod_attach("att-tick", None, True, False, None)
    b = km.pod_attach("att-tick", None, False, False, None)
    a.get_output_stream().write_all(b"to-everyone\n", None)
    readers = [Gio.DataInputStream.new(s.get_input_stream()) for s in (a, b)]
    for seen in readers:
        while True:
            line = seen.read_line_utf8(None)[0]
            assert line is not None, "the attach ended early"
            if line == "to-everyone":
                break
    km.delete_object(pods, "att-tick", HeroVirt.ClusterPropagation.BACKGROUND, 0, None)
    for seen in readers:
        while seen.read_line_utf8(None)[0] is not None:
            pass
    for s in (a, b):
        s.close(None)
    km.delete_object(pods, "att", HeroVirt.ClusterPropagation.BACKGROUND, 0, None)

    # a missing pod or container, and a tty on a container without one
    expect_error(E.NOT_FOUND, km.pod_attach, "no-such-pod", None, False, False, None)
    expect_error(E.NOT_FOUND, km.pod_attach, "box", "nope", False, False, None)
    expect_error(E.INVALID_ARGUMENT, km.pod_attach, "Bad_Name", None, False, False, None)


def sim_rss_kib(sim):
    with open(f"/proc/{sim.proc.pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def wait_stalled(counter, done):
    """Until counter()'s value stops moving (or done() says it finished)."""
    last, still = -1, 0
    for _ in range(600):
        if done() or still >= 10:
            return
        time.sleep(0.2)
        still = still + 1 if counter() == last else 0
        last = counter()


def attach_lines(n, tag):
    """N numbered lines of 1 KiB."""
    return b"".join(b"%s %08d %s\n" % (tag, i, hashlib.sha256(b"%d" % i).hexdigest().encode() * 15)
                    for i in range(n))


def read_exactly(stream, n):
    out = bytearray()
    while len(out) < n:
        b = stream.get_input_stream().read_bytes(min(65536, n - len(out)), None).get_data()
        if not b:
            break
        out += b
    return bytes(out)


def test_attach_slow_client(sim, km):
    """A client that does not read for a while (kubelet: the runtime's
    attach blocks the process's writes) gets every byte in order; with
    another client attached that reads nothing, the writer waits and the
    simulator does not grow; once it reads, both get everything."""
    pods = HeroVirt.ClusterKind.lookup("v1", "Pod")
    attach_pod(km, "att-slow")
    data = attach_lines(24 * 1024, b"line")  # 24 MiB of cat output
    s = km.pod_attach("att-slow", None, True, False, None)
    sent = [0]

    def write():
        out = s.get_output_stream()
        for i in range(0, len(data), 65536):
            out.write_all(data[i:i + 65536], None)
            sent[0] = min(i + 65536, len(data))
        s.get_socket().shutdown(False, True)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    wait_stalled(lambda: sent[0], lambda: not writer.is_alive())
    got = read_to_eof(s, limit=len(data) + 1)
    writer.join(60)
    assert not writer.is_alive()
    assert len(got) == len(data) and got == data, \
        f"{len(got)} of {len(data)} bytes, first difference at " \
        f"{next((i for i, (x, y) in enumerate(zip(got, data)) if x != y), min(len(got), len(data)))}"
    s.close(None)
    print(f"# the writer stalled at {sent[0] >> 10} KiB of {len(data) >> 10} KiB", flush=True)

    # Two clients: `a` writes and reads at once, `b` reads nothing yet.
    attach_pod(km, "att-two", once=False)
    b = km.pod_attach("att-two", None, False, False, None)
    a = km.pod_attach("att-two", None, True, False, None)
    big = attach_lines(32 * 1024, b"many")  # 32 MiB
    sent[0] = 0
    got_a = bytearray()

    def write_a():
        out = a.get_output_stream()
        for i in range(0, len(big), 65536):
            out.write_all(big[i:i + 65536], None)
            sent[0] = min(i + 65536, len(big))

    def read_a():
        got_a.extend(read_exactly(a, len(big)))

    rss0 = sim_rss_kib(sim)
    threads = [threading.Thread(target=f, daemon=True) for f in (write_a, read_a)]
    for t in threads:
        t.start()
    wait_stalled(lambda: sent[0], lambda: not threads[0].is_alive())
    stalled_at, grown = sent[0], sim_rss_kib(sim) - rss0
    assert stalled_at < len(big) * 3 // 4, f"{stalled_at >> 20} MiB taken while a client reads nothing"
    # (the fake log keeps every line: what it logged, plus bounded buffers)
    assert grown < (stalled_at >> 10) + 32 * 1024, f"the simulator grew by {grown} KiB"
    got_b = read_exactly(b, len(big))
    for t in threads:
        t.join(120)
        assert not t.is_alive()
    assert bytes(got_a) == big, (len(got_a), len(big))
    assert got_b == big, (len(got_b), len(big))
    for c in (a, b):
        c.close(None)
    print(f"# with one client not reading, the writer stalled at {stalled_at >> 20} MiB, "
          f"simulator RSS +{grown} KiB", flush=True)
    km.delete_object(pods, "att-slow", HeroVirt.ClusterPropagation.BACKGROUND, 0, None)
    km.delete_object(pods, "att-two", HeroVirt.ClusterPropagation.BACKGROUND, 0, None)


def test_buildah_is_available(km):
    # the buildah plugin's is_available through the pod executor: whatever
    # the host has, the probe must run in the "pod" and not raise
    ex = HeroVirt.PodExecutor.new(km, "box", None)
    path = ex.find_program("sh", None)
    assert path and path.endswith("/sh"), path
    reg = HeroVirt.Registry.get_default()
    try:
        prov = reg.find_provider(HeroVirt.ProviderKind.IMAGE, "buildah", ex, None)
    except GLib.Error as e:
        # not installed on the "pod" (the host): a clean answer, not a crash
        assert err_code(e) in (E.UNAVAILABLE, E.NOT_FOUND, E.NOT_SUPPORTED), e.message
        return
    assert prov is not None


# ---- logs -----------------------------------------------------------------

def test_logs(km):
    text = km.pod_logs("ticker", None, -1, 0, False, False, None)
    assert text, text
    stream = km.pod_logs_follow("ticker", None, -1, 0, False, False, None)
    lines = Gio.DataInputStream.new(stream)
    got = []
    while len([g for g in got if "tick" in g]) < 3:
        line, _ = lines.read_line_utf8(None)
        assert line is not None, got
        got.append(line)
    # a cancelled read ends following
    c = Gio.Cancellable()
    threading.Timer(0.2, c.cancel).start()
    try:
        while True:
            line, _ = lines.read_line_utf8(c)
            assert line is not None
    except GLib.Error as e:
        assert e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e.message
    stream.close(None)
    # tail and timestamps
    text = km.pod_logs("ticker", None, 1, 0, True, False, None)
    assert len(text.strip().splitlines()) == 1, text
    assert text[:4].isdigit(), text
    expect_error(E.INVALID_ARGUMENT, km.pod_logs_follow, "ticker", "nope", -1, 0, False, False, None)


# ---- port-forward ---------------------------------------------------------

class EchoServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.echo, args=(conn,), daemon=True).start()

    def echo(self, conn):
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)

    def close(self):
        self.sock.close()


def roundtrip(port, payload):
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(payload)
        got = b""
        while len(got) < len(payload):
            chunk = s.recv(65536)
            assert chunk, f"closed after {len(got)} of {len(payload)} bytes"
            got += chunk
        return got


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_port_forward(km):
    echo = EchoServer()
    pf = km.port_forward("box", 0, echo.port)
    try:
        port = pf.get_local_port()
        assert port > 0
        results = {}

        def client(i):
            payload = bytes([i % 256]) * (100000 + i) + os.urandom(1000)
            results[i] = roundtrip(port, payload) == payload

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 8 and all(results.values()), results
        assert pf.get_total_connections() == 8
        # a closed pod port closes that connection only
        closed = free_port()
        bad = km.port_forward("box", 0, closed)
        try:
            with socket.create_connection(("127.0.0.1", bad.get_local_port()), timeout=20) as s:
                s.sendall(b"hello")
                assert s.recv(100) == b""
            e = wait_for(bad.dup_last_error)
            assert str(closed) in e.message, e.message
        finally:
            bad.stop()
        # the good forward still works
        assert roundtrip(port, b"still there") == b"still there"
        wait_for(lambda: pf.get_active_connections() == 0)
    finally:
        pf.stop()
        echo.close()
    # stop() closed the listener
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        raise AssertionError("still listening after stop()")
    except ConnectionRefusedError:
        pass


class SourceServer:
    """Sends TOTAL bytes of a numbered pattern to the first connection, as
    fast as it takes them; `sent` counts what the kernel took."""

    CHUNK = 1 << 20

    def __init__(self, total):
        self.total = total
        self.sent = 0
        self.done = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    @classmethod
    def chunk(cls, i):
        return hashlib.sha256(i.to_bytes(8, "big")).digest() * (cls.CHUNK // 32)

    def serve(self):
        try:
            conn, _ = self.sock.accept()
            with conn:
                for i in range(self.total // self.CHUNK):
                    conn.sendall(self.chunk(i))
                    self.sent += self.CHUNK
        except OSError:
            pass
        self.done.set()

    def close(self):
        self.sock.close()


def rss_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def test_port_forward_slow_reader(km):
    """A local client that stops reading, then reads slowly, gets every byte
    in order, and what the pod sends meanwhile waits on the pod's side: the
    forward stops reading the stream above its high-water mark (512 KiB)
    instead of queueing without bound."""
    total = 160 << 20
    src = SourceServer(total)
    pf = km.port_forward("box", 0, src.port)
    try:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        s.settimeout(60)
        s.connect(("127.0.0.1", pf.get_local_port()))
        with s:
            rss0 = rss_kib()
            got = bytearray()
            while len(got) < 4096:
                chunk = s.recv(4096 - len(got))
                assert chunk, "closed before the first bytes"
                got += chunk
            # Not reading now: wait until the source cannot get rid of more.
            last, still = -1, 0
            for _ in range(600):
                if src.done.is_set() or still >= 10:
                    break
                time.sleep(0.2)
                still = still + 1 if src.sent == last else 0
                last = src.sent
            stalled_at, grown = src.sent, rss_kib() - rss0
            # Kernel buffers on three TCP connections and the simulator's own
            # queue hold what is in flight; a forward without a bound would
            # have taken all of it.
            assert not src.done.is_set(), "the source sent everything to a client that reads nothing"
            assert stalled_at <= total // 2, f"{stalled_at >> 20} MiB in flight"
            assert grown < 64 * 1024, f"RSS grew by {grown} KiB"
            # Slowly (small reads, pauses), then at full speed: every byte, in order.
            checked = 0
            while True:
                chunk = s.recv(4096 if checked < (4 << 20) else 1 << 20)
                if not chunk:
                    break
                got += chunk
                while len(got) >= SourceServer.CHUNK:
                    assert got[:SourceServer.CHUNK] == SourceServer.chunk(checked // SourceServer.CHUNK), \
                        f"bytes out of order at {checked}"
                    del got[:SourceServer.CHUNK]
                    checked += SourceServer.CHUNK
                if checked < (4 << 20) and len(got) % 65536 < 4096:
                    time.sleep(0.002)
                if checked == total:
                    break
            assert checked == total and not got, (checked, len(got))
            print(f"# stalled at {stalled_at >> 20} MiB sent, RSS +{grown} KiB", flush=True)
    finally:
        pf.stop()
        src.close()


class SinkServer:
    """Reads nothing from its first connection until `go` is set, then
    checks that it gets TOTAL bytes of SourceServer's pattern, in order, and
    then the end (`complete` is set when it has them all, or failed)."""

    def __init__(self, total, slow=False):
        self.total = total
        self.slow = slow  # 64 KiB reads with a pause after each
        self.go = threading.Event()
        self.complete = threading.Event()
        self.result = None
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
            with conn:
                self.go.wait()
                got, checked = bytearray(), 0
                while checked < self.total:
                    chunk = conn.recv(65536 if self.slow else 1 << 20)
                    if not chunk:
                        break
                    if self.slow:
                        time.sleep(0.005)
                    got += chunk
                    while len(got) >= SourceServer.CHUNK:
                        if got[:SourceServer.CHUNK] != SourceServer.chunk(checked // SourceServer.CHUNK):
                            self.result = f"bytes out of order at {checked}"
                            return
                        del got[:SourceServer.CHUNK]
                        checked += SourceServer.CHUNK
                extra = len(got)
                if checked == self.total:
                    # then the end: the forward shuts the connection down
                    extra += len(conn.recv(1 << 20))
                self.result = (checked, extra)
        except OSError as e:
            self.result = str(e)
        finally:
            self.complete.set()

    def close(self):
        self.sock.close()


def test_port_forward_slow_pod_reader(km):
    """The other way: a pod port that reads nothing for a while. The local
    sender waits (the forward reads its socket only while the WebSocket
    queues little), and once the pod reads, it gets every byte in order.
    The sender closes as soon as it sent everything."""
    total = 160 << 20
    sink = SinkServer(total)
    pf = km.port_forward("box", 0, sink.port)
    sent = [0]
    try:
        s = socket.create_connection(("127.0.0.1", pf.get_local_port()), timeout=60)
        rss0 = rss_kib()

        def send():
            with s:
                for i in range(total // SourceServer.CHUNK):
                    s.sendall(SourceServer.chunk(i))
                    sent[0] += SourceServer.CHUNK

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        last, still = -1, 0
        for _ in range(600):
            if not sender.is_alive() or still >= 10:
                break
            time.sleep(0.2)
            still = still + 1 if sent[0] == last else 0
            last = sent[0]
        stalled_at, grown = sent[0], rss_kib() - rss0
        sink.go.set()
        assert stalled_at <= total // 2, f"{stalled_at >> 20} MiB taken from a sender nobody reads"
        assert grown < 64 * 1024, f"RSS grew by {grown} KiB"
        assert sink.complete.wait(120), "the pod side got no end"
        assert sink.result == (total, 0), sink.result
        sender.join(120)
        assert not sender.is_alive() and sent[0] == total, sent[0]
        print(f"# the sender stalled at {stalled_at >> 20} MiB, RSS +{grown} KiB", flush=True)
    finally:
        sink.go.set()
        pf.stop()
        sink.close()


def test_port_forward_close_delivers(km):
    """The local client sends, closes, and the forward closes its WebSocket
    while the pod port is slower than they are: what the simulator still
    queued for the pod (up to its high-water mark) reaches it, as kubelet's
    copy to the pod runs to the end, then the pod's connection ends. (Three
    times: how much is still queued at the close varies.)"""
    total = 16 << 20
    for _ in range(3):
        sink = SinkServer(total, slow=True)
        sink.go.set()
        pf = km.port_forward("box", 0, sink.port)
        try:
            with socket.create_connection(("127.0.0.1", pf.get_local_port()), timeout=120) as s:
                for i in range(total // SourceServer.CHUNK):
                    s.sendall(SourceServer.chunk(i))
            assert sink.complete.wait(120), "the pod side got no end"
            assert sink.result == (total, 0), sink.result
            wait_for(lambda: pf.get_active_connections() == 0)
        finally:
            pf.stop()
            sink.close()


# ---- cp -------------------------------------------------------------------

def pod_dir(km):
    return km.pod_exec("box", None, ["pwd"], None, None).get_stdout_text().strip()


def test_cp(km):
    local = tempfile.mkdtemp(prefix="cp-test-")
    src = os.path.join(local, "src")
    os.makedirs(os.path.join(src, "sub"))
    with open(os.path.join(src, "run.sh"), "w") as f:
        f.write("#!/bin/sh\necho hi\n")
    os.chmod(os.path.join(src, "run.sh"), 0o750)
    with open(os.path.join(src, "sub", "secret"), "wb") as f:
        f.write(os.urandom(300000))
    os.chmod(os.path.join(src, "sub", "secret"), 0o600)
    long_name = "n" * 150
    with open(os.path.join(src, long_name), "w") as f:
        f.write("long")
    os.symlink("sub/secret", os.path.join(src, "link"))
    remote = pod_dir(km) + "/copied"
    km.cp_to(src, "box", None, remote, None)
    r = km.pod_exec("box", None, ["sh", "-c", "cd copied && stat -c '%a %n' run.sh sub/secret && readlink link && cat " + long_name], None, None)
    assert r.get_stdout_text() == "750 run.sh\n600 sub/secret\nsub/secret\nlong", repr(r.get_stdout_text())
    # and back, into a new name
    back = os.path.join(local, "back")
    km.cp_from("box", None, remote, back, None)
    assert stat.S_IMODE(os.stat(os.path.join(back, "run.sh")).st_mode) == 0o750
    assert stat.S_IMODE(os.stat(os.path.join(back, "sub", "secret")).st_mode) == 0o600
    with open(os.path.join(src, "sub", "secret"), "rb") as a, open(os.path.join(back, "sub", "secret"), "rb") as b:
        assert a.read() == b.read()
    assert os.readlink(os.path.join(back, "link")) == "sub/secret"
    # into an existing directory: under the remote name
    km.cp_from("box", None, remote + "/run.sh", local, None)
    assert os.path.isfile(os.path.join(local, "run.sh"))
    expect_error(E.NOT_FOUND, km.cp_from, "box", None, remote + "/missing", local, None)
    expect_error(E.NOT_FOUND, km.cp_to, os.path.join(local, "missing"), "box", None, remote, None)
    # async
    loop = GLib.MainLoop()
    out = {}

    def done(obj, res):
        out["ok"] = km.cp_from_finish(res)
        loop.quit()

    km.cp_from_async("box", None, remote + "/run.sh", os.path.join(local, "async.sh"), None, done)
    loop.run()
    assert out["ok"] and os.path.isfile(os.path.join(local, "async.sh"))


def hostile_tars():
    def tar_of(*members):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
            for m, data in members:
                t.addfile(m, io.BytesIO(data) if data is not None else None)
        return buf.getvalue()

    def f(name, data=b"x"):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        return ti, data

    def link(name, target, kind=tarfile.SYMTYPE):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.linkname = target
        return ti, None

    return {
        "dotdot": tar_of(f("evil/ok"), f("evil/../../x")),
        "absolute": tar_of(f("evil/ok"), f("/tmp/abs-evil")),
        "outside top": tar_of(f("evil/ok"), f("other/x")),
        "symlink escape": tar_of(link("evil/l", "../../.."), f("evil/l/x")),
        "absolute symlink": tar_of(link("evil/l", "/etc")),
        "hardlink escape": tar_of(link("evil/h", "/etc/passwd", tarfile.LNKTYPE)),
    }


def test_cp_hostile(sim_dir, km):
    # A "tar" the fake agent finds first in PATH prints a hostile archive.
    tars = hostile_tars()
    for name, data in tars.items():
        with open(os.path.join(sim_dir, "hostile.tar"), "wb") as f:
            f.write(data)
        dest = tempfile.mkdtemp(prefix="cp-hostile-")
        inner = os.path.join(dest, "inner")
        os.mkdir(inner)
        e = expect_error(E.INVALID_ARGUMENT, km.cp_from, "box", None, "/whatever/evil", inner, None)
        assert "nothing was extracted" in e.message or "symbolic link" in e.message, (name, e.message)
        assert os.listdir(inner) == [], (name, os.listdir(inner))
        assert os.listdir(dest) == ["inner"], (name, os.listdir(dest))
    assert not os.path.exists("/tmp/abs-evil")


# ---- the simulator killed mid-exec -------------------------------------------

def listening_ports(pid):
    out = subprocess.run(["ss", "-Htlnp"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if f"pid={pid}," in line]


def test_sim_killed_mid_exec():
    sim = Simulator()
    try:
        km = manager(sim)
        running_pod(km, "victim")
        ex = HeroVirt.PodExecutor.new(km, "victim", None)
        cmd = HeroVirt.Command.new("sleep").add_arg("60").set_timeout(20000)
        result = {}

        def run():
            start = time.monotonic()
            try:
                ex.run(cmd, None)
                result["error"] = None
            except GLib.Error as e:
                result["error"] = e
            result["took"] = time.monotonic() - start

        echo = EchoServer()
        pf = km.port_forward("victim", 0, echo.port)
        assert roundtrip(pf.get_local_port(), b"before") == b"before"
        t = threading.Thread(target=run)
        t.start()
        time.sleep(1.0)
        os.kill(sim.proc.pid, signal.SIGKILL)
        sim.proc.wait()
        t.join(30)
        assert not t.is_alive(), "exec still running"
        e = result["error"]
        assert e is not None and err_code(e) in (E.NETWORK, E.UNAVAILABLE), e
        assert result["took"] < 20, result
        # the forward's connections fail; stop() leaves no port open
        with socket.create_connection(("127.0.0.1", pf.get_local_port()), timeout=20) as s:
            try:
                s.sendall(b"after")
                assert s.recv(100) == b""
            except ConnectionResetError:
                pass  # closed with "after" unread
        pf.stop()
        echo.close()
        assert listening_ports(os.getpid()) == [], listening_ports(os.getpid())
    finally:
        sim.stop()


# ---- the CLI ----------------------------------------------------------------

def cli_binary():
    return os.path.join(os.environ.get("HERO_VIRT_BUILD_ROOT", "build"), "tools", "hero-virt")


def cli(sim, *args, stdin=None, timeout=60):
    env = dict(os.environ, KUBECONFIG=sim.kubeconfig)
    return subprocess.run([cli_binary(), "kube", *args], input=stdin, capture_output=True,
                          env=env, timeout=timeout)


def test_cli(sim, km):
    r = cli(sim, "exec", "box", "--", "sh", "-c", "echo out; echo err >&2; exit 7")
    assert r.returncode == 7, r
    assert r.stdout == b"out\n" and r.stderr == b"err\n", r
    r = cli(sim, "exec", "-i", "box", "--", "tr", "a-z", "A-Z", stdin=b"hello")
    assert r.returncode == 0 and r.stdout == b"HELLO", r
    r = cli(sim, "exec", "-c", "nope", "box", "--", "true")
    assert r.returncode == 1 and b"nope" in r.stderr, r
    r = cli(sim, "exec", "box", "true")
    assert r.returncode == 2, r
    r = cli(sim, "exec", "-t", "box", "--", "sh", "-c", "test -t 1 && echo tty; echo err >&2; exit 6")
    assert r.returncode == 6 and r.stdout == b"tty\r\nerr\r\n" and r.stderr == b"", r
    r = cli(sim, "logs", "--tail", "1", "ticker")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1, r
    # logs -f until interrupted
    env = dict(os.environ, KUBECONFIG=sim.kubeconfig)
    p = subprocess.Popen([cli_binary(), "kube", "logs", "-f", "ticker"], stdout=subprocess.PIPE, env=env)
    lines = [p.stdout.readline() for _ in range(3)]
    assert all(lines), lines
    p.send_signal(signal.SIGINT)
    assert p.wait(20) == 0, p.returncode  # an interrupted follow ends cleanly, as port-forward
    # cp both ways
    local = tempfile.mkdtemp(prefix="cli-cp-")
    with open(os.path.join(local, "f"), "w") as f:
        f.write("cli")
    os.chmod(os.path.join(local, "f"), 0o604)
    remote = pod_dir(km) + "/cli-f"
    r = cli(sim, "cp", os.path.join(local, "f"), "default/box:" + remote)
    assert r.returncode == 0, r
    r = cli(sim, "cp", "box:" + remote, os.path.join(local, "g"))
    assert r.returncode == 0, r
    assert open(os.path.join(local, "g")).read() == "cli"
    assert stat.S_IMODE(os.stat(os.path.join(local, "g")).st_mode) == 0o604
    # port-forward until interrupted
    echo = EchoServer()
    p = subprocess.Popen([cli_binary(), "kube", "port-forward", "box", f"0:{echo.port}"],
                         stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = p.stdout.readline()
        port = int(line.split("127.0.0.1:")[1].split()[0])
        assert roundtrip(port, b"via cli") == b"via cli"
    finally:
        p.send_signal(signal.SIGINT)
        p.wait(20)
        echo.close()
    assert p.returncode == 0, p.returncode


def main():
    require(binary(), "hero-virt-kube-sim")
    tap = Tap()
    shim = tempfile.mkdtemp(prefix="kube-streams-shim-")
    # A tar that serves hostile archives only for the path /whatever/evil.
    with open(os.path.join(shim, "tar"), "w") as f:
        f.write('#!/bin/sh\ncase "$*" in *"/whatever"*) exec cat "%s/hostile.tar";; esac\nexec /usr/bin/tar "$@"\n' % shim)
    os.chmod(os.path.join(shim, "tar"), 0o755)
    old_path = os.environ["PATH"]
    os.environ["PATH"] = shim + ":" + old_path
    try:
        sim = Simulator()
    finally:
        os.environ["PATH"] = old_path
    with sim:
        km = manager(sim)
        running_pod(km, "box")
        running_pod(km, "ticker", {"kube-sim.hero-virt.dev/log-interval-ms": "50"})
        tap.run("exec: stdout, stderr, exit code, stdin", test_exec, km)
        tap.run("exec: a missing container or pod", test_exec_missing, km)
        tap.run("exec: async", test_exec_async, km)
        tap.run("exec: the stream's TLS checks (CA, insecure, tls-server-name)", test_exec_tls, sim)
        tap.run("PodExecutor semantics", test_pod_executor, km)
        tap.run("tty: a terminal in the container, stderr merged, its size", test_tty, km)
        tap.run("tty: resize while it runs (sync, async from another thread)", test_tty_resize, km)
        tap.run("tty: executors without terminals say NOT_SUPPORTED", test_tty_not_supported)
        tap.run("v4.channel.k8s.io fallback: stdout/stderr apart, exit code, stdin, tty", test_v4_fallback, sim, km)
        tap.run("PodExecutor: find_program and buildah's probe", test_buildah_is_available, km)
        tap.run("logs and following logs", test_logs, km)
        tap.run("attach: stdin, output, detach, several clients, errors", test_attach, sim, km)
        tap.run("attach: a slow client gets every byte; one that reads nothing holds the process",
                test_attach_slow_client, sim, km)
        tap.run("port-forward: concurrent connections, a closed port", test_port_forward, km)
        tap.run("port-forward: a slow local reader gets every byte, memory stays bounded",
                test_port_forward_slow_reader, km)
        tap.run("port-forward: a slow pod-side reader, the local sender waits, every byte arrives",
                test_port_forward_slow_pod_reader, km)
        tap.run("port-forward: the client closes, what it sent still reaches the pod port",
                test_port_forward_close_delivers, km)
        tap.run("cp both ways, modes kept", test_cp, km)
        tap.run("cp: hostile archives write nothing", test_cp_hostile, shim, km)
        tap.run("hero-virt kube logs|exec|port-forward|cp", test_cli, sim, km)
    tap.run("the simulator killed mid-exec", test_sim_killed_mid_exec)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
