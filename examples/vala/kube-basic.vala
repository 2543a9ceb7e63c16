/* kube-basic.vala: Kubernetes basics, after the original's 01_basic_operations:
 * pods, services, config maps, secrets and namespaces in 14 checks. It makes
 * its own namespace and removes it at the end, whatever happens.
 *
 *   valac --pkg hero-virt-1 --pkg json-glib-1.0 kube-basic.vala
 *   KUBECONFIG=~/.kube/config ./kube-basic
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
const int N_CHECKS = 14;
int passed = 0;
int step = 0;

void check (string description, bool ok, string? detail = null) {
    step++;
    if (ok)
        passed++;
    print ("[%2d/%d] %s %s%s\n", step, N_CHECKS, ok ? "ok  " : "FAIL", description,
           detail != null ? " (" + detail + ")" : "");
}

bool in_list (Json.Node list, string name) {
    foreach (unowned Json.Node item in HeroVirt.kube_list_get_items (list))
        if (HeroVirt.kube_resource_get_name (item) == name)
            return true;
    return false;
}

unowned Json.Object obj (Json.Node node, string member) {
    return node.get_object ().get_object_member (member);
}

int main () {
    var namespace = "hv-basic-%06x".printf (Random.int_range (0, 0xffffff));
    HeroVirt.KubernetesManager km;
    try {
        km = new HeroVirt.KubernetesManager (namespace);
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    print ("Working in namespace %s\n", namespace);
    try {
        // 1-3: the cluster and a namespace of our own
        check ("the cluster answers", in_list (km.namespaces_list (), "default"));
        km.namespace_create (namespace);
        check ("namespace created", km.namespace_exists (namespace), namespace);
        km.namespace_create (namespace);
        check ("creating it again is no error (idempotent)", true);

        // 4-7: one object of each kind, read back
        km.configmap_create ("example-config", { "mode=fast", "level=3" });
        var data = obj (km.configmap_get ("example-config"), "data");
        check ("config map created and read back",
               data.get_string_member ("mode") == "fast" && data.get_string_member ("level") == "3");

        km.secret_create ("example-secret", { "password=s3cr3t" }, null);
        var secret = km.secret_get ("example-secret");
        var decoded = (string) Base64.decode (obj (secret, "data").get_string_member ("password"));
        check ("secret created, its value base64-encoded",
               decoded == "s3cr3t" && secret.get_object ().get_string_member ("type") == "Opaque");

        km.pod_create ("example-pod", "nginx:1.25-alpine", { "app=example" }, { "MODE=demo" });
        var pod = km.pod_get ("example-pod");
        check ("pod created with its labels", HeroVirt.kube_resource_get_label (pod, "app") == "example");

        km.service_create ("example-svc", { "app=example" }, 80, 8080);
        var port = obj (km.service_get ("example-svc"), "spec").get_array_member ("ports").get_object_element (0);
        check ("service created on port 80 -> 8080",
               port.get_int_member ("port") == 80 && port.get_int_member ("targetPort") == 8080);

        // 8-9: lists and counts
        check ("each object is in its list",
               in_list (km.pods_list (), "example-pod") && in_list (km.services_list (), "example-svc")
               && in_list (km.configmaps_list (), "example-config")
               && in_list (km.secrets_list (), "example-secret"));
        var counts = km.resource_counts ();
        check ("resource counts",
               counts["pods"] == 1 && counts["services"] == 1 && counts["configmaps"] >= 1
               && counts["secrets"] >= 1,
               "pods %u, services %u, configmaps %u, secrets %u".printf (
                   counts["pods"], counts["services"], counts["configmaps"], counts["secrets"]));

        // 10-12: delete by pattern, first as a dry run
        var expected = "configmaps/example-config pods/example-pod secrets/example-secret services/example-svc";
        var would = km.delete ("^example-", true);
        qsort_with_data<string> (would, sizeof (string), (a, b) => strcmp (a, b));
        check ("dry run lists what would go, deletes nothing",
               string.joinv (" ", would) == expected && in_list (km.pods_list (), "example-pod"));
        var deleted = km.delete ("^example-", false);
        check ("delete by pattern", deleted.length == 4, "%d deleted".printf (deleted.length));
        // a pod gets its grace period on a real cluster: gone or terminating
        bool pod_gone;
        try {
            pod_gone = obj (km.pod_get ("example-pod"), "metadata").has_member ("deletionTimestamp");
        } catch (HeroVirt.Error e) {
            pod_gone = e is HeroVirt.Error.NOT_FOUND;
        }
        check ("the objects are gone",
               pod_gone && !in_list (km.services_list (), "example-svc")
               && !in_list (km.configmaps_list (), "example-config")
               && !in_list (km.secrets_list (), "example-secret"));

        // 13: errors say what went wrong
        bool missing = false, invalid = false;
        try {
            km.configmap_get ("no-such-config");
        } catch (HeroVirt.Error e) {
            missing = e is HeroVirt.Error.NOT_FOUND;
        }
        try {
            km.pod_create ("Bad_Name", "nginx", null, null);
        } catch (HeroVirt.Error e) {
            invalid = e is HeroVirt.Error.INVALID_ARGUMENT;
        }
        check ("a missing object is NOT_FOUND, a bad name INVALID_ARGUMENT (before any request)",
               missing && invalid);
    } catch (Error e) {
        check ("unexpected error", false, e.message);
    }
    // 14: the namespace goes, with everything still in it
    try {
        km.namespace_delete (namespace);
        km.wait_for (HeroVirt.ClusterKind.lookup ("v1", "Namespace"), namespace, "deleted", 180000);
        check ("namespace deleted", !km.namespace_exists (namespace));
    } catch (Error e) {
        check ("namespace deleted", false, e.message);
    }
    print ("%d/%d checks passed\n", passed, N_CHECKS);
    return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
