/* kube-registry-deployment.c: a container registry in the cluster with
 * HeroVirt.RegistryDeployer, after the original's 02_registry_deployment:
 * one without authentication and one with htpasswd, in 10 checks. It makes
 * its own namespace and removes it at the end, whatever happens.
 *
 *   cc kube-registry-deployment.c $(pkg-config --cflags --libs hero-virt-1) \
 *      -o kube-registry-deployment
 *   KUBECONFIG=~/.kube/config ./kube-registry-deployment
 *
 * Settings from the environment:
 *   KUBECONFIG                        the cluster (else ~/.kube/config, else in-cluster)
 *   HERO_VIRT_EXAMPLE_REGISTRY_IMAGE  a registry:2 compatible image (docker.io/library/registry:2)
 *   HERO_VIRT_EXAMPLE_NODE_HOST       the host the node ports are reached on (default: the
 *                                     address of the node the registry runs on)
 *
 * The registries are reached from here through their NodePort services, with
 * plain HTTP/1.0 requests on GIO sockets. `hero-virt-kube-sim --node-agent
 * podman` gives a cluster to try it on (tests/kube-sim-podman/run-examples.py).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#define N_CHECKS 10

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

/* GET http://ENDPOINT/PATH with HTTP/1.0, read to the end: the status, and
 * the headers and body if asked for; 0 with @error set if it failed. */
static guint
http_get (const char *endpoint,
          const char *path,
          const char *user,
          const char *password,
          char      **headers,
          char      **body,
          GError    **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GOutputStream) reply = g_memory_output_stream_new_resizable ();
  g_autoptr (GString) request = g_string_new (NULL);
  const char *text, *end;
  guint       status = 0;

  g_socket_client_set_timeout (client, 30);
  if ((conn = g_socket_client_connect_to_host (client, endpoint, 80, NULL, error)) == NULL)
    return 0;
  g_string_append_printf (request, "GET %s HTTP/1.0\r\nHost: %s\r\n", path, endpoint);
  if (user != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
      g_autofree char *token = g_base64_encode ((const guchar *)pair, strlen (pair));

      g_string_append_printf (request, "Authorization: Basic %s\r\n", token);
    }
  g_string_append (request, "\r\n");
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request->str,
                                  request->len, NULL, NULL, error)
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
  if (headers != NULL)
    *headers = g_ascii_strdown (text, end - text);
  if (body != NULL)
    *body = g_strdup (end + 4);
  return status;
}

/* The repositories of GET /v2/_catalog, as one string ("" for none). */
static char *
catalog (const char *endpoint, const char *user, const char *password, guint *status)
{
  g_autofree char *body = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *repos = NULL;

  *status = http_get (endpoint, "/v2/_catalog", user, password, NULL, &body, NULL);
  if (*status != 200 || (node = json_from_string (body, NULL)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (node)
      || (repos = json_object_get_array_member (json_node_get_object (node), "repositories"))
             == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (repos); i++)
    g_string_append_printf (names, "%s%s", i ? " " : "", json_array_get_string_element (repos, i));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
not_found (GError *error)
{
  return g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

/* TRUE if the object is gone (or, on a real cluster, going). */
static gboolean
gone (HeroVirtKubernetesManager *km, const char *api_version, const char *kind, const char *name)
{
  g_autoptr (HeroVirtClusterKind) k = hero_virt_cluster_kind_lookup (api_version, kind);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = hero_virt_kubernetes_manager_get (km, k, name, NULL, &error);

  return node == NULL ? not_found (error)
                      : json_object_has_member (
                          json_object_get_object_member (json_node_get_object (node), "metadata"),
                          "deletionTimestamp");
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *namespace
      = g_strdup_printf ("hv-registry-%06x", g_random_int_range (0, 0xffffff));
  const char *image = env_or ("HERO_VIRT_EXAMPLE_REGISTRY_IMAGE", "docker.io/library/registry:2");
  const char *node_host = env_or ("HERO_VIRT_EXAMPLE_NODE_HOST", NULL);
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtRegistryDeployer) plain = NULL;
  g_autoptr (HeroVirtRegistryDeployer) authed = NULL;
  gboolean plain_up = FALSE, authed_up = FALSE;

  setlocale (LC_ALL, ""); /* g_print() writes ✓ in the locale's charset */
  km = hero_virt_kubernetes_manager_new (namespace, &error);
  if (km == NULL || !hero_virt_kubernetes_manager_namespace_create (km, namespace, NULL, &error))
    {
      g_printerr ("error: %s\n", error->message);
      return 1;
    }
  g_print ("Working in namespace %s, registry image %s\n", namespace, image);

  /* 1-3: a registry without authentication */
  plain = hero_virt_registry_deployer_new (km, "registry");
  hero_virt_registry_deployer_endpoint_host (hero_virt_registry_deployer_image (plain, image),
                                             node_host);
  plain_up = hero_virt_registry_deployer_deploy (plain, 180000, NULL, &error);
  {
    g_autoptr (JsonNode) deployment
        = plain_up ? hero_virt_kubernetes_manager_deployment_get (km, "registry", NULL, NULL)
                   : NULL;
    g_autoptr (JsonNode) service
        = plain_up ? hero_virt_kubernetes_manager_service_get (km, "registry", NULL, NULL) : NULL;
    JsonObject *spec
        = service ? json_object_get_object_member (json_node_get_object (service), "spec") : NULL;

    if (!check ("registry deployed: a Deployment and a NodePort Service",
                deployment && spec
                    && g_strcmp0 (json_object_get_string_member (spec, "type"), "NodePort") == 0,
                plain_up ? hero_virt_registry_deployer_get_endpoint (plain) : error->message))
      goto cleanup;
  }
  {
    g_autofree char *headers = NULL;
    guint status = http_get (hero_virt_registry_deployer_get_endpoint (plain), "/v2/", NULL, NULL,
                             &headers, NULL, &error);
    g_autofree char *detail = g_strdup_printf ("HTTP %u", status);

    check ("it answers /v2/ as a registry (HTTP 200, Docker-Distribution-Api-Version)",
           status == 200 && strstr (headers, "docker-distribution-api-version: registry/2.0"),
           status ? detail : error->message);
    g_clear_error (&error);
  }
  {
    guint            status;
    g_autofree char *repos
        = catalog (hero_virt_registry_deployer_get_endpoint (plain), NULL, NULL, &status);

    check ("its catalog is empty", repos && *repos == '\0', repos && *repos ? repos : NULL);
  }

  /* 4-8: a registry with htpasswd authentication and a generated password */
  authed = hero_virt_registry_deployer_new (km, "registry-auth");
  hero_virt_registry_deployer_endpoint_host (hero_virt_registry_deployer_image (authed, image),
                                             node_host);
  hero_virt_registry_deployer_auth (authed, "builder", NULL);
  authed_up = hero_virt_registry_deployer_deploy (authed, 180000, NULL, &error);
  {
    g_autoptr (JsonNode) secret
        = authed_up
              ? hero_virt_kubernetes_manager_secret_get (km, "registry-auth-htpasswd", NULL, NULL)
              : NULL;
    JsonObject *data
        = secret ? json_object_get_object_member (json_node_get_object (secret), "data") : NULL;
    const char      *encoded = data && json_object_has_member (data, "htpasswd")
                                   ? json_object_get_string_member (data, "htpasswd")
                                   : NULL;
    gsize            len = 0;
    g_autofree char *entry = encoded ? (char *)g_base64_decode (encoded, &len) : NULL;
    const char      *password = hero_virt_registry_deployer_get_password (authed);

    if (!check ("registry with htpasswd deployed: user builder, a generated password, "
                "only its bcrypt hash in the Secret",
                authed_up
                    && g_strcmp0 (hero_virt_registry_deployer_get_username (authed), "builder") == 0
                    && password && strlen (password) >= 16 && entry
                    && g_str_has_prefix (entry, "builder:$2") && !strstr (entry, password),
                authed_up ? hero_virt_registry_deployer_get_endpoint (authed) : error->message))
      goto cleanup;
  }
  {
    const char      *endpoint = hero_virt_registry_deployer_get_endpoint (authed);
    const char      *password = hero_virt_registry_deployer_get_password (authed);
    g_autofree char *headers = NULL;
    guint            anonymous = http_get (endpoint, "/v2/", NULL, NULL, &headers, NULL, NULL);
    guint            wrong = http_get (endpoint, "/v2/", "builder", "wrong", NULL, NULL, NULL);
    guint            right = http_get (endpoint, "/v2/", "builder", password, NULL, NULL, NULL);
    guint            status;
    g_autofree char *repos = catalog (endpoint, "builder", password, &status);

    check ("without credentials /v2/ is 401 with a Basic challenge",
           anonymous == 401 && headers && strstr (headers, "www-authenticate: basic"), NULL);
    check ("a wrong password is 401", wrong == 401, NULL);
    check ("the credentials it returned are 200", right == 200, NULL);
    check ("its catalog with the credentials: empty", repos && *repos == '\0',
           repos && *repos ? repos : NULL);
  }

cleanup:
  /* 9: both removed, nothing of them left */
  {
    gboolean removed = TRUE;

    removed &= hero_virt_registry_deployer_remove (plain, NULL, NULL);
    if (authed)
      removed &= hero_virt_registry_deployer_remove (authed, NULL, NULL);
    removed = removed && gone (km, "apps/v1", "Deployment", "registry")
              && gone (km, "v1", "Service", "registry")
              && gone (km, "apps/v1", "Deployment", "registry-auth")
              && gone (km, "v1", "Service", "registry-auth")
              && gone (km, "v1", "Secret", "registry-auth-htpasswd");
    check ("both registries removed: deployments, services and the htpasswd Secret gone", removed,
           NULL);
  }
  g_clear_error (&error);
  /* 10: the namespace goes, with everything still in it */
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
