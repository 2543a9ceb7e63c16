/* kube-devmachine.vala: a pod a developer reaches over SSH, with
 * HeroVirt.DevelopmentMachine, in 6 checks: an sshd pod whose host key and
 * authorized_keys HeroVirt generated and put in a Secret, a NodePort
 * service to its port 22, `uname -a` over SSH with the host key checked.
 * It makes its own namespace and removes it at the end, whatever happens.
 *
 *   valac --pkg hero-virt-1 --pkg json-glib-1.0 kube-devmachine.vala
 *   KUBECONFIG=~/.kube/config ./kube-devmachine
 *
 * Settings from the environment:
 *   KUBECONFIG                     the cluster (else ~/.kube/config, else in-cluster)
 *   HERO_VIRT_EXAMPLE_SSHD_IMAGE   an image with /usr/sbin/sshd and /run/sshd
 *                                  (localhost/hero-virt-test/sshd:1, which
 *                                  scripts/build-test-images.sh builds)
 *   HERO_VIRT_EXAMPLE_NODE_HOST    the host the node port is reached on (default: the
 *                                  address of the node the pod runs on)
 *   HERO_VIRT_EXAMPLE_PORT_FORWARD set to 1 to reach port 22 through a port forward
 *                                  instead of a node port
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
const int N_CHECKS = 6;
const string NAME = "devbox";
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

/* Runs argv in the machine over SSH: its standard output, stripped. */
string ssh_run (HeroVirt.DevelopmentMachine dev, string[] argv) throws Error {
    var result = dev.get_executor ().run_argv (argv);
    if (result.get_exit_status () != 0)
        throw new IOError.FAILED ("%s: exit status %d: %s", argv[0], result.get_exit_status (),
                                  result.get_stderr_text ());
    return result.get_stdout_text ().strip ();
}

/* The object is gone (or, a pod on a real cluster, terminating). */
bool gone (HeroVirt.KubernetesManager km, string kind, string name) throws Error {
    try {
        var node = km.get (HeroVirt.ClusterKind.lookup ("v1", kind), name);
        return node.get_object ().get_object_member ("metadata").has_member ("deletionTimestamp");
    } catch (HeroVirt.Error e) {
        return e is HeroVirt.Error.NOT_FOUND;
    }
}

int main () {
    var image = env_or ("HERO_VIRT_EXAMPLE_SSHD_IMAGE", "localhost/hero-virt-test/sshd:1");
    var node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", null);
    var forward = Environment.get_variable ("HERO_VIRT_EXAMPLE_PORT_FORWARD") == "1";
    var namespace = "hv-devel-%06x".printf (Random.int_range (0, 0xffffff));
    HeroVirt.KubernetesManager km;
    try {
        km = new HeroVirt.KubernetesManager (namespace);
        km.namespace_create (namespace);
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    print ("Working in namespace %s, sshd image %s\n", namespace, image);
    var dev = new HeroVirt.DevelopmentMachine (km, NAME).image (image);
    if (forward)
        dev.port_forward ();
    else
        dev.endpoint_host (node_host);
    try {
        // 1: the machine: a Secret with the keys, the sshd pod, a way to port 22
        dev.create (180000);
        check ("development machine created", true,
               "%s:%u through a %s".printf (dev.get_host (), dev.get_port (),
                                            forward ? "port forward" : "node port"));

        // 2: its host key is known before the first login: HeroVirt made it
        var key = dev.get_host_public_key ();
        check ("its host key is known before the first login", key != null && key.has_prefix ("ssh-"), key);

        // 3-4: logged in over SSH, in the pod
        var output = ssh_run (dev, { "uname", "-a" });
        check ("`uname -a` over SSH", output.has_prefix ("Linux "), output);
        output = ssh_run (dev, { "hostname" });
        check ("the login is in the pod: its hostname is the pod's name", output == NAME, output);
    } catch (Error e) {
        check ("unexpected error", false, e.message);
    }
    // 5: removed: the pod, the Secret and the Service
    try {
        check ("development machine removed: pod, Secret and Service gone",
               dev.remove () && gone (km, "Pod", NAME) && gone (km, "Secret", NAME + "-ssh")
               && gone (km, "Service", NAME + "-ssh"));
    } catch (Error e) {
        check ("development machine removed", false, e.message);
    }
    // 6: the namespace goes, with everything still in it
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
