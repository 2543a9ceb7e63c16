/* hero-virt-kubernetes-manager.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-private.h"
#include "hero-virt-kubernetes-manager-private.h"

/**
 * HeroVirtKubernetesManager:
 *
 * One namespace of a Kubernetes cluster, the original's
 * `KubernetesManager`: lists, gets, creates and deletes pods, services,
 * deployments, config maps and secrets, manages namespaces, deletes by
 * regular expression, and gives generic access to any kind (custom
 * resources included) through [class@HeroVirt.ClusterKind]. It talks to
 * the API server through a cluster provider of its own (the k8s
 * plugin's), configured from kubeconfig (`KUBECONFIG`, merged as kubectl
 * merges it) or the in-cluster service account, with the timeouts,
 * retries and rate limit of a [class@HeroVirt.KubernetesConfig].
 *
 * Every method has a sync form and an `_async`/`_finish` pair; the async
 * forms run on the provider's async operations. Names are validated
 * (DNS-1123) before any request.
 *
 * ```python
 * km = HeroVirt.KubernetesManager.new("default")
 * km.configmap_create("settings", ["mode=fast"], None)
 * for item in HeroVirt.kube_list_get_items(km.pods_list(None)):
 *     print(HeroVirt.kube_resource_get_name(item))
 * ```
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (HeroVirtKubernetesManager, hero_virt_kubernetes_manager, G_TYPE_OBJECT)

static void
hero_virt_kubernetes_manager_finalize (GObject *object)
{
  HeroVirtKubernetesManager *self = HERO_VIRT_KUBERNETES_MANAGER (object);

  g_free (self->namespace);
  g_clear_object (&self->config);
  g_clear_object (&self->provider);
  G_OBJECT_CLASS (hero_virt_kubernetes_manager_parent_class)->finalize (object);
}

static void
hero_virt_kubernetes_manager_class_init (HeroVirtKubernetesManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_kubernetes_manager_finalize;
}

static void
hero_virt_kubernetes_manager_init (HeroVirtKubernetesManager *self)
{
}

HeroVirtClusterProvider *
_hero_virt_kubernetes_manager_lookup_provider (HeroVirtKubernetesManager *self,
                                               GCancellable              *cancellable,
                                               GError                   **error)
{
  return g_object_ref (self->provider);
}

const char *
_hero_virt_kubernetes_manager_ns (HeroVirtKubernetesManager *self, HeroVirtClusterKind *kind)
{
  return hero_virt_cluster_kind_get_namespaced (kind) ? self->namespace : NULL;
}

/**
 * hero_virt_kubernetes_manager_new:
 * @namespace: (nullable): the namespace to work in, or %NULL for the
 *   kubeconfig context's (else `default`)
 * @error: return location for a #GError
 *
 * A manager for @namespace of the cluster the kubeconfig's current
 * context names (`KUBECONFIG` or `~/.kube/config`), else of the cluster
 * the process runs in, with the default [class@HeroVirt.KubernetesConfig].
 * The kubeconfig is read at the first request, so errors in it are
 * reported by the first method called.
 *
 * Returns: (transfer full): the manager, or %NULL if @namespace is not a
 *   DNS-1123 label or the k8s plugin is missing
 *
 * Since: 0.1
 */
HeroVirtKubernetesManager *
hero_virt_kubernetes_manager_new (const char *namespace, GError **error)
{
  return hero_virt_kubernetes_manager_new_full (namespace, NULL, NULL, NULL, error);
}

/**
 * hero_virt_kubernetes_manager_new_full:
 * @namespace: (nullable): the namespace to work in, or %NULL for the
 *   context's
 * @kubeconfig: (nullable) (type filename): a kubeconfig file to read
 *   alone (like `kubectl --kubeconfig`), or %NULL for `KUBECONFIG`
 * @context: (nullable): the context to use, or %NULL for the
 *   current-context
 * @config: (nullable): timeouts, retries and rate limit, or %NULL for
 *   the defaults; the manager keeps a copy
 * @error: return location for a #GError
 *
 * A manager with its own connection (one HTTP session, kept alive) to
 * the cluster that @kubeconfig's @context names.
 *
 * Returns: (transfer full): the manager, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtKubernetesManager *
hero_virt_kubernetes_manager_new_full (const char *namespace,
                                       const char               *kubeconfig,
                                       const char               *context,
                                       HeroVirtKubernetesConfig *config,
                                       GError                  **error)
{
  HeroVirtRegistry *registry = hero_virt_registry_get_default ();
  g_autoptr (HeroVirtProviderInfo) info = NULL;
  GObjectClass *klass;
  GType         type;
  g_autoptr (GObject) provider = NULL;
  g_autoptr (HeroVirtKubernetesConfig) own = NULL;
  HeroVirtKubernetesManager *self;
  const char                *names[3];
  GValue                     values[3] = { G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT };

  g_return_val_if_fail (config == NULL || HERO_VIRT_IS_KUBERNETES_CONFIG (config), NULL);

  if (namespace != NULL && !hero_virt_kube_validate_dns1123_label (namespace, error))
    return NULL;
  info = hero_virt_registry_lookup (registry, HERO_VIRT_PROVIDER_KIND_CLUSTER, "k8s", error);
  if (info == NULL)
    return NULL;
  own = config ? hero_virt_kubernetes_config_copy (config) : hero_virt_kubernetes_config_new ();
  type = hero_virt_provider_info_get_provider_type (info);
  klass = g_type_class_ref (type);
  if (g_object_class_find_property (klass, "kubeconfig") != NULL
      && g_object_class_find_property (klass, "context") != NULL
      && g_object_class_find_property (klass, "config") != NULL)
    {
      names[0] = "kubeconfig";
      names[1] = "context";
      names[2] = "config";
      g_value_init (&values[0], G_TYPE_STRING);
      g_value_set_string (&values[0], kubeconfig);
      g_value_init (&values[1], G_TYPE_STRING);
      g_value_set_string (&values[1], context);
      g_value_init (&values[2], HERO_VIRT_TYPE_KUBERNETES_CONFIG);
      g_value_set_object (&values[2], own);
      provider = g_object_new_with_properties (type, 3, names, values);
      for (guint i = 0; i < 3; i++)
        g_value_unset (&values[i]);
    }
  else
    provider
        = hero_virt_registry_get_provider (registry, HERO_VIRT_PROVIDER_KIND_CLUSTER, "k8s", error);
  g_type_class_unref (klass);
  if (provider == NULL)
    return NULL;
  self = g_object_new (HERO_VIRT_TYPE_KUBERNETES_MANAGER, NULL);
  self->namespace = g_strdup (namespace);
  self->config = g_steal_pointer (&own);
  self->provider = HERO_VIRT_CLUSTER_PROVIDER (g_steal_pointer (&provider));
  return self;
}

/**
 * hero_virt_kubernetes_manager_new_for_provider:
 * @namespace: (nullable): the namespace, or %NULL for the provider's
 *   default
 * @provider: the cluster provider to use
 *
 * A manager on any [iface@HeroVirt.ClusterProvider] (a test double, say).
 * @namespace must be a DNS-1123 label.
 *
 * Returns: (transfer full): the manager
 *
 * Since: 0.1
 */
HeroVirtKubernetesManager *
hero_virt_kubernetes_manager_new_for_provider (const char *namespace,
                                               HeroVirtClusterProvider *provider)
{
  HeroVirtKubernetesManager *self;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_PROVIDER (provider), NULL);
  g_return_val_if_fail (
      namespace == NULL || hero_virt_kube_validate_dns1123_label (namespace, NULL), NULL);
  self = g_object_new (HERO_VIRT_TYPE_KUBERNETES_MANAGER, NULL);
  self->namespace = g_strdup (namespace);
  self->config = hero_virt_kubernetes_config_new ();
  self->provider = g_object_ref (provider);
  return self;
}

/**
 * hero_virt_kubernetes_manager_get_namespace:
 * @self: a #HeroVirtKubernetesManager
 *
 * Returns: (nullable): the namespace it works in, or %NULL for the
 *   kubeconfig context's
 *
 * Since: 0.1
 */
const char *
hero_virt_kubernetes_manager_get_namespace (HeroVirtKubernetesManager *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  return self->namespace;
}

/**
 * hero_virt_kubernetes_manager_get_config:
 * @self: a #HeroVirtKubernetesManager
 *
 * Returns: (transfer none): its timeouts, retries and rate limit
 *
 * Since: 0.1
 */
HeroVirtKubernetesConfig *
hero_virt_kubernetes_manager_get_config (HeroVirtKubernetesManager *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  return self->config;
}

/**
 * hero_virt_kubernetes_manager_get_provider:
 * @self: a #HeroVirtKubernetesManager
 *
 * Returns: (transfer none): the cluster provider it talks through
 *
 * Since: 0.1
 */
HeroVirtClusterProvider *
hero_virt_kubernetes_manager_get_provider (HeroVirtKubernetesManager *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  return self->provider;
}

/* ---- resource builders ------------------------------------------------ */

static gboolean
split_pairs (const char *const *pairs,
             const char        *what,
             gboolean           labels,
             JsonObject        *into,
             GError           **error)
{
  for (guint i = 0; pairs && pairs[i]; i++)
    {
      const char      *eq = strchr (pairs[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == pairs[i])
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The %s entry \"%s\" is not key=value", what, labels ? pairs[i] : "…");
          return FALSE;
        }
      key = g_strndup (pairs[i], eq - pairs[i]);
      if (labels
          && (!hero_virt_kube_validate_label_key (key, error)
              || !hero_virt_kube_validate_label_value (eq + 1, error)))
        return FALSE;
      json_object_set_string_member (into, key, eq + 1);
    }
  return TRUE;
}

static JsonObject *
meta_new (const char *name, JsonObject *labels)
{
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (meta, "name", name);
  if (labels != NULL && json_object_get_size (labels) > 0)
    json_object_set_object_member (meta, "labels", json_object_ref (labels));
  return meta;
}

static JsonNode *
object_node (const char *api_version, const char *kind, JsonObject *meta)
{
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "apiVersion", api_version);
  json_object_set_string_member (o, "kind", kind);
  json_object_set_object_member (o, "metadata", meta);
  json_node_take_object (node, o);
  return node;
}

static JsonObject *
container_new (const char *name, const char *image, const char *const *env, GError **error)
{
  g_autoptr (JsonObject) c = json_object_new ();
  g_autoptr (JsonObject) vars = json_object_new ();

  json_object_set_string_member (c, "name", name);
  json_object_set_string_member (c, "image", image);
  if (!split_pairs (env, "environment", FALSE, vars, error))
    return NULL;
  if (json_object_get_size (vars) > 0)
    {
      JsonArray *array = json_array_new ();
      GList     *members = json_object_get_members (vars);

      for (GList *l = members; l; l = l->next)
        {
          JsonObject *e = json_object_new ();

          json_object_set_string_member (e, "name", l->data);
          json_object_set_string_member (e, "value", json_object_get_string_member (vars, l->data));
          json_array_add_object_element (array, e);
        }
      g_list_free (members);
      json_object_set_array_member (c, "env", array);
    }
  return g_steal_pointer (&c);
}

static gboolean
check_container_name (const char *name, GError **error)
{
  /* a container is named after its pod: that must be a DNS-1123 label */
  return hero_virt_kube_validate_dns1123_label (name, error);
}

JsonNode *
_hero_virt_kube_pod_new (const char        *name,
                         const char        *image,
                         const char *const *labels,
                         const char *const *env,
                         GError           **error)
{
  g_autoptr (JsonObject) l = json_object_new ();
  JsonObject *spec, *c;
  JsonNode   *node;
  JsonArray  *containers;

  if (!check_container_name (name, error) || !split_pairs (labels, "label", TRUE, l, error))
    return NULL;
  if ((c = container_new (name, image, env, error)) == NULL)
    return NULL;
  node = object_node ("v1", "Pod", meta_new (name, l));
  spec = json_object_new ();
  containers = json_array_new ();
  json_array_add_object_element (containers, c);
  json_object_set_array_member (spec, "containers", containers);
  json_object_set_object_member (json_node_get_object (node), "spec", spec);
  return node;
}

JsonNode *
_hero_virt_kube_service_new (const char        *name,
                             const char *const *selector,
                             int                port,
                             int                target_port,
                             GError           **error)
{
  g_autoptr (JsonObject) sel = json_object_new ();
  JsonObject *spec, *p;
  JsonArray  *ports;
  JsonNode   *node;

  if (port <= 0 || port > 65535 || target_port < 0 || target_port > 65535)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Ports must be 1 to 65535 (port %d, target port %d)", port, target_port);
      return NULL;
    }
  if (!split_pairs (selector, "selector", TRUE, sel, error))
    return NULL;
  node = object_node ("v1", "Service", meta_new (name, NULL));
  spec = json_object_new ();
  json_object_set_object_member (spec, "selector", json_object_ref (sel));
  ports = json_array_new ();
  p = json_object_new ();
  json_object_set_int_member (p, "port", port);
  json_object_set_int_member (p, "targetPort", target_port ? target_port : port);
  json_object_set_string_member (p, "protocol", "TCP");
  json_array_add_object_element (ports, p);
  json_object_set_array_member (spec, "ports", ports);
  json_object_set_string_member (spec, "type", "ClusterIP");
  json_object_set_object_member (json_node_get_object (node), "spec", spec);
  return node;
}

JsonNode *
_hero_virt_kube_deployment_new (const char        *name,
                                const char        *image,
                                int                replicas,
                                const char *const *labels,
                                const char *const *env,
                                GError           **error)
{
  g_autoptr (JsonObject) l = json_object_new ();
  JsonObject *spec, *selector, *template, *pod_spec, *c;
  JsonArray  *containers;
  JsonNode   *node;

  if (replicas < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "A deployment needs 0 or more replicas, not %d", replicas);
      return NULL;
    }
  if (!check_container_name (name, error) || !split_pairs (labels, "label", TRUE, l, error))
    return NULL;
  if (json_object_get_size (l) == 0)
    json_object_set_string_member (l, "app", name);
  if ((c = container_new (name, image, env, error)) == NULL)
    return NULL;
  node = object_node ("apps/v1", "Deployment", meta_new (name, l));
  spec = json_object_new ();
  json_object_set_int_member (spec, "replicas", replicas);
  selector = json_object_new ();
  json_object_set_object_member (selector, "matchLabels", json_object_ref (l));
  json_object_set_object_member (spec, "selector", selector);
  template = json_object_new ();
  {
    JsonObject *tm = json_object_new ();

    json_object_set_object_member (tm, "labels", json_object_ref (l));
    json_object_set_object_member (template, "metadata", tm);
  }
  pod_spec = json_object_new ();
  containers = json_array_new ();
  json_array_add_object_element (containers, c);
  json_object_set_array_member (pod_spec, "containers", containers);
  json_object_set_object_member (template, "spec", pod_spec);
  json_object_set_object_member (spec, "template", template);
  json_object_set_object_member (json_node_get_object (node), "spec", spec);
  return node;
}

JsonNode *
_hero_virt_kube_configmap_new (const char *name, const char *const *data, GError **error)
{
  g_autoptr (JsonObject) d = json_object_new ();
  JsonNode *node;

  if (!split_pairs (data, "data", FALSE, d, error))
    return NULL;
  node = object_node ("v1", "ConfigMap", meta_new (name, NULL));
  json_object_set_object_member (json_node_get_object (node), "data", json_object_ref (d));
  return node;
}

JsonNode *
_hero_virt_kube_secret_new (const char        *name,
                            const char *const *data,
                            const char        *secret_type,
                            GError           **error)
{
  g_autoptr (JsonObject) d = json_object_new ();
  g_autoptr (JsonObject) encoded = json_object_new ();
  JsonNode *node;
  GList    *members;

  if (!split_pairs (data, "secret data", FALSE, d, error))
    return NULL;
  members = json_object_get_members (d);
  for (GList *l = members; l; l = l->next)
    {
      const char      *v = json_object_get_string_member (d, l->data);
      g_autofree char *b64 = g_base64_encode ((const guchar *)v, strlen (v));

      json_object_set_string_member (encoded, l->data, b64);
    }
  g_list_free (members);
  node = object_node ("v1", "Secret", meta_new (name, NULL));
  json_object_set_string_member (json_node_get_object (node), "type",
                                 secret_type ? secret_type : "Opaque");
  json_object_set_object_member (json_node_get_object (node), "data", json_object_ref (encoded));
  return node;
}

/* ---- hand-written operations ------------------------------------------ */

/**
 * hero_virt_kubernetes_manager_namespace_exists:
 * @self: a #HeroVirtKubernetesManager
 * @name: the namespace
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Says whether the namespace @name exists (one being deleted still does).
 *
 * Returns: %TRUE if it exists; %FALSE without an error if not, with one
 *   if the cluster could not tell
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_namespace_exists (HeroVirtKubernetesManager *self,
                                               const char                *name,
                                               GCancellable              *cancellable,
                                               GError                   **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  return hero_virt_cluster_provider_namespace_exists (self->provider, NULL, name, cancellable,
                                                      error);
}

static void
namespace_exists_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError  *error = NULL;
  gboolean exists = hero_virt_cluster_provider_namespace_exists_finish (
      HERO_VIRT_CLUSTER_PROVIDER (source), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, exists);
}

/**
 * hero_virt_kubernetes_manager_namespace_exists_async:
 * @self: a #HeroVirtKubernetesManager
 * @name: the namespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.namespace_exists].
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_namespace_exists_async (HeroVirtKubernetesManager *self,
                                                     const char                *name,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data)
{
  GTask *task;

  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  g_return_if_fail (name != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_kubernetes_manager_namespace_exists_async);
  hero_virt_cluster_provider_namespace_exists_async (self->provider, NULL, name, cancellable,
                                                     namespace_exists_done, task);
}

/**
 * hero_virt_kubernetes_manager_namespace_exists_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.namespace_exists_async].
 *
 * Returns: %TRUE if the namespace exists
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_namespace_exists_finish (HeroVirtKubernetesManager *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const struct
{
  const char *api_version;
  const char *kind;
  const char *key;
} counted[] = {
  { "v1", "Pod", "pods" },
  { "v1", "Service", "services" },
  { "apps/v1", "Deployment", "deployments" },
  { "v1", "ConfigMap", "configmaps" },
  { "v1", "Secret", "secrets" },
};

/**
 * hero_virt_kubernetes_manager_resource_counts:
 * @self: a #HeroVirtKubernetesManager
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Counts the pods, services, deployments, config maps and secrets in the
 * namespace.
 *
 * Returns: (transfer container) (element-type utf8 guint): a map from
 *   `pods`, `services`, `deployments`, `configmaps` and `secrets` to their
 *   counts, or %NULL on error
 *
 * Since: 0.1
 */
GHashTable *
hero_virt_kubernetes_manager_resource_counts (HeroVirtKubernetesManager *self,
                                              GCancellable              *cancellable,
                                              GError                   **error)
{
  g_autoptr (GHashTable) counts = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  counts = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    {
      g_autoptr (HeroVirtClusterKind) kind
          = hero_virt_cluster_kind_lookup (counted[i].api_version, counted[i].kind);
      g_autoptr (JsonNode) list = hero_virt_cluster_provider_list (
          self->provider, NULL, kind, self->namespace, NULL, cancellable, error);
      g_autoptr (GPtrArray) items = NULL;

      if (list == NULL)
        return NULL;
      items = hero_virt_kube_list_get_items (list);
      g_hash_table_insert (counts, (gpointer)counted[i].key, GUINT_TO_POINTER (items->len));
    }
  return g_steal_pointer (&counts);
}

/**
 * hero_virt_kubernetes_manager_delete:
 * @self: a #HeroVirtKubernetesManager
 * @pattern: a regular expression (GRegex, PCRE syntax) matched against
 *   the names
 * @dry_run: only say what would be deleted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The original's `delete(pattern)`: deletes every pod, service,
 * deployment, config map and secret of the namespace whose name @pattern
 * matches (anywhere in the name; anchor it with `^…$` for whole names).
 * An invalid @pattern is %HERO_VIRT_ERROR_INVALID_ARGUMENT before
 * anything is listed or deleted. Objects that vanish meanwhile are not
 * an error. With @dry_run nothing is deleted.
 *
 * Returns: (transfer full) (array zero-terminated=1): what was deleted
 *   (or would be), as `kind/name` (`pods/web-1`), or %NULL on error
 *
 * Since: 0.1
 */
char **
hero_virt_kubernetes_manager_delete (HeroVirtKubernetesManager *self,
                                     const char                *pattern,
                                     gboolean                   dry_run,
                                     GCancellable              *cancellable,
                                     GError                   **error)
{
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  g_return_val_if_fail (pattern != NULL, NULL);

  regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, &local_error);
  if (regex == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid pattern \"%s\": %s", pattern, local_error->message);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    {
      g_autoptr (HeroVirtClusterKind) kind
          = hero_virt_cluster_kind_lookup (counted[i].api_version, counted[i].kind);
      g_autoptr (JsonNode) list = hero_virt_cluster_provider_list (
          self->provider, NULL, kind, self->namespace, NULL, cancellable, error);
      g_autoptr (GPtrArray) items = NULL;

      if (list == NULL)
        return NULL;
      items = hero_virt_kube_list_get_items (list);
      for (guint j = 0; j < items->len; j++)
        {
          const char *name = hero_virt_kube_resource_get_name (g_ptr_array_index (items, j));

          if (name == NULL || !g_regex_match (regex, name, 0, NULL))
            continue;
          if (!dry_run
              && !hero_virt_cluster_provider_delete (self->provider, NULL, kind, self->namespace,
                                                     name, HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND,
                                                     -1, cancellable, &local_error))
            {
              if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
                {
                  g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                              "Deleting %s/%s (after %u deleted): ", counted[i].key,
                                              name, names->len);
                  return NULL;
                }
              g_clear_error (&local_error);
              continue;
            }
          g_ptr_array_add (names, g_strdup_printf ("%s/%s", counted[i].key, name));
        }
    }
  g_ptr_array_add (names, NULL);
  return (char **)g_ptr_array_steal (names, NULL);
}

typedef struct
{
  char    *pattern;
  gboolean dry_run;
} DeleteData;

static void
delete_data_free (DeleteData *d)
{
  g_free (d->pattern);
  g_free (d);
}

static void
delete_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DeleteData *d = task_data;
  GError     *error = NULL;
  char      **names
      = hero_virt_kubernetes_manager_delete (source, d->pattern, d->dry_run, cancellable, &error);

  if (names == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, names, (GDestroyNotify)g_strfreev);
}

/**
 * hero_virt_kubernetes_manager_delete_async:
 * @self: a #HeroVirtKubernetesManager
 * @pattern: a regular expression matched against the names
 * @dry_run: only say what would be deleted
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.delete]. An invalid @pattern
 * is reported through the task before any request.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_delete_async (HeroVirtKubernetesManager *self,
                                           const char                *pattern,
                                           gboolean                   dry_run,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GRegex) regex = NULL;
  GError     *error = NULL;
  DeleteData *d;

  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  g_return_if_fail (pattern != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_kubernetes_manager_delete_async);
  regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, &error);
  if (regex == NULL)
    {
      g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                               "Invalid pattern \"%s\": %s", pattern, error->message);
      g_error_free (error);
      return;
    }
  d = g_new0 (DeleteData, 1);
  d->pattern = g_strdup (pattern);
  d->dry_run = dry_run;
  g_task_set_task_data (task, d, (GDestroyNotify)delete_data_free);
  g_task_run_in_thread (task, delete_thread);
}

/**
 * hero_virt_kubernetes_manager_delete_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.delete_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): what was deleted,
 *   as `kind/name`, or %NULL on error
 *
 * Since: 0.1
 */
char **
hero_virt_kubernetes_manager_delete_finish (HeroVirtKubernetesManager *self,
                                            GAsyncResult              *result,
                                            GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_kubernetes_manager_deploy_application:
 * @self: a #HeroVirtKubernetesManager
 * @name: the application's name (deployment and service)
 * @image: the container image
 * @replicas: how many pods
 * @port: the port the application listens on (and the service's)
 * @labels: (nullable) (array zero-terminated=1): labels as `key=value`,
 *   or %NULL for `app=@name`
 * @env: (nullable) (array zero-terminated=1): environment as
 *   `NAME=value`, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The original's `deploy_application`: a deployment of @image and a
 * service called @name on @port selecting its pods.
 *
 * Returns: %TRUE when both were created
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_deploy_application (HeroVirtKubernetesManager *self,
                                                 const char                *name,
                                                 const char                *image,
                                                 int                        replicas,
                                                 int                        port,
                                                 const char *const         *labels,
                                                 const char *const         *env,
                                                 GCancellable              *cancellable,
                                                 GError                   **error)
{
  g_autoptr (JsonNode) deployment = NULL;
  g_autoptr (JsonNode) service = NULL;
  g_autofree char *app = NULL;
  const char      *default_labels[2] = { NULL, NULL };

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), FALSE);
  g_return_val_if_fail (name != NULL && image != NULL, FALSE);

  if (!hero_virt_kube_validate_dns1035_label (name, error))
    return FALSE;
  if (port <= 0 || port > 65535)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The port must be 1 to 65535, not %d", port);
      return FALSE;
    }
  if (labels == NULL || labels[0] == NULL)
    {
      app = g_strdup_printf ("app=%s", name);
      default_labels[0] = app;
      labels = default_labels;
    }
  deployment = hero_virt_kubernetes_manager_deployment_create (self, name, image, replicas, labels,
                                                               env, cancellable, error);
  if (deployment == NULL)
    return FALSE;
  service = hero_virt_kubernetes_manager_service_create (self, name, labels, port, port,
                                                         cancellable, error);
  return service != NULL;
}

/* ---- wait_for ----------------------------------------------------------- */

static gboolean
condition_true (JsonNode *object, const char *type)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (object) ? json_node_get_object (object) : NULL;
  JsonObject *status = o && json_object_has_member (o, "status")
                               && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "status"))
                           ? json_object_get_object_member (o, "status")
                           : NULL;
  JsonArray  *conditions
      = status && json_object_has_member (status, "conditions")
                && JSON_NODE_HOLDS_ARRAY (json_object_get_member (status, "conditions"))
            ? json_object_get_array_member (status, "conditions")
            : NULL;

  for (guint i = 0; conditions && i < json_array_get_length (conditions); i++)
    {
      JsonNode   *c = json_array_get_element (conditions, i);
      JsonObject *co = JSON_NODE_HOLDS_OBJECT (c) ? json_node_get_object (c) : NULL;

      if (co
          && g_ascii_strcasecmp (json_object_get_string_member_with_default (co, "type", ""), type)
                 == 0)
        return g_strcmp0 (json_object_get_string_member_with_default (co, "status", ""), "True")
               == 0;
    }
  return FALSE;
}

static char *
field_value (JsonNode *object, const char *path)
{
  g_autoptr (JsonPath) jp = json_path_new ();
  g_autofree char *expr = NULL;
  g_autoptr (JsonNode) found = NULL;
  JsonArray *array;
  JsonNode  *first;

  /* `{.status.phase}` or `.status.phase`, as kubectl's jsonpath */
  if (path[0] == '{')
    expr = g_strdup_printf ("$%.*s", (int)strlen (path) - 2, path + 1);
  else
    expr = g_strdup_printf ("$%s%s", path[0] == '.' ? "" : ".", path);
  if (!json_path_compile (jp, expr, NULL))
    return NULL;
  found = json_path_match (jp, object);
  array = json_node_get_array (found);
  if (json_array_get_length (array) == 0)
    return NULL;
  first = json_array_get_element (array, 0);
  if (JSON_NODE_HOLDS_VALUE (first))
    {
      GValue v = G_VALUE_INIT;
      char  *s;

      json_node_get_value (first, &v);
      if (G_VALUE_HOLDS_STRING (&v))
        s = g_value_dup_string (&v);
      else if (G_VALUE_HOLDS_BOOLEAN (&v))
        s = g_strdup (g_value_get_boolean (&v) ? "true" : "false");
      else if (G_VALUE_HOLDS_INT64 (&v))
        s = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&v));
      else
        s = json_to_string (first, FALSE);
      g_value_unset (&v);
      return s;
    }
  return json_to_string (first, FALSE);
}

/* kubectl rollout status: done, waiting or failed */
static int
rollout_state (JsonNode *object, char **why)
{
  JsonObject *o = json_node_get_object (object);
  JsonObject *meta = json_object_get_object_member (o, "metadata");
  JsonObject *spec
      = json_object_has_member (o, "spec") ? json_object_get_object_member (o, "spec") : NULL;
  JsonObject *status
      = json_object_has_member (o, "status") ? json_object_get_object_member (o, "status") : NULL;
  gint64 generation = meta ? json_object_get_int_member_with_default (meta, "generation", 0) : 0;
  gint64 replicas = spec ? json_object_get_int_member_with_default (spec, "replicas", 1) : 1;
  JsonArray *conditions;

  if (status == NULL
      || generation > json_object_get_int_member_with_default (status, "observedGeneration", 0))
    return 0;
  conditions = json_object_has_member (status, "conditions")
                   ? json_object_get_array_member (status, "conditions")
                   : NULL;
  for (guint i = 0; conditions && i < json_array_get_length (conditions); i++)
    {
      JsonObject *c = json_array_get_object_element (conditions, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (c, "type", ""), "Progressing") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (c, "reason", ""),
                        "ProgressDeadlineExceeded")
                 == 0)
        {
          *why = g_strdup ("the rollout exceeded its progress deadline");
          return -1;
        }
    }
  {
    gint64 updated = json_object_get_int_member_with_default (status, "updatedReplicas", 0);
    gint64 total = json_object_get_int_member_with_default (status, "replicas", 0);
    gint64 available = json_object_get_int_member_with_default (status, "availableReplicas", 0);

    if (updated < replicas || total > updated || available < updated)
      return 0;
  }
  return 1;
}

/**
 * hero_virt_kubernetes_manager_wait_for:
 * @self: a #HeroVirtKubernetesManager
 * @kind: the object's kind
 * @name: the object's name
 * @condition: what to wait for: a condition type that must be `True`
 *   (`Ready`, `Available`, …), `deleted`, `rollout` (a deployment's
 *   rollout finished, by kubectl's `rollout status` logic), or a field
 *   equality `{.status.phase}=Running` (kubectl's jsonpath, simple paths)
 * @timeout_ms: how long to wait, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until @condition holds for the object called @name, polling it.
 * Running out of time is %HERO_VIRT_ERROR_TIMEOUT; a failed rollout is
 * %HERO_VIRT_ERROR_FAILED.
 *
 * Returns: (transfer full) (nullable): the object as last read (for
 *   `deleted`, an empty object), or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_kubernetes_manager_wait_for (HeroVirtKubernetesManager *self,
                                       HeroVirtClusterKind       *kind,
                                       const char                *name,
                                       const char                *condition,
                                       guint                      timeout_ms,
                                       GCancellable              *cancellable,
                                       GError                   **error)
{
  gint64      deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  const char *eq;
  guint       delay_ms = 50;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (kind), NULL);
  g_return_val_if_fail (name != NULL && condition != NULL, NULL);

  if (!hero_virt_cluster_kind_validate_name (kind, name, error))
    return NULL;
  eq = strchr (condition, '=');
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonNode) object = hero_virt_cluster_provider_get (
          self->provider, NULL, kind, _hero_virt_kubernetes_manager_ns (self, kind), name,
          cancellable, &local_error);
      gboolean done = FALSE;

      if (object == NULL)
        {
          if (g_ascii_strcasecmp (condition, "deleted") == 0
              && g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
            {
              JsonNode *empty = json_node_new (JSON_NODE_OBJECT);

              json_node_take_object (empty, json_object_new ());
              return empty;
            }
          if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
      else if (g_ascii_strcasecmp (condition, "deleted") == 0)
        done = FALSE;
      else if (g_ascii_strcasecmp (condition, "rollout") == 0)
        {
          g_autofree char *why = NULL;
          int              state = rollout_state (object, &why);

          if (state < 0)
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "%s %s: %s",
                           hero_virt_cluster_kind_get_kind (kind), name, why);
              return NULL;
            }
          done = state > 0;
        }
      else if (eq != NULL)
        {
          g_autofree char *path = g_strndup (condition, eq - condition);
          g_autofree char *value = field_value (object, path);

          done = g_strcmp0 (value, eq + 1) == 0;
        }
      else
        done = condition_true (object, condition);
      if (done)
        return g_steal_pointer (&object);
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT, "%s %s: not %s after %u ms",
                       hero_virt_cluster_kind_get_kind (kind), name, condition, timeout_ms);
          return NULL;
        }
      g_usleep (MIN ((gint64)delay_ms * 1000, MAX (0, deadline - g_get_monotonic_time ())));
      delay_ms = MIN (delay_ms * 2, 1000);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
}

/**
 * hero_virt_kubernetes_manager_apply_yaml:
 * @self: a #HeroVirtKubernetesManager
 * @yaml: one or more manifests (YAML or JSON, documents separated by
 *   `---`), as `kubectl apply -f` reads them
 * @force: take over fields other managers own
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Server-side applies every object of @yaml with field manager
 * `hero-virt`, in order, resolving each `apiVersion`/`kind` through the
 * cluster's discovery (custom resources included). Namespaced objects
 * without a `metadata.namespace` go to the manager's namespace. Every
 * document is checked (apiVersion, kind, a valid name) before the first
 * request; the first failure stops the rest.
 *
 * Returns: (transfer container) (element-type Json.Node): the objects as
 *   stored, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_kubernetes_manager_apply_yaml (HeroVirtKubernetesManager *self,
                                         const char                *yaml,
                                         gboolean                   force,
                                         GCancellable              *cancellable,
                                         GError                   **error)
{
  g_autoptr (GPtrArray) docs = NULL;
  g_autoptr (GPtrArray) kinds = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) applied = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  g_return_val_if_fail (yaml != NULL, NULL);

  docs = hero_virt_kube_parse_yaml (yaml, -1, error);
  if (docs == NULL)
    return NULL;
  for (guint i = 0; i < docs->len; i++)
    {
      JsonNode   *doc = g_ptr_array_index (docs, i);
      gboolean    is_object = JSON_NODE_HOLDS_OBJECT (doc);
      const char *api_version = is_object ? hero_virt_kube_resource_get_api_version (doc) : NULL;
      const char *kind_name = is_object ? hero_virt_kube_resource_get_kind (doc) : NULL;
      const char *name = is_object ? hero_virt_kube_resource_get_name (doc) : NULL;
      const char *ns = is_object ? hero_virt_kube_resource_get_namespace (doc) : NULL;

      if (api_version == NULL || kind_name == NULL || name == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Document %u needs apiVersion, kind and metadata.name", i + 1);
          return NULL;
        }
      if (ns != NULL && !hero_virt_kube_validate_dns1123_label (ns, error))
        return NULL;
    }
  for (guint i = 0; i < docs->len; i++)
    {
      JsonNode *doc = g_ptr_array_index (docs, i);
      g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_provider_resolve_kind (
          self->provider, NULL, hero_virt_kube_resource_get_api_version (doc),
          hero_virt_kube_resource_get_kind (doc), cancellable, error);
      const char *ns;
      JsonNode   *result;

      if (kind == NULL)
        return NULL;
      if (!hero_virt_cluster_kind_validate_name (kind, hero_virt_kube_resource_get_name (doc),
                                                 error))
        return NULL;
      ns = hero_virt_kube_resource_get_namespace (doc);
      if (!hero_virt_cluster_kind_get_namespaced (kind))
        ns = NULL;
      else if (ns == NULL)
        ns = self->namespace;
      result = hero_virt_cluster_provider_apply (self->provider, NULL, kind, ns, doc, "hero-virt",
                                                 force, cancellable, error);
      if (result == NULL)
        {
          g_prefix_error (error, "%s %s: ", hero_virt_kube_resource_get_kind (doc),
                          hero_virt_kube_resource_get_name (doc));
          return NULL;
        }
      g_ptr_array_add (applied, result);
    }
  return g_steal_pointer (&applied);
}

typedef struct
{
  HeroVirtKubernetesManager *self;
  HeroVirtClusterKind       *kind;
  char                      *label_selector;
  char                      *field_selector;
  char                      *resource_version;
  HeroVirtClusterWatch      *out;
} Resumable;

static void
resumable_free (Resumable *r)
{
  g_object_unref (r->self);
  g_object_unref (r->kind);
  g_free (r->label_selector);
  g_free (r->field_selector);
  g_free (r->resource_version);
  g_object_unref (r->out);
  g_free (r);
}

static HeroVirtClusterListOptions *
resumable_options (Resumable *r)
{
  HeroVirtClusterListOptions *o = hero_virt_cluster_list_options_new ();

  if (r->label_selector)
    hero_virt_cluster_list_options_set_label_selector (o, r->label_selector);
  if (r->field_selector)
    hero_virt_cluster_list_options_set_field_selector (o, r->field_selector);
  return o;
}

static gpointer
resumable_thread (gpointer data)
{
  Resumable    *r = data;
  GCancellable *stop = hero_virt_cluster_watch_get_cancellable (r->out);
  const char   *ns = _hero_virt_kubernetes_manager_ns (r->self, r->kind);
  guint         failures = 0;

  while (!g_cancellable_is_cancelled (stop))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HeroVirtClusterListOptions) options = resumable_options (r);
      g_autoptr (HeroVirtClusterWatch) inner = NULL;

      if (r->resource_version == NULL)
        {
          /* (re)list: the current objects as ADDED, then watch from there */
          g_autoptr (JsonNode) list = hero_virt_cluster_provider_list (
              r->self->provider, NULL, r->kind, ns, options, stop, &error);
          g_autoptr (GPtrArray) items = NULL;
          JsonObject *meta;

          if (list == NULL)
            goto failed;
          items = hero_virt_kube_list_get_items (list);
          for (guint i = 0; i < items->len; i++)
            {
              g_autoptr (HeroVirtClusterWatchEvent) ev = hero_virt_cluster_watch_event_new (
                  HERO_VIRT_CLUSTER_WATCH_EVENT_ADDED, g_ptr_array_index (items, i));

              if (!hero_virt_cluster_watch_push (r->out, ev))
                goto done;
            }
          meta = json_object_get_object_member (json_node_get_object (list), "metadata");
          r->resource_version = g_strdup (
              meta ? json_object_get_string_member_with_default (meta, "resourceVersion", NULL)
                   : NULL);
        }
      hero_virt_cluster_list_options_set_resource_version (options, r->resource_version);
      inner = hero_virt_cluster_provider_watch (r->self->provider, NULL, r->kind, ns, options, stop,
                                                &error);
      if (inner == NULL)
        goto failed;
      for (;;)
        {
          g_autoptr (HeroVirtClusterWatchEvent) ev
              = hero_virt_cluster_watch_next (inner, stop, &error);
          JsonNode   *object;
          const char *rv;

          if (ev == NULL)
            break;
          failures = 0;
          object = hero_virt_cluster_watch_event_get_object (ev);
          if (hero_virt_cluster_watch_event_get_event_type (ev)
              == HERO_VIRT_CLUSTER_WATCH_EVENT_ERROR)
            {
              /* 410 Gone (or another error): forget the version and relist */
              g_clear_pointer (&r->resource_version, g_free);
              break;
            }
          rv = object && JSON_NODE_HOLDS_OBJECT (object)
                   ? hero_virt_kube_resource_get_resource_version (object)
                   : NULL;
          if (rv != NULL)
            {
              g_free (r->resource_version);
              r->resource_version = g_strdup (rv);
            }
          if (!hero_virt_cluster_watch_push (r->out, ev))
            {
              hero_virt_cluster_watch_stop (inner);
              goto done;
            }
        }
      hero_virt_cluster_watch_stop (inner);
      if (error == NULL)
        continue; /* the server ended the watch: resume from the last version */
    failed:
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      if (g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_GONE))
        g_clear_pointer (&r->resource_version, g_free);
      else if (++failures > hero_virt_kubernetes_config_get_max_retries (r->self->config))
        {
          hero_virt_cluster_watch_fail (r->out, error);
          goto done;
        }
      g_usleep (MIN (100000 * failures, G_USEC_PER_SEC));
    }
  hero_virt_cluster_watch_close (r->out);
done:
  resumable_free (r);
  return NULL;
}

/**
 * hero_virt_kubernetes_manager_watch_resumable:
 * @self: a #HeroVirtKubernetesManager
 * @kind: the kind to watch
 * @options: (nullable): selectors and the resource version to start
 *   from, or %NULL to start with the current objects
 * @error: return location for a #GError
 *
 * A watch that does not end when the server ends it: it resumes from the
 * last resourceVersion it saw (BOOKMARK events included); when the
 * server has forgotten that version (410 Gone) it lists again, delivers
 * the current objects as ADDED events and watches from the list's
 * version, as client-go's informers do. ERROR events are not passed on.
 * A lost connection is retried up to the config's max retries, then the
 * stream fails. It runs until [method@HeroVirt.ClusterWatch.stop].
 *
 * Returns: (transfer full): the event stream, or %NULL if @options are
 *   invalid
 *
 * Since: 0.1
 */
HeroVirtClusterWatch *
hero_virt_kubernetes_manager_watch_resumable (HeroVirtKubernetesManager  *self,
                                              HeroVirtClusterKind        *kind,
                                              HeroVirtClusterListOptions *options,
                                              GError                    **error)
{
  Resumable *r;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (kind), NULL);
  g_return_val_if_fail (options == NULL || HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (options), NULL);

  if (options != NULL && !hero_virt_cluster_list_options_validate (options, error))
    return NULL;
  r = g_new0 (Resumable, 1);
  r->self = g_object_ref (self);
  r->kind = g_object_ref (kind);
  if (options != NULL)
    {
      r->label_selector = g_strdup (hero_virt_cluster_list_options_get_label_selector (options));
      r->field_selector = g_strdup (hero_virt_cluster_list_options_get_field_selector (options));
      r->resource_version
          = g_strdup (hero_virt_cluster_list_options_get_resource_version (options));
    }
  r->out = hero_virt_cluster_watch_new ();
  g_thread_unref (g_thread_new ("hero-virt-k8s-informer", resumable_thread, r));
  return g_object_ref (r->out);
}

/* ---- async forms of the hand-written operations -------------------------- */

static gpointer
resource_counts_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  return hero_virt_kubernetes_manager_resource_counts (source, cancellable, error);
}

/**
 * hero_virt_kubernetes_manager_resource_counts_async:
 * @self: a #HeroVirtKubernetesManager
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.resource_counts] in a worker
 * thread.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_resource_counts_async (HeroVirtKubernetesManager *self,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data)
{
  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_resource_counts_async,
                            resource_counts_thread, NULL, NULL, (GDestroyNotify)g_hash_table_unref,
                            cancellable, callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_resource_counts_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.resource_counts_async].
 *
 * Returns: (transfer container) (element-type utf8 guint): the counts by
 *   kind, as [method@HeroVirt.KubernetesManager.resource_counts] gives
 *   them, or %NULL on error
 *
 * Since: 0.1
 */
GHashTable *
hero_virt_kubernetes_manager_resource_counts_finish (HeroVirtKubernetesManager *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_kubernetes_manager_resource_counts_async,
                                 error);
}

typedef struct
{
  char *name;
  char *image;
  int   replicas;
  int   port;
  GStrv labels;
  GStrv env;
} DeployData;

static void
deploy_data_free (DeployData *d)
{
  g_free (d->name);
  g_free (d->image);
  g_strfreev (d->labels);
  g_strfreev (d->env);
  g_free (d);
}

static gpointer
deploy_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  DeployData *d = data;

  if (!hero_virt_kubernetes_manager_deploy_application (
          source, d->name, d->image, d->replicas, d->port, (const char *const *)d->labels,
          (const char *const *)d->env, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * hero_virt_kubernetes_manager_deploy_application_async:
 * @self: a #HeroVirtKubernetesManager
 * @name: the application's name (deployment and service)
 * @image: the container image
 * @replicas: how many pods
 * @port: the port the application listens on (and the service's)
 * @labels: (nullable) (array zero-terminated=1): labels as `key=value`,
 *   or %NULL for `app=@name`
 * @env: (nullable) (array zero-terminated=1): environment as
 *   `NAME=value`, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.deploy_application] in a
 * worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_deploy_application_async (HeroVirtKubernetesManager *self,
                                                       const char                *name,
                                                       const char                *image,
                                                       int                        replicas,
                                                       int                        port,
                                                       const char *const         *labels,
                                                       const char *const         *env,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data)
{
  DeployData *d;

  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  g_return_if_fail (name != NULL && image != NULL);
  d = g_new0 (DeployData, 1);
  d->name = g_strdup (name);
  d->image = g_strdup (image);
  d->replicas = replicas;
  d->port = port;
  d->labels = g_strdupv ((char **)labels);
  d->env = g_strdupv ((char **)env);
  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_deploy_application_async,
                            deploy_thread, d, (GDestroyNotify)deploy_data_free, NULL, cancellable,
                            callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_deploy_application_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.deploy_application_async].
 *
 * Returns: %TRUE when the deployment and the service were created
 *
 * Since: 0.1
 */
gboolean
hero_virt_kubernetes_manager_deploy_application_finish (HeroVirtKubernetesManager *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error)
{
  return _hero_virt_task_finish (self, result,
                                 hero_virt_kubernetes_manager_deploy_application_async, error)
         != NULL;
}

typedef struct
{
  HeroVirtClusterKind *kind;
  char                *name;
  char                *condition;
  guint                timeout_ms;
} WaitData;

static void
wait_data_free (WaitData *d)
{
  g_object_unref (d->kind);
  g_free (d->name);
  g_free (d->condition);
  g_free (d);
}

static gpointer
wait_for_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  WaitData *d = data;

  return hero_virt_kubernetes_manager_wait_for (source, d->kind, d->name, d->condition,
                                                d->timeout_ms, cancellable, error);
}

/**
 * hero_virt_kubernetes_manager_wait_for_async:
 * @self: a #HeroVirtKubernetesManager
 * @kind: the object's kind
 * @name: the object's name
 * @condition: what to wait for, as for
 *   [method@HeroVirt.KubernetesManager.wait_for]
 * @timeout_ms: how long to wait, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.wait_for] in a worker thread,
 * so the caller's main loop keeps running while it polls.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_wait_for_async (HeroVirtKubernetesManager *self,
                                             HeroVirtClusterKind       *kind,
                                             const char                *name,
                                             const char                *condition,
                                             guint                      timeout_ms,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data)
{
  WaitData *d;

  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  g_return_if_fail (HERO_VIRT_IS_CLUSTER_KIND (kind));
  g_return_if_fail (name != NULL && condition != NULL);
  d = g_new0 (WaitData, 1);
  d->kind = g_object_ref (kind);
  d->name = g_strdup (name);
  d->condition = g_strdup (condition);
  d->timeout_ms = timeout_ms;
  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_wait_for_async, wait_for_thread, d,
                            (GDestroyNotify)wait_data_free, (GDestroyNotify)json_node_unref,
                            cancellable, callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_wait_for_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.wait_for_async].
 *
 * Returns: (transfer full) (nullable): the object as last read (for
 *   `deleted`, an empty object), or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_kubernetes_manager_wait_for_finish (HeroVirtKubernetesManager *self,
                                              GAsyncResult              *result,
                                              GError                   **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_kubernetes_manager_wait_for_async, error);
}

typedef struct
{
  char    *yaml;
  gboolean force;
} ApplyYamlData;

static void
apply_yaml_data_free (ApplyYamlData *d)
{
  g_free (d->yaml);
  g_free (d);
}

static gpointer
apply_yaml_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  ApplyYamlData *d = data;

  return hero_virt_kubernetes_manager_apply_yaml (source, d->yaml, d->force, cancellable, error);
}

/**
 * hero_virt_kubernetes_manager_apply_yaml_async:
 * @self: a #HeroVirtKubernetesManager
 * @yaml: one or more manifests (YAML or JSON, documents separated by
 *   `---`)
 * @force: take over fields other managers own
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.KubernetesManager.apply_yaml] in a worker
 * thread.
 *
 * Since: 0.1
 */
void
hero_virt_kubernetes_manager_apply_yaml_async (HeroVirtKubernetesManager *self,
                                               const char                *yaml,
                                               gboolean                   force,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data)
{
  ApplyYamlData *d;

  g_return_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (self));
  g_return_if_fail (yaml != NULL);
  d = g_new0 (ApplyYamlData, 1);
  d->yaml = g_strdup (yaml);
  d->force = force;
  _hero_virt_run_in_thread (self, hero_virt_kubernetes_manager_apply_yaml_async, apply_yaml_thread,
                            d, (GDestroyNotify)apply_yaml_data_free,
                            (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * hero_virt_kubernetes_manager_apply_yaml_finish:
 * @self: a #HeroVirtKubernetesManager
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.KubernetesManager.apply_yaml_async].
 *
 * Returns: (transfer container) (element-type Json.Node): the objects as
 *   stored, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_kubernetes_manager_apply_yaml_finish (HeroVirtKubernetesManager *self,
                                                GAsyncResult              *result,
                                                GError                   **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_kubernetes_manager_apply_yaml_async,
                                 error);
}
