#!/usr/bin/python3
# The buildah provider passes STORAGE_DRIVER from the executor's environment
# as `--storage-driver` on every call (buildah honours the variable on some
# subcommands only): with overlay in storage.conf and STORAGE_DRIVER=vfs on
# the executor, a build from open to commit and remove lands in vfs storage.
# Real buildah, private storage. On this host the variable alone also works
# for these calls, so this checks the result, not that the option is what
# made it (the variable failed for buildah nested in a pod,
# /work/shared/reference/pods-on-podman.md section 3). TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import HeroVirt  # noqa: E402

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

    def buildah(*args):
        return subprocess.run(["buildah", *args], capture_output=True, text=True)

    try:
        ex = HeroVirt.LocalExecutor.new()
        ex.setenv("STORAGE_DRIVER", "vfs")
        b = HeroVirt.Builder.new("hv-vfs", "scratch")
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
