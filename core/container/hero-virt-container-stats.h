/* hero-virt-container-stats.h: one sample of a container's resource use
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CONTAINER_STATS (hero_virt_container_stats_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerStats,
                      hero_virt_container_stats,
                      HERO_VIRT,
                      CONTAINER_STATS,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_container_stats_get_cpu_percent (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_memory_usage (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_memory_limit (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_container_stats_get_memory_percent (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_net_input (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_net_output (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_block_input (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_block_output (HeroVirtContainerStats *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_stats_get_pids (HeroVirtContainerStats *self);

G_END_DECLS
