/* docker-cli.c: docker-compatible CLI logic shared by podman and nerdctl
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every command is an argv run through the caller's HeroVirtExecutor, so
 * a remote executor works unchanged. Options are always given as
 * --flag=value and user operands come after "--", so a value that looks
 * like an option stays a value. The core validated every name before the
 * provider was called. The executor logs each command under the calling
 * plugin's domain (DockerCliDialect.log_domain); this file logs nothing.
 */

#include <stdlib.h>
#include <string.h>

#include "docker-cli.h"

static GQuark
dialect_quark (void)
{
  return g_quark_from_static_string ("hero-virt-docker-cli-dialect");
}

void
docker_cli_set_dialect (GType type, const DockerCliDialect *dialect)
{
  g_type_set_qdata (type, dialect_quark (), (gpointer)dialect);
}

const DockerCliDialect *
docker_cli_get_dialect (gpointer provider)
{
  const DockerCliDialect *dialect = g_type_get_qdata (G_OBJECT_TYPE (provider), dialect_quark ());

  g_assert (dialect != NULL);
  return dialect;
}

/* ---- running ---- */

HeroVirtCommand *
docker_cli_command (const DockerCliDialect *dialect,
                    HeroVirtExecutor       *executor,
                    const char             *subcommand)
{
  HeroVirtCommand *command = hero_virt_command_new (dialect->program);

  /* Logged by the executor under the calling plugin's domain. */
  hero_virt_command_set_log_domain (command, dialect->log_domain);

  if (dialect->add_globals != NULL)
    dialect->add_globals (executor, command);
  if (subcommand != NULL)
    hero_virt_command_add_arg (command, subcommand);
  return command;
}

/* A failed command becomes NOT_FOUND or EXISTS when stderr says so, so
 * callers can tell "no such container" from a real failure. */
gboolean
docker_cli_check (HeroVirtCommandResult *result, GError **error)
{
  const char *err;

  if (hero_virt_command_result_get_success (result))
    return TRUE;
  err = hero_virt_command_result_get_stderr_text (result);
  if (err != NULL
      && (strstr (err, "no such container") || strstr (err, "no container with")
          || strstr (err, "no such object") || strstr (err, "No such container")
          || strstr (err, "image not known") || strstr (err, "not found")))
    {
      g_autofree char *tail = hero_virt_command_result_get_stderr_tail (result, 3);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "%s", g_strstrip (tail));
      return FALSE;
    }
  if (err != NULL && (strstr (err, "already in use") || strstr (err, "already exists")))
    {
      g_autofree char *tail = hero_virt_command_result_get_stderr_tail (result, 3);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "%s", g_strstrip (tail));
      return FALSE;
    }
  return hero_virt_command_result_check (result, error);
}

/* Runs and checks; returns the result on success. */
static HeroVirtCommandResult *
run_checked (HeroVirtExecutor *executor,
             HeroVirtCommand  *command,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result
      = hero_virt_executor_run (executor, command, cancellable, error);

  if (result == NULL || !docker_cli_check (result, error))
    return NULL;
  return g_steal_pointer (&result);
}

static gboolean
run_ok (HeroVirtExecutor *executor,
        HeroVirtCommand  *command,
        GCancellable     *cancellable,
        GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result = run_checked (executor, command, cancellable, error);

  return result != NULL;
}

static char *
last_line (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (int i = (int)g_strv_length (lines) - 1; i >= 0; i--)
    if (*g_strstrip (lines[i]) != '\0')
      return g_strdup (lines[i]);
  return NULL;
}

/* ---- create ---- */

static void
add_opt (HeroVirtCommand *command, const char *flag, const char *value)
{
  if (value != NULL)
    hero_virt_command_add_arg_printf (command, "%s=%s", flag, value);
}

static void
add_opts (HeroVirtCommand *command, const char *flag, const char *const *values)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    add_opt (command, flag, values[i]);
}

static char *
strv_to_json (const char *const *strv)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Overwrites a string that held a secret before freeing it. */
void
docker_cli_wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Variables the container tools read themselves: a container's value for
 * one of these cannot travel in the tool's environment. */
gboolean
docker_cli_env_name_is_tool_config (const char *name)
{
  static const char *const exact[]
      = { "PATH",         "HOME",        "TMPDIR",    "USER",        "LOGNAME",
          "SHELL",        "IFS",         "ENV",       "BASH_ENV",    "TZ",
          "GODEBUG",      "GOMAXPROCS",  "GOGC",      "GOTRACEBACK", "SSL_CERT_FILE",
          "SSL_CERT_DIR", "NO_PROXY",    "no_proxy",  "HTTP_PROXY",  "http_proxy",
          "HTTPS_PROXY",  "https_proxy", "ALL_PROXY", "all_proxy",   NULL };
  static const char *const prefixes[]
      = { "CONTAINERS_", "CONTAINERD_", "BUILDAH_", "PODMAN_", "NERDCTL_", "DOCKER_",
          "STORAGE_",    "REGISTRY_",   "XDG_",     "LD_",     NULL };

  if (g_strv_contains (exact, name))
    return TRUE;
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
env_value_fits_file (const char *item)
{
  return strpbrk (item, "\n\r") == NULL;
}

/* The lines of an --env-file (NAME=VALUE, taken verbatim by podman and
 * nerdctl) for the spec's one-line values, or NULL when there are none. */
char *
docker_cli_env_file_text (HeroVirtContainerSpec *spec)
{
  const char *const *env = hero_virt_container_spec_get_env (spec);
  GString           *text = NULL;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      if (!env_value_fits_file (env[i]))
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      g_string_append (text, env[i]);
      g_string_append_c (text, '\n');
    }
  return text ? g_string_free (text, FALSE) : NULL;
}

gboolean
docker_cli_add_create_args (const DockerCliDialect *dialect,
                            HeroVirtCommand        *command,
                            HeroVirtContainerSpec  *spec,
                            const char             *env_file,
                            GError                **error)
{
  const char *const *env = hero_virt_container_spec_get_env (spec);
  const char        *health_cmd = hero_virt_container_spec_get_health_cmd (spec);
  const char *const *entrypoint = hero_virt_container_spec_get_entrypoint (spec);
  const char *const *cmd = hero_virt_container_spec_get_command (spec);
  double             cpus = hero_virt_container_spec_get_cpu_limit (spec);
  guint              shares = hero_virt_container_spec_get_cpu_shares (spec);

  add_opt (command, "--name", hero_virt_container_spec_get_name (spec));
  add_opts (command, "--publish", hero_virt_container_spec_get_ports (spec));
  add_opts (command, "--volume", hero_virt_container_spec_get_volumes (spec));
  add_opt (command, "--env-file", env_file);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char      *eq = strchr (env[i], '=');
      g_autofree char *name = g_strndup (env[i], eq ? (gsize)(eq - env[i]) : strlen (env[i]));

      if (eq == NULL || !hero_virt_validate_env_name (name, error))
        {
          if (eq == NULL)
            hero_virt_set_invalid_argument (error, "environment variable", name, "use NAME=VALUE");
          return FALSE;
        }
      if (env_value_fits_file (env[i]))
        {
          if (env_file == NULL)
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "Environment variable %s needs an env file", name);
              return FALSE;
            }
          continue;
        }
      /* A value with a line break cannot go in an env file: the tool
       * reads it from its own environment (--env=NAME). */
      if (docker_cli_env_name_is_tool_config (name))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Environment variable %s: a value with a line break is refused for a "
                       "name %s itself reads",
                       name, dialect->program);
          return FALSE;
        }
      add_opt (command, "--env", name);
      hero_virt_command_setenv (command, name, eq + 1);
    }
  add_opt (command, "--network", hero_virt_container_spec_get_network (spec));
  add_opts (command, "--network-alias", hero_virt_container_spec_get_network_aliases (spec));
  if (cpus > 0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      add_opt (command, "--cpus", g_ascii_dtostr (buf, sizeof buf, cpus));
    }
  add_opt (command, "--memory", hero_virt_container_spec_get_memory_limit (spec));
  add_opt (command, "--memory-swap", hero_virt_container_spec_get_memory_swap_limit (spec));
  if (shares > 0)
    hero_virt_command_add_arg_printf (command, "--cpu-shares=%u", shares);
  add_opt (command, "--restart", hero_virt_container_spec_get_restart_policy (spec));
  if (health_cmd != NULL)
    {
      const char *interval = hero_virt_container_spec_get_health_interval (spec);
      guint       retries = hero_virt_container_spec_get_health_retries (spec);

      add_opt (command, "--health-cmd", health_cmd);
      add_opt (command, "--health-interval",
               interval ? interval : dialect->default_health_interval);
      add_opt (command, "--health-timeout", hero_virt_container_spec_get_health_timeout (spec));
      if (retries > 0)
        hero_virt_command_add_arg_printf (command, "--health-retries=%u", retries);
      add_opt (command, "--health-start-period",
               hero_virt_container_spec_get_health_start_period (spec));
    }
  add_opt (command, "--snapshotter", hero_virt_container_spec_get_snapshotter (spec));
  add_opt (command, "--runtime", hero_virt_container_spec_get_runtime (spec));
  add_opts (command, "--annotation", hero_virt_container_spec_get_annotations (spec));
  add_opts (command, "--label", hero_virt_container_spec_get_labels (spec));
  if (hero_virt_container_spec_get_privileged (spec))
    hero_virt_command_add_arg (command, "--privileged");
  add_opts (command, "--device", hero_virt_container_spec_get_devices (spec));
  if (entrypoint != NULL)
    {
      g_autofree char *json = strv_to_json (entrypoint);
      add_opt (command, "--entrypoint", json);
    }
  hero_virt_command_add_args (command, "--", hero_virt_container_spec_get_image (spec), NULL);
  if (cmd != NULL)
    hero_virt_command_add_argv (command, cmd);
  return TRUE;
}

static char *
cli_create (HeroVirtContainerProvider *self,
            HeroVirtExecutor          *executor,
            HeroVirtContainerSpec     *spec,
            gboolean                   start,
            GCancellable              *cancellable,
            GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  gboolean                detach = hero_virt_container_spec_get_detach (spec);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, start ? "run" : "create");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *env_text = docker_cli_env_file_text (spec);
  g_autofree char *env_dir = NULL;
  g_autofree char *env_file = NULL;
  char            *id;
  gboolean         ok;

  if (start && detach)
    hero_virt_command_add_arg (command, "--detach");
  if (env_text != NULL)
    {
      /* The values go in a file only we can read, in a directory only we
       * can enter, removed as soon as the tool has read it. */
      g_autoptr (GBytes) bytes = NULL;

      env_dir = hero_virt_executor_make_temp_dir (executor, cancellable, error);
      if (env_dir == NULL)
        {
          docker_cli_wipe_free (g_steal_pointer (&env_text));
          return NULL;
        }
      env_file = g_build_filename (env_dir, "env", NULL);
      bytes = g_bytes_new_static (env_text, strlen (env_text));
      ok = hero_virt_executor_write_file (executor, env_file, bytes, 0600, cancellable, error);
      g_clear_pointer (&bytes, g_bytes_unref);
      docker_cli_wipe_free (g_steal_pointer (&env_text));
      if (!ok)
        {
          hero_virt_executor_remove_path (executor, env_dir, NULL, NULL);
          return NULL;
        }
    }
  ok = docker_cli_add_create_args (d, command, spec, env_file, error);
  if (ok)
    result = run_checked (executor, command, cancellable, error);
  if (env_dir != NULL)
    hero_virt_executor_remove_path (executor, env_dir, NULL, NULL);
  if (result == NULL)
    return NULL;
  if (start && !detach)
    {
      /* A foreground run prints the container's output, not its ID. */
      const char *name = hero_virt_container_spec_get_name (spec);
      return g_strdup (name);
    }
  id = last_line (hero_virt_command_result_get_stdout_text (result));
  if (id == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "%s %s printed no container ID",
                 d->program, start ? "run" : "create");
  return id;
}

/* ---- lifecycle ---- */

static gboolean
simple (HeroVirtContainerProvider *self,
        HeroVirtExecutor          *executor,
        const char                *subcommand,
        const char                *option,
        const char                *name,
        GCancellable              *cancellable,
        GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, subcommand);

  if (option != NULL)
    hero_virt_command_add_arg (command, option);
  hero_virt_command_add_args (command, "--", name, NULL);
  return run_ok (executor, command, cancellable, error);
}

static gboolean
cli_start (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           GCancellable              *cancellable,
           GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, "start");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *err;

  hero_virt_command_add_args (command, "--", name, NULL);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return FALSE;
  /* nerdctl refuses to start a running container; that is success here. */
  err = hero_virt_command_result_get_stderr_text (result);
  if (!hero_virt_command_result_get_success (result) && err != NULL
      && strstr (err, "already running"))
    return TRUE;
  return docker_cli_check (result, error);
}

static char *
time_option (int timeout)
{
  return timeout >= 0 ? g_strdup_printf ("--time=%d", timeout) : NULL;
}

static gboolean
cli_stop (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          const char                *name,
          int                        timeout,
          GCancellable              *cancellable,
          GError                   **error)
{
  g_autofree char *opt = time_option (timeout);

  return simple (self, executor, "stop", opt, name, cancellable, error);
}

static gboolean
cli_restart (HeroVirtContainerProvider *self,
             HeroVirtExecutor          *executor,
             const char                *name,
             int                        timeout,
             GCancellable              *cancellable,
             GError                   **error)
{
  g_autofree char *opt = time_option (timeout);

  return simple (self, executor, "restart", opt, name, cancellable, error);
}

static gboolean
cli_kill (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          const char                *name,
          const char                *signal,
          GCancellable              *cancellable,
          GError                   **error)
{
  g_autofree char *opt = g_strdup_printf ("--signal=%s", signal ? signal : "KILL");

  return simple (self, executor, "kill", opt, name, cancellable, error);
}

static gboolean
cli_remove (HeroVirtContainerProvider *self,
            HeroVirtExecutor          *executor,
            const char                *name,
            gboolean                   force,
            GCancellable              *cancellable,
            GError                   **error)
{
  return simple (self, executor, "rm", force ? "--force" : NULL, name, cancellable, error);
}

static HeroVirtCommandResult *
cli_exec (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          const char                *name,
          const char *const         *argv,
          GBytes                    *stdin_bytes,
          GCancellable              *cancellable,
          GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, "exec");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  int status;

  if (stdin_bytes != NULL)
    {
      hero_virt_command_add_arg (command, "--interactive");
      hero_virt_command_set_stdin (command, stdin_bytes);
    }
  hero_virt_command_add_args (command, "--", name, NULL);
  hero_virt_command_add_argv (command, argv);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  /* 125-127 are the engine's own failures (no such container, command not
   * found in the container is 127 but still ran, so only 125 is ours). */
  status = hero_virt_command_result_get_exit_status (result);
  if (status == 125 && !docker_cli_check (result, error))
    return NULL;
  return g_steal_pointer (&result);
}

static gboolean
cli_copy (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          const char                *src,
          const char                *dest,
          GCancellable              *cancellable,
          GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, "cp");

  hero_virt_command_add_args (command, "--", src, dest, NULL);
  return run_ok (executor, command, cancellable, error);
}

static gboolean
cli_copy_in (HeroVirtContainerProvider *self,
             HeroVirtExecutor          *executor,
             const char                *name,
             const char                *host_path,
             const char                *container_path,
             GCancellable              *cancellable,
             GError                   **error)
{
  g_autofree char *dest = g_strconcat (name, ":", container_path, NULL);

  return cli_copy (self, executor, host_path, dest, cancellable, error);
}

static gboolean
cli_copy_out (HeroVirtContainerProvider *self,
              HeroVirtExecutor          *executor,
              const char                *name,
              const char                *container_path,
              const char                *host_path,
              GCancellable              *cancellable,
              GError                   **error)
{
  g_autofree char *src = g_strconcat (name, ":", container_path, NULL);

  return cli_copy (self, executor, src, host_path, cancellable, error);
}

/* ---- logs ---- */

static HeroVirtCommand *
logs_command (HeroVirtContainerProvider *self,
              HeroVirtExecutor          *executor,
              const char                *name,
              int                        tail,
              const char                *since,
              gboolean                   timestamps,
              gboolean                   follow)
{
  HeroVirtCommand *command = docker_cli_command (docker_cli_get_dialect (self), executor, "logs");

  if (follow)
    hero_virt_command_add_arg (command, "--follow");
  if (tail >= 0)
    hero_virt_command_add_arg_printf (command, "--tail=%d", tail);
  add_opt (command, "--since", since);
  if (timestamps)
    hero_virt_command_add_arg (command, "--timestamps");
  hero_virt_command_add_args (command, "--", name, NULL);
  /* The container's stderr comes out on the tool's stderr: keep the two
   * interleaved as the container wrote them. */
  hero_virt_command_set_merge_stderr (command, TRUE);
  return command;
}

static char *
cli_logs (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          const char                *name,
          int                        tail,
          const char                *since,
          gboolean                   timestamps,
          GCancellable              *cancellable,
          GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = logs_command (self, executor, name, tail, since, timestamps, FALSE);
  g_autoptr (HeroVirtCommandResult) result = run_checked (executor, command, cancellable, error);

  if (result == NULL)
    return NULL;
  return g_strdup (hero_virt_command_result_get_stdout_text (result));
}

typedef struct
{
  HeroVirtLogLineFunc func;
  gpointer            data;
} LineSink;

static void
on_follow_line (HeroVirtCommand     *command,
                HeroVirtOutputStream stream,
                const char          *line,
                LineSink            *sink)
{
  sink->func (stream, line, sink->data);
}

static gboolean
cli_follow_logs (HeroVirtContainerProvider *self,
                 HeroVirtExecutor          *executor,
                 const char                *name,
                 int                        tail,
                 const char                *since,
                 HeroVirtLogLineFunc        on_line,
                 gpointer                   on_line_data,
                 GCancellable              *cancellable,
                 GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = logs_command (self, executor, name, tail, since, FALSE, TRUE);
  LineSink sink = { on_line, on_line_data };

  /* Separate streams here, so each line keeps its origin. */
  hero_virt_command_set_merge_stderr (command, FALSE);
  g_signal_connect (command, "output-line", G_CALLBACK (on_follow_line), &sink);
  return run_ok (executor, command, cancellable, error);
}

/* ---- JSON ---- */

const char *
docker_cli_get_string (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
docker_cli_get_int (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      /* Hostile JSON: 1e999 is inf; converting that (or NaN) is undefined. */
      double d = json_node_get_double (node);

      if (!(d > -9.2e18 && d < 9.2e18))
        return 0;
      return (gint64)d;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return 0;
}

/* The object at @index of @array, or NULL when it is something else (no
 * json-glib critical for hostile input). */
JsonObject *
docker_cli_array_object (JsonArray *array, guint index)
{
  JsonNode *node = array && index < json_array_get_length (array)
                       ? json_array_get_element (array, index)
                       : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The string at @index of @array, or NULL. */
const char *
docker_cli_array_string (JsonArray *array, guint index)
{
  JsonNode *node = array && index < json_array_get_length (array)
                       ? json_array_get_element (array, index)
                       : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonNode *
parse_json (const char *text, const char *what, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  JsonNode *node;

  /* Tool output is untrusted: depth and size are checked first. */
  if (text == NULL)
    text = "";
  node = hero_virt_json_parse_untrusted ((const guint8 *)text, strlen (text), 0, 0, &local_error);
  if (node == NULL)
    g_set_error (error, HERO_VIRT_ERROR, local_error->code, "Could not parse %s: %s", what,
                 local_error->message);
  return node;
}

/* podman prints one array; nerdctl one object per line. Either way the
 * result is an array of objects. */
JsonArray *
docker_cli_parse_rows (const DockerCliDialect *dialect, const char *text, GError **error)
{
  g_autoptr (JsonArray) rows = json_array_new ();

  if (dialect->json_lines)
    {
      g_auto (GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr (JsonNode) node = NULL;

          if (*g_strstrip (lines[i]) == '\0')
            continue;
          node = parse_json (lines[i], "a JSON line", error);
          if (node == NULL)
            return NULL;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                           "Expected one JSON object per line");
              return NULL;
            }
          json_array_add_element (rows, g_steal_pointer (&node));
        }
      return g_steal_pointer (&rows);
    }
  else
    {
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

      if (*stripped == '\0')
        return g_steal_pointer (&rows);
      root = parse_json (stripped, "a JSON array", error);
      if (root == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_ARRAY (root))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Expected a JSON array");
          return NULL;
        }
      return json_array_ref (json_node_get_array (root));
    }
}

/* "Up 3 minutes (healthy)", "Exited (137) 2 seconds ago", "Created", … */
const char *
docker_cli_state_from_status (const char *status, int *exit_code)
{
  if (exit_code != NULL)
    *exit_code = 0;
  if (status == NULL || *status == '\0')
    return "unknown";
  if (g_str_has_prefix (status, "Up"))
    return strstr (status, "(Paused)") ? "paused" : "running";
  if (g_str_has_prefix (status, "Exited"))
    {
      const char *p = strchr (status, '(');
      if (p != NULL && exit_code != NULL)
        *exit_code = atoi (p + 1);
      return "exited";
    }
  if (g_str_has_prefix (status, "Created"))
    return "created";
  if (g_str_has_prefix (status, "Restarting"))
    return "restarting";
  if (g_str_has_prefix (status, "Paus"))
    return "paused";
  if (g_str_has_prefix (status, "Removal"))
    return "removing";
  if (g_str_has_prefix (status, "Dead"))
    return "dead";
  return "unknown";
}

char *
docker_cli_health_from_status (const char *status)
{
  if (status == NULL)
    return NULL;
  if (strstr (status, "(healthy)"))
    return g_strdup ("healthy");
  if (strstr (status, "(unhealthy)"))
    return g_strdup ("unhealthy");
  if (strstr (status, "(health: starting)") || strstr (status, "(starting)"))
    return g_strdup ("starting");
  return NULL;
}

static const char *
normalise_state (const char *state)
{
  /* nerdctl reports "" for a container that never had a task. */
  if (state == NULL || *state == '\0')
    return "created";
  if (g_str_equal (state, "configured") || g_str_equal (state, "initialized"))
    return "created";
  if (g_str_equal (state, "stopped"))
    return "exited";
  if (g_str_equal (state, "pausing"))
    return "paused";
  return state;
}

static char **
labels_from_object (JsonObject *labels)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr (GList) members = labels ? json_object_get_members (labels) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (
        out, g_strconcat (l->data, "=", docker_cli_get_string (labels, l->data) ?: "", NULL));
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (out, FALSE);
}

static const char *
time_or_null (const char *t)
{
  /* Go's zero time means "never". */
  return t && *t != '\0' && !g_str_has_prefix (t, "0001-01-01") ? t : NULL;
}

/* Docker-shaped inspect output: both podman and nerdctl (dockercompat). */
HeroVirtContainerStatus *
docker_cli_status_from_inspect (JsonObject *object)
{
  JsonObject      *state = get_object (object, "State");
  JsonObject      *config = get_object (object, "Config");
  JsonObject      *health = get_object (state, "Health");
  const char      *name = docker_cli_get_string (object, "Name");
  const char      *image = docker_cli_get_string (object, "ImageName");
  const char      *health_status = health ? docker_cli_get_string (health, "Status") : NULL;
  g_autofree char *health_output = NULL;
  g_auto (GStrv) labels = labels_from_object (get_object (config, "Labels"));
  JsonNode *log = health ? json_object_get_member (health, "Log") : NULL;

  if (name != NULL && name[0] == '/')
    name++;
  if (image == NULL)
    image = docker_cli_get_string (config, "Image");
  if (image == NULL)
    image = docker_cli_get_string (object, "Image");
  if (log != NULL && JSON_NODE_HOLDS_ARRAY (log)
      && json_array_get_length (json_node_get_array (log)) > 0)
    {
      JsonArray  *entries = json_node_get_array (log);
      JsonObject *last = docker_cli_array_object (entries, json_array_get_length (entries) - 1);
      health_output = g_strdup (docker_cli_get_string (last, "Output"));
      if (health_output != NULL)
        g_strchomp (health_output);
    }
  /* A container without a health check has no Health, or an empty status. */
  if (health_status != NULL && *health_status == '\0')
    health_status = NULL;

  return g_object_new (
      HERO_VIRT_TYPE_CONTAINER_STATUS, "id", docker_cli_get_string (object, "Id"), "name", name,
      "image", image, "state", normalise_state (docker_cli_get_string (state, "Status")), "running",
      state && json_object_get_boolean_member_with_default (state, "Running", FALSE), "exit-code",
      (int)docker_cli_get_int (state, "ExitCode"), "pid", (int)docker_cli_get_int (state, "Pid"),
      "created", docker_cli_get_string (object, "Created"), "started-at",
      time_or_null (docker_cli_get_string (state, "StartedAt")), "finished-at",
      time_or_null (docker_cli_get_string (state, "FinishedAt")), "health-status", health_status,
      "health-output", health_output, "health-failing-streak",
      (int)docker_cli_get_int (health, "FailingStreak"), "restart-count",
      (int)docker_cli_get_int (object, "RestartCount"), "labels", labels, NULL);
}

HeroVirtContainerStatus *
docker_cli_parse_inspect (const char *text, GError **error)
{
  g_autoptr (JsonNode) root = parse_json (text, "inspect output", error);
  JsonArray *array;

  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (root))
    return docker_cli_status_from_inspect (json_node_get_object (root));
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "inspect output is not a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  if (json_array_get_length (array) == 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No such container");
      return NULL;
    }
  if (docker_cli_array_object (array, 0) == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "inspect output is not an array of objects");
      return NULL;
    }
  return docker_cli_status_from_inspect (docker_cli_array_object (array, 0));
}

/* One object per row of `ps` or `images` output, whichever way the
 * dialect prints rows (a JSON array or JSON lines). */
static GPtrArray *
parse_rows_with (const DockerCliDialect *dialect,
                 const char             *text,
                 gpointer (*parse_row) (JsonObject *row),
                 GError **error)
{
  g_autoptr (JsonArray) rows = docker_cli_parse_rows (dialect, text, error);
  GPtrArray *out;

  if (rows == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = docker_cli_array_object (rows, i);
      if (row != NULL)
        g_ptr_array_add (out, parse_row (row));
    }
  return out;
}

GPtrArray *
docker_cli_parse_ps (const DockerCliDialect *dialect, const char *text, GError **error)
{
  return parse_rows_with (dialect, text, (gpointer (*) (JsonObject *))dialect->parse_ps_row, error);
}

GPtrArray *
docker_cli_parse_images (const DockerCliDialect *dialect, const char *text, GError **error)
{
  return parse_rows_with (dialect, text, (gpointer (*) (JsonObject *))dialect->parse_image_row,
                          error);
}

HeroVirtContainerStats *
docker_cli_parse_stats (const DockerCliDialect *dialect, const char *text, GError **error)
{
  g_autofree char *line = last_line (text);
  g_autoptr (JsonNode) root = NULL;

  if (line == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "stats printed nothing");
      return NULL;
    }
  root = parse_json (line, "stats output", error);
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    {
      JsonObject *row = docker_cli_array_object (json_node_get_array (root), 0);

      if (row == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "stats output is not an array of objects");
          return NULL;
        }
      return dialect->parse_stats_row (row);
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "stats output is not a JSON object");
      return NULL;
    }
  return dialect->parse_stats_row (json_node_get_object (root));
}

/* "450.6kB", "64MiB", "1.2 GB", "0B": decimal or binary units. */
guint64
docker_cli_parse_size (const char *text)
{
  static const struct
  {
    const char *unit;
    double      factor;
  } units[] = {
    { "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 }, { "TiB", 1099511627776.0 },
    { "kB", 1e3 },     { "KB", 1e3 },        { "MB", 1e6 },           { "GB", 1e9 },
    { "TB", 1e12 },    { "B", 1.0 },
  };
  char  *end = NULL;
  double value;

  if (text == NULL)
    return 0;
  value = g_ascii_strtod (text, &end);
  if (end == text)
    return 0;
  while (*end == ' ')
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_has_prefix (end, units[i].unit))
      {
        value = value * units[i].factor + 0.5;
        break;
      }
  /* Negative, huge, inf and NaN would make the conversion undefined. */
  return value >= 0 && value < 1.8e19 ? (guint64)value : 0;
}

double
docker_cli_parse_percent (const char *text)
{
  double value = text ? g_ascii_strtod (text, NULL) : 0.0;

  /* A percentage property takes no inf, NaN or negative value. */
  return value >= 0 && value < 1e12 ? value : 0.0;
}

/* ---- inspect, stats, health ---- */

static HeroVirtContainerStatus *
cli_inspect (HeroVirtContainerProvider *self,
             HeroVirtExecutor          *executor,
             const char                *name,
             GCancellable              *cancellable,
             GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, "container");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_args (command, "inspect", "--", name, NULL);
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  return docker_cli_parse_inspect (hero_virt_command_result_get_stdout_text (result), error);
}

static HeroVirtContainerStats *
cli_stats (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           GCancellable              *cancellable,
           GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, "stats");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_arg (command, "--no-stream");
  add_opt (command, "--format", d->stats_format);
  hero_virt_command_add_args (command, "--", name, NULL);
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  return docker_cli_parse_stats (d, hero_virt_command_result_get_stdout_text (result), error);
}

static char *
cli_run_health_check (HeroVirtContainerProvider *self,
                      HeroVirtExecutor          *executor,
                      const char                *name,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, d->health_run[0]);
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (HeroVirtContainerStatus) status = NULL;
  int rc;

  if (d->health_run[1] != NULL)
    hero_virt_command_add_arg (command, d->health_run[1]);
  hero_virt_command_add_args (command, "--", name, NULL);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  rc = hero_virt_command_result_get_exit_status (result);
  /* 0 healthy, 1 unhealthy: both are answers; anything else failed. */
  if (rc != 0 && rc != 1)
    {
      const char *err = hero_virt_command_result_get_stderr_text (result);
      if (err != NULL
          && (strstr (err, "no defined healthcheck") || strstr (err, "no health check")))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                       "Container “%s” has no health check", name);
          return NULL;
        }
      docker_cli_check (result, error);
      return NULL;
    }
  status = cli_inspect (self, executor, name, cancellable, error);
  if (status == NULL)
    return NULL;
  if (hero_virt_container_status_get_health_status (status) != NULL)
    return g_strdup (hero_virt_container_status_get_health_status (status));
  return g_strdup (rc == 0 ? "healthy" : "unhealthy");
}

static GPtrArray *
cli_list (HeroVirtContainerProvider *self,
          HeroVirtExecutor          *executor,
          gboolean                   all,
          GCancellable              *cancellable,
          GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, "ps");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (all)
    hero_virt_command_add_arg (command, "--all");
  hero_virt_command_add_args (command, "--no-trunc",
                              d->json_lines ? "--format={{json .}}" : "--format=json", NULL);
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  return docker_cli_parse_ps (d, hero_virt_command_result_get_stdout_text (result), error);
}

/* ---- images ---- */

static GPtrArray *
cli_image_list (HeroVirtContainerProvider *self,
                HeroVirtExecutor          *executor,
                GCancellable              *cancellable,
                GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, "images");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_arg (command, d->json_lines ? "--format={{json .}}" : "--format=json");
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  return docker_cli_parse_images (d, hero_virt_command_result_get_stdout_text (result), error);
}

static char *
cli_image_pull (HeroVirtContainerProvider *self,
                HeroVirtExecutor          *executor,
                const char                *reference,
                gboolean                   tls_verify,
                GCancellable              *cancellable,
                GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, "pull");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *id;

  if (d->quiet_prints_id)
    hero_virt_command_add_arg (command, "--quiet");
  if (!tls_verify)
    hero_virt_command_add_arg (command, d->insecure_pull_flag);
  hero_virt_command_add_args (command, "--", reference, NULL);
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  id = d->quiet_prints_id ? last_line (hero_virt_command_result_get_stdout_text (result)) : NULL;
  return id ? id : g_strdup (reference);
}

static gboolean
cli_image_tag (HeroVirtContainerProvider *self,
               HeroVirtExecutor          *executor,
               const char                *reference,
               const char                *new_reference,
               GCancellable              *cancellable,
               GError                   **error)
{
  g_autoptr (HeroVirtCommand) command
      = docker_cli_command (docker_cli_get_dialect (self), executor, "tag");

  hero_virt_command_add_args (command, "--", reference, new_reference, NULL);
  return run_ok (executor, command, cancellable, error);
}

static gboolean
cli_image_push (HeroVirtContainerProvider *self,
                HeroVirtExecutor          *executor,
                const char                *reference,
                const char                *destination,
                gboolean                   tls_verify,
                GCancellable              *cancellable,
                GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = NULL;

  /* nerdctl pushes a name only: tag it as the destination first. */
  if (destination != NULL && !d->push_takes_destination)
    {
      if (!cli_image_tag (self, executor, reference, destination, cancellable, error))
        return FALSE;
      reference = destination;
      destination = NULL;
    }
  command = docker_cli_command (d, executor, "push");
  if (!tls_verify)
    hero_virt_command_add_arg (command, d->insecure_pull_flag);
  hero_virt_command_add_args (command, "--", reference, destination, NULL);
  return run_ok (executor, command, cancellable, error);
}

static gboolean
cli_image_remove (HeroVirtContainerProvider *self,
                  HeroVirtExecutor          *executor,
                  const char                *reference,
                  gboolean                   force,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  return simple (self, executor, "rmi", force ? "--force" : NULL, reference, cancellable, error);
}

static char *
cli_image_commit (HeroVirtContainerProvider *self,
                  HeroVirtExecutor          *executor,
                  const char                *name,
                  const char                *reference,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  const DockerCliDialect *d = docker_cli_get_dialect (self);
  g_autoptr (HeroVirtCommand) command = docker_cli_command (d, executor, "commit");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *id;

  if (d->quiet_prints_id)
    hero_virt_command_add_arg (command, "--quiet");
  hero_virt_command_add_args (command, "--", name, reference, NULL);
  result = run_checked (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  id = last_line (hero_virt_command_result_get_stdout_text (result));
  return id ? id : g_strdup (reference);
}

static gboolean
cli_is_available (HeroVirtContainerProvider *self,
                  HeroVirtExecutor          *executor,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  g_autofree char *path = hero_virt_executor_find_program (
      executor, docker_cli_get_dialect (self)->program, cancellable, error);

  return path != NULL;
}

void
docker_cli_provider_iface_init (HeroVirtContainerProviderInterface *iface)
{
  iface->is_available = cli_is_available;
  iface->create = cli_create;
  iface->start = cli_start;
  iface->stop = cli_stop;
  iface->kill = cli_kill;
  iface->restart = cli_restart;
  iface->remove = cli_remove;
  iface->exec = cli_exec;
  iface->copy_in = cli_copy_in;
  iface->copy_out = cli_copy_out;
  iface->logs = cli_logs;
  iface->follow_logs = cli_follow_logs;
  iface->inspect = cli_inspect;
  iface->stats = cli_stats;
  iface->run_health_check = cli_run_health_check;
  iface->list = cli_list;
  iface->image_list = cli_image_list;
  iface->image_pull = cli_image_pull;
  iface->image_push = cli_image_push;
  iface->image_tag = cli_image_tag;
  iface->image_remove = cli_image_remove;
  iface->image_commit = cli_image_commit;
}
