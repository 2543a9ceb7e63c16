/* hero-virt-command.c: an argv to run, with stdin, environment and secrets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtCommand:
 *
 * A command to run through a [iface@HeroVirt.Executor]: an argument vector
 * (never a shell string), optional standard input, extra environment
 * variables, a working directory and a timeout.
 *
 * Arguments added with [method@HeroVirt.Command.add_secret_arg] are passed
 * to the program unchanged but shown as `***` wherever the command is
 * printed: in debug logs, in [method@HeroVirt.Command.to_string] and in
 * error messages.
 *
 * The executor that runs a command writes one debug line for it, when it
 * ends, under the command's [property@HeroVirt.Command:log-domain]: a
 * plugin creates its commands with HERO_VIRT_COMMAND_NEW(), so that
 * `G_MESSAGES_DEBUG=HeroVirt-Podman` shows what podman's provider ran.
 *
 * Setters return the command itself so calls can be chained:
 *
 * ```c
 * g_autoptr(HeroVirtCommand) cmd = hero_virt_command_new ("qemu-img");
 * hero_virt_command_add_args (cmd, "info", "--output=json", "--", path, NULL);
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtCommand
{
  GObject parent_instance;

  GPtrArray *argv;   /* NULL-terminated */
  GArray    *secret; /* gboolean per argv element */
  GBytes    *stdin_bytes;
  char     **environ; /* extra variables, NAME=VALUE */
  char      *cwd;
  guint      timeout_ms;
  guint64    max_output;
  gboolean   merge_stderr;
  char      *log_domain;
  gboolean   tty;
  GMutex     size_lock; /* columns and rows: resize() may come from any thread */
  guint16    columns, rows;
};

enum
{
  PROP_0,
  PROP_PROGRAM,
  PROP_CWD,
  PROP_TIMEOUT,
  PROP_MAX_OUTPUT,
  PROP_LOG_DOMAIN,
  PROP_TTY,
  N_PROPS
};

enum
{
  SIGNAL_OUTPUT_LINE,
  SIGNAL_RESIZED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeroVirtCommand, hero_virt_command, G_TYPE_OBJECT)

static void
hero_virt_command_finalize (GObject *object)
{
  HeroVirtCommand *self = HERO_VIRT_COMMAND (object);

  g_clear_pointer (&self->argv, g_ptr_array_unref);
  g_clear_pointer (&self->secret, g_array_unref);
  g_clear_pointer (&self->stdin_bytes, g_bytes_unref);
  g_clear_pointer (&self->environ, g_strfreev);
  g_clear_pointer (&self->cwd, g_free);
  g_clear_pointer (&self->log_domain, g_free);
  g_mutex_clear (&self->size_lock);

  G_OBJECT_CLASS (hero_virt_command_parent_class)->finalize (object);
}

static void
hero_virt_command_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtCommand *self = HERO_VIRT_COMMAND (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_value_set_string (value, hero_virt_command_get_program (self));
      break;
    case PROP_CWD:
      g_value_set_string (value, self->cwd);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_MAX_OUTPUT:
      g_value_set_uint64 (value, self->max_output);
      break;
    case PROP_LOG_DOMAIN:
      g_value_set_string (value, self->log_domain);
      break;
    case PROP_TTY:
      g_value_set_boolean (value, self->tty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_command_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HeroVirtCommand *self = HERO_VIRT_COMMAND (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      if (g_value_get_string (value) != NULL)
        hero_virt_command_add_arg (self, g_value_get_string (value));
      break;
    case PROP_CWD:
      hero_virt_command_set_cwd (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      hero_virt_command_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_OUTPUT:
      hero_virt_command_set_max_output (self, g_value_get_uint64 (value));
      break;
    case PROP_LOG_DOMAIN:
      hero_virt_command_set_log_domain (self, g_value_get_string (value));
      break;
    case PROP_TTY:
      hero_virt_command_set_tty (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_command_class_init (HeroVirtCommandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_command_finalize;
  object_class->get_property = hero_virt_command_get_property;
  object_class->set_property = hero_virt_command_set_property;

  /**
   * HeroVirtCommand:program:
   *
   * The program to run: the first element of the argument vector. It is
   * looked up in `PATH` by the executor when it has no slash.
   *
   * Since: 0.1
   */
  properties[PROP_PROGRAM]
      = g_param_spec_string ("program", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HeroVirtCommand:cwd:
   *
   * The working directory of the command, or %NULL for the executor's.
   *
   * Since: 0.1
   */
  properties[PROP_CWD]
      = g_param_spec_string ("cwd", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HeroVirtCommand:timeout:
   *
   * How long, in milliseconds, the command may run before it is killed
   * and the run fails with %HERO_VIRT_ERROR_TIMEOUT. 0 means no limit.
   *
   * Since: 0.1
   */
  properties[PROP_TIMEOUT]
      = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HeroVirtCommand:max-output:
   *
   * The most bytes of standard output, and separately of standard error,
   * the executor collects for the command; 0 means the executor's limit
   * ([method@HeroVirt.Executor.set_max_output], 64 MiB unless set). A
   * command that writes more is killed and the run fails with
   * %HERO_VIRT_ERROR_TOO_LARGE, naming the stream and the limit. When an
   * [signal@HeroVirt.Command::output-line] handler is connected the lines
   * keep coming and the run does not fail: only the copy kept for the
   * [class@HeroVirt.CommandResult] stops growing at the limit.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_OUTPUT]
      = g_param_spec_uint64 ("max-output", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HeroVirtCommand:log-domain:
   *
   * The log domain the executor writes the command's debug line under,
   * such as `HeroVirt-Podman`; %NULL for `HeroVirt`.
   *
   * Since: 0.1
   */
  properties[PROP_LOG_DOMAIN]
      = g_param_spec_string ("log-domain", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HeroVirtCommand:tty:
   *
   * Whether the command runs on a terminal, as `kubectl exec -t` runs it:
   * its standard input, output and error are a pseudo-terminal, so its
   * standard error arrives merged into its standard output (the result's
   * standard error is empty) and its lines end in `\r\n`, which
   * [signal@HeroVirt.Command::output-line] strips. Set the terminal's size
   * with [method@HeroVirt.Command.resize], before or while it runs.
   *
   * Only executors that can give a command a terminal run it (the
   * [class@HeroVirt.PodExecutor]); the others fail with
   * %HERO_VIRT_ERROR_NOT_SUPPORTED.
   *
   * Since: 0.1
   */
  properties[PROP_TTY]
      = g_param_spec_boolean ("tty", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HeroVirtCommand::resized:
   * @self: the command
   * @columns: the terminal's new width, in characters
   * @rows: the terminal's new height, in lines
   *
   * Emitted by [method@HeroVirt.Command.resize], in the thread that called
   * it. An executor running the command on a terminal connects to it to
   * pass the new size on (a pod's exec sends it on the resize channel).
   *
   * Since: 0.1
   */
  signals[SIGNAL_RESIZED]
      = g_signal_new ("resized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * HeroVirtCommand::output-line:
   * @self: the command
   * @stream: which stream the line came from
   * @line: the line, without its line terminator
   *
   * Emitted for each line of output while the command runs, when at least
   * one handler is connected. Lines ending in a carriage return (progress
   * redraws) are delivered too. The output is still collected into the
   * [class@HeroVirt.CommandResult].
   *
   * The signal is emitted in the thread-default main context of the caller
   * of [method@HeroVirt.Executor.run_async] (or, for synchronous runs, of
   * the calling thread).
   *
   * Since: 0.1
   */
  signals[SIGNAL_OUTPUT_LINE]
      = g_signal_new ("output-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, HERO_VIRT_TYPE_OUTPUT_STREAM, G_TYPE_STRING);
}

static void
hero_virt_command_init (HeroVirtCommand *self)
{
  self->argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->argv, NULL);
  self->secret = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->environ = g_new0 (char *, 1);
  g_mutex_init (&self->size_lock);
}

/**
 * hero_virt_command_new:
 * @program: the program to run
 *
 * Creates a command that runs @program with no arguments yet.
 *
 * Returns: (transfer full): a new #HeroVirtCommand
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_new (const char *program)
{
  g_return_val_if_fail (program != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_COMMAND, "program", program, NULL);
}

/**
 * hero_virt_command_new_argv:
 * @argv: (array zero-terminated=1): the program and its arguments
 *
 * Creates a command from a complete argument vector.
 *
 * Returns: (transfer full): a new #HeroVirtCommand
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_new_argv (const char *const *argv)
{
  HeroVirtCommand *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = hero_virt_command_new (argv[0]);
  hero_virt_command_add_argv (self, argv + 1);
  return self;
}

static HeroVirtCommand *
add_arg_full (HeroVirtCommand *self, char *arg, gboolean secret)
{
  /* Replace the trailing NULL, then terminate again. */
  g_ptr_array_index (self->argv, self->argv->len - 1) = arg;
  g_ptr_array_add (self->argv, NULL);
  g_array_append_val (self->secret, secret);
  return self;
}

/**
 * hero_virt_command_add_arg:
 * @self: a #HeroVirtCommand
 * @arg: an argument
 *
 * Appends one argument. It is passed to the program as one element of its
 * argument vector, whatever characters it holds.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_add_arg (HeroVirtCommand *self, const char *arg)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);
  g_return_val_if_fail (arg != NULL, self);

  return add_arg_full (self, g_strdup (arg), FALSE);
}

/**
 * hero_virt_command_add_args: (skip)
 * @self: a #HeroVirtCommand
 * @first_arg: the first argument
 * @...: more arguments, then %NULL
 *
 * Appends several arguments.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_add_args (HeroVirtCommand *self, const char *first_arg, ...)
{
  va_list args;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    add_arg_full (self, g_strdup (arg), FALSE);
  va_end (args);

  return self;
}

/**
 * hero_virt_command_add_argv:
 * @self: a #HeroVirtCommand
 * @args: (array zero-terminated=1) (nullable): arguments to append
 *
 * Appends every argument in @args.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_add_argv (HeroVirtCommand *self, const char *const *args)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    add_arg_full (self, g_strdup (args[i]), FALSE);

  return self;
}

/**
 * hero_virt_command_add_arg_printf: (skip)
 * @self: a #HeroVirtCommand
 * @format: a printf() format
 * @...: the values to format
 *
 * Appends one formatted argument.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_add_arg_printf (HeroVirtCommand *self, const char *format, ...)
{
  va_list args;
  char   *arg;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  va_start (args, format);
  arg = g_strdup_vprintf (format, args);
  va_end (args);

  return add_arg_full (self, arg, FALSE);
}

/**
 * hero_virt_command_add_secret_arg:
 * @self: a #HeroVirtCommand
 * @arg: an argument that must not be shown
 *
 * Appends an argument that is passed to the program unchanged but shown as
 * `***` in logs, in [method@HeroVirt.Command.to_string] and in errors. Its
 * text is also masked in the command's output when that is quoted in an
 * error ([method@HeroVirt.Command.redact]).
 *
 * A secret on a command line can still be seen by other users of the
 * machine through the process list; prefer passing secrets on standard
 * input or in a private file where the tool allows it.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_add_secret_arg (HeroVirtCommand *self, const char *arg)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);
  g_return_val_if_fail (arg != NULL, self);

  return add_arg_full (self, g_strdup (arg), TRUE);
}

/**
 * hero_virt_command_set_stdin:
 * @self: a #HeroVirtCommand
 * @stdin_bytes: (nullable): what to write to the command's standard input
 *
 * Sets the command's standard input. Without it the command reads from an
 * empty input.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_stdin (HeroVirtCommand *self, GBytes *stdin_bytes)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  g_clear_pointer (&self->stdin_bytes, g_bytes_unref);
  if (stdin_bytes != NULL)
    self->stdin_bytes = g_bytes_ref (stdin_bytes);
  return self;
}

/**
 * hero_virt_command_set_stdin_text:
 * @self: a #HeroVirtCommand
 * @text: (nullable): UTF-8 text for the command's standard input
 *
 * Like [method@HeroVirt.Command.set_stdin] with the bytes of @text.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_stdin_text (HeroVirtCommand *self, const char *text)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (text != NULL)
    bytes = g_bytes_new (text, strlen (text));
  return hero_virt_command_set_stdin (self, bytes);
}

/**
 * hero_virt_command_setenv:
 * @self: a #HeroVirtCommand
 * @variable: the variable's name
 * @value: (nullable): its value, or %NULL to unset it for the command
 *
 * Sets an environment variable for the command, on top of the executor's
 * environment.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_setenv (HeroVirtCommand *self, const char *variable, const char *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);
  g_return_val_if_fail (hero_virt_validate_env_name (variable, NULL), self);

  if (value != NULL)
    self->environ = g_environ_setenv (self->environ, variable, value, TRUE);
  else
    self->environ = g_environ_unsetenv (self->environ, variable);
  return self;
}

/**
 * hero_virt_command_set_cwd:
 * @self: a #HeroVirtCommand
 * @cwd: (nullable): the working directory
 *
 * Sets the working directory of the command.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_cwd (HeroVirtCommand *self, const char *cwd)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (g_strcmp0 (self->cwd, cwd) != 0)
    {
      g_free (self->cwd);
      self->cwd = g_strdup (cwd);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CWD]);
    }
  return self;
}

/**
 * hero_virt_command_set_timeout:
 * @self: a #HeroVirtCommand
 * @timeout_ms: the limit in milliseconds, 0 for none
 *
 * Sets how long the command may run before it is killed.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_timeout (HeroVirtCommand *self, guint timeout_ms)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
  return self;
}

/**
 * hero_virt_command_set_max_output:
 * @self: a #HeroVirtCommand
 * @max_bytes: the most bytes kept of each of standard output and error,
 *   or 0 for the executor's limit
 *
 * Sets [property@HeroVirt.Command:max-output].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_max_output (HeroVirtCommand *self, guint64 max_bytes)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (self->max_output != max_bytes)
    {
      self->max_output = max_bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_OUTPUT]);
    }
  return self;
}

/**
 * hero_virt_command_get_max_output:
 * @self: a #HeroVirtCommand
 *
 * Returns: the output limit set on the command, 0 when the executor's
 *   applies
 *
 * Since: 0.1
 */
guint64
hero_virt_command_get_max_output (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), 0);
  return self->max_output;
}

/**
 * hero_virt_command_set_log_domain:
 * @self: a #HeroVirtCommand
 * @log_domain: (nullable): a log domain such as `HeroVirt-Podman`, or
 *   %NULL for `HeroVirt`
 *
 * Sets the log domain the executor writes the command's debug line under.
 * Plugins pass their `G_LOG_DOMAIN`, most simply through
 * HERO_VIRT_COMMAND_NEW().
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_log_domain (HeroVirtCommand *self, const char *log_domain)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (g_strcmp0 (self->log_domain, log_domain) != 0)
    {
      g_free (self->log_domain);
      self->log_domain = g_strdup (log_domain);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_DOMAIN]);
    }
  return self;
}

/**
 * hero_virt_command_get_log_domain:
 * @self: a #HeroVirtCommand
 *
 * Returns: (nullable): the log domain set with
 *   [method@HeroVirt.Command.set_log_domain]
 *
 * Since: 0.1
 */
const char *
hero_virt_command_get_log_domain (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return self->log_domain;
}

/**
 * hero_virt_command_set_merge_stderr:
 * @self: a #HeroVirtCommand
 * @merge: whether to send standard error to standard output
 *
 * Merges the command's standard error into its standard output.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_merge_stderr (HeroVirtCommand *self, gboolean merge)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  self->merge_stderr = !!merge;
  return self;
}

/**
 * hero_virt_command_set_tty:
 * @self: a #HeroVirtCommand
 * @tty: whether to run the command on a terminal
 *
 * Runs the command on a terminal (see [property@HeroVirt.Command:tty]).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCommand *
hero_virt_command_set_tty (HeroVirtCommand *self, gboolean tty)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  tty = !!tty;
  if (self->tty != tty)
    {
      self->tty = tty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TTY]);
    }
  return self;
}

/**
 * hero_virt_command_get_tty:
 * @self: a #HeroVirtCommand
 *
 * Returns: whether the command runs on a terminal
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_get_tty (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), FALSE);

  return self->tty;
}

/**
 * hero_virt_command_resize:
 * @self: a #HeroVirtCommand
 * @columns: the terminal's width in characters, 1 to 65535
 * @rows: the terminal's height in lines, 1 to 65535
 *
 * Sets the size of the command's terminal ([property@HeroVirt.Command:tty]).
 * Set before the run, it is the size the terminal starts with (else the
 * executor's default); while the command runs, the executor resizes its
 * terminal, so the program gets `SIGWINCH` and `stty size` prints the new
 * size. It may be called from any thread, such as from an
 * [signal@HeroVirt.Command::output-line] handler or a `SIGWINCH` source;
 * it emits [signal@HeroVirt.Command::resized] in that thread.
 *
 * Since: 0.1
 */
void
hero_virt_command_resize (HeroVirtCommand *self, guint columns, guint rows)
{
  g_return_if_fail (HERO_VIRT_IS_COMMAND (self));
  g_return_if_fail (columns >= 1 && columns <= G_MAXUINT16);
  g_return_if_fail (rows >= 1 && rows <= G_MAXUINT16);

  g_mutex_lock (&self->size_lock);
  self->columns = (guint16)columns;
  self->rows = (guint16)rows;
  g_mutex_unlock (&self->size_lock);
  g_signal_emit (self, signals[SIGNAL_RESIZED], 0, columns, rows);
}

/**
 * hero_virt_command_get_terminal_size:
 * @self: a #HeroVirtCommand
 * @columns: (out) (optional): the terminal's width, or 0 when not set
 * @rows: (out) (optional): the terminal's height, or 0 when not set
 *
 * Reads the size last set with [method@HeroVirt.Command.resize]; it may
 * be called from any thread.
 *
 * Returns: whether a size was set
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_get_terminal_size (HeroVirtCommand *self, guint *columns, guint *rows)
{
  guint c, r;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), FALSE);

  g_mutex_lock (&self->size_lock);
  c = self->columns;
  r = self->rows;
  g_mutex_unlock (&self->size_lock);
  if (columns)
    *columns = c;
  if (rows)
    *rows = r;
  return c > 0;
}

/**
 * hero_virt_command_get_program:
 * @self: a #HeroVirtCommand
 *
 * Returns: (nullable): the program, the first element of the argv
 *
 * Since: 0.1
 */
const char *
hero_virt_command_get_program (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return g_ptr_array_index (self->argv, 0);
}

/**
 * hero_virt_command_get_argv:
 * @self: a #HeroVirtCommand
 *
 * Returns: (transfer none) (array zero-terminated=1): the argument vector,
 *   secrets included
 *
 * Since: 0.1
 */
const char *const *
hero_virt_command_get_argv (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return (const char *const *)self->argv->pdata;
}

/**
 * hero_virt_command_arg_is_secret:
 * @self: a #HeroVirtCommand
 * @index: an index into the argument vector
 *
 * Returns: whether the argument at @index was added as a secret
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_arg_is_secret (HeroVirtCommand *self, guint index)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), FALSE);

  if (index >= self->secret->len)
    return FALSE;
  return g_array_index (self->secret, gboolean, index);
}

/**
 * hero_virt_command_get_stdin:
 * @self: a #HeroVirtCommand
 *
 * Returns: (transfer none) (nullable): the standard input, if one was set
 *
 * Since: 0.1
 */
GBytes *
hero_virt_command_get_stdin (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return self->stdin_bytes;
}

/**
 * hero_virt_command_get_environ:
 * @self: a #HeroVirtCommand
 *
 * Returns: (transfer none) (array zero-terminated=1): the extra environment
 *   as `NAME=VALUE` strings
 *
 * Since: 0.1
 */
const char *const *
hero_virt_command_get_environ (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return (const char *const *)self->environ;
}

/**
 * hero_virt_command_getenv:
 * @self: a #HeroVirtCommand
 * @variable: a variable name
 *
 * Returns: (nullable): the value set with [method@HeroVirt.Command.setenv]
 *
 * Since: 0.1
 */
const char *
hero_virt_command_getenv (HeroVirtCommand *self, const char *variable)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return g_environ_getenv (self->environ, variable);
}

/**
 * hero_virt_command_get_cwd:
 * @self: a #HeroVirtCommand
 *
 * Returns: (nullable): the working directory
 *
 * Since: 0.1
 */
const char *
hero_virt_command_get_cwd (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  return self->cwd;
}

/**
 * hero_virt_command_get_timeout:
 * @self: a #HeroVirtCommand
 *
 * Returns: the timeout in milliseconds, 0 for none
 *
 * Since: 0.1
 */
guint
hero_virt_command_get_timeout (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), 0);

  return self->timeout_ms;
}

/**
 * hero_virt_command_get_merge_stderr:
 * @self: a #HeroVirtCommand
 *
 * Returns: whether standard error is merged into standard output
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_get_merge_stderr (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), FALSE);

  return self->merge_stderr;
}

/**
 * hero_virt_command_to_string:
 * @self: a #HeroVirtCommand
 *
 * Formats the command for people to read, each argument quoted as a
 * shell would need it and each secret replaced by `***`. The result is for
 * logs and messages only: HeroVirt never hands it to a shell.
 *
 * Returns: (transfer full): the printable command line
 *
 * Since: 0.1
 */
char *
hero_virt_command_to_string (HeroVirtCommand *self)
{
  GString *str;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  str = g_string_new (NULL);
  for (guint i = 0; i + 1 < self->argv->len; i++)
    {
      const char *arg = g_ptr_array_index (self->argv, i);

      if (i > 0)
        g_string_append_c (str, ' ');
      if (hero_virt_command_arg_is_secret (self, i))
        g_string_append (str, "***");
      else if (*arg != '\0'
               && strspn (
                      arg,
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%")
                      == strlen (arg))
        g_string_append (str, arg);
      else
        {
          g_autofree char *quoted = g_shell_quote (arg);
          g_string_append (str, quoted);
        }
    }
  return g_string_free (str, FALSE);
}

/**
 * hero_virt_command_redact:
 * @self: a #HeroVirtCommand
 * @text: (nullable): text that may quote the command's secrets
 *
 * Replaces every occurrence of the command's secret arguments in @text by
 * `***`. Executors use it before quoting a command's output in an error.
 *
 * Returns: (transfer full) (nullable): the redacted text
 *
 * Since: 0.1
 */
char *
hero_virt_command_redact (HeroVirtCommand *self, const char *text)
{
  g_autoptr (GString) str = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), NULL);

  if (text == NULL)
    return NULL;

  str = g_string_new (text);
  for (guint i = 0; i + 1 < self->argv->len; i++)
    {
      const char *arg = g_ptr_array_index (self->argv, i);

      if (hero_virt_command_arg_is_secret (self, i) && *arg != '\0')
        g_string_replace (str, arg, "***", 0);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

GBytes *
_hero_virt_command_redact_output (HeroVirtCommand *self, GByteArray *output)
{
  gboolean         has_secret = FALSE;
  g_autofree char *raw = NULL;
  char            *redacted;

  for (guint i = 0; i + 1 < self->argv->len; i++)
    has_secret |= hero_virt_command_arg_is_secret (self, i);
  if (!has_secret)
    return g_byte_array_free_to_bytes (g_byte_array_ref (output));
  /* An empty GByteArray may have no data at all; redact "" then. */
  raw = g_strndup (output->len ? (const char *)output->data : "", output->len);
  redacted = hero_virt_command_redact (self, raw);
  return g_bytes_new_take (redacted, strlen (redacted));
}

/**
 * hero_virt_command_wants_lines:
 * @self: a #HeroVirtCommand
 *
 * Tells executors whether anyone listens to
 * #HeroVirtCommand::output-line, so they can skip line splitting
 * otherwise.
 *
 * Returns: %TRUE if a handler is connected
 *
 * Since: 0.1
 */
gboolean
hero_virt_command_wants_lines (HeroVirtCommand *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_COMMAND (self), FALSE);

  return g_signal_has_handler_pending (self, signals[SIGNAL_OUTPUT_LINE], 0, TRUE);
}

/* The commands this thread runs for an async caller (innermost first). */
static GPrivate line_targets;

void
_hero_virt_command_deliver_lines_begin (HeroVirtLineTarget *target,
                                        HeroVirtCommand    *command,
                                        GMainContext       *context)
{
  target->command = command;
  target->context = context;
  target->outer = g_private_get (&line_targets);
  g_private_set (&line_targets, target);
}

void
_hero_virt_command_deliver_lines_end (HeroVirtLineTarget *target)
{
  g_assert (g_private_get (&line_targets) == target);
  g_private_set (&line_targets, target->outer);
}

typedef struct
{
  HeroVirtCommand     *command;
  HeroVirtOutputStream stream;
  char                 line[];
} Line;

static void
line_free (gpointer data)
{
  Line *l = data;

  g_object_unref (l->command);
  g_free (l);
}

static gboolean
deliver_line (gpointer data)
{
  Line *l = data;

  g_signal_emit (l->command, signals[SIGNAL_OUTPUT_LINE], 0, l->stream, l->line);
  return G_SOURCE_REMOVE;
}

/**
 * hero_virt_command_emit_line:
 * @self: a #HeroVirtCommand
 * @stream: where the line came from
 * @line: the line
 *
 * Emits #HeroVirtCommand::output-line. For executor implementations.
 * When the executor's run was started by an async call and runs in a
 * worker thread, the line is delivered in the caller's main context
 * instead (in order, before the call completes).
 *
 * Since: 0.1
 */
void
hero_virt_command_emit_line (HeroVirtCommand *self, HeroVirtOutputStream stream, const char *line)
{
  HeroVirtLineTarget *target;

  g_return_if_fail (HERO_VIRT_IS_COMMAND (self));
  g_return_if_fail (line != NULL);

  for (target = g_private_get (&line_targets); target != NULL; target = target->outer)
    if (target->command == self)
      break;
  if (target != NULL && target->context != NULL && !g_main_context_is_owner (target->context))
    {
      gsize len = strlen (line);
      Line *l = g_malloc (sizeof (Line) + len + 1);

      l->command = g_object_ref (self);
      l->stream = stream;
      memcpy (l->line, line, len + 1);
      _hero_virt_queue_to_context (target->context, deliver_line, l, line_free,
                                   "[hero-virt] output-line");
      return;
    }
  g_signal_emit (self, signals[SIGNAL_OUTPUT_LINE], 0, stream, line);
}
