/* hero-virt-kubernetes-config.h: timeouts, retries and rate limits of a
 * Kubernetes client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_KUBERNETES_CONFIG (hero_virt_kubernetes_config_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtKubernetesConfig,
                      hero_virt_kubernetes_config,
                      HERO_VIRT,
                      KUBERNETES_CONFIG,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_new_high_throughput (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_new_low_latency (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_new_development (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_copy (HeroVirtKubernetesConfig *self);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_with_timeout (HeroVirtKubernetesConfig *self,
                                                                    guint timeout_ms);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_config_with_retries (HeroVirtKubernetesConfig *self,
                                                                    guint max_retries,
                                                                    guint base_delay_ms,
                                                                    guint max_delay_ms);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_rate_limit (HeroVirtKubernetesConfig *self,
                                             double                    rps,
                                             guint                     burst);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *
hero_virt_kubernetes_config_with_insecure_http (HeroVirtKubernetesConfig *self, gboolean allow);

HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_kubernetes_config_get_operation_timeout_ms (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_kubernetes_config_get_max_retries (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_kubernetes_config_get_retry_base_delay_ms (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_kubernetes_config_get_retry_max_delay_ms (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_kubernetes_config_get_rate_limit_rps (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_kubernetes_config_get_rate_limit_burst (HeroVirtKubernetesConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_config_get_allow_insecure_http (HeroVirtKubernetesConfig *self);

G_END_DECLS
