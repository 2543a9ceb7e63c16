/* hero-virt-namespace-builder.h: a fluent Namespace, the root of the
 * other builders, with reset() and md()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"
#include "hero-virt-pod-builder.h"
#include "hero-virt-deployment-builder.h"
#include "hero-virt-service-builder.h"
#include "hero-virt-config-map-builder.h"
#include "hero-virt-secret-builder.h"
#include "hero-virt-ingress-route-builder.h"
#include "hero-virt-middleware-builder.h"
#include "hero-virt-tls-option-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_NAMESPACE_BUILDER (hero_virt_namespace_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtNamespaceBuilder,
                      hero_virt_namespace_builder,
                      HERO_VIRT,
                      NAMESPACE_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtNamespaceBuilder *hero_virt_namespace_builder_new (HeroVirtKubernetesManager *manager,
                                                           const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesManager *
hero_virt_namespace_builder_get_namespace_manager (HeroVirtNamespaceBuilder *self);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPodBuilder *hero_virt_namespace_builder_pod (HeroVirtNamespaceBuilder *self,
                                                     const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDeploymentBuilder *hero_virt_namespace_builder_deployment (HeroVirtNamespaceBuilder *self,
                                                                   const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtServiceBuilder *hero_virt_namespace_builder_service (HeroVirtNamespaceBuilder *self,
                                                             const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtConfigMapBuilder *hero_virt_namespace_builder_config_map (HeroVirtNamespaceBuilder *self,
                                                                  const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *hero_virt_namespace_builder_secret (HeroVirtNamespaceBuilder *self,
                                                           const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_namespace_builder_ingress_route (HeroVirtNamespaceBuilder *self, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *hero_virt_namespace_builder_middleware (HeroVirtNamespaceBuilder *self,
                                                                   const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_namespace_builder_tls_option (HeroVirtNamespaceBuilder *self,
                                                                  const char               *name);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_namespace_builder_reset (HeroVirtNamespaceBuilder *self,
                                            guint                     timeout_ms,
                                            GCancellable             *cancellable,
                                            GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_namespace_builder_reset_async (HeroVirtNamespaceBuilder *self,
                                              guint                     timeout_ms,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_namespace_builder_reset_finish (HeroVirtNamespaceBuilder *self,
                                                   GAsyncResult             *result,
                                                   GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_namespace_builder_md (HeroVirtNamespaceBuilder *self,
                                      GCancellable             *cancellable,
                                      GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_namespace_builder_md_async (HeroVirtNamespaceBuilder *self,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_namespace_builder_md_finish (HeroVirtNamespaceBuilder *self,
                                             GAsyncResult             *result,
                                             GError                  **error);

G_END_DECLS
