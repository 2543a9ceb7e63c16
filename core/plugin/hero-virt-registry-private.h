/* hero-virt-registry-private.h (never installed)
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
void                _hero_virt_plugin_info_set_loaded (HeroVirtPluginInfo *self, gboolean loaded);
void _hero_virt_plugin_info_add_provider (HeroVirtPluginInfo *self, HeroVirtProviderInfo *provider);
void _hero_virt_plugin_info_clear_providers (HeroVirtPluginInfo *self);

HeroVirtProviderInfo *_hero_virt_provider_info_new (HeroVirtProviderKind kind,
                                                    const char          *name,
                                                    int                  priority,
                                                    GType                type,
                                                    GObject             *instance,
                                                    const char          *plugin_name);

/* Used by HeroVirtPlugin while its register function runs. */
void _hero_virt_registry_plugin_add_provider (HeroVirtRegistry    *registry,
                                              HeroVirtPlugin      *plugin,
                                              HeroVirtProviderKind kind,
                                              const char          *name,
                                              GType                type,
                                              int                  priority);

HeroVirtPlugin *_hero_virt_plugin_new (GModule                  *module,
                                       const HeroVirtPluginDesc *desc,
                                       const char               *path,
                                       HeroVirtRegistry         *registry);
GError         *_hero_virt_plugin_take_error (HeroVirtPlugin *self);

G_END_DECLS
