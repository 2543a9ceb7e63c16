/* hero-virt-vm-enums.h: the enumerations of the VM types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HeroVirtVmState:
 * @HERO_VIRT_VM_STATE_UNKNOWN: the backend could not tell
 * @HERO_VIRT_VM_STATE_CREATED: defined but not running (never started,
 *   or stopped); cloud-hypervisor reports `Created` after a shutdown too
 * @HERO_VIRT_VM_STATE_RUNNING: running
 * @HERO_VIRT_VM_STATE_PAUSED: paused; resume continues it
 * @HERO_VIRT_VM_STATE_STOPPED: its hypervisor process has exited
 *   (shut down, powered off, killed or crashed); start boots it again
 *
 * The life-cycle state of a virtual machine.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_VM_STATE_UNKNOWN,
  HERO_VIRT_VM_STATE_CREATED,
  HERO_VIRT_VM_STATE_RUNNING,
  HERO_VIRT_VM_STATE_PAUSED,
  HERO_VIRT_VM_STATE_STOPPED,
} HeroVirtVmState;

G_END_DECLS
