#!/usr/bin/env gjs
// Create a disk image, snapshot it and print what it is.
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
const {GLib, HeroVirt} = imports.gi;

const dir = GLib.dir_make_tmp('hero-virt-example-XXXXXX');
const path = GLib.build_filenamev([dir, 'example.qcow2']);
try {
    const disk = HeroVirt.Disk.new(path);
    disk.create(1024 * 1024 * 1024, null);   // 1 GiB, the default provider (qcow2)
    disk.snapshot_create('clean', null);
    const info = disk.info(null);
    print(`format:       ${info.get_format()}`);
    print(`virtual size: ${info.get_virtual_size()} bytes`);
    print(`snapshots:    ${info.get_snapshots().map(s => s.get_name()).join(' ')}`);
} finally {
    GLib.unlink(path);
    GLib.rmdir(dir);
}
