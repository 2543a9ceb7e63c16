/* buildah-provider.c: the "buildah" image provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every operation is one buildah command run through the caller's
 * HeroVirtExecutor, so a build works the same on a remote host. Operands
 * follow `--`, and every name, reference and path is checked before
 * anything runs. Credentials go to an auth file (mode 0600, in a private
 * temporary directory on the executor's host) named with --authfile and
 * removed afterwards; they are never on a command line.
 *
 * buildah needs an OCI runtime for `run`; where crun cannot work (hybrid
 * cgroups) runc does. When the caller names no runtime and neither
 * CONTAINERS_CONF nor BUILDAH_RUNTIME is set for the executor, runc is
 * passed with --runtime if the host has it.
 */
#define G_LOG_DOMAIN "HeroVirt-Buildah"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <hero-virt.h>

#include "buildah-parse.h"
#include "buildah-provider.h"

struct _HeroVirtBuildahProvider
{
  GObject parent_instance;

  char *storage_driver; /* --storage-driver on every call, or NULL */
};

enum
{
  PROP_0,
  PROP_STORAGE_DRIVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void hero_virt_buildah_provider_iface_init (HeroVirtImageProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (
    HeroVirtBuildahProvider,
    hero_virt_buildah_provider,
    G_TYPE_OBJECT,
    G_TYPE_FLAG_FINAL,
    G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_IMAGE_PROVIDER,
                                   hero_virt_buildah_provider_iface_init))

/* ---- validation ---- */

/* A word passed as an option value: not empty, no control characters, not
 * looking like a flag. */
static gboolean
check_word (const char *what, const char *value, GError **error)
{
  if (value == NULL || *value == '\0' || value[0] == '-')
    return hero_virt_set_invalid_argument (error, what, value,
                                           "it must be non-empty, not starting with “-”");
  return hero_virt_validate_text (what, value, error);
}

static gboolean
check_isolation (const char *isolation, GError **error)
{
  if (isolation == NULL
      || g_strv_contains ((const char *const[]){ "oci", "chroot", "rootless", NULL }, isolation))
    return TRUE;
  return hero_virt_set_invalid_argument (error, "isolation", isolation,
                                         "use oci, chroot or rootless");
}

static gboolean
check_container_path (const char *path, GError **error)
{
  if (path == NULL || *path == '\0')
    return hero_virt_set_invalid_argument (error, "path in the container", path, "it is empty");
  return hero_virt_validate_text ("path in the container", path, error);
}

/* A path on the executor's host: absolute, no `..`, no control chars. */
static gboolean
check_host_path (const char *path, GError **error)
{
  g_autofree char *resolved = NULL;

  if (path == NULL || !g_path_is_absolute (path))
    return hero_virt_set_invalid_argument (error, "host path", path, "it must be absolute");
  resolved = hero_virt_resolve_host_path (NULL, path, error);
  return resolved != NULL;
}

static gboolean
check_chown_chmod (const char *chown, const char *chmod, GError **error)
{
  if (chown != NULL
      && !g_regex_match_simple ("^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$",
                                chown, G_REGEX_DOLLAR_ENDONLY, 0))
    return hero_virt_set_invalid_argument (error, "owner", chown, "use user[:group]");
  if (chmod != NULL && !g_regex_match_simple ("^[0-7]{3,4}$", chmod, G_REGEX_DOLLAR_ENDONLY, 0))
    return hero_virt_set_invalid_argument (error, "mode", chmod,
                                           "use octal permissions such as 644");
  return TRUE;
}

/* ---- running buildah ---- */

/* The provider's storage-driver becomes the global --storage-driver
 * option on every call: buildah reads the STORAGE_DRIVER variable for some
 * subcommands only (a container made with `from` under vfs is then looked
 * up under overlay by `run`), the option always works. */
static HeroVirtCommand *
buildah (HeroVirtImageProvider *provider, HeroVirtExecutor *executor, const char *subcommand)
{
  HeroVirtCommand *command = HERO_VIRT_COMMAND_NEW ("buildah");
  const char      *driver = HERO_VIRT_BUILDAH_PROVIDER (provider)->storage_driver;

  if (driver != NULL)
    hero_virt_command_add_args (command, "--storage-driver", driver, NULL);
  hero_virt_command_add_arg (command, subcommand);
  return command;
}

/* Gives a failure a more useful code when buildah's message says what
 * happened. */
static int
classify (const char *stderr_text)
{
  if (stderr_text == NULL)
    return HERO_VIRT_ERROR_COMMAND_FAILED;
  if (strstr (stderr_text, "not known") || strstr (stderr_text, "no such")
      || strstr (stderr_text, "does not exist") || strstr (stderr_text, "manifest unknown"))
    return HERO_VIRT_ERROR_NOT_FOUND;
  if (strstr (stderr_text, "already in use"))
    return HERO_VIRT_ERROR_EXISTS;
  if (strstr (stderr_text, "unauthorized") || strstr (stderr_text, "authentication required")
      || strstr (stderr_text, "invalid username/password"))
    return HERO_VIRT_ERROR_AUTH;
  if (strstr (stderr_text, "x509:") || strstr (stderr_text, "certificate"))
    return HERO_VIRT_ERROR_HOST_KEY;
  return HERO_VIRT_ERROR_COMMAND_FAILED;
}

static HeroVirtCommandResult *
run (HeroVirtExecutor *executor,
     HeroVirtCommand  *command,
     GCancellable     *cancellable,
     GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) local_error = NULL;

  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  if (!hero_virt_command_result_check (result, &local_error))
    {
      int code = classify (hero_virt_command_result_get_stderr_text (result));
      g_set_error_literal (error, HERO_VIRT_ERROR, code, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* The last non-empty line of stdout: buildah prints IDs and names last. */
static char *
last_line (HeroVirtCommandResult *result)
{
  g_auto (GStrv) lines = g_strsplit (hero_virt_command_result_get_stdout_text (result), "\n", -1);

  for (int i = (int)g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        return g_strdup (lines[i]);
    }
  return NULL;
}

static char *
expect_last_line (HeroVirtCommandResult *result, const char *what, GError **error)
{
  char *line = last_line (result);

  if (line == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "buildah printed no %s", what);
  return line;
}

/* Looks up a variable in what the executor's commands will see. */
static gboolean
executor_has_env (HeroVirtExecutor *executor, const char *variable)
{
  g_auto (GStrv) env = NULL;

  if (HERO_VIRT_IS_LOCAL_EXECUTOR (executor) && g_getenv (variable) != NULL)
    return TRUE;
  /* A copy: another thread may set a variable meanwhile. */
  env = hero_virt_executor_dup_environ (executor);
  return g_environ_getenv (env, variable) != NULL;
}

static gpointer
dup_string (gpointer data, gpointer user_data)
{
  return g_strdup (data);
}

/* The runtime to pass with --runtime, or NULL to leave it to buildah's
 * configuration. The answer for "is runc installed" is kept on the
 * executor. */
static char *
pick_runtime (HeroVirtExecutor *executor, const char *requested, GCancellable *cancellable)
{
  static const char *key = "hero-virt-buildah-runc";
  g_autofree char   *cached = NULL;

  if (requested != NULL)
    return g_strdup (requested);
  if (executor_has_env (executor, "CONTAINERS_CONF")
      || executor_has_env (executor, "BUILDAH_RUNTIME"))
    return NULL;
  /* The executor is shared by every thread running a build on it: the
   * answer is copied out under GData's lock, and only the first one found
   * is kept (replacing it would free the string another thread copies). */
  cached = g_object_dup_data (G_OBJECT (executor), key, dup_string, NULL);
  if (cached == NULL)
    {
      g_autofree char *path = hero_virt_executor_find_program (executor, "runc", cancellable, NULL);
      char            *kept = g_strdup (path ? path : "");

      if (!g_object_replace_data (G_OBJECT (executor), key, NULL, kept, g_free, NULL))
        g_free (kept);
      cached = g_object_dup_data (G_OBJECT (executor), key, dup_string, NULL);
    }
  return cached != NULL && *cached ? g_steal_pointer (&cached) : NULL;
}

static gboolean
add_run_options (HeroVirtCommand  *command,
                 HeroVirtExecutor *executor,
                 const char       *isolation,
                 const char       *runtime,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autofree char *chosen = NULL;

  if (!check_isolation (isolation, error)
      || (runtime != NULL && !check_word ("runtime", runtime, error)))
    return FALSE;
  if (isolation != NULL)
    hero_virt_command_add_args (command, "--isolation", isolation, NULL);
  chosen = pick_runtime (executor, runtime, cancellable);
  if (chosen != NULL && g_strcmp0 (isolation, "chroot") != 0)
    hero_virt_command_add_args (command, "--runtime", chosen, NULL);
  return TRUE;
}

/* The private directory local auth files go in: $XDG_RUNTIME_DIR/hero-virt
 * (else hero-virt-UID in the temporary directory), 0700, ours, not a link. */
static char *
auth_base_dir (GError **error)
{
  const char      *runtime = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *uid_name = g_strdup_printf ("hero-virt-%u", (guint)geteuid ());
  g_autofree char *base = runtime && g_path_is_absolute (runtime)
                              ? g_build_filename (runtime, "hero-virt", NULL)
                              : g_build_filename (g_get_tmp_dir (), uid_name, NULL);
  struct stat      st;

  if (g_mkdir (base, 0700) != 0 && errno != EEXIST)
    {
      int saved = errno;
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not create %s: %s", base,
                   g_strerror (saved));
      return NULL;
    }
  if (lstat (base, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != geteuid ()
      || (st.st_mode & 077) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                   "%s is not a private directory of ours (a directory, mode 0700, not a link): "
                   "no credentials are written there",
                   base);
      return NULL;
    }
  return g_steal_pointer (&base);
}

/* Removes auth-PID-* directories whose process is gone: what a crash left. */
static void
clean_stale_auth_dirs (HeroVirtExecutor *executor, const char *base)
{
  g_autoptr (GDir) dir = g_dir_open (base, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char            *end = NULL;
      guint64          pid;
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, "auth-"))
        continue;
      pid = g_ascii_strtoull (name + strlen ("auth-"), &end, 10);
      if (end == NULL || *end != '-' || pid == 0 || pid > G_MAXINT || pid == (guint64)getpid ()
          || kill ((pid_t)pid, 0) == 0 || errno != ESRCH)
        continue;
      path = g_build_filename (base, name, NULL);
      g_debug ("removing the auth directory %s left by process %" G_GUINT64_FORMAT, path, pid);
      hero_virt_executor_remove_path (executor, path, NULL, NULL);
    }
}

/* A fresh 0700 directory for an auth file. Locally it is
 * auth-PID-XXXXXX under auth_base_dir(), so that if this process dies
 * before removing it, the next run does; on a remote executor, the
 * executor's own temporary directory. */
static char *
auth_dir_new (HeroVirtExecutor *executor, GCancellable *cancellable, GError **error)
{
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;

  if (!hero_virt_executor_is_local (executor))
    return hero_virt_executor_make_temp_dir (executor, cancellable, error);
  base = auth_base_dir (error);
  if (base == NULL)
    return NULL;
  clean_stale_auth_dirs (executor, base);
  template = g_strdup_printf ("%s/auth-%d-XXXXXX", base, (int)getpid ());
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not create %s: %s", template,
                   g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&template);
}

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Registry access: TLS, CA directory and credentials. Writes the auth
 * file when there are credentials; *out_tmpdir is then the directory to
 * remove after the command. */
static gboolean
add_registry_options (HeroVirtCommand              *command,
                      HeroVirtExecutor             *executor,
                      HeroVirtImageRegistryOptions *options,
                      const char                   *reference,
                      char                        **out_tmpdir,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  const char *cert_dir;

  *out_tmpdir = NULL;
  if (options == NULL)
    {
      hero_virt_command_add_arg (command, "--tls-verify=true");
      return TRUE;
    }

  hero_virt_command_add_arg (command, hero_virt_image_registry_options_get_tls_verify (options)
                                          ? "--tls-verify=true"
                                          : "--tls-verify=false");
  cert_dir = hero_virt_image_registry_options_get_cert_dir (options);
  if (cert_dir != NULL)
    {
      if (!check_host_path (cert_dir, error))
        return FALSE;
      hero_virt_command_add_args (command, "--cert-dir", cert_dir, NULL);
    }

  if (hero_virt_image_registry_options_has_credentials (options))
    {
      const char      *user = hero_virt_image_registry_options_get_username (options);
      const char      *password = hero_virt_image_registry_options_get_password (options);
      g_autofree char *host = buildah_registry_host (reference);
      g_autoptr (JsonNode) host_node = NULL;
      g_autofree char *host_json = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *file = NULL;
      char            *pair, *auth, *text;
      gboolean         ok;

      if (strchr (user, ':') != NULL)
        return hero_virt_set_invalid_argument (error, "registry user name", user,
                                               "it must not contain “:”");
      if (!hero_virt_validate_text ("registry user name", user, error))
        return FALSE;

      /* Written by hand, not with JsonBuilder, so that no copy of the
       * credentials is left in memory that is not wiped. */
      host_node = json_node_init_string (json_node_alloc (), host);
      host_json = json_to_string (host_node, FALSE);
      pair = g_strconcat (user, ":", password ? password : "", NULL);
      auth = g_base64_encode ((const guchar *)pair, strlen (pair));
      wipe_free (pair);
      text = g_strdup_printf ("{\"auths\":{%s:{\"auth\":\"%s\"}}}", host_json, auth);
      wipe_free (auth);
      bytes = g_bytes_new_static (text, strlen (text));

      dir = auth_dir_new (executor, cancellable, error);
      ok = dir != NULL;
      if (ok)
        {
          file = g_build_filename (dir, "auth.json", NULL);
          ok = hero_virt_executor_write_file (executor, file, bytes, 0600, cancellable, error);
          if (!ok)
            hero_virt_executor_remove_path (executor, dir, NULL, NULL);
        }
      g_clear_pointer (&bytes, g_bytes_unref);
      wipe_free (text);
      if (!ok)
        return FALSE;
      hero_virt_command_add_args (command, "--authfile", file, NULL);
      *out_tmpdir = g_steal_pointer (&dir);
    }
  return TRUE;
}

static void
remove_tmpdir (HeroVirtExecutor *executor, char *dir)
{
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  if (!hero_virt_executor_remove_path (executor, dir, NULL, &error))
    g_warning ("Could not remove %s: %s", dir, error->message);
  g_free (dir);
}

/* Runs a command that reports progress on its output lines. */
static void
on_output_line (HeroVirtCommand     *command,
                HeroVirtOutputStream stream,
                const char          *line,
                gpointer             user_data)
{
  buildah_progress_feed (user_data, line);
}

static HeroVirtCommandResult *
run_with_progress (HeroVirtExecutor *executor,
                   HeroVirtCommand  *command,
                   HeroVirtProgress *progress,
                   const char       *stage,
                   GCancellable     *cancellable,
                   GError          **error)
{
  BuildahProgress        state = { progress, stage, 0, 0, 0 };
  HeroVirtCommandResult *result;
  gulong                 id = 0;

  if (progress != NULL)
    {
      hero_virt_progress_update (progress, stage, 0, 0, "starting");
      id = g_signal_connect (command, "output-line", G_CALLBACK (on_output_line), &state);
    }
  result = run (executor, command, cancellable, error);
  if (id != 0)
    g_signal_handler_disconnect (command, id);
  if (result != NULL)
    buildah_progress_done (&state);
  return result;
}

/* ---- operations ---- */

static char *
buildah_create_container (HeroVirtImageProvider        *provider,
                          HeroVirtExecutor             *executor,
                          const char                   *name,
                          const char                   *base,
                          HeroVirtImageRegistryOptions *options,
                          GCancellable                 *cancellable,
                          GError                      **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "from");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *tmpdir = NULL;

  if ((name != NULL && !hero_virt_validate_container_name (name, error))
      || !hero_virt_validate_image_reference (base, error))
    return NULL;
  if (name != NULL)
    hero_virt_command_add_args (command, "--name", name, NULL);
  hero_virt_command_add_arg (command, "--pull=missing");
  if (strcmp (base, "scratch") != 0
      && !add_registry_options (command, executor, options, base, &tmpdir, cancellable, error))
    return NULL;
  hero_virt_command_add_args (command, "--", base, NULL);
  result = run (executor, command, cancellable, error);
  remove_tmpdir (executor, tmpdir);
  return result ? expect_last_line (result, "container name", error) : NULL;
}

static GBytes *
buildah_run_argv (HeroVirtImageProvider *provider,
                  HeroVirtExecutor      *executor,
                  const char            *container,
                  const char *const     *argv,
                  const char            *isolation,
                  const char            *runtime,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "run");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_container_name (container, error))
    return NULL;
  if (argv[0] == NULL || *argv[0] == '\0')
    {
      hero_virt_set_invalid_argument (error, "command", "", "the argument vector is empty");
      return NULL;
    }
  if (!add_run_options (command, executor, isolation, runtime, cancellable, error))
    return NULL;
  hero_virt_command_add_args (command, "--", container, NULL);
  hero_virt_command_add_argv (command, argv);
  result = run (executor, command, cancellable, error);
  return result ? g_bytes_ref (hero_virt_command_result_get_stdout (result)) : NULL;
}

static gboolean
copy_or_add (HeroVirtImageProvider *provider,
             const char            *subcommand,
             HeroVirtExecutor      *executor,
             const char            *container,
             const char *const     *sources,
             const char            *dest,
             const char            *chown,
             const char            *chmod,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, subcommand);
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_container_name (container, error) || !check_container_path (dest, error)
      || !check_chown_chmod (chown, chmod, error))
    return FALSE;
  if (sources[0] == NULL)
    return hero_virt_set_invalid_argument (error, "source", "", "nothing to copy");
  for (guint i = 0; sources[i] != NULL; i++)
    {
      gboolean url = strcmp (subcommand, "add") == 0
                     && (g_str_has_prefix (sources[i], "https://")
                         || g_str_has_prefix (sources[i], "http://"));
      if (url ? !hero_virt_validate_text ("URL", sources[i], error)
              : !check_host_path (sources[i], error))
        return FALSE;
    }
  if (chown != NULL)
    hero_virt_command_add_args (command, "--chown", chown, NULL);
  if (chmod != NULL)
    hero_virt_command_add_args (command, "--chmod", chmod, NULL);
  hero_virt_command_add_args (command, "--", container, NULL);
  hero_virt_command_add_argv (command, sources);
  hero_virt_command_add_arg (command, dest);
  result = run (executor, command, cancellable, error);
  return result != NULL;
}

static gboolean
buildah_copy (HeroVirtImageProvider *provider,
              HeroVirtExecutor      *executor,
              const char            *container,
              const char *const     *sources,
              const char            *dest,
              const char            *chown,
              const char            *chmod,
              GCancellable          *cancellable,
              GError               **error)
{
  return copy_or_add (provider, "copy", executor, container, sources, dest, chown, chmod,
                      cancellable, error);
}

static gboolean
buildah_add (HeroVirtImageProvider *provider,
             HeroVirtExecutor      *executor,
             const char            *container,
             const char *const     *sources,
             const char            *dest,
             const char            *chown,
             const char            *chmod,
             GCancellable          *cancellable,
             GError               **error)
{
  return copy_or_add (provider, "add", executor, container, sources, dest, chown, chmod,
                      cancellable, error);
}

static gboolean
buildah_write_content (HeroVirtImageProvider *provider,
                       HeroVirtExecutor      *executor,
                       const char            *container,
                       GBytes                *content,
                       const char            *dest,
                       int                    mode,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *mode_str = NULL;
  gboolean         ok;

  if (!hero_virt_validate_container_name (container, error) || !check_container_path (dest, error))
    return FALSE;
  if (mode < 0 || mode > 07777)
    return hero_virt_set_invalid_argument (error, "mode", "", "use permission bits such as 0644");

  /* The content travels to the executor's host as a file (SFTP for SSH),
   * then buildah copies it in. */
  dir = hero_virt_executor_make_temp_dir (executor, cancellable, error);
  if (dir == NULL)
    return FALSE;
  file = g_build_filename (dir, "content", NULL);
  mode_str = g_strdup_printf ("%o", (guint)mode);
  ok = hero_virt_executor_write_file (executor, file, content, mode, cancellable, error)
       && copy_or_add (provider, "copy", executor, container, (const char *const[]){ file, NULL },
                       dest, NULL, mode_str, cancellable, error);
  hero_virt_executor_remove_path (executor, dir, NULL, NULL);
  return ok;
}

static GBytes *
buildah_read_content (HeroVirtImageProvider *provider,
                      HeroVirtExecutor      *executor,
                      const char            *container,
                      const char            *path,
                      const char            *isolation,
                      const char            *runtime,
                      GCancellable          *cancellable,
                      GError               **error)
{
  const char *argv[] = { "cat", "--", path, NULL };

  if (!check_container_path (path, error))
    return NULL;
  /* cat runs inside the container, so links resolve there, never to the
   * host's files. */
  return buildah_run_argv (provider, executor, container, argv, isolation, runtime, cancellable,
                           error);
}

static char *
json_array_text (const char *const *argv)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; argv[i] != NULL; i++)
    json_builder_add_string_value (builder, argv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Variables buildah reads itself (the list docker-cli keeps for podman
 * and nerdctl): a value for one of these cannot travel in buildah's own
 * environment, so it stays on the command line. They are configuration
 * (PATH, HOME, proxies…), never a place for a secret. */
static gboolean
env_name_is_tool_config (const char *name)
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

/* NAME=VALUE pairs (environment variables, build arguments) off the
 * command line: `FLAG NAME` on it, which buildah completes from its own
 * environment, where the value goes. Only the name is ever in an error. */
static gboolean
add_named_values (HeroVirtCommand   *command,
                  const char        *flag,
                  const char        *what,
                  const char *const *pairs,
                  GError           **error)
{
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      const char      *eq = strchr (pairs[i], '=');
      g_autofree char *name = g_strndup (pairs[i], eq ? (gsize)(eq - pairs[i]) : strlen (pairs[i]));

      if (eq == NULL)
        return hero_virt_set_invalid_argument (error, what, name, "use NAME=VALUE");
      if (!hero_virt_validate_env_name (name, NULL))
        return hero_virt_set_invalid_argument (
            error, what, name, "use a name of letters, digits and _, not starting with a digit");
      if (env_name_is_tool_config (name))
        {
          hero_virt_command_add_args (command, flag, pairs[i], NULL);
          continue;
        }
      hero_virt_command_add_args (command, flag, name, NULL);
      hero_virt_command_setenv (command, name, eq + 1);
    }
  return TRUE;
}

static void
add_each (HeroVirtCommand *command, const char *flag, const char *const *values)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    hero_virt_command_add_args (command, flag, values[i], NULL);
}

static gboolean
buildah_config (HeroVirtImageProvider *provider,
                HeroVirtExecutor      *executor,
                const char            *container,
                HeroVirtImageConfig   *config,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "config");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *value;
  guint       interval, timeout, start_period, retries;

  if (!hero_virt_validate_container_name (container, error)
      || !hero_virt_image_config_validate (config, error))
    return FALSE;
  if (hero_virt_image_config_is_empty (config))
    return TRUE;

  if (hero_virt_image_config_get_entrypoint (config) != NULL)
    {
      g_autofree char *json = json_array_text (hero_virt_image_config_get_entrypoint (config));
      hero_virt_command_add_args (command, "--entrypoint", json, NULL);
    }
  if (hero_virt_image_config_get_cmd (config) != NULL)
    {
      g_autofree char *json = json_array_text (hero_virt_image_config_get_cmd (config));
      hero_virt_command_add_args (command, "--cmd", json, NULL);
    }
  if (!add_named_values (command, "--env", "environment variable",
                         hero_virt_image_config_get_env (config), error))
    return FALSE;
  add_each (command, "--label", hero_virt_image_config_get_labels (config));
  add_each (command, "--annotation", hero_virt_image_config_get_annotations (config));
  add_each (command, "--port", hero_virt_image_config_get_ports (config));
  add_each (command, "--volume", hero_virt_image_config_get_volumes (config));
  if ((value = hero_virt_image_config_get_working_dir (config)) != NULL)
    hero_virt_command_add_args (command, "--workingdir", value, NULL);
  if ((value = hero_virt_image_config_get_user (config)) != NULL)
    hero_virt_command_add_args (command, "--user", value, NULL);
  if ((value = hero_virt_image_config_get_author (config)) != NULL)
    hero_virt_command_add_args (command, "--author", value, NULL);
  if ((value = hero_virt_image_config_get_stop_signal (config)) != NULL)
    hero_virt_command_add_args (command, "--stop-signal", value, NULL);
  if ((value = hero_virt_image_config_get_healthcheck (config, &interval, &timeout, &start_period,
                                                       &retries))
      != NULL)
    {
      /* buildah splits the value into shell words: quote the command so
       * it stays one CMD-SHELL argument. */
      g_autofree char *quoted = hero_virt_ssh_quote_argv ((const char *const[]){ value, NULL });
      hero_virt_command_add_arg (command, "--healthcheck");
      hero_virt_command_add_arg_printf (command, "CMD-SHELL %s", quoted);
      if (interval)
        hero_virt_command_add_arg_printf (command, "--healthcheck-interval=%us", interval);
      if (timeout)
        hero_virt_command_add_arg_printf (command, "--healthcheck-timeout=%us", timeout);
      if (start_period)
        hero_virt_command_add_arg_printf (command, "--healthcheck-start-period=%us", start_period);
      if (retries)
        hero_virt_command_add_arg_printf (command, "--healthcheck-retries=%u", retries);
    }
  hero_virt_command_add_args (command, "--", container, NULL);
  result = run (executor, command, cancellable, error);
  return result != NULL;
}

static char *
buildah_commit (HeroVirtImageProvider *provider,
                HeroVirtExecutor      *executor,
                const char            *container,
                const char            *image,
                const char            *format,
                gboolean               squash,
                gboolean               remove,
                HeroVirtProgress      *progress,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "commit");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_container_name (container, error)
      || !hero_virt_validate_image_reference (image, error))
    return NULL;
  if (format != NULL && strcmp (format, "oci") != 0 && strcmp (format, "docker") != 0)
    {
      hero_virt_set_invalid_argument (error, "image format", format, "use oci or docker");
      return NULL;
    }
  if (format != NULL)
    hero_virt_command_add_args (command, "--format", format, NULL);
  if (squash)
    hero_virt_command_add_arg (command, "--squash");
  if (remove)
    hero_virt_command_add_arg (command, "--rm");
  hero_virt_command_add_args (command, "--", container, image, NULL);
  result = run_with_progress (executor, command, progress, "commit", cancellable, error);
  return result ? expect_last_line (result, "image ID", error) : NULL;
}

static gboolean
buildah_remove_container (HeroVirtImageProvider *provider,
                          HeroVirtExecutor      *executor,
                          const char            *container,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "rm");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_container_name (container, error))
    return FALSE;
  hero_virt_command_add_args (command, "--", container, NULL);
  result = run (executor, command, cancellable, error);
  return result != NULL;
}

static GPtrArray *
buildah_list_containers (HeroVirtImageProvider *provider,
                         HeroVirtExecutor      *executor,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "containers");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_arg (command, "--json");
  result = run (executor, command, cancellable, error);
  return result
             ? buildah_parse_containers (hero_virt_command_result_get_stdout_text (result), error)
             : NULL;
}

static GPtrArray *
buildah_list_images (HeroVirtImageProvider *provider,
                     HeroVirtExecutor      *executor,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "images");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_args (command, "--json", "--no-trunc", NULL);
  result = run (executor, command, cancellable, error);
  return result ? buildah_parse_images (hero_virt_command_result_get_stdout_text (result), error)
                : NULL;
}

static HeroVirtImageInfo *
buildah_inspect_image (HeroVirtImageProvider *provider,
                       HeroVirtExecutor      *executor,
                       const char            *image,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "inspect");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_image_reference (image, error))
    return NULL;
  hero_virt_command_add_args (command, "--type", "image", "--", image, NULL);
  result = run (executor, command, cancellable, error);
  return result ? buildah_parse_inspect (hero_virt_command_result_get_stdout_text (result), error)
                : NULL;
}

static gboolean
buildah_remove_image (HeroVirtImageProvider *provider,
                      HeroVirtExecutor      *executor,
                      const char            *image,
                      gboolean               force,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "rmi");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_image_reference (image, error))
    return FALSE;
  if (force)
    hero_virt_command_add_arg (command, "--force");
  hero_virt_command_add_args (command, "--", image, NULL);
  result = run (executor, command, cancellable, error);
  return result != NULL;
}

static gboolean
buildah_tag_image (HeroVirtImageProvider *provider,
                   HeroVirtExecutor      *executor,
                   const char            *image,
                   const char *const     *names,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "tag");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  if (!hero_virt_validate_image_reference (image, error))
    return FALSE;
  if (names[0] == NULL)
    return hero_virt_set_invalid_argument (error, "image name", "", "no new name given");
  for (guint i = 0; names[i] != NULL; i++)
    if (!hero_virt_validate_image_reference (names[i], error))
      return FALSE;
  hero_virt_command_add_args (command, "--", image, NULL);
  hero_virt_command_add_argv (command, names);
  result = run (executor, command, cancellable, error);
  return result != NULL;
}

static char *
buildah_pull (HeroVirtImageProvider        *provider,
              HeroVirtExecutor             *executor,
              const char                   *image,
              HeroVirtImageRegistryOptions *options,
              HeroVirtProgress             *progress,
              GCancellable                 *cancellable,
              GError                      **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "pull");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *tmpdir = NULL;

  if (!hero_virt_validate_image_reference (image, error))
    return NULL;
  if (!add_registry_options (command, executor, options, image, &tmpdir, cancellable, error))
    return NULL;
  hero_virt_command_add_args (command, "--", image, NULL);
  result = run_with_progress (executor, command, progress, "pull", cancellable, error);
  remove_tmpdir (executor, tmpdir);
  return result ? expect_last_line (result, "image ID", error) : NULL;
}

static gboolean
buildah_push (HeroVirtImageProvider        *provider,
              HeroVirtExecutor             *executor,
              const char                   *image,
              const char                   *destination,
              HeroVirtImageRegistryOptions *options,
              HeroVirtProgress             *progress,
              GCancellable                 *cancellable,
              GError                      **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "push");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *tmpdir = NULL;

  if (destination != NULL && g_str_has_prefix (destination, "docker://"))
    destination += strlen ("docker://");
  if (!hero_virt_validate_image_reference (image, error)
      || (destination != NULL && !hero_virt_validate_image_reference (destination, error)))
    return FALSE;
  if (!add_registry_options (command, executor, options, destination ? destination : image, &tmpdir,
                             cancellable, error))
    return FALSE;
  hero_virt_command_add_args (command, "--", image, NULL);
  if (destination != NULL)
    hero_virt_command_add_arg_printf (command, "docker://%s", destination);
  result = run_with_progress (executor, command, progress, "push", cancellable, error);
  remove_tmpdir (executor, tmpdir);
  return result != NULL;
}

static char *
buildah_build (HeroVirtImageProvider        *provider,
               HeroVirtExecutor             *executor,
               const char                   *context_dir,
               const char                   *containerfile,
               const char                   *tag,
               const char *const            *build_args,
               const char                   *isolation,
               const char                   *runtime,
               HeroVirtImageRegistryOptions *options,
               HeroVirtProgress             *progress,
               GCancellable                 *cancellable,
               GError                      **error)
{
  g_autoptr (HeroVirtCommand) command = buildah (provider, executor, "build");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *file = NULL;
  char            *tmpdir = NULL;

  if (!check_host_path (context_dir, error) || !hero_virt_validate_image_reference (tag, error))
    return NULL;
  if (containerfile != NULL)
    {
      file = hero_virt_resolve_host_path (context_dir, containerfile, error);
      if (file == NULL)
        return NULL;
      hero_virt_command_add_args (command, "--file", file, NULL);
    }
  hero_virt_command_add_args (command, "--tag", tag, NULL);
  if (!add_named_values (command, "--build-arg", "build argument", build_args, error))
    return NULL;
  if (!add_run_options (command, executor, isolation, runtime, cancellable, error)
      || !add_registry_options (command, executor, options, tag, &tmpdir, cancellable, error))
    return NULL;
  hero_virt_command_add_args (command, "--", context_dir, NULL);
  result = run_with_progress (executor, command, progress, "build", cancellable, error);
  remove_tmpdir (executor, tmpdir);
  return result ? expect_last_line (result, "image ID", error) : NULL;
}

static gboolean
buildah_is_available (HeroVirtImageProvider *provider,
                      HeroVirtExecutor      *executor,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autofree char *path = hero_virt_executor_find_program (executor, "buildah", cancellable, error);

  return path != NULL;
}

static void
hero_virt_buildah_provider_iface_init (HeroVirtImageProviderInterface *iface)
{
  iface->is_available = buildah_is_available;
  iface->create_container = buildah_create_container;
  iface->run = buildah_run_argv;
  iface->copy = buildah_copy;
  iface->add = buildah_add;
  iface->write = buildah_write_content;
  iface->read = buildah_read_content;
  iface->config = buildah_config;
  iface->commit = buildah_commit;
  iface->remove_container = buildah_remove_container;
  iface->list_containers = buildah_list_containers;
  iface->list = buildah_list_images;
  iface->inspect = buildah_inspect_image;
  iface->remove = buildah_remove_image;
  iface->tag = buildah_tag_image;
  iface->pull = buildah_pull;
  iface->push = buildah_push;
  iface->build = buildah_build;
}

static void
hero_virt_buildah_provider_finalize (GObject *object)
{
  g_free (HERO_VIRT_BUILDAH_PROVIDER (object)->storage_driver);
  G_OBJECT_CLASS (hero_virt_buildah_provider_parent_class)->finalize (object);
}

static void
hero_virt_buildah_provider_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  HeroVirtBuildahProvider *self = HERO_VIRT_BUILDAH_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_STORAGE_DRIVER:
      g_value_set_string (value, self->storage_driver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_buildah_provider_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  HeroVirtBuildahProvider *self = HERO_VIRT_BUILDAH_PROVIDER (object);
  const char              *driver;

  switch (prop_id)
    {
    case PROP_STORAGE_DRIVER:
      driver = g_value_get_string (value);
      /* a word buildah knows (overlay, vfs, btrfs, zfs, …): never an option */
      if (driver != NULL
          && (*driver == '\0'
              || strspn (driver, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen (driver)))
        {
          g_warning ("HeroVirtBuildahProvider:storage-driver: “%s” is not a storage driver name; "
                     "ignored",
                     driver);
          break;
        }
      g_free (self->storage_driver);
      self->storage_driver = g_strdup (driver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_buildah_provider_class_init (HeroVirtBuildahProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_buildah_provider_finalize;
  object_class->get_property = hero_virt_buildah_provider_get_property;
  object_class->set_property = hero_virt_buildah_provider_set_property;

  /**
   * HeroVirtBuildahProvider:storage-driver: (nullable)
   *
   * The containers-storage driver every buildah call of this provider
   * uses, passed as the global `--storage-driver` option (`vfs`,
   * `overlay`, …: lower-case letters and digits), or %NULL for what
   * storage.conf says. The registry's shared instance has none; make an
   * instance of your own for a [class@HeroVirt.Builder]'s `provider`:
   *
   * ```python
   * info = HeroVirt.Registry.get_default().lookup(HeroVirt.ProviderKind.IMAGE, "buildah")
   * vfs = GObject.new(info.get_provider_type(), storage_driver="vfs")
   * builder = HeroVirt.Builder(name="web", base_image="scratch", provider=vfs)
   * ```
   *
   * [class@HeroVirt.BuildMachine]'s builders use `vfs` this way.
   */
  properties[PROP_STORAGE_DRIVER] = g_param_spec_string (
      "storage-driver", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_buildah_provider_class_finalize (HeroVirtBuildahProviderClass *klass)
{
}

static void
hero_virt_buildah_provider_init (HeroVirtBuildahProvider *self)
{
}

void
hero_virt_buildah_provider_register (GTypeModule *module)
{
  hero_virt_buildah_provider_register_type (module);
}
