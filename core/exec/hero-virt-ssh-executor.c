/* hero-virt-ssh-executor.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <libssh2.h>
#include <libssh2_sftp.h>

#include "hero-virt-private.h"

/* ---- libssh2, opened on first use ----
 *
 * libssh2 and the libcrypto it pulls in are not linked: loading them with
 * the library would cost every process that never opens an SSH
 * connection (`hero-virt plugins`, say) a few milliseconds of relocations
 * at start-up. They are opened when the first connection is made; the
 * names below make every libssh2 call in this file (and every libssh2.h
 * macro, which expands to them) go through the pointers loaded then. */
#define HV_SSH2_SONAME "libssh2.so.1"

#define HV_SSH2_SYMBOLS(X)                                                                         \
  X (libssh2_channel_close)                                                                        \
  X (libssh2_channel_eof)                                                                          \
  X (libssh2_channel_free)                                                                         \
  X (libssh2_channel_get_exit_signal)                                                              \
  X (libssh2_channel_get_exit_status)                                                              \
  X (libssh2_channel_open_ex)                                                                      \
  X (libssh2_channel_process_startup)                                                              \
  X (libssh2_channel_read_ex)                                                                      \
  X (libssh2_channel_send_eof)                                                                     \
  X (libssh2_channel_wait_closed)                                                                  \
  X (libssh2_channel_write_ex)                                                                     \
  X (libssh2_free)                                                                                 \
  X (libssh2_hostkey_hash)                                                                         \
  X (libssh2_init)                                                                                 \
  X (libssh2_knownhost_checkp)                                                                     \
  X (libssh2_knownhost_free)                                                                       \
  X (libssh2_knownhost_init)                                                                       \
  X (libssh2_knownhost_readfile)                                                                   \
  X (libssh2_session_block_directions)                                                             \
  X (libssh2_session_disconnect_ex)                                                                \
  X (libssh2_session_free)                                                                         \
  X (libssh2_session_handshake)                                                                    \
  X (libssh2_session_hostkey)                                                                      \
  X (libssh2_session_init_ex)                                                                      \
  X (libssh2_session_last_errno)                                                                   \
  X (libssh2_session_last_error)                                                                   \
  X (libssh2_session_set_blocking)                                                                 \
  X (libssh2_session_set_timeout)                                                                  \
  X (libssh2_sftp_close_handle)                                                                    \
  X (libssh2_sftp_fstat_ex)                                                                        \
  X (libssh2_sftp_init)                                                                            \
  X (libssh2_sftp_last_error)                                                                      \
  X (libssh2_sftp_mkdir_ex)                                                                        \
  X (libssh2_sftp_open_ex)                                                                         \
  X (libssh2_sftp_read)                                                                            \
  X (libssh2_sftp_readdir_ex)                                                                      \
  X (libssh2_sftp_rmdir_ex)                                                                        \
  X (libssh2_sftp_shutdown)                                                                        \
  X (libssh2_sftp_stat_ex)                                                                         \
  X (libssh2_sftp_unlink_ex)                                                                       \
  X (libssh2_sftp_write)                                                                           \
  X (libssh2_userauth_publickey_fromfile_ex)

#define HV_SSH2_POINTER(name) static __typeof__ (&name) p_##name;
HV_SSH2_SYMBOLS (HV_SSH2_POINTER)
#undef HV_SSH2_POINTER

#define libssh2_channel_close (*p_libssh2_channel_close)
#define libssh2_channel_eof (*p_libssh2_channel_eof)
#define libssh2_channel_free (*p_libssh2_channel_free)
#define libssh2_channel_get_exit_signal (*p_libssh2_channel_get_exit_signal)
#define libssh2_channel_get_exit_status (*p_libssh2_channel_get_exit_status)
#define libssh2_channel_open_ex (*p_libssh2_channel_open_ex)
#define libssh2_channel_process_startup (*p_libssh2_channel_process_startup)
#define libssh2_channel_read_ex (*p_libssh2_channel_read_ex)
#define libssh2_channel_send_eof (*p_libssh2_channel_send_eof)
#define libssh2_channel_wait_closed (*p_libssh2_channel_wait_closed)
#define libssh2_channel_write_ex (*p_libssh2_channel_write_ex)
#define libssh2_free (*p_libssh2_free)
#define libssh2_hostkey_hash (*p_libssh2_hostkey_hash)
#define libssh2_init (*p_libssh2_init)
#define libssh2_knownhost_checkp (*p_libssh2_knownhost_checkp)
#define libssh2_knownhost_free (*p_libssh2_knownhost_free)
#define libssh2_knownhost_init (*p_libssh2_knownhost_init)
#define libssh2_knownhost_readfile (*p_libssh2_knownhost_readfile)
#define libssh2_session_block_directions (*p_libssh2_session_block_directions)
#define libssh2_session_disconnect_ex (*p_libssh2_session_disconnect_ex)
#define libssh2_session_free (*p_libssh2_session_free)
#define libssh2_session_handshake (*p_libssh2_session_handshake)
#define libssh2_session_hostkey (*p_libssh2_session_hostkey)
#define libssh2_session_init_ex (*p_libssh2_session_init_ex)
#define libssh2_session_last_errno (*p_libssh2_session_last_errno)
#define libssh2_session_last_error (*p_libssh2_session_last_error)
#define libssh2_session_set_blocking (*p_libssh2_session_set_blocking)
#define libssh2_session_set_timeout (*p_libssh2_session_set_timeout)
#define libssh2_sftp_close_handle (*p_libssh2_sftp_close_handle)
#define libssh2_sftp_fstat_ex (*p_libssh2_sftp_fstat_ex)
#define libssh2_sftp_init (*p_libssh2_sftp_init)
#define libssh2_sftp_last_error (*p_libssh2_sftp_last_error)
#define libssh2_sftp_mkdir_ex (*p_libssh2_sftp_mkdir_ex)
#define libssh2_sftp_open_ex (*p_libssh2_sftp_open_ex)
#define libssh2_sftp_read (*p_libssh2_sftp_read)
#define libssh2_sftp_readdir_ex (*p_libssh2_sftp_readdir_ex)
#define libssh2_sftp_rmdir_ex (*p_libssh2_sftp_rmdir_ex)
#define libssh2_sftp_shutdown (*p_libssh2_sftp_shutdown)
#define libssh2_sftp_stat_ex (*p_libssh2_sftp_stat_ex)
#define libssh2_sftp_unlink_ex (*p_libssh2_sftp_unlink_ex)
#define libssh2_sftp_write (*p_libssh2_sftp_write)
#define libssh2_userauth_publickey_fromfile_ex (*p_libssh2_userauth_publickey_fromfile_ex)

/* Opens libssh2 once; FALSE (with %HERO_VIRT_ERROR_UNAVAILABLE) when it
 * is not installed or lacks a function. */
static gboolean
ssh2_load (GError **error)
{
  static gsize    once;
  static gboolean loaded;
  static char    *failure;

  if (g_once_init_enter (&once))
    {
      GModule *module = g_module_open (HV_SSH2_SONAME, G_MODULE_BIND_LOCAL);

      loaded = module != NULL;
      if (module == NULL)
        failure = g_strdup (g_module_error ());
#define HV_SSH2_RESOLVE(name)                                                                      \
  if (loaded && !g_module_symbol (module, #name, (gpointer *)&p_##name))                           \
    {                                                                                              \
      loaded = FALSE;                                                                              \
      failure = g_strdup_printf ("it has no %s", #name);                                           \
    }
      HV_SSH2_SYMBOLS (HV_SSH2_RESOLVE)
#undef HV_SSH2_RESOLVE
      if (loaded)
        {
          g_module_make_resident (module);
          (*p_libssh2_init) (0);
        }
      g_once_init_leave (&once, 1);
    }
  if (!loaded)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                 "libssh2 (%s) could not be loaded: %s", HV_SSH2_SONAME, failure);
  return loaded;
}

/**
 * HeroVirtSshExecutor:
 *
 * Runs commands on a remote host over SSH (libssh2), so every plugin that
 * drives a command line tool works on a build host as it does locally:
 *
 * ```python
 * ssh = HeroVirt.SshExecutor.new("build.example", 22, "builder")
 * ssh.set_private_key_file("/home/me/.ssh/id_ed25519")
 * HeroVirt.Builder.new("web", "scratch").set_executor(ssh).run("true")
 * ```
 *
 * Authentication is by key. The server's host key is checked against a
 * known_hosts file (`~/.ssh/known_hosts` unless set): an unknown or changed
 * key is refused with %HERO_VIRT_ERROR_HOST_KEY unless checking is turned
 * off explicitly with [method@HeroVirt.SshExecutor.set_verify_host_key].
 *
 * A command's argument vector is turned into the one command line SSH
 * carries by single-quoting every argument, so no argument is ever
 * interpreted by the remote shell. Standard input is streamed, standard
 * output and error are kept apart, the exit status is reported, and a
 * cancelled or timed-out command is killed on the remote host (its whole
 * process group). Files move over SFTP.
 *
 * One connection is opened on first use and shared; commands on one
 * executor run one at a time.
 *
 * Since: 0.1
 */
struct _HeroVirtSshExecutor
{
  GObject parent_instance;

  GMutex   lock; /* one operation on the session at a time */
  char    *host;
  guint    port;
  char    *user;
  char    *private_key_file;
  char    *passphrase;
  char    *known_hosts_file;
  gboolean verify_host_key;
  guint    connect_timeout;
  guint    command_timeout;

  GSocketConnection *connection;
  int                fd;
  LIBSSH2_SESSION   *session;
  LIBSSH2_SFTP      *sftp;
};

enum
{
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_PRIVATE_KEY_FILE,
  PROP_PASSPHRASE,
  PROP_KNOWN_HOSTS_FILE,
  PROP_VERIFY_HOST_KEY,
  PROP_CONNECT_TIMEOUT,
  PROP_COMMAND_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void executor_iface_init (HeroVirtExecutorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeroVirtSshExecutor,
                               hero_virt_ssh_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR, executor_iface_init))

/* ---- quoting ---- */

/**
 * hero_virt_ssh_quote_argv:
 * @argv: (array zero-terminated=1): arguments
 *
 * Joins @argv into a POSIX shell command line in which every argument is
 * single-quoted (a `'` inside becomes `'\''`), so the remote shell passes
 * each argument through as one word, unexpanded. This is how
 * #HeroVirtSshExecutor sends commands.
 *
 * Returns: (transfer full): the command line
 *
 * Since: 0.1
 */
char *
hero_virt_ssh_quote_argv (const char *const *argv)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (argv != NULL, NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, '\'');
      for (const char *p = argv[i]; *p; p++)
        {
          if (*p == '\'')
            g_string_append (out, "'\\''");
          else
            g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
    }
  return g_string_free (out, FALSE);
}

/* ---- object ---- */

static void
hero_virt_ssh_executor_finalize (GObject *object)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (object);

  hero_virt_ssh_executor_disconnect (self);
  g_free (self->host);
  g_free (self->user);
  g_free (self->private_key_file);
  if (self->passphrase)
    memset (self->passphrase, 0, strlen (self->passphrase));
  g_free (self->passphrase);
  g_free (self->known_hosts_file);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_ssh_executor_parent_class)->finalize (object);
}

static void
hero_virt_ssh_executor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_PRIVATE_KEY_FILE:
      g_value_set_string (value, self->private_key_file);
      break;
    case PROP_KNOWN_HOSTS_FILE:
      g_value_set_string (value, self->known_hosts_file);
      break;
    case PROP_VERIFY_HOST_KEY:
      g_value_set_boolean (value, self->verify_host_key);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_COMMAND_TIMEOUT:
      g_value_set_uint (value, self->command_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
replace (HeroVirtSshExecutor *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_mutex_lock (&self->lock);
  g_free (*field);
  *field = g_strdup (value);
  g_mutex_unlock (&self->lock);
  if (prop != PROP_PASSPHRASE)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
hero_virt_ssh_executor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    case PROP_PRIVATE_KEY_FILE:
      hero_virt_ssh_executor_set_private_key_file (self, g_value_get_string (value));
      break;
    case PROP_PASSPHRASE:
      hero_virt_ssh_executor_set_passphrase (self, g_value_get_string (value));
      break;
    case PROP_KNOWN_HOSTS_FILE:
      hero_virt_ssh_executor_set_known_hosts_file (self, g_value_get_string (value));
      break;
    case PROP_VERIFY_HOST_KEY:
      hero_virt_ssh_executor_set_verify_host_key (self, g_value_get_boolean (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      hero_virt_ssh_executor_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_COMMAND_TIMEOUT:
      hero_virt_ssh_executor_set_command_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_ssh_executor_constructed (GObject *object)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (object);

  G_OBJECT_CLASS (hero_virt_ssh_executor_parent_class)->constructed (object);

  if (self->user == NULL)
    self->user = g_strdup (g_get_user_name ());
  if (self->known_hosts_file == NULL)
    self->known_hosts_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  if (self->private_key_file == NULL)
    {
      const char *const names[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
      for (guint i = 0; i < G_N_ELEMENTS (names) && self->private_key_file == NULL; i++)
        {
          g_autofree char *path = g_build_filename (g_get_home_dir (), ".ssh", names[i], NULL);
          if (g_file_test (path, G_FILE_TEST_EXISTS))
            self->private_key_file = g_steal_pointer (&path);
        }
    }
}

#define RW (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define CO (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)

static void
hero_virt_ssh_executor_class_init (HeroVirtSshExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_ssh_executor_finalize;
  object_class->get_property = hero_virt_ssh_executor_get_property;
  object_class->set_property = hero_virt_ssh_executor_set_property;
  object_class->constructed = hero_virt_ssh_executor_constructed;

  /**
   * HeroVirtSshExecutor:host:
   *
   * The host name or address to connect to.
   *
   * Since: 0.1
   */
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, CO);
  /**
   * HeroVirtSshExecutor:port:
   *
   * The TCP port.
   *
   * Since: 0.1
   */
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 22, CO);
  /**
   * HeroVirtSshExecutor:user:
   *
   * The user to log in as; the current user by default.
   *
   * Since: 0.1
   */
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, CO);
  /**
   * HeroVirtSshExecutor:private-key-file:
   *
   * The private key (OpenSSH or PEM format); `~/.ssh/id_ed25519`,
   * `id_ecdsa` or `id_rsa` by default, whichever exists.
   *
   * Since: 0.1
   */
  properties[PROP_PRIVATE_KEY_FILE]
      = g_param_spec_string ("private-key-file", NULL, NULL, NULL, RW);
  /**
   * HeroVirtSshExecutor:passphrase:
   *
   * The private key's passphrase. Write-only.
   *
   * Since: 0.1
   */
  properties[PROP_PASSPHRASE] = g_param_spec_string ("passphrase", NULL, NULL, NULL,
                                                     G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtSshExecutor:known-hosts-file:
   *
   * The OpenSSH known_hosts file the host key is checked against;
   * `~/.ssh/known_hosts` by default.
   *
   * Since: 0.1
   */
  properties[PROP_KNOWN_HOSTS_FILE]
      = g_param_spec_string ("known-hosts-file", NULL, NULL, NULL, RW);
  /**
   * HeroVirtSshExecutor:verify-host-key:
   *
   * Whether the host key must match the known_hosts file. On by default;
   * turning it off allows a man in the middle.
   *
   * Since: 0.1
   */
  properties[PROP_VERIFY_HOST_KEY]
      = g_param_spec_boolean ("verify-host-key", NULL, NULL, TRUE, RW | G_PARAM_CONSTRUCT);
  /**
   * HeroVirtSshExecutor:connect-timeout:
   *
   * Milliseconds allowed for connecting, the handshake and
   * authentication.
   *
   * Since: 0.1
   */
  properties[PROP_CONNECT_TIMEOUT] = g_param_spec_uint ("connect-timeout", NULL, NULL, 1, G_MAXUINT,
                                                        15000, RW | G_PARAM_CONSTRUCT);
  /**
   * HeroVirtSshExecutor:command-timeout:
   *
   * Milliseconds a command may run before it is killed, for commands
   * without their own timeout; 0 for no limit.
   *
   * Since: 0.1
   */
  properties[PROP_COMMAND_TIMEOUT]
      = g_param_spec_uint ("command-timeout", NULL, NULL, 0, G_MAXUINT, 0, RW);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_ssh_executor_init (HeroVirtSshExecutor *self)
{
  g_mutex_init (&self->lock);
  self->fd = -1;
}

/**
 * hero_virt_ssh_executor_new:
 * @host: the host name or address
 * @port: the port, 0 for 22
 * @user: (nullable): the user, or %NULL for the current user
 *
 * Creates an executor for @host. Nothing connects until the first
 * command (or [method@HeroVirt.SshExecutor.connect]).
 *
 * Returns: (transfer full): a new #HeroVirtSshExecutor
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_new (const char *host, guint port, const char *user)
{
  g_return_val_if_fail (host != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_SSH_EXECUTOR, "host", host, "port", port ? port : 22, "user",
                       user, NULL);
}

/**
 * hero_virt_ssh_executor_set_private_key_file:
 * @self: a #HeroVirtSshExecutor
 * @path: (type filename): the private key file
 *
 * Sets the private key to authenticate with.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_private_key_file (HeroVirtSshExecutor *self, const char *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  replace (self, &self->private_key_file, path, PROP_PRIVATE_KEY_FILE);
  return self;
}

/**
 * hero_virt_ssh_executor_set_passphrase:
 * @self: a #HeroVirtSshExecutor
 * @passphrase: (nullable): the key's passphrase
 *
 * Sets the private key's passphrase. It is never logged.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_passphrase (HeroVirtSshExecutor *self, const char *passphrase)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  g_mutex_lock (&self->lock);
  if (self->passphrase)
    memset (self->passphrase, 0, strlen (self->passphrase));
  g_free (self->passphrase);
  self->passphrase = g_strdup (passphrase);
  g_mutex_unlock (&self->lock);
  return self;
}

/**
 * hero_virt_ssh_executor_set_known_hosts_file:
 * @self: a #HeroVirtSshExecutor
 * @path: (type filename): an OpenSSH known_hosts file
 *
 * Sets the file host keys are checked against.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_known_hosts_file (HeroVirtSshExecutor *self, const char *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  replace (self, &self->known_hosts_file, path, PROP_KNOWN_HOSTS_FILE);
  return self;
}

/**
 * hero_virt_ssh_executor_set_verify_host_key:
 * @self: a #HeroVirtSshExecutor
 * @verify: %FALSE to accept any host key (insecure)
 *
 * Turns host key checking on or off.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_verify_host_key (HeroVirtSshExecutor *self, gboolean verify)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  if (self->verify_host_key != !!verify)
    {
      self->verify_host_key = !!verify;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFY_HOST_KEY]);
    }
  return self;
}

/**
 * hero_virt_ssh_executor_set_connect_timeout:
 * @self: a #HeroVirtSshExecutor
 * @timeout_ms: milliseconds for connecting and logging in
 *
 * Sets the connect timeout.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_connect_timeout (HeroVirtSshExecutor *self, guint timeout_ms)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  if (self->connect_timeout != timeout_ms)
    {
      self->connect_timeout = MAX (timeout_ms, 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
    }
  return self;
}

/**
 * hero_virt_ssh_executor_set_command_timeout:
 * @self: a #HeroVirtSshExecutor
 * @timeout_ms: milliseconds, or 0 for no limit
 *
 * Sets the default command timeout.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_ssh_executor_set_command_timeout (HeroVirtSshExecutor *self, guint timeout_ms)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  if (self->command_timeout != timeout_ms)
    {
      self->command_timeout = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND_TIMEOUT]);
    }
  return self;
}

/**
 * hero_virt_ssh_executor_get_host:
 * @self: a #HeroVirtSshExecutor
 *
 * Returns: the host
 *
 * Since: 0.1
 */
const char *
hero_virt_ssh_executor_get_host (HeroVirtSshExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  return self->host;
}

/**
 * hero_virt_ssh_executor_get_port:
 * @self: a #HeroVirtSshExecutor
 *
 * Returns: the port
 *
 * Since: 0.1
 */
guint
hero_virt_ssh_executor_get_port (HeroVirtSshExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), 0);
  return self->port;
}

/**
 * hero_virt_ssh_executor_get_user:
 * @self: a #HeroVirtSshExecutor
 *
 * Returns: the user
 *
 * Since: 0.1
 */
const char *
hero_virt_ssh_executor_get_user (HeroVirtSshExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), NULL);
  return self->user;
}

/* ---- session plumbing (called with self->lock held) ---- */

static void
disconnect_locked (HeroVirtSshExecutor *self)
{
  if (self->sftp != NULL)
    {
      libssh2_session_set_blocking (self->session, 1);
      libssh2_sftp_shutdown (self->sftp);
      self->sftp = NULL;
    }
  if (self->session != NULL)
    {
      libssh2_session_set_blocking (self->session, 1);
      libssh2_session_set_timeout (self->session, 2000);
      libssh2_session_disconnect (self->session, "bye");
      libssh2_session_free (self->session);
      self->session = NULL;
    }
  if (self->connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
      g_clear_object (&self->connection);
    }
  self->fd = -1;
}

/**
 * hero_virt_ssh_executor_disconnect:
 * @self: a #HeroVirtSshExecutor
 *
 * Closes the connection, if open; the next command opens a new one.
 *
 * Since: 0.1
 */
void
hero_virt_ssh_executor_disconnect (HeroVirtSshExecutor *self)
{
  g_return_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self));
  g_mutex_lock (&self->lock);
  disconnect_locked (self);
  g_mutex_unlock (&self->lock);
}

static char *
describe (HeroVirtSshExecutor *self)
{
  return g_strdup_printf ("ssh://%s@%s:%u", self->user, self->host, self->port);
}

static gint64
deadline_after (guint ms)
{
  return ms ? g_get_monotonic_time () + (gint64)ms * 1000 : 0;
}

/* Waits until the socket is ready the way libssh2 wants it, the deadline
 * passes (TIMEOUT) or @cancellable fires (CANCELLED). */
static gboolean
wait_socket (HeroVirtSshExecutor *self, gint64 deadline, GCancellable *cancellable, GError **error)
{
  struct pollfd fds[2];
  GPollFD       cancel_fd = { -1, 0, 0 };
  int           dirs = libssh2_session_block_directions (self->session);
  int           timeout = 1000;
  int           nfds = 1;

  fds[0].fd = self->fd;
  fds[0].events = 0;
  fds[0].revents = 0;
  if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND)
    fds[0].events |= POLLIN;
  if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    fds[0].events |= POLLOUT;
  if (fds[0].events == 0)
    fds[0].events = POLLIN;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      fds[1].events = POLLIN;
      fds[1].revents = 0;
      nfds = 2;
    }
  if (deadline != 0)
    timeout = (int)CLAMP ((deadline - g_get_monotonic_time ()) / 1000, 0, 1000);

  if (poll (fds, nfds, timeout) < 0 && errno != EINTR)
    {
      int saved = errno;
      if (nfds == 2)
        g_cancellable_release_fd (cancellable);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "poll: %s", g_strerror (saved));
      return FALSE;
    }
  if (nfds == 2)
    g_cancellable_release_fd (cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (deadline != 0 && g_get_monotonic_time () >= deadline)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT, "Timed out talking to %s:%u",
                   self->host, self->port);
      return FALSE;
    }
  return TRUE;
}

static char *
session_error (HeroVirtSshExecutor *self)
{
  char *msg = NULL;

  if (self->session != NULL)
    libssh2_session_last_error (self->session, &msg, NULL, 0);
  return g_strdup (msg ? msg : "unknown error");
}

static int
known_host_key_bits (int hostkey_type)
{
  switch (hostkey_type)
    {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
      return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS:
      return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
      return LIBSSH2_KNOWNHOST_KEY_ED25519;
#endif
    default:
      return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
    }
}

static char *
host_key_fingerprint (HeroVirtSshExecutor *self)
{
  const char      *hash = libssh2_hostkey_hash (self->session, LIBSSH2_HOSTKEY_HASH_SHA256);
  g_autofree char *b64 = NULL;
  gsize            len;

  if (hash == NULL)
    return g_strdup ("(unknown)");
  b64 = g_base64_encode ((const guchar *)hash, 32);
  len = strlen (b64);
  while (len > 0 && b64[len - 1] == '=')
    b64[--len] = '\0';
  return g_strconcat ("SHA256:", b64, NULL);
}

static gboolean
check_host_key (HeroVirtSshExecutor *self, GError **error)
{
  LIBSSH2_KNOWNHOSTS       *hosts;
  struct libssh2_knownhost *found = NULL;
  const char               *key;
  size_t                    key_len;
  int                       key_type;
  int                       check;
  g_autofree char          *fingerprint = NULL;

  if (!self->verify_host_key)
    {
      g_debug ("host key of %s:%u not checked (verification turned off)", self->host, self->port);
      return TRUE;
    }

  key = libssh2_session_hostkey (self->session, &key_len, &key_type);
  if (key == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY, "%s:%u sent no host key",
                   self->host, self->port);
      return FALSE;
    }
  fingerprint = host_key_fingerprint (self);

  hosts = libssh2_knownhost_init (self->session);
  if (self->known_hosts_file == NULL
      || libssh2_knownhost_readfile (hosts, self->known_hosts_file, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
             < 0)
    g_debug ("could not read known hosts from %s", self->known_hosts_file);
  check = libssh2_knownhost_checkp (hosts, self->host, (int)self->port, key, key_len,
                                    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW
                                        | known_host_key_bits (key_type),
                                    &found);
  libssh2_knownhost_free (hosts);

  switch (check)
    {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return TRUE;
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY,
                   "The host key of %s:%u (%s) does not match the one in %s: refusing to connect "
                   "(the key changed, or someone is intercepting the connection)",
                   self->host, self->port, fingerprint, self->known_hosts_file);
      return FALSE;
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY,
                   "The host key of %s:%u (%s) is unknown: add it to %s, or turn host key "
                   "verification off explicitly",
                   self->host, self->port, fingerprint, self->known_hosts_file);
      return FALSE;
    default:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY,
                   "The host key of %s:%u could not be checked", self->host, self->port);
      return FALSE;
    }
}

static gboolean
connect_locked (HeroVirtSshExecutor *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GError) local_error = NULL;
  gint64 deadline = deadline_after (self->connect_timeout);
  int    rc;

  if (self->session != NULL)
    return TRUE;

  if (!ssh2_load (error))
    return FALSE;
  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, MAX (1, self->connect_timeout / 1000));
  self->connection
      = g_socket_client_connect_to_host (client, self->host, self->port, cancellable, &local_error);
  if (self->connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, HERO_VIRT_ERROR,
                     g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
                         ? HERO_VIRT_ERROR_TIMEOUT
                         : HERO_VIRT_ERROR_NETWORK,
                     "Could not connect to %s:%u: %s", self->host, self->port,
                     local_error->message);
      return FALSE;
    }
  self->fd = g_socket_get_fd (g_socket_connection_get_socket (self->connection));
  self->session = libssh2_session_init ();
  libssh2_session_set_blocking (self->session, 0);

  while ((rc = libssh2_session_handshake (self->session, self->fd)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, cancellable, error))
      goto fail;
  if (rc != 0)
    {
      g_autofree char *msg = session_error (self);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                   "SSH handshake with %s:%u failed: %s", self->host, self->port, msg);
      goto fail;
    }
  if (!check_host_key (self, error))
    goto fail;

  if (self->private_key_file == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "No private key to log in to %s:%u with", self->host, self->port);
      goto fail;
    }
  while (
      (rc = libssh2_userauth_publickey_fromfile_ex (self->session, self->user, strlen (self->user),
                                                    NULL, self->private_key_file, self->passphrase))
      == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, cancellable, error))
      goto fail;
  if (rc != 0)
    {
      g_autofree char *msg = session_error (self);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH,
                   "Public key authentication as %s on %s:%u failed (key %s): %s", self->user,
                   self->host, self->port, self->private_key_file, msg);
      goto fail;
    }
  g_debug ("connected to ssh://%s@%s:%u", self->user, self->host, self->port);
  return TRUE;

fail:
  disconnect_locked (self);
  return FALSE;
}

/**
 * hero_virt_ssh_executor_connect:
 * @self: a #HeroVirtSshExecutor
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, checks the host key and logs in now, instead of on the first
 * command.
 *
 * Returns: %TRUE when connected, else %FALSE with %HERO_VIRT_ERROR_HOST_KEY,
 *   %HERO_VIRT_ERROR_AUTH, %HERO_VIRT_ERROR_NETWORK or
 *   %HERO_VIRT_ERROR_TIMEOUT
 *
 * Since: 0.1
 */
gboolean
hero_virt_ssh_executor_connect (HeroVirtSshExecutor *self,
                                GCancellable        *cancellable,
                                GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (HERO_VIRT_IS_SSH_EXECUTOR (self), FALSE);
  g_mutex_lock (&self->lock);
  ok = connect_locked (self, cancellable, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* ---- running commands ---- */

typedef struct
{
  HeroVirtCommand *command;
  gboolean         emit_lines;
  GByteArray      *out;
  GByteArray      *err;
  GString         *out_line;
  GString         *err_line;
  GString         *pid_line; /* the wrapper's first line: the remote PID */
  gboolean         have_pid;
  long             pid;
  gsize            cap;       /* most bytes kept of each stream */
  const char      *too_large; /* the stream that went past it */
} RunState;

static void
run_state_clear (RunState *state)
{
  g_byte_array_unref (state->out);
  g_byte_array_unref (state->err);
  g_string_free (state->out_line, TRUE);
  g_string_free (state->err_line, TRUE);
  g_string_free (state->pid_line, TRUE);
}

static void
flush_lines (HeroVirtCommand     *command,
             GString             *buffer,
             HeroVirtOutputStream stream,
             gboolean             at_eof)
{
  gsize start = 0;

  for (gsize i = 0; i < buffer->len; i++)
    if (buffer->str[i] == '\n' || buffer->str[i] == '\r')
      {
        g_autofree char *line = g_utf8_make_valid (buffer->str + start, i - start);
        if (buffer->str[i] == '\n' || i > start)
          hero_virt_command_emit_line (command, stream, line);
        start = i + 1;
      }
  g_string_erase (buffer, 0, start);
  if (at_eof && buffer->len > 0)
    {
      g_autofree char *line = g_utf8_make_valid (buffer->str, buffer->len);
      hero_virt_command_emit_line (command, stream, line);
      g_string_truncate (buffer, 0);
    }
}

static void
take_output (RunState *state, gboolean is_err, const char *data, gsize len)
{
  if (!is_err && !state->have_pid)
    {
      /* The wrapper prints the remote shell's PID first; it is not output. */
      const char *nl = memchr (data, '\n', len);
      if (nl == NULL)
        {
          g_string_append_len (state->pid_line, data, len);
          return;
        }
      g_string_append_len (state->pid_line, data, nl - data);
      state->pid = strtol (state->pid_line->str, NULL, 10);
      state->have_pid = TRUE;
      len -= (nl + 1 - data);
      data = nl + 1;
    }
  if (len == 0)
    return;
  {
    GByteArray *keep = is_err ? state->err : state->out;

    if (keep->len + len > state->cap && !state->emit_lines)
      {
        if (state->too_large == NULL)
          state->too_large = is_err ? "its standard error" : "its standard output";
        return;
      }
    /* Streaming callers get every line; only the copy kept is bounded. */
    g_byte_array_append (keep, (const guint8 *)data, MIN (len, state->cap - keep->len));
  }
  if (state->emit_lines)
    {
      GString *line = is_err ? state->err_line : state->out_line;
      g_string_append_len (line, data, len);
      flush_lines (state->command, line,
                   is_err ? HERO_VIRT_OUTPUT_STREAM_STDERR : HERO_VIRT_OUTPUT_STREAM_STDOUT, FALSE);
      /* A line longer than the cap is cut there: the buffer is bounded. */
      if (line->len > state->cap)
        flush_lines (state->command, line,
                     is_err ? HERO_VIRT_OUTPUT_STREAM_STDERR : HERO_VIRT_OUTPUT_STREAM_STDOUT,
                     TRUE);
    }
}

/* The one place a command line is built: a fixed wrapper that reports the
 * shell's PID (so a cancelled command's process group can be killed), then
 * the quoted argv. Variables never go on it (a remote command line is
 * visible to every user of that host in /proc): they come from @env_file,
 * which the remote shell sources and removes with its directory before the
 * command starts. */
static char *
build_command_line (HeroVirtSshExecutor *self, HeroVirtCommand *command, const char *env_file)
{
  g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
  g_auto (GStrv) full = NULL;
  g_autofree char *quoted = NULL;
  GString         *line = g_string_new ("printf '%s\\n' \"$$\" && ");

  if (env_file != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (env_file);
      const char      *f[] = { env_file, NULL };
      const char      *d[] = { dir, NULL };
      g_autofree char *qf = hero_virt_ssh_quote_argv (f);
      g_autofree char *qd = hero_virt_ssh_quote_argv (d);

      g_string_append_printf (line, ". %s && rm -rf -- %s && ", qf, qd);
    }

  if (hero_virt_command_get_cwd (command) != NULL)
    {
      const char      *cd[] = { hero_virt_command_get_cwd (command), NULL };
      g_autofree char *dir = hero_virt_ssh_quote_argv (cd);
      g_string_append_printf (line, "cd -- %s && ", dir);
    }
  g_strv_builder_addv (argv, (const char **)hero_virt_command_get_argv (command));
  full = g_strv_builder_end (argv);
  quoted = hero_virt_ssh_quote_argv ((const char *const *)full);
  g_string_append_printf (line, "exec %s", quoted);
  if (hero_virt_command_get_merge_stderr (command))
    g_string_append (line, " 2>&1");
  return g_string_free (line, FALSE);
}

static gboolean write_locked (HeroVirtSshExecutor *self,
                              const char          *path,
                              GBytes              *contents,
                              int                  mode,
                              GCancellable        *cancellable,
                              GError             **error);
static char *
make_temp_dir_locked (HeroVirtSshExecutor *self, GCancellable *cancellable, GError **error);
static gboolean
ensure_sftp (HeroVirtSshExecutor *self, gint64 deadline, GCancellable *cancellable, GError **error);
static gboolean remove_locked (HeroVirtSshExecutor *self,
                               const char          *path,
                               guint                depth,
                               gint64               deadline,
                               GCancellable        *cancellable,
                               GError             **error);

/* The executor's and the command's variables as `export NAME='value'`
 * lines in a 0600 file inside a fresh 0700 directory on the remote host.
 * Returns FALSE on error; *@out_file stays NULL when there are none. Only
 * names are ever in an error. */
static gboolean
write_env_file_locked (HeroVirtSshExecutor *self,
                       HeroVirtCommand     *command,
                       char               **out_file,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_auto (GStrv) mine = hero_virt_executor_dup_environ (HERO_VIRT_EXECUTOR (self));
  const char *const *extra = hero_virt_command_get_environ (command);
  const char *const *lists[] = { (const char *const *)mine, extra };
  g_autofree char   *dir = NULL;
  g_autofree char   *file = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GString *text;
  gboolean ok;

  *out_file = NULL;
  if (mine[0] == NULL && extra[0] == NULL)
    return TRUE;
  text = g_string_new (NULL);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l][i] != NULL; i++)
      {
        const char      *eq = strchr (lists[l][i], '=');
        g_autofree char *name = g_strndup (lists[l][i], eq ? (gsize)(eq - lists[l][i]) : 0);
        const char      *value[] = { eq ? eq + 1 : "", NULL };
        g_autofree char *quoted = NULL;

        /* `-Secho INJECTED #` must never reach a shell as a name. */
        if (eq == NULL || !hero_virt_validate_env_name (name, NULL))
          {
            explicit_bzero (text->str, text->len);
            g_string_free (text, TRUE);
            return hero_virt_set_invalid_argument (
                error, "environment variable name", name,
                "use letters, digits and _, not starting with a digit");
          }
        quoted = hero_virt_ssh_quote_argv (value);
        g_string_append_printf (text, "export %s=%s\n", name, quoted);
        explicit_bzero (quoted, strlen (quoted));
      }
  dir = make_temp_dir_locked (self, cancellable, error);
  if (dir == NULL)
    {
      explicit_bzero (text->str, text->len);
      g_string_free (text, TRUE);
      return FALSE;
    }
  file = g_build_filename (dir, "env", NULL);
  bytes = g_bytes_new_static (text->str, text->len);
  ok = write_locked (self, file, bytes, 0600, cancellable, error);
  g_clear_pointer (&bytes, g_bytes_unref);
  explicit_bzero (text->str, text->len);
  g_string_free (text, TRUE);
  if (!ok)
    {
      gint64 deadline = deadline_after (5000);
      if (ensure_sftp (self, deadline, NULL, NULL))
        remove_locked (self, dir, 0, deadline, NULL, NULL);
      return FALSE;
    }
  *out_file = g_steal_pointer (&file);
  return TRUE;
}

static LIBSSH2_CHANNEL *
open_channel (HeroVirtSshExecutor *self, gint64 deadline, GCancellable *cancellable, GError **error)
{
  LIBSSH2_CHANNEL *channel;

  while ((channel = libssh2_channel_open_session (self->session)) == NULL)
    {
      if (libssh2_session_last_errno (self->session) != LIBSSH2_ERROR_EAGAIN)
        {
          g_autofree char *msg = session_error (self);
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                       "Could not open an SSH channel to %s:%u: %s", self->host, self->port, msg);
          return NULL;
        }
      if (!wait_socket (self, deadline, cancellable, error))
        return NULL;
    }
  return channel;
}

/* Kills the remote process group of a command we gave up on. Best effort,
 * on a fresh channel with its own short deadline. */
static void
kill_remote (HeroVirtSshExecutor *self, long pid)
{
  g_autofree char *cmd = NULL;
  LIBSSH2_CHANNEL *channel;
  gint64           deadline = deadline_after (5000);
  int              rc;

  if (pid <= 1)
    return;
  channel = open_channel (self, deadline, NULL, NULL);
  if (channel == NULL)
    return;
  cmd = g_strdup_printf ("kill -KILL -- -%ld %ld", pid, pid);
  while ((rc = libssh2_channel_exec (channel, cmd)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, NULL, NULL))
      break;
  while ((rc = libssh2_channel_close (channel)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, NULL, NULL))
      break;
  while ((rc = libssh2_channel_free (channel)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, NULL, NULL))
      break;
  g_debug ("killed remote process group %ld", pid);
}

/* A run given up on (cancelled, timed out) before the wrapper's PID line
 * was read: read on a little, so the remote process group can still be
 * killed. */
static void
recover_pid (HeroVirtSshExecutor *self, LIBSSH2_CHANNEL *channel, RunState *state)
{
  gint64 deadline = deadline_after (2000);
  char   buf[4096];

  while (!state->have_pid)
    {
      ssize_t n = libssh2_channel_read (channel, buf, sizeof buf);

      if (n > 0)
        take_output (state, FALSE, buf, n);
      else if (n != LIBSSH2_ERROR_EAGAIN || libssh2_channel_eof (channel)
               || !wait_socket (self, deadline, NULL, NULL))
        break;
    }
}

static gboolean
pump (HeroVirtSshExecutor *self,
      LIBSSH2_CHANNEL     *channel,
      RunState            *state,
      GBytes              *input,
      gint64               deadline,
      GCancellable        *cancellable,
      GError             **error)
{
  gsize       in_len = 0;
  const char *in_data = input ? g_bytes_get_data (input, &in_len) : NULL;
  gsize       in_off = 0;
  gboolean    eof_sent = FALSE;
  char        buf[32768];

  for (;;)
    {
      gboolean progressed = FALSE;
      ssize_t  n, n_err;

      /* Hard limits, checked on every pass: a command that never stops
       * writing (yes) never makes a read come back empty. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (deadline != 0 && g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "Timed out talking to %s:%u", self->host, self->port);
          return FALSE;
        }
      if (state->too_large != NULL)
        return _hero_virt_output_too_large (error, hero_virt_command_get_program (state->command),
                                            state->too_large, state->cap);

      if (!eof_sent && in_off < in_len)
        {
          n = libssh2_channel_write (channel, in_data + in_off, MIN (in_len - in_off, 32768));
          if (n > 0)
            {
              in_off += n;
              progressed = TRUE;
            }
          else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
            in_off = in_len; /* the command stopped reading: its exit status tells */
        }
      if (!eof_sent && in_off >= in_len)
        {
          int rc = libssh2_channel_send_eof (channel);
          if (rc != LIBSSH2_ERROR_EAGAIN)
            {
              eof_sent = TRUE;
              progressed = TRUE;
            }
        }

      /* One read of each stream per pass, so the checks above run. */
      if ((n = libssh2_channel_read (channel, buf, sizeof buf)) > 0)
        {
          take_output (state, FALSE, buf, n);
          progressed = TRUE;
        }
      if ((n_err = libssh2_channel_read_stderr (channel, buf, sizeof buf)) > 0)
        {
          take_output (state, TRUE, buf, n_err);
          progressed = TRUE;
        }
      if ((n < 0 && n != LIBSSH2_ERROR_EAGAIN) || (n_err < 0 && n_err != LIBSSH2_ERROR_EAGAIN))
        {
          g_autofree char *msg = session_error (self);
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                       "Lost the SSH connection to %s:%u while %s ran: %s", self->host, self->port,
                       hero_virt_command_get_program (state->command), msg);
          return FALSE;
        }

      if (n == 0 && n_err <= 0 && libssh2_channel_eof (channel))
        return TRUE;
      if (!progressed && !wait_socket (self, deadline, cancellable, error))
        return FALSE;
    }
}

static HeroVirtCommandResult *
run_locked (HeroVirtSshExecutor *self,
            HeroVirtCommand     *command,
            const char          *env_file,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autofree char *line = NULL;
  g_autofree char *display = hero_virt_command_to_string (command);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  LIBSSH2_CHANNEL *channel;
  RunState         state = {
            0,
  };
  guint   timeout = hero_virt_command_get_timeout (command);
  gint64  start = g_get_monotonic_time ();
  gint64  deadline;
  GError *local_error = NULL;
  char   *signal_name = NULL;
  int     exit_status;
  int     rc;

  if (!connect_locked (self, cancellable, error))
    return NULL;

  deadline = deadline_after (timeout ? timeout : self->command_timeout);
  line = build_command_line (self, command, env_file);

  channel = open_channel (self, deadline, cancellable, error);
  if (channel == NULL)
    return NULL;
  while ((rc = libssh2_channel_exec (channel, line)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, cancellable, &local_error))
      break;
  if (local_error == NULL && rc != 0)
    {
      g_autofree char *msg = session_error (self);
      g_set_error (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                   "Could not start %s on %s:%u: %s", hero_virt_command_get_program (command),
                   self->host, self->port, msg);
    }

  state.command = command;
  state.emit_lines = hero_virt_command_wants_lines (command);
  state.out = g_byte_array_new ();
  state.err = g_byte_array_new ();
  state.out_line = g_string_new (NULL);
  state.err_line = g_string_new (NULL);
  state.pid_line = g_string_new (NULL);
  state.cap = _hero_virt_executor_output_cap (HERO_VIRT_EXECUTOR (self), command);

  if (local_error == NULL)
    pump (self, channel, &state, hero_virt_command_get_stdin (command), deadline, cancellable,
          &local_error);

  if (local_error != NULL)
    {
      _hero_virt_executor_log_command (HERO_VIRT_EXECUTOR (self), command, display,
                                       local_error->message, 0, 0, g_get_monotonic_time () - start);
      if (!state.have_pid
          && !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK))
        recover_pid (self, channel, &state);
      if (state.have_pid)
        kill_remote (self, state.pid);
      /* The abandoned channel may still hold data; a fresh session is the
       * clean way out. */
      libssh2_channel_free (channel);
      disconnect_locked (self);
      run_state_clear (&state);
      if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "%s did not finish within %u ms on %s:%u and was killed",
                       hero_virt_command_get_program (command),
                       timeout ? timeout : self->command_timeout, self->host, self->port);
        }
      g_propagate_error (error, local_error);
      return NULL;
    }

  while ((rc = libssh2_channel_close (channel)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline_after (5000), NULL, NULL))
      break;
  while ((rc = libssh2_channel_wait_closed (channel)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline_after (5000), NULL, NULL))
      break;
  if (rc < 0)
    {
      /* No exit status came: the connection went away at the end. */
      g_autofree char *msg = session_error (self);
      _hero_virt_executor_log_command (HERO_VIRT_EXECUTOR (self), command, display, msg, 0, 0,
                                       g_get_monotonic_time () - start);
      libssh2_channel_free (channel);
      disconnect_locked (self);
      run_state_clear (&state);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                   "Lost the SSH connection to %s:%u before %s's exit status came: %s", self->host,
                   self->port, hero_virt_command_get_program (command), msg);
      return NULL;
    }
  exit_status = libssh2_channel_get_exit_status (channel);
  libssh2_channel_get_exit_signal (channel, &signal_name, NULL, NULL, NULL, NULL, NULL);
  while (libssh2_channel_free (channel) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline_after (5000), NULL, NULL))
      break;

  if (state.emit_lines)
    {
      flush_lines (command, state.out_line, HERO_VIRT_OUTPUT_STREAM_STDOUT, TRUE);
      flush_lines (command, state.err_line, HERO_VIRT_OUTPUT_STREAM_STDERR, TRUE);
    }

  out = g_byte_array_free_to_bytes (g_byte_array_ref (state.out));
  err = _hero_virt_command_redact_output (command, state.err);
  run_state_clear (&state);

  {
    int term_signal = 0;
    if (signal_name != NULL)
      {
        g_autofree char *full = g_strconcat ("SIG", signal_name, NULL);
        static const struct
        {
          const char *name;
          int         num;
        } sigs[] = {
          { "SIGHUP", 1 },   { "SIGINT", 2 },   { "SIGQUIT", 3 },
          { "SIGABRT", 6 },  { "SIGKILL", 9 },  { "SIGSEGV", 11 },
          { "SIGPIPE", 13 }, { "SIGALRM", 14 }, { "SIGTERM", 15 },
        };
        term_signal = 15;
        for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
          if (strcmp (full, sigs[i].name) == 0)
            term_signal = sigs[i].num;
        exit_status = -1;
        libssh2_free (self->session, signal_name);
      }
    _hero_virt_executor_log_command (HERO_VIRT_EXECUTOR (self), command, display, NULL, exit_status,
                                     term_signal, g_get_monotonic_time () - start);
    return hero_virt_command_result_new (display, exit_status, term_signal, out, err,
                                         g_get_monotonic_time () - start);
  }
}

static HeroVirtCommandResult *
ssh_run (HeroVirtExecutor *executor,
         HeroVirtCommand  *command,
         GCancellable     *cancellable,
         GError          **error)
{
  HeroVirtSshExecutor   *self = HERO_VIRT_SSH_EXECUTOR (executor);
  HeroVirtCommandResult *result;

  g_autofree char *env_file = NULL;

  g_mutex_lock (&self->lock);
  if (!connect_locked (self, cancellable, error)
      || !write_env_file_locked (self, command, &env_file, cancellable, error))
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  result = run_locked (self, command, env_file, cancellable, error);
  /* The remote shell removed the file before the command started; a
   * command that failed early may not have. */
  if (env_file != NULL
      && (result == NULL || hero_virt_command_result_get_exit_status (result) != 0))
    {
      g_autofree char *dir = g_path_get_dirname (env_file);
      gint64           deadline = deadline_after (5000);

      if (ensure_sftp (self, deadline, NULL, NULL))
        remove_locked (self, dir, 0, deadline, NULL, NULL);
    }
  g_mutex_unlock (&self->lock);
  return result;
}

/* ---- SFTP ---- */

static gboolean
ensure_sftp (HeroVirtSshExecutor *self, gint64 deadline, GCancellable *cancellable, GError **error)
{
  if (!connect_locked (self, cancellable, error))
    return FALSE;
  while (self->sftp == NULL)
    {
      self->sftp = libssh2_sftp_init (self->session);
      if (self->sftp != NULL)
        break;
      if (libssh2_session_last_errno (self->session) != LIBSSH2_ERROR_EAGAIN)
        {
          g_autofree char *msg = session_error (self);
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                       "SFTP is not available on %s:%u: %s", self->host, self->port, msg);
          return FALSE;
        }
      if (!wait_socket (self, deadline, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static void
set_sftp_error (HeroVirtSshExecutor *self, GError **error, const char *what, const char *path)
{
  unsigned long code = self->sftp ? libssh2_sftp_last_error (self->sftp) : 0;
  int           herr = HERO_VIRT_ERROR_IO;

  if (code == LIBSSH2_FX_NO_SUCH_FILE || code == LIBSSH2_FX_NO_SUCH_PATH)
    herr = HERO_VIRT_ERROR_NOT_FOUND;
  else if (code == LIBSSH2_FX_FILE_ALREADY_EXISTS)
    herr = HERO_VIRT_ERROR_EXISTS;
  g_set_error (error, HERO_VIRT_ERROR, herr, "Could not %s %s on %s:%u (SFTP status %lu)", what,
               path, self->host, self->port, code);
}

static LIBSSH2_SFTP_HANDLE *
sftp_open (HeroVirtSshExecutor *self,
           const char          *path,
           unsigned long        flags,
           long                 mode,
           gint64               deadline,
           GCancellable        *cancellable,
           GError             **error)
{
  LIBSSH2_SFTP_HANDLE *handle;

  while ((handle = libssh2_sftp_open_ex (self->sftp, path, strlen (path), flags, mode,
                                         LIBSSH2_SFTP_OPENFILE))
         == NULL)
    {
      if (libssh2_session_last_errno (self->session) != LIBSSH2_ERROR_EAGAIN)
        {
          set_sftp_error (self, error, "open", path);
          return NULL;
        }
      if (!wait_socket (self, deadline, cancellable, error))
        return NULL;
    }
  return handle;
}

static void
sftp_close (HeroVirtSshExecutor *self, LIBSSH2_SFTP_HANDLE *handle)
{
  while (libssh2_sftp_close_handle (handle) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline_after (5000), NULL, NULL))
      break;
}

static gboolean
write_locked (HeroVirtSshExecutor *self,
              const char          *path,
              GBytes              *contents,
              int                  mode,
              GCancellable        *cancellable,
              GError             **error)
{
  gint64                  deadline = deadline_after (self->command_timeout);
  LIBSSH2_SFTP_HANDLE    *handle;
  LIBSSH2_SFTP_ATTRIBUTES attrs = {
    0,
  };
  gsize       len;
  const char *data = g_bytes_get_data (contents, &len);
  gsize       off = 0;
  int         rc;

  if (!ensure_sftp (self, deadline, cancellable, error))
    return FALSE;
  /* Created with no access for others, then given its mode: the server's
   * umask would otherwise decide. */
  handle = sftp_open (self, path, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, 0600,
                      deadline, cancellable, error);
  if (handle == NULL)
    return FALSE;
  while (off < len)
    {
      ssize_t n = libssh2_sftp_write (handle, data + off, MIN (len - off, 65536));
      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!wait_socket (self, deadline, cancellable, error))
            goto fail;
          continue;
        }
      if (n < 0)
        {
          set_sftp_error (self, error, "write", path);
          goto fail;
        }
      off += n;
    }
  attrs.flags = LIBSSH2_SFTP_ATTR_PERMISSIONS;
  attrs.permissions = mode & 07777;
  while ((rc = libssh2_sftp_fsetstat (handle, &attrs)) == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, cancellable, error))
      goto fail;
  if (rc != 0)
    {
      set_sftp_error (self, error, "set the mode of", path);
      goto fail;
    }
  sftp_close (self, handle);
  return TRUE;

fail:
  sftp_close (self, handle);
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (*error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT))
    disconnect_locked (self);
  return FALSE;
}

static gboolean
ssh_write_file (HeroVirtExecutor *executor,
                const char       *path,
                GBytes           *contents,
                int               mode,
                GCancellable     *cancellable,
                GError          **error)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (executor);
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = write_locked (self, path, contents, mode, cancellable, &local_error);
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static GBytes *
read_locked (HeroVirtSshExecutor *self, const char *path, GCancellable *cancellable, GError **error)
{
  gint64 deadline = deadline_after (self->command_timeout);
  gsize  cap = _hero_virt_executor_output_cap (HERO_VIRT_EXECUTOR (self), NULL);
  g_autoptr (GByteArray) data = g_byte_array_new ();
  LIBSSH2_SFTP_HANDLE *handle;
  char                 buf[65536];

  if (!ensure_sftp (self, deadline, cancellable, error))
    return NULL;
  handle = sftp_open (self, path, LIBSSH2_FXF_READ, 0, deadline, cancellable, error);
  if (handle == NULL)
    return NULL;
  for (;;)
    {
      ssize_t n = libssh2_sftp_read (handle, buf, sizeof buf);
      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!wait_socket (self, deadline, cancellable, error))
            {
              sftp_close (self, handle);
              disconnect_locked (self);
              return NULL;
            }
          continue;
        }
      if (n < 0)
        {
          set_sftp_error (self, error, "read", path);
          sftp_close (self, handle);
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize)n > cap)
        {
          g_autofree char *size = g_format_size_full (cap, G_FORMAT_SIZE_IEC_UNITS);
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                       "%s on %s:%u is larger than the executor's limit of %s (%" G_GSIZE_FORMAT
                       " bytes)",
                       path, self->host, self->port, size, cap);
          sftp_close (self, handle);
          return NULL;
        }
      g_byte_array_append (data, (const guint8 *)buf, n);
    }
  sftp_close (self, handle);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static GBytes *
ssh_read_file (HeroVirtExecutor *executor,
               const char       *path,
               GCancellable     *cancellable,
               GError          **error)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (executor);
  GBytes              *ret;

  g_mutex_lock (&self->lock);
  ret = read_locked (self, path, cancellable, error);
  g_mutex_unlock (&self->lock);
  return ret;
}

static char *
make_temp_dir_locked (HeroVirtSshExecutor *self, GCancellable *cancellable, GError **error)
{
  gint64 deadline = deadline_after (self->connect_timeout);

  if (!ensure_sftp (self, deadline, cancellable, error))
    return NULL;
  for (guint attempt = 0; attempt < 16; attempt++)
    {
      g_autofree char *path
          = g_strdup_printf ("/tmp/hero-virt.%08x%08x", g_random_int (), g_random_int ());
      int rc;

      while ((rc = libssh2_sftp_mkdir_ex (self->sftp, path, strlen (path), 0700))
             == LIBSSH2_ERROR_EAGAIN)
        if (!wait_socket (self, deadline, cancellable, error))
          return NULL;
      if (rc == 0)
        return g_steal_pointer (&path);
      if (libssh2_sftp_last_error (self->sftp) != LIBSSH2_FX_FILE_ALREADY_EXISTS
          && libssh2_sftp_last_error (self->sftp) != LIBSSH2_FX_FAILURE)
        {
          set_sftp_error (self, error, "create", path);
          return NULL;
        }
    }
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
               "Could not create a temporary directory on %s:%u", self->host, self->port);
  return NULL;
}

static char *
ssh_make_temp_dir (HeroVirtExecutor *executor, GCancellable *cancellable, GError **error)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (executor);
  char                *ret;

  g_mutex_lock (&self->lock);
  ret = make_temp_dir_locked (self, cancellable, error);
  g_mutex_unlock (&self->lock);
  return ret;
}

/* Removes @path and, for a directory, everything under it. lstat: a link
 * is removed, never followed. */
static gboolean
remove_locked (HeroVirtSshExecutor *self,
               const char          *path,
               guint                depth,
               gint64               deadline,
               GCancellable        *cancellable,
               GError             **error)
{
  LIBSSH2_SFTP_ATTRIBUTES attrs = {
    0,
  };
  int rc;

  if (depth > 256)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s is nested too deeply to remove",
                   path);
      return FALSE;
    }
  while ((rc = libssh2_sftp_stat_ex (self->sftp, path, strlen (path), LIBSSH2_SFTP_LSTAT, &attrs))
         == LIBSSH2_ERROR_EAGAIN)
    if (!wait_socket (self, deadline, cancellable, error))
      return FALSE;
  if (rc != 0)
    {
      if (libssh2_sftp_last_error (self->sftp) == LIBSSH2_FX_NO_SUCH_FILE)
        return TRUE;
      set_sftp_error (self, error, "look at", path);
      return FALSE;
    }

  if ((attrs.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) && LIBSSH2_SFTP_S_ISDIR (attrs.permissions))
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      LIBSSH2_SFTP_HANDLE *dir;
      char                 name[512];

      while (
          (dir = libssh2_sftp_open_ex (self->sftp, path, strlen (path), 0, 0, LIBSSH2_SFTP_OPENDIR))
          == NULL)
        {
          if (libssh2_session_last_errno (self->session) != LIBSSH2_ERROR_EAGAIN)
            {
              set_sftp_error (self, error, "open the directory", path);
              return FALSE;
            }
          if (!wait_socket (self, deadline, cancellable, error))
            return FALSE;
        }
      for (;;)
        {
          LIBSSH2_SFTP_ATTRIBUTES entry;
          while ((rc = libssh2_sftp_readdir (dir, name, sizeof name, &entry))
                 == LIBSSH2_ERROR_EAGAIN)
            if (!wait_socket (self, deadline, cancellable, error))
              {
                sftp_close (self, dir);
                return FALSE;
              }
          if (rc <= 0)
            break;
          if (strcmp (name, ".") != 0 && strcmp (name, "..") != 0)
            g_ptr_array_add (names, g_build_filename (path, name, NULL));
        }
      sftp_close (self, dir);
      if (rc < 0)
        {
          set_sftp_error (self, error, "list", path);
          return FALSE;
        }
      for (guint i = 0; i < names->len; i++)
        if (!remove_locked (self, g_ptr_array_index (names, i), depth + 1, deadline, cancellable,
                            error))
          return FALSE;
      while ((rc = libssh2_sftp_rmdir_ex (self->sftp, path, strlen (path))) == LIBSSH2_ERROR_EAGAIN)
        if (!wait_socket (self, deadline, cancellable, error))
          return FALSE;
    }
  else
    {
      while ((rc = libssh2_sftp_unlink_ex (self->sftp, path, strlen (path)))
             == LIBSSH2_ERROR_EAGAIN)
        if (!wait_socket (self, deadline, cancellable, error))
          return FALSE;
    }
  if (rc != 0)
    {
      set_sftp_error (self, error, "remove", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ssh_remove_path (HeroVirtExecutor *executor,
                 const char       *path,
                 GCancellable     *cancellable,
                 GError          **error)
{
  HeroVirtSshExecutor *self = HERO_VIRT_SSH_EXECUTOR (executor);
  gint64               deadline = deadline_after (self->command_timeout);
  gboolean             ok;

  g_mutex_lock (&self->lock);
  ok = ensure_sftp (self, deadline, cancellable, error)
       && remove_locked (self, path, 0, deadline, cancellable, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

static char *
ssh_get_description (HeroVirtExecutor *executor)
{
  return describe (HERO_VIRT_SSH_EXECUTOR (executor));
}

static gboolean
ssh_is_local (HeroVirtExecutor *executor)
{
  return FALSE;
}

static void
executor_iface_init (HeroVirtExecutorInterface *iface)
{
  /* run_async comes from the interface: run() in a worker thread. */
  iface->run = ssh_run;
  iface->write_file = ssh_write_file;
  iface->read_file = ssh_read_file;
  iface->make_temp_dir = ssh_make_temp_dir;
  iface->remove_path = ssh_remove_path;
  iface->get_description = ssh_get_description;
  iface->is_local = ssh_is_local;
}
