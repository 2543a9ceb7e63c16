/* hero-virt-kube.c: Kubernetes resources and errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_kube_resource_new:
 * @kind: the resource's kind
 * @namespace: (nullable): its namespace, for namespaced kinds
 * @name: its name
 *
 * Starts a manifest: `apiVersion`, `kind` and `metadata` with the name
 * and namespace. Add `spec`, `data` and so on with json-glib. The names
 * are not validated here; providers validate what they are given.
 *
 * Returns: (transfer full): a new, mutable JSON object node
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_kube_resource_new (HeroVirtClusterKind *kind, const char *namespace, const char *name)
{
  JsonNode        *node;
  g_autofree char *api_version = NULL;
  JsonObject      *object;
  JsonObject      *metadata;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (kind), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  api_version = hero_virt_cluster_kind_get_api_version (kind);
  object = json_object_new ();
  json_object_set_string_member (object, "apiVersion", api_version);
  json_object_set_string_member (object, "kind", hero_virt_cluster_kind_get_kind (kind));
  metadata = json_object_new ();
  json_object_set_string_member (metadata, "name", name);
  if (namespace != NULL)
    json_object_set_string_member (metadata, "namespace", namespace);
  json_object_set_object_member (object, "metadata", metadata);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static JsonObject *
member_object (JsonNode *node, const char *member)
{
  JsonNode *child;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  child = json_object_get_member (json_node_get_object (node), member);
  return child && JSON_NODE_HOLDS_OBJECT (child) ? json_node_get_object (child) : NULL;
}

static const char *
string_member (JsonObject *object, const char *member)
{
  JsonNode *child = object ? json_object_get_member (object, member) : NULL;

  return child && json_node_get_value_type (child) == G_TYPE_STRING ? json_node_get_string (child)
                                                                    : NULL;
}

/**
 * hero_virt_kube_resource_get_api_version:
 * @resource: a resource
 *
 * Returns: (nullable): its `apiVersion`
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_api_version (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (JSON_NODE_HOLDS_OBJECT (resource) ? json_node_get_object (resource) : NULL,
                        "apiVersion");
}

/**
 * hero_virt_kube_resource_get_kind:
 * @resource: a resource
 *
 * Returns: (nullable): its `kind`
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_kind (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (JSON_NODE_HOLDS_OBJECT (resource) ? json_node_get_object (resource) : NULL,
                        "kind");
}

/**
 * hero_virt_kube_resource_get_name:
 * @resource: a resource
 *
 * Returns: (nullable): its `metadata.name`
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_name (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (member_object (resource, "metadata"), "name");
}

/**
 * hero_virt_kube_resource_get_namespace:
 * @resource: a resource
 *
 * Returns: (nullable): its `metadata.namespace`
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_namespace (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (member_object (resource, "metadata"), "namespace");
}

/**
 * hero_virt_kube_resource_get_uid:
 * @resource: a resource
 *
 * Returns: (nullable): its `metadata.uid`, set by the server
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_uid (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (member_object (resource, "metadata"), "uid");
}

/**
 * hero_virt_kube_resource_get_resource_version:
 * @resource: a resource or a list
 *
 * Returns: (nullable): its `metadata.resourceVersion`, an opaque string
 *   to compare for equality and to start a watch from
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_resource_version (JsonNode *resource)
{
  g_return_val_if_fail (resource != NULL, NULL);
  return string_member (member_object (resource, "metadata"), "resourceVersion");
}

/**
 * hero_virt_kube_resource_get_label:
 * @resource: a resource
 * @key: a label key
 *
 * Returns: (nullable): the value of `metadata.labels[key]`
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_get_label (JsonNode *resource, const char *key)
{
  JsonObject *metadata;
  JsonNode   *labels;

  g_return_val_if_fail (resource != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  metadata = member_object (resource, "metadata");
  labels = metadata ? json_object_get_member (metadata, "labels") : NULL;
  return labels && JSON_NODE_HOLDS_OBJECT (labels)
             ? string_member (json_node_get_object (labels), key)
             : NULL;
}

/**
 * hero_virt_kube_list_get_items:
 * @list: a list as [method@HeroVirt.ClusterProvider.list] returns it
 *
 * Returns: (transfer container) (element-type Json.Node): the list's
 *   `items`, empty if it has none
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_kube_list_get_items (JsonNode *list)
{
  GPtrArray *items = g_ptr_array_new ();
  JsonNode  *array = NULL;

  g_return_val_if_fail (list != NULL, items);

  if (JSON_NODE_HOLDS_OBJECT (list))
    array = json_object_get_member (json_node_get_object (list), "items");
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    return items;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    g_ptr_array_add (items, json_array_get_element (json_node_get_array (array), i));
  return items;
}

/**
 * hero_virt_kube_set_error_from_status:
 * @error: return location for a #GError
 * @http_status: the HTTP status code of the response
 * @status: (nullable): the response body if it is a Kubernetes `Status`
 *
 * Turns a failed API response into the HeroVirt error a
 * [iface@HeroVirt.ClusterProvider] must raise, so every cluster plugin
 * reports the same codes: NotFound (404) is %HERO_VIRT_ERROR_NOT_FOUND;
 * AlreadyExists is %HERO_VIRT_ERROR_EXISTS; Conflict (other 409s) is
 * %HERO_VIRT_ERROR_CONFLICT; Invalid (422) and BadRequest (400) are
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT; Unauthorized (401) and Forbidden
 * (403) are %HERO_VIRT_ERROR_AUTH; UnsupportedMediaType (415) is
 * %HERO_VIRT_ERROR_NOT_SUPPORTED; Timeout (504) is
 * %HERO_VIRT_ERROR_TIMEOUT; ServiceUnavailable (503) is
 * %HERO_VIRT_ERROR_UNAVAILABLE; Gone and Expired (410) are
 * %HERO_VIRT_ERROR_GONE; TooManyRequests (429) is
 * %HERO_VIRT_ERROR_RATE_LIMITED; RequestEntityTooLarge (413) is
 * %HERO_VIRT_ERROR_TOO_LARGE; anything else is %HERO_VIRT_ERROR_NETWORK.
 * The message is the Status message, as kubectl prints it, followed by
 * the reason; an Invalid Status's field causes are listed after it when
 * the message does not already name them.
 *
 * Since: 0.1
 */
void
hero_virt_kube_set_error_from_status (GError **error, guint http_status, JsonNode *status)
{
  JsonObject *object
      = status && JSON_NODE_HOLDS_OBJECT (status) ? json_node_get_object (status) : NULL;
  const char   *reason = string_member (object, "reason");
  const char   *message = string_member (object, "message");
  HeroVirtError code;

  if (g_strcmp0 (reason, "AlreadyExists") == 0)
    code = HERO_VIRT_ERROR_EXISTS;
  else if (http_status == 404 || g_strcmp0 (reason, "NotFound") == 0)
    code = HERO_VIRT_ERROR_NOT_FOUND;
  else if (http_status == 409)
    code = HERO_VIRT_ERROR_CONFLICT;
  else if (http_status == 400 || http_status == 422)
    code = HERO_VIRT_ERROR_INVALID_ARGUMENT;
  else if (http_status == 401 || http_status == 403)
    code = HERO_VIRT_ERROR_AUTH;
  else if (http_status == 415)
    code = HERO_VIRT_ERROR_NOT_SUPPORTED;
  else if (http_status == 504 || g_strcmp0 (reason, "Timeout") == 0)
    code = HERO_VIRT_ERROR_TIMEOUT;
  else if (http_status == 503)
    code = HERO_VIRT_ERROR_UNAVAILABLE;
  else if (http_status == 410 || g_strcmp0 (reason, "Gone") == 0
           || g_strcmp0 (reason, "Expired") == 0)
    code = HERO_VIRT_ERROR_GONE;
  else if (http_status == 429 || g_strcmp0 (reason, "TooManyRequests") == 0)
    code = HERO_VIRT_ERROR_RATE_LIMITED;
  else if (http_status == 413 || g_strcmp0 (reason, "RequestEntityTooLarge") == 0)
    code = HERO_VIRT_ERROR_TOO_LARGE;
  else
    code = HERO_VIRT_ERROR_NETWORK;

  if (message != NULL)
    {
      g_autoptr (GString) causes = g_string_new (NULL);
      JsonObject *details = NULL;

      if (json_object_has_member (object, "details")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "details")))
        details = json_object_get_object_member (object, "details");
      if (details != NULL && json_object_has_member (details, "causes")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (details, "causes")))
        {
          JsonArray *array = json_object_get_array_member (details, "causes");

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode   *cause = json_array_get_element (array, i);
              JsonObject *c = JSON_NODE_HOLDS_OBJECT (cause) ? json_node_get_object (cause) : NULL;
              const char *field = string_member (c, "field");
              const char *text = string_member (c, "message");

              if (field == NULL || text == NULL || strstr (message, field) != NULL)
                continue;
              g_string_append_printf (causes, "; %s: %s", field, text);
            }
        }
      g_set_error (error, HERO_VIRT_ERROR, code, "%s (%s)%s", message, reason ? reason : "Failure",
                   causes->str);
    }
  else
    g_set_error (error, HERO_VIRT_ERROR, code, "The API server answered HTTP %u", http_status);
}

/**
 * hero_virt_cluster_provider_namespace_exists:
 * @self: a #HeroVirtClusterProvider
 * @executor: (nullable): passed on to the provider, or %NULL for the
 *   local executor
 * @name: the namespace
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Says whether the namespace @name exists, through the provider's
 * [method@HeroVirt.ClusterProvider.get], so providers need not implement
 * it. A namespace being deleted still exists.
 *
 * Returns: %TRUE if it exists; %FALSE without an error if it does not,
 *   or with one if the cluster could not tell (or @name is invalid)
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_provider_namespace_exists (HeroVirtClusterProvider *self,
                                             HeroVirtExecutor        *executor,
                                             const char              *name,
                                             GCancellable            *cancellable,
                                             GError                 **error)
{
  g_autoptr (HeroVirtClusterKind) kind = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_PROVIDER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!hero_virt_kube_validate_dns1123_label (name, error))
    return FALSE;
  kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  node = hero_virt_cluster_provider_get (self, executor, kind, NULL, name, cancellable,
                                         &local_error);
  if (node != NULL)
    return TRUE;
  if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
namespace_exists_got (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) node = NULL;
  GError *error = NULL;

  node
      = hero_virt_cluster_provider_get_finish (HERO_VIRT_CLUSTER_PROVIDER (source), result, &error);
  if (node != NULL)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    {
      g_error_free (error);
      g_task_return_boolean (task, FALSE);
    }
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_cluster_provider_namespace_exists_async:
 * @self: a #HeroVirtClusterProvider
 * @executor: (nullable): passed on to the provider, or %NULL for the
 *   local executor
 * @name: the namespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is known
 * @user_data: data for @callback
 *
 * Starts the asynchronous form of
 * [method@HeroVirt.ClusterProvider.namespace_exists].
 *
 * Since: 0.1
 */
void
hero_virt_cluster_provider_namespace_exists_async (HeroVirtClusterProvider *self,
                                                   HeroVirtExecutor        *executor,
                                                   const char              *name,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (HeroVirtClusterKind) kind = NULL;
  GError *error = NULL;

  g_return_if_fail (HERO_VIRT_IS_CLUSTER_PROVIDER (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_cluster_provider_namespace_exists_async);
  if (!hero_virt_kube_validate_dns1123_label (name, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  kind = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  hero_virt_cluster_provider_get_async (self, executor, kind, NULL, name, cancellable,
                                        namespace_exists_got, g_steal_pointer (&task));
}

/**
 * hero_virt_cluster_provider_namespace_exists_finish:
 * @self: a #HeroVirtClusterProvider
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.ClusterProvider.namespace_exists_async].
 *
 * Returns: %TRUE if the namespace exists; %FALSE without an error if it
 *   does not, or with one
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_provider_namespace_exists_finish (HeroVirtClusterProvider *self,
                                                    GAsyncResult            *result,
                                                    GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
