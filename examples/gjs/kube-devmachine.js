#!/usr/bin/env gjs
// A pod a developer reaches over SSH, with HeroVirt.DevelopmentMachine, in 6
// checks: an sshd pod whose host key and authorized_keys HeroVirt generated
// and put in a Secret, a NodePort service to its port 22, `uname -a` over
// SSH with the host key checked. It makes its own namespace and removes it
// at the end, whatever happens.
//
//   KUBECONFIG=~/.kube/config gjs kube-devmachine.js
//
// Settings from the environment:
//   KUBECONFIG                     the cluster (else ~/.kube/config, else in-cluster)
//   HERO_VIRT_EXAMPLE_SSHD_IMAGE   an image with /usr/sbin/sshd and /run/sshd
//                                  (localhost/hero-virt-test/sshd:1, which
//                                  scripts/build-test-images.sh builds)
//   HERO_VIRT_EXAMPLE_NODE_HOST    the host the node port is reached on (default: the
//                                  address of the node the pod runs on)
//   HERO_VIRT_EXAMPLE_PORT_FORWARD set to 1 to reach port 22 through a port forward
//                                  instead of a node port
//
// Needs ssh and ssh-keygen here (openssh-client).
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
imports.gi.versions.Json = '1.0';
const {GLib, HeroVirt, Json} = imports.gi;

const N_CHECKS = 6;
const NAME = 'devbox';
let passed = 0, step = 0;

function check(description, ok, detail) {
    step++;
    if (ok)
        passed++;
    print(`${ok ? '✓' : '✗'} check ${step}: ${description}${detail ? ` (${detail})` : ''}`);
    return ok;
}

// Runs argv in the machine over SSH: its standard output, trimmed.
function sshRun(dev, ...argv) {
    const result = dev.get_executor().run_argv(argv, null);
    if (result.get_exit_status() !== 0)
        throw new Error(`${argv[0]}: exit status ${result.get_exit_status()}: ${result.get_stderr_text()}`);
    return result.get_stdout_text().trim();
}

// The object is gone (or, a pod on a real cluster, terminating).
function gone(km, kind, name) {
    try {
        const node = km.get(HeroVirt.ClusterKind.lookup('v1', kind), name, null);
        return 'deletionTimestamp' in JSON.parse(Json.to_string(node, false)).metadata;
    } catch (e) {
        return e.matches(HeroVirt.Error, HeroVirt.Error.NOT_FOUND);
    }
}

const image = GLib.getenv('HERO_VIRT_EXAMPLE_SSHD_IMAGE') || 'localhost/hero-virt-test/sshd:1';
const nodeHost = GLib.getenv('HERO_VIRT_EXAMPLE_NODE_HOST') || null;
const forward = GLib.getenv('HERO_VIRT_EXAMPLE_PORT_FORWARD') === '1';
const namespace = `hv-devel-${GLib.random_int_range(0, 0xffffff).toString(16).padStart(6, '0')}`;
const km = HeroVirt.KubernetesManager.new(namespace);
km.namespace_create(namespace, null);
print(`Working in namespace ${namespace}, sshd image ${image}`);

const dev = HeroVirt.DevelopmentMachine.new(km, NAME).image(image);
if (forward)
    dev.port_forward();
else
    dev.endpoint_host(nodeHost);
try {
    // 1: the machine: a Secret with the keys, the sshd pod, a way to port 22
    dev.create(180000, null);
    check('development machine created', true,
        `${dev.get_host()}:${dev.get_port()} through a ${forward ? 'port forward' : 'node port'}`);

    // 2: its host key is known before the first login: HeroVirt made it
    const key = dev.get_host_public_key();
    check('its host key is known before the first login', key && key.startsWith('ssh-'), key);

    // 3-4: logged in over SSH, in the pod
    let out = sshRun(dev, 'uname', '-a');
    check('`uname -a` over SSH', out.startsWith('Linux '), out);
    out = sshRun(dev, 'hostname');
    check("the login is in the pod: its hostname is the pod's name", out === NAME, out);
} catch (e) {
    check('unexpected error', false, e.message);
} finally {
    // 5: removed: the pod, the Secret and the Service
    try {
        check('development machine removed: pod, Secret and Service gone',
            dev.remove(null) && gone(km, 'Pod', NAME) && gone(km, 'Secret', `${NAME}-ssh`) &&
            gone(km, 'Service', `${NAME}-ssh`));
    } catch (e) {
        check('development machine removed', false, e.message);
    }
    // 6: the namespace goes, with everything still in it
    try {
        km.namespace_delete(namespace, null);
        km.wait_for(HeroVirt.ClusterKind.lookup('v1', 'Namespace'), namespace, 'deleted', 180000, null);
        check('namespace deleted', true, namespace);
    } catch (e) {
        check('namespace deleted', false, e.message);
    }
}

print(`${passed}/${N_CHECKS} checks passed`);
imports.system.exit(passed === N_CHECKS && step === N_CHECKS ? 0 : 1);
