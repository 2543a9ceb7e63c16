/* test-wrong-abi-plugin.c: a plugin built for another plugin ABI. Its
 * register function aborts, so a test passes only if the registry never
 * runs it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>

#include <hero-virt.h>

static gboolean
wrong_abi_register (HeroVirtPlugin *plugin, GError **error)
{
  abort ();
}

G_MODULE_EXPORT extern const HeroVirtPluginDesc hero_virt_plugin_desc;
G_MODULE_EXPORT const HeroVirtPluginDesc        hero_virt_plugin_desc
    = { HERO_VIRT_PLUGIN_ABI_VERSION + 41,
        "wrongabi",
        "9.9",
        "Built for a future ABI",
        "LGPL-2.1-or-later",
        wrong_abi_register,
        {
            NULL,
        } };
