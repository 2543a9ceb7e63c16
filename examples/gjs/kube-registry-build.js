#!/usr/bin/env gjs
// Build an image inside the cluster and push it to a registry there, after
// the original's 03_registry_build_and_push, in 8 checks:
// HeroVirt.RegistryDeployer deploys a registry, a HeroVirt.BuildMachine (a
// privileged buildah pod) builds a small image from a base image and pushes
// it to the registry's in-cluster address, and podman here pulls it back
// through the node port and runs it. It makes its own namespace and removes
// it at the end, whatever happens.
//
//   KUBECONFIG=~/.kube/config gjs kube-registry-build.js
//
// Settings from the environment:
//   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
//   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
//   HERO_VIRT_EXAMPLE_BUILDAH_IMAGE   an image with buildah (quay.io/buildah/stable:latest)
//   HERO_VIRT_EXAMPLE_BASE_IMAGE      what the build starts from, as the build pod pulls it
//                                     (docker.io/library/alpine:latest); plain HTTP is allowed
//   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node port is reached on (default: the
//                                     address of the node the registry runs on)
//   HERO_VIRT_EXAMPLE_PODMAN          the podman to pull and run with (podman)
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
imports.gi.versions.Soup = '3.0';
const {GLib, HeroVirt, Soup} = imports.gi;

const N_CHECKS = 8;
const GREETING = 'hello from a HeroVirt build machine';
let passed = 0, step = 0;

class Failed extends Error {}

// Prints the check; a failed one ends the run (Failed).
function check(description, ok, detail) {
    step++;
    if (ok)
        passed++;
    print(`${ok ? '✓' : '✗'} check ${step}: ${description}${detail ? ` (${detail})` : ''}`);
    if (!ok)
        throw new Failed(description);
}

const env = (name, fallback) => GLib.getenv(name) || fallback;

// Runs podman here with HeroVirt's local executor: its standard output.
function podman(...args) {
    const local = HeroVirt.LocalExecutor.new();
    const result = local.run_argv([env('HERO_VIRT_EXAMPLE_PODMAN', 'podman'), ...args], null);
    if (result.get_exit_status() !== 0)
        throw new Error(`${result.get_command_line()}: ${result.get_stderr_text().trim()}`);
    return result.get_stdout_text();
}

const registryImage = env('HERO_VIRT_EXAMPLE_REGISTRY_IMAGE', 'docker.io/library/registry:2');
const buildahImage = env('HERO_VIRT_EXAMPLE_BUILDAH_IMAGE', 'quay.io/buildah/stable:latest');
const baseImage = env('HERO_VIRT_EXAMPLE_BASE_IMAGE', 'docker.io/library/alpine:latest');
const nodeHost = env('HERO_VIRT_EXAMPLE_NODE_HOST', null);

const namespace = `hv-build-${GLib.random_int_range(0, 0xffffff).toString(16).padStart(6, '0')}`;
const km = HeroVirt.KubernetesManager.new(namespace);
km.namespace_create(namespace, null);
print(`Working in namespace ${namespace}`);
const registry = HeroVirt.RegistryDeployer.new(km, 'registry').image(registryImage).endpoint_host(nodeHost);
const inside = `registry.${namespace}.svc:5000`; // the registry as the pods reach it
const bm = HeroVirt.BuildMachine.new(km, 'builder').image(buildahImage).registry(inside).tls_verify(false);
let builder = null, outside = null, pulled = false;
try {
    // 1: the registry, reached from here on its node port
    registry.deploy(180000, null);
    check('registry deployed and answering /v2/', true, registry.get_endpoint());
    outside = `${registry.get_endpoint()}/hero-virt-example/hello:1`;

    // 2: the build machine: a privileged buildah pod
    bm.start(300000, null);
    const version = bm.get_executor().run_argv(['buildah', '--version'], null);
    check('build machine running (buildah in the pod)', version.get_exit_status() === 0,
        version.get_stdout_text().trim());

    // 3-4: a working container from the base image, one step, committed
    builder = bm.new_builder('hello', baseImage);
    builder.open(null);
    check('working container from the base image', true, baseImage);
    builder.set_cmd(['cat', '/hello.txt']);
    builder.set_label('org.hero-virt.example', 'kube-registry-build');
    builder.run(`echo '${GREETING}' > /hello.txt`, null);
    builder.commit('localhost/hero-virt-example/hello:1', null);
    check('image built and committed in the pod', !!builder.dup_image_id(), builder.dup_image_id());

    // 5: pushed from the pod to the registry's in-cluster address
    const pushed = bm.push('localhost/hero-virt-example/hello:1', 'hero-virt-example/hello:1', null);
    check('pushed to the registry from inside the cluster', !!pushed, pushed);

    // 6: the registry has it, seen from here
    const session = new Soup.Session({timeout: 30});
    const msg = Soup.Message.new('GET', `http://${registry.get_endpoint()}/v2/hero-virt-example/hello/tags/list`);
    const body = new TextDecoder().decode(session.send_and_read(msg, null).get_data());
    const tags = msg.get_status() === 200 ? JSON.parse(body).tags : null;
    check('the registry lists hero-virt-example/hello:1', tags && tags.includes('1'), JSON.stringify(tags));

    // 7-8: pulled back here through the node port and run with podman
    podman('pull', '-q', '--tls-verify=false', outside);
    pulled = true;
    check('pulled back on this host with podman', true, outside);
    const out = podman('run', '--rm', outside).trim();
    check('podman runs it: it prints what the build wrote', out === GREETING, out);
} catch (e) {
    if (!(e instanceof Failed))
        print(`✗ error: ${e.message}`);
} finally {
    print('Cleaning up');
    const steps = [
        ['image', () => pulled && podman('rmi', outside)],
        ['working container', () => builder && builder.remove(null)],
        ['build machine', () => bm.stop(null)],
        ['registry', () => registry.remove(null)],
    ];
    for (const [what, func] of steps) {
        try {
            func();
        } catch (e) {
            printerr(`warning: ${what}: ${e.message}`);
        }
    }
    try {
        km.namespace_delete(namespace, null);
        km.wait_for(HeroVirt.ClusterKind.lookup('v1', 'Namespace'), namespace, 'deleted', 180000, null);
    } catch (e) {
        printerr(`warning: namespace ${namespace}: ${e.message}`);
    }
}

print(`${passed}/${N_CHECKS} checks passed`);
imports.system.exit(passed === N_CHECKS && step === N_CHECKS ? 0 : 1);
