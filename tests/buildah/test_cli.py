#!/usr/bin/python3
# `hero-virt image` from the command line, with real buildah: build with a
# progress display, list, tag, inspect, rm, and bad input refused.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile

from tap import Tap  # noqa: E402

t = Tap()
tap = t.ok


def main():
    cli = os.path.join(os.environ.get("HERO_VIRT_BUILD_ROOT", "build"), "tools", "hero-virt")
    if shutil.which("buildah") is None or not os.path.exists(cli):
        t.skip_all("buildah or the hero-virt tool is missing")
    d = tempfile.mkdtemp(prefix="hv-cli-image-")
    with open(d + "/containers.conf", "w") as f:
        f.write('[engine]\nruntime = "runc"\n')
    with open(d + "/storage.conf", "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    env = dict(os.environ, CONTAINERS_CONF=d + "/containers.conf", CONTAINERS_STORAGE_CONF=d + "/storage.conf")

    def hv(*args):
        return subprocess.run([cli, "image"] + list(args), env=env, capture_output=True, text=True)

    try:
        ctx = os.path.join(d, "ctx")
        os.makedirs(ctx)
        shutil.copy("/bin/busybox", ctx + "/busybox")
        with open(ctx + "/Containerfile", "w") as f:
            f.write("FROM scratch\nCOPY busybox /bin/busybox\nLABEL made-by=cli\n")
        r = hv("build", "-t", "localhost/hv-cli/app:1", ctx)
        tap(r.returncode == 0 and len(r.stdout.strip().splitlines()[-1]) == 64, "build prints the image ID")
        tap("STEP 3/3" in r.stdout and "build" in r.stdout, "build shows progress")

        r = hv("tag", "localhost/hv-cli/app:1", "localhost/hv-cli/app:2")
        tap(r.returncode == 0, "tag")
        r = hv("list", "--json")
        names = [n for i in json.loads(r.stdout) for n in (i.get("names") or [])]
        tap("localhost/hv-cli/app:1" in names and "localhost/hv-cli/app:2" in names, "list --json")
        r = hv("inspect", "localhost/hv-cli/app:1")
        tap(r.returncode == 0 and "made-by" in r.stdout, "inspect")
        r = hv("rm", "localhost/hv-cli/app:2")
        tap(r.returncode == 0 and "localhost/hv-cli/app:2" not in hv("list").stdout, "rm")

        r = hv("pull", "--", "--privileged")
        tap(r.returncode == 2 and "invalid-argument" in r.stderr, "a reference starting with - is refused")
        r = hv("push", "localhost/hv-cli/app:1", "Not/A Reference")
        tap(r.returncode == 2 and "invalid-argument" in r.stderr, "an invalid destination is refused")
    finally:
        subprocess.run(["buildah", "rm", "--all"], env=env, capture_output=True)
        subprocess.run(["buildah", "rmi", "--all", "--force"], env=env, capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
    sys.exit(t.done())


if __name__ == "__main__":
    main()
