/* cli-kube-apps.c: hero-virt kube registry deploy|remove and
 * kube devmachine create|ssh|remove, the in-cluster applications
 * (HeroVirt.RegistryDeployer, HeroVirt.DevelopmentMachine); cli-kube.c
 * lists the hv_cli_kube_apps_commands table after its own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli-common.h"
#include "cli-kube.h"

static gboolean
parse_timeout (const char *text, guint *out_ms, GError **error)
{
  if (text == NULL)
    {
      *out_ms = 120000;
      return TRUE;
    }
  return hv_cli_kube_parse_duration (text, out_ms, error);
}

static gboolean
check_port (int port, GError **error)
{
  if (port == 0 || (port >= 30000 && port <= 32767))
    return TRUE;
  g_autofree char *text = g_strdup_printf ("%d", port);

  return hero_virt_set_invalid_argument (error, "node port", text,
                                         "a node port is between 30000 and 32767");
}

/* ---- registry ------------------------------------------------------------- */

static int
cmd_registry_deploy (int argc, char **argv)
{
  g_autofree char   *image = NULL, *pvc = NULL, *user = NULL, *password_file = NULL;
  g_autofree char   *tls_secret = NULL, *host = NULL, *timeout = NULL;
  int                node_port = 0;
  gboolean           cluster_ip = FALSE;
  const GOptionEntry entries[]
      = { { "image", 0, 0, G_OPTION_ARG_STRING, &image, "The registry image", "IMAGE" },
          { "node-port", 0, 0, G_OPTION_ARG_INT, &node_port, "The node port (30000-32767)", "N" },
          { "cluster-ip", 0, 0, G_OPTION_ARG_NONE, &cluster_ip, "A ClusterIP service only", NULL },
          { "pvc", 0, 0, G_OPTION_ARG_STRING, &pvc, "Store images on this claim", "CLAIM" },
          { "auth", 0, 0, G_OPTION_ARG_STRING, &user, "Require basic auth for USER", "USER" },
          { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
            "USER's password (first line); without it one is generated and written here "
            "(0600)",
            "FILE" },
          { "tls-secret", 0, 0, G_OPTION_ARG_STRING, &tls_secret, "Serve TLS from this Secret",
            "NAME" },
          { "endpoint-host", 0, 0, G_OPTION_ARG_STRING, &host, "The host clients use", "HOST" },
          { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, "How long to wait (default 2m)", "D" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtRegistryDeployer) reg = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean         generate = FALSE;
  guint            timeout_ms;
  int              status;

  if (!hv_cli_kube_parse_args ("kube registry deploy", "NAME",
                               "Deploys a container registry (a pod and its service) and waits "
                               "until /v2/ answers.",
                               entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1035_label (argv[1], &error) || !check_port (node_port, &error)
      || !parse_timeout (timeout, &timeout_ms, &error))
    return hv_cli_report_error (error);
  if (password_file != NULL && user == NULL)
    return hv_cli_usage_error ("kube registry deploy", "--password-file needs --auth USER");
  if (user != NULL && password_file == NULL)
    return hv_cli_usage_error ("kube registry deploy",
                               "--auth needs --password-file (the password never goes on the "
                               "command line)");
  if (password_file != NULL)
    {
      if (g_file_test (password_file, G_FILE_TEST_EXISTS))
        {
          if (!g_file_get_contents (password_file, &password, NULL, &error))
            return hv_cli_report_error (error);
          password[strcspn (password, "\r\n")] = '\0';
          if (*password == '\0')
            g_clear_pointer (&password, g_free);
        }
      generate = password == NULL;
    }
  if ((km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  reg = hero_virt_registry_deployer_new (km, argv[1]);
  if (image)
    hero_virt_registry_deployer_image (reg, image);
  if (node_port)
    hero_virt_registry_deployer_node_port (reg, node_port);
  if (cluster_ip)
    hero_virt_registry_deployer_cluster_ip (reg);
  if (pvc)
    hero_virt_registry_deployer_storage_pvc (reg, pvc);
  if (user)
    hero_virt_registry_deployer_auth (reg, user, password);
  if (tls_secret)
    hero_virt_registry_deployer_tls_secret (reg, tls_secret);
  if (host)
    hero_virt_registry_deployer_endpoint_host (reg, host);
  if (!hero_virt_registry_deployer_deploy (reg, timeout_ms, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  if (generate)
    {
      g_autofree char *line
          = g_strconcat (hero_virt_registry_deployer_get_password (reg), "\n", NULL);

      if (!g_file_set_contents_full (password_file, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &error))
        return hv_cli_report_error (error);
    }
  if (hv_cli_kube_get_json ())
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "endpoint");
      json_builder_add_string_value (b, hero_virt_registry_deployer_get_endpoint (reg));
      if (user)
        {
          json_builder_set_member_name (b, "username");
          json_builder_add_string_value (b, user);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
    }
  else
    printf ("%s\n", hero_virt_registry_deployer_get_endpoint (reg));
  return HV_CLI_EXIT_OK;
}

static int
cmd_registry_remove (int argc, char **argv)
{
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtRegistryDeployer) reg = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_kube_parse_args ("kube registry remove", "NAME",
                               "Removes a registry that registry deploy made (its stored images "
                               "go with an emptyDir).",
                               NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1035_label (argv[1], &error)
      || (km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  reg = hero_virt_registry_deployer_new (km, argv[1]);
  if (!hero_virt_registry_deployer_remove (reg, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand registry_commands[]
    = { { "deploy", "NAME [--node-port N] [--auth U --password-file F]",
          "Deploy a registry and wait for it", cmd_registry_deploy },
        { "remove", "NAME", "Remove a registry", cmd_registry_remove },
        { NULL } };

static int
cmd_registry (int argc, char **argv)
{
  return hv_cli_dispatch ("kube registry", registry_commands, argc, argv);
}

/* ---- devmachine ----------------------------------------------------------- */

static int
cmd_devmachine_create (int argc, char **argv)
{
  g_autofree char   *image = NULL, *user = NULL, *key_file = NULL, *host = NULL, *timeout = NULL;
  int                node_port = 0;
  const GOptionEntry entries[]
      = { { "image", 0, 0, G_OPTION_ARG_STRING, &image, "An image with sshd", "IMAGE" },
          { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The login user (default root)", "USER" },
          { "authorized-key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
            "The public key to let in (default ~/.ssh/id_ed25519.pub)", "FILE" },
          { "node-port", 0, 0, G_OPTION_ARG_INT, &node_port, "The node port (30000-32767)", "N" },
          { "endpoint-host", 0, 0, G_OPTION_ARG_STRING, &host, "The host to SSH to", "HOST" },
          { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, "How long to wait (default 2m)", "D" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtDevelopmentMachine) dev = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  guint            timeout_ms;
  int              status;

  if (!hv_cli_kube_parse_args ("kube devmachine create", "NAME",
                               "Creates an SSH-reachable pod with your public key and waits "
                               "for a login; then use devmachine ssh.",
                               entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1035_label (argv[1], &error) || !check_port (node_port, &error)
      || !parse_timeout (timeout, &timeout_ms, &error))
    return hv_cli_report_error (error);
  if (key_file == NULL)
    key_file = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519.pub", NULL);
  if (!g_file_get_contents (key_file, &key, NULL, &error))
    return hv_cli_report_error (error);
  if ((km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  dev = hero_virt_development_machine_new (km, argv[1]);
  hero_virt_development_machine_authorized_key (dev, key);
  if (image)
    hero_virt_development_machine_image (dev, image);
  if (user)
    hero_virt_development_machine_user (dev, user);
  if (node_port)
    hero_virt_development_machine_node_port (dev, node_port);
  if (host)
    hero_virt_development_machine_endpoint_host (dev, host);
  /* without the private key the login check cannot run here: the
   * machine is ready once its pod is (create waits for both when it can) */
  {
    g_autofree char *private_key
        = g_str_has_suffix (key_file, ".pub") ? g_strndup (key_file, strlen (key_file) - 4) : NULL;

    if (private_key && g_file_test (private_key, G_FILE_TEST_EXISTS))
      hero_virt_development_machine_identity_file (dev, private_key);
  }
  if (!hero_virt_development_machine_create (dev, timeout_ms, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  if (hv_cli_kube_get_json ())
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "host");
      json_builder_add_string_value (b, hero_virt_development_machine_get_host (dev));
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, hero_virt_development_machine_get_port (dev));
      json_builder_set_member_name (b, "host_key");
      json_builder_add_string_value (b, hero_virt_development_machine_get_host_public_key (dev));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
    }
  else
    printf ("%s:%u %s\n", hero_virt_development_machine_get_host (dev),
            hero_virt_development_machine_get_port (dev),
            hero_virt_development_machine_get_host_public_key (dev));
  return HV_CLI_EXIT_OK;
}

static const char *
object_string (JsonNode *node, const char *member, const char *inner)
{
  JsonObject *o = json_node_get_object (node);
  JsonNode   *m = json_object_get_member (o, member);

  if (m == NULL || !JSON_NODE_HOLDS_OBJECT (m))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (m), inner, NULL);
}

/* The node port, node address and host key of a machine devmachine create
 * made, from its Service, Pod, Node and Secret. */
static gboolean
find_machine (HeroVirtKubernetesManager *km,
              const char                *name,
              char                     **host,
              guint                     *port,
              char                     **host_key,
              GError                   **error)
{
  g_autoptr (HeroVirtClusterKind) svc_kind = hero_virt_cluster_kind_lookup ("v1", "Service");
  g_autoptr (HeroVirtClusterKind) pod_kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterKind) node_kind = hero_virt_cluster_kind_lookup ("v1", "Node");
  g_autoptr (HeroVirtClusterKind) secret_kind = hero_virt_cluster_kind_lookup ("v1", "Secret");
  g_autofree char *sname = g_strdup_printf ("%s-ssh", name);
  g_autoptr (JsonNode) svc = NULL, pod = NULL, node = NULL, secret = NULL;
  JsonArray  *ports, *addresses = NULL;
  const char *node_name, *b64;
  JsonObject *data, *status;
  gsize       len;
  guchar     *raw;

  if ((svc
       = hero_virt_kubernetes_manager_get (km, svc_kind, sname, hv_cli_get_cancellable (), error))
          == NULL
      || (pod
          = hero_virt_kubernetes_manager_get (km, pod_kind, name, hv_cli_get_cancellable (), error))
             == NULL
      || (secret = hero_virt_kubernetes_manager_get (km, secret_kind, sname,
                                                     hv_cli_get_cancellable (), error))
             == NULL)
    return FALSE;
  ports = json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (svc), "spec"), "ports");
  *port = ports && json_array_get_length (ports) > 0
              ? (guint)json_object_get_int_member_with_default (
                  json_array_get_object_element (ports, 0), "nodePort", 0)
              : 0;
  data = json_object_get_object_member (json_node_get_object (secret), "data");
  b64 = data ? json_object_get_string_member_with_default (data, "ssh_host_ed25519_key.pub", NULL)
             : NULL;
  node_name = object_string (pod, "spec", "nodeName");
  if (*port == 0 || b64 == NULL || node_name == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "Development machine “%s” has no node port, host key or node yet", name);
      return FALSE;
    }
  raw = g_base64_decode (b64, &len);
  *host_key = g_strstrip (g_strndup ((char *)raw, len));
  g_free (raw);
  if (*host != NULL)
    return TRUE;
  if ((node = hero_virt_kubernetes_manager_get (km, node_kind, node_name, hv_cli_get_cancellable (),
                                                error))
      == NULL)
    return FALSE;
  status = json_object_get_object_member (json_node_get_object (node), "status");
  addresses = status ? json_object_get_array_member (status, "addresses") : NULL;
  for (guint i = 0; addresses && i < json_array_get_length (addresses); i++)
    {
      JsonObject *a = json_array_get_object_element (addresses, i);
      const char *type = json_object_get_string_member_with_default (a, "type", "");

      if (g_str_equal (type, "ExternalIP") || (g_str_equal (type, "InternalIP") && !*host))
        {
          g_free (*host);
          *host = g_strdup (json_object_get_string_member_with_default (a, "address", ""));
          if (g_str_equal (type, "ExternalIP"))
            break;
        }
    }
  if (*host == NULL || **host == '\0')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "Node %s has no address",
                   node_name);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_devmachine_ssh (int argc, char **argv)
{
  g_autofree char   *user = NULL, *identity = NULL, *host = NULL;
  const GOptionEntry entries[]
      = { { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The login user (default root)", "USER" },
          { "identity", 'i', 0, G_OPTION_ARG_FILENAME, &identity, "The private key", "FILE" },
          { "endpoint-host", 0, 0, G_OPTION_ARG_STRING, &host, "The host to SSH to", "HOST" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *host_key = NULL, *dir = NULL, *known = NULL, *line = NULL;
  g_autofree char *ssh = NULL;
  guint            port = 0;
  int              status, wait_status = 0;

  if (!hv_cli_kube_parse_args ("kube devmachine ssh", "NAME [-- COMMAND…]",
                               "Logs in to a development machine with ssh, checking the host key "
                               "it was created with.",
                               entries, &argc, &argv, 1, G_MAXINT, &status))
    return status;
  if (!hero_virt_kube_validate_dns1035_label (argv[1], &error))
    return hv_cli_report_error (error);
  if ((ssh = g_find_program_in_path ("ssh")) == NULL)
    {
      g_set_error (&error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "ssh is not installed (openssh-client)");
      return hv_cli_report_error (error);
    }
  if ((km = hv_cli_kube_manager (&error)) == NULL
      || !find_machine (km, argv[1], &host, &port, &host_key, &error))
    return hv_cli_report_error (error);
  {
    g_auto (GStrv) parts = g_strsplit (host_key, " ", 3);

    if (g_strv_length (parts) < 2)
      {
        g_set_error (&error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                     "Development machine “%s”: its host key is not an OpenSSH public key",
                     argv[1]);
        return hv_cli_report_error (error);
      }
    line = g_strdup_printf ("[%s]:%u %s %s\n", host, port, parts[0], parts[1]);
  }
  if ((dir = g_dir_make_tmp ("hero-virt-devmachine-ssh-XXXXXX", &error)) == NULL)
    return hv_cli_report_error (error);
  known = g_build_filename (dir, "known_hosts", NULL);
  if (!g_file_set_contents_full (known, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_rmdir (dir);
      return hv_cli_report_error (error);
    }
  g_ptr_array_add (args, g_strdup (ssh));
  g_ptr_array_add (args, g_strdup_printf ("-oUserKnownHostsFile=%s", known));
  g_ptr_array_add (args, g_strdup ("-oStrictHostKeyChecking=yes"));
  g_ptr_array_add (args, g_strdup ("-oHostKeyAlgorithms=ssh-ed25519"));
  g_ptr_array_add (args, g_strdup_printf ("-p%u", port));
  if (identity)
    {
      g_ptr_array_add (args, g_strdup ("-i"));
      g_ptr_array_add (args, g_strdup (identity));
    }
  g_ptr_array_add (args, g_strdup ("-l"));
  g_ptr_array_add (args, g_strdup (user ? user : "root"));
  g_ptr_array_add (args, g_strdup ("--"));
  g_ptr_array_add (args, g_strdup (host));
  for (int i = 2; i < argc; i++)
    g_ptr_array_add (args, g_strdup (argv[i]));
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **)args->pdata, NULL,
                     G_SPAWN_CHILD_INHERITS_STDIN | G_SPAWN_SEARCH_PATH_FROM_ENVP, NULL, NULL, NULL,
                     NULL, &wait_status, &error))
    wait_status = -1;
  g_unlink (known);
  g_rmdir (dir);
  if (wait_status == -1)
    return hv_cli_report_error (error);
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  return HV_CLI_EXIT_FAILURE;
}

static int
cmd_devmachine_remove (int argc, char **argv)
{
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtDevelopmentMachine) dev = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_kube_parse_args ("kube devmachine remove", "NAME",
                               "Removes a development machine (its pod, service and key secret).",
                               NULL, &argc, &argv, 1, 1, &status))
    return status;
  if (!hero_virt_kube_validate_dns1035_label (argv[1], &error)
      || (km = hv_cli_kube_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  dev = hero_virt_development_machine_new (km, argv[1]);
  if (!hero_virt_development_machine_remove (dev, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand devmachine_commands[]
    = { { "create", "NAME [--authorized-key-file F] [--node-port N]",
          "Create an SSH-reachable pod and wait for it", cmd_devmachine_create },
        { "ssh", "NAME [-i KEY] [-- COMMAND…]", "Log in with ssh (host key checked)",
          cmd_devmachine_ssh },
        { "remove", "NAME", "Remove a development machine", cmd_devmachine_remove },
        { NULL } };

static int
cmd_devmachine (int argc, char **argv)
{
  return hv_cli_dispatch ("kube devmachine", devmachine_commands, argc, argv);
}

const HvCliCommand hv_cli_kube_apps_commands[]
    = { { "registry", "deploy|remove NAME", "Deploy or remove a container registry", cmd_registry },
        { "devmachine", "create|ssh|remove NAME", "SSH-reachable development pods",
          cmd_devmachine },
        { NULL } };
