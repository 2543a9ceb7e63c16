/* hero-virt-plugin-info.h: what the registry knows of plugins and providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_PLUGIN_INFO (hero_virt_plugin_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtPluginInfo, hero_virt_plugin_info, HERO_VIRT, PLUGIN_INFO, GObject)

#define HERO_VIRT_TYPE_PROVIDER_INFO (hero_virt_provider_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtProviderInfo,
                      hero_virt_provider_info,
                      HERO_VIRT,
                      PROVIDER_INFO,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_name (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_version (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_description (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_license (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_path (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_info_get_error (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_plugin_info_get_loaded (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_plugin_info_get_providers (HeroVirtPluginInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
char **hero_virt_plugin_info_get_provider_kinds (HeroVirtPluginInfo *self);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtProviderKind hero_virt_provider_info_get_kind (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_provider_info_get_name (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_provider_info_get_priority (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_provider_info_get_plugin_name (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
GType hero_virt_provider_info_get_provider_type (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
GObject *hero_virt_provider_info_get_provider (HeroVirtProviderInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_provider_info_check_available (HeroVirtProviderInfo *self,
                                                  HeroVirtExecutor     *executor,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

G_END_DECLS
