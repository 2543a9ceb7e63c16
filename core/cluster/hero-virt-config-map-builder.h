/* hero-virt-config-map-builder.h: a fluent ConfigMap
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CONFIG_MAP_BUILDER (hero_virt_config_map_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtConfigMapBuilder,
                      hero_virt_config_map_builder,
                      HERO_VIRT,
                      CONFIG_MAP_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtConfigMapBuilder *hero_virt_config_map_builder_new (HeroVirtKubernetesManager *manager,
                                                            const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtConfigMapBuilder *hero_virt_config_map_builder_data (HeroVirtConfigMapBuilder *self,
                                                             const char               *key,
                                                             const char               *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtConfigMapBuilder *hero_virt_config_map_builder_binary_data (HeroVirtConfigMapBuilder *self,
                                                                    const char               *key,
                                                                    GBytes *value);

G_END_DECLS
