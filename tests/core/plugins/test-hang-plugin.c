/* test-hang-plugin.c: a plugin whose register function never returns. The
 * scanner is killed after its timeout; the host never loads it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <unistd.h>

#include <hero-virt.h>

static gboolean
hang_register (HeroVirtPlugin *plugin, GError **error)
{
  for (;;)
    pause ();
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("hanger", "Hangs in its register function", "0.1", hang_register)
