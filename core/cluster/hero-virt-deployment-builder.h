/* hero-virt-deployment-builder.h: a fluent Deployment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-workload-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DEPLOYMENT_BUILDER (hero_virt_deployment_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDeploymentBuilder,
                      hero_virt_deployment_builder,
                      HERO_VIRT,
                      DEPLOYMENT_BUILDER,
                      HeroVirtKubeWorkloadBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDeploymentBuilder *hero_virt_deployment_builder_new (HeroVirtKubernetesManager *manager,
                                                             const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDeploymentBuilder *hero_virt_deployment_builder_replicas (HeroVirtDeploymentBuilder *self,
                                                                  int replicas);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDeploymentBuilder *hero_virt_deployment_builder_selector (HeroVirtDeploymentBuilder *self,
                                                                  const char                *key,
                                                                  const char                *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDeploymentBuilder *hero_virt_deployment_builder_recreate (HeroVirtDeploymentBuilder *self,
                                                                  gboolean recreate);

G_END_DECLS
