/* hero-virt-cluster-watch-event.h: one change seen by a watch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HeroVirtClusterWatchEventType:
 * @HERO_VIRT_CLUSTER_WATCH_EVENT_ADDED: an object appeared (or existed
 *   when a watch without a resource version started)
 * @HERO_VIRT_CLUSTER_WATCH_EVENT_MODIFIED: an object changed
 * @HERO_VIRT_CLUSTER_WATCH_EVENT_DELETED: an object was deleted; the
 *   event holds its last state
 * @HERO_VIRT_CLUSTER_WATCH_EVENT_BOOKMARK: no change, only a newer
 *   `metadata.resourceVersion` to resume from
 * @HERO_VIRT_CLUSTER_WATCH_EVENT_ERROR: the server reported an error; the
 *   event's object is a Kubernetes `Status` (code 410 means the resource
 *   version is too old: list again and watch from the list's version)
 *
 * What a [class@HeroVirt.ClusterWatchEvent] reports; the values match
 * the Kubernetes watch event types.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_CLUSTER_WATCH_EVENT_ADDED,
  HERO_VIRT_CLUSTER_WATCH_EVENT_MODIFIED,
  HERO_VIRT_CLUSTER_WATCH_EVENT_DELETED,
  HERO_VIRT_CLUSTER_WATCH_EVENT_BOOKMARK,
  HERO_VIRT_CLUSTER_WATCH_EVENT_ERROR,
} HeroVirtClusterWatchEventType;

#define HERO_VIRT_TYPE_CLUSTER_WATCH_EVENT (hero_virt_cluster_watch_event_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtClusterWatchEvent,
                      hero_virt_cluster_watch_event,
                      HERO_VIRT,
                      CLUSTER_WATCH_EVENT,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatchEvent *
hero_virt_cluster_watch_event_new (HeroVirtClusterWatchEventType event_type, JsonNode *object);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatchEvent *hero_virt_cluster_watch_event_new_from_json (JsonNode *node,
                                                                        GError  **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatchEventType
hero_virt_cluster_watch_event_get_event_type (HeroVirtClusterWatchEvent *self);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_cluster_watch_event_get_object (HeroVirtClusterWatchEvent *self);

G_END_DECLS
