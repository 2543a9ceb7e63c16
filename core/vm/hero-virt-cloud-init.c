/* hero-virt-cloud-init.c: a cloud-init NoCloud seed (user-data, meta-data,
 * network-config) written to an ISO 9660 image labelled `cidata`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-private.h"

/**
 * HeroVirtCloudInit:
 *
 * What cloud-init in a guest is told on its first boot, written as a
 * NoCloud seed: an ISO 9660 image with the volume label `cidata` holding
 * `user-data` (a `#cloud-config` document with the hostname, the user's
 * SSH keys, packages to install and commands to run), `meta-data` (the
 * instance id and hostname) and, when set, `network-config`.
 *
 * ```python
 * seed = (HeroVirt.CloudInit.new("web")
 *         .add_ssh_key(open(os.path.expanduser("~/.ssh/id_ed25519.pub")).read())
 *         .add_package("nginx")
 *         .add_runcmd("systemctl enable --now nginx"))
 * seed.write_seed(None, "/var/lib/vms/web-seed.iso", None)
 * builder.add_cloud_init_seed("/var/lib/vms/web-seed.iso")
 * ```
 *
 * [method@HeroVirt.CloudInit.write_seed] runs `genisoimage` (or
 * `xorriso -as mkisofs`, or `cloud-localds`) through an executor, so the
 * seed is made on the host the VM runs on. Every value is quoted in the
 * YAML it goes into, so none can add keys of its own.
 *
 * Since: 0.1
 */

struct _HeroVirtCloudInit
{
  GObject    parent_instance;
  char      *hostname;
  char      *instance_id;
  char      *user;
  GPtrArray *ssh_keys;
  GPtrArray *packages;
  GPtrArray *runcmd;
  char      *network_config;
};

G_DEFINE_FINAL_TYPE (HeroVirtCloudInit, hero_virt_cloud_init, G_TYPE_OBJECT)

static void
hero_virt_cloud_init_finalize (GObject *object)
{
  HeroVirtCloudInit *self = HERO_VIRT_CLOUD_INIT (object);

  g_free (self->hostname);
  g_free (self->instance_id);
  g_free (self->user);
  g_ptr_array_unref (self->ssh_keys);
  g_ptr_array_unref (self->packages);
  g_ptr_array_unref (self->runcmd);
  g_free (self->network_config);
  G_OBJECT_CLASS (hero_virt_cloud_init_parent_class)->finalize (object);
}

static void
hero_virt_cloud_init_class_init (HeroVirtCloudInitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_cloud_init_finalize;
}

static void
hero_virt_cloud_init_init (HeroVirtCloudInit *self)
{
  self->ssh_keys = g_ptr_array_new_with_free_func (g_free);
  self->packages = g_ptr_array_new_with_free_func (g_free);
  self->runcmd = g_ptr_array_new_with_free_func (g_free);
}

/**
 * hero_virt_cloud_init_new:
 * @hostname: the guest's hostname (a DNS label)
 *
 * Creates a seed description for a guest called @hostname; its instance id
 * is the hostname unless [method@HeroVirt.CloudInit.set_instance_id] says
 * otherwise.
 *
 * Returns: (transfer full): a new #HeroVirtCloudInit
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_new (const char *hostname)
{
  HeroVirtCloudInit *self;

  g_return_val_if_fail (hostname != NULL, NULL);

  self = g_object_new (HERO_VIRT_TYPE_CLOUD_INIT, NULL);
  self->hostname = g_strdup (hostname);
  return self;
}

static void
replace (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/**
 * hero_virt_cloud_init_set_instance_id:
 * @self: a #HeroVirtCloudInit
 * @instance_id: (nullable): the instance id, or %NULL for the hostname
 *
 * Sets the instance id; cloud-init runs its first-boot modules again when
 * it changes.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_set_instance_id (HeroVirtCloudInit *self, const char *instance_id)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  replace (&self->instance_id, instance_id);
  return self;
}

/**
 * hero_virt_cloud_init_set_user:
 * @self: a #HeroVirtCloudInit
 * @user: (nullable): a user to create with the SSH keys and passwordless
 *   sudo, or %NULL to give the keys to the image's default user
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_set_user (HeroVirtCloudInit *self, const char *user)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  replace (&self->user, user);
  return self;
}

/**
 * hero_virt_cloud_init_add_ssh_key:
 * @self: a #HeroVirtCloudInit
 * @key: an OpenSSH public key line (`ssh-ed25519 AAAA… comment`); a final
 *   line break is dropped
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_add_ssh_key (HeroVirtCloudInit *self, const char *key)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_ptr_array_add (self->ssh_keys, g_strchomp (g_strdup (key)));
  return self;
}

/**
 * hero_virt_cloud_init_add_package:
 * @self: a #HeroVirtCloudInit
 * @package: a package for the guest to install on first boot
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_add_package (HeroVirtCloudInit *self, const char *package)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  g_return_val_if_fail (package != NULL, NULL);
  g_ptr_array_add (self->packages, g_strdup (package));
  return self;
}

/**
 * hero_virt_cloud_init_add_runcmd:
 * @self: a #HeroVirtCloudInit
 * @command: a shell command for the guest to run once, at the end of its
 *   first boot
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_add_runcmd (HeroVirtCloudInit *self, const char *command)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);
  g_ptr_array_add (self->runcmd, g_strdup (command));
  return self;
}

/**
 * hero_virt_cloud_init_set_network_config:
 * @self: a #HeroVirtCloudInit
 * @yaml: (nullable): a network-config document (version 1 or 2), or %NULL
 *   for none (cloud-init then configures DHCP on the first interface)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtCloudInit *
hero_virt_cloud_init_set_network_config (HeroVirtCloudInit *self, const char *yaml)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  replace (&self->network_config, yaml);
  return self;
}

static gboolean
check_line (const char *what, const char *value, GError **error)
{
  if (value == NULL || *value == '\0' || !g_utf8_validate (value, -1, NULL)
      || strpbrk (value, "\n\r") != NULL)
    return hero_virt_set_invalid_argument (error, what, value,
                                           "use one non-empty line of UTF-8 text");
  return TRUE;
}

/**
 * hero_virt_cloud_init_validate:
 * @self: a #HeroVirtCloudInit
 * @error: return location for a #GError
 *
 * Checks the seed: the hostname (and user) are DNS labels, each SSH key is
 * one OpenSSH public key line, package names are package names, commands
 * are one line each, the network config is UTF-8.
 *
 * Returns: %TRUE if the seed can be written, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_cloud_init_validate (HeroVirtCloudInit *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), FALSE);

  if (!hero_virt_kube_validate_dns1123_label (self->hostname, error))
    return FALSE;
  if (self->instance_id != NULL && !check_line ("instance id", self->instance_id, error))
    return FALSE;
  if (self->user != NULL && !hero_virt_kube_validate_dns1123_label (self->user, error))
    return FALSE;
  for (guint i = 0; i < self->ssh_keys->len; i++)
    {
      const char *key = g_ptr_array_index (self->ssh_keys, i);

      if (!check_line ("SSH key", key, error))
        return FALSE;
      if (!g_str_has_prefix (key, "ssh-") && !g_str_has_prefix (key, "ecdsa-")
          && !g_str_has_prefix (key, "sk-"))
        return hero_virt_set_invalid_argument (error, "SSH key", key,
                                               "give an OpenSSH public key (ssh-ed25519 AAAA…)");
    }
  for (guint i = 0; i < self->packages->len; i++)
    {
      const char *package = g_ptr_array_index (self->packages, i);

      if (!g_regex_match_simple ("^[a-zA-Z0-9][a-zA-Z0-9+._:=~-]*$", package, 0, 0))
        return hero_virt_set_invalid_argument (error, "package", package,
                                               "use a package name (and =version)");
    }
  for (guint i = 0; i < self->runcmd->len; i++)
    if (!check_line ("command", g_ptr_array_index (self->runcmd, i), error))
      return FALSE;
  if (self->network_config != NULL && !g_utf8_validate (self->network_config, -1, NULL))
    return hero_virt_set_invalid_argument (error, "network config", NULL, "use UTF-8 text");
  return TRUE;
}

/* A YAML double-quoted scalar (JSON's string syntax is YAML's). */
static void
append_quoted (GString *out, const char *value)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), value);
  g_autofree char *text = json_to_string (node, FALSE);

  g_string_append (out, text);
}

static void
append_list (GString *out, const char *indent, GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      g_string_append_printf (out, "%s- ", indent);
      append_quoted (out, g_ptr_array_index (items, i));
      g_string_append_c (out, '\n');
    }
}

/**
 * hero_virt_cloud_init_get_user_data:
 * @self: a #HeroVirtCloudInit
 *
 * Returns: (transfer full): the `user-data` document (`#cloud-config`)
 *
 * Since: 0.1
 */
char *
hero_virt_cloud_init_get_user_data (HeroVirtCloudInit *self)
{
  GString *out;

  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);

  out = g_string_new ("#cloud-config\n");
  g_string_append (out, "hostname: ");
  append_quoted (out, self->hostname);
  g_string_append (out, "\nmanage_etc_hosts: true\n");
  if (self->user != NULL)
    {
      g_string_append (out, "users:\n  - name: ");
      append_quoted (out, self->user);
      g_string_append (out, "\n    shell: /bin/bash\n    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n");
      if (self->ssh_keys->len > 0)
        {
          g_string_append (out, "    ssh_authorized_keys:\n");
          append_list (out, "      ", self->ssh_keys);
        }
    }
  else if (self->ssh_keys->len > 0)
    {
      g_string_append (out, "ssh_authorized_keys:\n");
      append_list (out, "  ", self->ssh_keys);
    }
  if (self->packages->len > 0)
    {
      g_string_append (out, "packages:\n");
      append_list (out, "  ", self->packages);
    }
  if (self->runcmd->len > 0)
    {
      g_string_append (out, "runcmd:\n");
      append_list (out, "  ", self->runcmd);
    }
  return g_string_free (out, FALSE);
}

/**
 * hero_virt_cloud_init_get_meta_data:
 * @self: a #HeroVirtCloudInit
 *
 * Returns: (transfer full): the `meta-data` document
 *
 * Since: 0.1
 */
char *
hero_virt_cloud_init_get_meta_data (HeroVirtCloudInit *self)
{
  GString *out;

  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);

  out = g_string_new ("instance-id: ");
  append_quoted (out, self->instance_id != NULL ? self->instance_id : self->hostname);
  g_string_append (out, "\nlocal-hostname: ");
  append_quoted (out, self->hostname);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/**
 * hero_virt_cloud_init_get_network_config:
 * @self: a #HeroVirtCloudInit
 *
 * Returns: (transfer full) (nullable): the `network-config` document, or
 *   %NULL when none is set
 *
 * Since: 0.1
 */
char *
hero_virt_cloud_init_get_network_config (HeroVirtCloudInit *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), NULL);
  return g_strdup (self->network_config);
}

static gboolean
put (HeroVirtExecutor *executor,
     const char       *dir,
     const char       *name,
     const char       *text,
     GCancellable     *cancellable,
     GError          **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  return hero_virt_executor_write_file (executor, path, bytes, 0600, cancellable, error);
}

/**
 * hero_virt_cloud_init_write_seed:
 * @self: a #HeroVirtCloudInit
 * @executor: (nullable): where to write it (the VM's host), or %NULL for
 *   this machine
 * @path: (type filename): the ISO image to write (absolute; replaced if it
 *   exists)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks the seed ([method@HeroVirt.CloudInit.validate]), then writes it
 * as an ISO 9660 image labelled `cidata` (Joliet and Rock Ridge names) with
 * `genisoimage`, else `xorriso -as mkisofs`, else `cloud-localds`, found on
 * the executor's host; none of them there is %HERO_VIRT_ERROR_UNAVAILABLE.
 * Attach it to a VM read-only with
 * [method@HeroVirt.VmBuilder.add_cloud_init_seed].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_cloud_init_write_seed (HeroVirtCloudInit *self,
                                 HeroVirtExecutor  *executor,
                                 const char        *path,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *user_data = NULL;
  g_autofree char *meta_data = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *user_path = NULL;
  g_autofree char *meta_path = NULL;
  g_autofree char *net_path = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *tools[] = { "genisoimage", "xorriso", "cloud-localds" };
  const char *found = NULL;
  gboolean    ok = FALSE;

  g_return_val_if_fail (HERO_VIRT_IS_CLOUD_INIT (self), FALSE);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  if (!hero_virt_cloud_init_validate (self, error))
    return FALSE;
  if (!g_path_is_absolute (path) || strstr (path, "/../") != NULL || g_str_has_suffix (path, "/..")
      || strpbrk (path, "\n\r,") != NULL)
    return hero_virt_set_invalid_argument (
        error, "seed path", path, "use an absolute path without “..”, commas or line breaks");
  for (guint i = 0; i < G_N_ELEMENTS (tools) && found == NULL; i++)
    {
      tool = hero_virt_executor_find_program (executor, tools[i], cancellable, NULL);
      if (tool != NULL)
        found = tools[i];
    }
  if (found == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "Writing a cloud-init seed needs genisoimage, xorriso or cloud-localds on %s "
                   "(apt-get install genisoimage)",
                   "the VM's host");
      return FALSE;
    }

  tmp = hero_virt_executor_make_temp_dir (executor, cancellable, error);
  if (tmp == NULL)
    return FALSE;
  user_data = hero_virt_cloud_init_get_user_data (self);
  meta_data = hero_virt_cloud_init_get_meta_data (self);
  user_path = g_build_filename (tmp, "user-data", NULL);
  meta_path = g_build_filename (tmp, "meta-data", NULL);
  if (!put (executor, tmp, "user-data", user_data, cancellable, error)
      || !put (executor, tmp, "meta-data", meta_data, cancellable, error))
    goto out;
  if (self->network_config != NULL)
    {
      net_path = g_build_filename (tmp, "network-config", NULL);
      if (!put (executor, tmp, "network-config", self->network_config, cancellable, error))
        goto out;
    }

  if (g_str_equal (found, "cloud-localds"))
    {
      command = HERO_VIRT_COMMAND_NEW (tool);
      if (net_path != NULL)
        hero_virt_command_add_arg_printf (command, "--network-config=%s", net_path);
      hero_virt_command_add_args (command, "--", path, user_path, meta_path, NULL);
    }
  else
    {
      command = HERO_VIRT_COMMAND_NEW (tool);
      if (g_str_equal (found, "xorriso"))
        hero_virt_command_add_args (command, "-as", "mkisofs", NULL);
      hero_virt_command_add_args (command, "-quiet", "-output", path, "-volid", "cidata", "-joliet",
                                  "-rock", "-graft-points", NULL);
      hero_virt_command_add_arg_printf (command, "user-data=%s", user_path);
      hero_virt_command_add_arg_printf (command, "meta-data=%s", meta_path);
      if (net_path != NULL)
        hero_virt_command_add_arg_printf (command, "network-config=%s", net_path);
    }
  result = hero_virt_executor_run_checked (executor, command, cancellable, error);
  ok = result != NULL;

out:
  hero_virt_executor_remove_path (executor, tmp, NULL, NULL);
  return ok;
}

typedef struct
{
  HeroVirtExecutor *executor;
  char             *path;
} SeedData;

static void
seed_data_free (gpointer p)
{
  SeedData *d = p;

  g_clear_object (&d->executor);
  g_free (d->path);
  g_free (d);
}

static void
seed_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SeedData *d = task_data;
  GError   *error = NULL;

  if (hero_virt_cloud_init_write_seed (HERO_VIRT_CLOUD_INIT (source), d->executor, d->path,
                                       cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_cloud_init_write_seed_async:
 * @self: a #HeroVirtCloudInit
 * @executor: (nullable): where to write it, or %NULL for this machine
 * @path: (type filename): the ISO image to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation completes
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.CloudInit.write_seed] in a worker thread (do not
 * change the seed until it completes); finish it with
 * [method@HeroVirt.CloudInit.write_seed_finish].
 *
 * Since: 0.1
 */
void
hero_virt_cloud_init_write_seed_async (HeroVirtCloudInit  *self,
                                       HeroVirtExecutor   *executor,
                                       const char         *path,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SeedData *d;

  g_return_if_fail (HERO_VIRT_IS_CLOUD_INIT (self));
  g_return_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_cloud_init_write_seed_async);
  d = g_new0 (SeedData, 1);
  d->executor = executor != NULL ? g_object_ref (executor) : NULL;
  d->path = g_strdup (path);
  g_task_set_task_data (task, d, seed_data_free);
  g_task_run_in_thread (task, seed_thread);
}

/**
 * hero_virt_cloud_init_write_seed_finish:
 * @self: a #HeroVirtCloudInit
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.CloudInit.write_seed_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_cloud_init_write_seed_finish (HeroVirtCloudInit *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, hero_virt_cloud_init_write_seed_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
