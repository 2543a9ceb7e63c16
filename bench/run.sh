#!/usr/bin/env bash
# Runs every HeroVirt benchmark side by side with the tool a user would use
# instead, and prints the ratios. Builds first if needed. Run as root (the
# buildah and podman benchmarks use private storage in a temp dir).
#
#   bench/run.sh            all three
#   bench/run.sh qcow2      one of qcow2, buildah, containers, kube, pods, startup
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

HERO_VIRT_PLUGIN_PATH=$(find "$root/build/plugins" -name 'libherovirt-*.so' -printf '%h\n' | sort -u | paste -sd:)
export HERO_VIRT_PLUGIN_PATH HERO_VIRT_PLUGIN_SYSTEM_PATH=""
export LD_LIBRARY_PATH="$root/build/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export HERO_VIRT_PLUGIN_SCANNER="$root/build/tools/plugin-scanner/hero-virt-plugin-scanner"

run() {
  printf '\n==== %s\n' "$1"
  shift
  "$@"
}

which=${1:-all}
case $which in all|qcow2) run "qcow2: native info/create vs qemu-img" build/bench/qcow2/bench-qcow2 30 ;; esac
case $which in all|buildah) run "buildah: 10-step Builder vs a shell script of buildah commands" build/bench/buildah/bench-buildah 5 ;; esac
case $which in all|containers) run "containers: lifecycle via REST, via CLI, and a podman shell loop" build/bench/containers/bench-containers 20 ;; esac
case $which in all|kube) run "kube: the simulator under 16 keep-alive clients" build/bench/kube/bench-kube-sim-load build/tools/kube-sim/hero-virt-kube-sim 5 16
  run "kube: 1000 ConfigMaps via KubernetesManager vs python3-kubernetes vs kubectl" \
    env GI_TYPELIB_PATH="$root/build/gir" KUBE_SIM="$root/build/tools/kube-sim/hero-virt-kube-sim" \
    /usr/bin/python3 bench/kube/bench-kube-configmaps.py 1000 100 ;; esac
case $which in all|pods) run "pods: PodExecutor vs kubectl exec vs podman REST exec; PortForward vs kubectl port-forward vs the pod IP" \
    env GI_TYPELIB_PATH="$root/build/gir" LD_LIBRARY_PATH="$root/build/core" HERO_VIRT_PLUGIN_SYSTEM_PATH= \
      HERO_VIRT_PLUGIN_PATH="$root/build/plugins/k8s" \
      HERO_VIRT_PLUGIN_SCANNER="$root/build/tools/plugin-scanner/hero-virt-plugin-scanner" \
      KUBE_SIM="$root/build/tools/kube-sim/hero-virt-kube-sim" HERO_VIRT_BUILD_ROOT="$root/build" \
      HERO_VIRT_SOURCE_ROOT="$root" /usr/bin/python3 bench/kube/bench-pod-exec.py 100 1024 ;; esac
case $which in all|startup) run "startup: hero-virt plugins (warm cache) vs kubectl version --client and podman --version" bench/startup/bench-startup.py build/tools/hero-virt 30 ;; esac
