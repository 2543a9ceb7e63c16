/* hero-virt-pod-executor.h: runs commands in a pod's container
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-cluster-provider.h"
#include "hero-virt-kubernetes-manager.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_POD_EXECUTOR (hero_virt_pod_executor_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtPodExecutor, hero_virt_pod_executor, HERO_VIRT, POD_EXECUTOR, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPodExecutor *hero_virt_pod_executor_new (HeroVirtKubernetesManager *manager,
                                                 const char                *pod,
                                                 const char                *container,
                                                 GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPodExecutor *hero_virt_pod_executor_new_for_provider (HeroVirtClusterProvider *provider,
                                                              const char *namespace,
                                                              const char *pod,
                                                              const char *container,
                                                              GError    **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_pod_executor_get_namespace (HeroVirtPodExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_pod_executor_get_pod (HeroVirtPodExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_pod_executor_get_container (HeroVirtPodExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterProvider *hero_virt_pod_executor_get_provider (HeroVirtPodExecutor *self);

G_END_DECLS
