/* disk.vala: create a disk image, snapshot it and print what it is
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   valac --pkg hero-virt-1 disk.vala && ./disk
 */
int main () {
    string dir;
    try {
        dir = DirUtils.make_tmp ("hero-virt-example-XXXXXX");
    } catch (FileError e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    var path = Path.build_filename (dir, "example.qcow2");
    int status = 0;
    try {
        var disk = new HeroVirt.Disk (path);
        disk.create (1 << 30, null);            // 1 GiB, the default provider (qcow2)
        disk.snapshot_create ("clean", null);
        var info = disk.info (null);
        print ("format:       %s\n", info.get_format ());
        print ("virtual size: %" + uint64.FORMAT + " bytes\n", info.get_virtual_size ());
        print ("snapshots:   ");
        foreach (var snapshot in info.get_snapshots ())
            print (" %s", snapshot.get_name ());
        print ("\n");
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        status = 1;
    }
    FileUtils.remove (path);
    DirUtils.remove (dir);
    return status;
}
