/* kube-registry-build.c: build an image inside the cluster and push it to a
 * registry there, after the original's 03_registry_build_and_push, in 8
 * checks: HeroVirt.RegistryDeployer deploys a registry, a
 * HeroVirt.BuildMachine (a privileged buildah pod) builds a small image
 * from a base image and pushes it to the registry's in-cluster address,
 * and podman here pulls it back through the node port and runs it. It
 * makes its own namespace and removes it at the end, whatever happens.
 *
 *   cc kube-registry-build.c $(pkg-config --cflags --libs hero-virt-1) \
 *      -o kube-registry-build
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
 * Needs podman here, and a cluster whose pods resolve Service names
 * (`<name>.<namespace>.svc`). `hero-virt-kube-sim --node-agent podman`
 * gives one to try it on (tests/kube-sim-podman/run-examples.py).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#define N_CHECKS 8
#define GREETING "hello from a HeroVirt build machine"

static guint passed, step;

static gboolean
check (const char *description, gboolean ok, const char *detail)
{
  step++;
  passed += ok ? 1 : 0;
  g_print ("%s check %u: %s%s%s%s\n", ok ? "✓" : "✗", step, description, detail ? " (" : "",
           detail ? detail : "", detail ? ")" : "");
  return ok;
}

static const char *
env_or (const char *name, const char *fallback)
{
  const char *value = g_getenv (name);

  return value && *value ? value : fallback;
}

/* GET http://ENDPOINT/PATH with HTTP/1.0, read to the end: the status and
 * the body; 0 with @error set if it failed. */
static guint
http_get (const char *endpoint, const char *path, char **body, GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GOutputStream) reply = g_memory_output_stream_new_resizable ();
  g_autofree char *request
      = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, endpoint);
  const char *text, *end;
  guint       status = 0;

  g_socket_client_set_timeout (client, 30);
  if ((conn = g_socket_client_connect_to_host (client, endpoint, 80, NULL, error)) == NULL
      || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                     strlen (request), NULL, NULL, error)
      || g_output_stream_splice (reply, g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error)
             < 0
      || !g_output_stream_write_all (reply, "", 1, NULL, NULL, error)) /* a NUL at the end */
    return 0;
  text = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (reply));
  if (sscanf (text, "HTTP/1.%*d %u", &status) != 1 || (end = strstr (text, "\r\n\r\n")) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s%s: not an HTTP answer", endpoint,
                   path);
      return 0;
    }
  *body = g_strdup (end + 4);
  return status;
}

/* Runs podman here; its standard output, or NULL with @error set. */
static char *
podman (GError **error, ...)
{
  g_autoptr (HeroVirtLocalExecutor) local = hero_virt_local_executor_new ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *arg;
  va_list     args;

  g_ptr_array_add (argv, (char *)env_or ("HERO_VIRT_EXAMPLE_PODMAN", "podman"));
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  result = hero_virt_executor_run_argv (HERO_VIRT_EXECUTOR (local),
                                        (const char *const *)argv->pdata, NULL, error);
  if (result == NULL)
    return NULL;
  if (hero_virt_command_result_get_exit_status (result) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "%s: %s",
                   hero_virt_command_result_get_command_line (result),
                   g_strstrip (g_strdup (hero_virt_command_result_get_stderr_text (result))));
      return NULL;
    }
  return g_strdup (hero_virt_command_result_get_stdout_text (result));
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *namespace = g_strdup_printf ("hv-build-%06x", g_random_int_range (0, 0xffffff));
  const char *registry_image
      = env_or ("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE", "docker.io/library/registry:2");
  const char *buildah_image
      = env_or ("HERO_VIRT_EXAMPLE_BUILDAH_IMAGE", "quay.io/buildah/stable:latest");
  const char *base_image
      = env_or ("HERO_VIRT_EXAMPLE_BASE_IMAGE", "docker.io/library/alpine:latest");
  const char *node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", NULL);
  const char *cmd[] = { "cat", "/hello.txt", NULL };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtRegistryDeployer) registry = NULL;
  g_autoptr (HeroVirtBuildMachine) bm = NULL;
  g_autoptr (HeroVirtBuilder) builder = NULL;
  g_autofree char *inside = NULL;  /* the registry as the pods reach it */
  g_autofree char *outside = NULL; /* the image as this host pulls it */
  gboolean         pulled = FALSE;
  gboolean         ok;

  setlocale (LC_ALL, ""); /* g_print() writes ✓ in the locale's charset */
  km = hero_virt_kubernetes_manager_new (namespace, &error);
  if (km == NULL || !hero_virt_kubernetes_manager_namespace_create (km, namespace, NULL, &error))
    {
      g_printerr ("error: %s\n", error->message);
      return 1;
    }
  g_print ("Working in namespace %s\n", namespace);

  /* 1: the registry, reached from here on its node port */
  registry = hero_virt_registry_deployer_new (km, "registry");
  hero_virt_registry_deployer_endpoint_host (
      hero_virt_registry_deployer_image (registry, registry_image), node_host);
  ok = hero_virt_registry_deployer_deploy (registry, 180000, NULL, &error);
  if (!check ("registry deployed and answering /v2/", ok,
              ok ? hero_virt_registry_deployer_get_endpoint (registry) : error->message))
    goto cleanup;
  inside = g_strdup_printf ("registry.%s.svc:5000", namespace);
  outside = g_strdup_printf ("%s/hero-virt-example/hello:1",
                             hero_virt_registry_deployer_get_endpoint (registry));

  /* 2: the build machine: a privileged buildah pod */
  bm = hero_virt_build_machine_new (km, "builder");
  hero_virt_build_machine_tls_verify (
      hero_virt_build_machine_registry (hero_virt_build_machine_image (bm, buildah_image), inside),
      FALSE);
  if (hero_virt_build_machine_start (bm, 300000, NULL, &error))
    {
      const char *argv[] = { "buildah", "--version", NULL };
      g_autoptr (HeroVirtCommandResult) version = hero_virt_executor_run_argv (
          HERO_VIRT_EXECUTOR (hero_virt_build_machine_get_executor (bm)), argv, NULL, &error);
      g_autofree char *text
          = version ? g_strstrip (g_strdup (hero_virt_command_result_get_stdout_text (version)))
                    : NULL;

      if (!check ("build machine running (buildah in the pod)",
                  version && hero_virt_command_result_get_exit_status (version) == 0,
                  text ? text : error->message))
        goto cleanup;
    }
  else if (!check ("build machine running", FALSE, error->message))
    goto cleanup;

  /* 3-4: a working container from the base image, one step, committed */
  builder = hero_virt_build_machine_new_builder (bm, "hello", base_image, &error);
  ok = builder && hero_virt_builder_open (builder, NULL, &error);
  if (!check ("working container from the base image", ok, ok ? base_image : error->message))
    goto cleanup;
  hero_virt_builder_set_cmd (builder, cmd);
  hero_virt_builder_set_label (builder, "org.hero-virt.example", "kube-registry-build");
  {
    g_autofree char *image_id = NULL;

    if (hero_virt_builder_run (builder, "echo '" GREETING "' > /hello.txt", NULL, &error)
        && hero_virt_builder_commit (builder, "localhost/hero-virt-example/hello:1", NULL, &error))
      image_id = hero_virt_builder_dup_image_id (builder);
    if (!check ("image built and committed in the pod", image_id != NULL,
                error ? error->message : image_id))
      goto cleanup;
  }

  /* 5: pushed from the pod to the registry's in-cluster address */
  {
    g_autofree char *pushed = hero_virt_build_machine_push (
        bm, "localhost/hero-virt-example/hello:1", "hero-virt-example/hello:1", NULL, &error);

    if (!check ("pushed to the registry from inside the cluster", pushed != NULL,
                pushed ? pushed : error->message))
      goto cleanup;
  }

  /* 6: the registry has it, seen from here */
  {
    g_autofree char *body = NULL;
    guint            status = http_get (hero_virt_registry_deployer_get_endpoint (registry),
                                        "/v2/hero-virt-example/hello/tags/list", &body, &error);

    check ("the registry lists hero-virt-example/hello:1",
           status == 200 && strstr (body, "\"1\"") != NULL,
           status ? g_strstrip (body) : error->message);
    g_clear_error (&error);
  }

  /* 7-8: pulled back here through the node port and run with podman */
  {
    g_autofree char *id = podman (&error, "pull", "-q", "--tls-verify=false", outside, NULL);

    pulled = id != NULL;
    if (!check ("pulled back on this host with podman", pulled, pulled ? outside : error->message))
      goto cleanup;
  }
  {
    g_autofree char *out = podman (&error, "run", "--rm", outside, NULL);

    check ("podman runs it: it prints what the build wrote",
           out && g_strcmp0 (g_strstrip (out), GREETING) == 0, out ? out : error->message);
  }

cleanup:
  g_clear_error (&error);
  g_print ("Cleaning up\n");
  if (pulled)
    g_free (podman (NULL, "rmi", outside, NULL));
  if (builder)
    hero_virt_builder_remove (builder, NULL, NULL);
  if (bm && !hero_virt_build_machine_stop (bm, NULL, &error))
    {
      g_printerr ("warning: %s\n", error->message);
      g_clear_error (&error);
    }
  if (!hero_virt_registry_deployer_remove (registry, NULL, &error))
    {
      g_printerr ("warning: %s\n", error->message);
      g_clear_error (&error);
    }
  {
    g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
    g_autoptr (JsonNode) deleted = NULL;

    if (hero_virt_kubernetes_manager_namespace_delete (km, namespace, NULL, &error))
      deleted = hero_virt_kubernetes_manager_wait_for (km, kind, namespace, "deleted", 180000, NULL,
                                                       &error);
    if (deleted == NULL)
      g_printerr ("warning: namespace %s: %s\n", namespace, error->message);
  }
  g_print ("%u/%u checks passed\n", passed, N_CHECKS);
  return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
