#!/usr/bin/python3
# A third-party plugin built outside the tree, from an installed HeroVirt.
#
# `meson install --destdir` this build into a temporary root, build
# examples/sample-plugin/sparse-raw there with nothing but `pkg-config
# hero-virt-1`, put the plugin on HERO_VIRT_PLUGIN_PATH next to a broken
# .so, a plugin built for another ABI and a duplicate, and use it from
# Python and from the installed hero-virt, with the installed library and
# typelib only.
# SPDX-License-Identifier: LGPL-2.1-or-later
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

from tap import Tap  # noqa: E402

BUILD = os.environ["HERO_VIRT_BUILD_ROOT"]
SOURCE = os.environ["HERO_VIRT_SOURCE_ROOT"]

# The plugin descriptor says ABI 1000 more than the headers: the loader must
# refuse it before calling any of its code (register aborts if it is run).
WRONG_ABI_C = r"""
#include <stdlib.h>
#include <hero-virt.h>

static gboolean
wrong_abi_register (HeroVirtPlugin *plugin, GError **error)
{
  abort ();
}

G_MODULE_EXPORT const HeroVirtPluginDesc hero_virt_plugin_desc = {
  HERO_VIRT_PLUGIN_ABI_VERSION + 1000, "wrong-abi", "0.0.1",
  "A plugin built for another ABI", "LGPL-2.1-or-later", wrong_abi_register, { NULL, }
};
"""

# Runs in a child with the installed library only.
PYTHON_CHILD = r"""
import json, os, subprocess, sys
import gi
gi.require_version("HeroVirt", "1")
from gi.repository import GLib, HeroVirt

root, plugin_dir, dup_dir, disk_dir = sys.argv[1:5]
out = {}

registry = HeroVirt.Registry.get_default()

# The library and typelib really come from the destdir.
with open("/proc/self/maps") as maps:
    libs = {line.split()[-1] for line in maps if "libhero-virt-1.so" in line}
out["libs"] = sorted(libs)
out["typelib"] = gi.Repository.get_default().get_typelib_path("HeroVirt")
out["plugins"] = [{"name": p.get_name(), "path": p.get_path(), "version": p.get_version(),
                   "loaded": p.get_loaded(), "error": p.get_error(),
                   "kinds": list(p.get_provider_kinds() or [])}
                  for p in registry.get_plugins()]

path = os.path.join(disk_dir, "third-party.raw")
disk = HeroVirt.Disk.new_for_provider(path, "sparse-raw", None)
options = HeroVirt.DiskCreateOptions.new(64 << 20).set_format("raw")
disk.create_with_options(options, None)
info = disk.info(None)
out["info"] = {"format": info.get_format(), "virtual_size": info.get_virtual_size(),
               "snapshots": len(info.get_snapshots()), "json": json.loads(info.to_json(False))}
disk.resize(128 << 20, False, None)
out["resized"] = disk.info(None).get_virtual_size()
try:
    disk.snapshot_create("nope", None)
    out["snapshot_error"] = None
except GLib.Error as e:
    out["snapshot_error"] = [e.domain, e.code == HeroVirt.Error.NOT_SUPPORTED, e.message]
check = disk.check(None)
out["check_clean"] = check.get_clean()
print(json.dumps(out))
"""


class OutOfTree:
    def __init__(self, tmp):
        self.tmp = tmp
        self.root = os.path.join(tmp, "root")
        self.env = None
        self.pc_dir = None
        self.plugin_so = None

    def pkg_env(self):
        env = dict(os.environ)
        env["PKG_CONFIG_PATH"] = self.pc_dir
        env["PKG_CONFIG_SYSROOT_DIR"] = self.root
        # Nothing of the build tree may leak into the out-of-tree build.
        for var in ("HERO_VIRT_PLUGIN_PATH", "GI_TYPELIB_PATH", "LD_LIBRARY_PATH"):
            env.pop(var, None)
        return env

    def pkgconfig(self, *args):
        return subprocess.run(["pkg-config", *args, "hero-virt-1"], env=self.pkg_env(),
                              capture_output=True, text=True, check=True).stdout.strip()

    def install(self):
        subprocess.run(["meson", "install", "-C", BUILD, "--destdir", self.root,
                        "--no-rebuild", "--quiet"], check=True, capture_output=True)
        pcs = glob.glob(os.path.join(self.root, "**", "pkgconfig", "hero-virt-1.pc"), recursive=True)
        assert len(pcs) == 1, pcs
        self.pc_dir = os.path.dirname(pcs[0])
        self.libdir = os.path.dirname(self.pc_dir)
        for what in ("libhero-virt-1.so", "girepository-1.0/HeroVirt-1.typelib"):
            assert os.path.exists(os.path.join(self.libdir, what)), what
        self.link_system_dirs()

    def link_system_dirs(self):
        """PKG_CONFIG_SYSROOT_DIR prefixes every package's flags, GLib's too,
        so the destdir gets the system's headers and libraries the way a
        cross-compilation sysroot has them: as links beside our files."""
        def merge(system, ours):
            if not os.path.lexists(ours):
                # With a prefix outside /usr the destdir has no usr/ yet.
                os.makedirs(os.path.dirname(ours), exist_ok=True)
                os.symlink(system, ours)
            elif os.path.isdir(ours) and not os.path.islink(ours) and os.path.isdir(system):
                for entry in os.listdir(system):
                    merge(os.path.join(system, entry), os.path.join(ours, entry))

        for sub in ("usr/include", "usr/lib"):
            merge(os.path.join("/", sub), os.path.join(self.root, sub))

    def pkg_config_file(self):
        with open(os.path.join(self.pc_dir, "hero-virt-1.pc")) as f:
            pc = f.read()
        assert "plugindir=" in pc, pc
        plugindir = self.pkgconfig("--variable=plugindir")
        assert plugindir.startswith(self.root) and plugindir.endswith("/hero-virt-1/plugins"), plugindir
        assert os.path.isdir(plugindir), plugindir
        self.installed_plugindir = plugindir
        cflags = self.pkgconfig("--cflags")
        assert f"-I{self.root}" in cflags and "hero-virt-1" in cflags, cflags
        assert any(os.path.exists(os.path.join(flag[2:], "hero-virt.h"))
                   for flag in cflags.split() if flag.startswith("-I")), cflags

    def build_plugin(self):
        """Only the plugin's own folder, copied out, and pkg-config."""
        src = os.path.join(self.tmp, "src")
        shutil.copytree(os.path.join(SOURCE, "examples", "sample-plugin", "sparse-raw"), src)
        build = os.path.join(self.tmp, "build")
        env = self.pkg_env()
        subprocess.run(["meson", "setup", build, src], env=env, check=True, capture_output=True)
        p = subprocess.run(["ninja", "-C", build], env=env, capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        self.plugin_so = os.path.join(build, "libherovirt-sparse-raw.so")
        assert os.path.exists(self.plugin_so)
        # It was compiled against the installed headers, not the source tree's.
        with open(os.path.join(build, "compile_commands.json")) as f:
            commands = json.load(f)
        line = commands[0]["command"]
        assert f"-I{self.root}" in line and os.path.join(SOURCE, "core") not in line, line

    def plugin_dirs(self):
        self.plugins = os.path.join(self.tmp, "plugins")
        self.dups = os.path.join(self.tmp, "plugins-dup")
        os.mkdir(self.plugins)
        os.mkdir(self.dups)
        shutil.copy(self.plugin_so, self.plugins)
        # A second copy under another file name, later on the path: a duplicate.
        shutil.copy(self.plugin_so, os.path.join(self.dups, "libherovirt-sparse-raw-copy.so"))
        with open(os.path.join(self.plugins, "libherovirt-broken.so"), "wb") as f:
            f.write(os.urandom(4096))
        cc = shutil.which("cc") or shutil.which("gcc")
        assert cc, "no C compiler"
        wrong_c = os.path.join(self.tmp, "wrong-abi.c")
        with open(wrong_c, "w") as f:
            f.write(WRONG_ABI_C)
        cmd = [cc, "-shared", "-fPIC", "-o", os.path.join(self.plugins, "libherovirt-wrong-abi.so"),
               wrong_c, *self.pkgconfig("--cflags").split()]
        subprocess.run(cmd, check=True, env=self.pkg_env())

    def run_env(self):
        env = self.pkg_env()
        env["GI_TYPELIB_PATH"] = os.path.join(self.libdir, "girepository-1.0")
        env["LD_LIBRARY_PATH"] = self.libdir
        env["HERO_VIRT_PLUGIN_PATH"] = os.pathsep.join([self.plugins, self.dups])
        # The installed plugins of the destdir (qcow2), not the build's.
        env["HERO_VIRT_PLUGIN_SYSTEM_PATH"] = self.installed_plugindir
        return env

    def use_from_python(self):
        disks = os.path.join(self.tmp, "disks")
        os.mkdir(disks)
        p = subprocess.run(["/usr/bin/python3", "-c", PYTHON_CHILD, self.root, self.plugins,
                            self.dups, disks], env=self.run_env(), capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        out = json.loads(p.stdout)
        assert out["libs"] and all(lib.startswith(self.root) for lib in out["libs"]), out["libs"]
        assert out["typelib"].startswith(self.root), out["typelib"]

        by_path = {pl["path"]: pl for pl in out["plugins"]}
        sample = by_path[os.path.join(self.plugins, "libherovirt-sparse-raw.so")]
        assert sample["name"] == "sample" and sample["loaded"] and sample["error"] is None, sample
        assert sample["version"] == "1.0.0" and sample["kinds"] == ["disk"], sample
        broken = by_path[os.path.join(self.plugins, "libherovirt-broken.so")]
        assert not broken["loaded"] and broken["error"], broken
        wrong = by_path[os.path.join(self.plugins, "libherovirt-wrong-abi.so")]
        assert not wrong["loaded"] and "ABI" in wrong["error"].upper(), wrong
        dup = by_path[os.path.join(self.dups, "libherovirt-sparse-raw-copy.so")]
        assert not dup["loaded"] and dup["error"], dup
        qcow2 = [pl for pl in out["plugins"] if pl["name"] == "qcow2"]
        assert qcow2 and qcow2[0]["loaded"] and qcow2[0]["path"].startswith(self.root), qcow2

        info = out["info"]
        assert info["format"] == "raw" and info["virtual_size"] == 64 << 20, info
        assert info["snapshots"] == 0
        q = json.loads(subprocess.run(["qemu-img", "info", "--output=json", "--",
                                       os.path.join(disks, "third-party.raw")],
                                      capture_output=True, text=True, check=True).stdout)
        assert q["virtual-size"] == 128 << 20 == out["resized"], (q, out)
        for key in ("format", "dirty-flag"):
            assert info["json"][key] == q[key], (key, info["json"], q)
        domain, not_supported, message = out["snapshot_error"]
        assert domain == "hero-virt-error-quark" and not_supported, out["snapshot_error"]
        assert out["check_clean"] is True

    def installed_cli(self):
        # (No recursive glob from here on: the sysroot links to /usr.)
        cli = os.path.join(self.pkgconfig("--variable=prefix"), "bin", "hero-virt")
        assert os.path.exists(cli), f"hero-virt is not installed at {cli}"
        p = subprocess.run([cli, "plugins", "--json"], env=self.run_env(), capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        data = json.loads(p.stdout)
        names = {pl["name"] for pl in data["plugins"] if pl["loaded"]}
        assert {"sample", "qcow2"} <= names, names
        assert any(pl["error"] for pl in data["plugins"]), data
        text = subprocess.run([cli, "plugins"], env=self.run_env(), capture_output=True,
                              text=True, check=True).stdout
        assert "sparse-raw" in text and "FAILED TO LOAD" in text, text


def main():
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="hero-virt-oot-")
    try:
        t = OutOfTree(tmp)
        steps = [("meson install --destdir", t.install),
                 ("hero-virt-1.pc has plugindir, sysroot cflags", t.pkg_config_file),
                 ("sample plugin builds out of tree with pkg-config only", t.build_plugin),
                 ("plugin dir with broken, wrong-ABI and duplicate plugins", t.plugin_dirs),
                 ("python: list plugins, create/info/resize through sparse-raw", t.use_from_python),
                 ("installed hero-virt lists them", t.installed_cli)]
        for name, func in steps:
            before = tap.failed
            tap.run(name, func)
            if tap.failed != before:
                break   # later steps depend on this one
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
