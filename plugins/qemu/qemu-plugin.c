/* qemu-plugin.c: libherovirt-qemu, virtual machines with qemu-system-x86_64
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Qemu"

#include <hero-virt.h>

#include "qemu-provider.h"

static gboolean
qemu_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_qemu_provider_register (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "qemu",
                                 HERO_VIRT_TYPE_QEMU_PROVIDER, 100);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("qemu",
                         "Virtual machines: qemu-system-x86_64 (KVM or TCG) driven over QMP",
                         PACKAGE_VERSION_QEMU,
                         qemu_plugin_register)
