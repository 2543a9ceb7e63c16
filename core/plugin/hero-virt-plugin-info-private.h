/* hero-virt-plugin-info-private.h: how the registry fills in what it
 * learns of plugins and providers (never installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt.h"

G_BEGIN_DECLS

HeroVirtPluginInfo *_hero_virt_plugin_info_new (const char *path);
void                _hero_virt_plugin_info_set_desc (HeroVirtPluginInfo *self,
                                                     const char         *name,
                                                     const char         *version,
                                                     const char         *description,
                                                     const char         *license);
void                _hero_virt_plugin_info_set_error (HeroVirtPluginInfo *self, const char *error);
void _hero_virt_plugin_info_append_error (HeroVirtPluginInfo *self, const char *error);
void _hero_virt_plugin_info_set_loaded (HeroVirtPluginInfo *self, gboolean loaded);
void _hero_virt_plugin_info_add_provider (HeroVirtPluginInfo *self, HeroVirtProviderInfo *provider);

HeroVirtProviderInfo *_hero_virt_provider_info_new (HeroVirtProviderKind kind,
                                                    const char          *name,
                                                    int                  priority,
                                                    GType                type,
                                                    GObject             *instance,
                                                    const char          *plugin_name);

G_END_DECLS
