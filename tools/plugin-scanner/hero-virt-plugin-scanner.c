/* hero-virt-plugin-scanner: opens one plugin in a process of its own and
 * reports what it registers, so a plugin that crashes, aborts or hangs
 * while loading never takes the host down (see hero-virt-plugin-scan.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "hero-virt-plugin-private.h"

int
main (int argc, char *argv[])
{
  return _hero_virt_plugin_scanner_main (argc, argv);
}
