#!/usr/bin/env gjs
// Boot a guest from a qcow2 overlay disk, wait for its console, stop it and
// delete it. The guest: $HERO_VIRT_GUEST_KERNEL and $HERO_VIRT_GUEST_INITRD,
// or the test guest built by tests/vm/guest/build-guest.sh (from
// $HERO_VIRT_SOURCE_ROOT), whose console says HEROVIRT-GUEST-READY.
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
const {GLib, HeroVirt} = imports.gi;

const tmp = GLib.dir_make_tmp('hero-virt-example-vm-XXXXXX');
// This example's VM records go in its temporary directory.
GLib.setenv('HERO_VIRT_VM_DIR', GLib.build_filenamev([tmp, 'vms']), true);

function guest() {
    let kernel = GLib.getenv('HERO_VIRT_GUEST_KERNEL');
    let initrd = GLib.getenv('HERO_VIRT_GUEST_INITRD');
    if (kernel && initrd)
        return [kernel, initrd];
    const script = GLib.build_filenamev([GLib.getenv('HERO_VIRT_SOURCE_ROOT'), 'tests', 'vm',
        'guest', 'build-guest.sh']);
    const [, out, , status] = GLib.spawn_sync(null,
        ['bash', script, GLib.build_filenamev([tmp, 'guest'])], null,
        GLib.SpawnFlags.SEARCH_PATH, null);
    GLib.spawn_check_wait_status(status);
    for (const line of new TextDecoder().decode(out).split('\n')) {
        if (line.startsWith('KERNEL='))
            kernel = line.slice(7);
        else if (line.startsWith('INITRD='))
            initrd = line.slice(7);
    }
    return [kernel, initrd];
}

function rmTree(path) {
    GLib.spawn_sync(null, ['rm', '-rf', '--', path], null, GLib.SpawnFlags.SEARCH_PATH, null);
}

let vm = null;
try {
    const [kernel, initrd] = guest();
    // A base image and a copy-on-write overlay on it for this VM.
    const base = GLib.build_filenamev([tmp, 'base.qcow2']);
    const overlay = GLib.build_filenamev([tmp, 'example.qcow2']);
    HeroVirt.Disk.new(base).create(64 * 1024 * 1024, null);
    const options = HeroVirt.DiskCreateOptions.new(64 * 1024 * 1024);
    options.set_backing_file(base, 'qcow2');
    HeroVirt.Disk.new(overlay).create_with_options(options, null);

    const spec = HeroVirt.VmBuilder.new('example-gjs')
        .set_kernel(kernel).set_initramfs(initrd)
        .set_cmdline('console=ttyS0 quiet panic=-1')
        .set_memory_mb(256)
        .add_disk_device(HeroVirt.VmDisk.new(overlay).set_format('qcow2'))
        .build();
    const created = HeroVirt.Vm.new(spec);
    created.create(null);
    vm = created;
    vm.start(null);
    print(`console: ${vm.wait_for_console('HEROVIRT-GUEST-READY', 120, null)}`);
    print(`state:   pid ${vm.get_info(null).get_pid()}`);
    vm.stop(true, 60, null);   // the power button, then a kill after 60 s
    print('stopped');
} finally {
    if (vm !== null) {
        vm.delete(true, null);  // the record and the overlay; the base stays
        print('deleted');
    }
    rmTree(tmp);
}
