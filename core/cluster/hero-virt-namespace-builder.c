/* hero-virt-namespace-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtNamespaceBuilder:
 *
 * A `v1` Namespace and the fluent root of everything in it, the
 * original's `NamespaceBuilder`: its labels and annotations, `apply()` to
 * create it, builders for the objects it holds (bound to a manager for
 * this namespace, sharing the connection of the one given), `reset()` to
 * wipe it (delete, wait until it is gone, create it again) and `md()`, a
 * Markdown report of what it holds.
 *
 * ```python
 * ns = HeroVirt.NamespaceBuilder.new(km, "demo").label("team", "a")
 * ns.reset(60000, None)
 * ns.deployment("web").image("nginx:1.27").port(80).apply(None)
 * ns.service("web").port(80, 0).apply(None)
 * print(ns.md(None))
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtNamespaceBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  HeroVirtKubernetesManager *ns_manager; /* lazily, for this namespace */
};

G_DEFINE_FINAL_TYPE (HeroVirtNamespaceBuilder,
                     hero_virt_namespace_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static void
hero_virt_namespace_builder_finalize (GObject *object)
{
  HeroVirtNamespaceBuilder *self = HERO_VIRT_NAMESPACE_BUILDER (object);

  g_clear_object (&self->ns_manager);
  G_OBJECT_CLASS (hero_virt_namespace_builder_parent_class)->finalize (object);
}

static void
hero_virt_namespace_builder_class_init (HeroVirtNamespaceBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_namespace_builder_finalize;
}

static void
hero_virt_namespace_builder_init (HeroVirtNamespaceBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "v1",
                                             "Namespace");
}

/**
 * hero_virt_namespace_builder_new:
 * @manager: (nullable): a manager for the cluster (any namespace), or
 *   %NULL to only build
 * @name: the namespace's name (a DNS-1123 label)
 *
 * Returns: (transfer full): a namespace builder
 *
 * Since: 0.1
 */
HeroVirtNamespaceBuilder *
hero_virt_namespace_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_NAMESPACE_BUILDER, "manager", manager, "name", name, NULL);
}

/**
 * hero_virt_namespace_builder_get_namespace_manager:
 * @self: a #HeroVirtNamespaceBuilder
 *
 * A manager for this namespace, on the same connection as the builder's
 * manager: the one the builders it hands out apply through.
 *
 * Returns: (transfer none) (nullable): the manager, or %NULL if the
 *   builder has no manager or its name is not a valid namespace name
 *
 * Since: 0.1
 */
HeroVirtKubernetesManager *
hero_virt_namespace_builder_get_namespace_manager (HeroVirtNamespaceBuilder *self)
{
  HeroVirtKubeResourceBuilder *builder = HERO_VIRT_KUBE_RESOURCE_BUILDER (self);
  HeroVirtKubernetesManager   *manager;
  const char                  *name;

  g_return_val_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self), NULL);
  manager = hero_virt_kube_resource_builder_get_manager (builder);
  name = hero_virt_kube_resource_builder_get_name (builder);
  if (self->ns_manager == NULL && manager != NULL && name != NULL
      && hero_virt_kube_validate_dns1123_label (name, NULL))
    self->ns_manager = hero_virt_kubernetes_manager_new_for_provider (
        name, hero_virt_kubernetes_manager_get_provider (manager));
  return self->ns_manager;
}

#define DEFINE_CHILD(fn, Type, new_fn)                                                             \
  Type *hero_virt_namespace_builder_##fn (HeroVirtNamespaceBuilder *self, const char *name)        \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self), NULL);                            \
    return new_fn (hero_virt_namespace_builder_get_namespace_manager (self), name);                \
  }

/**
 * hero_virt_namespace_builder_pod:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the pod's name
 *
 * Returns: (transfer full): a pod builder for this namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (pod, HeroVirtPodBuilder, hero_virt_pod_builder_new)
/**
 * hero_virt_namespace_builder_deployment:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the deployment's name
 *
 * Returns: (transfer full): a deployment builder for this namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (deployment, HeroVirtDeploymentBuilder, hero_virt_deployment_builder_new)
/**
 * hero_virt_namespace_builder_service:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the service's name
 *
 * Returns: (transfer full): a service builder for this namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (service, HeroVirtServiceBuilder, hero_virt_service_builder_new)
/**
 * hero_virt_namespace_builder_config_map:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the config map's name
 *
 * Returns: (transfer full): a config map builder for this namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (config_map, HeroVirtConfigMapBuilder, hero_virt_config_map_builder_new)
/**
 * hero_virt_namespace_builder_secret:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the secret's name
 *
 * Returns: (transfer full): a secret builder for this namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (secret, HeroVirtSecretBuilder, hero_virt_secret_builder_new)
/**
 * hero_virt_namespace_builder_ingress_route:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the route's name
 *
 * Returns: (transfer full): a Traefik IngressRoute builder for this
 *   namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (ingress_route, HeroVirtIngressRouteBuilder, hero_virt_ingress_route_builder_new)
/**
 * hero_virt_namespace_builder_middleware:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the middleware's name
 *
 * Returns: (transfer full): a Traefik Middleware builder for this
 *   namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (middleware, HeroVirtMiddlewareBuilder, hero_virt_middleware_builder_new)
/**
 * hero_virt_namespace_builder_tls_option:
 * @self: a #HeroVirtNamespaceBuilder
 * @name: the TLS option's name
 *
 * Returns: (transfer full): a Traefik TLSOption builder for this
 *   namespace
 *
 * Since: 0.1
 */
DEFINE_CHILD (tls_option, HeroVirtTlsOptionBuilder, hero_virt_tls_option_builder_new)
#undef DEFINE_CHILD

/* ---- reset -------------------------------------------------------------- */

static HeroVirtKubernetesManager *
require_manager (HeroVirtNamespaceBuilder *self, GError **error)
{
  HeroVirtKubeResourceBuilder *builder = HERO_VIRT_KUBE_RESOURCE_BUILDER (self);
  HeroVirtKubernetesManager   *manager = hero_virt_kube_resource_builder_get_manager (builder);

  if (manager == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                 "Namespace “%s”: the builder has no manager",
                 hero_virt_kube_resource_builder_get_name (builder));
  return manager;
}

/**
 * hero_virt_namespace_builder_reset:
 * @self: a #HeroVirtNamespaceBuilder
 * @timeout_ms: how long to wait for the old namespace to finish
 *   terminating, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Wipes the namespace: deletes it if it exists (and everything in it),
 * waits until the API server has finished terminating it, then creates
 * it again with the builder's labels and annotations. The builder is
 * checked first: an invalid name is %HERO_VIRT_ERROR_INVALID_ARGUMENT
 * with no request made. A namespace still terminating after @timeout_ms
 * is %HERO_VIRT_ERROR_TIMEOUT.
 *
 * Returns: %TRUE once the namespace exists again, empty
 *
 * Since: 0.1
 */
gboolean
hero_virt_namespace_builder_reset (HeroVirtNamespaceBuilder *self,
                                   guint                     timeout_ms,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  HeroVirtKubeResourceBuilder *builder = HERO_VIRT_KUBE_RESOURCE_BUILDER (self);
  HeroVirtKubernetesManager   *manager;
  const char                  *name = hero_virt_kube_resource_builder_get_name (builder);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) applied = NULL;
  gboolean exists;

  g_return_val_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self), FALSE);

  if (!hero_virt_kube_resource_builder_validate (builder, error)
      || (manager = require_manager (self, error)) == NULL)
    return FALSE;
  exists = hero_virt_kubernetes_manager_namespace_exists (manager, name, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (exists)
    {
      g_autoptr (JsonNode) gone = NULL;

      if (!hero_virt_kubernetes_manager_namespace_delete (manager, name, cancellable, &local_error)
          && !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      gone = hero_virt_kubernetes_manager_wait_for (
          manager, hero_virt_kube_resource_builder_get_kind (builder), name, "deleted", timeout_ms,
          cancellable, error);
      if (gone == NULL)
        {
          g_prefix_error (error, "Resetting namespace “%s”: ", name);
          return FALSE;
        }
    }
  applied = hero_virt_kube_resource_builder_apply (builder, cancellable, error);
  return applied != NULL;
}

static gpointer
reset_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  return hero_virt_namespace_builder_reset (source, GPOINTER_TO_UINT (data), cancellable, error)
             ? GINT_TO_POINTER (TRUE)
             : NULL;
}

/**
 * hero_virt_namespace_builder_reset_async:
 * @self: a #HeroVirtNamespaceBuilder
 * @timeout_ms: how long to wait for the old namespace to go
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.NamespaceBuilder.reset] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_namespace_builder_reset_async (HeroVirtNamespaceBuilder *self,
                                         guint                     timeout_ms,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self));
  _hero_virt_run_in_thread (self, hero_virt_namespace_builder_reset_async, reset_thread,
                            GUINT_TO_POINTER (timeout_ms), NULL, NULL, cancellable, callback,
                            user_data);
}

/**
 * hero_virt_namespace_builder_reset_finish:
 * @self: a #HeroVirtNamespaceBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.NamespaceBuilder.reset_async].
 *
 * Returns: %TRUE once the namespace exists again
 *
 * Since: 0.1
 */
gboolean
hero_virt_namespace_builder_reset_finish (HeroVirtNamespaceBuilder *self,
                                          GAsyncResult             *result,
                                          GError                  **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_namespace_builder_reset_async, error)
         != NULL;
}

/* ---- md ----------------------------------------------------------------- */

/* A string at a dotted path of objects, or NULL. */
static const char *
str_at (JsonNode *node, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *cur = node;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
        return NULL;
      cur = json_object_get_member (json_node_get_object (cur), parts[i]);
    }
  return cur != NULL && JSON_NODE_HOLDS_VALUE (cur)
                 && json_node_get_value_type (cur) == G_TYPE_STRING
             ? json_node_get_string (cur)
             : NULL;
}

static gint64
int_at (JsonNode *node, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *cur = node;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
        return 0;
      cur = json_object_get_member (json_node_get_object (cur), parts[i]);
    }
  return cur != NULL && JSON_NODE_HOLDS_VALUE (cur)
                 && json_node_get_value_type (cur) == G_TYPE_INT64
             ? json_node_get_int (cur)
             : 0;
}

static JsonArray *
array_at (JsonNode *node, const char *a, const char *b)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode   *n;

  if (o == NULL || (n = json_object_get_member (o, a)) == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  n = json_object_get_member (json_node_get_object (n), b);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonObject *
object_at (JsonNode *node, const char *member)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode   *n = o ? json_object_get_member (o, member) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* Markdown table cell: no line breaks, pipes escaped. */
static void
cell (GString *out, const char *text)
{
  g_string_append (out, " ");
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, " |");
}

static void cell_printf (GString *out, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
cell_printf (GString *out, const char *format, ...)
{
  va_list          args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  cell (out, text);
}

static char *
join_pairs (JsonObject *o, const char *sep)
{
  g_autoptr (GString) s = g_string_new (NULL);
  GList *members = o ? json_object_get_members (o) : NULL;

  for (GList *m = members; m; m = m->next)
    {
      JsonNode *v = json_object_get_member (o, m->data);

      if (s->len > 0)
        g_string_append (s, sep);
      g_string_append (s, m->data);
      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        g_string_append_printf (s, "=%s", json_node_get_string (v));
    }
  g_list_free (members);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
join_keys (JsonObject *a, JsonObject *b)
{
  g_autoptr (GString) s = g_string_new (NULL);
  JsonObject *sets[] = { a, b };

  for (guint i = 0; i < 2; i++)
    {
      GList *members = sets[i] ? json_object_get_members (sets[i]) : NULL;

      for (GList *m = members; m; m = m->next)
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", (char *)m->data);
      g_list_free (members);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The images of the containers of @holder's `spec` (a pod or a pod
 * template). */
static char *
images (JsonNode *holder)
{
  g_autoptr (GString) s = g_string_new (NULL);
  JsonArray *containers = holder ? array_at (holder, "spec", "containers") : NULL;

  for (guint i = 0; containers && i < json_array_get_length (containers); i++)
    {
      JsonNode *c = json_array_get_element (containers, i);

      g_string_append_printf (s, "%s%s", s->len ? ", " : "", str_at (c, "image") ?: "?");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
heading (GString *out, const char *title, guint n)
{
  g_string_append_printf (out, "\n## %s (%u)\n\n", title, n);
  if (n == 0)
    g_string_append (out, "_none_\n");
}

static void
md_pods (GString *out, GPtrArray *items)
{
  heading (out, "Pods", items->len);
  if (items->len > 0)
    g_string_append (out, "| Name | Phase | Ready | Restarts | IP | Images |\n"
                          "|---|---|---|---|---|---|\n");
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode        *pod = g_ptr_array_index (items, i);
      JsonArray       *statuses = array_at (pod, "status", "containerStatuses");
      JsonArray       *containers = array_at (pod, "spec", "containers");
      guint            ready = 0;
      gint64           restarts = 0;
      g_autofree char *imgs = images (pod);

      for (guint j = 0; statuses && j < json_array_get_length (statuses); j++)
        {
          JsonObject *st = json_array_get_object_element (statuses, j);

          ready += json_object_get_boolean_member_with_default (st, "ready", FALSE);
          restarts += json_object_get_int_member_with_default (st, "restartCount", 0);
        }
      g_string_append (out, "|");
      cell (out, str_at (pod, "metadata.name"));
      cell (out, str_at (pod, "status.phase") ?: "Unknown");
      cell_printf (out, "%u/%u", ready, containers ? json_array_get_length (containers) : 0);
      cell_printf (out, "%" G_GINT64_FORMAT, restarts);
      cell (out, str_at (pod, "status.podIP") ?: "");
      cell (out, imgs);
      g_string_append (out, "\n");
    }
}

static void
md_deployments (GString *out, GPtrArray *items)
{
  heading (out, "Deployments", items->len);
  if (items->len > 0)
    g_string_append (out, "| Name | Ready | Up-to-date | Available | Images |\n"
                          "|---|---|---|---|---|\n");
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode        *d = g_ptr_array_index (items, i);
      JsonObject      *spec = object_at (d, "spec");
      g_autofree char *imgs = images (spec ? json_object_get_member (spec, "template") : NULL);
      gint64 want = spec ? json_object_get_int_member_with_default (spec, "replicas", 1) : 1;

      g_string_append (out, "|");
      cell (out, str_at (d, "metadata.name"));
      cell_printf (out, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                   int_at (d, "status.readyReplicas"), want);
      cell_printf (out, "%" G_GINT64_FORMAT, int_at (d, "status.updatedReplicas"));
      cell_printf (out, "%" G_GINT64_FORMAT, int_at (d, "status.availableReplicas"));
      cell (out, imgs);
      g_string_append (out, "\n");
    }
}

static void
md_services (GString *out, GPtrArray *items)
{
  heading (out, "Services", items->len);
  if (items->len > 0)
    g_string_append (out, "| Name | Type | Cluster IP | Ports | Selector |\n"
                          "|---|---|---|---|---|\n");
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode  *s = g_ptr_array_index (items, i);
      JsonArray *ports = array_at (s, "spec", "ports");
      g_autoptr (GString) p = g_string_new (NULL);
      JsonObject      *spec = object_at (s, "spec");
      JsonNode        *sel = spec ? json_object_get_member (spec, "selector") : NULL;
      g_autofree char *selector = join_pairs (
          sel && JSON_NODE_HOLDS_OBJECT (sel) ? json_node_get_object (sel) : NULL, ", ");

      for (guint j = 0; ports && j < json_array_get_length (ports); j++)
        {
          JsonObject *po = json_array_get_object_element (ports, j);
          gint64      node_port = json_object_get_int_member_with_default (po, "nodePort", 0);

          g_string_append_printf (p, "%s%" G_GINT64_FORMAT, p->len ? ", " : "",
                                  json_object_get_int_member_with_default (po, "port", 0));
          if (node_port)
            g_string_append_printf (p, ":%" G_GINT64_FORMAT, node_port);
          g_string_append_printf (
              p, "/%s", json_object_get_string_member_with_default (po, "protocol", "TCP"));
        }
      g_string_append (out, "|");
      cell (out, str_at (s, "metadata.name"));
      cell (out, str_at (s, "spec.type") ?: "ClusterIP");
      cell (out, str_at (s, "spec.clusterIP") ?: "");
      cell (out, p->str);
      cell (out, selector);
      g_string_append (out, "\n");
    }
}

static void
md_data (GString *out, const char *title, GPtrArray *items, gboolean secret)
{
  heading (out, title, items->len);
  if (items->len > 0)
    g_string_append (out, secret ? "| Name | Type | Keys |\n|---|---|---|\n"
                                 : "| Name | Keys |\n|---|---|\n");
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode *o = g_ptr_array_index (items, i);
      /* names of keys only: a report never shows a secret's values */
      g_autofree char *keys = join_keys (object_at (o, "data"), object_at (o, "binaryData"));

      g_string_append (out, "|");
      cell (out, str_at (o, "metadata.name"));
      if (secret)
        cell (out, str_at (o, "type") ?: "Opaque");
      cell (out, keys);
      g_string_append (out, "\n");
    }
}

static void
md_routes (GString *out, GPtrArray *items)
{
  heading (out, "IngressRoutes", items->len);
  if (items->len > 0)
    g_string_append (out, "| Name | Entry points | Rules |\n|---|---|---|\n");
  for (guint i = 0; i < items->len; i++)
    {
      JsonNode  *r = g_ptr_array_index (items, i);
      JsonArray *eps = array_at (r, "spec", "entryPoints");
      JsonArray *routes = array_at (r, "spec", "routes");
      g_autoptr (GString) e = g_string_new (NULL);
      g_autoptr (GString) m = g_string_new (NULL);

      for (guint j = 0; eps && j < json_array_get_length (eps); j++)
        g_string_append_printf (e, "%s%s", e->len ? ", " : "",
                                json_array_get_string_element (eps, j));
      for (guint j = 0; routes && j < json_array_get_length (routes); j++)
        {
          JsonObject *ro = json_array_get_object_element (routes, j);

          g_string_append_printf (m, "%s%s", m->len ? "; " : "",
                                  json_object_get_string_member_with_default (ro, "match", ""));
        }
      g_string_append (out, "|");
      cell (out, str_at (r, "metadata.name"));
      cell (out, e->len ? e->str : "(default)");
      cell (out, m->str);
      g_string_append (out, "\n");
    }
}

static GPtrArray *
list_kind (HeroVirtKubernetesManager *m,
           const char                *api_version,
           const char                *kind_name,
           gboolean                   optional,
           GCancellable              *cancellable,
           GError                   **error)
{
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup (api_version, kind_name);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) list
      = hero_virt_kubernetes_manager_list (m, kind, NULL, cancellable, &local_error);

  if (list == NULL)
    {
      /* a CRD that is not installed: no such objects */
      if (optional && g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        return g_ptr_array_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  {
    GPtrArray *items = hero_virt_kube_list_get_items (list);
    GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);

    /* the items belong to the list: keep them alive apart from it */
    for (guint i = 0; i < items->len; i++)
      g_ptr_array_add (copy, json_node_copy (g_ptr_array_index (items, i)));
    g_ptr_array_unref (items);
    return copy;
  }
}

/**
 * hero_virt_namespace_builder_md:
 * @self: a #HeroVirtNamespaceBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * A Markdown report of the namespace: its status and labels, then a
 * table each of its deployments (ready, up-to-date, available, images),
 * pods (phase, ready containers, restarts, IP, images), services (type,
 * cluster IP, ports, selector), config maps and secrets (their keys,
 * never a secret's values) and Traefik IngressRoutes (when the cluster
 * serves them). A missing namespace is %HERO_VIRT_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full): the report, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_namespace_builder_md (HeroVirtNamespaceBuilder *self,
                                GCancellable             *cancellable,
                                GError                  **error)
{
  HeroVirtKubeResourceBuilder *builder = HERO_VIRT_KUBE_RESOURCE_BUILDER (self);
  const char                  *name = hero_virt_kube_resource_builder_get_name (builder);
  HeroVirtKubernetesManager   *manager, *m;
  g_autoptr (JsonNode) ns = NULL;
  g_autoptr (GString) out = NULL;
  g_autoptr (GPtrArray) deployments = NULL, pods = NULL, services = NULL, maps = NULL;
  g_autoptr (GPtrArray) secrets = NULL, routes = NULL;
  g_autofree char *labels = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self), NULL);

  if (!_hero_virt_kube_resource_builder_check_name (builder, error)
      || (manager = require_manager (self, error)) == NULL)
    return NULL;
  m = hero_virt_namespace_builder_get_namespace_manager (self);
  ns = hero_virt_kubernetes_manager_get (
      manager, hero_virt_kube_resource_builder_get_kind (builder), name, cancellable, error);
  if (ns == NULL
      || !(deployments = list_kind (m, "apps/v1", "Deployment", FALSE, cancellable, error))
      || !(pods = list_kind (m, "v1", "Pod", FALSE, cancellable, error))
      || !(services = list_kind (m, "v1", "Service", FALSE, cancellable, error))
      || !(maps = list_kind (m, "v1", "ConfigMap", FALSE, cancellable, error))
      || !(secrets = list_kind (m, "v1", "Secret", FALSE, cancellable, error))
      || !(routes = list_kind (m, "traefik.io/v1alpha1", "IngressRoute", TRUE, cancellable, error)))
    return NULL;

  out = g_string_new (NULL);
  {
    JsonObject *meta = object_at (ns, "metadata");
    JsonNode   *l = meta ? json_object_get_member (meta, "labels") : NULL;

    labels = join_pairs (l && JSON_NODE_HOLDS_OBJECT (l) ? json_node_get_object (l) : NULL, ", ");
  }
  g_string_append_printf (out, "# Namespace `%s`\n\n", name);
  g_string_append_printf (out, "- Status: %s\n", str_at (ns, "status.phase") ?: "Unknown");
  g_string_append_printf (out, "- Created: %s\n",
                          str_at (ns, "metadata.creationTimestamp") ?: "unknown");
  g_string_append_printf (out, "- Labels: %s\n", *labels ? labels : "none");
  g_string_append_printf (out,
                          "- Resources: %u deployments, %u pods, %u services, %u config maps, "
                          "%u secrets, %u ingress routes\n",
                          deployments->len, pods->len, services->len, maps->len, secrets->len,
                          routes->len);
  md_deployments (out, deployments);
  md_pods (out, pods);
  md_services (out, services);
  md_data (out, "ConfigMaps", maps, FALSE);
  md_data (out, "Secrets", secrets, TRUE);
  md_routes (out, routes);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gpointer
md_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  return hero_virt_namespace_builder_md (source, cancellable, error);
}

/**
 * hero_virt_namespace_builder_md_async:
 * @self: a #HeroVirtNamespaceBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.NamespaceBuilder.md] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_namespace_builder_md_async (HeroVirtNamespaceBuilder *self,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_NAMESPACE_BUILDER (self));
  _hero_virt_run_in_thread (self, hero_virt_namespace_builder_md_async, md_thread, NULL, NULL,
                            g_free, cancellable, callback, user_data);
}

/**
 * hero_virt_namespace_builder_md_finish:
 * @self: a #HeroVirtNamespaceBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.NamespaceBuilder.md_async].
 *
 * Returns: (transfer full): the report, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_namespace_builder_md_finish (HeroVirtNamespaceBuilder *self,
                                       GAsyncResult             *result,
                                       GError                  **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_namespace_builder_md_async, error);
}
