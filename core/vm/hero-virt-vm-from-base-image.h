/* hero-virt-vm-from-base-image.h: a VM from a base image in one call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hero-virt-types.h"
#include "hero-virt-base-image.h"
#include "hero-virt-cloud-init.h"
#include "hero-virt-vm-builder.h"
#include "hero-virt-vm.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVm *hero_virt_vm_new_from_base_image (HeroVirtBaseImageBuilder *base_image,
                                              HeroVirtVmBuilder        *builder,
                                              HeroVirtCloudInit        *cloud_init,
                                              const char               *disk_dir,
                                              GCancellable             *cancellable,
                                              GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_vm_new_from_base_image_async (HeroVirtBaseImageBuilder *base_image,
                                             HeroVirtVmBuilder        *builder,
                                             HeroVirtCloudInit        *cloud_init,
                                             const char               *disk_dir,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVm *hero_virt_vm_new_from_base_image_finish (GAsyncResult *result, GError **error);

G_END_DECLS
