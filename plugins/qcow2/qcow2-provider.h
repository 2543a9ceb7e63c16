/* qcow2-provider.h: the "qcow2" disk provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_QCOW2_PROVIDER (hero_virt_qcow2_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtQcow2Provider,
                      hero_virt_qcow2_provider,
                      HERO_VIRT,
                      QCOW2_PROVIDER,
                      GObject)

void hero_virt_qcow2_provider_register (GTypeModule *module);

G_END_DECLS
