#!/usr/bin/env gjs
// A container registry in the cluster with HeroVirt.RegistryDeployer, after
// the original's 02_registry_deployment: one without authentication and one
// with htpasswd, in 10 checks. It makes its own namespace and removes it at
// the end, whatever happens.
//
//   KUBECONFIG=~/.kube/config gjs kube-registry-deployment.js
//
// Settings from the environment:
//   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
//   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
//   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node ports are reached on (default: the
//                                     address of the node the registry runs on)
//
// The registries are reached through their NodePort services with libsoup.
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
imports.gi.versions.Json = '1.0';
imports.gi.versions.Soup = '3.0';
const {GLib, HeroVirt, Json, Soup} = imports.gi;

const N_CHECKS = 10;
let passed = 0, step = 0;

function check(description, ok, detail) {
    step++;
    if (ok)
        passed++;
    print(`${ok ? '✓' : '✗'} check ${step}: ${description}${detail ? ` (${detail})` : ''}`);
    return ok;
}

const asObject = node => JSON.parse(Json.to_string(node, false));
const session = new Soup.Session({timeout: 30});

// GET http://ENDPOINT/PATH: {status, headers, body}
function get(endpoint, path, user, password) {
    const msg = Soup.Message.new('GET', `http://${endpoint}${path}`);
    if (user) {
        const token = GLib.base64_encode(new TextEncoder().encode(`${user}:${password}`));
        msg.get_request_headers().append('Authorization', `Basic ${token}`);
    }
    const bytes = session.send_and_read(msg, null);
    return {
        status: msg.get_status(),
        headers: msg.get_response_headers(),
        body: new TextDecoder().decode(bytes.get_data() ?? new Uint8Array()),
    };
}

function catalog(endpoint, user, password) {
    const r = get(endpoint, '/v2/_catalog', user, password);
    return r.status === 200 ? JSON.parse(r.body).repositories : null;
}

// The object is gone (or, on a real cluster, going).
function gone(km, apiVersion, kind, name) {
    try {
        const node = km.get(HeroVirt.ClusterKind.lookup(apiVersion, kind), name, null);
        return 'deletionTimestamp' in asObject(node).metadata;
    } catch (e) {
        return e.matches(HeroVirt.Error, HeroVirt.Error.NOT_FOUND);
    }
}

const image = GLib.getenv('HERO_VIRT_EXAMPLE_REGISTRY_IMAGE') || 'docker.io/library/registry:2';
const nodeHost = GLib.getenv('HERO_VIRT_EXAMPLE_NODE_HOST') || null;
const namespace = `hv-registry-${GLib.random_int_range(0, 0xffffff).toString(16).padStart(6, '0')}`;
const km = HeroVirt.KubernetesManager.new(namespace);
km.namespace_create(namespace, null);
print(`Working in namespace ${namespace}, registry image ${image}`);
const plain = HeroVirt.RegistryDeployer.new(km, 'registry').image(image).endpoint_host(nodeHost);
// null: a generated password
const authed = HeroVirt.RegistryDeployer.new(km, 'registry-auth').image(image).endpoint_host(nodeHost)
    .auth('builder', null);
try {
    // 1-3: a registry without authentication
    plain.deploy(180000, null);
    const service = asObject(km.service_get('registry', null));
    km.deployment_get('registry', null);
    check('registry deployed: a Deployment and a NodePort Service', service.spec.type === 'NodePort',
        plain.get_endpoint());
    let r = get(plain.get_endpoint(), '/v2/');
    check('it answers /v2/ as a registry (HTTP 200, Docker-Distribution-Api-Version)',
        r.status === 200 && r.headers.get_one('Docker-Distribution-Api-Version') === 'registry/2.0',
        `HTTP ${r.status}`);
    let repos = catalog(plain.get_endpoint());
    check('its catalog is empty', repos !== null && repos.length === 0, JSON.stringify(repos));

    // 4-8: a registry with htpasswd authentication
    authed.deploy(180000, null);
    const endpoint = authed.get_endpoint();
    const user = authed.get_username(), password = authed.get_password();
    const secret = asObject(km.secret_get('registry-auth-htpasswd', null));
    const entry = new TextDecoder().decode(GLib.base64_decode(secret.data.htpasswd));
    check('registry with htpasswd deployed: user builder, a generated password, only its bcrypt hash ' +
          'in the Secret',
    user === 'builder' && password.length >= 16 && entry.startsWith('builder:$2') &&
        !entry.includes(password), endpoint);
    r = get(endpoint, '/v2/');
    check('without credentials /v2/ is 401 with a Basic challenge',
        r.status === 401 && (r.headers.get_one('WWW-Authenticate') ?? '').toLowerCase().startsWith('basic'),
        `HTTP ${r.status}`);
    check('a wrong password is 401', get(endpoint, '/v2/', 'builder', 'wrong').status === 401);
    check('the credentials it returned are 200', get(endpoint, '/v2/', user, password).status === 200);
    repos = catalog(endpoint, user, password);
    check('its catalog with the credentials: empty', repos !== null && repos.length === 0,
        JSON.stringify(repos));
} catch (e) {
    check('unexpected error', false, e.message);
} finally {
    // 9: both removed, nothing of them left
    try {
        const removed = plain.remove(null) && authed.remove(null);
        check('both registries removed: deployments, services and the htpasswd Secret gone',
            removed && [['apps/v1', 'Deployment', 'registry'], ['v1', 'Service', 'registry'],
                ['apps/v1', 'Deployment', 'registry-auth'], ['v1', 'Service', 'registry-auth'],
                ['v1', 'Secret', 'registry-auth-htpasswd']].every(([v, k, n]) => gone(km, v, k, n)));
    } catch (e) {
        check('both registries removed', false, e.message);
    }
    // 10: the namespace goes, with everything still in it
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
