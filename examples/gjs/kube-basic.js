#!/usr/bin/env gjs
// Kubernetes basics, after the original's 01_basic_operations: pods,
// services, config maps, secrets and namespaces in 14 checks. It makes its
// own namespace and removes it at the end, whatever happens.
//
//   KUBECONFIG=~/.kube/config gjs kube-basic.js
//
// It talks to the cluster of the kubeconfig's current context through the
// k8s plugin; no kubectl is needed.
// SPDX-License-Identifier: LGPL-2.1-or-later
imports.gi.versions.HeroVirt = '1';
imports.gi.versions.Json = '1.0';
const {GLib, HeroVirt, Json} = imports.gi;

const N_CHECKS = 14;
let passed = 0, step = 0;

function check(description, ok, detail) {
    step++;
    if (ok)
        passed++;
    print(`[${String(step).padStart(2)}/${N_CHECKS}] ${ok ? 'ok  ' : 'FAIL'} ${description}` +
          (detail ? ` (${detail})` : ''));
}

const asObject = node => JSON.parse(Json.to_string(node, false));
const names = list => HeroVirt.kube_list_get_items(list).map(i => HeroVirt.kube_resource_get_name(i));

function errorCode(func) {
    try {
        func();
    } catch (e) {
        return e.matches && e.matches(HeroVirt.Error, e.code) ? e.code : null;
    }
    return null;
}

const namespace = `hv-basic-${GLib.random_int_range(0, 0xffffff).toString(16).padStart(6, '0')}`;
const km = HeroVirt.KubernetesManager.new(namespace);
print(`Working in namespace ${namespace}`);
try {
    // 1-3: the cluster and a namespace of our own
    check('the cluster answers', names(km.namespaces_list(null)).includes('default'));
    km.namespace_create(namespace, null);
    check('namespace created', km.namespace_exists(namespace, null), namespace);
    km.namespace_create(namespace, null);
    check('creating it again is no error (idempotent)', true);

    // 4-7: one object of each kind, read back
    km.configmap_create('example-config', ['mode=fast', 'level=3'], null);
    const data = asObject(km.configmap_get('example-config', null)).data;
    check('config map created and read back', data.mode === 'fast' && data.level === '3');

    km.secret_create('example-secret', ['password=s3cr3t'], null, null);
    const secret = asObject(km.secret_get('example-secret', null));
    const decoded = new TextDecoder().decode(GLib.base64_decode(secret.data.password));
    check('secret created, its value base64-encoded', decoded === 's3cr3t' && secret.type === 'Opaque');

    km.pod_create('example-pod', 'nginx:1.25-alpine', ['app=example'], ['MODE=demo'], null);
    const pod = km.pod_get('example-pod', null);
    check('pod created with its labels', HeroVirt.kube_resource_get_label(pod, 'app') === 'example');

    km.service_create('example-svc', ['app=example'], 80, 8080, null);
    const port = asObject(km.service_get('example-svc', null)).spec.ports[0];
    check('service created on port 80 -> 8080', port.port === 80 && port.targetPort === 8080);

    // 8-9: lists and counts
    check('each object is in its list',
        names(km.pods_list(null)).includes('example-pod') &&
        names(km.services_list(null)).includes('example-svc') &&
        names(km.configmaps_list(null)).includes('example-config') &&
        names(km.secrets_list(null)).includes('example-secret'));
    const counts = km.resource_counts(null);
    check('resource counts', counts.pods === 1 && counts.services === 1 &&
        counts.configmaps >= 1 && counts.secrets >= 1,
    `pods ${counts.pods}, services ${counts.services}, configmaps ${counts.configmaps}, secrets ${counts.secrets}`);

    // 10-12: delete by pattern, first as a dry run
    const expected = ['configmaps/example-config', 'pods/example-pod', 'secrets/example-secret',
        'services/example-svc'];
    const would = km.delete('^example-', true, null).sort();
    check('dry run lists what would go, deletes nothing',
        would.join() === expected.join() && names(km.pods_list(null)).includes('example-pod'));
    const deleted = km.delete('^example-', false, null).sort();
    check('delete by pattern', deleted.join() === expected.join(), `${deleted.length} deleted`);
    // a pod gets its grace period on a real cluster: gone or terminating
    let podGone;
    try {
        podGone = 'deletionTimestamp' in asObject(km.pod_get('example-pod', null)).metadata;
    } catch (e) {
        podGone = e.matches(HeroVirt.Error, HeroVirt.Error.NOT_FOUND);
    }
    check('the objects are gone', podGone &&
        !names(km.services_list(null)).includes('example-svc') &&
        !names(km.configmaps_list(null)).includes('example-config') &&
        !names(km.secrets_list(null)).includes('example-secret'));

    // 13: errors say what went wrong
    check('a missing object is NOT_FOUND, a bad name INVALID_ARGUMENT (before any request)',
        errorCode(() => km.configmap_get('no-such-config', null)) === HeroVirt.Error.NOT_FOUND &&
        errorCode(() => km.pod_create('Bad_Name', 'nginx', null, null, null)) ===
            HeroVirt.Error.INVALID_ARGUMENT);
} catch (e) {
    check('unexpected error', false, e.message);
} finally {
    // 14: the namespace goes, with everything still in it
    try {
        km.namespace_delete(namespace, null);
        km.wait_for(HeroVirt.ClusterKind.lookup('v1', 'Namespace'), namespace, 'deleted', 180000, null);
        check('namespace deleted', !km.namespace_exists(namespace, null));
    } catch (e) {
        check('namespace deleted', false, e.message);
    }
}
print(`${passed}/${N_CHECKS} checks passed`);
imports.system.exit(passed === N_CHECKS && step === N_CHECKS ? 0 : 1);
