/* hero-virt-vm-disk.h: a disk attached to a virtual machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_VM_DISK (hero_virt_vm_disk_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVmDisk, hero_virt_vm_disk, HERO_VIRT, VM_DISK, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmDisk *hero_virt_vm_disk_new (const char *path);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmDisk *hero_virt_vm_disk_set_path (HeroVirtVmDisk *self, const char *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmDisk *hero_virt_vm_disk_set_format (HeroVirtVmDisk *self, const char *format);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmDisk *hero_virt_vm_disk_set_readonly (HeroVirtVmDisk *self, gboolean readonly);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_disk_get_path (HeroVirtVmDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_disk_get_format (HeroVirtVmDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_vm_disk_get_readonly (HeroVirtVmDisk *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_vm_disk_validate (HeroVirtVmDisk *self, GError **error);

G_END_DECLS
