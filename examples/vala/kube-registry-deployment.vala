/* kube-registry-deployment.vala: a container registry in the cluster with
 * HeroVirt.RegistryDeployer, after the original's 02_registry_deployment:
 * one without authentication and one with htpasswd, in 10 checks. It makes
 * its own namespace and removes it at the end, whatever happens.
 *
 *   valac --pkg hero-virt-1 --pkg json-glib-1.0 --pkg libsoup-3.0 kube-registry-deployment.vala
 *   KUBECONFIG=~/.kube/config ./kube-registry-deployment
 *
 * Settings from the environment:
 *   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
 *   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
 *   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node ports are reached on (default: the
 *                                     address of the node the registry runs on)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
const int N_CHECKS = 10;
int passed = 0;
int step = 0;

bool check (string description, bool ok, string? detail = null) {
    step++;
    if (ok)
        passed++;
    print ("%s check %d: %s%s\n", ok ? "✓" : "✗", step, description,
           detail != null ? " (" + detail + ")" : "");
    return ok;
}

string env_or (string name, string? fallback) {
    var value = Environment.get_variable (name);
    return value != null && value != "" ? value : fallback;
}

Soup.Session session;

/* GET http://ENDPOINT/PATH: the status; the response headers and body */
uint http_get (string endpoint, string path, string? user, string? password,
               out Soup.MessageHeaders headers, out string body) throws Error {
    var msg = new Soup.Message ("GET", "http://%s%s".printf (endpoint, path));
    if (user != null)
        msg.request_headers.append ("Authorization",
                                    "Basic " + Base64.encode ("%s:%s".printf (user, password).data));
    var bytes = session.send_and_read (msg);
    headers = msg.response_headers;
    unowned uint8[] data = bytes.get_data ();
    var text = new StringBuilder.sized (data.length + 1);
    text.append_len ((string) data, data.length);
    body = text.str;
    return msg.status_code;
}

/* The number of repositories GET /v2/_catalog lists, -1 if it failed. */
int catalog_size (string endpoint, string? user = null, string? password = null) throws Error {
    Soup.MessageHeaders headers;
    string body;
    if (http_get (endpoint, "/v2/_catalog", user, password, out headers, out body) != 200)
        return -1;
    var parser = new Json.Parser ();
    parser.load_from_data (body);
    return (int) parser.get_root ().get_object ().get_array_member ("repositories").get_length ();
}

/* The object is gone (or, on a real cluster, going). */
bool gone (HeroVirt.KubernetesManager km, string api_version, string kind, string name) throws Error {
    try {
        var node = km.get (HeroVirt.ClusterKind.lookup (api_version, kind), name);
        return node.get_object ().get_object_member ("metadata").has_member ("deletionTimestamp");
    } catch (HeroVirt.Error e) {
        return e is HeroVirt.Error.NOT_FOUND;
    }
}

int main () {
    var image = env_or ("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE", "docker.io/library/registry:2");
    var node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", null);
    var namespace = "hv-registry-%06x".printf (Random.int_range (0, 0xffffff));
    session = new Soup.Session ();
    session.timeout = 30;
    HeroVirt.KubernetesManager km;
    try {
        km = new HeroVirt.KubernetesManager (namespace);
        km.namespace_create (namespace);
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    print ("Working in namespace %s, registry image %s\n", namespace, image);
    var plain = new HeroVirt.RegistryDeployer (km, "registry").image (image).endpoint_host (node_host);
    // null: a generated password
    var authed = new HeroVirt.RegistryDeployer (km, "registry-auth").image (image)
        .endpoint_host (node_host).auth ("builder", null);
    try {
        Soup.MessageHeaders headers;
        string body;

        // 1-3: a registry without authentication
        plain.deploy (180000);
        var service = km.service_get ("registry");
        km.deployment_get ("registry");
        check ("registry deployed: a Deployment and a NodePort Service",
               service.get_object ().get_object_member ("spec").get_string_member ("type") == "NodePort",
               plain.get_endpoint ());
        var status = http_get (plain.get_endpoint (), "/v2/", null, null, out headers, out body);
        check ("it answers /v2/ as a registry (HTTP 200, Docker-Distribution-Api-Version)",
               status == 200 && headers.get_one ("Docker-Distribution-Api-Version") == "registry/2.0",
               "HTTP %u".printf (status));
        check ("its catalog is empty", catalog_size (plain.get_endpoint ()) == 0);

        // 4-8: a registry with htpasswd authentication
        authed.deploy (180000);
        var endpoint = authed.get_endpoint ();
        var user = authed.get_username ();
        var password = authed.get_password ();
        var data = km.secret_get ("registry-auth-htpasswd").get_object ().get_object_member ("data");
        var entry = (string) Base64.decode (data.get_string_member ("htpasswd"));
        check ("registry with htpasswd deployed: user builder, a generated password, only its bcrypt "
               + "hash in the Secret",
               user == "builder" && password.length >= 16 && entry.has_prefix ("builder:$2")
               && !(password in entry), endpoint);
        status = http_get (endpoint, "/v2/", null, null, out headers, out body);
        var challenge = headers.get_one ("WWW-Authenticate") ?? "";
        check ("without credentials /v2/ is 401 with a Basic challenge",
               status == 401 && challenge.down ().has_prefix ("basic"), "HTTP %u".printf (status));
        check ("a wrong password is 401",
               http_get (endpoint, "/v2/", "builder", "wrong", out headers, out body) == 401);
        check ("the credentials it returned are 200",
               http_get (endpoint, "/v2/", user, password, out headers, out body) == 200);
        check ("its catalog with the credentials: empty", catalog_size (endpoint, user, password) == 0);
    } catch (Error e) {
        check ("unexpected error", false, e.message);
    }
    // 9: both removed, nothing of them left
    try {
        var removed = plain.remove () && authed.remove ();
        check ("both registries removed: deployments, services and the htpasswd Secret gone",
               removed && gone (km, "apps/v1", "Deployment", "registry")
               && gone (km, "v1", "Service", "registry")
               && gone (km, "apps/v1", "Deployment", "registry-auth")
               && gone (km, "v1", "Service", "registry-auth")
               && gone (km, "v1", "Secret", "registry-auth-htpasswd"));
    } catch (Error e) {
        check ("both registries removed", false, e.message);
    }
    // 10: the namespace goes, with everything still in it
    try {
        km.namespace_delete (namespace);
        km.wait_for (HeroVirt.ClusterKind.lookup ("v1", "Namespace"), namespace, "deleted", 180000);
        check ("namespace deleted", true, namespace);
    } catch (Error e) {
        check ("namespace deleted", false, e.message);
    }
    print ("%d/%d checks passed\n", passed, N_CHECKS);
    return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
