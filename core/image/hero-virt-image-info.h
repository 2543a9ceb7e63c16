/* hero-virt-image-info.h: what a local OCI image is
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_IMAGE_INFO (hero_virt_image_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtImageInfo, hero_virt_image_info, HERO_VIRT, IMAGE_INFO, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_id (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_names (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_digest (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_image_info_get_created (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_size (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_architecture (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_os (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_author (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_entrypoint (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_cmd (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_env (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_labels (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_label (HeroVirtImageInfo *self, const char *key);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_working_dir (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_user (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_info_get_exposed_ports (HeroVirtImageInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_info_get_json (HeroVirtImageInfo *self);

G_END_DECLS
