/* hero-virt-vm-info-extra.c: what the generated VmInfo does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_vm_info_is_running:
 * @self: a #HeroVirtVmInfo
 *
 * Returns: whether the VM is running or paused, that is, has a live
 *   hypervisor process holding guest memory
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_info_is_running (HeroVirtVmInfo *self)
{
  HeroVirtVmState state;

  g_return_val_if_fail (HERO_VIRT_IS_VM_INFO (self), FALSE);

  state = hero_virt_vm_info_get_state (self);
  return state == HERO_VIRT_VM_STATE_RUNNING || state == HERO_VIRT_VM_STATE_PAUSED;
}
