/* hero-virt-service-builder.h: a fluent Service
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_SERVICE_BUILDER (hero_virt_service_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtServiceBuilder,
                      hero_virt_service_builder,
                      HERO_VIRT,
                      SERVICE_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_service_builder_new (HeroVirtKubernetesManager *manager,
                                                       const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_service_builder_selector (HeroVirtServiceBuilder *self,
                                                            const char             *key,
                                                            const char             *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *
hero_virt_service_builder_port (HeroVirtServiceBuilder *self, int port, int target_port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_service_builder_port_full (HeroVirtServiceBuilder *self,
                                                             const char             *name,
                                                             int                     port,
                                                             int                     target_port,
                                                             const char             *protocol,
                                                             int                     node_port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_service_builder_service_type (HeroVirtServiceBuilder *self,
                                                                const char             *type);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_service_builder_cluster_ip (HeroVirtServiceBuilder *self,
                                                              const char             *ip);

G_END_DECLS
