/* hero-virt-ingress-route-builder.h: a fluent Traefik IngressRoute
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_INGRESS_ROUTE_BUILDER (hero_virt_ingress_route_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtIngressRouteBuilder,
                      hero_virt_ingress_route_builder,
                      HERO_VIRT,
                      INGRESS_ROUTE_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_new (HeroVirtKubernetesManager *manager, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_entry_point (HeroVirtIngressRouteBuilder *self, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_route (HeroVirtIngressRouteBuilder *self, const char *match);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_route_for (HeroVirtIngressRouteBuilder *self,
                                           const char                  *host,
                                           const char                  *path_prefix);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_priority (HeroVirtIngressRouteBuilder *self, int priority);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_service (HeroVirtIngressRouteBuilder *self,
                                         const char                  *name,
                                         int                          port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_weighted_service (HeroVirtIngressRouteBuilder *self,
                                                  const char                  *name,
                                                  int                          port,
                                                  int                          weight);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_middleware (HeroVirtIngressRouteBuilder *self,
                                            const char                  *name,
                                            const char *namespace);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_secret (HeroVirtIngressRouteBuilder *self, const char *secret);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_cert_resolver (HeroVirtIngressRouteBuilder *self,
                                                   const char                  *resolver);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_options (HeroVirtIngressRouteBuilder *self,
                                             const char                  *name,
                                             const char *namespace);

G_END_DECLS
