/* hero-virt-disk-info-extra.c: what the generated DiskInfo does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_disk_info_find_snapshot:
 * @self: a #HeroVirtDiskInfo
 * @name: a snapshot name
 *
 * Returns: (transfer none) (nullable): the snapshot called @name
 *
 * Since: 0.1
 */
HeroVirtDiskSnapshot *
hero_virt_disk_info_find_snapshot (HeroVirtDiskInfo *self, const char *name)
{
  g_autoptr (GPtrArray) snapshots = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  snapshots = hero_virt_disk_info_get_snapshots (self);
  for (guint i = 0; i < snapshots->len; i++)
    {
      HeroVirtDiskSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      if (g_strcmp0 (hero_virt_disk_snapshot_get_name (snapshot), name) == 0)
        return snapshot; /* @self's own list keeps it alive */
    }
  return NULL;
}
