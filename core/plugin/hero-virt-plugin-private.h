/* hero-virt-plugin-private.h: a plugin's internals, for the registry
 * (never installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt.h"

G_BEGIN_DECLS

/* One hero_virt_plugin_add_provider() call, kept by the plugin while its
 * register function runs; the registry checks and adds them afterwards. */
typedef struct
{
  HeroVirtProviderKind kind;
  char                *name;
  GType                type;
  int                  priority;
} HeroVirtProviderAnnouncement;

HeroVirtPlugin         *
_hero_virt_plugin_new (GModule *module, const HeroVirtPluginDesc *desc, const char *path);
GError *_hero_virt_plugin_take_error (HeroVirtPlugin *self);
/* (element-type HeroVirtProviderAnnouncement) (transfer none) */
GArray *_hero_virt_plugin_get_announcements (HeroVirtPlugin *self);

G_END_DECLS
