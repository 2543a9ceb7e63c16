/* hero-virt-provider-kind.c: the kinds of provider and their interfaces
 *
 * The one place that knows, for each #HeroVirtProviderKind, its name and
 * its provider interface; the registry and the provider infos ask here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

static const char *const kind_names[HERO_VIRT_PROVIDER_N_KINDS] = {
  "disk", "image", "container", "hypervisor", "cluster",
};

/**
 * hero_virt_provider_kind_to_string:
 * @kind: a #HeroVirtProviderKind
 *
 * Returns: the kind's name: `disk`, `image`, `container`, `hypervisor` or
 *   `cluster`
 *
 * Since: 0.1
 */
const char *
hero_virt_provider_kind_to_string (HeroVirtProviderKind kind)
{
  g_return_val_if_fail ((guint)kind < HERO_VIRT_PROVIDER_N_KINDS, NULL);
  return kind_names[kind];
}

/**
 * hero_virt_provider_kind_from_string:
 * @str: a kind's name
 * @out_kind: (out): the kind
 *
 * Parses a kind's name as printed by
 * [func@HeroVirt.ProviderKind.to_string].
 *
 * Returns: %TRUE if @str names a kind
 *
 * Since: 0.1
 */
gboolean
hero_virt_provider_kind_from_string (const char *str, HeroVirtProviderKind *out_kind)
{
  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < HERO_VIRT_PROVIDER_N_KINDS; i++)
    if (g_ascii_strcasecmp (str, kind_names[i]) == 0)
      {
        if (out_kind != NULL)
          *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * hero_virt_provider_kind_get_interface_type:
 * @kind: a #HeroVirtProviderKind
 *
 * Returns: the interface a provider of @kind implements, such as
 *   %HERO_VIRT_TYPE_DISK_PROVIDER
 *
 * Since: 0.1
 */
GType
hero_virt_provider_kind_get_interface_type (HeroVirtProviderKind kind)
{
  switch (kind)
    {
    case HERO_VIRT_PROVIDER_KIND_DISK:
      return HERO_VIRT_TYPE_DISK_PROVIDER;
    case HERO_VIRT_PROVIDER_KIND_IMAGE:
      return HERO_VIRT_TYPE_IMAGE_PROVIDER;
    case HERO_VIRT_PROVIDER_KIND_CONTAINER:
      return HERO_VIRT_TYPE_CONTAINER_PROVIDER;
    case HERO_VIRT_PROVIDER_KIND_HYPERVISOR:
      return HERO_VIRT_TYPE_HYPERVISOR_PROVIDER;
    case HERO_VIRT_PROVIDER_KIND_CLUSTER:
      return HERO_VIRT_TYPE_CLUSTER_PROVIDER;
    default:
      g_return_val_if_reached (G_TYPE_INVALID);
    }
}

/* Calls the availability probe of @provider's kind interface. */
gboolean
_hero_virt_provider_kind_is_available (HeroVirtProviderKind kind,
                                       GObject             *provider,
                                       HeroVirtExecutor    *executor,
                                       GCancellable        *cancellable,
                                       GError             **error)
{
  switch (kind)
    {
    case HERO_VIRT_PROVIDER_KIND_DISK:
      return hero_virt_disk_provider_is_available (HERO_VIRT_DISK_PROVIDER (provider), executor,
                                                   cancellable, error);
    case HERO_VIRT_PROVIDER_KIND_IMAGE:
      return hero_virt_image_provider_is_available (HERO_VIRT_IMAGE_PROVIDER (provider), executor,
                                                    cancellable, error);
    case HERO_VIRT_PROVIDER_KIND_CONTAINER:
      return hero_virt_container_provider_is_available (HERO_VIRT_CONTAINER_PROVIDER (provider),
                                                        executor, cancellable, error);
    case HERO_VIRT_PROVIDER_KIND_HYPERVISOR:
      return hero_virt_hypervisor_provider_is_available (HERO_VIRT_HYPERVISOR_PROVIDER (provider),
                                                         executor, cancellable, error);
    case HERO_VIRT_PROVIDER_KIND_CLUSTER:
      return hero_virt_cluster_provider_is_available (HERO_VIRT_CLUSTER_PROVIDER (provider),
                                                      executor, cancellable, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

void
_hero_virt_provider_kind_ensure_types (void)
{
  for (guint i = 0; i < HERO_VIRT_PROVIDER_N_KINDS; i++)
    g_type_ensure (hero_virt_provider_kind_get_interface_type (i));
  g_type_ensure (HERO_VIRT_TYPE_ERROR);
}
