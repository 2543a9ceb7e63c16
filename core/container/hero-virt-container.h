/* hero-virt-container.h: a container and the engine-wide functions
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-command.h"
#include "hero-virt-command-result.h"
#include "hero-virt-executor.h"
#include "hero-virt-container-status.h"
#include "hero-virt-container-stats.h"
#include "hero-virt-container-image.h"

G_BEGIN_DECLS

typedef struct _HeroVirtContainerProvider HeroVirtContainerProvider;

#define HERO_VIRT_TYPE_CONTAINER (hero_virt_container_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainer, hero_virt_container, HERO_VIRT, CONTAINER, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainer *hero_virt_container_new (const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainer *hero_virt_container_new_for_provider (const char       *name,
                                                         const char       *provider_name,
                                                         HeroVirtExecutor *executor,
                                                         GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_get_name (HeroVirtContainer *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_get_id (HeroVirtContainer *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_container_get_executor (HeroVirtContainer *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerProvider *hero_virt_container_get_provider (HeroVirtContainer *self,
                                                             GCancellable      *cancellable,
                                                             GError           **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_follow_logs (HeroVirtContainer *self,
                                          int                tail,
                                          const char        *since,
                                          GCancellable      *cancellable,
                                          GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_follow_logs_async (HeroVirtContainer  *self,
                                            int                 tail,
                                            const char         *since,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_follow_logs_finish (HeroVirtContainer *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_wait_healthy (HeroVirtContainer *self,
                                           guint              timeout_ms,
                                           GCancellable      *cancellable,
                                           GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_wait_healthy_async (HeroVirtContainer  *self,
                                             guint               timeout_ms,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_wait_healthy_finish (HeroVirtContainer *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);

G_END_DECLS

/* start, stop, kill, restart, remove, copy_in, copy_out, exec, logs, inspect,
 * stats, run_health_check and commit, and the engine-wide list and image_*
 * functions: generated from container-object.json and container-functions.json */
#include "hero-virt-container-object.h"
#include "hero-virt-container-functions.h"
