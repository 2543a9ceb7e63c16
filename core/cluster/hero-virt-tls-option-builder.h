/* hero-virt-tls-option-builder.h: a fluent Traefik TLSOption
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_TLS_OPTION_BUILDER (hero_virt_tls_option_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtTlsOptionBuilder,
                      hero_virt_tls_option_builder,
                      HERO_VIRT,
                      TLS_OPTION_BUILDER,
                      HeroVirtKubeResourceBuilder)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_tls_option_builder_new (HeroVirtKubernetesManager *manager,
                                                            const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_tls_option_builder_min_version (HeroVirtTlsOptionBuilder *self,
                                                                    const char *version);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_tls_option_builder_max_version (HeroVirtTlsOptionBuilder *self,
                                                                    const char *version);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_tls_option_builder_cipher_suite (HeroVirtTlsOptionBuilder *self,
                                                                     const char *suite);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtTlsOptionBuilder *hero_virt_tls_option_builder_sni_strict (HeroVirtTlsOptionBuilder *self,
                                                                   gboolean strict);

G_END_DECLS
