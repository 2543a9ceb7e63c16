#!/usr/bin/python3
# The Builder from Python through GObject Introspection, with real buildah:
# the chain verbatim, errors as GLib.Error, progress, async.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import subprocess
import sys
import tempfile

import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt  # noqa: E402

from tap import Tap  # noqa: E402

t = Tap()
tap = t.ok


def setup():
    """Private storage for buildah, as tests/lib's ht_containers_env_new."""
    d = tempfile.mkdtemp(prefix="hv-py-buildah-")
    with open(os.path.join(d, "containers.conf"), "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\n')
    with open(os.path.join(d, "storage.conf"), "w") as f:
        f.write('[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (d, d))
    open(os.path.join(d, "registries.conf"), "w").close()
    os.environ["CONTAINERS_CONF"] = os.path.join(d, "containers.conf")
    os.environ["CONTAINERS_STORAGE_CONF"] = os.path.join(d, "storage.conf")
    os.environ["CONTAINERS_REGISTRIES_CONF"] = os.path.join(d, "registries.conf")
    return d


def build_base():
    b = HeroVirt.Builder.new("hv-py-base", "scratch")
    b.set_isolation("chroot")
    b.copy("/bin/busybox", "/bin/busybox")
    b.run_argv(["/bin/busybox", "mkdir", "-p", "/tmp", "/www"])
    b.run_argv(["/bin/busybox", "--install", "-s", "/bin"])
    b.set_env("PATH", "/bin").commit("localhost/hv-py/busybox:latest").remove()
    return "localhost/hv-py/busybox:latest"


def main():
    if shutil.which("buildah") is None:
        t.skip_all("buildah is not installed")
    d = setup()
    try:
        base = build_base()

        # The chain from the issue, verbatim.
        HeroVirt.Builder.new("web", base).run("mkdir -p /www").write("<h1>hi</h1>", "/www/index.html").set_entrypoint(["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]).commit("localhost/web:1")
        info = HeroVirt.image_inspect("localhost/web:1")
        tap(info.get_entrypoint() == ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"], "issue chain commits with the entrypoint")

        b = HeroVirt.Builder.new("web", base)
        tap(b.read("/www/index.html").get_data() == b"<h1>hi</h1>", "same name reuses the working container")

        try:
            b.run("echo nope >&2; exit 4")
            tap(False, "failing run raises")
        except GLib.Error as e:
            tap(e.matches(HeroVirt.error_quark(), HeroVirt.Error.COMMAND_FAILED)
                and "step run" in e.message and "nope" in e.message, "failing step raises GLib.Error naming it")

        try:
            HeroVirt.Builder.new("--privileged", base).run("true")
            tap(False, "bad name raises")
        except GLib.Error as e:
            tap(e.matches(HeroVirt.error_quark(), HeroVirt.Error.INVALID_ARGUMENT), "name starting with - is refused")

        try:
            HeroVirt.image_pull("Not A Reference")
            tap(False, "bad reference raises")
        except GLib.Error as e:
            tap(e.matches(HeroVirt.error_quark(), HeroVirt.Error.INVALID_ARGUMENT), "invalid reference is refused")

        stages = []
        progress = HeroVirt.Progress.new()
        progress.connect("changed", lambda p: stages.append((p.props.stage, p.props.message)))
        b.set_progress(progress).set_label("tier", "py").set_format("docker").commit("localhost/web:2")
        tap(("commit", "done") in stages and any(m.startswith("Copying") for s, m in stages), "commit progress reaches Python")
        tap(HeroVirt.image_inspect("localhost/web:2").get_label("tier") == "py", "label set from Python")

        loop = GLib.MainLoop()
        out = {}

        def done(builder, res):
            out["bytes"] = builder.read_finish(res)
            loop.quit()
        b.read_async("/www/index.html", None, done)
        loop.run()
        tap(out["bytes"].get_data() == b"<h1>hi</h1>", "read_async")

        names = [c.props.name for c in HeroVirt.image_list_containers()]
        b.remove()
        tap("web" in names and "web" not in [c.props.name for c in HeroVirt.image_list_containers()], "remove")
        ids = [i.props.id for i in HeroVirt.image_list()]
        tap(len(ids) >= 3 and all(len(i) == 64 for i in ids), "image_list")
    finally:
        subprocess.run(["buildah", "rm", "--all"], capture_output=True)
        subprocess.run(["buildah", "rmi", "--all", "--force"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
    sys.exit(t.done())


if __name__ == "__main__":
    main()
