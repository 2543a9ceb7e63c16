#!/usr/bin/python3
# hero-virt vm ... end to end against the cloudhv plugin and hero-virt-ch-sim
# (no guest boot): create --start, list (table and --json), info, pause,
# resume, console, stop, delete; a bad name is a usage error (exit 2) and
# leaves no record.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile

BUILD = os.environ["HERO_VIRT_BUILD_ROOT"]
CLI = os.path.join(BUILD, "tools", "hero-virt")
SIM = os.environ.get("HERO_VIRT_CH_SIM")


def run(*args, ok=True):
    p = subprocess.run([CLI, "vm", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=ENV)
    if ok and p.returncode != 0:
        raise AssertionError(f"vm {' '.join(args)}: {p.returncode}: {p.stderr}")
    return p


tmp = tempfile.mkdtemp(prefix="vm-cli-")
ENV = dict(os.environ, HERO_VIRT_VM_DIR=os.path.join(tmp, "vms"), HERO_VIRT_CLOUD_HYPERVISOR=SIM or "")
kernel = os.path.join(tmp, "vmlinuz")
with open(kernel, "wb") as f:
    f.truncate(4096)
print("1..1")
try:
    if not SIM or not os.path.exists(CLI):
        if os.environ.get("CI") == "true":
            raise AssertionError("hero-virt-ch-sim or hero-virt not built")
        print("ok 1 # SKIP hero-virt-ch-sim not built")
        sys.exit(0)
    out = run("create", "cli-1", "--provider", "cloudhv", "--kernel", kernel, "--memory", "256M",
              "--vcpus", "2", "--start").stdout
    assert out == "Started cli-1\n", out
    table = run("list", "-p", "cloudhv").stdout.splitlines()
    assert table[0].split() == ["NAME", "STATE", "PID", "VCPUS", "MEMORY"], table
    assert table[1].split()[:2] == ["cli-1", "running"] and table[1].endswith("256 MiB"), table
    listed = json.loads(run("list", "-p", "cloudhv", "--json").stdout)
    assert [v["id"] for v in listed] == ["cli-1"] and listed[0]["state"] == "running", listed
    info = json.loads(run("info", "cli-1", "-p", "cloudhv", "--json").stdout)
    assert info["state"] == "running" and info["pid"] > 0, info
    assert "memory: 256 MiB" in run("info", "cli-1", "-p", "cloudhv").stdout
    run("pause", "cli-1", "-p", "cloudhv")
    assert json.loads(run("info", "cli-1", "-p", "cloudhv", "--json").stdout)["state"] == "paused"
    run("resume", "cli-1", "-p", "cloudhv")
    assert "guest running" in run("console", "cli-1", "-p", "cloudhv", "--wait", "guest running",
                                  "--timeout", "10").stdout
    p = run("console", "cli-1", "-p", "cloudhv", "--wait", "NEVER", "--timeout", "1", ok=False)
    assert p.returncode == 1 and "timeout" in p.stderr, (p.returncode, p.stderr)
    run("stop", "cli-1", "-p", "cloudhv", "--force", "--timeout", "3")
    assert json.loads(run("info", "cli-1", "-p", "cloudhv", "--json").stdout)["state"] != "running"
    p = run("create", "Bad_Name", "-p", "cloudhv", "--kernel", kernel, ok=False)
    assert p.returncode == 2 and "invalid-argument" in p.stderr, (p.returncode, p.stderr)
    p = run("create", "c2", "-p", "cloudhv", "--kernel", kernel + ",x=y", ok=False)
    assert p.returncode == 2, (p.returncode, p.stderr)
    p = run("create", "c3", "-p", "cloudhv", "--kernel", kernel, "--memory", "lots", ok=False)
    assert p.returncode == 2, (p.returncode, p.stderr)
    # port forwards: through the qemu plugin (create only, no boot), refused by cloudhv
    if shutil.which("qemu-system-x86_64"):
        run("create", "fw-1", "-p", "qemu", "--kernel", kernel, "--net", "user",
            "--forward", "tcp:2222:22", "--forward", "udp:127.0.0.2:5353:53")
        text = run("info", "fw-1", "-p", "qemu").stdout
        assert "forward: tcp:127.0.0.1:2222-:22\n" in text and \
            "forward: udp:127.0.0.2:5353-:53\n" in text, text
        fwd = json.loads(run("info", "fw-1", "-p", "qemu", "--json").stdout)
        assert fwd["spec"]["nets"][0]["port_forwards"][0] == {
            "protocol": "tcp", "host_address": "127.0.0.1", "host_port": 2222,
            "guest_port": 22}, fwd
        assert fwd["details"]["port_forwards"] == ["tcp:127.0.0.1:2222-:22",
                                                   "udp:127.0.0.2:5353-:53"], fwd
        run("delete", "fw-1", "-p", "qemu")
        for bad in ("tcp:1.2.3,x:2222:22", "tcp:99999:22", "icmp:1:2", "tcp:22", "tcp:a:b"):
            p = run("create", "fw-2", "-p", "qemu", "--kernel", kernel, "--net", "user",
                    "--forward", bad, ok=False)
            assert p.returncode == 2 and "invalid-argument" in p.stderr, (bad, p.returncode,
                                                                           p.stderr)
    p = run("create", "fw-3", "-p", "cloudhv", "--kernel", kernel, "--net", "user",
            "--forward", "tcp:2222:22", ok=False)
    assert p.returncode != 0 and "not-supported" in p.stderr, (p.returncode, p.stderr)
    run("delete", "cli-1", "-p", "cloudhv")
    assert json.loads(run("list", "-p", "cloudhv", "--json").stdout) == []
    assert os.listdir(os.path.join(tmp, "vms")) == []
    p = run("info", "cli-1", "-p", "cloudhv", ok=False)
    assert p.returncode == 1 and "not-found" in p.stderr, (p.returncode, p.stderr)
    print("ok 1 vm-cli")
except Exception:  # noqa: BLE001
    import traceback
    for line in traceback.format_exc().splitlines():
        print("# " + line)
    print("not ok 1 vm-cli")
    subprocess.run([CLI, "vm", "delete", "cli-1", "-p", "cloudhv"], env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
