/* hero-virt-cluster-watch-event.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtClusterWatchEvent:
 *
 * One change seen by a [class@HeroVirt.ClusterWatch]: its type and the
 * object as it is now (or was, for a deletion).
 *
 * Since: 0.1
 */
struct _HeroVirtClusterWatchEvent
{
  GObject parent_instance;

  HeroVirtClusterWatchEventType event_type;
  JsonNode                     *object;
};

enum
{
  PROP_0,
  PROP_EVENT_TYPE,
  PROP_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtClusterWatchEvent, hero_virt_cluster_watch_event, G_TYPE_OBJECT)

static void
hero_virt_cluster_watch_event_finalize (GObject *object)
{
  HeroVirtClusterWatchEvent *self = HERO_VIRT_CLUSTER_WATCH_EVENT (object);

  g_clear_pointer (&self->object, json_node_unref);

  G_OBJECT_CLASS (hero_virt_cluster_watch_event_parent_class)->finalize (object);
}

static void
hero_virt_cluster_watch_event_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  HeroVirtClusterWatchEvent *self = HERO_VIRT_CLUSTER_WATCH_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      g_value_set_enum (value, self->event_type);
      break;
    case PROP_OBJECT:
      g_value_set_boxed (value, self->object);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_cluster_watch_event_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  HeroVirtClusterWatchEvent *self = HERO_VIRT_CLUSTER_WATCH_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      self->event_type = g_value_get_enum (value);
      break;
    case PROP_OBJECT:
      self->object = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_cluster_watch_event_class_init (HeroVirtClusterWatchEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hero_virt_cluster_watch_event_finalize;
  object_class->get_property = hero_virt_cluster_watch_event_get_property;
  object_class->set_property = hero_virt_cluster_watch_event_set_property;

  /**
   * HeroVirtClusterWatchEvent:event-type:
   *
   * What happened.
   *
   * Since: 0.1
   */
  properties[PROP_EVENT_TYPE]
      = g_param_spec_enum ("event-type", NULL, NULL, HERO_VIRT_TYPE_CLUSTER_WATCH_EVENT_TYPE,
                           HERO_VIRT_CLUSTER_WATCH_EVENT_ADDED, flags);
  /**
   * HeroVirtClusterWatchEvent:object:
   *
   * The object, or a `Status` for error events.
   *
   * Since: 0.1
   */
  properties[PROP_OBJECT] = g_param_spec_boxed ("object", NULL, NULL, JSON_TYPE_NODE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_cluster_watch_event_init (HeroVirtClusterWatchEvent *self)
{
}

/**
 * hero_virt_cluster_watch_event_new:
 * @event_type: what happened
 * @object: the object; it is referenced, not copied, so do not change it
 *   afterwards
 *
 * Returns: (transfer full): a new event
 *
 * Since: 0.1
 */
HeroVirtClusterWatchEvent *
hero_virt_cluster_watch_event_new (HeroVirtClusterWatchEventType event_type, JsonNode *object)
{
  HeroVirtClusterWatchEvent *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (HERO_VIRT_TYPE_CLUSTER_WATCH_EVENT, "event-type", event_type, NULL);
  /* A reference, not the property's deep copy: watches can be busy. */
  self->object = json_node_ref (object);
  return self;
}

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

/**
 * hero_virt_cluster_watch_event_get_event_type:
 * @self: a #HeroVirtClusterWatchEvent
 *
 * Returns: the value of [property@HeroVirt.ClusterWatchEvent:event-type]
 *
 * Since: 0.1
 */
HeroVirtClusterWatchEventType
hero_virt_cluster_watch_event_get_event_type (HeroVirtClusterWatchEvent *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH_EVENT (self),
                        HERO_VIRT_CLUSTER_WATCH_EVENT_ERROR);
  return self->event_type;
}

/**
 * hero_virt_cluster_watch_event_get_object:
 * @self: a #HeroVirtClusterWatchEvent
 *
 * Returns: (transfer none): the value of [property@HeroVirt.ClusterWatchEvent:object]
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_cluster_watch_event_get_object (HeroVirtClusterWatchEvent *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_WATCH_EVENT (self), NULL);
  return self->object;
}
