/* hero-virt-middleware-builder.h: a fluent Traefik Middleware
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_MIDDLEWARE_BUILDER (hero_virt_middleware_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtMiddlewareBuilder,
                      hero_virt_middleware_builder,
                      HERO_VIRT,
                      MIDDLEWARE_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *hero_virt_middleware_builder_new (HeroVirtKubernetesManager *manager,
                                                             const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_strip_prefix (HeroVirtMiddlewareBuilder *self, const char *prefix);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *hero_virt_middleware_builder_basic_auth (HeroVirtMiddlewareBuilder *self,
                                                                    const char *secret);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_request_header (HeroVirtMiddlewareBuilder *self,
                                             const char                *name,
                                             const char                *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_response_header (HeroVirtMiddlewareBuilder *self,
                                              const char                *name,
                                              const char                *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_redirect_scheme (HeroVirtMiddlewareBuilder *self,
                                              const char                *scheme,
                                              gboolean                   permanent);

G_END_DECLS
