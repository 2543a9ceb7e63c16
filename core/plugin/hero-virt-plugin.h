/* hero-virt-plugin.h: what a plugin shared object exports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <gmodule.h>

#include "hero-virt-types.h"
#include "hero-virt-version.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_PLUGIN (hero_virt_plugin_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtPlugin, hero_virt_plugin, HERO_VIRT, PLUGIN, GTypeModule)

/**
 * HeroVirtPluginRegisterFunc: (skip)
 * @plugin: the plugin being loaded
 * @error: return location for a #GError
 *
 * A plugin's entry point: registers its dynamic types with
 * `G_TYPE_MODULE (plugin)` and announces its providers with
 * [method@HeroVirt.Plugin.add_provider].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
typedef gboolean (*HeroVirtPluginRegisterFunc) (HeroVirtPlugin *plugin, GError **error);

/**
 * HeroVirtPluginDesc: (skip)
 * @abi_version: %HERO_VIRT_PLUGIN_ABI_VERSION at build time
 * @name: the plugin's unique name, such as `qcow2`
 * @version: the plugin's version
 * @description: one line saying what it provides
 * @license: the plugin's license (SPDX identifier)
 * @register_func: the entry point
 *
 * The descriptor every plugin exports under the symbol
 * %HERO_VIRT_PLUGIN_DESC_SYMBOL. The registry reads and checks it before
 * running any code of the plugin. Define it with
 * HERO_VIRT_PLUGIN_DEFINE().
 *
 * Since: 0.1
 */
typedef struct
{
  guint32                    abi_version;
  const char                *name;
  const char                *version;
  const char                *description;
  const char                *license;
  HeroVirtPluginRegisterFunc register_func;

  /*< private >*/
  gpointer _hero_virt_reserved[8];
} HeroVirtPluginDesc;

/**
 * HERO_VIRT_PLUGIN_DESC_SYMBOL:
 *
 * The name of the descriptor symbol a plugin exports.
 *
 * Since: 0.1
 */
#define HERO_VIRT_PLUGIN_DESC_SYMBOL "hero_virt_plugin_desc"

/**
 * HERO_VIRT_PLUGIN_DEFINE:
 * @name: the plugin's name, a string such as `"qcow2"`
 * @description: a one-line description
 * @version: the plugin's version string
 * @register_func: a #HeroVirtPluginRegisterFunc
 *
 * Defines the exported descriptor of a plugin. Put it once in the plugin's
 * sources:
 *
 * ```c
 * static gboolean
 * my_plugin_register (HeroVirtPlugin *plugin, GError **error)
 * {
 *   my_disk_provider_register_type (G_TYPE_MODULE (plugin));
 *   hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK,
 *                                  "mydisk", MY_TYPE_DISK_PROVIDER, 0);
 *   return TRUE;
 * }
 *
 * HERO_VIRT_PLUGIN_DEFINE ("mydisk", "Disk images on my storage", "1.0",
 *                          my_plugin_register)
 * ```
 *
 * Since: 0.1
 */
#define HERO_VIRT_PLUGIN_DEFINE(name, description, version, register_func)                         \
  G_BEGIN_DECLS                                                                                    \
  G_MODULE_EXPORT extern const HeroVirtPluginDesc hero_virt_plugin_desc;                           \
  G_END_DECLS                                                                                      \
  G_MODULE_EXPORT const HeroVirtPluginDesc hero_virt_plugin_desc = { HERO_VIRT_PLUGIN_ABI_VERSION, \
                                                                     name,                         \
                                                                     version,                      \
                                                                     description,                  \
                                                                     "LGPL-2.1-or-later",          \
                                                                     register_func,                \
                                                                     {                             \
                                                                         NULL,                     \
                                                                     } };

HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_plugin_add_provider (HeroVirtPlugin      *self,
                                    HeroVirtProviderKind kind,
                                    const char          *name,
                                    GType                type,
                                    int                  priority);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_get_name (HeroVirtPlugin *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_plugin_get_path (HeroVirtPlugin *self);

G_END_DECLS
