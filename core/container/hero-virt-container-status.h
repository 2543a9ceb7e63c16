/* hero-virt-container-status.h: what a container is doing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CONTAINER_STATUS (hero_virt_container_status_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerStatus,
                      hero_virt_container_status,
                      HERO_VIRT,
                      CONTAINER_STATUS,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_id (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_name (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_image (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_state (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_status (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_status_get_running (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_container_status_get_exit_code (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_container_status_get_pid (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_created (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_started_at (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_finished_at (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_health_status (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_health_output (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_container_status_get_health_failing_streak (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_container_status_get_restart_count (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_status_get_ports (HeroVirtContainerStatus *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_status_get_labels (HeroVirtContainerStatus *self);

G_END_DECLS
