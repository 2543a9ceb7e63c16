// gjs-test.js: disks and executors from GJS, sync and async (Gio._promisify)
//
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
const {GLib, Gio, HeroVirt} = imports.gi;

Gio._promisify(HeroVirt.Disk.prototype, 'create_async', 'create_finish');
Gio._promisify(HeroVirt.Disk.prototype, 'snapshot_create_async', 'snapshot_create_finish');
Gio._promisify(HeroVirt.Disk.prototype, 'info_async', 'info_finish');
Gio._promisify(HeroVirt.LocalExecutor.prototype, 'run_async', 'run_finish');

const tests = [];
function test(name, fn) {
    tests.push([name, fn]);
}

function assert(cond, what) {
    if (!cond)
        throw new Error(`assertion failed: ${what}`);
}

function expectError(code, fn) {
    try {
        fn();
    } catch (e) {
        assert(e instanceof GLib.Error, `${e} is a GLib.Error`);
        assert(e.matches(HeroVirt.error_quark(), code), `${e.message}: code ${e.code} == ${code}`);
        return e;
    }
    throw new Error(`no error, expected code ${code}`);
}

const tmp = GLib.dir_make_tmp('hv-gjs-XXXXXX');
const executor = HeroVirt.LocalExecutor.new();

function qemuImgInfo(path) {
    const cmd = HeroVirt.Command.new_argv(['qemu-img', 'info', '--output=json', path]);
    const result = executor.run(cmd, null);
    result.check();
    return JSON.parse(result.get_stdout_text());
}

// Deep equality of parsed JSON, whatever the order of object members.
function sameJson(a, b) {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
        return a === b;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(a[k], b[k]));
}

test('registry lists the qcow2 plugin', () => {
    const registry = HeroVirt.Registry.get_default();
    const qcow2 = registry.get_plugins().filter(p => p.get_name() === 'qcow2');
    assert(qcow2.length === 1, 'one qcow2 plugin');
    assert(qcow2[0].get_loaded() && qcow2[0].get_error() === null, 'loaded, no error');
    assert(qcow2[0].get_provider_kinds().join() === 'disk', 'provides disk');
    for (let i = 0; i < 2000; i++)
        registry.get_providers(HeroVirt.ProviderKind.DISK);
    assert(registry.get_providers(HeroVirt.ProviderKind.DISK)[0].get_name() === 'qcow2', 'still there');
    expectError(HeroVirt.Error.NOT_FOUND,
        () => registry.lookup(HeroVirt.ProviderKind.DISK, 'nosuch'));
});

test('disk create, snapshot, info (sync)', () => {
    const path = GLib.build_filenamev([tmp, 'sync.qcow2']);
    const disk = HeroVirt.Disk.new(path);
    disk.create_with_options(new HeroVirt.DiskCreateOptions({size: 128 * 1024 * 1024, cluster_size: 65536}), null);
    disk.snapshot_create('clean', null);
    const info = disk.info(null);
    assert(info.get_format() === 'qcow2', 'qcow2');
    assert(info.get_virtual_size() === 128 * 1024 * 1024, 'size');
    assert(info.get_snapshots().map(s => s.get_name()).join() === 'clean', 'snapshot listed');
    assert(sameJson(JSON.parse(info.to_json(false)), qemuImgInfo(path)), 'info equals qemu-img info');
    expectError(HeroVirt.Error.EXISTS, () => disk.create(1024 * 1024, null));
});

test('disk create, snapshot, info (async, promisified)', async () => {
    const path = GLib.build_filenamev([tmp, 'async.qcow2']);
    const disk = HeroVirt.Disk.new(path);
    assert(await disk.create_async(64 * 1024 * 1024, null), 'created');
    assert(await disk.snapshot_create_async('s1', null), 'snapshot');
    const info = await disk.info_async(null);
    assert(info.get_snapshots()[0].get_name() === 's1', 's1');
    assert(sameJson(JSON.parse(info.to_json(false)), qemuImgInfo(path)), 'info equals qemu-img info');
});

test('executor: stdin, env, cwd, status, stderr, secrets', () => {
    const cmd = HeroVirt.Command.new('sh')
        .add_arg('-c').add_arg('read l; echo "$l $GREETING $(pwd)"; echo oops >&2; exit 3')
        .set_stdin_text('hello').setenv('GREETING', 'world').set_cwd(tmp);
    const result = executor.run(cmd, null);
    assert(result.get_exit_status() === 3, 'exit status');
    assert(result.get_stdout_text() === `hello world ${tmp}\n`, result.get_stdout_text());
    assert(result.get_stderr_text() === 'oops\n', 'stderr');
    expectError(HeroVirt.Error.COMMAND_FAILED, () => result.check());

    const secret = HeroVirt.Command.new('tool').add_arg('--password').add_secret_arg('hunter2');
    assert(!secret.to_string().includes('hunter2') && secret.to_string().includes('***'), 'masked');

    const slow = HeroVirt.Command.new_argv(['sleep', '30']).set_timeout(200);
    expectError(HeroVirt.Error.TIMEOUT, () => executor.run(slow, null));
});

test('executor: async run and cancellation', async () => {
    const result = await executor.run_async(HeroVirt.Command.new_argv(['echo', 'async']), null);
    assert(result.get_stdout_text() === 'async\n', 'async output');

    const cancellable = new Gio.Cancellable();
    const cmd = HeroVirt.Command.new_argv(['sh', '-c', 'echo ready; sleep 30']);
    cmd.connect('output-line', () => cancellable.cancel());
    try {
        await executor.run_async(cmd, cancellable);
        throw new Error('not cancelled');
    } catch (e) {
        assert(e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), `cancelled: ${e}`);
    }
});

const loop = new GLib.MainLoop(null, false);
let failed = 0;
(async () => {
    print('TAP version 13');
    print(`1..${tests.length}`);
    for (const [i, [name, fn]] of tests.entries()) {
        try {
            await fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack}`.split('\n'))
                print(`# ${line}`);
        }
    }
    executor.remove_path(tmp, null);
    loop.quit();
})();
loop.run();
imports.system.exit(failed ? 1 : 0);
