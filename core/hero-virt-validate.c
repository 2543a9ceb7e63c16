/* hero-virt-validate.c: input validators shared by every area
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_set_invalid_argument:
 * @error: return location for a #GError
 * @what: what was checked, such as `container name`
 * @value: (nullable): the value refused
 * @why: why it was refused
 *
 * Sets @error to %HERO_VIRT_ERROR_INVALID_ARGUMENT with the message
 * `Invalid <what> “<value>”: <why>`. @value is shown escaped (control
 * characters as `\n`), or as `(not UTF-8)`. Validators, objects and plugins
 * all report bad input through this one helper, so every such message reads
 * the same.
 *
 * Returns: %FALSE, so a validator can `return hero_virt_set_invalid_argument (…);`
 *
 * Since: 0.1
 */
gboolean
hero_virt_set_invalid_argument (GError    **error,
                                const char *what,
                                const char *value,
                                const char *why)
{
  g_autofree char *shown = NULL;

  if (value == NULL)
    value = "";
  if (g_utf8_validate (value, -1, NULL))
    shown = g_strescape (value, "\u201c\u201d");
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Invalid %s “%s”: %s",
               what, shown ? shown : "(not UTF-8)", why);
  return FALSE;
}
