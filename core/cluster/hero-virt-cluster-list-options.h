/* hero-virt-cluster-list-options.h: which objects to list or watch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CLUSTER_LIST_OPTIONS (hero_virt_cluster_list_options_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtClusterListOptions,
                      hero_virt_cluster_list_options,
                      HERO_VIRT,
                      CLUSTER_LIST_OPTIONS,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *hero_virt_cluster_list_options_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_label_selector (HeroVirtClusterListOptions *self,
                                                   const char                 *selector);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_add_label (HeroVirtClusterListOptions *self,
                                          const char                 *key,
                                          const char                 *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_field_selector (HeroVirtClusterListOptions *self,
                                                   const char                 *selector);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_limit (HeroVirtClusterListOptions *self, guint limit);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_continue_token (HeroVirtClusterListOptions *self,
                                                   const char                 *token);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_resource_version (HeroVirtClusterListOptions *self,
                                                     const char                 *resource_version);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_set_timeout_seconds (HeroVirtClusterListOptions *self,
                                                    guint                       timeout_seconds);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_list_options_get_label_selector (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_list_options_get_field_selector (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_cluster_list_options_get_limit (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_list_options_get_continue_token (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_cluster_list_options_get_resource_version (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_cluster_list_options_get_timeout_seconds (HeroVirtClusterListOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_list_options_validate (HeroVirtClusterListOptions *self, GError **error);

G_END_DECLS
