#!/usr/bin/env python3
# hero-virt-kube-sim --node-agent podman driven by the real kubectl: pods run
# as podman pods on a private podman service, from images built offline
# (scripts/build-test-images.sh) and pulled from a local docker-registry.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "kube-sim"))
from kubesim import Tap, binary, require, wait_for  # noqa: E402

KUBECTL = require(os.environ.get("KUBECTL", "kubectl"), "kubectl")
PODMAN = require("podman", "podman")
require("buildah", "buildah")
require("skopeo", "skopeo")
require("runc", "runc")
NFT = require("nft", "nftables")
REGISTRY = require("/usr/bin/docker-registry", "docker-registry")
SOURCE_ROOT = os.environ.get("HERO_VIRT_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
BUILD_IMAGES = os.path.join(SOURCE_ROOT, "scripts", "build-test-images.sh")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Env:
    """A registry with the test images, the simulator with the podman agent."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kube-sim-podman-test-")
        self.procs = []
        port = free_port()
        os.makedirs(os.path.join(self.dir, "reg"))
        with open(os.path.join(self.dir, "reg", "config.yml"), "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {self.dir}/reg/data\nhttp:\n  addr: 127.0.0.1:{port}\n")
        self.reg_log = open(os.path.join(self.dir, "reg.log"), "w")
        self.registry = subprocess.Popen([REGISTRY, "serve", os.path.join(self.dir, "reg", "config.yml")],
                                         stdout=self.reg_log, stderr=subprocess.STDOUT)
        self.reg = f"127.0.0.1:{port}"
        wait_for(lambda: self._registry_up(), timeout=30)
        out = subprocess.run([BUILD_IMAGES, "--push", self.reg], check=True, capture_output=True, text=True)
        self.images = {line.split()[0]: line.split()[2] for line in out.stdout.splitlines()}
        self.busybox = self.images["busybox"]
        self.root = os.path.join(self.dir, "podman")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.sim_log = open(os.path.join(self.dir, "sim.log"), "w")
        # The ClusterIP table a killed simulator would leave: its PID is gone.
        dead = subprocess.Popen(["true"])
        dead.wait()
        self.stale_table = f"hero_virt_kube_sim_{dead.pid}"
        subprocess.run([NFT, "add", "table", "ip", self.stale_table], check=True)
        # e.g. KUBE_SIM_WRAPPER="valgrind -q" to look at the simulator
        wrapper = os.environ.get("KUBE_SIM_WRAPPER", "").split()
        self.sim = subprocess.Popen([*wrapper, binary(), "--port", "0", "--kubeconfig", self.kubeconfig,
                                     "--node-agent", "podman", "--podman-root", self.root],
                                    stdout=subprocess.PIPE, stderr=self.sim_log, text=True)
        line = self.sim.stdout.readline()
        while wrapper and line and not line.startswith("KUBE_SIM_READY"):
            line = self.sim.stdout.readline()
        if not line.startswith("KUBE_SIM_READY"):
            self.stop()
            raise RuntimeError(f"simulator did not start: {line!r}")
        self.service_pid = self._service_pid()

    def _registry_up(self):
        try:
            with urllib.request.urlopen(f"http://{self.reg}/v2/", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def _service_pid(self):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == self.sim.pid and b"service" in argv:
                return int(pid)
        return None

    def nft_table(self):
        return f"hero_virt_kube_sim_{self.sim.pid}"

    def podman(self, *args):
        env = dict(os.environ, CONTAINERS_CONF=os.path.join(self.root, "containers.conf"),
                   CONTAINERS_STORAGE_CONF=os.path.join(self.root, "storage.conf"))
        return subprocess.run([PODMAN, *args], env=env, check=True, capture_output=True, text=True).stdout

    def kubectl(self, *args, input=None, check=True):
        r = subprocess.run([KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir",
                            os.path.join(self.dir, "kcache"), *args],
                           input=input, capture_output=True, text=True, timeout=180)
        if check and r.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: rc {r.returncode}: {r.stderr}")
        return r.stdout

    def apply(self, text):
        return self.kubectl("apply", "-f", "-", input=text)

    def pod(self, name):
        return json.loads(self.kubectl("get", "pod", name, "-o", "json"))

    def stop_sim(self):
        if self.sim is not None and self.sim.poll() is None:
            self.sim.send_signal(signal.SIGTERM)
            try:
                self.sim.wait(120)
            except subprocess.TimeoutExpired:
                self.sim.kill()
                self.sim.wait()

    def stop(self):
        self.stop_sim()
        self.sim_log.close()
        if self.sim is not None and self.sim.returncode != 0:
            with open(os.path.join(self.dir, "sim.log")) as f:
                for line in f.read().splitlines()[-40:]:
                    print("# sim: " + line)
        if self.registry.poll() is None:
            self.registry.terminate()
            self.registry.wait(10)
        self.reg_log.close()
        if os.path.exists(os.path.join(self.root, "storage.conf")):
            try:  # whatever a failed test left behind
                self.podman("pod", "rm", "-a", "-f", "-t", "0")
                self.podman("rm", "-a", "-f", "-t", "0")
                self.podman("rmi", "-a", "-f")
            except subprocess.CalledProcessError:
                pass
        if getattr(self, "stale_table", None):
            subprocess.run([NFT, "delete", "table", "ip", self.stale_table], capture_output=True)
        subprocess.run(["rm", "-rf", "--one-file-system", self.dir])


def cstatus(pod, i=0):
    return pod["status"]["containerStatuses"][i]


def condition(pod, kind):
    for c in pod["status"].get("conditions", []):
        if c["type"] == kind:
            return c["status"]
    return None


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


def test_pod_runs(env):
    env.apply(f"""
apiVersion: v1
kind: ConfigMap
metadata: {{name: web-config}}
data: {{greeting: hello-from-configmap, mode: test}}
---
apiVersion: v1
kind: Secret
metadata: {{name: web-secret}}
stringData: {{password: s3cret-value}}
---
apiVersion: v1
kind: Pod
metadata: {{name: web, labels: {{app: web}}}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: {env.busybox}
    command: [sh, -c]
    args: ["echo GREETING=$GREETING PASSWORD=$PASSWORD MODE=$MODE HOST=$(hostname) NAME=$POD_NAME; env > /www/env.txt; exec httpd -f -p 8080 -h /www"]
    ports: [{{containerPort: 8080}}]
    env:
    - {{name: GREETING, valueFrom: {{configMapKeyRef: {{name: web-config, key: greeting}}}}}}
    - {{name: PASSWORD, valueFrom: {{secretKeyRef: {{name: web-secret, key: password}}}}}}
    - {{name: POD_NAME, valueFrom: {{fieldRef: {{fieldPath: metadata.name}}}}}}
    envFrom:
    - configMapRef: {{name: web-config}}
      prefix: CM_
    volumeMounts:
    - {{name: cfg, mountPath: /www/cfg}}
    - {{name: sec, mountPath: /www/sec}}
    - {{name: scratch, mountPath: /scratch}}
  volumes:
  - {{name: cfg, configMap: {{name: web-config}}}}
  - {{name: sec, secret: {{secretName: web-secret}}}}
  - {{name: scratch, emptyDir: {{}}}}
""")
    env.kubectl("wait", "--for=condition=Ready", "pod/web", "--timeout=120s")
    pod = env.pod("web")
    assert pod["status"]["phase"] == "Running", pod["status"]
    ip = pod["status"]["podIP"]
    assert ip.startswith("10."), ip
    cs = cstatus(pod)
    assert cs["ready"] and cs["started"] and "running" in cs["state"], cs
    assert cs["containerID"].startswith("podman://"), cs
    assert cs["image"] == env.busybox and cs["imageID"], cs
    assert condition(pod, "ContainersReady") == "True" and condition(pod, "Initialized") == "True"
    assert condition(pod, "PodScheduled") == "True"
    # Served by the pod's httpd on its IP, from the ConfigMap and Secret volumes.
    assert http_get(f"http://{ip}:8080/index.html").strip() == "hero-virt test busybox"
    assert http_get(f"http://{ip}:8080/cfg/greeting") == "hello-from-configmap"
    assert http_get(f"http://{ip}:8080/sec/password") == "s3cret-value"
    environ = http_get(f"http://{ip}:8080/env.txt").splitlines()
    assert "CM_mode=test" in environ and "CM_greeting=hello-from-configmap" in environ, environ
    logs = wait_for(lambda: env.kubectl("logs", "web", "-c", "httpd").strip(), timeout=30)
    assert logs.splitlines()[0] == ("GREETING=hello-from-configmap PASSWORD=s3cret-value MODE= "
                                    "HOST=web NAME=web"), logs
    # The container runs in podman, labelled with the pod's uid.
    cid = cs["containerID"][len("podman://"):]
    inspect = json.loads(env.podman("inspect", cid))[0]
    assert inspect["State"]["Running"], inspect["State"]
    assert inspect["Config"]["Labels"]["io.kube-sim.uid"] == pod["metadata"]["uid"]


def test_readiness_waits_for_file(env):
    flag_dir = os.path.join(env.dir, "flag")
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: gated}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: {env.busybox}
    command: [sleep, "3600"]
    readinessProbe:
      exec: {{command: [test, -f, /flag/ready]}}
      periodSeconds: 1
    volumeMounts: [{{name: flag, mountPath: /flag}}]
  volumes:
  - {{name: flag, hostPath: {{path: {flag_dir}, type: DirectoryOrCreate}}}}
""")
    # Running, probed and failing: an Unhealthy event, not ready.
    wait_for(lambda: "running" in cstatus(env.pod("gated"))["state"], timeout=120)
    wait_for(lambda: "Readiness probe failed" in env.kubectl(
        "get", "events", "--field-selector", "involvedObject.name=gated", "-o", "json"), timeout=60)
    pod = env.pod("gated")
    assert condition(pod, "Ready") == "False" and not cstatus(pod)["ready"], pod["status"]
    with open(os.path.join(flag_dir, "ready"), "w") as f:
        f.write("1")
    env.kubectl("wait", "--for=condition=Ready", "pod/gated", "--timeout=60s")
    assert cstatus(env.pod("gated"))["ready"]


def test_exit_code_never(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: exit3}}
spec:
  restartPolicy: Never
  containers:
  - {{name: c, image: {env.busybox}, command: [sh, -c, "echo going; exit 3"]}}
""")
    pod = wait_for(lambda: (lambda p: p if p["status"].get("phase") == "Failed" else None)(env.pod("exit3")),
                   timeout=120)
    term = cstatus(pod)["state"]["terminated"]
    assert term["exitCode"] == 3 and term["reason"] == "Error", term
    assert term["containerID"].startswith("podman://")
    assert cstatus(pod)["restartCount"] == 0
    assert env.kubectl("logs", "exit3").strip() == "going"


def test_on_failure_succeeds(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: done}}
spec:
  restartPolicy: OnFailure
  containers:
  - {{name: c, image: {env.busybox}, command: ["true"]}}
""")
    pod = wait_for(lambda: (lambda p: p if p["status"].get("phase") == "Succeeded" else None)(env.pod("done")),
                   timeout=120)
    assert cstatus(pod)["state"]["terminated"]["reason"] == "Completed"
    assert condition(pod, "Ready") == "False"


def test_liveness_restarts(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: live}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: {env.busybox}
    command: [sh, -c, "touch /tmp/alive; exec sleep 3600"]
    livenessProbe:
      exec: {{command: [sh, -c, "test -f /tmp/alive && rm /tmp/alive"]}}
      periodSeconds: 1
      failureThreshold: 1
""")
    pod = wait_for(lambda: (lambda p: p if cstatus(p)["restartCount"] >= 1 else None)(env.pod("live")),
                   timeout=120)
    cs = cstatus(pod)
    assert "terminated" in cs["lastState"], cs
    assert cs["lastState"]["terminated"]["exitCode"] != 0, cs
    assert pod["status"]["phase"] == "Running"
    events = env.kubectl("get", "events", "--field-selector", "involvedObject.name=live", "-o", "json")
    assert "Liveness probe failed" in events
    env.kubectl("delete", "pod", "live", "--wait=false")


def test_image_pull_error(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: badimage}}
spec:
  containers:
  - {{name: c, image: {env.reg}/hero-virt-test/missing:1}}
""")
    reason = wait_for(lambda: cstatus(env.pod("badimage"))["state"].get("waiting", {}).get("reason")
                      in ("ErrImagePull", "ImagePullBackOff"), timeout=120)
    assert reason
    assert env.pod("badimage")["status"]["phase"] == "Pending"
    env.kubectl("delete", "pod", "badimage", "--wait=true", "--timeout=60s")


def test_resources_and_privileged(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: limited}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: {env.busybox}
    command: [sleep, "3600"]
    securityContext: {{privileged: true}}
    resources:
      limits: {{memory: 64Mi, cpu: 500m}}
""")
    env.kubectl("wait", "--for=condition=Ready", "pod/limited", "--timeout=120s")
    pod = env.pod("limited")
    assert pod["status"]["qosClass"] == "Guaranteed", pod["status"]["qosClass"]
    cid = cstatus(pod)["containerID"][len("podman://"):]
    host = json.loads(env.podman("inspect", cid))[0]["HostConfig"]
    assert host["Memory"] == 64 * 1024 * 1024, host["Memory"]
    assert host["CpuQuota"] == 50000 and host["CpuPeriod"] == 100000, (host["CpuQuota"], host["CpuPeriod"])
    assert host["Privileged"] is True


def test_delete_within_grace(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: stubborn}}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - {{name: c, image: {env.busybox}, command: [sleep, "3600"]}}
""")
    env.kubectl("wait", "--for=condition=Ready", "pod/stubborn", "--timeout=120s")
    uid = env.pod("stubborn")["metadata"]["uid"]
    assert env.podman("ps", "-q", "--filter", f"label=io.kube-sim.uid={uid}").strip()
    # sleep ignores SIGTERM: podman kills it when the 2 s grace period ends.
    env.kubectl("delete", "pod", "stubborn", "--wait=true", "--timeout=60s")
    assert env.podman("ps", "-aq", "--filter", f"label=io.kube-sim.uid={uid}").strip() == ""
    assert env.podman("pod", "ps", "-q", "--filter", f"label=io.kube-sim.uid={uid}").strip() == ""


def test_deployment_available(env):
    env.apply(f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: webd}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: webd}}}}
  template:
    metadata: {{labels: {{app: webd}}}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: httpd
        image: {env.busybox}
        command: [httpd, -f, -p, "8080", -h, /www]
        readinessProbe:
          httpGet: {{path: /index.html, port: 8080}}
          periodSeconds: 1
""")
    env.kubectl("rollout", "status", "deployment/webd", "--timeout=180s")
    pods = json.loads(env.kubectl("get", "pods", "-l", "app=webd", "-o", "json"))["items"]
    ips = {p["status"]["podIP"] for p in pods if condition(p, "Ready") == "True"}
    assert len(ips) == 2, ips
    for ip in ips:
        assert "hero-virt test busybox" in http_get(f"http://{ip}:8080/index.html")


def init_status(pod, i):
    return pod["status"]["initContainerStatuses"][i]


def table_status(env, name):
    """kubectl get's STATUS column, as the server prints it."""
    return env.kubectl("get", "pod", name, "--no-headers").split()[2]


def test_init_containers(env):
    gate = os.path.join(env.dir, "init-gate")
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: inits}}
spec:
  terminationGracePeriodSeconds: 0
  initContainers:
  - name: first
    image: {env.busybox}
    command: [sh, -c, "while [ ! -f /gate/go ]; do sleep 0.2; done; echo one-$(hostname) > /work/order"]
    volumeMounts: [{{name: work, mountPath: /work}}, {{name: gate, mountPath: /gate}}]
  - name: second
    image: {env.busybox}
    command: [sh, -c, "test -f /work/order && echo two >> /work/order && echo second-ran"]
    volumeMounts: [{{name: work, mountPath: /work}}]
  containers:
  - name: app
    image: {env.busybox}
    command: [sh, -c, "cat /work/order; exec httpd -f -p 8080 -h /work"]
    volumeMounts: [{{name: work, mountPath: /work}}]
  volumes:
  - {{name: work, emptyDir: {{}}}}
  - {{name: gate, hostPath: {{path: {gate}, type: DirectoryOrCreate}}}}
""")
    # The first init container waits for the gate: the pod is initializing.
    wait_for(lambda: "running" in init_status(env.pod("inits"), 0)["state"], timeout=120)
    pod = env.pod("inits")
    assert pod["status"]["phase"] == "Pending", pod["status"]
    assert condition(pod, "Initialized") == "False" and condition(pod, "Ready") == "False"
    init_cond = [c for c in pod["status"]["conditions"] if c["type"] == "Initialized"][0]
    assert init_cond["reason"] == "ContainersNotInitialized", init_cond
    assert init_cond["message"] == "containers with incomplete status: [first second]", init_cond
    assert init_status(pod, 1)["state"]["waiting"]["reason"] == "PodInitializing", pod["status"]
    assert cstatus(pod)["state"]["waiting"]["reason"] == "PodInitializing", pod["status"]
    assert table_status(env, "inits") == "Init:0/2"
    with open(os.path.join(gate, "go"), "w") as f:
        f.write("1")
    env.kubectl("wait", "--for=condition=Ready", "pod/inits", "--timeout=120s")
    pod = env.pod("inits")
    assert pod["status"]["phase"] == "Running" and condition(pod, "Initialized") == "True"
    for i in (0, 1):
        st = init_status(pod, i)
        term = st["state"]["terminated"]
        assert term["exitCode"] == 0 and term["reason"] == "Completed", st
        assert st["ready"] and st["restartCount"] == 0, st
    # In order, in the pod's UTS namespace, on the shared emptyDir.
    assert env.kubectl("logs", "inits", "-c", "app").split() == ["one-inits", "two"]
    assert env.kubectl("logs", "inits", "-c", "second").strip() == "second-ran"
    ip = pod["status"]["podIP"]
    assert http_get(f"http://{ip}:8080/order").split() == ["one-inits", "two"]
    assert table_status(env, "inits") == "Running"
    env.kubectl("delete", "pod", "inits", "--wait=false")


def test_init_container_retried(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: init-retry}}
spec:
  terminationGracePeriodSeconds: 0
  initContainers:
  - name: flaky
    image: {env.busybox}
    command: [sh, -c, "if [ -f /work/tried ]; then exit 0; fi; touch /work/tried; exit 1"]
    volumeMounts: [{{name: work, mountPath: /work}}]
  containers:
  - {{name: app, image: {env.busybox}, command: [sleep, "3600"]}}
  volumes:
  - {{name: work, emptyDir: {{}}}}
""")
    env.kubectl("wait", "--for=condition=Ready", "pod/init-retry", "--timeout=120s")
    st = init_status(env.pod("init-retry"), 0)
    assert st["restartCount"] == 1, st
    assert st["lastState"]["terminated"]["exitCode"] == 1, st
    assert st["state"]["terminated"]["exitCode"] == 0, st
    env.kubectl("delete", "pod", "init-retry", "--wait=false")


def test_init_container_fails_never(env):
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: init-fail}}
spec:
  restartPolicy: Never
  initContainers:
  - {{name: broken, image: {env.busybox}, command: [sh, -c, "echo init-broke; exit 4"]}}
  - {{name: never-runs, image: {env.busybox}, command: ["true"]}}
  containers:
  - {{name: app, image: {env.busybox}, command: [sleep, "3600"]}}
""")
    pod = wait_for(lambda: (lambda p: p if p["status"].get("phase") == "Failed" else None)(env.pod("init-fail")),
                   timeout=120)
    st = init_status(pod, 0)
    assert st["state"]["terminated"]["exitCode"] == 4 and st["restartCount"] == 0, st
    assert "waiting" in init_status(pod, 1)["state"], pod["status"]
    assert cstatus(pod)["state"]["waiting"]["reason"] == "PodInitializing", pod["status"]
    assert "containerID" not in cstatus(pod)
    assert condition(pod, "Initialized") == "False"
    assert table_status(env, "init-fail") == "Init:Error"
    assert env.kubectl("logs", "init-fail", "-c", "broken").strip() == "init-broke"
    uid = pod["metadata"]["uid"]
    names = env.podman("ps", "-a", "--format", "{{.Names}}", "--filter", f"label=io.kube-sim.uid={uid}")
    assert "k8s_broken_" in names and "k8s_app_" not in names and "k8s_never-runs_" not in names, names


def _nc_get(env, pod, host, port):
    """GET /index.html from inside pod through busybox nc (its wget crashes)."""
    r = subprocess.run([KUBECTL, "--kubeconfig", env.kubeconfig, "--cache-dir", os.path.join(env.dir, "kcache"),
                        "exec", pod, "--", "sh", "-c",
                        f"printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 5 {host} {port}"],
                       capture_output=True, text=True, timeout=60)
    return r.stdout if "hero-virt test busybox" in r.stdout else None


def test_cluster_ip(env):
    # A client pod first: the Service and its name appear after it started.
    env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: client}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {{name: c, image: {env.busybox}, command: [sleep, "3600"]}}
""")
    env.kubectl("wait", "--for=condition=Ready", "pod/client", "--timeout=120s")
    env.kubectl("create", "namespace", "other")
    env.apply("""
apiVersion: v1
kind: Service
metadata: {name: webd-cip}
spec:
  selector: {app: webd}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: alt, port: 8081, targetPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: far, namespace: other}
spec:
  selector: {app: webd}
  ports:
  - {port: 9000, targetPort: 8080}
""")
    svc = json.loads(env.kubectl("get", "service", "webd-cip", "-o", "json"))
    cip = svc["spec"]["clusterIP"]
    assert cip.startswith("10.96."), cip
    # By ClusterIP, by every name, on each port, to a ready pod of webd.
    for host, port in ((cip, 80), (cip, 8081), ("webd-cip", 80),
                       ("webd-cip.default.svc.cluster.local", 80), ("webd-cip.default", 80)):
        assert wait_for(lambda: _nc_get(env, "client", host, port), timeout=30), (host, port)
    hosts = env.kubectl("exec", "client", "--", "cat", "/etc/hosts")
    assert f"{cip}\twebd-cip.default.svc.cluster.local webd-cip.default.svc webd-cip.default webd-cip\n" in hosts
    # Another namespace's Service by NAME.NS; its bare name only there.
    far_ip = json.loads(env.kubectl("get", "service", "far", "-n", "other", "-o", "json"))["spec"]["clusterIP"]
    assert f"{far_ip}\tfar.other.svc.cluster.local far.other.svc far.other\n" in hosts, hosts
    assert "client" in hosts
    # Two connections in a row each reach a pod (round robin over the ready ones).
    for _ in range(2):
        assert _nc_get(env, "client", cip, 80)
    # Gone with the Service: the name and the route.
    env.kubectl("delete", "service", "far", "-n", "other")
    wait_for(lambda: "far.other" not in env.kubectl("exec", "client", "--", "cat", "/etc/hosts"), timeout=30)
    rules = subprocess.run([NFT, "list", "table", "ip", env.nft_table()], capture_output=True, text=True,
                           check=True).stdout
    assert f"ip daddr {cip} tcp dport 80" in rules and ":9000" not in rules and "dport 9000" not in rules, rules
    env.kubectl("delete", "service", "webd-cip")
    env.kubectl("delete", "namespace", "other", "--wait=false")


def test_node_port(env):
    port = None
    for candidate in range(31000 + os.getpid() % 1500, 32767):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        port = candidate
        break
    env.apply(f"""
apiVersion: v1
kind: Service
metadata: {{name: webd}}
spec:
  type: NodePort
  selector: {{app: webd}}
  ports:
  - {{port: 80, targetPort: 8080, nodePort: {port}}}
""")
    # Routed by the simulator to a ready pod of the deployment, every time.
    for _ in range(4):
        body = wait_for(lambda: _try_get(f"http://127.0.0.1:{port}/index.html"), timeout=30)
        assert "hero-virt test busybox" in body
    env.kubectl("delete", "service", "webd")
    wait_for(lambda: _try_get(f"http://127.0.0.1:{port}/index.html") is None, timeout=30)


def _half_close_exchange(port, payload):
    """Sends payload, half-closes, reads the answer to EOF (None on a reset)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data
                data += chunk
    except OSError:
        return None


def test_node_port_half_close(env):
    """A backend that reads to EOF, answers and closes, through a NodePort
    the simulator picked: the client's half-close reaches the backend, the
    backend's close reaches the client. The ports held here are skipped."""
    held = []
    for candidate in range(30000, 30010):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", candidate))
            s.listen(1)
            held.append(s)
        except OSError:
            s.close()
    try:
        env.apply(f"""
apiVersion: v1
kind: Pod
metadata: {{name: counter, labels: {{app: counter}}}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: {env.busybox}
    command: [nc, -ll, -p, "9000", -e, sh, -c, 'n=$(wc -c); echo got $n bytes']
---
apiVersion: v1
kind: Service
metadata: {{name: counter}}
spec:
  type: NodePort
  selector: {{app: counter}}
  ports:
  - {{port: 9000, targetPort: 9000}}
""")
        svc = json.loads(env.kubectl("get", "service", "counter", "-o", "json"))
        port = svc["spec"]["ports"][0]["nodePort"]
        held_ports = [s.getsockname()[1] for s in held]
        assert 30000 <= port <= 32767 and port not in held_ports, (port, held_ports)
        env.kubectl("wait", "--for=condition=Ready", "pod/counter", "--timeout=120s")
        payload = b"0123456789" * 20000
        # until nc listens in the pod: before that the proxy closes at once
        answer = wait_for(lambda: (lambda a: a if a else None)(_half_close_exchange(port, payload)),
                          timeout=60)
        assert answer == b"got 200000 bytes\n", answer
        for _ in range(3):  # every connection ends by itself
            assert _half_close_exchange(port, b"abc") == b"got 3 bytes\n"
    finally:
        for s in held:
            s.close()
    env.kubectl("delete", "service", "counter")
    env.kubectl("delete", "pod", "counter", "--wait=false")


def _try_get(url):
    try:
        return http_get(url)
    except OSError:
        return None


def test_stale_rules_removed(env):
    tables = subprocess.run([NFT, "list", "tables"], capture_output=True, text=True, check=True).stdout
    # Removed when the simulator started (its own appears with the first pod).
    assert f"table ip {env.stale_table}\n" not in tables, tables


def test_sigterm_cleans_up(env):
    pids = [int(p) for p in env.podman("ps", "--format", "{{.Pid}}").split() if int(p) > 0]
    assert pids, "containers are running before the shutdown"
    table = env.nft_table()
    assert table in subprocess.run([NFT, "list", "tables"], capture_output=True, text=True).stdout
    env.stop_sim()
    assert env.sim.returncode == 0, env.sim.returncode
    assert env.podman("ps", "-aq").strip() == "", "containers are left"
    assert env.podman("pod", "ps", "-q").strip() == "", "pods are left"
    tables = subprocess.run([NFT, "list", "tables"], capture_output=True, text=True, check=True).stdout
    assert table not in tables, "the ClusterIP rules are left"
    for pid in pids + [env.service_pid]:
        assert pid is not None
        assert not os.path.exists(f"/proc/{pid}"), f"process {pid} is still alive"


def main():
    tap = Tap()
    try:
        env = Env()
    except Exception as e:  # noqa: BLE001
        print(f"Bail out! setup failed: {e}")
        return 1
    try:
        for test in (test_stale_rules_removed, test_pod_runs, test_readiness_waits_for_file,
                     test_exit_code_never,
                     test_on_failure_succeeds, test_liveness_restarts, test_image_pull_error,
                     test_resources_and_privileged, test_delete_within_grace,
                     test_deployment_available, test_init_containers, test_init_container_retried,
                     test_init_container_fails_never, test_cluster_ip, test_node_port,
                     test_node_port_half_close,
                     test_sigterm_cleans_up):
            tap.run(test.__name__, test, env)
    finally:
        env.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
