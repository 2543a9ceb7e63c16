/* hero-virt-executor.h: where commands run
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

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_EXECUTOR (hero_virt_executor_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (HeroVirtExecutor, hero_virt_executor, HERO_VIRT, EXECUTOR, GObject)

/**
 * HeroVirtExecutorInterface:
 * @g_iface: the parent interface
 * @run: runs a command to completion (synchronous)
 * @run_async: starts running a command
 * @run_finish: finishes @run_async
 * @write_file: writes bytes to a file on the executor's host
 * @read_file: reads a file from the executor's host
 * @make_temp_dir: creates a private temporary directory on the host
 * @remove_path: removes a file or a directory tree on the host
 * @get_description: describes the executor for logs (`local`,
 *   `ssh://user@host:port`)
 * @is_local: whether commands run on this machine with this process's
 *   view of the file system
 * @supports_tty: whether it runs commands on a terminal
 *   ([property@HeroVirt.Command:tty]); unset means it does not, and
 *   such commands fail with %HERO_VIRT_ERROR_NOT_SUPPORTED before @run
 *
 * The virtual functions of #HeroVirtExecutor. An implementation provides
 * @run or @run_async (the other is derived), and the file operations it can
 * do; the defaults of the file operations run small fixed programs (`cat`,
 * `mktemp`, `rm`) through @run.
 *
 * Since: 0.1
 */
struct _HeroVirtExecutorInterface
{
  GTypeInterface g_iface;

  HeroVirtCommandResult *(*run) (HeroVirtExecutor *self,
                                 HeroVirtCommand  *command,
                                 GCancellable     *cancellable,
                                 GError          **error);
  void (*run_async) (HeroVirtExecutor   *self,
                     HeroVirtCommand    *command,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data);
  HeroVirtCommandResult *(*run_finish) (HeroVirtExecutor *self,
                                        GAsyncResult     *result,
                                        GError          **error);
  gboolean (*write_file) (HeroVirtExecutor *self,
                          const char       *path,
                          GBytes           *contents,
                          int               mode,
                          GCancellable     *cancellable,
                          GError          **error);
  GBytes *(*read_file) (HeroVirtExecutor *self,
                        const char       *path,
                        GCancellable     *cancellable,
                        GError          **error);
  char *(*make_temp_dir) (HeroVirtExecutor *self, GCancellable *cancellable, GError **error);
  gboolean (*remove_path) (HeroVirtExecutor *self,
                           const char       *path,
                           GCancellable     *cancellable,
                           GError          **error);
  char *(*get_description) (HeroVirtExecutor *self);
  gboolean (*is_local) (HeroVirtExecutor *self);
  gboolean (*supports_tty) (HeroVirtExecutor *self);

  /*< private >*/
  gpointer padding[11];
};

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *hero_virt_executor_run (HeroVirtExecutor *self,
                                               HeroVirtCommand  *command,
                                               GCancellable     *cancellable,
                                               GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_executor_run_async (HeroVirtExecutor   *self,
                                   HeroVirtCommand    *command,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *
hero_virt_executor_run_finish (HeroVirtExecutor *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *hero_virt_executor_run_argv (HeroVirtExecutor  *self,
                                                    const char *const *argv,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *hero_virt_executor_run_checked (HeroVirtExecutor *self,
                                                       HeroVirtCommand  *command,
                                                       GCancellable     *cancellable,
                                                       GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_executor_write_file (HeroVirtExecutor *self,
                                        const char       *path,
                                        GBytes           *contents,
                                        int               mode,
                                        GCancellable     *cancellable,
                                        GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
GBytes *hero_virt_executor_read_file (HeroVirtExecutor *self,
                                      const char       *path,
                                      GCancellable     *cancellable,
                                      GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_executor_make_temp_dir (HeroVirtExecutor *self,
                                        GCancellable     *cancellable,
                                        GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_executor_remove_path (HeroVirtExecutor *self,
                                         const char       *path,
                                         GCancellable     *cancellable,
                                         GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_executor_get_description (HeroVirtExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_executor_is_local (HeroVirtExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_executor_setenv (HeroVirtExecutor *self, const char *variable, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_executor_get_environ (HeroVirtExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
char **hero_virt_executor_dup_environ (HeroVirtExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_executor_set_max_output (HeroVirtExecutor *self, guint64 max_bytes);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_executor_get_max_output (HeroVirtExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_executor_find_program (HeroVirtExecutor *self,
                                       const char       *program,
                                       GCancellable     *cancellable,
                                       GError          **error);

G_END_DECLS
