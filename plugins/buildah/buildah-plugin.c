/* buildah-plugin.c: libherovirt-buildah, OCI images built with buildah
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Buildah"

#include <hero-virt.h>

#include "buildah-provider.h"

static gboolean
buildah_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_buildah_provider_register (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_IMAGE, "buildah",
                                 HERO_VIRT_TYPE_BUILDAH_PROVIDER, 100);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE (
    "buildah",
    "OCI image building with buildah: working containers, commit, push, pull, build",
    PACKAGE_VERSION_BUILDAH,
    buildah_plugin_register)
