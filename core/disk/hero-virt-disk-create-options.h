/* hero-virt-disk-create-options.h: how to create a disk image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DISK_CREATE_OPTIONS (hero_virt_disk_create_options_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDiskCreateOptions,
                      hero_virt_disk_create_options,
                      HERO_VIRT,
                      DISK_CREATE_OPTIONS,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *hero_virt_disk_create_options_new (guint64 size);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *hero_virt_disk_create_options_set_size (HeroVirtDiskCreateOptions *self,
                                                                   guint64                    size);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_format (HeroVirtDiskCreateOptions *self, const char *format);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_backing_file (HeroVirtDiskCreateOptions *self,
                                                const char                *backing_file,
                                                const char                *backing_format);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_cluster_size (HeroVirtDiskCreateOptions *self,
                                                guint                      cluster_size);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_compat (HeroVirtDiskCreateOptions *self, const char *compat);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_lazy_refcounts (HeroVirtDiskCreateOptions *self,
                                                  gboolean                   lazy_refcounts);

HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_disk_create_options_get_size (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_create_options_get_format (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_create_options_get_backing_file (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_create_options_get_backing_format (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_disk_create_options_get_cluster_size (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_create_options_get_compat (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_create_options_get_lazy_refcounts (HeroVirtDiskCreateOptions *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_create_options_validate (HeroVirtDiskCreateOptions *self, GError **error);

G_END_DECLS
