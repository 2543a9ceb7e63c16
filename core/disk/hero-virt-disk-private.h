/* hero-virt-disk-private.h: the Disk's state and the hooks its generated
 * methods (disk-object.json) call; never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

struct _HeroVirtDisk
{
  GObject parent_instance;

  char                 *path;
  char                 *format;
  HeroVirtDiskOpenFlags open_flags;
  GError               *path_error; /* the path as given was refused */
  HeroVirtExecutor     *executor;
  HeroVirtDiskProvider *provider;
  GMutex                lock;
};

HeroVirtDiskProvider *
_hero_virt_disk_lookup_provider (HeroVirtDisk *self, GCancellable *cancellable, GError **error);
gboolean      _hero_virt_disk_check_path (HeroVirtDisk *self, GError **error);
gboolean      _hero_virt_disk_check_new_size (guint64 size, GError **error);
gboolean      _hero_virt_disk_check_convert (HeroVirtDisk *self,
                                             const char   *dest,
                                             const char   *format,
                                             gboolean      compress,
                                             GError      **error);
HeroVirtDisk *_hero_virt_disk_sibling (HeroVirtDisk *self, const char *path, const char *format);
gboolean      _hero_virt_disk_check_format (const char *format, GError **error);
HeroVirtDiskCreateOptions *_hero_virt_disk_default_create_options (HeroVirtDisk *self,
                                                                   guint64       size);
GPtrArray                 *_hero_virt_disk_info_to_snapshots (HeroVirtDiskInfo *info);

G_END_DECLS
