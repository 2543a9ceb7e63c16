/* cloudhv-plugin.c: libherovirt-cloudhv, virtual machines with
 * cloud-hypervisor through its REST API
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-CloudHv"

#include <hero-virt.h>

#include "cloudhv-provider.h"

static gboolean
cloudhv_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_cloudhv_provider_register (G_TYPE_MODULE (plugin));
  /* Below qemu's: cloud-hypervisor needs KVM, qemu runs anywhere. */
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "cloudhv",
                                 HERO_VIRT_TYPE_CLOUDHV_PROVIDER, 50);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE (
    "cloudhv",
    "Virtual machines with cloud-hypervisor, through its REST API on a unix socket",
    PACKAGE_VERSION_CLOUDHV,
    cloudhv_plugin_register)
