#!/usr/bin/env gjs
// The nginx-style example with busybox httpd, from GJS: build an image that
// serves a page, push it to a local registry, pull it back, run it with
// podman and fetch the page over HTTP from the host. The builder's steps
// run asynchronously (Gio._promisify), so the main loop stays free.
//
// It starts and stops everything itself in a private directory and makes
// its busybox base image from /bin/busybox. Needs buildah, runc, podman,
// docker-registry, busybox-static; run as root.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
const {GLib, Gio, HeroVirt} = imports.gi;

for (const m of ['run', 'run_argv', 'copy', 'write', 'commit', 'remove'])
    Gio._promisify(HeroVirt.Builder.prototype, `${m}_async`, `${m}_finish`);
Gio._promisify(Gio.Subprocess.prototype, 'wait_async', 'wait_finish');

function freePort() {
    const sock = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM, Gio.SocketProtocol.TCP);
    sock.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), true);
    const port = sock.get_local_address().get_port();
    sock.close();
    return port;
}

function httpGet(port, path) {
    try {
        const conn = new Gio.SocketClient().connect_to_host('127.0.0.1', port, null);
        conn.get_output_stream().write_all(`GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n`, null);
        const data = new Gio.DataInputStream({base_stream: conn.get_input_stream()});
        let text = '', line;
        while ((line = data.read_line_utf8(null)[0]) !== null)
            text += `${line}\n`;
        return text;
    } catch (e) {
        return null;
    }
}

function waitFor(port, path, expect) {
    for (let i = 0; i < 300; i++) {
        const reply = httpGet(port, path);
        if (reply && reply.includes(expect))
            return reply;
        GLib.usleep(100000);
    }
    throw new Error(`no answer on port ${port}`);
}

function sh(argv) {
    const proc = Gio.Subprocess.new(argv, Gio.SubprocessFlags.STDOUT_SILENCE | Gio.SubprocessFlags.STDERR_SILENCE);
    proc.wait(null);
    return proc.get_successful();
}

async function main(dir) {
    const write = (name, text) => GLib.file_set_contents(`${dir}/${name}`, text);
    write('containers.conf', '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n' +
          '[engine]\nruntime = "runc"\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n');
    write('storage.conf', `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`);
    GLib.setenv('CONTAINERS_CONF', `${dir}/containers.conf`, true);
    GLib.setenv('CONTAINERS_STORAGE_CONF', `${dir}/storage.conf`, true);

    const base = HeroVirt.Builder.new('example-base', 'scratch');
    base.set_isolation('chroot');
    await base.copy_async('/bin/busybox', '/bin/busybox', null);
    await base.run_argv_async(['/bin/busybox', 'mkdir', '-p', '/tmp', '/www'], null);
    await base.run_argv_async(['/bin/busybox', '--install', '-s', '/bin'], null);
    base.set_env('PATH', '/bin');
    await base.commit_async('localhost/example/busybox:latest', null);
    await base.remove_async(null);

    const web = HeroVirt.Builder.new('example-web', 'localhost/example/busybox:latest');
    await web.run_async('mkdir -p /www', null);
    await web.write_async('<h1>Hello from HeroVirt (GJS)</h1>\n', '/www/index.html', null);
    web.set_entrypoint(['/bin/httpd', '-f', '-v', '-p', '8080', '-h', '/www']).add_port('8080/tcp');
    await web.commit_async('localhost/example/web:1', null);
    await web.remove_async(null);
    print('built localhost/example/web:1');

    const regPort = freePort();
    write('registry.yml', `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/registry\n` +
          `http:\n  addr: 127.0.0.1:${regPort}\n`);
    const registry = Gio.Subprocess.new(['docker-registry', 'serve', `${dir}/registry.yml`],
        Gio.SubprocessFlags.STDOUT_SILENCE | Gio.SubprocessFlags.STDERR_SILENCE);
    try {
        waitFor(regPort, '/v2/', '{}');
        const remote = `127.0.0.1:${regPort}/example/web:1`;
        const opts = HeroVirt.ImageRegistryOptions.new().set_tls_verify(false);  // plain HTTP, explicitly
        HeroVirt.image_push('localhost/example/web:1', remote, opts, null, null, null);
        HeroVirt.image_remove('localhost/example/web:1', true, null, null);
        const id = HeroVirt.image_pull(remote, opts, null, null, null);
        print(`pushed and pulled back ${id.slice(0, 12)}`);

        const webPort = freePort();
        if (!sh(['podman', 'run', '-d', '--name', 'hero-virt-example-web-gjs', '-p', `127.0.0.1:${webPort}:8080`, '--', remote]))
            throw new Error('podman run failed');
        print(waitFor(webPort, '/index.html', 'Hello from HeroVirt'));
    } finally {
        sh(['podman', 'rm', '-f', '-t', '0', 'hero-virt-example-web-gjs']);
        registry.send_signal(15);
        await registry.wait_async(null);
    }
}

const dir = GLib.dir_make_tmp('hero-virt-web-XXXXXX');
const loop = new GLib.MainLoop(null, false);
let status = 0;
main(dir).catch(e => {
    printerr(`error: ${e.message}`);
    status = 1;
}).finally(() => {
    sh(['buildah', 'rm', '--all']);
    sh(['podman', 'rmi', '--all', '--force']);
    sh(['rm', '-rf', '--', dir]);
    loop.quit();
});
loop.run();
imports.system.exit(status);
