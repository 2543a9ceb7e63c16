#!/usr/bin/python3
# HeroVirtBuildahProvider:storage-driver: a provider instance of one's own
# passes `--storage-driver` on every buildah call (buildah honours the
# STORAGE_DRIVER variable on some subcommands only, and it is not set here):
# with overlay in storage.conf and a provider with storage-driver vfs, a
# build from open to commit and remove lands in vfs storage. The registry's
# shared provider has none. Real buildah, private storage. TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GObject, HeroVirt  # noqa: E402

from tap import Tap  # noqa: E402

t = Tap()


def main():
    if shutil.which("buildah") is None:
        t.skip_all("buildah is not installed")
    d = tempfile.mkdtemp(prefix="hv-py-vfs-")
    with open(os.path.join(d, "storage.conf"), "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    with open(os.path.join(d, "containers.conf"), "w") as f:
        f.write('[engine]\nruntime = "runc"\n')
    os.environ["CONTAINERS_STORAGE_CONF"] = os.path.join(d, "storage.conf")
    os.environ["CONTAINERS_CONF"] = os.path.join(d, "containers.conf")
    os.environ.pop("STORAGE_DRIVER", None)

    def buildah(*args):
        return subprocess.run(["buildah", *args], capture_output=True, text=True)

    try:
        registry = HeroVirt.Registry.get_default()
        shared = registry.get_provider(HeroVirt.ProviderKind.IMAGE, "buildah")
        t.ok(shared.props.storage_driver is None, "the shared provider has no storage driver")
        info = registry.lookup(HeroVirt.ProviderKind.IMAGE, "buildah")
        vfs = GObject.new(info.get_provider_type(), storage_driver="vfs")
        t.ok(vfs.props.storage_driver == "vfs", "a provider of one's own with vfs")
        ex = HeroVirt.LocalExecutor.new()
        b = HeroVirt.Builder(name="hv-vfs", base_image="scratch", provider=vfs)
        b.set_executor(ex).set_isolation("chroot")
        b.copy("/bin/busybox", "/bin/busybox")
        b.run_argv(["/bin/busybox", "true"])
        b.set_cmd(["/bin/busybox", "true"]).commit("localhost/hv-vfs/x:1")
        t.ok(os.path.isdir(os.path.join(d, "root", "vfs")), "vfs storage was used")
        vfs = buildah("--storage-driver", "vfs", "images", "-q", "localhost/hv-vfs/x:1")
        t.ok(vfs.returncode == 0 and vfs.stdout.strip() != "", "the image is in vfs storage")
        ovl = buildah("images", "-q", "localhost/hv-vfs/x:1")
        t.ok(ovl.returncode != 0 or ovl.stdout.strip() == "", "and not in overlay storage")
        b.remove()
        t.ok(buildah("--storage-driver", "vfs", "containers", "-q").stdout.strip() == "",
             "remove ran under vfs too")
    finally:
        buildah("--storage-driver", "vfs", "rm", "--all")
        buildah("--storage-driver", "vfs", "rmi", "--all", "--force")
        buildah("rmi", "--all", "--force")
        subprocess.run(["rm", "-rf", "--one-file-system", d])
    return t.done()


sys.exit(main())
