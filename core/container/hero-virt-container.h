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
gboolean
hero_virt_container_start (HeroVirtContainer *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_start_async (HeroVirtContainer  *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_start_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_stop (HeroVirtContainer *self,
                                   int                timeout,
                                   GCancellable      *cancellable,
                                   GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_stop_async (HeroVirtContainer  *self,
                                     int                 timeout,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_stop_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_kill (HeroVirtContainer *self,
                                   const char        *signal,
                                   GCancellable      *cancellable,
                                   GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_kill_async (HeroVirtContainer  *self,
                                     const char         *signal,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_kill_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_restart (HeroVirtContainer *self,
                                      int                timeout,
                                      GCancellable      *cancellable,
                                      GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_restart_async (HeroVirtContainer  *self,
                                        int                 timeout,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_restart_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_remove (HeroVirtContainer *self,
                                     gboolean           force,
                                     GCancellable      *cancellable,
                                     GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_remove_async (HeroVirtContainer  *self,
                                       gboolean            force,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_remove_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_copy_in (HeroVirtContainer *self,
                                      const char        *host_path,
                                      const char        *container_path,
                                      GCancellable      *cancellable,
                                      GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_copy_in_async (HeroVirtContainer  *self,
                                        const char         *host_path,
                                        const char         *container_path,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_copy_in_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_copy_out (HeroVirtContainer *self,
                                       const char        *container_path,
                                       const char        *host_path,
                                       GCancellable      *cancellable,
                                       GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_copy_out_async (HeroVirtContainer  *self,
                                         const char         *container_path,
                                         const char         *host_path,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_container_copy_out_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);
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

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *hero_virt_container_exec (HeroVirtContainer *self,
                                                 const char *const *argv,
                                                 GBytes            *stdin_bytes,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_exec_async (HeroVirtContainer  *self,
                                     const char *const  *argv,
                                     GBytes             *stdin_bytes,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *
hero_virt_container_exec_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_logs (HeroVirtContainer *self,
                                int                tail,
                                const char        *since,
                                GCancellable      *cancellable,
                                GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_logs_async (HeroVirtContainer  *self,
                                     int                 tail,
                                     const char         *since,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *
hero_virt_container_logs_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerStatus *
hero_virt_container_inspect (HeroVirtContainer *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_inspect_async (HeroVirtContainer  *self,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerStatus *
hero_virt_container_inspect_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerStats *
hero_virt_container_stats (HeroVirtContainer *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_stats_async (HeroVirtContainer  *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerStats *
hero_virt_container_stats_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_run_health_check (HeroVirtContainer *self,
                                            GCancellable      *cancellable,
                                            GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_run_health_check_async (HeroVirtContainer  *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_run_health_check_finish (HeroVirtContainer *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_commit (HeroVirtContainer *self,
                                  const char        *reference,
                                  GCancellable      *cancellable,
                                  GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_commit_async (HeroVirtContainer  *self,
                                       const char         *reference,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *
hero_virt_container_commit_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error);

/* engine-wide */
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_container_list (const char       *provider_name,
                                     HeroVirtExecutor *executor,
                                     gboolean          all,
                                     GCancellable     *cancellable,
                                     GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_list_async (const char         *provider_name,
                                     HeroVirtExecutor   *executor,
                                     gboolean            all,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_container_list_finish (GAsyncResult *result, GError **error);

G_END_DECLS
