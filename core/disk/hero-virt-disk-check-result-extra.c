/* hero-virt-disk-check-result-extra.c: what the generated DiskCheckResult
 * does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_disk_check_result_get_clean:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: %TRUE when the check found no corruption, leak or error
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_check_result_get_clean (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), FALSE);
  return hero_virt_disk_check_result_get_corruptions (self) == 0
         && hero_virt_disk_check_result_get_leaks (self) == 0
         && hero_virt_disk_check_result_get_check_errors (self) == 0;
}
