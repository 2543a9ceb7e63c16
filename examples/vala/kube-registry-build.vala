/* kube-registry-build.vala: build an image inside the cluster and push it
 * to a registry there, after the original's 03_registry_build_and_push, in
 * 8 checks: HeroVirt.RegistryDeployer deploys a registry, a
 * HeroVirt.BuildMachine (a privileged buildah pod) builds a small image from
 * a base image and pushes it to the registry's in-cluster address, and
 * podman here pulls it back through the node port and runs it. It makes its
 * own namespace and removes it at the end, whatever happens.
 *
 *   valac --pkg hero-virt-1 --pkg json-glib-1.0 --pkg libsoup-3.0 kube-registry-build.vala
 *   KUBECONFIG=~/.kube/config ./kube-registry-build
 *
 * Settings from the environment:
 *   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
 *   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
 *   HERO_VIRT_EXAMPLE_BUILDAH_IMAGE   an image with buildah (quay.io/buildah/stable:latest)
 *   HERO_VIRT_EXAMPLE_BASE_IMAGE      what the build starts from, as the build pod pulls it
 *                                     (docker.io/library/alpine:latest); plain HTTP is allowed
 *   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node port is reached on (default: the
 *                                     address of the node the registry runs on)
 *   HERO_VIRT_EXAMPLE_PODMAN          the podman to pull and run with (podman)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
const int N_CHECKS = 8;
const string GREETING = "hello from a HeroVirt build machine";
int passed = 0;
int step = 0;

errordomain ExampleError {
    CHECK_FAILED,
    COMMAND_FAILED
}

/* Prints the check; a failed one ends the run. */
void check (string description, bool ok, string? detail = null) throws ExampleError {
    step++;
    if (ok)
        passed++;
    print ("%s check %d: %s%s\n", ok ? "✓" : "✗", step, description,
           detail != null ? " (" + detail + ")" : "");
    if (!ok)
        throw new ExampleError.CHECK_FAILED (description);
}

string env_or (string name, string? fallback) {
    var value = Environment.get_variable (name);
    return value != null && value != "" ? value : fallback;
}

/* Runs podman here with HeroVirt's local executor: its standard output. */
string podman (string[] args) throws Error {
    string[] argv = { env_or ("HERO_VIRT_EXAMPLE_PODMAN", "podman") };
    foreach (var arg in args)
        argv += arg;
    var result = new HeroVirt.LocalExecutor ().run_argv (argv);
    if (result.get_exit_status () != 0)
        throw new ExampleError.COMMAND_FAILED ("%s: %s", result.get_command_line (),
                                               result.get_stderr_text ().strip ());
    return result.get_stdout_text ();
}

int main () {
    var registry_image = env_or ("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE", "docker.io/library/registry:2");
    var buildah_image = env_or ("HERO_VIRT_EXAMPLE_BUILDAH_IMAGE", "quay.io/buildah/stable:latest");
    var base_image = env_or ("HERO_VIRT_EXAMPLE_BASE_IMAGE", "docker.io/library/alpine:latest");
    var node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", null);
    var namespace = "hv-build-%06x".printf (Random.int_range (0, 0xffffff));
    HeroVirt.KubernetesManager km;
    try {
        km = new HeroVirt.KubernetesManager (namespace);
        km.namespace_create (namespace);
    } catch (Error e) {
        printerr ("error: %s\n", e.message);
        return 1;
    }
    print ("Working in namespace %s\n", namespace);
    var registry = new HeroVirt.RegistryDeployer (km, "registry").image (registry_image)
        .endpoint_host (node_host);
    var inside = "registry.%s.svc:5000".printf (namespace); // the registry as the pods reach it
    var bm = new HeroVirt.BuildMachine (km, "builder").image (buildah_image).registry (inside)
        .tls_verify (false);
    HeroVirt.Builder? builder = null;
    string? outside = null; // the image as this host pulls it
    var pulled = false;
    try {
        // 1: the registry, reached from here on its node port
        registry.deploy (180000);
        check ("registry deployed and answering /v2/", true, registry.get_endpoint ());
        outside = registry.get_endpoint () + "/hero-virt-example/hello:1";

        // 2: the build machine: a privileged buildah pod
        bm.start (300000);
        var version = bm.get_executor ().run_argv ({ "buildah", "--version" });
        check ("build machine running (buildah in the pod)", version.get_exit_status () == 0,
               version.get_stdout_text ().strip ());

        // 3-4: a working container from the base image, one step, committed
        builder = bm.new_builder ("hello", base_image);
        builder.open ();
        check ("working container from the base image", true, base_image);
        builder.set_cmd ({ "cat", "/hello.txt" });
        builder.set_label ("org.hero-virt.example", "kube-registry-build");
        builder.run ("echo '%s' > /hello.txt".printf (GREETING));
        builder.commit ("localhost/hero-virt-example/hello:1");
        var id = builder.dup_image_id ();
        check ("image built and committed in the pod", id != null, id);

        // 5: pushed from the pod to the registry's in-cluster address
        var pushed = bm.push ("localhost/hero-virt-example/hello:1", "hero-virt-example/hello:1");
        check ("pushed to the registry from inside the cluster", pushed != null, pushed);

        // 6: the registry has it, seen from here
        var session = new Soup.Session ();
        var msg = new Soup.Message ("GET", "http://%s/v2/hero-virt-example/hello/tags/list".printf (
                                        registry.get_endpoint ()));
        var bytes = session.send_and_read (msg);
        var parser = new Json.Parser ();
        parser.load_from_data ((string) bytes.get_data (), (ssize_t) bytes.get_size ());
        var tags = parser.get_root ().get_object ().get_array_member ("tags");
        check ("the registry lists hero-virt-example/hello:1",
               msg.status_code == 200 && tags.get_length () == 1 && tags.get_string_element (0) == "1");

        // 7-8: pulled back here through the node port and run with podman
        podman ({ "pull", "-q", "--tls-verify=false", outside });
        pulled = true;
        check ("pulled back on this host with podman", true, outside);
        var output = podman ({ "run", "--rm", outside }).strip ();
        check ("podman runs it: it prints what the build wrote", output == GREETING, output);
    } catch (Error e) {
        if (!(e is ExampleError.CHECK_FAILED)) // a failed check was printed already
            print ("✗ error: %s\n", e.message);
    }
    print ("Cleaning up\n");
    try {
        if (pulled)
            podman ({ "rmi", outside });
        if (builder != null)
            builder.remove ();
        bm.stop ();
        registry.remove ();
        km.namespace_delete (namespace);
        km.wait_for (HeroVirt.ClusterKind.lookup ("v1", "Namespace"), namespace, "deleted", 180000);
    } catch (Error e) {
        printerr ("warning: %s\n", e.message);
    }
    print ("%d/%d checks passed\n", passed, N_CHECKS);
    return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
