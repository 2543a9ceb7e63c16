/* hero-virt-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-error.h"

/* G_DEFINE_QUARK would not be exported; keep the quark name stable for
 * GI's error-domain annotation. */
/**
 * hero_virt_error_quark:
 *
 * Returns: the quark of the %HERO_VIRT_ERROR domain
 *
 * Since: 0.1
 */
GQuark
hero_virt_error_quark (void)
{
  return g_quark_from_static_string ("hero-virt-error-quark");
}
