/* kube-basic.c: Kubernetes basics, after the original's 01_basic_operations:
 * pods, services, config maps, secrets and namespaces in 14 checks. It makes
 * its own namespace and removes it at the end, whatever happens.
 *
 *   cc kube-basic.c $(pkg-config --cflags --libs hero-virt-1) -o kube-basic
 *   KUBECONFIG=~/.kube/config ./kube-basic
 *
 * It talks to the cluster of the kubeconfig's current context through the
 * k8s plugin; no kubectl is needed. `hero-virt-kube-sim --kubeconfig FILE`
 * gives a cluster to try it on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <stdlib.h>
#include <string.h>

#define N_CHECKS 14

static guint passed, step;

static void
check (const char *description, gboolean ok, const char *detail)
{
  step++;
  passed += ok ? 1 : 0;
  g_print ("[%2u/%u] %s %s%s%s%s\n", step, N_CHECKS, ok ? "ok  " : "FAIL", description,
           detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
}

static gboolean
in_list (JsonNode *list, const char *name)
{
  g_autoptr (GPtrArray) items = list ? hero_virt_kube_list_get_items (list) : NULL;

  for (guint i = 0; items != NULL && i < items->len; i++)
    if (g_strcmp0 (hero_virt_kube_resource_get_name (items->pdata[i]), name) == 0)
      return TRUE;
  return FALSE;
}

/* A string member under a path of objects: member (node, "data", "mode", NULL). */
static const char *
member (JsonNode *node, ...)
{
  va_list     args;
  const char *key;
  JsonNode   *at = node;

  va_start (args, node);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      if (at == NULL || !JSON_NODE_HOLDS_OBJECT (at))
        {
          at = NULL;
          break;
        }
      at = json_object_get_member (json_node_get_object (at), key);
    }
  va_end (args);
  return at && JSON_NODE_HOLDS_VALUE (at) && json_node_get_value_type (at) == G_TYPE_STRING
             ? json_node_get_string (at)
             : NULL;
}

static JsonObject *
first_port (JsonNode *service)
{
  JsonObject *spec = json_object_get_object_member (json_node_get_object (service), "spec");
  JsonArray  *ports = spec ? json_object_get_array_member (spec, "ports") : NULL;

  return ports && json_array_get_length (ports) > 0 ? json_array_get_object_element (ports, 0)
                                                    : NULL;
}

#define LIST(call) g_autoptr (JsonNode) call

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *namespace = g_strdup_printf ("hv-basic-%06x", g_random_int_range (0, 0xffffff));
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  const char *config[] = { "mode=fast", "level=3", NULL };
  const char *secret_data[] = { "password=s3cr3t", NULL };
  const char *labels[] = { "app=example", NULL };
  const char *env[] = { "MODE=demo", NULL };
  const char *expected[] = { "configmaps/example-config", "pods/example-pod",
                             "secrets/example-secret", "services/example-svc", NULL };

  km = hero_virt_kubernetes_manager_new (namespace, &error);
  if (km == NULL)
    {
      g_printerr ("error: %s\n", error->message);
      return 1;
    }
  g_print ("Working in namespace %s\n", namespace);

  /* 1-3: the cluster and a namespace of our own */
  {
    g_autoptr (JsonNode) list = hero_virt_kubernetes_manager_namespaces_list (km, NULL, &error);

    check ("the cluster answers", in_list (list, "default"), error ? error->message : NULL);
    if (list == NULL)
      goto cleanup;
  }
  if (!hero_virt_kubernetes_manager_namespace_create (km, namespace, NULL, &error))
    goto failed;
  check ("namespace created",
         hero_virt_kubernetes_manager_namespace_exists (km, namespace, NULL, NULL), namespace);
  check ("creating it again is no error (idempotent)",
         hero_virt_kubernetes_manager_namespace_create (km, namespace, NULL, NULL), NULL);

  /* 4-7: one object of each kind, read back */
  {
    g_autoptr (JsonNode) created = hero_virt_kubernetes_manager_configmap_create (
        km, "example-config", config, NULL, &error);
    g_autoptr (JsonNode) cm = NULL;

    if (created == NULL
        || (cm = hero_virt_kubernetes_manager_configmap_get (km, "example-config", NULL, &error))
               == NULL)
      goto failed;
    check ("config map created and read back",
           g_strcmp0 (member (cm, "data", "mode", NULL), "fast") == 0
               && g_strcmp0 (member (cm, "data", "level", NULL), "3") == 0,
           NULL);
  }
  {
    g_autoptr (JsonNode) created = hero_virt_kubernetes_manager_secret_create (
        km, "example-secret", secret_data, NULL, NULL, &error);
    g_autoptr (JsonNode) secret = NULL;
    const char      *encoded;
    g_autofree char *decoded = NULL;
    gsize            len = 0;

    if (created == NULL
        || (secret = hero_virt_kubernetes_manager_secret_get (km, "example-secret", NULL, &error))
               == NULL)
      goto failed;
    encoded = member (secret, "data", "password", NULL);
    decoded = encoded ? (char *)g_base64_decode (encoded, &len) : NULL;
    check ("secret created, its value base64-encoded",
           decoded && len == 6 && memcmp (decoded, "s3cr3t", 6) == 0
               && g_strcmp0 (member (secret, "type", NULL), "Opaque") == 0,
           NULL);
  }
  {
    g_autoptr (JsonNode) created = hero_virt_kubernetes_manager_pod_create (
        km, "example-pod", "nginx:1.25-alpine", labels, env, NULL, &error);
    g_autoptr (JsonNode) pod = NULL;

    if (created == NULL
        || (pod = hero_virt_kubernetes_manager_pod_get (km, "example-pod", NULL, &error)) == NULL)
      goto failed;
    check ("pod created with its labels",
           g_strcmp0 (hero_virt_kube_resource_get_label (pod, "app"), "example") == 0, NULL);
  }
  {
    g_autoptr (JsonNode) created = hero_virt_kubernetes_manager_service_create (
        km, "example-svc", labels, 80, 8080, NULL, &error);
    g_autoptr (JsonNode) svc = NULL;
    JsonObject *port;

    if (created == NULL
        || (svc = hero_virt_kubernetes_manager_service_get (km, "example-svc", NULL, &error))
               == NULL)
      goto failed;
    port = first_port (svc);
    check ("service created on port 80 -> 8080",
           port && json_object_get_int_member (port, "port") == 80
               && json_object_get_int_member (port, "targetPort") == 8080,
           NULL);
  }

  /* 8-9: lists and counts */
  {
    LIST (pods) = hero_virt_kubernetes_manager_pods_list (km, NULL, NULL);
    LIST (svcs) = hero_virt_kubernetes_manager_services_list (km, NULL, NULL);
    LIST (cms) = hero_virt_kubernetes_manager_configmaps_list (km, NULL, NULL);
    LIST (secrets) = hero_virt_kubernetes_manager_secrets_list (km, NULL, NULL);

    check ("each object is in its list",
           in_list (pods, "example-pod") && in_list (svcs, "example-svc")
               && in_list (cms, "example-config") && in_list (secrets, "example-secret"),
           NULL);
  }
  {
    g_autoptr (GHashTable) counts = hero_virt_kubernetes_manager_resource_counts (km, NULL, &error);
    g_autofree char *detail = NULL;

    if (counts == NULL)
      goto failed;
#define COUNT(k) GPOINTER_TO_UINT (g_hash_table_lookup (counts, k))
    detail = g_strdup_printf ("pods %u, services %u, configmaps %u, secrets %u", COUNT ("pods"),
                              COUNT ("services"), COUNT ("configmaps"), COUNT ("secrets"));
    check ("resource counts",
           COUNT ("pods") == 1 && COUNT ("services") == 1 && COUNT ("configmaps") >= 1
               && COUNT ("secrets") >= 1,
           detail);
#undef COUNT
  }

  /* 10-12: delete by pattern, first as a dry run */
  {
    g_auto (GStrv) would
        = hero_virt_kubernetes_manager_delete (km, "^example-", TRUE, NULL, &error);
    g_auto (GStrv) deleted = NULL;
    LIST (pods) = NULL;

    if (would == NULL)
      goto failed;
    qsort (would, g_strv_length (would), sizeof (char *), compare_strings);
    pods = hero_virt_kubernetes_manager_pods_list (km, NULL, NULL);
    check ("dry run lists what would go, deletes nothing",
           g_strv_equal ((const char *const *)would, expected) && in_list (pods, "example-pod"),
           NULL);
    deleted = hero_virt_kubernetes_manager_delete (km, "^example-", FALSE, NULL, &error);
    if (deleted == NULL)
      goto failed;
    check ("delete by pattern", g_strv_length (deleted) == 4, NULL);
  }
  {
    g_autoptr (GError) local_error = NULL;
    g_autoptr (JsonNode) pod
        = hero_virt_kubernetes_manager_pod_get (km, "example-pod", NULL, &local_error);
    LIST (svcs) = hero_virt_kubernetes_manager_services_list (km, NULL, NULL);
    LIST (cms) = hero_virt_kubernetes_manager_configmaps_list (km, NULL, NULL);
    LIST (secrets) = hero_virt_kubernetes_manager_secrets_list (km, NULL, NULL);
    /* a pod gets its grace period on a real cluster: gone or terminating */
    gboolean pod_gone
        = pod == NULL ? g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND)
                      : json_object_has_member (
                          json_object_get_object_member (json_node_get_object (pod), "metadata"),
                          "deletionTimestamp");

    check ("the objects are gone",
           pod_gone && svcs && !in_list (svcs, "example-svc") && cms
               && !in_list (cms, "example-config") && secrets
               && !in_list (secrets, "example-secret"),
           NULL);
  }

  /* 13: errors say what went wrong */
  {
    g_autoptr (GError) missing = NULL;
    g_autoptr (GError) bad = NULL;
    g_autoptr (JsonNode) none
        = hero_virt_kubernetes_manager_configmap_get (km, "no-such-config", NULL, &missing);
    g_autoptr (JsonNode) invalid
        = hero_virt_kubernetes_manager_pod_create (km, "Bad_Name", "nginx", NULL, NULL, NULL, &bad);

    check ("a missing object is NOT_FOUND, a bad name INVALID_ARGUMENT (before any request)",
           g_error_matches (missing, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND)
               && g_error_matches (bad, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT),
           NULL);
  }
  goto cleanup;

failed:
  check ("unexpected error", FALSE, error->message);
  g_clear_error (&error);

cleanup:
  /* 14: the namespace goes, with everything still in it */
  {
    g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
    g_autoptr (JsonNode) gone = NULL;

    if (hero_virt_kubernetes_manager_namespace_delete (km, namespace, NULL, &error))
      gone = hero_virt_kubernetes_manager_wait_for (km, kind, namespace, "deleted", 180000, NULL,
                                                    &error);
    check ("namespace deleted", gone != NULL, error ? error->message : NULL);
  }
  g_print ("%u/%u checks passed\n", passed, N_CHECKS);
  return passed == N_CHECKS && step == N_CHECKS ? 0 : 1;
}
