/* hero-virt-vm-builder.h: fluent construction of a VM spec
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-vm-spec.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_VM_BUILDER (hero_virt_vm_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVmBuilder, hero_virt_vm_builder, HERO_VIRT, VM_BUILDER, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_new (const char *name);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_name (HeroVirtVmBuilder *self, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_kernel (HeroVirtVmBuilder *self, const char *kernel);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_initramfs (HeroVirtVmBuilder *self,
                                                       const char        *initramfs);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_cmdline (HeroVirtVmBuilder *self, const char *cmdline);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_firmware (HeroVirtVmBuilder *self,
                                                      const char        *firmware);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_vcpus (HeroVirtVmBuilder *self, guint vcpus);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_memory_mb (HeroVirtVmBuilder *self, guint64 memory_mb);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_set_serial (HeroVirtVmBuilder   *self,
                                                    HeroVirtVmSerialMode mode,
                                                    const char          *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *
hero_virt_vm_builder_add_disk (HeroVirtVmBuilder *self, const char *path, gboolean readonly);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_disk_device (HeroVirtVmBuilder *self,
                                                         HeroVirtVmDisk    *disk);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_user_net (HeroVirtVmBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_tap_net (HeroVirtVmBuilder *self, const char *tap);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_net_device (HeroVirtVmBuilder *self,
                                                        HeroVirtVmNet     *net);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_extra_arg (HeroVirtVmBuilder *self, const char *arg);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_cloud_init_seed (HeroVirtVmBuilder *self,
                                                             const char        *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmBuilder *hero_virt_vm_builder_add_port_forward (HeroVirtVmBuilder *self,
                                                          const char        *protocol,
                                                          const char        *host_address,
                                                          guint              host_port,
                                                          guint              guest_port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSpec *hero_virt_vm_builder_build (HeroVirtVmBuilder *self, GError **error);

G_END_DECLS
