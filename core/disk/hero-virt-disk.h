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
#include "hero-virt-disk-provider.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DISK (hero_virt_disk_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDisk, hero_virt_disk, HERO_VIRT, DISK, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *hero_virt_disk_new (const char *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *hero_virt_disk_new_for_provider (const char       *path,
                                               const char       *provider_name,
                                               HeroVirtExecutor *executor,
                                               GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_disk_get_path (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_disk_get_executor (HeroVirtDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskProvider *hero_virt_disk_get_provider (HeroVirtDisk *self, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_disk_create (HeroVirtDisk *self, guint64 size, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_create_with_options (HeroVirtDisk              *self,
                                             HeroVirtDiskCreateOptions *options,
                                             GCancellable              *cancellable,
                                             GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_create_async (HeroVirtDisk              *self,
                                  HeroVirtDiskCreateOptions *options,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_create_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskInfo *
hero_virt_disk_info (HeroVirtDisk *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_info_async (HeroVirtDisk       *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskInfo *
hero_virt_disk_info_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_snapshot_create (HeroVirtDisk *self,
                                         const char   *name,
                                         GCancellable *cancellable,
                                         GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_snapshot_create_async (HeroVirtDisk       *self,
                                           const char         *name,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_disk_snapshot_create_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_snapshot_delete (HeroVirtDisk *self,
                                         const char   *name,
                                         GCancellable *cancellable,
                                         GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_snapshot_delete_async (HeroVirtDisk       *self,
                                           const char         *name,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_disk_snapshot_delete_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_snapshot_apply (HeroVirtDisk *self,
                                        const char   *name,
                                        GCancellable *cancellable,
                                        GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_snapshot_apply_async (HeroVirtDisk       *self,
                                          const char         *name,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_disk_snapshot_apply_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *
hero_virt_disk_snapshot_list (HeroVirtDisk *self, GCancellable *cancellable, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_resize (HeroVirtDisk *self,
                                guint64       size,
                                gboolean      shrink,
                                GCancellable *cancellable,
                                GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_resize_async (HeroVirtDisk       *self,
                                  guint64             size,
                                  gboolean            shrink,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_disk_resize_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *hero_virt_disk_convert (HeroVirtDisk *self,
                                      const char   *dest,
                                      const char   *format,
                                      gboolean      compress,
                                      GCancellable *cancellable,
                                      GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_convert_async (HeroVirtDisk       *self,
                                   const char         *dest,
                                   const char         *format,
                                   gboolean            compress,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDisk *
hero_virt_disk_convert_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCheckResult *
hero_virt_disk_check (HeroVirtDisk *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_disk_check_async (HeroVirtDisk       *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDiskCheckResult *
hero_virt_disk_check_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error);

G_END_DECLS
