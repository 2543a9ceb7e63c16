/* hero-virt-disk.h: a disk image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-disk-enums.h"
#include "hero-virt-disk-provider.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DISK (hero_virt_disk_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDisk, hero_virt_disk, HERO_VIRT, DISK, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *hero_virt_disk_new (const char *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *
hero_virt_disk_new_with_format (const char *path, const char *format, HeroVirtDiskOpenFlags flags);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *hero_virt_disk_new_for_provider (const char       *path,
                                               const char       *provider_name,
                                               HeroVirtExecutor *executor,
                                               GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_get_path (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_get_format (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskOpenFlags hero_virt_disk_get_open_flags (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_validate_path (const char *path, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_disk_get_executor (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskProvider *hero_virt_disk_get_provider (HeroVirtDisk *self, GError **error);

G_END_DECLS

/* The I/O methods, generated from disk-object.json. */
#include "hero-virt-disk-object.h"
