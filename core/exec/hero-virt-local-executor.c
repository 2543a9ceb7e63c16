/* hero-virt-local-executor.c: runs commands on this machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <sys/stat.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "hero-virt-private.h"

/**
 * HeroVirtLocalExecutor:
 *
 * Runs commands on this machine with #GSubprocess.
 *
 * Each command runs in its own process group, so cancelling it or hitting
 * its timeout kills the command and everything it started (SIGKILL to the
 * group), and the child is always reaped.
 *
 * Variables set with [method@HeroVirt.Executor.setenv] are added to the
 * environment of every command this executor runs.
 *
 * Since: 0.1
 */
struct _HeroVirtLocalExecutor
{
  GObject parent_instance;
};

static void executor_iface_init (HeroVirtExecutorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeroVirtLocalExecutor,
                               hero_virt_local_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR, executor_iface_init))

/* One run in flight. */
typedef struct
{
  HeroVirtCommand *command;
  GSubprocess     *subprocess;
  GPid             pid;
  char            *display;
  GByteArray      *out;
  GByteArray      *err;
  GString         *out_line;
  GString         *err_line;
  gboolean         emit_lines;
  gboolean         out_cr;
  gboolean         err_cr;
  gint64           start;
  guint            pending; /* stdout, stderr, wait, stdin */
  gboolean         timed_out;
  gboolean         killed;
  gsize            cap;       /* most bytes kept of each stream */
  const char      *too_large; /* the stream that went past it */
  GSource         *timeout_source;
  GSource         *grace_source; /* after a kill: stop waiting for the pipes */
  GCancellable    *io_cancel;    /* cancels our reads, write and wait */
  GTask           *task;         /* not a reference: the task owns us */
  gulong           cancel_id;
  GCancellable    *cancellable;
} RunState;

/* How long the pipes may stay open after the command's process group was
 * killed: a descendant that left the group (setsid) and holds them must
 * not stretch a timeout to its own lifetime. */
#define KILL_GRACE_MS 250

static void
run_state_free (RunState *state)
{
  GSource *grace;

  /* First: a handler running in another thread finishes here. */
  if (state->cancel_id != 0)
    g_cancellable_disconnect (state->cancellable, state->cancel_id);
  if (state->timeout_source != NULL)
    {
      g_source_destroy (state->timeout_source);
      g_source_unref (state->timeout_source);
    }
  grace = g_atomic_pointer_exchange (&state->grace_source, NULL);
  if (grace != NULL)
    {
      g_source_destroy (grace);
      g_source_unref (grace);
    }
  g_clear_object (&state->io_cancel);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->command);
  g_clear_object (&state->subprocess);
  g_free (state->display);
  g_byte_array_unref (state->out);
  g_byte_array_unref (state->err);
  g_string_free (state->out_line, TRUE);
  g_string_free (state->err_line, TRUE);
  g_free (state);
}

static void
kill_group (RunState *state)
{
  if (state->killed || state->pid <= 0)
    return;
  state->killed = TRUE;
  /* The child leads its own process group (see child_setup), so this
   * reaches everything it started. */
  if (kill (-state->pid, SIGKILL) != 0 && errno == ESRCH)
    kill (state->pid, SIGKILL);
}

static gboolean
on_grace_over (gpointer user_data)
{
  RunState *state = user_data;

  /* Whatever still holds the pipes is not ours to wait for: close our
   * ends by cancelling the reads; the run then completes. */
  g_cancellable_cancel (state->io_cancel);
  return G_SOURCE_REMOVE;
}

/* Kills the group and gives the pipes KILL_GRACE_MS to close. May run in
 * another thread (a cancellable fired there). */
static void
kill_and_bound (RunState *state)
{
  GSource *grace;

  kill_group (state);
  grace = g_timeout_source_new (KILL_GRACE_MS);
  g_source_set_callback (grace, on_grace_over, state, NULL);
  if (g_atomic_pointer_compare_and_exchange (&state->grace_source, NULL, grace))
    g_source_attach (grace, g_task_get_context (state->task));
  else
    g_source_unref (grace);
}

static void
child_setup (gpointer user_data)
{
  /* Runs between fork and exec: async-signal-safe calls only. */
  setpgid (0, 0);
}

static void
flush_lines (RunState *state, GString *buffer, HeroVirtOutputStream stream, gboolean at_eof)
{
  gboolean *after_cr = stream == HERO_VIRT_OUTPUT_STREAM_STDOUT ? &state->out_cr : &state->err_cr;
  gsize     start = 0;

  for (gsize i = 0; i < buffer->len; i++)
    {
      char c = buffer->str[i];

      if (c != '\n' && c != '\r')
        {
          *after_cr = FALSE;
          continue;
        }
      /* "\r\n" ends one line; a lone "\r" (a progress redraw) ends one too. */
      if (!(c == '\n' && i == start && *after_cr))
        {
          g_autofree char *line = g_utf8_make_valid (buffer->str + start, i - start);
          hero_virt_command_emit_line (state->command, stream, line);
        }
      *after_cr = c == '\r';
      start = i + 1;
    }
  g_string_erase (buffer, 0, start);
  if (at_eof && buffer->len > 0)
    {
      g_autofree char *line = g_utf8_make_valid (buffer->str, buffer->len);
      hero_virt_command_emit_line (state->command, stream, line);
      g_string_truncate (buffer, 0);
    }
}

static void maybe_complete (GTask *task);

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask        *task = user_data;
  RunState     *state = g_task_get_task_data (task);
  GInputStream *stream = G_INPUT_STREAM (source);
  gboolean      is_out = stream == g_subprocess_get_stdout_pipe (state->subprocess);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (stream, result, &error);
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      gsize         len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      GByteArray   *keep = is_out ? state->out : state->err;

      if (keep->len + len > state->cap && !state->emit_lines)
        {
          /* Past the limit: the run fails, the command is killed, and
           * what it still writes is drained and dropped. */
          if (state->too_large == NULL && !state->killed)
            {
              state->too_large = is_out ? "its standard output" : "its standard error";
              kill_and_bound (state);
            }
        }
      else if (state->too_large == NULL)
        g_byte_array_append (keep, data, MIN (len, state->cap - keep->len));
      if (state->emit_lines)
        {
          GString *line = is_out ? state->out_line : state->err_line;
          g_string_append_len (line, (const char *)data, len);
          flush_lines (state, line,
                       is_out ? HERO_VIRT_OUTPUT_STREAM_STDOUT : HERO_VIRT_OUTPUT_STREAM_STDERR,
                       FALSE);
          /* A line longer than the cap is cut there: the buffer is bounded. */
          if (line->len > state->cap)
            flush_lines (state, line,
                         is_out ? HERO_VIRT_OUTPUT_STREAM_STDOUT : HERO_VIRT_OUTPUT_STREAM_STDERR,
                         TRUE);
        }
      /* Only io_cancel, fired a grace period after a kill: until then a
       * cancelled run drains the pipes while the child dies. */
      g_input_stream_read_bytes_async (stream, 65536, G_PRIORITY_DEFAULT, state->io_cancel, read_cb,
                                       task);
      return;
    }

  if (state->emit_lines)
    flush_lines (state, is_out ? state->out_line : state->err_line,
                 is_out ? HERO_VIRT_OUTPUT_STREAM_STDOUT : HERO_VIRT_OUTPUT_STREAM_STDERR, TRUE);
  state->pending--;
  maybe_complete (task);
}

static void
write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask    *task = user_data;
  RunState *state = g_task_get_task_data (task);

  /* A child that exits without reading its input is not an error of ours:
   * ignore EPIPE and friends; the exit status tells what happened. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_output_stream_close (G_OUTPUT_STREAM (source), NULL, NULL);
  state->pending--;
  maybe_complete (task);
}

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask    *task = user_data;
  RunState *state = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  state->pending--;
  maybe_complete (task);
}

static void
maybe_complete (GTask *task)
{
  RunState    *state = g_task_get_task_data (task);
  GSubprocess *sp = state->subprocess;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  int    exit_status = -1;
  int    term_signal = 0;
  gint64 duration;

  if (state->pending > 0)
    {
      /* Keep the task alive until every callback has run. */
      return;
    }

  duration = g_get_monotonic_time () - state->start;

  if (g_cancellable_is_cancelled (state->cancellable))
    {
      _hero_virt_executor_log_command (g_task_get_source_object (task), state->command,
                                       state->display, "cancelled", 0, 0, duration);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      g_object_unref (task);
      return;
    }
  if (state->too_large != NULL && !state->timed_out)
    {
      g_autoptr (GError) error = NULL;

      _hero_virt_executor_log_command (g_task_get_source_object (task), state->command,
                                       state->display, "too much output, killed", 0, 0, duration);
      _hero_virt_output_too_large (&error, hero_virt_command_get_program (state->command),
                                   state->too_large, state->cap);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (state->timed_out)
    {
      _hero_virt_executor_log_command (g_task_get_source_object (task), state->command,
                                       state->display, "timed out, killed", 0, 0, duration);
      g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                               "%s did not finish within %u ms and was killed",
                               hero_virt_command_get_program (state->command),
                               hero_virt_command_get_timeout (state->command));
      g_object_unref (task);
      return;
    }

  if (g_subprocess_get_if_exited (sp))
    exit_status = g_subprocess_get_exit_status (sp);
  else if (g_subprocess_get_if_signaled (sp))
    term_signal = g_subprocess_get_term_sig (sp);

  out = g_byte_array_free_to_bytes (g_byte_array_ref (state->out));
  err = _hero_virt_command_redact_output (state->command, state->err);
  _hero_virt_executor_log_command (g_task_get_source_object (task), state->command, state->display,
                                   NULL, exit_status, term_signal, duration);
  g_task_return_pointer (
      task,
      hero_virt_command_result_new (state->display, exit_status, term_signal, out, err, duration),
      g_object_unref);
  g_object_unref (task);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  RunState *state = user_data;

  /* May run in another thread: only kill here; completion happens in the
   * task's context once the pipes close (or the grace period ends) and
   * the child is reaped. */
  kill_and_bound (state);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask    *task = user_data;
  RunState *state = g_task_get_task_data (task);

  state->timed_out = TRUE;
  kill_and_bound (state);
  g_clear_pointer (&state->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static char **
add_variables (char **env, const char *const *variables)
{
  for (guint i = 0; variables[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (variables[i], "=", 2);
      env = g_environ_setenv (env, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
  return env;
}

/* The process's environment, then the executor's variables, then the
 * command's. */
static char **
build_environ (HeroVirtLocalExecutor *self, HeroVirtCommand *command)
{
  g_auto (GStrv) mine = hero_virt_executor_dup_environ (HERO_VIRT_EXECUTOR (self));
  char **env = add_variables (g_get_environ (), (const char *const *)mine);

  return add_variables (env, hero_virt_command_get_environ (command));
}

static void
local_run_async (HeroVirtExecutor   *executor,
                 HeroVirtCommand    *command,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  HeroVirtLocalExecutor *self = HERO_VIRT_LOCAL_EXECUTOR (executor);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_auto (GStrv) env = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocessFlags flags;
  GTask           *task;
  RunState        *state;
  const char      *ident;
  GBytes          *input;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, local_run_async);

  state = g_new0 (RunState, 1);
  state->command = g_object_ref (command);
  state->display = hero_virt_command_to_string (command);
  state->out = g_byte_array_new ();
  state->err = g_byte_array_new ();
  state->out_line = g_string_new (NULL);
  state->err_line = g_string_new (NULL);
  state->emit_lines = hero_virt_command_wants_lines (command);
  state->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  state->io_cancel = g_cancellable_new ();
  state->task = task;
  state->cap = _hero_virt_executor_output_cap (executor, command);
  g_task_set_task_data (task, state, (GDestroyNotify)run_state_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  flags |= hero_virt_command_get_merge_stderr (command) ? G_SUBPROCESS_FLAGS_STDERR_MERGE
                                                        : G_SUBPROCESS_FLAGS_STDERR_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  env = build_environ (self, command);
  g_subprocess_launcher_set_environ (launcher, env);
  if (hero_virt_command_get_cwd (command) != NULL)
    g_subprocess_launcher_set_cwd (launcher, hero_virt_command_get_cwd (command));
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  state->start = g_get_monotonic_time ();
  state->subprocess
      = g_subprocess_launcher_spawnv (launcher, hero_virt_command_get_argv (command), &error);
  if (state->subprocess == NULL)
    {
      _hero_virt_executor_log_command (executor, command, state->display, error->message, 0, 0, 0);
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                                 "%s is not installed (not found in PATH)",
                                 hero_virt_command_get_program (command));
      else
        g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not run %s: %s",
                                 hero_virt_command_get_program (command), error->message);
      g_object_unref (task);
      return;
    }

  ident = g_subprocess_get_identifier (state->subprocess);
  state->pid = ident ? (GPid)atoi (ident) : 0;

  /* stdout, stderr (unless merged), the exit, and stdin */
  state->pending = 4;
  if (hero_virt_command_get_merge_stderr (command))
    state->pending--;

  input = hero_virt_command_get_stdin (command);
  if (input != NULL && g_bytes_get_size (input) > 0)
    {
      GOutputStream *stdin_pipe = g_subprocess_get_stdin_pipe (state->subprocess);

      /* GSubprocess hands out blocking pipe fds; a pollable write of more
       * than the pipe buffer would then block this thread while the child
       * waits for us to read its output. */
      if (G_IS_UNIX_OUTPUT_STREAM (stdin_pipe))
        g_unix_set_fd_nonblocking (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (stdin_pipe)),
                                   TRUE, NULL);
      gsize       len;
      const void *data = g_bytes_get_data (input, &len);
      /* The stdin GBytes is kept alive by the command, held by the state. */
      g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (state->subprocess), data, len,
                                       G_PRIORITY_DEFAULT, state->io_cancel, write_cb, task);
    }
  else
    {
      g_output_stream_close (g_subprocess_get_stdin_pipe (state->subprocess), NULL, NULL);
      state->pending--;
    }

  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (state->subprocess), 65536,
                                   G_PRIORITY_DEFAULT, state->io_cancel, read_cb, task);
  if (!hero_virt_command_get_merge_stderr (command))
    g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (state->subprocess), 65536,
                                     G_PRIORITY_DEFAULT, state->io_cancel, read_cb, task);
  g_subprocess_wait_async (state->subprocess, state->io_cancel, wait_cb, task);

  if (cancellable != NULL)
    state->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), state, NULL);

  if (hero_virt_command_get_timeout (command) > 0)
    {
      state->timeout_source = g_timeout_source_new (hero_virt_command_get_timeout (command));
      g_source_set_callback (state->timeout_source, on_timeout, task, NULL);
      g_source_attach (state->timeout_source, g_task_get_context (task));
    }
  /* The task's own reference is dropped in maybe_complete(). */
}

static HeroVirtCommandResult *
local_run_finish (HeroVirtExecutor *executor, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, executor), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
local_write_file (HeroVirtExecutor *executor,
                  const char       *path,
                  GBytes           *contents,
                  int               mode,
                  GCancellable     *cancellable,
                  GError          **error)
{
  gsize       len;
  const char *data = g_bytes_get_data (contents, &len);
  g_autoptr (GError) local_error = NULL;

  if (!g_file_set_contents_full (path, data ? data : "", len, G_FILE_SET_CONTENTS_CONSISTENT,
                                 mode & 07777, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
local_read_file (HeroVirtExecutor *executor,
                 const char       *path,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr (GError) local_error = NULL;
  gsize    cap = _hero_virt_executor_output_cap (executor, NULL);
  GStatBuf st;
  char    *data;
  gsize    len;

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (guint64)st.st_size > cap)
    {
      g_autofree char *size = g_format_size_full (cap, G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "%s is larger than the executor's limit of %s (%" G_GSIZE_FORMAT " bytes)", path,
                   size, cap);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                       ? HERO_VIRT_ERROR_NOT_FOUND
                       : HERO_VIRT_ERROR_IO,
                   "%s", local_error->message);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

static char *
local_make_temp_dir (HeroVirtExecutor *executor, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *path = g_dir_make_tmp ("hero-virt.XXXXXX", &local_error);

  if (path == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
  return path;
}

static gboolean
remove_recursive (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileEnumerator) children = NULL;
  g_autoptr (GFileInfo) self_info = NULL;

  /* lstat: a symbolic link is removed itself, never followed, so
   * `tmp/link -> ../victim` leaves victim/ alone (as over SFTP). */
  self_info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                 G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (self_info != NULL && g_file_info_get_file_type (self_info) == G_FILE_TYPE_DIRECTORY)
    children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
        {
          g_autoptr (GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          g_object_unref (info);
          if (!remove_recursive (child, cancellable, error))
            return FALSE;
        }
    }
  if (!g_file_delete (file, cancellable, error))
    {
      if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (error);
          return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static gboolean
local_remove_path (HeroVirtExecutor *executor,
                   const char       *path,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) local_error = NULL;

  if (!remove_recursive (file, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
local_get_description (HeroVirtExecutor *executor)
{
  return g_strdup ("local");
}

static gboolean
local_is_local (HeroVirtExecutor *executor)
{
  return TRUE;
}

static void
executor_iface_init (HeroVirtExecutorInterface *iface)
{
  iface->run_async = local_run_async;
  iface->run_finish = local_run_finish;
  iface->write_file = local_write_file;
  iface->read_file = local_read_file;
  iface->make_temp_dir = local_make_temp_dir;
  iface->remove_path = local_remove_path;
  iface->get_description = local_get_description;
  iface->is_local = local_is_local;
}

static void
hero_virt_local_executor_class_init (HeroVirtLocalExecutorClass *klass)
{
  /* Writing a command's stdin after it exited must fail with EPIPE, not
   * kill the host process (GSocket does the same). */
#ifdef SIGPIPE
  {
    struct sigaction action;
    if (sigaction (SIGPIPE, NULL, &action) == 0 && action.sa_handler == SIG_DFL)
      signal (SIGPIPE, SIG_IGN);
  }
#endif
}

static void
hero_virt_local_executor_init (HeroVirtLocalExecutor *self)
{
}

/**
 * hero_virt_local_executor_new:
 *
 * Creates an executor that runs commands on this machine.
 *
 * Returns: (transfer full): a new #HeroVirtLocalExecutor
 *
 * Since: 0.1
 */
HeroVirtLocalExecutor *
hero_virt_local_executor_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_LOCAL_EXECUTOR, NULL);
}

/**
 * hero_virt_executor_get_default:
 *
 * Returns the process-wide local executor, which runs commands on this
 * machine.
 *
 * Returns: (transfer none): the default #HeroVirtExecutor
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_executor_get_default (void)
{
  /* Made here, not beside the interface: the interface knows no
   * implementation. */
  static gsize             once;
  static HeroVirtExecutor *local;

  if (g_once_init_enter (&once))
    {
      local = HERO_VIRT_EXECUTOR (hero_virt_local_executor_new ());
      g_once_init_leave (&once, 1);
    }
  return local;
}
