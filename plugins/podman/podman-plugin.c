/* podman-plugin.c: libherovirt-podman, containers with podman: its REST
 * API over the service socket when there is one, else its CLI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Podman"

#include <hero-virt.h>

#include "docker-cli.h"
#include "podman-dialect.h"
#include "podman-rest.h"

#define HERO_VIRT_TYPE_PODMAN_PROVIDER (hero_virt_podman_provider_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtPodmanProvider,
                      hero_virt_podman_provider,
                      HERO_VIRT,
                      PODMAN_PROVIDER,
                      GObject)

struct _HeroVirtPodmanProvider
{
  GObject parent_instance;
};

static void
hero_virt_podman_provider_iface_init (HeroVirtContainerProviderInterface *iface)
{
  docker_cli_provider_iface_init (iface);
  podman_rest_iface_init (iface);
}

G_DEFINE_DYNAMIC_TYPE_EXTENDED (
    HeroVirtPodmanProvider,
    hero_virt_podman_provider,
    G_TYPE_OBJECT,
    G_TYPE_FLAG_FINAL,
    G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_CONTAINER_PROVIDER,
                                   hero_virt_podman_provider_iface_init))

static void
hero_virt_podman_provider_class_init (HeroVirtPodmanProviderClass *klass)
{
}

static void
hero_virt_podman_provider_class_finalize (HeroVirtPodmanProviderClass *klass)
{
}

static void
hero_virt_podman_provider_init (HeroVirtPodmanProvider *self)
{
}

static gboolean
podman_plugin_register (HeroVirtPlugin *plugin, GError **error)
{
  hero_virt_podman_provider_register_type (G_TYPE_MODULE (plugin));
  docker_cli_set_dialect (HERO_VIRT_TYPE_PODMAN_PROVIDER, &podman_dialect);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_CONTAINER, "podman",
                                 HERO_VIRT_TYPE_PODMAN_PROVIDER, 100);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE (
    "podman",
    "Containers with podman: libpod REST over its unix socket, or the podman CLI",
    PACKAGE_VERSION_PODMAN,
    podman_plugin_register)
