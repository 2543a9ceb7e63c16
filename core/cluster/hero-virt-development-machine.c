/* hero-virt-development-machine.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hero-virt-kube-app-private.h"

/**
 * HeroVirtDevelopmentMachine:
 *
 * A pod a developer reaches over SSH, the original's
 * `DevelopmentMachine`: an sshd pod whose `authorized_keys` and host key
 * come from a Secret (`<name>-ssh`), a NodePort service to port 22
 * (`<name>-ssh`), and a [class@HeroVirt.SshExecutor] to it that checks
 * the host key: HeroVirt generates the pod's host key itself (with
 * `ssh-keygen`), so the key the executor expects is known before the pod
 * starts and never trusted on first use.
 *
 * Without [method@HeroVirt.DevelopmentMachine.authorized_key] a client
 * key pair is generated too and the executor uses it. Generated keys live
 * in a private temporary directory (mode 0700) removed with the machine.
 *
 * The image must provide `/usr/sbin/sshd` and its privilege separation
 * directory `/run/sshd` (the sshd image built for the tests does); the
 * pod runs `sshd -D -e` with the host key and `AuthorizedKeysFile` from
 * the Secret, password logins off.
 *
 * ```python
 * dev = HeroVirt.DevelopmentMachine.new(km, "dev").image("localhost/sshd:1")
 * dev.create(120000, None)
 * print(dev.get_executor().run_argv(["uname", "-a"], None).get_stdout_text())
 * dev.remove(None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtDevelopmentMachine
{
  GObject parent_instance;

  HeroVirtKubeApp      app; /* name, manager, first bad input */
  char                *image;
  char                *user;
  GPtrArray           *authorized_keys;
  char                *identity_file;
  int                  node_port;
  gboolean             port_forward;
  char                *endpoint_host;
  char                *state_dir; /* generated keys, known_hosts */
  char                *host_public_key;
  char                *generated_identity;
  char                *host;
  guint                port;
  HeroVirtSshExecutor *executor;
  HeroVirtPortForward *forward; /* with port_forward(): 127.0.0.1 -> pod:22 */
};

G_DEFINE_FINAL_TYPE (HeroVirtDevelopmentMachine, hero_virt_development_machine, G_TYPE_OBJECT)

#define KEYS_DIR "/etc/hero-virt/ssh"

static void
remove_state_dir (HeroVirtDevelopmentMachine *self)
{
  const char *files[]
      = { "host_key", "host_key.pub", "id_ed25519", "id_ed25519.pub", "known_hosts" };

  if (self->state_dir == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (self->state_dir, files[i], NULL);

      g_unlink (path);
    }
  g_rmdir (self->state_dir);
  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->host_public_key, g_free);
  g_clear_pointer (&self->generated_identity, g_free);
}

static void
hero_virt_development_machine_finalize (GObject *object)
{
  HeroVirtDevelopmentMachine *self = HERO_VIRT_DEVELOPMENT_MACHINE (object);

  g_clear_object (&self->executor);
  if (self->forward != NULL)
    hero_virt_port_forward_stop (self->forward);
  g_clear_object (&self->forward);
  remove_state_dir (self);
  _hero_virt_kube_app_clear (&self->app);
  g_free (self->image);
  g_free (self->user);
  g_ptr_array_unref (self->authorized_keys);
  g_free (self->identity_file);
  g_free (self->endpoint_host);
  g_free (self->host);
  G_OBJECT_CLASS (hero_virt_development_machine_parent_class)->finalize (object);
}

static void
hero_virt_development_machine_class_init (HeroVirtDevelopmentMachineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_development_machine_finalize;
}

static void
hero_virt_development_machine_init (HeroVirtDevelopmentMachine *self)
{
  self->image = g_strdup ("localhost/hero-virt/sshd:latest");
  self->user = g_strdup ("root");
  self->authorized_keys = g_ptr_array_new_with_free_func (g_free);
}

static void
replace (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/**
 * hero_virt_development_machine_new:
 * @manager: the manager of the namespace to create it in
 * @name: the machine's name (a DNS-1035 label, 59 characters at most:
 *   the pod is called so, the Secret and Service `<name>-ssh`)
 *
 * Returns: (transfer full): a development machine: the default image,
 *   user `root`, a generated client key, a NodePort the cluster picks
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_new (HeroVirtKubernetesManager *manager, const char *name)
{
  HeroVirtDevelopmentMachine *self;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  self = g_object_new (HERO_VIRT_TYPE_DEVELOPMENT_MACHINE, NULL);
  _hero_virt_kube_app_init (&self->app, "Development machine", manager, name ? name : "");
  return self;
}

/**
 * hero_virt_development_machine_image:
 * @self: a #HeroVirtDevelopmentMachine
 * @image: an image with `/usr/sbin/sshd` and `/run/sshd`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_image (HeroVirtDevelopmentMachine *self, const char *image)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  replace (&self->image, image);
  return self;
}

/**
 * hero_virt_development_machine_user:
 * @self: a #HeroVirtDevelopmentMachine
 * @user: the user the executor logs in as (the image must have it;
 *   `root` by default)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_user (HeroVirtDevelopmentMachine *self, const char *user)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  if (user == NULL || *user == '\0' || strlen (user) > 32
      || strspn (user, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen (user) || user[0] == '-')
    _hero_virt_kube_app_invalid (&self->app, "user", user,
                                 "a user name is lower-case letters, digits, '_' and '-'");
  else
    replace (&self->user, user);
  return self;
}

/**
 * hero_virt_development_machine_authorized_key:
 * @self: a #HeroVirtDevelopmentMachine
 * @key: a public key line, as in `~/.ssh/id_ed25519.pub`
 *
 * Lets this key log in; with keys given, no client key is generated, so
 * give the matching private key with
 * [method@HeroVirt.DevelopmentMachine.identity_file].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_authorized_key (HeroVirtDevelopmentMachine *self, const char *key)
{
  static const char *const types[] = { "ssh-ed25519 ",
                                       "ssh-rsa ",
                                       "ecdsa-sha2-nistp256 ",
                                       "ecdsa-sha2-nistp384 ",
                                       "ecdsa-sha2-nistp521 ",
                                       "sk-ssh-ed25519@openssh.com ",
                                       "sk-ecdsa-sha2-nistp256@openssh.com ",
                                       NULL };
  g_autofree char         *line = NULL;
  gboolean                 known = FALSE;

  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  line = g_strstrip (g_strdup (key ? key : ""));
  for (guint i = 0; types[i] != NULL; i++)
    known |= g_str_has_prefix (line, types[i]);
  if (!known || !hero_virt_validate_single_line ("authorized key", line, NULL))
    _hero_virt_kube_app_invalid (
        &self->app, "authorized key", NULL,
        "a public key is one line starting with its type, such as ssh-ed25519");
  else
    g_ptr_array_add (self->authorized_keys, g_steal_pointer (&line));
  return self;
}

/**
 * hero_virt_development_machine_identity_file:
 * @self: a #HeroVirtDevelopmentMachine
 * @path: (type filename): the private key the executor logs in with
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_identity_file (HeroVirtDevelopmentMachine *self, const char *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  replace (&self->identity_file, path);
  return self;
}

/**
 * hero_virt_development_machine_node_port:
 * @self: a #HeroVirtDevelopmentMachine
 * @port: the node port to reach sshd on (30000 to 32767), or 0 to let
 *   the cluster pick (the default)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_node_port (HeroVirtDevelopmentMachine *self, int port)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  self->port_forward = FALSE;
  self->node_port = port;
  return self;
}

/**
 * hero_virt_development_machine_port_forward:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Reaches sshd through a port forward (a [class@HeroVirt.PortForward] on
 * 127.0.0.1, any free port) to the pod's port 22 instead of a node port;
 * it lives until [method@HeroVirt.DevelopmentMachine.remove] or the
 * object's end.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_port_forward (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  self->port_forward = TRUE;
  return self;
}

/**
 * hero_virt_development_machine_endpoint_host:
 * @self: a #HeroVirtDevelopmentMachine
 * @host: (nullable): the host the node port is reached on, or %NULL for
 *   the address of the pod's node (ExternalIP, else InternalIP)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDevelopmentMachine *
hero_virt_development_machine_endpoint_host (HeroVirtDevelopmentMachine *self, const char *host)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  replace (&self->endpoint_host, host);
  return self;
}

static char *
keygen (HeroVirtDevelopmentMachine *self,
        const char                 *file,
        GCancellable               *cancellable,
        GError                    **error)
{
  g_autofree char *path = g_build_filename (self->state_dir, file, NULL);
  g_autofree char *pub = g_strconcat (path, ".pub", NULL);
  g_autofree char *comment = g_strdup_printf ("hero-virt-%s", self->app.name);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("ssh-keygen");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  char *text = NULL;

  hero_virt_command_add_args (cmd, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path,
                              NULL);
  hero_virt_command_set_timeout (cmd, 30000);
  if ((result = _hero_virt_kube_run_local (cmd, cancellable, error)) == NULL
      || !g_file_get_contents (pub, &text, NULL, error))
    {
      g_prefix_error (error, "Generating an SSH key (openssh-client): ");
      return NULL;
    }
  return g_strstrip (text);
}

/* Generates the host key (and the client key if needed) once. */
static gboolean
ensure_keys (HeroVirtDevelopmentMachine *self, GCancellable *cancellable, GError **error)
{
  if (self->state_dir == NULL)
    {
      self->state_dir = g_dir_make_tmp ("hero-virt-devmachine-XXXXXX", error);
      if (self->state_dir == NULL)
        return FALSE;
    }
  if (self->host_public_key == NULL
      && (self->host_public_key = keygen (self, "host_key", cancellable, error)) == NULL)
    return FALSE;
  if (self->authorized_keys->len == 0 && self->generated_identity == NULL)
    {
      g_autofree char *pub = keygen (self, "id_ed25519", cancellable, error);

      if (pub == NULL)
        return FALSE;
      self->generated_identity = g_build_filename (self->state_dir, "id_ed25519", NULL);
      g_ptr_array_add (self->authorized_keys, g_steal_pointer (&pub));
    }
  return TRUE;
}

static char *
secret_name (HeroVirtDevelopmentMachine *self)
{
  return g_strdup_printf ("%s-ssh", self->app.name);
}

/**
 * hero_virt_development_machine_build:
 * @self: a #HeroVirtDevelopmentMachine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The objects [method@HeroVirt.DevelopmentMachine.create] applies, in
 * order: the Secret `<name>-ssh` (`authorized_keys`, the host key pair),
 * the Pod `<name>` and the NodePort Service `<name>-ssh`. Keys are
 * generated locally the first time; nothing is sent to the cluster.
 *
 * Returns: (transfer container) (element-type Json.Node): the objects,
 *   or %NULL with %HERO_VIRT_ERROR_INVALID_ARGUMENT naming what is wrong
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_development_machine_build (HeroVirtDevelopmentMachine *self,
                                     GCancellable               *cancellable,
                                     GError                    **error)
{
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (HeroVirtSecretBuilder) secret = NULL;
  g_autoptr (HeroVirtPodBuilder) pod = NULL;
  g_autoptr (HeroVirtServiceBuilder) service = NULL;
  g_autoptr (HeroVirtKubeProbe) probe = NULL;
  g_autofree char             *sname = NULL;
  g_autofree char             *host_key = NULL;
  g_autofree char             *host_key_path = NULL;
  g_autofree char             *keys = NULL;
  HeroVirtKubeWorkloadBuilder *w;
  JsonNode                    *node;

  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);

  if (!_hero_virt_kube_app_check (&self->app, error))
    return NULL;
  if (strlen (self->app.name) > 59)
    {
      hero_virt_set_invalid_argument (error, "development machine name", self->app.name,
                                      "at most 59 characters (its service is <name>-ssh)");
      return NULL;
    }
  sname = secret_name (self);
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);

  /* check the objects before keys are made */
  pod = hero_virt_pod_builder_new (self->app.manager, self->app.name);
  w = HERO_VIRT_KUBE_WORKLOAD_BUILDER (pod);
  hero_virt_kube_workload_builder_container (w, "sshd");
  hero_virt_kube_workload_builder_image (w, self->image);
  {
    const char *argv[] = { "/usr/sbin/sshd",
                           "-D",
                           "-e",
                           "-p",
                           "22",
                           "-h",
                           KEYS_DIR "/ssh_host_ed25519_key",
                           "-o",
                           "AuthorizedKeysFile=" KEYS_DIR "/authorized_keys",
                           "-o",
                           "PasswordAuthentication=no",
                           "-o",
                           "KbdInteractiveAuthentication=no",
                           "-o",
                           "PermitRootLogin=prohibit-password",
                           NULL };
    hero_virt_kube_workload_builder_command (w, argv);
  }
  hero_virt_kube_workload_builder_port_full (w, "ssh", 22, NULL);
  probe = hero_virt_kube_probe_new_tcp_socket (22);
  hero_virt_kube_probe_period (probe, 2);
  hero_virt_kube_workload_builder_readiness_probe (w, probe);
  hero_virt_kube_workload_builder_volume_secret (w, "ssh-keys", sname, KEYS_DIR);
  _hero_virt_kube_app_label (&self->app, HERO_VIRT_KUBE_RESOURCE_BUILDER (pod), "app",
                             "development-machine");
  service = hero_virt_service_builder_new (self->app.manager, sname);
  hero_virt_service_builder_selector (service, "app", self->app.name);
  hero_virt_service_builder_port_full (service, "ssh", 22, 22, NULL, self->node_port);
  hero_virt_service_builder_service_type (service, "NodePort");
  if (!hero_virt_kube_resource_builder_validate (HERO_VIRT_KUBE_RESOURCE_BUILDER (pod), error)
      || !hero_virt_kube_resource_builder_validate (HERO_VIRT_KUBE_RESOURCE_BUILDER (service),
                                                    error))
    return NULL;

  if (!ensure_keys (self, cancellable, error))
    return NULL;
  host_key_path = g_build_filename (self->state_dir, "host_key", NULL);
  if (!g_file_get_contents (host_key_path, &host_key, NULL, error))
    return NULL;
  g_ptr_array_add (self->authorized_keys, NULL);
  keys = g_strjoinv ("\n", (char **)self->authorized_keys->pdata);
  g_ptr_array_remove_index (self->authorized_keys, self->authorized_keys->len - 1);
  {
    g_autofree char *with_newline = g_strconcat (keys, "\n", NULL);
    g_autofree char *host_pub = g_strconcat (self->host_public_key, "\n", NULL);

    secret = hero_virt_secret_builder_new (self->app.manager, sname);
    _hero_virt_kube_app_label (&self->app, HERO_VIRT_KUBE_RESOURCE_BUILDER (secret), "app", NULL);
    hero_virt_secret_builder_data (secret, "authorized_keys", with_newline);
    hero_virt_secret_builder_data (secret, "ssh_host_ed25519_key", host_key);
    hero_virt_secret_builder_data (secret, "ssh_host_ed25519_key.pub", host_pub);
  }
  if ((node
       = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (secret), error))
      == NULL)
    return NULL;
  g_ptr_array_add (objects, node);

  if ((node = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (pod), error))
      == NULL)
    return NULL;
  {
    /* sshd wants its host key private (0400) and reads authorized_keys
     * as the user (0444) */
    JsonObject *spec = json_object_get_object_member (json_node_get_object (node), "spec");
    JsonObject *vol
        = json_array_get_object_element (json_object_get_array_member (spec, "volumes"), 0);
    JsonObject *sec = json_object_get_object_member (vol, "secret");
    JsonArray  *items = json_array_new ();
    const char *files[] = { "authorized_keys", "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub" };
    const int   modes[] = { 0444, 0400, 0444 };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        JsonObject *item = json_object_new ();

        json_object_set_string_member (item, "key", files[i]);
        json_object_set_string_member (item, "path", files[i]);
        json_object_set_int_member (item, "mode", modes[i]);
        json_array_add_object_element (items, item);
      }
    json_object_set_array_member (sec, "items", items);
  }
  g_ptr_array_add (objects, node);
  if ((node
       = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (service), error))
      == NULL)
    return NULL;
  g_ptr_array_add (objects, node);
  return g_steal_pointer (&objects);
}

static gboolean
write_known_hosts (HeroVirtDevelopmentMachine *self, char **path, GError **error)
{
  g_autofree char *line = NULL;
  g_auto (GStrv) parts = g_strsplit (self->host_public_key, " ", 3);

  /* [host]:port type key, as ssh writes non-22 ports */
  line = self->port == 22
             ? g_strdup_printf ("%s %s %s\n", self->host, parts[0], parts[1])
             : g_strdup_printf ("[%s]:%u %s %s\n", self->host, self->port, parts[0], parts[1]);
  *path = g_build_filename (self->state_dir, "known_hosts", NULL);
  return g_file_set_contents_full (*path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * hero_virt_development_machine_create:
 * @self: a #HeroVirtDevelopmentMachine
 * @timeout_ms: how long it may take until SSH works, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Applies the objects of [method@HeroVirt.DevelopmentMachine.build],
 * waits until the pod is ready, then until an SSH login with the host key
 * checked succeeds; [method@HeroVirt.DevelopmentMachine.get_executor]
 * then runs commands in the pod. Bad settings are
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT before any request; running out of time
 * is %HERO_VIRT_ERROR_TIMEOUT naming the pod and its last condition, or
 * the last SSH error.
 *
 * Returns: %TRUE once SSH works
 *
 * Since: 0.1
 */
static gboolean
try_login (gpointer data, GCancellable *cancellable, char **why, GError **error)
{
  HeroVirtDevelopmentMachine *self = data;
  g_autoptr (GError) local_error = NULL;

  if (hero_virt_ssh_executor_connect (self->executor, cancellable, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH))
    {
      /* a wrong host key or a refused key does not get better */
      g_propagate_error (error, g_steal_pointer (&local_error));
      _hero_virt_kube_app_prefix_error (&self->app, error);
      return FALSE;
    }
  g_free (*why);
  *why = g_strdup (local_error->message);
  return FALSE;
}

gboolean
hero_virt_development_machine_create (HeroVirtDevelopmentMachine *self,
                                      guint                       timeout_ms,
                                      GCancellable               *cancellable,
                                      GError                    **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (JsonNode) service = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), FALSE);

  if ((objects = hero_virt_development_machine_build (self, cancellable, error)) == NULL
      || (service = _hero_virt_kube_app_apply (&self->app, objects, cancellable, error)) == NULL
      || !_hero_virt_kube_app_wait_ready (&self->app, "app", deadline, timeout_ms, cancellable,
                                          error))
    return FALSE;
  g_clear_pointer (&self->host, g_free);
  if (self->port_forward)
    {
      if (self->forward != NULL)
        hero_virt_port_forward_stop (self->forward);
      g_clear_object (&self->forward);
      self->forward = hero_virt_kubernetes_manager_port_forward (self->app.manager, self->app.name,
                                                                 0, 22, error);
      if (self->forward == NULL)
        {
          _hero_virt_kube_app_prefix_error (&self->app, error);
          return FALSE;
        }
      self->host = g_strdup ("127.0.0.1");
      self->port = hero_virt_port_forward_get_local_port (self->forward);
    }
  else if (!_hero_virt_kube_app_node_endpoint (&self->app, service, self->endpoint_host, "app",
                                               &self->host, &self->port, cancellable, error))
    return FALSE;
  if (!write_known_hosts (self, &known_hosts, error))
    return FALSE;
  g_clear_object (&self->executor);
  self->executor = hero_virt_ssh_executor_new (self->host, self->port, self->user);
  hero_virt_ssh_executor_set_known_hosts_file (self->executor, known_hosts);
  hero_virt_ssh_executor_set_verify_host_key (self->executor, TRUE);
  hero_virt_ssh_executor_set_connect_timeout (self->executor, 3000);
  if (self->identity_file || self->generated_identity)
    hero_virt_ssh_executor_set_private_key_file (
        self->executor, self->identity_file ? self->identity_file : self->generated_identity);
  what = g_strdup_printf ("Development machine “%s”: no SSH login at %s:%u", self->app.name,
                          self->host, self->port);
  return _hero_virt_kube_app_poll (&self->app, try_login, self, deadline, timeout_ms, what,
                                   cancellable, error);
}

/**
 * hero_virt_development_machine_create_async:
 * @self: a #HeroVirtDevelopmentMachine
 * @timeout_ms: how long it may take
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.DevelopmentMachine.create] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_development_machine_create_async (HeroVirtDevelopmentMachine *self,
                                            guint                       timeout_ms,
                                            GCancellable               *cancellable,
                                            GAsyncReadyCallback         callback,
                                            gpointer                    user_data)
{
  g_return_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self));
  _hero_virt_kube_app_run_timed_async (
      self, hero_virt_development_machine_create_async,
      (HeroVirtKubeAppTimedFunc)hero_virt_development_machine_create, timeout_ms, cancellable,
      callback, user_data);
}

/**
 * hero_virt_development_machine_create_finish:
 * @self: a #HeroVirtDevelopmentMachine
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.DevelopmentMachine.create_async].
 *
 * Returns: %TRUE once SSH works
 *
 * Since: 0.1
 */
gboolean
hero_virt_development_machine_create_finish (HeroVirtDevelopmentMachine *self,
                                             GAsyncResult               *result,
                                             GError                    **error)
{
  return _hero_virt_kube_app_run_finish (self, result, hero_virt_development_machine_create_async,
                                         error);
}

/**
 * hero_virt_development_machine_remove:
 * @self: a #HeroVirtDevelopmentMachine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Disconnects the executor, deletes the Service, Pod and Secret (what is
 * already gone is not an error) and the locally generated keys.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_development_machine_remove (HeroVirtDevelopmentMachine *self,
                                      GCancellable               *cancellable,
                                      GError                    **error)
{
  g_autofree char *sname = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), FALSE);
  if (!hero_virt_kube_validate_dns1035_label (self->app.name, error))
    return FALSE;
  sname = secret_name (self);
  if (self->executor != NULL)
    hero_virt_ssh_executor_disconnect (self->executor);
  g_clear_object (&self->executor);
  if (self->forward != NULL)
    hero_virt_port_forward_stop (self->forward);
  g_clear_object (&self->forward);
  {
    const HeroVirtKubeAppObject objects[] = { { "v1", "Service", sname },
                                              { "v1", "Pod", self->app.name },
                                              { "v1", "Secret", sname } };

    if (!_hero_virt_kube_app_remove (&self->app, objects, G_N_ELEMENTS (objects), cancellable,
                                     error))
      return FALSE;
  }
  /* a generated client key goes with the directory: forget it too */
  if (self->generated_identity != NULL)
    g_ptr_array_set_size (self->authorized_keys, 0);
  remove_state_dir (self);
  return TRUE;
}

/**
 * hero_virt_development_machine_get_name:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Returns: the machine's name
 *
 * Since: 0.1
 */
const char *
hero_virt_development_machine_get_name (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  return self->app.name;
}

/**
 * hero_virt_development_machine_get_executor:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Returns: (transfer none) (nullable): the SSH executor into the pod,
 *   once created
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_development_machine_get_executor (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  return self->executor;
}

/**
 * hero_virt_development_machine_get_host:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Returns: (nullable): the host SSH goes to, once created
 *
 * Since: 0.1
 */
const char *
hero_virt_development_machine_get_host (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  return self->host;
}

/**
 * hero_virt_development_machine_get_port:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Returns: the port SSH goes to (the node port), or 0 before create()
 *
 * Since: 0.1
 */
guint
hero_virt_development_machine_get_port (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), 0);
  return self->port;
}

/**
 * hero_virt_development_machine_get_host_public_key:
 * @self: a #HeroVirtDevelopmentMachine
 *
 * Returns: (nullable): the pod's SSH host public key (`ssh-ed25519 …`),
 *   once built: what the executor checks the server against
 *
 * Since: 0.1
 */
const char *
hero_virt_development_machine_get_host_public_key (HeroVirtDevelopmentMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEVELOPMENT_MACHINE (self), NULL);
  return self->host_public_key;
}
