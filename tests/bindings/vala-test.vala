/* vala-test.vala: disks and executors from Vala, through the generated vapi
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

string tmp_dir;

string run_qemu_img_info (string path) throws Error {
    var cmd = new HeroVirt.Command ("qemu-img");
    cmd.add_arg ("info").add_arg ("--output=json").add_arg (path);
    var result = HeroVirt.Executor.get_default ().run (cmd);
    result.check ();
    return result.get_stdout_text ();
}

/* JSON equality through json-glib (member order does not matter). */
bool same_json (string a, string b) throws Error {
    return Json.from_string (a).equal (Json.from_string (b));
}

void test_registry () {
    var registry = HeroVirt.Registry.get_default ();
    HeroVirt.PluginInfo? qcow2 = null;
    foreach (var plugin in registry.get_plugins ())
        if (plugin.get_name () == "qcow2")
            qcow2 = plugin;
    assert_nonnull (qcow2);
    assert_true (qcow2.get_loaded ());
    assert_null (qcow2.get_error ());
    assert_true (string.joinv (",", qcow2.get_provider_kinds ()) == "disk");
    try {
        registry.lookup (HeroVirt.ProviderKind.DISK, "nosuch");
        assert_not_reached ();
    } catch (HeroVirt.Error.NOT_FOUND e) {
        assert_true ("nosuch" in e.message);
    } catch (Error e) {
        assert_not_reached ();
    }
}

void test_disk_sync () {
    var path = Path.build_filename (tmp_dir, "sync.qcow2");
    try {
        var disk = new HeroVirt.Disk (path);
        var options = (HeroVirt.DiskCreateOptions) Object.new (typeof (HeroVirt.DiskCreateOptions),
                                                               "size", (uint64) 128 << 20,
                                                               "cluster-size", 65536);
        disk.create_with_options (options);
        disk.snapshot_create ("clean");
        var info = disk.info ();
        assert_true (info.get_format () == "qcow2");
        assert_true (info.get_virtual_size () == 128 << 20);
        assert_true (info.get_cluster_size () == 65536);
        assert_true (info.get_snapshots ().length == 1);
        assert_true (info.get_snapshots ()[0].get_name () == "clean");
        assert_true (same_json (info.to_json (false), run_qemu_img_info (path)));
    } catch (Error e) {
        error ("%s", e.message);
    }
    try {
        new HeroVirt.Disk (path).create (1 << 20);
        assert_not_reached ();
    } catch (HeroVirt.Error.EXISTS e) {
    } catch (Error e) {
        error ("%s", e.message);
    }
}

async void disk_async (string path, MainLoop loop) {
    try {
        var disk = new HeroVirt.Disk (path);
        yield disk.create_async (64 << 20, null);
        yield disk.snapshot_create_async ("s1", null);
        var info = yield disk.info_async (null);
        assert_true (info.get_snapshots ()[0].get_name () == "s1");
        assert_true (same_json (info.to_json (false), run_qemu_img_info (path)));
    } catch (Error e) {
        error ("%s", e.message);
    }
    loop.quit ();
}

void test_disk_async () {
    var loop = new MainLoop ();
    disk_async.begin (Path.build_filename (tmp_dir, "async.qcow2"), loop);
    loop.run ();
}

void test_executor () {
    var executor = new HeroVirt.LocalExecutor ();
    try {
        var cmd = new HeroVirt.Command ("sh");
        cmd.add_arg ("-c").add_arg ("read l; echo \"$l $GREETING\"; echo oops >&2; exit 3")
           .set_stdin_text ("hello").setenv ("GREETING", "world").set_cwd (tmp_dir);
        var result = executor.run (cmd);
        assert_true (result.get_exit_status () == 3);
        assert_true (result.get_stdout_text () == "hello world\n");
        assert_true (result.get_stderr_text () == "oops\n");

        var secret = new HeroVirt.Command ("tool");
        secret.add_arg ("--password").add_secret_arg ("hunter2");
        assert_false ("hunter2" in secret.to_string ());
        assert_true ("***" in secret.to_string ());
    } catch (Error e) {
        error ("%s", e.message);
    }
    try {
        var slow = new HeroVirt.Command ("sleep");
        slow.add_arg ("30").set_timeout (200);
        executor.run (slow);
        assert_not_reached ();
    } catch (HeroVirt.Error.TIMEOUT e) {
    } catch (Error e) {
        error ("%s", e.message);
    }
}

int main (string[] args) {
    Test.init (ref args);
    try {
        tmp_dir = DirUtils.make_tmp ("hv-vala-XXXXXX");
    } catch (FileError e) {
        error ("%s", e.message);
    }
    Test.add_func ("/vala/registry", test_registry);
    Test.add_func ("/vala/disk/sync", test_disk_sync);
    Test.add_func ("/vala/disk/async", test_disk_async);
    Test.add_func ("/vala/executor", test_executor);
    var status = Test.run ();
    try {
        HeroVirt.Executor.get_default ().remove_path (tmp_dir);
    } catch (Error e) {
        warning ("%s", e.message);
    }
    return status;
}
