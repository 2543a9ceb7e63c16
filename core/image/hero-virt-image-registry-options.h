/* hero-virt-image-registry-options.h: how to reach an image registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_IMAGE_REGISTRY_OPTIONS (hero_virt_image_registry_options_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtImageRegistryOptions,
                      hero_virt_image_registry_options,
                      HERO_VIRT,
                      IMAGE_REGISTRY_OPTIONS,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageRegistryOptions *hero_virt_image_registry_options_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_tls_verify (HeroVirtImageRegistryOptions *self,
                                                 gboolean                      tls_verify);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_cert_dir (HeroVirtImageRegistryOptions *self,
                                               const char                   *cert_dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_credentials (HeroVirtImageRegistryOptions *self,
                                                  const char                   *username,
                                                  const char                   *password);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_registry_options_get_tls_verify (HeroVirtImageRegistryOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_registry_options_get_cert_dir (HeroVirtImageRegistryOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_registry_options_get_username (HeroVirtImageRegistryOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_registry_options_get_password (HeroVirtImageRegistryOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_registry_options_has_credentials (HeroVirtImageRegistryOptions *self);

G_END_DECLS
