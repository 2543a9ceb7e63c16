/* hero-virt-disk-info.h: what a disk image is
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-disk-snapshot.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DISK_INFO (hero_virt_disk_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDiskInfo, hero_virt_disk_info, HERO_VIRT, DISK_INFO, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskInfo *hero_virt_disk_info_new_from_json (const char *json, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskInfo *hero_virt_disk_info_new_from_json_node (JsonNode *node, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_disk_info_to_json (HeroVirtDiskInfo *self, gboolean pretty);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_disk_info_get_json_node (HeroVirtDiskInfo *self);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_filename (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_format (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_info_get_virtual_size (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_info_get_actual_size (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_info_get_cluster_size (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_info_get_dirty (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_info_get_encrypted (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_backing_filename (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_full_backing_filename (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_backing_format (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_info_get_compat (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_info_get_lazy_refcounts (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_info_get_corrupt (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_disk_info_get_refcount_bits (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_disk_info_get_snapshots (HeroVirtDiskInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskSnapshot *hero_virt_disk_info_find_snapshot (HeroVirtDiskInfo *self, const char *name);

G_END_DECLS
