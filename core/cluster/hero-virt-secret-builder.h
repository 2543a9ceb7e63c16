/* hero-virt-secret-builder.h: a fluent Secret
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_SECRET_BUILDER (hero_virt_secret_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtSecretBuilder,
                      hero_virt_secret_builder,
                      HERO_VIRT,
                      SECRET_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *hero_virt_secret_builder_new (HeroVirtKubernetesManager *manager,
                                                     const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *
hero_virt_secret_builder_data (HeroVirtSecretBuilder *self, const char *key, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *
hero_virt_secret_builder_data_bytes (HeroVirtSecretBuilder *self, const char *key, GBytes *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *hero_virt_secret_builder_string_data (HeroVirtSecretBuilder *self,
                                                             const char            *key,
                                                             const char            *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSecretBuilder *hero_virt_secret_builder_secret_type (HeroVirtSecretBuilder *self,
                                                             const char            *type);

G_END_DECLS
