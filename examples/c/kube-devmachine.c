/* kube-devmachine.c: a pod a developer reaches over SSH, with
 * HeroVirt.DevelopmentMachine, in 6 checks: an sshd pod whose host key and
 * authorized_keys HeroVirt generated and put in a Secret, a NodePort
 * service to its port 22, `uname -a` over SSH with the host key checked.
 * It makes its own namespace and removes it at the end, whatever happens.
 *
 *   cc kube-devmachine.c $(pkg-config --cflags --libs hero-virt-1) \
 *      -o kube-devmachine
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
 * Needs ssh and ssh-keygen here (openssh-client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <locale.h>
#include <string.h>

#define N_CHECKS 6
#define NAME "devbox"

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

/* Runs argv over SSH in the machine: its standard output, stripped, or
 * NULL with @error set. */
static char *
ssh_run (HeroVirtDevelopmentMachine *dev, const char *const *argv, GError **error)
{
  HeroVirtSshExecutor *ssh = hero_virt_development_machine_get_executor (dev);
  g_autoptr (HeroVirtCommandResult) result
      = hero_virt_executor_run_argv (HERO_VIRT_EXECUTOR (ssh), argv, NULL, error);

  if (result == NULL)
    return NULL;
  if (hero_virt_command_result_get_exit_status (result) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "%s: exit status %d: %s",
                   argv[0], hero_virt_command_result_get_exit_status (result),
                   hero_virt_command_result_get_stderr_text (result));
      return NULL;
    }
  return g_strstrip (g_strdup (hero_virt_command_result_get_stdout_text (result)));
}

static gboolean
gone (HeroVirtKubernetesManager *km, const char *kind, const char *name)
{
  g_autoptr (HeroVirtClusterKind) k = hero_virt_cluster_kind_lookup ("v1", kind);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = hero_virt_kubernetes_manager_get (km, k, name, NULL, &error);

  /* gone, or (a pod on a real cluster) terminating */
  return node == NULL ? g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND)
                      : json_object_has_member (
                          json_object_get_object_member (json_node_get_object (node), "metadata"),
                          "deletionTimestamp");
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *namespace = g_strdup_printf ("hv-devel-%06x", g_random_int_range (0, 0xffffff));
  const char *image = env_or ("HERO_VIRT_EXAMPLE_SSHD_IMAGE", "localhost/hero-virt-test/sshd:1");
  const char *node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", NULL);
  gboolean    forward = g_strcmp0 (g_getenv ("HERO_VIRT_EXAMPLE_PORT_FORWARD"), "1") == 0;
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtDevelopmentMachine) dev = NULL;

  setlocale (LC_ALL, ""); /* g_print() writes ✓ in the locale's charset */
  km = hero_virt_kubernetes_manager_new (namespace, &error);
  if (km == NULL || !hero_virt_kubernetes_manager_namespace_create (km, namespace, NULL, &error))
    {
      g_printerr ("error: %s\n", error->message);
      return 1;
    }
  g_print ("Working in namespace %s, sshd image %s\n", namespace, image);

  /* 1: the machine: a Secret with the keys, the sshd pod, a way to port 22 */
  dev = hero_virt_development_machine_new (km, NAME);
  hero_virt_development_machine_image (dev, image);
  if (forward)
    hero_virt_development_machine_port_forward (dev);
  else
    hero_virt_development_machine_endpoint_host (dev, node_host);
  {
    gboolean         created = hero_virt_development_machine_create (dev, 180000, NULL, &error);
    g_autofree char *where
        = created
              ? g_strdup_printf ("%s:%u through a %s", hero_virt_development_machine_get_host (dev),
                                 hero_virt_development_machine_get_port (dev),
                                 forward ? "port forward" : "node port")
              : NULL;

    if (!check ("development machine created", created, created ? where : error->message))
      goto cleanup;
  }

  /* 2: its host key is known before the first login: HeroVirt made it */
  {
    const char *key = hero_virt_development_machine_get_host_public_key (dev);

    check ("its host key is known before the first login", key && g_str_has_prefix (key, "ssh-"),
           key);
  }

  /* 3-4: logged in over SSH, in the pod */
  {
    const char      *uname[] = { "uname", "-a", NULL };
    g_autofree char *out = ssh_run (dev, uname, &error);

    if (!check ("`uname -a` over SSH", out && g_str_has_prefix (out, "Linux "),
                out ? out : error->message))
      goto cleanup;
  }
  {
    const char      *hostname[] = { "hostname", NULL };
    g_autofree char *out = ssh_run (dev, hostname, &error);

    check ("the login is in the pod: its hostname is the pod's name", g_strcmp0 (out, NAME) == 0,
           out ? out : error->message);
    g_clear_error (&error);
  }

cleanup:
  g_clear_error (&error);
  /* 5: removed: the pod, the Secret and the Service */
  {
    gboolean removed = hero_virt_development_machine_remove (dev, NULL, &error);

    check ("development machine removed: pod, Secret and Service gone",
           removed && gone (km, "Pod", NAME) && gone (km, "Secret", NAME "-ssh")
               && gone (km, "Service", NAME "-ssh"),
           removed ? NULL : error->message);
  }
  g_clear_error (&error);
  /* 6: the namespace goes, with everything still in it */
  {
    g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
    g_autoptr (JsonNode) deleted = NULL;

    if (hero_virt_kubernetes_manager_namespace_delete (km, namespace, NULL, &error))
      deleted = hero_virt_kubernetes_manager_wait_for (km, kind, namespace, "deleted", 180000, NULL,
                                                       &error);
    check ("namespace deleted", deleted != NULL, error ? error->message : namespace);
  }
  g_print ("%u/%u checks passed\n", passed, N_CHECKS);
  return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
