#!/usr/bin/env gjs
// Run a configured web container from GJS, asynchronously: busybox httpd
// with a published port, an environment variable, a memory limit and a
// health check; wait until healthy (the check runs on demand: no systemd
// needed), fetch the page from the host, print status, stats and the log,
// then stop and remove it. The I/O methods are promisified with
// Gio._promisify, so the main loop stays free.
//
// Everything lives in a private directory: container storage and a
// busybox image made from /bin/busybox (no internet needed). Set
// CONTAINER_HOST=unix://… to go through a podman service's REST API.
// Needs podman, runc, busybox-static; run as root.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
const {GLib, Gio, HeroVirt} = imports.gi;

Gio._promisify(HeroVirt.ContainerBuilder.prototype, 'build_async', 'build_finish');
for (const m of ['wait_healthy', 'inspect', 'stats', 'logs', 'stop', 'remove'])
    Gio._promisify(HeroVirt.Container.prototype, `${m}_async`, `${m}_finish`);
Gio._promisify(Gio.Subprocess.prototype, 'wait_check_async', 'wait_check_finish');

const IMAGE = 'localhost/example/busybox:latest';

function freePort() {
    const sock = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM, Gio.SocketProtocol.TCP);
    sock.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), true);
    const port = sock.get_local_address().get_port();
    sock.close();
    return port;
}

function httpGet(port) {
    try {
        const conn = new Gio.SocketClient().connect_to_host('127.0.0.1', port, null);
        conn.get_output_stream().write_all('GET / HTTP/1.0\r\n\r\n', null);
        const data = new Gio.DataInputStream({base_stream: conn.get_input_stream()});
        let text = '', line;
        while ((line = data.read_line_utf8(null)[0]) !== null)
            text += `${line}\n`;
        return text.split('\r\n\r\n').pop().trim();
    } catch (e) {
        return null;
    }
}

async function sh(argv, env) {
    const launcher = new Gio.SubprocessLauncher({flags: Gio.SubprocessFlags.STDOUT_SILENCE});
    for (const [k, v] of Object.entries(env))
        launcher.setenv(k, v, true);
    await launcher.spawnv(argv).wait_check_async(null);
}

async function main() {
    const dir = GLib.dir_make_tmp('hero-virt-gjs-XXXXXX');
    const env = {
        CONTAINERS_CONF: `${dir}/containers.conf`,
        CONTAINERS_STORAGE_CONF: `${dir}/storage.conf`,
    };
    GLib.file_set_contents(env.CONTAINERS_CONF,
        '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n' +
        '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n');
    GLib.file_set_contents(env.CONTAINERS_STORAGE_CONF,
        `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`);
    GLib.mkdir_with_parents(`${dir}/rootfs/bin`, 0o755);
    GLib.mkdir_with_parents(`${dir}/rootfs/www`, 0o755);
    GLib.file_set_contents(`${dir}/rootfs/www/index.html`, 'hello from GJS\n');
    await sh(['cp', '/bin/busybox', `${dir}/rootfs/bin/busybox`], {});
    await sh(['chroot', `${dir}/rootfs`, '/bin/busybox', '--install', '-s', '/bin'], {});
    await sh(['tar', '-C', `${dir}/rootfs`, '-cf', `${dir}/rootfs.tar`, '.'], {});
    await sh(['podman', 'import', '--change', 'ENTRYPOINT ["/bin/sh"]', '--', `${dir}/rootfs.tar`, IMAGE], env);

    const executor = HeroVirt.LocalExecutor.new();
    for (const [k, v] of Object.entries(env))
        executor.setenv(k, v);
    const port = freePort();
    const health = HeroVirt.HealthCheck.new('wget -q -O- http://127.0.0.1:8080/ || exit 1').set_retries(3);
    const builder = new HeroVirt.ContainerBuilder({name: 'example-gjs', image: IMAGE, executor})
        .add_port_full('127.0.0.1', port, 8080, 'tcp')
        .add_env('GREETING', 'hello')
        .set_memory_limit('64m')
        .set_health_check(health)
        .set_entrypoint(['/bin/httpd'])
        .set_command(['-f', '-v', '-p', '8080', '-h', '/www']);

    const web = await builder.build_async(null);
    await web.wait_healthy_async(30000, null);
    print(`page: ${httpGet(port)}`);
    const status = await web.inspect_async(null);
    print(`state ${status.state}, health ${status.health_status}`);
    const stats = await web.stats_async(null);
    print(`memory ${stats.memory_usage} of ${stats.memory_limit} bytes`);
    print(`log:\n${await web.logs_async(5, null, null)}`);
    await web.stop_async(1, null);
    await web.remove_async(false, null);
    print('stopped and removed');
    // containers/storage leaves its overlay directory bind-mounted on itself
    await sh(['umount', '--', `${dir}/root/overlay`], {}).catch(() => {});
    await sh(['rm', '-rf', '--one-file-system', '--', dir], {});
}

const loop = new GLib.MainLoop(null, false);
let failed = false;
main().catch(e => {
    logError(e);
    failed = true;
}).finally(() => loop.quit());
loop.run();
if (failed)
    imports.system.exit(1);
