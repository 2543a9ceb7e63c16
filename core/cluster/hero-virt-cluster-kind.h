/* hero-virt-cluster-kind.h: what kind of resource, and where it lives
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

#define HERO_VIRT_TYPE_CLUSTER_KIND (hero_virt_cluster_kind_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtClusterKind, hero_virt_cluster_kind, HERO_VIRT, CLUSTER_KIND, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterKind *hero_virt_cluster_kind_new (const char *group,
                                                 const char *version,
                                                 const char *kind,
                                                 const char *plural,
                                                 gboolean    namespaced);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterKind *hero_virt_cluster_kind_lookup (const char *api_version, const char *kind);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterKind *hero_virt_cluster_kind_new_for_resource (JsonNode *resource, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_kind_get_group (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_kind_get_version (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_kind_get_kind (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_kind_get_plural (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_kind_get_namespaced (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_cluster_kind_get_api_version (HeroVirtClusterKind *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_cluster_kind_get_path (HeroVirtClusterKind *self,
                                       const char *namespace,
                                       const char *name,
                                       GError    **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_cluster_kind_validate_name (HeroVirtClusterKind *self, const char *name, GError **error);

G_END_DECLS
