/* cloudhv-provider.h: the "cloudhv" hypervisor provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CLOUDHV_PROVIDER (hero_virt_cloudhv_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtCloudhvProvider,
                      hero_virt_cloudhv_provider,
                      HERO_VIRT,
                      CLOUDHV_PROVIDER,
                      GObject)

void hero_virt_cloudhv_provider_register (GTypeModule *module);

G_END_DECLS
