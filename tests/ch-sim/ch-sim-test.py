#!/usr/bin/python3
# hero-virt-ch-sim against cloud-hypervisor's documented and coded REST
# behaviour, driven as users drive the real one: http.client over AF_UNIX
# and `curl --unix-socket`.
# SPDX-License-Identifier: LGPL-2.1-or-later
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SIM = os.environ.get("HERO_VIRT_CH_SIM") or shutil.which("hero-virt-ch-sim")
CURL = shutil.which("curl")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    def run(self, name, func, *args):
        self.n += 1
        try:
            func(*args)
        except Exception:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        else:
            print(f"ok {self.n} - {name}")
        sys.stdout.flush()

    def skip(self, name, why):
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {why}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.unix_path)


class Sim:
    """One hero-virt-ch-sim process in a private temporary directory."""

    def __init__(self, *args, version=None, socket_arg=None, expect_start=True):
        self.dir = tempfile.mkdtemp(prefix="ch-sim-test-")
        self.sock = os.path.join(self.dir, "api.sock")
        argv = [SIM, "--api-socket", socket_arg or f"path={self.sock}"]
        if version:
            argv += ["--sim-api-version", str(version)]
        argv += list(args)
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        if expect_start:
            self.wait_socket()

    def wait_socket(self):
        # The path appears at bind(), before listen(): a client connects
        # until it is accepted, as with cloud-hypervisor itself.
        for _ in range(250):
            if self.proc.poll() is not None:
                raise AssertionError(f"sim exited: {self.proc.stderr.read()}")
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(self.sock)
                return
            except (FileNotFoundError, ConnectionRefusedError):
                time.sleep(0.02)
        raise AssertionError("no API socket")

    def call(self, method, endpoint, body=None, headers=None, raw_path=None):
        conn = UnixHTTPConnection(self.sock)
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, raw_path or f"/api/v1/{endpoint}", body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        return resp.status, dict(resp.getheaders()), payload

    def json_call(self, method, endpoint, body=None):
        status, headers, payload = self.call(method, endpoint, body)
        return status, (json.loads(payload) if payload else None)

    def exit_code(self, timeout=10):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.proc.stdout.closed:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def expect(got, want, what=""):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


def vm_config(sim, **extra):
    kernel = os.path.join(sim.dir, "vmlinuz")
    disk = os.path.join(sim.dir, "disk.raw")
    for path in (kernel, disk):
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(b"\0" * 4096)
    config = {
        "payload": {"kernel": kernel, "cmdline": "console=ttyS0 quiet"},
        "cpus": {"boot_vcpus": 1, "max_vcpus": 2},
        "memory": {"size": 256 << 20},
        "disks": [{"path": disk}],
        "serial": {"mode": "File", "file": os.path.join(sim.dir, "serial.log")},
        "console": {"mode": "Off"},
    }
    config.update(extra)
    return config


# ---- transport ----

def test_ping_headers():
    sim = Sim()
    try:
        status, headers, payload = sim.call("GET", "vmm.ping")
        expect(status, 200, "ping")
        expect(headers.get("Server"), "Cloud Hypervisor API", "Server header")
        expect(headers.get("Content-Type"), "application/json", "Content-Type")
        pong = json.loads(payload)
        expect(pong["version"], "53.0.0", "version")
        expect(pong["pid"], sim.proc.pid, "pid")
        # a 204 carries both headers too
        status, headers, payload = sim.call("PUT", "vm.delete")
        expect(status, 204, "vm.delete without a VM")
        expect(payload, b"", "204 body")
        expect(headers.get("Server"), "Cloud Hypervisor API", "Server on 204")
        expect(headers.get("Content-Type"), "application/json", "Content-Type on 204")
    finally:
        sim.close()


def test_unknown_paths():
    sim = Sim()
    try:
        for path in ("/api/v1/vm.nothing", "/api/v2/vm.info", "/", "/api/v1/"):
            status, headers, payload = sim.call("GET", None, raw_path=path)
            expect(status, 404, path)
            expect(json.loads(payload), ["Not Found"], path)
            expect(headers.get("Server"), "Cloud Hypervisor API", path)
    finally:
        sim.close()


def test_methods():
    sim = Sim()
    try:
        cases = [
            ("GET", "vm.boot", 400, b'["Bad Request"]'),
            ("GET", "vm.create", 400, b'["Bad Request"]'),
            ("PUT", "vm.info", 400, b'["Bad Request"]'),
            ("PUT", "vmm.ping", 400, b'["Bad Request"]'),
            ("GET", "vmm.shutdown", 400, b'["Bad Request"]'),
            ("PUT", "vm.counters", 400, b'["Bad Request"]'),
            ("GET", "vm.snapshot", 400, b'["Bad Request"]'),
            # PATCH and DELETE reach the generic endpoints: an empty 400
            ("DELETE", "vm.boot", 400, b""),
            ("PATCH", "vm.pause", 400, b""),
            ("DELETE", "vm.counters", 400, b""),
            # … and the special ones: ["Bad Request"]
            ("PATCH", "vm.create", 400, b'["Bad Request"]'),
            ("DELETE", "vm.info", 400, b'["Bad Request"]'),
        ]
        for method, endpoint, want_status, want_body in cases:
            status, headers, payload = sim.call(method, endpoint)
            expect(status, want_status, f"{method} {endpoint}")
            expect(payload, want_body, f"{method} {endpoint} body")
            expect(headers.get("Server"), "Cloud Hypervisor API", f"{method} {endpoint}")
        # micro_http parses nothing but GET/PUT/PATCH/DELETE
        for method in ("POST", "OPTIONS"):
            status, headers, payload = sim.call(method, "vm.boot")
            expect(status, 400, method)
            expect(headers.get("Server"), "Firecracker API", method)
            assert b"Invalid HTTP Method" in payload, payload
    finally:
        sim.close()


def test_bodies():
    sim = Sim()
    try:
        status, headers, payload = sim.call("PUT", "vm.create")
        expect((status, payload), (400, b""), "vm.create without a body")
        status, body = sim.json_call("PUT", "vm.boot", {"x": 1})
        expect((status, body), (400, ["Bad Request"]), "vm.boot with a body")
        status, body = sim.json_call("PUT", "vm.resize")
        expect((status, body), (400, ["Bad Request"]), "vm.resize without a body")
        status, headers, payload = sim.call("PUT", "vm.create", b"{not json")
        expect(status, 400, "bad JSON")
        body = json.loads(payload)
        expect(body[0], "Failed to deserialize JSON", "bad JSON")
        expect(len(body), 2, "serde message")
        status, body = sim.json_call("PUT", "vm.remove-device", {"name": "x"})
        expect(status, 400, "missing field")
        assert body[0] == "Failed to deserialize JSON" and "missing field `id`" in body[1], body
        status, body = sim.json_call("PUT", "vm.create", {"cpus": {"boot_vcpus": 1}})
        assert status == 400 and "missing field `max_vcpus`" in body[1], body
        status, body = sim.json_call("PUT", "vm.resize", {"desired_vcpus": "two"})
        assert status == 400 and body[0] == "Failed to deserialize JSON", body
    finally:
        sim.close()


def test_body_limit():
    sim = Sim()
    try:
        limit = 4 << 20
        pad = "x" * (limit - 200)
        status, headers, payload = sim.call("PUT", "vm.create",
                                            {"payload": {"cmdline": pad}})
        expect(status, 204, "a body just under 4 MiB")
        status, headers, payload = sim.call("PUT", "vm.delete")
        big = json.dumps({"payload": {"cmdline": "x" * limit}})
        status, headers, payload = sim.call("PUT", "vm.create", big)
        expect(status, 400, "over 4 MiB")
        expect(headers.get("Server"), "Firecracker API", "micro_http answers")
        assert b"is larger than the limit of 4194304 allowed by server" in payload, payload
        # nothing was created
        status, body = sim.json_call("GET", "vm.info")
        expect(status, 404, "no VM after the rejected body")
    finally:
        sim.close()
    # released v48 … v53.0 kept micro_http's default of 51200 bytes
    sim = Sim("--sim-max-body", "51200")
    try:
        status, headers, payload = sim.call("PUT", "vm.create", "{" + " " * 51200 + "}")
        expect(status, 400, "over 51200")
        assert b"limit of 51200" in payload
    finally:
        sim.close()


# ---- state machine ----

def lifecycle(version):
    """Every transition of the VM and its error, in one version's codes."""
    new = version >= 53
    sim = Sim(version=version)
    try:
        nf = 404 if new else 500  # VM not created / config missing

        def check(method, endpoint, want_status, want_body=None, body=None):
            status, got = sim.json_call(method, endpoint, body)
            expect(status, want_status, f"v{version} {endpoint}")
            if want_body is not None:
                expect(got, want_body, f"v{version} {endpoint} body")
            return got

        check("GET", "vm.info", nf,
              ["Error from API", "The VM info is not available", "VM is not created"])
        check("PUT", "vm.boot", nf,
              ["Error from API", "The VM could not boot", "VM config is missing"])
        check("PUT", "vm.shutdown", 500,
              ["Error from API", "The VM could not shutdown", "VM is not running"])
        check("PUT", "vm.reboot", nf,
              ["Error from API", "The VM could not reboot", "VM is not created"])
        check("PUT", "vm.pause", 500,
              ["Error from API", "The VM could not be paused", "VM is not running"])
        check("PUT", "vm.resume", 500,
              ["Error from API", "The VM could not resume", "VM is not running"])
        check("PUT", "vm.power-button", 500,
              ["Error from API", "Error triggering power button", "VM is not running"])
        check("GET", "vm.counters", 500)
        check("PUT", "vm.create", 204, body=vm_config(sim))
        check("PUT", "vm.create", 500,
              ["Error from API", "The VM could not be created", "VM is already created"],
              body=vm_config(sim))
        info = check("GET", "vm.info", 200)
        expect(info["state"], "Created", "after create")
        expect(info["config"]["serial"]["mode"], "File", "serial")
        expect(info["config"]["rng"]["src"], "/dev/urandom", "defaults filled")
        assert "device_tree" not in info
        check("PUT", "vm.pause", 500)
        check("PUT", "vm.boot", 204)
        info = check("GET", "vm.info", 200)
        expect(info["state"], "Running", "after boot")
        expect(info["config"]["disks"][0]["id"], "_disk0", "auto id")
        assert "_disk0" in info["device_tree"]
        counters = check("GET", "vm.counters", 200)
        assert "_disk0" in counters and "read_bytes" in counters["_disk0"], counters
        if new:
            check("PUT", "vm.boot", 500,
                  ["Error from API", "The VM could not boot", "VM is already created"])
        else:
            check("PUT", "vm.boot", 500,
                  ["Error from API", "The VM could not boot",
                   "invalid VM state transition: Running to Running"])
        check("PUT", "vm.resume", 500,
              ["Error from API", "The VM could not resume", "Cannot resume VM",
               "Failed to resume migratable component",
               "Invalid transition: InvalidStateTransition(Running, Running)"])
        check("PUT", "vm.pause", 204)
        expect(check("GET", "vm.info", 200)["state"], "Paused", "after pause")
        check("PUT", "vm.pause", 500,
              ["Error from API", "The VM could not be paused", "Cannot pause VM",
               "Failed to pause migratable component",
               "Invalid transition: InvalidStateTransition(Paused, Paused)"])
        if new:
            check("PUT", "vm.resume", 204)
        else:
            check("PUT", "vm.boot", 204)  # v48 boots a paused VM by resuming it
        expect(check("GET", "vm.info", 200)["state"], "Running", "after resume")
        check("PUT", "vm.reboot", 204)
        expect(check("GET", "vm.info", 200)["state"], "Running", "after reboot")
        check("PUT", "vm.shutdown", 204)
        # the VM object is dropped, the config kept: "Created" again
        expect(check("GET", "vm.info", 200)["state"], "Created", "after shutdown")
        check("PUT", "vm.shutdown", 500,
              ["Error from API", "The VM could not shutdown", "VM is not running"])
        check("PUT", "vm.boot", 204)
        check("PUT", "vm.delete", 204)
        check("GET", "vm.info", nf)
        check("PUT", "vm.delete", 204)
        # a missing kernel fails the boot, a missing payload fails validation
        config = vm_config(sim)
        config["payload"]["kernel"] = os.path.join(sim.dir, "no-such-kernel")
        check("PUT", "vm.create", 204, body=config)
        check("PUT", "vm.boot", 500,
              ["Error from API", "The VM could not boot", "Cannot open kernel file",
               "No such file or directory (os error 2)"])
        check("PUT", "vm.delete", 204)
        config = vm_config(sim)
        del config["payload"]
        check("PUT", "vm.create", 204, body=config)
        check("PUT", "vm.boot", 400 if new else 500,
              ["Error from API", "The VM could not boot", "Failed to validate config",
               "Payload configuration is not bootable",
               "No bootitem provided: neither firmware nor kernel"])
    finally:
        sim.close()


def test_devices(version):
    new = version >= 53
    sim = Sim(version=version)
    try:
        extra = os.path.join(sim.dir, "extra.raw")
        with open(extra, "wb") as f:
            f.write(b"\0" * 4096)
        status, body = sim.json_call("PUT", "vm.add-disk", {"path": extra})
        expect(status, 404 if new else 500, "add-disk without a VM")
        sim.json_call("PUT", "vm.create", vm_config(sim))
        status, body = sim.json_call("PUT", "vm.add-disk", {"path": extra, "id": "cold"})
        expect((status, body), (204, None), "cold-plug")
        status, body = sim.json_call("PUT", "vm.remove-device", {"id": "cold"})
        expect(status, 204, "cold remove")
        status, body = sim.json_call("PUT", "vm.remove-device", {"id": "nope"})
        expect(status, 404 if new else 500, "remove unknown")
        expect(body[-1], 'No device with id "nope" to remove', "remove unknown")
        sim.json_call("PUT", "vm.boot")
        status, body = sim.json_call("PUT", "vm.add-disk", {"path": extra})
        expect(status, 200, "hot-plug")
        expect(body["id"], "_disk1", "hot-plug id")
        assert body["bdf"].startswith("0000:00:"), body
        status, body = sim.json_call("PUT", "vm.add-disk", {"path": extra, "id": "_disk1"})
        expect(status, 409 if new else 500, "duplicate id")
        expect(body[-1], "Identifier _disk1 is not unique", "duplicate id")
        status, body = sim.json_call("PUT", "vm.add-disk", {"path": extra})
        expect(status, 409 if new else 500, "duplicate path")
        status, body = sim.json_call("PUT", "vm.resize", {"desired_vcpus": 2})
        expect(status, 204, "resize within max")
        status, body = sim.json_call("PUT", "vm.resize", {"desired_vcpus": 8})
        expect((status, body[-1]), (500, "Requested vCPUs exceed maximum"), "resize over max")
        status, info = sim.json_call("GET", "vm.info")
        expect(info["config"]["cpus"]["boot_vcpus"], 2, "resized")
        status, body = sim.json_call("PUT", "vm.resize-disk", {"id": "nope", "desired_size": 1})
        expect(status, 404 if new else 500, "resize unknown disk")
        status, body = sim.json_call("PUT", "vm.remove-device", {"id": "_disk1"})
        expect(status, 204, "hot remove")
    finally:
        sim.close()


def test_every_route():
    """The routes not covered elsewhere, on a booted VM."""
    sim = Sim()
    try:
        sim.json_call("PUT", "vm.create", vm_config(sim))
        sim.json_call("PUT", "vm.boot")
        pmem = os.path.join(sim.dir, "pmem.img")
        with open(pmem, "wb") as f:
            f.truncate(1 << 20)
        for endpoint, body in (("vm.add-net", {}),
                               ("vm.add-fs", {"tag": "share", "socket": "/run/virtiofsd.sock"}),
                               ("vm.add-pmem", {"file": pmem}),
                               ("vm.add-vsock", {"cid": 3, "socket": "/run/vsock.sock"}),
                               ("vm.add-vdpa", {"path": "/dev/vhost-vdpa-0"}),
                               ("vm.add-device", {"path": "/sys/bus/pci/devices/0000:01:00.0"}),
                               ("vm.add-user-device", {"socket": "/run/vfio-user.sock"}),
                               ("vm.add-generic-vhost-user", {"socket": "/run/vhost.sock"})):
            status, got = sim.json_call("PUT", endpoint, body)
            expect(status, 200, endpoint)
            assert got["id"] and got["bdf"].startswith("0000:00:"), (endpoint, got)
        status, got = sim.json_call("PUT", "vm.add-vsock", {"cid": 4, "socket": "/run/v2"})
        expect((status, got[-1]), (500, "Too many virtio-vsock devices"), "second vsock")
        status, got = sim.json_call("PUT", "vm.add-fs", {"socket": "/run/x"})
        assert status == 400 and "missing field `tag`" in got[1], got
        status, got = sim.json_call("GET", "vm.info")
        assert len(got["config"]["net"]) == 1 and got["config"]["vsock"]["cid"] == 3, got
        expect(sim.json_call("PUT", "vm.nmi")[0], 204, "vm.nmi")
        status, got = sim.json_call("PUT", "vm.resize-zone", {"id": "z0", "desired_ram": 1 << 30})
        expect((status, got[-1]), (500, "Failed resizing a memory zone"), "resize-zone")
        status, got = sim.json_call("PUT", "vm.send-migration",
                                    {"destination_url": "unix:/tmp/none"})
        expect((status, got[1]), (500, "Error dispatching the migration worker"), "send")
        status, got = sim.json_call("PUT", "vm.receive-migration",
                                    {"receiver_url": "unix:/tmp/none"})
        expect((status, got[1]), (500, "Error receiving migration"), "receive")
        status, got = sim.json_call("PUT", "vm.resize-disk", {"id": "_disk0", "desired_size": 1})
        expect(status, 204, "resize-disk")
        expect(sim.json_call("PUT", "vm.shutdown")[0], 204, "vm.shutdown")
        status, got = sim.json_call("PUT", "vm.nmi")
        expect((status, got), (500, ["Error from API", "Error triggering NMI", "VM is not running"]),
               "nmi stopped")
    finally:
        sim.close()


def test_snapshot_restore():
    sim = Sim()
    snap = tempfile.mkdtemp(prefix="ch-sim-snap-")
    try:
        sim.json_call("PUT", "vm.create", vm_config(sim))
        sim.json_call("PUT", "vm.boot")
        url = {"destination_url": f"file://{snap}"}
        status, body = sim.json_call("PUT", "vm.snapshot", url)
        expect(status, 500, "snapshot while running")
        expect(body[-1], "Trying to snapshot while VM is running", "snapshot while running")
        sim.json_call("PUT", "vm.pause")
        status, body = sim.json_call("PUT", "vm.snapshot",
                                     {"destination_url": f"file://{snap}/missing"})
        assert status == 500 and "Destination is not a directory" in body[-1], body
        status, body = sim.json_call("PUT", "vm.snapshot", url)
        expect(status, 204, "snapshot while paused")
        for name in ("config.json", "state.json"):
            assert os.path.exists(os.path.join(snap, name)), name
        status, body = sim.json_call("PUT", "vm.restore", {"source_url": f"file://{snap}"})
        expect((status, body[-1]), (500, "VM is already created"), "restore over a VM")
    finally:
        sim.stop()  # its directory holds the disk and serial file the snapshot names
    first = sim
    sim = Sim()
    try:
        status, body = sim.json_call("PUT", "vm.restore",
                                     {"source_url": f"file://{snap}/none"})
        assert status == 500 and body[1] == "The VM could not be restored", body
        status, body = sim.json_call("PUT", "vm.restore",
                                     {"source_url": f"file://{snap}", "prefault": False})
        expect(status, 204, "restore")
        status, info = sim.json_call("GET", "vm.info")
        expect(info["state"], "Paused", "restored VM is paused")
        status, body = sim.json_call("PUT", "vm.resume")
        expect(status, 204, "resume the restored VM")
    finally:
        sim.close()
        first.close()
        shutil.rmtree(snap, ignore_errors=True)


# ---- the process ----

def test_vmm_shutdown_exits():
    sim = Sim()
    try:
        sim.json_call("PUT", "vm.create", vm_config(sim))
        sim.json_call("PUT", "vm.boot")
        status, headers, payload = sim.call("PUT", "vmm.shutdown")
        expect((status, payload), (200, b""), "vmm.shutdown answers 200 without a body")
        expect(sim.exit_code(), 0, "exit code")
        assert not os.path.exists(sim.sock), "socket removed"
    finally:
        sim.close()


def test_power_button():
    sim = Sim()
    try:
        sim.json_call("PUT", "vm.create", vm_config(sim))
        sim.json_call("PUT", "vm.boot")
        sim.json_call("PUT", "vm.pause")
        status, body = sim.json_call("PUT", "vm.power-button")
        expect(status, 204, "power button on a paused VM")
        time.sleep(0.3)
        assert sim.proc.poll() is None, "a paused guest does not act on it"
        sim.json_call("PUT", "vm.resume")
        expect(sim.exit_code(), 0, "guest power-off ends the process")
        assert not os.path.exists(sim.sock), "socket removed"
        with open(os.path.join(sim.dir, "serial.log")) as f:
            log = f.read()
        assert "Linux version" in log and "Power down" in log, log
    finally:
        sim.close()
    sim = Sim("--no-shutdown")
    try:
        sim.json_call("PUT", "vm.create", vm_config(sim))
        sim.json_call("PUT", "vm.boot")
        sim.json_call("PUT", "vm.power-button")
        time.sleep(0.3)
        assert sim.proc.poll() is None, "--no-shutdown keeps the process"
        status, info = sim.json_call("GET", "vm.info")
        expect(info["state"], "Created", "VM dropped")
    finally:
        sim.close()
    sim = Sim("--no-shutdown", version=48, expect_start=False)
    try:
        expect(sim.exit_code(), 2, "no --no-shutdown before v52")
    finally:
        sim.close()


def test_sigterm():
    sim = Sim()
    try:
        sim.proc.send_signal(signal.SIGTERM)
        expect(sim.exit_code(), 0, "SIGTERM")
        assert not os.path.exists(sim.sock), "socket removed"
    finally:
        sim.close()


def test_stale_socket():
    # v48 refuses to bind over an existing path; v53+ takes the lock and
    # removes the stale socket.
    for version, code in ((48, 1), (53, None)):
        d = tempfile.mkdtemp(prefix="ch-sim-stale-")
        path = os.path.join(d, "api.sock")
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(path)
        stale.close()
        proc = subprocess.Popen([SIM, "--sim-api-version", str(version), "--api-socket", path],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            if code is not None:
                expect(proc.wait(timeout=10), code, f"v{version} over a stale socket")
                assert "Error" in proc.stderr.read()
                assert os.path.exists(path), "a failed start leaves the path alone"
            else:
                time.sleep(0.3)
                assert proc.poll() is None, "v53 starts"
                conn = UnixHTTPConnection(path)
                conn.request("GET", "/api/v1/vmm.ping")
                expect(conn.getresponse().status, 200, "ping on the new socket")
                conn.close()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
            shutil.rmtree(d, ignore_errors=True)


def test_command_line():
    d = tempfile.mkdtemp(prefix="ch-sim-cli-")
    try:
        kernel = os.path.join(d, "vmlinuz")
        initrd = os.path.join(d, "initrd")
        for p in (kernel, initrd):
            with open(p, "wb") as f:
                f.write(b"\0")
        disk = os.path.join(d, "a.qcow2")
        with open(disk, "wb") as f:
            f.write(b"\0" * 512)
        sock = os.path.join(d, "api.sock")
        serial = os.path.join(d, "serial.log")
        record = os.path.join(d, "record.json")
        # A comma in a path is cloud-hypervisor option syntax: this is the
        # disk "a.qcow2" with readonly=off, not a file named "a.qcow2,readonly=off".
        argv = [SIM, "--api-socket", sock, "--kernel", kernel, "--initramfs", initrd,
                "--cmdline", "console=ttyS0 panic=-1", "--cpus", "boot=2,max=4",
                "--memory", "size=256M", "--disk", f"path={disk},readonly=off",
                f"path={disk}2,readonly=on", "--net", "tap=tap0,mac=52:54:00:12:34:56",
                "--serial", f"file={serial}", "--console", "off", "--rng", "src=/dev/urandom",
                "-v", "--seccomp", "false", "--sim-record", record]
        with open(disk + "2", "wb") as f:
            f.write(b"\0" * 512)
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                if os.path.exists(sock):
                    break
                time.sleep(0.02)
            conn = UnixHTTPConnection(sock)
            conn.request("GET", "/api/v1/vm.info")
            resp = conn.getresponse()
            info = json.loads(resp.read())
            conn.close()
            expect(info["state"], "Running", "--kernel boots at start")
            cfg = info["config"]
            expect(cfg["cpus"]["boot_vcpus"], 2, "--cpus boot")
            expect(cfg["cpus"]["max_vcpus"], 4, "--cpus max")
            expect(cfg["memory"]["size"], 256 << 20, "--memory size")
            expect(cfg["payload"]["initramfs"], initrd, "--initramfs")
            expect(cfg["payload"]["cmdline"], "console=ttyS0 panic=-1", "--cmdline")
            expect([x["path"] for x in cfg["disks"]], [disk, disk + "2"], "two disks")
            expect([x["readonly"] for x in cfg["disks"]], [False, True], "readonly")
            expect(cfg["net"][0]["tap"], "tap0", "--net")
            expect(cfg["console"]["mode"], "Off", "--console off")
            with open(serial) as f:
                assert "Command line: console=ttyS0 panic=-1" in f.read()
            with open(record) as f:
                rec = json.load(f)
            expect(rec["argv"][1:3], ["--api-socket", sock], "recorded argv")
        finally:
            proc.terminate()
            expect(proc.wait(timeout=10), 0, "SIGTERM exit")
        # option-string errors exit 1, unknown flags 2 (clap)
        bad = subprocess.run([SIM, "--api-socket", sock, "--kernel", kernel, "--disk",
                              f"path={disk},frobnicate=on"], capture_output=True, text=True)
        expect(bad.returncode, 1, "unknown disk option")
        assert "Unknown option: frobnicate" in bad.stderr, bad.stderr
        bad = subprocess.run([SIM, "--api-socket", sock, "--frobnicate"], capture_output=True,
                             text=True)
        expect(bad.returncode, 2, "unknown flag")
        out = subprocess.run([SIM, "-V"], capture_output=True, text=True)
        assert out.stdout.startswith("cloud-hypervisor v53.0"), out.stdout
        out = subprocess.run([SIM, "-V", "--sim-api-version", "48"], capture_output=True, text=True)
        assert out.stdout.startswith("cloud-hypervisor v48.0"), out.stdout
        # --api-socket fd=N: an inherited listening socket
        lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        fdpath = os.path.join(d, "fd.sock")
        lsock.bind(fdpath)
        lsock.listen(4)
        proc = subprocess.Popen([SIM, "--api-socket", f"fd={lsock.fileno()}"],
                                pass_fds=[lsock.fileno()])
        try:
            time.sleep(0.3)
            conn = UnixHTTPConnection(fdpath)
            conn.request("GET", "/api/v1/vmm.ping")
            expect(conn.getresponse().status, 200, "ping over fd=")
            conn.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            lsock.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_curl():
    sim = Sim()
    try:
        base = "http://localhost/api/v1/"

        def curl(*args):
            r = subprocess.run([CURL, "-sS", "--unix-socket", sim.sock, "-w", "\n%{http_code}",
                                *args], capture_output=True, text=True, timeout=20)
            assert r.returncode == 0, r.stderr
            body, _, code = r.stdout.rpartition("\n")
            return int(code), body

        code, body = curl(base + "vmm.ping")
        expect(code, 200, "curl ping")
        expect(json.loads(body)["version"], "53.0.0", "curl ping")
        config = os.path.join(sim.dir, "config.json")
        with open(config, "w") as f:
            json.dump(vm_config(sim), f)
        # curl -d sends application/x-www-form-urlencoded; micro_http
        # ignores a Content-Type it does not know, as here.
        code, body = curl("-X", "PUT", "--data-binary", "@" + config, base + "vm.create")
        expect(code, 204, "curl vm.create")
        code, body = curl("-X", "PUT", base + "vm.boot")
        expect(code, 204, "curl vm.boot")
        code, body = curl(base + "vm.info")
        expect((code, json.loads(body)["state"]), (200, "Running"), "curl vm.info")
        code, body = curl("-X", "PUT", base + "vm.create", "-H", "Content-Type: application/json",
                          "-d", "{}")
        expect((code, json.loads(body)[-1]), (500, "VM is already created"), "curl error array")
        code, body = curl("-i", base + "vm.boot")
        assert "Server: Cloud Hypervisor API" in body, body
        code, body = curl("-X", "PUT", base + "vmm.shutdown")
        expect(code, 200, "curl vmm.shutdown")
        expect(sim.exit_code(), 0, "exit after curl vmm.shutdown")
        assert not os.path.exists(sim.sock), "socket removed"
    finally:
        sim.close()


def guest_files():
    """The kernel and initramfs of the VM tests (tests/vm/guest), or None."""
    script = os.path.join(os.environ.get("HERO_VIRT_SOURCE_ROOT", ""), "tests", "vm", "guest",
                          "build-guest.sh")
    if not shutil.which("qemu-system-x86_64") or not os.path.exists(script):
        return None, "qemu-system-x86_64 or tests/vm/guest/build-guest.sh missing"
    out = tempfile.mkdtemp(prefix="ch-sim-guest-")
    r = subprocess.run(["bash", script, out], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        return None, "build-guest.sh failed: " + r.stderr.strip().splitlines()[-1]
    files = dict(line.split("=", 1) for line in r.stdout.split() if "=" in line)
    return (files["KERNEL"], files["INITRD"], out), None


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def test_qemu_guest(guest):
    kernel, initrd, _ = guest
    sim = Sim("--sim-guest", "qemu")
    serial = os.path.join(sim.dir, "serial.log")

    def lines():
        try:
            with open(serial) as f:
                return f.read().count("\n")
        except FileNotFoundError:
            return 0

    def wait_for(text, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(serial) and text in open(serial).read():
                return
            time.sleep(0.2)
        raise AssertionError(f"no {text!r} on the console")

    try:
        config = {"payload": {"kernel": kernel, "initramfs": initrd,
                              "cmdline": "console=ttyS0 quiet panic=-1"},
                  "memory": {"size": 256 << 20},
                  "serial": {"mode": "File", "file": serial}, "console": {"mode": "Off"}}
        expect(sim.json_call("PUT", "vm.create", config)[0], 204, "create")
        expect(sim.json_call("PUT", "vm.boot")[0], 204, "boot")
        qemu = children(sim.proc.pid)
        assert len(qemu) == 1, qemu
        wait_for("HEROVIRT-TICK")
        expect(sim.json_call("PUT", "vm.pause")[0], 204, "pause")
        time.sleep(0.5)
        before = lines()
        time.sleep(1.0)
        expect(lines(), before, "the console stops while paused")
        expect(sim.json_call("GET", "vm.info")[1]["state"], "Paused", "state")
        expect(sim.json_call("PUT", "vm.resume")[0], 204, "resume")
        time.sleep(1.0)
        assert lines() > before, "the console goes on after resume"
        expect(sim.json_call("PUT", "vm.power-button")[0], 204, "power button")
        expect(sim.exit_code(timeout=30), 0, "the guest powered off, the process exits")
        assert "Power down" in open(serial).read()
        assert not os.path.exists(sim.sock), "socket removed"
        for pid in qemu:
            assert not os.path.exists(f"/proc/{pid}"), "qemu is gone"
    finally:
        sim.close()


def main():
    tap = Tap()
    if SIM is None or not os.access(SIM, os.X_OK):
        print("Bail out! hero-virt-ch-sim not built (set HERO_VIRT_CH_SIM)")
        return 1
    tap.run("ping, Server and Content-Type headers", test_ping_headers)
    tap.run("unknown paths are 404 [Not Found]", test_unknown_paths)
    tap.run("wrong methods", test_methods)
    tap.run("bodies: missing, unexpected, malformed", test_bodies)
    tap.run("the 4 MiB body limit", test_body_limit)
    tap.run("state machine, v53+ codes", lifecycle, 53)
    tap.run("state machine, v48 codes", lifecycle, 48)
    tap.run("devices, v53+ codes", test_devices, 53)
    tap.run("devices, v48 codes", test_devices, 48)
    tap.run("every other route", test_every_route)
    tap.run("snapshot and restore", test_snapshot_restore)
    tap.run("vmm.shutdown exits and removes the socket", test_vmm_shutdown_exits)
    tap.run("power button: guest power-off, --no-shutdown", test_power_button)
    tap.run("SIGTERM exits cleanly", test_sigterm)
    tap.run("stale sockets: v48 fails, v53 replaces", test_stale_socket)
    tap.run("the cloud-hypervisor command line", test_command_line)
    guest, why = guest_files()
    if guest:
        try:
            tap.run("--sim-guest qemu: a real console, paused and resumed, power button",
                    test_qemu_guest, guest)
        finally:
            shutil.rmtree(guest[2], ignore_errors=True)
    elif os.environ.get("CI") == "true":
        tap.run("--sim-guest qemu", lambda: (_ for _ in ()).throw(AssertionError(why)))
    else:
        tap.skip("--sim-guest qemu", why)
    if CURL:
        tap.run("curl --unix-socket", test_curl)
    elif os.environ.get("CI") == "true":
        tap.run("curl --unix-socket", lambda: (_ for _ in ()).throw(AssertionError("no curl")))
    else:
        tap.skip("curl --unix-socket", "curl not installed")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
