/* qcow2-plugin.c: libherovirt-qcow2, disk images with qemu-img and a
 * native qcow2 reader and writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Qcow2"

#include <hero-virt.h>

#include "qcow2-provider.h"

static gboolean
qcow2_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_qcow2_provider_register (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "qcow2",
                                 HERO_VIRT_TYPE_QCOW2_PROVIDER, 100);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("qcow2",
                         "Disk images: qemu-img, with native qcow2 info and create",
                         PACKAGE_VERSION_QCOW2,
                         qcow2_plugin_register)
