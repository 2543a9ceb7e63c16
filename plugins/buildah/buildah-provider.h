/* buildah-provider.h: the "buildah" image provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_BUILDAH_PROVIDER (hero_virt_buildah_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtBuildahProvider,
                      hero_virt_buildah_provider,
                      HERO_VIRT,
                      BUILDAH_PROVIDER,
                      GObject)

void hero_virt_buildah_provider_register (GTypeModule *module);

G_END_DECLS
