/* hero-virt-container-spec.h: what a container provider is asked to create
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-command.h"

G_BEGIN_DECLS

/**
 * HeroVirtLogLineFunc:
 * @stream: whether the line went to standard output or standard error
 * @line: the line, without its terminator
 * @user_data: the data given with the function
 *
 * Receives one line of a container's log from
 * [method@HeroVirt.ContainerProvider.follow_logs].
 *
 * Since: 0.1
 */
typedef void (*HeroVirtLogLineFunc) (HeroVirtOutputStream stream,
                                     const char          *line,
                                     gpointer             user_data);

#define HERO_VIRT_TYPE_CONTAINER_SPEC (hero_virt_container_spec_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerSpec,
                      hero_virt_container_spec,
                      HERO_VIRT,
                      CONTAINER_SPEC,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_container_spec_to_json_node (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_spec_to_json (HeroVirtContainerSpec *self, gboolean pretty);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_name (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_image (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_ports (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_volumes (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_env (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_network (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_network_aliases (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_container_spec_get_cpu_limit (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_memory_limit (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_memory_swap_limit (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_container_spec_get_cpu_shares (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_restart_policy (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_spec_get_detach (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_snapshotter (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_runtime (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_annotations (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_labels (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_spec_get_privileged (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_devices (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_entrypoint (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_spec_get_command (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_health_cmd (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_health_interval (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_health_timeout (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_container_spec_get_health_retries (HeroVirtContainerSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_spec_get_health_start_period (HeroVirtContainerSpec *self);

G_END_DECLS
