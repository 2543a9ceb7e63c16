/* hero-virt-executor.c: where commands run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtExecutor:
 *
 * Where commands run. Every backend that drives a command line tool runs it
 * through an executor, so the same plugin code works on this machine
 * ([class@HeroVirt.LocalExecutor]) or on a remote host
 * ([class@HeroVirt.SshExecutor]).
 *
 * An executor runs a [class@HeroVirt.Command], an argument vector and never
 * a shell string, and returns a [class@HeroVirt.CommandResult] whatever the
 * exit status. A cancelled command is killed, never left running.
 *
 * Executors also move files to and from their host, so a plugin can hand a
 * tool a file it wrote, on whichever host the tool runs.
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (HeroVirtExecutor, hero_virt_executor, G_TYPE_OBJECT)

static GQuark environ_quark;    /* the variables of hero_virt_executor_setenv() */
static GQuark max_output_quark; /* hero_virt_executor_set_max_output(), as a gsize */

static gpointer
run_thread (gpointer source_object, gpointer task_data, GCancellable *cancellable, GError **error)
{
  HeroVirtExecutor  *self = source_object;
  HeroVirtLineTarget lines;
  gpointer           ret;

  /* output-line belongs to the caller's context, not to this thread. */
  _hero_virt_command_deliver_lines_begin (&lines, task_data, _hero_virt_task_get_owner_context ());
  ret = HERO_VIRT_EXECUTOR_GET_IFACE (self)->run (self, task_data, cancellable, error);
  _hero_virt_command_deliver_lines_end (&lines);
  return ret;
}

static void
real_run_async (HeroVirtExecutor   *self,
                HeroVirtCommand    *command,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  _hero_virt_run_in_thread (self, real_run_async, run_thread, g_object_ref (command),
                            g_object_unref, g_object_unref, cancellable, callback, user_data);
}

static HeroVirtCommandResult *
real_run_finish (HeroVirtExecutor *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, real_run_async, error);
}

typedef struct
{
  HeroVirtCommand *command;
  GCancellable    *cancellable;
} RunSyncData;

static void
run_sync_start (gpointer            source_object,
                gpointer            data,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  RunSyncData *rd = data;

  HERO_VIRT_EXECUTOR_GET_IFACE (source_object)
      ->run_async (source_object, rd->command, rd->cancellable, callback, user_data);
}

static HeroVirtCommandResult *
real_run (HeroVirtExecutor *self,
          HeroVirtCommand  *command,
          GCancellable     *cancellable,
          GError          **error)
{
  HeroVirtExecutorInterface *iface = HERO_VIRT_EXECUTOR_GET_IFACE (self);
  RunSyncData                rd = { command, cancellable };
  g_autoptr (GAsyncResult) result = NULL;

  if (iface->run_async == real_run_async)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "%s implements neither run nor run_async", G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  result = _hero_virt_run_sync (self, run_sync_start, &rd);
  return iface->run_finish (self, result, error);
}

static HeroVirtCommandResult *
run_fixed (HeroVirtExecutor *self,
           HeroVirtCommand  *command,
           GCancellable     *cancellable,
           GError          **error)
{
  return hero_virt_executor_run_checked (self, command, cancellable, error);
}

static gboolean
real_write_file (HeroVirtExecutor *self,
                 const char       *path,
                 GBytes           *contents,
                 int               mode,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *mode_str = g_strdup_printf ("%o", (guint)mode & 07777);

  /* A fixed script; the path and mode are positional parameters, never
   * part of the script text. */
  cmd = hero_virt_command_new_argv ((const char *const[]){
      "sh", "-c", "umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\"", "sh", path, mode_str, NULL });
  hero_virt_command_set_stdin (cmd, contents);
  result = run_fixed (self, cmd, cancellable, error);
  return result != NULL;
}

static GBytes *
real_read_file (HeroVirtExecutor *self, const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;

  cmd = hero_virt_command_new_argv ((const char *const[]){ "cat", "--", path, NULL });
  result = run_fixed (self, cmd, cancellable, error);
  if (result == NULL)
    return NULL;
  return g_bytes_ref (hero_virt_command_result_get_stdout (result));
}

static char *
real_make_temp_dir (HeroVirtExecutor *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;

  cmd = hero_virt_command_new_argv (
      (const char *const[]){ "mktemp", "-d", "-t", "hero-virt.XXXXXXXX", NULL });
  result = run_fixed (self, cmd, cancellable, error);
  if (result == NULL)
    return NULL;
  return g_strstrip (g_strdup (hero_virt_command_result_get_stdout_text (result)));
}

static gboolean
real_remove_path (HeroVirtExecutor *self,
                  const char       *path,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;

  cmd = hero_virt_command_new_argv ((const char *const[]){ "rm", "-rf", "--", path, NULL });
  result = run_fixed (self, cmd, cancellable, error);
  return result != NULL;
}

static char *
real_get_description (HeroVirtExecutor *self)
{
  return g_strdup (G_OBJECT_TYPE_NAME (self));
}

static gboolean
real_is_local (HeroVirtExecutor *self)
{
  return FALSE;
}

static void
hero_virt_executor_default_init (HeroVirtExecutorInterface *iface)
{
  iface->run = real_run;
  iface->run_async = real_run_async;
  iface->run_finish = real_run_finish;
  iface->write_file = real_write_file;
  iface->read_file = real_read_file;
  iface->make_temp_dir = real_make_temp_dir;
  iface->remove_path = real_remove_path;
  iface->get_description = real_get_description;
  iface->is_local = real_is_local;

  environ_quark = g_quark_from_static_string ("hero-virt-executor-environ");
  max_output_quark = g_quark_from_static_string ("hero-virt-executor-max-output");
}

/* A command on a terminal needs an executor that can give it one. */
static gboolean
check_tty (HeroVirtExecutor *self, HeroVirtCommand *command, GError **error)
{
  HeroVirtExecutorInterface *iface = HERO_VIRT_EXECUTOR_GET_IFACE (self);

  if (!hero_virt_command_get_tty (command)
      || (iface->supports_tty != NULL && iface->supports_tty (self)))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
               "%s cannot run %s on a terminal (the command's tty property)",
               G_OBJECT_TYPE_NAME (self), hero_virt_command_get_program (command));
  return FALSE;
}

/**
 * hero_virt_executor_run: (virtual run)
 * @self: a #HeroVirtExecutor
 * @command: the command to run
 * @cancellable: (nullable): a #GCancellable; cancelling it kills the command
 * @error: return location for a #GError
 *
 * Runs @command to completion. A command that runs and exits with a
 * failure is not an error here: check the result, or use
 * [method@HeroVirt.Executor.run_checked]. Errors are for commands that
 * could not run (%HERO_VIRT_ERROR_UNAVAILABLE when the program is missing),
 * ran too long (%HERO_VIRT_ERROR_TIMEOUT) or were cancelled.
 *
 * Returns: (transfer full): the result, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_executor_run (HeroVirtExecutor *self,
                        HeroVirtCommand  *command,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (command), NULL);
  g_return_val_if_fail (hero_virt_command_get_program (command) != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!check_tty (self, command, error))
    return NULL;
  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->run (self, command, cancellable, error);
}

/**
 * hero_virt_executor_run_async: (virtual run_async)
 * @self: a #HeroVirtExecutor
 * @command: the command to run
 * @cancellable: (nullable): a #GCancellable; cancelling it kills the command
 * @callback: (scope async): called when the command has finished
 * @user_data: data for @callback
 *
 * Starts running @command. See [method@HeroVirt.Executor.run].
 *
 * Since: 0.1
 */
void
hero_virt_executor_run_async (HeroVirtExecutor   *self,
                              HeroVirtCommand    *command,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (HERO_VIRT_IS_EXECUTOR (self));
  g_return_if_fail (HERO_VIRT_IS_COMMAND (command));

  if (!check_tty (self, command, &error))
    {
      g_task_report_error (self, callback, user_data, hero_virt_executor_run_async,
                           g_steal_pointer (&error));
      return;
    }
  HERO_VIRT_EXECUTOR_GET_IFACE (self)->run_async (self, command, cancellable, callback, user_data);
}

/**
 * hero_virt_executor_run_finish: (virtual run_finish)
 * @self: a #HeroVirtExecutor
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Executor.run_async].
 *
 * Returns: (transfer full): the result, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_executor_run_finish (HeroVirtExecutor *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (g_async_result_is_tagged (result, hero_virt_executor_run_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->run_finish (self, result, error);
}

/**
 * hero_virt_executor_run_argv:
 * @self: a #HeroVirtExecutor
 * @argv: (array zero-terminated=1): the program and its arguments
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs an argument vector with no input. A shortcut for
 * [method@HeroVirt.Executor.run].
 *
 * Returns: (transfer full): the result, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_executor_run_argv (HeroVirtExecutor  *self,
                             const char *const *argv,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr (HeroVirtCommand) command = NULL;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  command = hero_virt_command_new_argv (argv);
  return hero_virt_executor_run (self, command, cancellable, error);
}

/**
 * hero_virt_executor_run_checked:
 * @self: a #HeroVirtExecutor
 * @command: the command to run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs @command and fails with %HERO_VIRT_ERROR_COMMAND_FAILED unless it
 * exits with status 0 (see [method@HeroVirt.CommandResult.check]).
 *
 * Returns: (transfer full): the result of a successful run, or %NULL
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_executor_run_checked (HeroVirtExecutor *self,
                                HeroVirtCommand  *command,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result = NULL;

  result = hero_virt_executor_run (self, command, cancellable, error);
  if (result == NULL || !hero_virt_command_result_check (result, error))
    return NULL;
  return g_steal_pointer (&result);
}

/**
 * hero_virt_executor_write_file: (virtual write_file)
 * @self: a #HeroVirtExecutor
 * @path: an absolute path on the executor's host
 * @contents: the bytes to write
 * @mode: the file's permission bits, such as 0644
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @contents to @path on the executor's host, replacing any file
 * there.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_executor_write_file (HeroVirtExecutor *self,
                               const char       *path,
                               GBytes           *contents,
                               int               mode,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an absolute path", path);
      return FALSE;
    }
  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->write_file (self, path, contents, mode, cancellable,
                                                          error);
}

/**
 * hero_virt_executor_read_file: (virtual read_file)
 * @self: a #HeroVirtExecutor
 * @path: an absolute path on the executor's host
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a whole file from the executor's host.
 *
 * Returns: (transfer full): the file's contents, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
hero_virt_executor_read_file (HeroVirtExecutor *self,
                              const char       *path,
                              GCancellable     *cancellable,
                              GError          **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an absolute path", path);
      return NULL;
    }
  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->read_file (self, path, cancellable, error);
}

/**
 * hero_virt_executor_make_temp_dir: (virtual make_temp_dir)
 * @self: a #HeroVirtExecutor
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a new directory, readable only by its owner, under the host's
 * temporary directory. Remove it with
 * [method@HeroVirt.Executor.remove_path].
 *
 * Returns: (transfer full) (type filename): its path, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_executor_make_temp_dir (HeroVirtExecutor *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);

  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->make_temp_dir (self, cancellable, error);
}

/**
 * hero_virt_executor_remove_path: (virtual remove_path)
 * @self: a #HeroVirtExecutor
 * @path: an absolute path on the executor's host
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes a file or a whole directory tree. A path that does not exist is
 * not an error.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_executor_remove_path (HeroVirtExecutor *self,
                                const char       *path,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_path_is_absolute (path) || strcmp (path, "/") == 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Refusing to remove “%s”", path);
      return FALSE;
    }
  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->remove_path (self, path, cancellable, error);
}

/**
 * hero_virt_executor_get_description: (virtual get_description)
 * @self: a #HeroVirtExecutor
 *
 * Returns: (transfer full): a description for logs, such as `local` or
 *   `ssh://builder@10.0.0.5:22`
 *
 * Since: 0.1
 */
char *
hero_virt_executor_get_description (HeroVirtExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);

  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->get_description (self);
}

/**
 * hero_virt_executor_is_local: (virtual is_local)
 * @self: a #HeroVirtExecutor
 *
 * Tells whether commands run on this machine and see its file system, so a
 * plugin may do the work itself instead of spawning a tool.
 *
 * Returns: %TRUE for a local executor
 *
 * Since: 0.1
 */
gboolean
hero_virt_executor_is_local (HeroVirtExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), FALSE);

  return HERO_VIRT_EXECUTOR_GET_IFACE (self)->is_local (self);
}

/**
 * hero_virt_executor_find_program:
 * @self: a #HeroVirtExecutor
 * @program: a program name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Looks @program up in the `PATH` of the executor's host.
 *
 * Returns: (transfer full) (nullable): the program's path, or %NULL with
 *   %HERO_VIRT_ERROR_UNAVAILABLE when it is not installed
 *
 * Since: 0.1
 */
char *
hero_virt_executor_find_program (HeroVirtExecutor *self,
                                 const char       *program,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) local_error = NULL;
  char *path = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);
  g_return_val_if_fail (program != NULL, NULL);

  if (hero_virt_executor_is_local (self))
    {
      path = g_find_program_in_path (program);
    }
  else
    {
      result = hero_virt_executor_run_argv (
          self, (const char *const[]){ "sh", "-c", "command -v -- \"$1\"", "sh", program, NULL },
          cancellable, &local_error);
      /* Not reaching the host (a changed host key, refused auth, a
       * dropped connection) is that error, not "not installed". */
      if (result == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (result != NULL && hero_virt_command_result_get_success (result))
        path = g_strstrip (g_strdup (hero_virt_command_result_get_stdout_text (result)));
      if (path != NULL && *path == '\0')
        g_clear_pointer (&path, g_free);
    }

  if (path == NULL)
    {
      g_autofree char *where = hero_virt_executor_get_description (self);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "%s is not installed (not found in PATH on %s)", program, where);
    }
  return path;
}

/* ---- the environment every command gets ---- */

/* Kept on the executor object, whatever implements it; one lock for all,
 * since variables are set while setting up, not per command. */
G_LOCK_DEFINE_STATIC (environ);

static char **
environ_of (HeroVirtExecutor *self)
{
  return g_object_get_qdata (G_OBJECT (self), environ_quark);
}

/**
 * hero_virt_executor_setenv:
 * @self: a #HeroVirtExecutor
 * @variable: the variable's name
 * @value: (nullable): its value, or %NULL to stop setting it
 *
 * Sets an environment variable for every command @self runs; that is how
 * a test points buildah and podman at a private `containers.conf` and
 * storage root without touching the process environment. The local
 * executor adds the variables to its own environment; the SSH executor
 * (sshd normally refuses to set variables) writes them to a file only the
 * user can read, in a private temporary directory, which the remote shell
 * sources and removes before the command starts: values never appear on a
 * command line. @variable must match `[A-Za-z_][A-Za-z0-9_]*`.
 *
 * Since: 0.1
 */
void
hero_virt_executor_setenv (HeroVirtExecutor *self, const char *variable, const char *value)
{
  char **env;

  g_return_if_fail (HERO_VIRT_IS_EXECUTOR (self));
  g_return_if_fail (hero_virt_validate_env_name (variable, NULL));

  G_LOCK (environ);
  env = g_object_steal_qdata (G_OBJECT (self), environ_quark);
  if (env == NULL)
    env = g_new0 (char *, 1);
  if (value != NULL)
    env = g_environ_setenv (env, variable, value, TRUE);
  else
    env = g_environ_unsetenv (env, variable);
  g_object_set_qdata_full (G_OBJECT (self), environ_quark, env, (GDestroyNotify)g_strfreev);
  G_UNLOCK (environ);
}

/**
 * hero_virt_executor_get_environ:
 * @self: a #HeroVirtExecutor
 *
 * The array is replaced (and the old one freed) by the next
 * [method@HeroVirt.Executor.setenv], so use it only in the thread that
 * sets the variables; elsewhere (a provider's operation in a worker
 * thread, say) use [method@HeroVirt.Executor.dup_environ].
 *
 * Returns: (transfer none) (array zero-terminated=1): the variables set
 *   with [method@HeroVirt.Executor.setenv], as `NAME=VALUE`
 *
 * Since: 0.1
 */
const char *const *
hero_virt_executor_get_environ (HeroVirtExecutor *self)
{
  static const char *const none[] = { NULL };
  char                   **env;

  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);

  G_LOCK (environ);
  env = environ_of (self);
  G_UNLOCK (environ);
  return env ? (const char *const *)env : none;
}

/**
 * hero_virt_executor_dup_environ:
 * @self: a #HeroVirtExecutor
 *
 * A copy of the variables set with [method@HeroVirt.Executor.setenv],
 * safe to call from any thread while another one sets variables.
 *
 * Returns: (transfer full) (array zero-terminated=1): the variables, as
 *   `NAME=VALUE`
 *
 * Since: 0.1
 */
char **
hero_virt_executor_dup_environ (HeroVirtExecutor *self)
{
  char **env;

  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), NULL);

  G_LOCK (environ);
  env = g_strdupv (environ_of (self));
  G_UNLOCK (environ);
  return env ? env : g_new0 (char *, 1);
}

/* ---- how much output is kept ---- */

/**
 * hero_virt_executor_set_max_output:
 * @self: a #HeroVirtExecutor
 * @max_bytes: the most bytes of each of a command's standard output and
 *   error, and of a file read, or 0 for the default (64 MiB)
 *
 * Bounds what @self collects: a command whose standard output or error
 * goes past @max_bytes is killed and fails with
 * %HERO_VIRT_ERROR_TOO_LARGE (a command's own
 * [property@HeroVirt.Command:max-output] takes precedence), and so does
 * [method@HeroVirt.Executor.read_file] of a bigger file. Commands whose
 * lines are streamed to an [signal@HeroVirt.Command::output-line] handler
 * are not failed: only the copy kept for the result stops growing.
 *
 * Since: 0.1
 */
void
hero_virt_executor_set_max_output (HeroVirtExecutor *self, guint64 max_bytes)
{
  g_return_if_fail (HERO_VIRT_IS_EXECUTOR (self));

  g_object_set_qdata (G_OBJECT (self), max_output_quark,
                      GSIZE_TO_POINTER ((gsize)MIN (max_bytes, (guint64)G_MAXSIZE)));
}

/**
 * hero_virt_executor_get_max_output:
 * @self: a #HeroVirtExecutor
 *
 * Returns: the output limit of @self in bytes (64 MiB unless set with
 *   [method@HeroVirt.Executor.set_max_output])
 *
 * Since: 0.1
 */
guint64
hero_virt_executor_get_max_output (HeroVirtExecutor *self)
{
  gsize max;

  g_return_val_if_fail (HERO_VIRT_IS_EXECUTOR (self), 0);

  max = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (self), max_output_quark));
  return max ? max : HERO_VIRT_DEFAULT_MAX_OUTPUT;
}

/* The limit for one run of @command on @self. */
gsize
_hero_virt_executor_output_cap (HeroVirtExecutor *self, HeroVirtCommand *command)
{
  guint64 max = command ? hero_virt_command_get_max_output (command) : 0;

  if (max == 0)
    max = hero_virt_executor_get_max_output (self);
  return (gsize)MIN (max, (guint64)G_MAXSIZE);
}

gboolean
_hero_virt_output_too_large (GError **error, const char *program, const char *stream, gsize cap)
{
  g_autofree char *size = g_format_size_full (cap, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
               "%s wrote more than %s (%" G_GSIZE_FORMAT " bytes) to %s; it was killed (raise the "
               "command's or the executor's max-output to allow more)",
               program, size, cap, stream);
  return FALSE;
}

/* ---- the one log line of a command ---- */

/* Written by the executor when a command has ended, under the command's
 * log domain (the plugin's), with secrets masked in @display: @outcome
 * says why it did not end by itself (cancelled, not started), else the
 * exit status or signal is given. */
void
_hero_virt_executor_log_command (HeroVirtExecutor *self,
                                 HeroVirtCommand  *command,
                                 const char       *display,
                                 const char       *outcome,
                                 int               exit_status,
                                 int               term_signal,
                                 gint64            duration_us)
{
  const char      *domain = hero_virt_command_get_log_domain (command);
  g_autofree char *where = NULL;
  g_autofree char *status = NULL;

  if (domain == NULL)
    domain = G_LOG_DOMAIN;
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, domain))
    return;
  where = hero_virt_executor_get_description (self);
  if (outcome == NULL)
    outcome = status = term_signal ? g_strdup_printf ("signal %d", term_signal)
                                   : g_strdup_printf ("exit %d", exit_status);
  g_log (domain, G_LOG_LEVEL_DEBUG, "%s: %s (%s, %.3f s)", where, display, outcome,
         duration_us / 1e6);
}
