/* hero-virt-disk-check-result.h: what a consistency check found
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DISK_CHECK_RESULT (hero_virt_disk_check_result_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDiskCheckResult,
                      hero_virt_disk_check_result,
                      HERO_VIRT,
                      DISK_CHECK_RESULT,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCheckResult *hero_virt_disk_check_result_new_from_json (const char *json,
                                                                    GError    **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_check_result_get_clean (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_corruptions (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_leaks (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_check_errors (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_image_end_offset (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_total_clusters (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_check_result_get_allocated_clusters (HeroVirtDiskCheckResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_disk_check_result_to_json (HeroVirtDiskCheckResult *self, gboolean pretty);

G_END_DECLS
