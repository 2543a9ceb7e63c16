/* hero-virt-registry.h: plugins and providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-plugin-info.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_REGISTRY (hero_virt_registry_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtRegistry, hero_virt_registry, HERO_VIRT, REGISTRY, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistry *hero_virt_registry_get_default (void);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_registry_get_plugins (HeroVirtRegistry *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPluginInfo *hero_virt_registry_find_plugin (HeroVirtRegistry *self, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_registry_get_providers (HeroVirtRegistry *self, HeroVirtProviderKind kind);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtProviderInfo *hero_virt_registry_lookup (HeroVirtRegistry    *self,
                                                 HeroVirtProviderKind kind,
                                                 const char          *name,
                                                 GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
GObject *hero_virt_registry_get_provider (HeroVirtRegistry    *self,
                                          HeroVirtProviderKind kind,
                                          const char          *name,
                                          GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
GObject *hero_virt_registry_get_default_provider (HeroVirtRegistry    *self,
                                                  HeroVirtProviderKind kind,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
GObject *hero_virt_registry_find_provider (HeroVirtRegistry    *self,
                                           HeroVirtProviderKind kind,
                                           const char          *name,
                                           HeroVirtExecutor    *executor,
                                           GCancellable        *cancellable,
                                           GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_registry_register_provider (HeroVirtRegistry    *self,
                                               HeroVirtProviderKind kind,
                                               const char          *name,
                                               int                  priority,
                                               GObject             *provider,
                                               GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_registry_unregister_provider (HeroVirtRegistry    *self,
                                                 HeroVirtProviderKind kind,
                                                 const char          *name);
HERO_VIRT_AVAILABLE_IN_ALL
char **hero_virt_registry_get_search_path (HeroVirtRegistry *self);

G_END_DECLS
