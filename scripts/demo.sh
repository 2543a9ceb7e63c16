#!/usr/bin/env bash
# The main job: builds HeroVirt and uses it for real on this machine, with
# local defaults: lists the plugins, makes and snapshots a qcow2 disk, builds
# an OCI image with buildah and serves it from a podman container. Everything
# it creates lives in a temporary directory (private container storage too)
# and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

./scripts/install-deps.sh
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

if [ ! -f build/build.ninja ]; then
  meson setup build --prefix="$root/_install" -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build >/dev/null

# Use the build tree as if it were installed.
export GI_TYPELIB_PATH="$root/build/gir${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}"
export PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}"
export LD_LIBRARY_PATH="$root/build/core${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
HERO_VIRT_PLUGIN_PATH=$(find "$root/build/plugins" -name 'libherovirt-*.so' -printf '%h\n' | sort -u | paste -sd:)
export HERO_VIRT_PLUGIN_PATH
export HERO_VIRT_PLUGIN_SYSTEM_PATH=""
# Plugins are opened by the plugin scanner first: use the one of this build.
export HERO_VIRT_PLUGIN_SCANNER="$root/build/tools/plugin-scanner/hero-virt-plugin-scanner"

echo "==== hero-virt plugins"
./build/tools/hero-virt plugins || true
echo
exec /usr/bin/python3 examples/python/demo.py "$@"
