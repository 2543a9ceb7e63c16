/* hero-virt-health-check.h: a container health check
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_HEALTH_CHECK (hero_virt_health_check_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtHealthCheck, hero_virt_health_check, HERO_VIRT, HEALTH_CHECK, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_new (const char *cmd);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_health_check_validate (HeroVirtHealthCheck *self, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_health_check_get_cmd (HeroVirtHealthCheck *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_set_cmd (HeroVirtHealthCheck *self, const char *cmd);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_health_check_get_interval (HeroVirtHealthCheck *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_set_interval (HeroVirtHealthCheck *self,
                                                          const char          *interval);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_health_check_get_timeout (HeroVirtHealthCheck *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_set_timeout (HeroVirtHealthCheck *self,
                                                         const char          *timeout);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_health_check_get_retries (HeroVirtHealthCheck *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_set_retries (HeroVirtHealthCheck *self, guint retries);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_health_check_get_start_period (HeroVirtHealthCheck *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_health_check_set_start_period (HeroVirtHealthCheck *self,
                                                              const char          *start_period);

G_END_DECLS
