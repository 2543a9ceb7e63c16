/* hero-virt-image-container-info.h: a working container of an image builder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_IMAGE_CONTAINER_INFO (hero_virt_image_container_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtImageContainerInfo,
                      hero_virt_image_container_info,
                      HERO_VIRT,
                      IMAGE_CONTAINER_INFO,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_container_info_get_id (HeroVirtImageContainerInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_container_info_get_name (HeroVirtImageContainerInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_container_info_get_image_name (HeroVirtImageContainerInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_container_info_get_image_id (HeroVirtImageContainerInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_container_info_get_builder (HeroVirtImageContainerInfo *self);

G_END_DECLS
