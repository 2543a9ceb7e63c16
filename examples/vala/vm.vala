/* vm.vala: boot a guest from a qcow2 overlay disk, wait for its console,
 * stop it and delete it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   valac --pkg hero-virt-1 vm.vala && ./vm KERNEL INITRD
 *
 * Without arguments it takes $HERO_VIRT_GUEST_KERNEL and
 * $HERO_VIRT_GUEST_INITRD, or builds the test guest with
 * tests/vm/guest/build-guest.sh (from $HERO_VIRT_SOURCE_ROOT), whose
 * console says HEROVIRT-GUEST-READY when it is up.
 */
bool find_guest (string[] args, string tmp, out string kernel, out string initrd) throws Error {
    kernel = null;
    initrd = null;
    if (args.length == 3) {
        kernel = args[1];
        initrd = args[2];
        return true;
    }
    kernel = Environment.get_variable ("HERO_VIRT_GUEST_KERNEL");
    initrd = Environment.get_variable ("HERO_VIRT_GUEST_INITRD");
    if (kernel != null && initrd != null)
        return true;
    var root = Environment.get_variable ("HERO_VIRT_SOURCE_ROOT");
    if (root == null)
        return false;
    string output;
    int status;
    Process.spawn_sync (null,
                        { "bash", Path.build_filename (root, "tests", "vm", "guest", "build-guest.sh"),
                          Path.build_filename (tmp, "guest") },
                        null, SpawnFlags.SEARCH_PATH, null, out output, null, out status);
    Process.check_wait_status (status);
    foreach (var line in output.split ("\n")) {
        if (line.has_prefix ("KERNEL="))
            kernel = line.substring (7);
        else if (line.has_prefix ("INITRD="))
            initrd = line.substring (7);
    }
    return kernel != null && initrd != null;
}

int main (string[] args) {
    string tmp;
    try {
        tmp = DirUtils.make_tmp ("hero-virt-example-vm-XXXXXX");
    } catch (FileError e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    // This example's VM records go in its temporary directory.
    Environment.set_variable ("HERO_VIRT_VM_DIR", Path.build_filename (tmp, "vms"), true);
    var base_path = Path.build_filename (tmp, "base.qcow2");
    var overlay = Path.build_filename (tmp, "example.qcow2");
    int status = 0;
    HeroVirt.Vm? vm = null;
    try {
        string kernel, initrd;
        if (!find_guest (args, tmp, out kernel, out initrd))
            throw new IOError.NOT_FOUND ("give KERNEL INITRD");

        // A base image and a copy-on-write overlay on it for this VM.
        new HeroVirt.Disk (base_path).create (64 << 20, null);
        var options = new HeroVirt.DiskCreateOptions (64 << 20);
        options.set_backing_file (base_path, "qcow2");
        new HeroVirt.Disk (overlay).create_with_options (options, null);

        var disk = new HeroVirt.VmDisk (overlay);
        disk.set_format ("qcow2");
        var builder = new HeroVirt.VmBuilder ("example-vala");
        builder.set_kernel (kernel).set_initramfs (initrd)
               .set_cmdline ("console=ttyS0 quiet panic=-1").set_memory_mb (256)
               .add_disk_device (disk);
        var created = new HeroVirt.Vm (builder.build ());
        created.create (null);
        vm = created;
        vm.start (null);
        print ("console: %s\n", vm.wait_for_console ("HEROVIRT-GUEST-READY", 120, null));
        print ("state:   pid %" + int64.FORMAT + "\n", vm.get_info (null).get_pid ());
        vm.stop (true, 60, null);   // the power button, then a kill after 60 s
        print ("stopped\n");
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        status = 1;
    }
    if (vm != null) {
        try {
            vm.@delete (true, null);   // the record and the overlay; the base stays
            print ("deleted\n");
        } catch (Error e) {
            printerr ("delete: %s\n", e.message);
            status = 1;
        }
    }
    FileUtils.unlink (base_path);
    FileUtils.unlink (Path.build_filename (tmp, "guest", "initrd.cpio.gz"));
    DirUtils.remove (Path.build_filename (tmp, "guest"));
    DirUtils.remove (Path.build_filename (tmp, "vms"));
    DirUtils.remove (tmp);
    return status;
}
