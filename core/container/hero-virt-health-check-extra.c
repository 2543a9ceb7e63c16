/* hero-virt-health-check-extra.c: what the generated HealthCheck does not
 * write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-private.h"

/**
 * hero_virt_health_check_validate:
 * @self: a #HeroVirtHealthCheck
 * @error: return location for a #GError
 *
 * Checks that the command is set and not blank and that the durations
 * look like `30s`, `1m30s` or `500ms`.
 *
 * Returns: %TRUE if the health check can be used
 *
 * Since: 0.1
 */
gboolean
hero_virt_health_check_validate (HeroVirtHealthCheck *self, GError **error)
{
  const char *cmd;

  g_return_val_if_fail (HERO_VIRT_IS_HEALTH_CHECK (self), FALSE);

  cmd = hero_virt_health_check_get_cmd (self);
  if (cmd == NULL || strspn (cmd, " \t\r\n") == strlen (cmd))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "A health check needs a command");
      return FALSE;
    }
  return hero_virt_validate_single_line ("health check command", cmd, error)
         && _hero_virt_validate_duration ("health check interval",
                                          hero_virt_health_check_get_interval (self), error)
         && _hero_virt_validate_duration ("health check timeout",
                                          hero_virt_health_check_get_timeout (self), error)
         && _hero_virt_validate_duration ("health check start period",
                                          hero_virt_health_check_get_start_period (self), error);
}
