/* hero-virt-kube-pods.c: what the in-cluster helpers (RegistryDeployer,
 * DevelopmentMachine) share: waiting for pods with a clear timeout, the
 * address a node port is reached on, local tools
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* "phase Pending, Ready=False (ContainersNotReady: …)", or what there is. */
static char *
describe_pod (JsonObject *pod, gboolean *ready)
{
  JsonObject *meta = member_object (pod, "metadata");
  JsonObject *status = member_object (pod, "status");
  JsonArray  *conditions = member_array (status, "conditions");
  const char *phase
      = status ? json_object_get_string_member_with_default (status, "phase", NULL) : NULL;
  GString    *s = g_string_new (NULL);
  JsonObject *last = NULL;
  const char *last_time = "";

  *ready = FALSE;
  g_string_append_printf (s, "pod %s is %s",
                          meta ? json_object_get_string_member_with_default (meta, "name", "?")
                               : "?",
                          phase ? phase : "without a phase");
  for (guint i = 0; conditions && i < json_array_get_length (conditions); i++)
    {
      JsonObject *c = json_array_get_object_element (conditions, i);
      const char *t = json_object_get_string_member_with_default (c, "lastTransitionTime", "");

      if (g_strcmp0 (json_object_get_string_member_with_default (c, "type", ""), "Ready") == 0)
        *ready
            = g_strcmp0 (json_object_get_string_member_with_default (c, "status", ""), "True") == 0;
      /* the latest transition; on a tie the later one in the list */
      if (last == NULL || g_strcmp0 (t, last_time) >= 0)
        last = c, last_time = t;
    }
  if (last == NULL)
    g_string_append (s, ", no condition reported yet");
  else
    {
      const char *reason = json_object_get_string_member_with_default (last, "reason", NULL);
      const char *message = json_object_get_string_member_with_default (last, "message", NULL);

      g_string_append_printf (s, ", last condition %s=%s",
                              json_object_get_string_member_with_default (last, "type", "?"),
                              json_object_get_string_member_with_default (last, "status", "?"));
      if (reason || message)
        g_string_append_printf (s, " (%s%s%s)", reason ? reason : "", reason && message ? ": " : "",
                                message ? message : "");
    }
  return g_string_free (s, FALSE);
}

gboolean
_hero_virt_kube_wait_pods_ready (HeroVirtKubernetesManager *manager,
                                 const char                *selector,
                                 const char                *what,
                                 guint                      timeout_ms,
                                 GCancellable              *cancellable,
                                 GError                   **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterListOptions) options = hero_virt_cluster_list_options_new ();
  g_autofree char *last = g_strdup ("no pod was created");
  guint            delay_ms = 50;

  hero_virt_cluster_list_options_set_label_selector (options, selector);
  for (;;)
    {
      g_autoptr (JsonNode) list
          = hero_virt_kubernetes_manager_list (manager, kind, options, cancellable, error);
      g_autoptr (GPtrArray) items = NULL;
      gboolean all = TRUE;

      if (list == NULL)
        return FALSE;
      items = hero_virt_kube_list_get_items (list);
      for (guint i = 0; i < items->len; i++)
        {
          JsonNode        *pod = g_ptr_array_index (items, i);
          gboolean         ready;
          g_autofree char *d = describe_pod (json_node_get_object (pod), &ready);

          if (!ready)
            {
              all = FALSE;
              g_free (last);
              last = g_steal_pointer (&d);
              break;
            }
        }
      if (items->len > 0 && all)
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "%s: not ready after %u ms: %s", what, timeout_ms, last);
          return FALSE;
        }
      g_usleep (MIN ((gint64)delay_ms * 1000, MAX (0, deadline - g_get_monotonic_time ())));
      delay_ms = MIN (delay_ms * 2, 1000);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

char *
_hero_virt_kube_node_address (HeroVirtKubernetesManager *manager,
                              const char                *selector,
                              GCancellable              *cancellable,
                              GError                   **error)
{
  g_autoptr (HeroVirtClusterKind) pods = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterKind) nodes = hero_virt_cluster_kind_lookup ("v1", "Node");
  g_autoptr (HeroVirtClusterListOptions) options = hero_virt_cluster_list_options_new ();
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GPtrArray) items = NULL;
  JsonArray  *addresses;
  const char *node_name = NULL, *internal = NULL;

  hero_virt_cluster_list_options_set_label_selector (options, selector);
  list = hero_virt_kubernetes_manager_list (manager, pods, options, cancellable, error);
  if (list == NULL)
    return NULL;
  items = hero_virt_kube_list_get_items (list);
  if (items->len > 0)
    {
      JsonObject *spec
          = member_object (json_node_get_object (g_ptr_array_index (items, 0)), "spec");

      node_name = spec ? json_object_get_string_member_with_default (spec, "nodeName", NULL) : NULL;
    }
  if (node_name == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "No pod (%s) is on a node yet to reach a node port on", selector);
      return NULL;
    }
  node = hero_virt_kubernetes_manager_get (manager, nodes, node_name, cancellable, error);
  if (node == NULL)
    return NULL;
  addresses = member_array (member_object (json_node_get_object (node), "status"), "addresses");
  for (guint i = 0; addresses && i < json_array_get_length (addresses); i++)
    {
      JsonObject *a = json_array_get_object_element (addresses, i);
      const char *type = json_object_get_string_member_with_default (a, "type", "");
      const char *address = json_object_get_string_member_with_default (a, "address", NULL);

      if (g_str_equal (type, "ExternalIP") && address)
        return g_strdup (address);
      if (g_str_equal (type, "InternalIP") && address && internal == NULL)
        internal = address;
    }
  if (internal == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "Node %s has no InternalIP or ExternalIP address", node_name);
      return NULL;
    }
  return g_strdup (internal);
}

char *
_hero_virt_kube_random_password (void)
{
  static const char alphabet[]
      = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* no look-alikes */
  guint8 bytes[24];
  char  *out = g_new0 (char, sizeof bytes + 1);
  g_autoptr (GFile) urandom = g_file_new_for_path ("/dev/urandom");
  g_autoptr (GFileInputStream) in = g_file_read (urandom, NULL, NULL);
  gsize got = 0;

  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), bytes, sizeof bytes, &got, NULL, NULL)
      || got != sizeof bytes)
    g_error ("cannot read /dev/urandom");
  for (guint i = 0; i < sizeof bytes; i++)
    out[i] = alphabet[bytes[i] % (sizeof alphabet - 1)];
  return out;
}

HeroVirtCommandResult *
_hero_virt_kube_run_local (HeroVirtCommand *command, GCancellable *cancellable, GError **error)
{
  return hero_virt_executor_run_checked (hero_virt_executor_get_default (), command, cancellable,
                                         error);
}

gboolean
_hero_virt_kube_delete_quietly (HeroVirtKubernetesManager *manager,
                                const char                *api_version,
                                const char                *kind_name,
                                const char                *name,
                                GCancellable              *cancellable,
                                GError                   **error)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup (api_version, kind_name);
  g_autoptr (GError) local_error = NULL;

  if (hero_virt_kubernetes_manager_delete_object (manager, kind, name,
                                                  HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND, -1,
                                                  cancellable, &local_error)
      || g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
