/* hero-virt-pod-builder.h: a fluent Pod
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-workload-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_POD_BUILDER (hero_virt_pod_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtPodBuilder,
                      hero_virt_pod_builder,
                      HERO_VIRT,
                      POD_BUILDER,
                      HeroVirtKubeWorkloadBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPodBuilder *hero_virt_pod_builder_new (HeroVirtKubernetesManager *manager,
                                               const char                *name);

G_END_DECLS
