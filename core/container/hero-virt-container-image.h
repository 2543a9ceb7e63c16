/* hero-virt-container-image.h: a container engine's local image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CONTAINER_IMAGE (hero_virt_container_image_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerImage,
                      hero_virt_container_image,
                      HERO_VIRT,
                      CONTAINER_IMAGE,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_id (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_repository (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_tag (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_image_get_names (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_digest (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_image_get_size (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_created (HeroVirtContainerImage *self);

/* hero_virt_container_image_list, _pull, _push, _tag and _remove are in
 * hero-virt-container-functions.h (generated). */

G_END_DECLS
