/* hero-virt-disk-snapshot.h: an internal snapshot of a disk image
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

#define HERO_VIRT_TYPE_DISK_SNAPSHOT (hero_virt_disk_snapshot_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDiskSnapshot,
                      hero_virt_disk_snapshot,
                      HERO_VIRT,
                      DISK_SNAPSHOT,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskSnapshot *hero_virt_disk_snapshot_new_from_json_object (JsonObject *object,
                                                                    GError    **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_snapshot_get_id (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_snapshot_get_name (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_snapshot_get_vm_state_size (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_disk_snapshot_get_date_sec (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_disk_snapshot_get_date_nsec (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_disk_snapshot_get_vm_clock_sec (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_disk_snapshot_get_vm_clock_nsec (HeroVirtDiskSnapshot *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_disk_snapshot_get_icount (HeroVirtDiskSnapshot *self);

G_END_DECLS
