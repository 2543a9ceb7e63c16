/* qemu-provider.h: the "qemu" hypervisor provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_QEMU_PROVIDER (hero_virt_qemu_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtQemuProvider,
                      hero_virt_qemu_provider,
                      HERO_VIRT,
                      QEMU_PROVIDER,
                      GObject)

void hero_virt_qemu_provider_register (GTypeModule *module);

G_END_DECLS
