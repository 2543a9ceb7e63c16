/* hero-virt-cluster-watch-event-extra.c: what the generated
 * ClusterWatchEvent does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_cluster_watch_event_new_from_json:
 * @node: one line of a Kubernetes watch stream, parsed:
 *   `{"type": "ADDED", "object": {…}}`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new event, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtClusterWatchEvent *
hero_virt_cluster_watch_event_new_from_json (JsonNode *node, GError **error)
{
  static const char *const names[] = { "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR" };
  JsonObject              *object;
  JsonNode                *child;
  const char              *type;

  g_return_val_if_fail (node != NULL, NULL);

  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  child = object ? json_object_get_member (object, "type") : NULL;
  type = child && json_node_get_value_type (child) == G_TYPE_STRING ? json_node_get_string (child)
                                                                    : NULL;
  child = object ? json_object_get_member (object, "object") : NULL;
  if (type == NULL || child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "A watch event needs a string “type” and an object “object”");
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (type, names[i]) == 0)
      return hero_virt_cluster_watch_event_new (i, child);
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Unknown watch event type “%s”",
               type);
  return NULL;
}
