/* hero-virt-command-result.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-command-result.h"
#include "hero-virt-error.h"

/**
 * HeroVirtCommandResult:
 *
 * What a [class@HeroVirt.Command] did once an [iface@HeroVirt.Executor] ran
 * it: its exit status (or the signal that ended it), everything it wrote to
 * standard output and standard error, and how long it took.
 *
 * A result is returned whatever the exit status;
 * [method@HeroVirt.CommandResult.check] turns a failure into a
 * %HERO_VIRT_ERROR_COMMAND_FAILED error that names the tool, the status and
 * the tail of standard error.
 *
 * Since: 0.1
 */
struct _HeroVirtCommandResult
{
  GObject parent_instance;

  char   *command_line;
  int     exit_status;
  int     term_signal;
  GBytes *stdout_bytes;
  GBytes *stderr_bytes;
  char   *stdout_text;
  char   *stderr_text;
  gint64  duration_us;
};

enum
{
  PROP_0,
  PROP_COMMAND_LINE,
  PROP_EXIT_STATUS,
  PROP_TERM_SIGNAL,
  PROP_STDOUT,
  PROP_STDERR,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtCommandResult, hero_virt_command_result, G_TYPE_OBJECT)

static void
hero_virt_command_result_finalize (GObject *object)
{
  HeroVirtCommandResult *self = HERO_VIRT_COMMAND_RESULT (object);

  g_free (self->command_line);
  g_clear_pointer (&self->stdout_bytes, g_bytes_unref);
  g_clear_pointer (&self->stderr_bytes, g_bytes_unref);
  g_free (self->stdout_text);
  g_free (self->stderr_text);

  G_OBJECT_CLASS (hero_virt_command_result_parent_class)->finalize (object);
}

static void
hero_virt_command_result_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  HeroVirtCommandResult *self = HERO_VIRT_COMMAND_RESULT (object);

  switch (prop_id)
    {
    case PROP_COMMAND_LINE:
      g_value_set_string (value, self->command_line);
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    case PROP_TERM_SIGNAL:
      g_value_set_int (value, self->term_signal);
      break;
    case PROP_STDOUT:
      g_value_set_boxed (value, self->stdout_bytes);
      break;
    case PROP_STDERR:
      g_value_set_boxed (value, self->stderr_bytes);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_command_result_class_init (HeroVirtCommandResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_command_result_finalize;
  object_class->get_property = hero_virt_command_result_get_property;

  /**
   * HeroVirtCommandResult:command-line:
   *
   * The command as printed in logs, secrets masked.
   *
   * Since: 0.1
   */
  properties[PROP_COMMAND_LINE] = g_param_spec_string ("command-line", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtCommandResult:exit-status:
   *
   * The exit status, or -1 when a signal ended the command.
   *
   * Since: 0.1
   */
  properties[PROP_EXIT_STATUS] = g_param_spec_int ("exit-status", NULL, NULL, -1, 255, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtCommandResult:term-signal:
   *
   * The signal that ended the command, or 0.
   *
   * Since: 0.1
   */
  properties[PROP_TERM_SIGNAL] = g_param_spec_int ("term-signal", NULL, NULL, 0, G_MAXINT, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtCommandResult:stdout:
   *
   * Everything the command wrote to standard output.
   *
   * Since: 0.1
   */
  properties[PROP_STDOUT] = g_param_spec_boxed ("stdout", NULL, NULL, G_TYPE_BYTES,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtCommandResult:stderr:
   *
   * Everything the command wrote to standard error.
   *
   * Since: 0.1
   */
  properties[PROP_STDERR] = g_param_spec_boxed ("stderr", NULL, NULL, G_TYPE_BYTES,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtCommandResult:duration:
   *
   * How long the command ran, in microseconds.
   *
   * Since: 0.1
   */
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_command_result_init (HeroVirtCommandResult *self)
{
}

static char *
bytes_to_text (GBytes *bytes)
{
  gsize       len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  /* Always NUL-terminated and valid UTF-8, so bindings get a str. */
  return g_utf8_make_valid (data ? data : "", len);
}

/**
 * hero_virt_command_result_new:
 * @command_line: the command as printed, secrets masked
 * @exit_status: the exit status, or -1 if a signal ended the command
 * @term_signal: the signal that ended the command, or 0
 * @stdout_bytes: (nullable): standard output
 * @stderr_bytes: (nullable): standard error
 * @duration_us: how long it ran, in microseconds
 *
 * Creates a result. For executor implementations.
 *
 * Returns: (transfer full): a new #HeroVirtCommandResult
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_command_result_new (const char *command_line,
                              int         exit_status,
                              int         term_signal,
                              GBytes     *stdout_bytes,
                              GBytes     *stderr_bytes,
                              gint64      duration_us)
{
  HeroVirtCommandResult *self;

  g_return_val_if_fail (command_line != NULL, NULL);

  self = g_object_new (HERO_VIRT_TYPE_COMMAND_RESULT, NULL);
  self->command_line = g_strdup (command_line);
  self->exit_status = exit_status;
  self->term_signal = term_signal;
  self->stdout_bytes = stdout_bytes ? g_bytes_ref (stdout_bytes) : g_bytes_new (NULL, 0);
  self->stderr_bytes = stderr_bytes ? g_bytes_ref (stderr_bytes) : g_bytes_new (NULL, 0);
  self->duration_us = MAX (duration_us, 0);
  return self;
}

/**
 * hero_virt_command_result_get_command_line:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: the command as printed, secrets masked
 *
 * Since: 0.1
 */
const char *
hero_virt_command_result_get_command_line (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);
  return self->command_line;
}

/**
 * hero_virt_command_result_get_exit_status:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: the exit status, or -1 when a signal ended the command
 *
 * Since: 0.1
 */
int
hero_virt_command_result_get_exit_status (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), -1);
  return self->exit_status;
}

/**
 * hero_virt_command_result_get_term_signal:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: the signal that ended the command, or 0
 *
 * Since: 0.1
 */
int
hero_virt_command_result_get_term_signal (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), 0);
  return self->term_signal;
}

/**
 * hero_virt_command_result_get_success:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: %TRUE if the command exited with status 0
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_result_get_success (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), FALSE);
  return self->exit_status == 0 && self->term_signal == 0;
}

/**
 * hero_virt_command_result_get_stdout:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: (transfer none): standard output, exactly as written
 *
 * Since: 0.1
 */
GBytes *
hero_virt_command_result_get_stdout (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);
  return self->stdout_bytes;
}

/**
 * hero_virt_command_result_get_stderr:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: (transfer none): standard error, exactly as written
 *
 * Since: 0.1
 */
GBytes *
hero_virt_command_result_get_stderr (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);
  return self->stderr_bytes;
}

/**
 * hero_virt_command_result_get_stdout_text:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: standard output as UTF-8 text (invalid sequences replaced)
 *
 * Since: 0.1
 */
const char *
hero_virt_command_result_get_stdout_text (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);
  if (self->stdout_text == NULL)
    self->stdout_text = bytes_to_text (self->stdout_bytes);
  return self->stdout_text;
}

/**
 * hero_virt_command_result_get_stderr_text:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: standard error as UTF-8 text (invalid sequences replaced)
 *
 * Since: 0.1
 */
const char *
hero_virt_command_result_get_stderr_text (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);
  if (self->stderr_text == NULL)
    self->stderr_text = bytes_to_text (self->stderr_bytes);
  return self->stderr_text;
}

/**
 * hero_virt_command_result_get_duration:
 * @self: a #HeroVirtCommandResult
 *
 * Returns: how long the command ran, in microseconds
 *
 * Since: 0.1
 */
gint64
hero_virt_command_result_get_duration (HeroVirtCommandResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), 0);
  return self->duration_us;
}

/**
 * hero_virt_command_result_get_stderr_tail:
 * @self: a #HeroVirtCommandResult
 * @max_lines: how many lines to keep at most
 *
 * Returns the last non-empty lines of standard error (at most 2 KiB),
 * joined with newlines; the part of an error message that says why a tool
 * failed.
 *
 * Returns: (transfer full): the tail of standard error, maybe empty
 *
 * Since: 0.1
 */
char *
hero_virt_command_result_get_stderr_tail (HeroVirtCommandResult *self, guint max_lines)
{
  const char *text;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  guint n;
  gsize len;
  char *joined;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), NULL);

  text = hero_virt_command_result_get_stderr_text (self);
  if (*text == '\0')
    text = hero_virt_command_result_get_stdout_text (self);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  for (guint i = n; i > 0 && kept->len < max_lines; i--)
    {
      char *line = g_strstrip (lines[i - 1]);
      if (*line != '\0')
        g_ptr_array_insert (kept, 0, line);
    }
  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv ("\n", (char **)kept->pdata);
  len = strlen (joined);
  if (len > 2048)
    {
      /* Keep the end, on a UTF-8 boundary. */
      const char *start = g_utf8_find_next_char (joined + len - 2048, NULL);
      char       *tail = g_strconcat ("…", start ? start : "", NULL);
      g_free (joined);
      joined = tail;
    }
  return joined;
}

/**
 * hero_virt_command_result_check:
 * @self: a #HeroVirtCommandResult
 * @error: return location for a #GError
 *
 * Turns a failed command into an error. The message names the tool, says
 * how it ended and quotes the tail of its standard error, for example
 * `qemu-img exited with status 1: qemu-img: Could not open 'x': No such file`.
 *
 * Returns: %TRUE if the command exited with status 0
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_result_check (HeroVirtCommandResult *self, GError **error)
{
  g_autofree char *tool = NULL;
  g_autofree char *tail = NULL;
  const char      *space;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND_RESULT (self), FALSE);

  if (hero_virt_command_result_get_success (self))
    return TRUE;

  space = strchr (self->command_line, ' ');
  tool = space ? g_strndup (self->command_line, space - self->command_line)
               : g_strdup (self->command_line);
  tail = hero_virt_command_result_get_stderr_tail (self, 5);

  if (self->term_signal != 0)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                 "%s was killed by signal %d%s%s", tool, self->term_signal, *tail ? ": " : "",
                 tail);
  else
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                 "%s exited with status %d%s%s", tool, self->exit_status, *tail ? ": " : "", tail);
  return FALSE;
}
