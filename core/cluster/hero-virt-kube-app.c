/* hero-virt-kube-app.c: what the in-cluster applications
 * (RegistryDeployer, DevelopmentMachine, BuildMachine) share: the name and
 * namespace, the first bad input, applying their objects, waiting for
 * their pods with a clear timeout, the address a node port is reached on,
 * retrying, removal, local tools (hero-virt-kube-app-private.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-app-private.h"

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

static gboolean
wait_pods_ready (HeroVirtKubernetesManager *manager,
                 const char                *selector,
                 const char                *what,
                 gint64                     deadline,
                 guint                      timeout_ms,
                 GCancellable              *cancellable,
                 GError                   **error)
{
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

static char *
node_address (HeroVirtKubernetesManager *manager,
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

static gboolean
delete_quietly (HeroVirtKubernetesManager *manager,
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

/* ---- the application ------------------------------------------------------ */

void
_hero_virt_kube_app_init (HeroVirtKubeApp           *app,
                          const char                *kind,
                          HeroVirtKubernetesManager *manager,
                          const char                *name)
{
  app->kind = kind;
  app->manager = g_object_ref (manager);
  app->name = g_strdup (name);
  app->error = NULL;
}

void
_hero_virt_kube_app_clear (HeroVirtKubeApp *app)
{
  g_clear_object (&app->manager);
  g_clear_pointer (&app->name, g_free);
  g_clear_error (&app->error);
}

void
_hero_virt_kube_app_invalid (HeroVirtKubeApp *app,
                             const char      *what,
                             const char      *value,
                             const char      *why)
{
  if (app->error == NULL)
    hero_virt_set_invalid_argument (&app->error, what, value, why);
}

void
_hero_virt_kube_app_take_error (HeroVirtKubeApp *app, GError *error)
{
  if (app->error == NULL)
    app->error = error;
  else
    g_error_free (error);
}

HeroVirtKubernetesManager *
_hero_virt_kube_app_use_namespace (HeroVirtKubeApp *app, const char *namespace)
{
  if (namespace != NULL
      && g_strcmp0 (namespace, hero_virt_kubernetes_manager_get_namespace (app->manager)) != 0)
    {
      HeroVirtKubernetesManager *m = hero_virt_kubernetes_manager_new_for_provider (
          namespace, hero_virt_kubernetes_manager_get_provider (app->manager));

      g_object_unref (app->manager);
      app->manager = m;
    }
  return app->manager;
}

char *
_hero_virt_kube_app_describe (HeroVirtKubeApp *app)
{
  return g_strdup_printf ("%s “%s”", app->kind, app->name);
}

void
_hero_virt_kube_app_prefix_error (HeroVirtKubeApp *app, GError **error)
{
  g_prefix_error (error, "%s “%s”: ", app->kind, app->name);
}

gboolean
_hero_virt_kube_app_check (HeroVirtKubeApp *app, GError **error)
{
  if (app->error != NULL)
    {
      g_propagate_prefixed_error (error, g_error_copy (app->error), "%s “%s”: ", app->kind,
                                  app->name);
      return FALSE;
    }
  if (!hero_virt_kube_validate_dns1035_label (app->name, error))
    {
      g_prefix_error (error, "%s name: ", app->kind);
      return FALSE;
    }
  return TRUE;
}

char *
_hero_virt_kube_app_selector (HeroVirtKubeApp *app, const char *key)
{
  return g_strdup_printf ("%s=%s", key, app->name);
}

void
_hero_virt_kube_app_label (HeroVirtKubeApp             *app,
                           HeroVirtKubeResourceBuilder *builder,
                           const char                  *key,
                           const char                  *component)
{
  if (component != NULL)
    hero_virt_kube_resource_builder_label (builder, "app.kubernetes.io/component", component);
  hero_virt_kube_resource_builder_label (builder, key, app->name);
}

JsonNode *
_hero_virt_kube_app_apply (HeroVirtKubeApp *app,
                           GPtrArray       *objects,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr (JsonNode) last = NULL;

  for (guint i = 0; i < objects->len; i++)
    {
      JsonNode *object = g_ptr_array_index (objects, i);
      g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_new_for_resource (object, NULL);

      g_clear_pointer (&last, json_node_unref);
      last = hero_virt_kubernetes_manager_apply (app->manager, kind, object, TRUE, cancellable,
                                                 error);
      if (last == NULL)
        {
          _hero_virt_kube_app_prefix_error (app, error);
          return NULL;
        }
    }
  return g_steal_pointer (&last);
}

gboolean
_hero_virt_kube_app_wait_ready (HeroVirtKubeApp *app,
                                const char      *key,
                                gint64           deadline,
                                guint            timeout_ms,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autofree char *selector = _hero_virt_kube_app_selector (app, key);
  g_autofree char *what = _hero_virt_kube_app_describe (app);

  return wait_pods_ready (app->manager, selector, what, deadline, timeout_ms, cancellable, error);
}

gboolean
_hero_virt_kube_app_node_endpoint (HeroVirtKubeApp *app,
                                   JsonNode        *service,
                                   const char      *endpoint_host,
                                   const char      *key,
                                   char           **host,
                                   guint           *node_port,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  JsonObject *spec = member_object (json_node_get_object (service), "spec");
  JsonArray  *ports = member_array (spec, "ports");
  gint64      port = 0;

  if (ports != NULL && json_array_get_length (ports) > 0)
    port = json_object_get_int_member_with_default (json_array_get_object_element (ports, 0),
                                                    "nodePort", 0);
  if (endpoint_host != NULL)
    *host = g_strdup (endpoint_host);
  else
    {
      g_autofree char *selector = _hero_virt_kube_app_selector (app, key);

      if ((*host = node_address (app->manager, selector, cancellable, error)) == NULL)
        return FALSE;
    }
  if (port <= 0 || port > 65535)
    {
      g_clear_pointer (host, g_free);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "%s “%s”: the service got no node port", app->kind, app->name);
      return FALSE;
    }
  *node_port = (guint)port;
  return TRUE;
}

gboolean
_hero_virt_kube_app_poll (HeroVirtKubeApp     *app,
                          HeroVirtKubeAppProbe probe,
                          gpointer             data,
                          gint64               deadline,
                          guint                timeout_ms,
                          const char          *what,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autofree char *why = NULL;
  guint            delay_ms = 100;

  for (;;)
    {
      g_autoptr (GError) local_error = NULL;

      if (probe (data, cancellable, &why, &local_error))
        return TRUE;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT, "%s within %u ms: %s", what,
                       timeout_ms, why ? why : "no answer");
          return FALSE;
        }
      g_usleep (MIN ((gint64)delay_ms * 1000, MAX (0, deadline - g_get_monotonic_time ())));
      delay_ms = MIN (delay_ms * 2, 1000);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

gboolean
_hero_virt_kube_app_remove (HeroVirtKubeApp             *app,
                            const HeroVirtKubeAppObject *objects,
                            guint                        n_objects,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  for (guint i = 0; i < n_objects; i++)
    if (!delete_quietly (app->manager, objects[i].api_version, objects[i].kind, objects[i].name,
                         cancellable, error))
      return FALSE;
  return TRUE;
}

/* ---- actions in a worker thread ------------------------------------------- */

typedef struct
{
  HeroVirtKubeAppTimedFunc func;
  guint                    timeout_ms;
} TimedCall;

static gpointer
timed_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  TimedCall *call = data;

  return call->func (source, call->timeout_ms, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

void
_hero_virt_kube_app_run_timed_async (gpointer                 self,
                                     gpointer                 source_tag,
                                     HeroVirtKubeAppTimedFunc func,
                                     guint                    timeout_ms,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  TimedCall *call = g_new0 (TimedCall, 1);

  call->func = func;
  call->timeout_ms = timeout_ms;
  _hero_virt_run_in_thread (self, source_tag, timed_thread, call, g_free, NULL, cancellable,
                            callback, user_data);
}

gboolean
_hero_virt_kube_app_run_finish (gpointer      self,
                                GAsyncResult *result,
                                gpointer      source_tag,
                                GError      **error)
{
  return _hero_virt_task_finish (self, result, source_tag, error) != NULL;
}
