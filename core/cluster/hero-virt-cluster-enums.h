/* hero-virt-cluster-enums.h: options of cluster operations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HeroVirtClusterPatchType:
 * @HERO_VIRT_CLUSTER_PATCH_MERGE: a JSON merge patch (RFC 7386,
 *   `application/merge-patch+json`): an object whose members replace the
 *   target's, `null` deleting them
 * @HERO_VIRT_CLUSTER_PATCH_JSON: a JSON patch (RFC 6902,
 *   `application/json-patch+json`): an array of `add`/`remove`/`replace`/…
 *   operations
 * @HERO_VIRT_CLUSTER_PATCH_STRATEGIC: a Kubernetes strategic merge patch
 *   (`application/strategic-merge-patch+json`), which merges lists such
 *   as containers by key; built-in kinds only, custom resources answer
 *   %HERO_VIRT_ERROR_NOT_SUPPORTED
 *
 * How [method@HeroVirt.ClusterProvider.patch] reads its patch.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_CLUSTER_PATCH_MERGE,
  HERO_VIRT_CLUSTER_PATCH_JSON,
  HERO_VIRT_CLUSTER_PATCH_STRATEGIC,
} HeroVirtClusterPatchType;

/**
 * HeroVirtClusterPropagation:
 * @HERO_VIRT_CLUSTER_PROPAGATION_DEFAULT: the kind's default (background
 *   for most)
 * @HERO_VIRT_CLUSTER_PROPAGATION_FOREGROUND: dependents are deleted
 *   first; the object stays, with a deletion timestamp, until they are
 * @HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND: the object goes at once,
 *   dependents are garbage-collected afterwards
 * @HERO_VIRT_CLUSTER_PROPAGATION_ORPHAN: dependents are kept
 *
 * What [method@HeroVirt.ClusterProvider.delete] does to the objects
 * owned by the one deleted (a deployment's replica sets and pods).
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_CLUSTER_PROPAGATION_DEFAULT,
  HERO_VIRT_CLUSTER_PROPAGATION_FOREGROUND,
  HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND,
  HERO_VIRT_CLUSTER_PROPAGATION_ORPHAN,
} HeroVirtClusterPropagation;

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

G_END_DECLS
