/* nerdctl-plugin.c: libherovirt-nerdctl, containers with nerdctl (containerd)
 * through its docker-compatible CLI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Nerdctl"

#include <hero-virt.h>

#include "docker-cli.h"
#include "nerdctl-dialect.h"

#define HERO_VIRT_TYPE_NERDCTL_PROVIDER (hero_virt_nerdctl_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtNerdctlProvider,
                      hero_virt_nerdctl_provider,
                      HERO_VIRT,
                      NERDCTL_PROVIDER,
                      GObject)

struct _HeroVirtNerdctlProvider
{
  GObject parent_instance;
};

static void
hero_virt_nerdctl_provider_iface_init (HeroVirtContainerProviderInterface *iface)
{
  docker_cli_provider_iface_init (iface);
}

G_DEFINE_DYNAMIC_TYPE_EXTENDED (
    HeroVirtNerdctlProvider,
    hero_virt_nerdctl_provider,
    G_TYPE_OBJECT,
    G_TYPE_FLAG_FINAL,
    G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_CONTAINER_PROVIDER,
                                   hero_virt_nerdctl_provider_iface_init))

static void
hero_virt_nerdctl_provider_class_init (HeroVirtNerdctlProviderClass *klass)
{
}

static void
hero_virt_nerdctl_provider_class_finalize (HeroVirtNerdctlProviderClass *klass)
{
}

static void
hero_virt_nerdctl_provider_init (HeroVirtNerdctlProvider *self)
{
}

static gboolean
nerdctl_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_nerdctl_provider_register_type (G_TYPE_MODULE (plugin));
  docker_cli_set_dialect (HERO_VIRT_TYPE_NERDCTL_PROVIDER, &nerdctl_dialect);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_CONTAINER, "nerdctl",
                                 HERO_VIRT_TYPE_NERDCTL_PROVIDER, 50);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("nerdctl",
                         "Containers with nerdctl (containerd) through its docker-compatible CLI",
                         PACKAGE_VERSION_NERDCTL,
                         nerdctl_plugin_register)
