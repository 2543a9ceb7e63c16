/* test-crash-plugin.c: a plugin that crashes while it is being loaded: in
 * an ELF constructor (SIGSEGV, before any HeroVirt code of it runs), or,
 * built with -DABORT_IN_REGISTER, in its register function (abort). The
 * scanner must take the hit; the host must never load it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdlib.h>

#include <hero-virt.h>

#ifndef ABORT_IN_REGISTER
/* The pointer itself is volatile: a plain NULL store is undefined
 * behaviour that the optimizer may delete, constructor and all. */
static int *volatile nowhere;

__attribute__ ((constructor, used)) static void
crash_on_load (void)
{
  *nowhere = 42;
  raise (SIGSEGV);
}
#endif

static gboolean
crash_register (HeroVirtPlugin *plugin, GError **error)
{
#ifdef ABORT_IN_REGISTER
  abort ();
#endif
  return TRUE;
}

#ifdef ABORT_IN_REGISTER
HERO_VIRT_PLUGIN_DEFINE ("aborter", "Aborts in its register function", "0.1", crash_register)
#else
HERO_VIRT_PLUGIN_DEFINE ("crasher", "Segfaults in an ELF constructor", "0.1", crash_register)
#endif
