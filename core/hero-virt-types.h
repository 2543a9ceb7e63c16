/* hero-virt-types.h: shared declarations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hero-virt-export.h"

G_BEGIN_DECLS

typedef struct _HeroVirtCommand       HeroVirtCommand;
typedef struct _HeroVirtCommandResult HeroVirtCommandResult;
typedef struct _HeroVirtExecutor      HeroVirtExecutor;
typedef struct _HeroVirtProgress      HeroVirtProgress;
typedef struct _HeroVirtPlugin        HeroVirtPlugin;
typedef struct _HeroVirtPluginInfo    HeroVirtPluginInfo;
typedef struct _HeroVirtProviderInfo  HeroVirtProviderInfo;
typedef struct _HeroVirtRegistry      HeroVirtRegistry;

/**
 * HeroVirtProviderKind:
 * @HERO_VIRT_PROVIDER_KIND_DISK: disk images (#HeroVirtDiskProvider)
 * @HERO_VIRT_PROVIDER_KIND_IMAGE: OCI image building (#HeroVirtImageProvider)
 * @HERO_VIRT_PROVIDER_KIND_CONTAINER: containers (#HeroVirtContainerProvider)
 * @HERO_VIRT_PROVIDER_KIND_HYPERVISOR: virtual machines (#HeroVirtHypervisorProvider)
 * @HERO_VIRT_PROVIDER_KIND_CLUSTER: clusters such as Kubernetes (#HeroVirtClusterProvider)
 *
 * The kinds of backend a plugin can provide. The enum nick (`disk`,
 * `image`, …) is the name used on the command line and in the
 * `HERO_VIRT_<KIND>` environment variables.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_PROVIDER_KIND_DISK,
  HERO_VIRT_PROVIDER_KIND_IMAGE,
  HERO_VIRT_PROVIDER_KIND_CONTAINER,
  HERO_VIRT_PROVIDER_KIND_HYPERVISOR,
  HERO_VIRT_PROVIDER_KIND_CLUSTER,
} HeroVirtProviderKind;

/**
 * HERO_VIRT_PROVIDER_N_KINDS:
 *
 * The number of values in #HeroVirtProviderKind.
 *
 * Since: 0.1
 */
#define HERO_VIRT_PROVIDER_N_KINDS (HERO_VIRT_PROVIDER_KIND_CLUSTER + 1)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_provider_kind_to_string (HeroVirtProviderKind kind);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_provider_kind_from_string (const char *str, HeroVirtProviderKind *out_kind);
HERO_VIRT_AVAILABLE_IN_ALL
GType hero_virt_provider_kind_get_interface_type (HeroVirtProviderKind kind);

G_END_DECLS
