/* hero-virt-disk.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtDisk:
 *
 * A disk image: create it, read its info, take, list, apply and delete
 * internal snapshots, resize, convert and check it.
 *
 * ```python
 * disk = HeroVirt.Disk.new("/var/lib/vms/web.qcow2")
 * disk.create(10 << 30, None)
 * disk.snapshot_create("clean", None)
 * info = disk.info(None)
 * print(info.props.virtual_size, [s.props.name for s in info.get_snapshots()])
 * ```
 *
 * The work is done by a [iface@HeroVirt.DiskProvider] (the default one,
 * normally the qcow2 plugin, unless another is named), with commands run by
 * an [iface@HeroVirt.Executor] (this machine unless another is given).
 * Every I/O method has an `_async`/`_finish` form.
 *
 * Since: 0.1
 */
struct _HeroVirtDisk
{
  GObject parent_instance;

  char                 *path;
  HeroVirtExecutor     *executor;
  HeroVirtDiskProvider *provider;
  GMutex                lock;
};

enum
{
  PROP_0,
  PROP_PATH,
  PROP_EXECUTOR,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDisk, hero_virt_disk, G_TYPE_OBJECT)

typedef gboolean (*BoolFinish) (gpointer source, GAsyncResult *result, GError **error);
typedef gpointer (*PtrFinish) (gpointer source, GAsyncResult *result, GError **error);

static void
hero_virt_disk_finalize (GObject *object)
{
  HeroVirtDisk *self = HERO_VIRT_DISK (object);

  g_free (self->path);
  g_clear_object (&self->executor);
  g_clear_object (&self->provider);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_disk_parent_class)->finalize (object);
}

static void
hero_virt_disk_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtDisk *self = HERO_VIRT_DISK (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER:
      g_mutex_lock (&self->lock);
      g_value_set_object (value, self->provider);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HeroVirtDisk *self = HERO_VIRT_DISK (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_EXECUTOR:
      self->executor = g_value_dup_object (value);
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_constructed (GObject *object)
{
  HeroVirtDisk *self = HERO_VIRT_DISK (object);

  G_OBJECT_CLASS (hero_virt_disk_parent_class)->constructed (object);

  if (self->executor == NULL)
    self->executor = g_object_ref (hero_virt_executor_get_default ());

  /* Local relative paths are made absolute now, so a later chdir() does
   * not change which file is meant, and no path can be read by qemu-img
   * as a protocol prefix ("nbd:", "json:"). */
  if (self->path != NULL && *self->path != '\0' && !g_path_is_absolute (self->path)
      && hero_virt_executor_is_local (self->executor))
    {
      char *abs = g_canonicalize_filename (self->path, NULL);
      g_free (self->path);
      self->path = abs;
    }
}

static void
hero_virt_disk_class_init (HeroVirtDiskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_disk_finalize;
  object_class->get_property = hero_virt_disk_get_property;
  object_class->set_property = hero_virt_disk_set_property;
  object_class->constructed = hero_virt_disk_constructed;

  /**
   * HeroVirtDisk:path:
   *
   * The image's path on the executor's host. A relative local path is
   * made absolute when the disk is created.
   *
   * Since: 0.1
   */
  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDisk:executor:
   *
   * Where the provider runs its commands; the local executor by default.
   *
   * Since: 0.1
   */
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDisk:provider:
   *
   * The provider doing the work; the registry's default disk provider
   * when not given.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER]
      = g_param_spec_object ("provider", NULL, NULL, HERO_VIRT_TYPE_DISK_PROVIDER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_disk_init (HeroVirtDisk *self)
{
  g_mutex_init (&self->lock);
}

/**
 * hero_virt_disk_new:
 * @path: (type filename): the image's path
 *
 * Creates an object for the image at @path on this machine, handled by the
 * default disk provider. Nothing is touched until a method is called.
 *
 * Returns: (transfer full): a new #HeroVirtDisk
 *
 * Since: 0.1
 */
HeroVirtDisk *
hero_virt_disk_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, NULL);
}

/**
 * hero_virt_disk_new_for_provider:
 * @path: (type filename): the image's path on the executor's host
 * @provider_name: (nullable): the disk provider to use, or %NULL for the
 *   default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @error: return location for a #GError
 *
 * Creates an object for the image at @path, handled by the named provider
 * and run through @executor. A remote executor needs an absolute path.
 *
 * Returns: (transfer full): a new #HeroVirtDisk, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDisk *
hero_virt_disk_new_for_provider (const char       *path,
                                 const char       *provider_name,
                                 HeroVirtExecutor *executor,
                                 GError          **error)
{
  g_autoptr (GObject) provider = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (executor != NULL && !hero_virt_executor_is_local (executor) && !g_path_is_absolute (path))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” must be an absolute path on a remote host", path);
      return NULL;
    }
  if (provider_name != NULL)
    {
      provider = hero_virt_registry_get_provider (
          hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_DISK, provider_name, error);
      if (provider == NULL)
        return NULL;
    }
  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "executor", executor, "provider",
                       provider, NULL);
}

/**
 * hero_virt_disk_get_path:
 * @self: a #HeroVirtDisk
 *
 * Returns: (type filename): the image's path
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_get_path (HeroVirtDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);
  return self->path;
}

/**
 * hero_virt_disk_get_executor:
 * @self: a #HeroVirtDisk
 *
 * Returns: (transfer none): where commands run
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_disk_get_executor (HeroVirtDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);
  return self->executor;
}

/**
 * hero_virt_disk_get_provider:
 * @self: a #HeroVirtDisk
 * @error: return location for a #GError
 *
 * Returns the provider, choosing the registry's default on first use.
 *
 * Returns: (transfer full): the provider, or %NULL when none is available
 *
 * Since: 0.1
 */
HeroVirtDiskProvider *
hero_virt_disk_get_provider (HeroVirtDisk *self, GError **error)
{
  HeroVirtDiskProvider *ret = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    {
      GObject *provider = hero_virt_registry_get_default_provider (
          hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_DISK, NULL, error);
      self->provider = provider ? HERO_VIRT_DISK_PROVIDER (provider) : NULL;
    }
  if (self->provider != NULL)
    ret = g_object_ref (self->provider);
  g_mutex_unlock (&self->lock);
  return ret;
}

static gboolean
check_path (HeroVirtDisk *self, GError **error)
{
  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The disk has no path");
      return FALSE;
    }
  return TRUE;
}

/* Common start of every method: checks, then the provider. */
static HeroVirtDiskProvider *
begin (HeroVirtDisk *self, const char *snapshot_name, GError **error)
{
  if (!check_path (self, error))
    return NULL;
  if (snapshot_name != NULL && !hero_virt_validate_snapshot_name (snapshot_name, error))
    return NULL;
  return hero_virt_disk_get_provider (self, error);
}

static GTask *
begin_async (HeroVirtDisk          *self,
             const char            *snapshot_name,
             gpointer               source_tag,
             gpointer               finish,
             GCancellable          *cancellable,
             GAsyncReadyCallback    callback,
             gpointer               user_data,
             HeroVirtDiskProvider **out_provider)
{
  GTask  *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, finish, NULL);
  *out_provider = begin (self, snapshot_name, &error);
  if (*out_provider == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return NULL;
    }
  return task;
}

static void
forward_bool (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BoolFinish finish = (BoolFinish)g_task_get_task_data (task);
  GError    *error = NULL;

  if (finish (source, result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
forward_pointer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PtrFinish finish = (PtrFinish)g_task_get_task_data (task);
  GError   *error = NULL;
  gpointer  ret = finish (source, result, &error);

  if (ret != NULL)
    g_task_return_pointer (task, ret, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_disk_create:
 * @self: a #HeroVirtDisk
 * @size: the virtual size in bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a qcow2 image of @size bytes at the disk's path, with default
 * options. An existing file is an error (%HERO_VIRT_ERROR_EXISTS).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create (HeroVirtDisk *self, guint64 size, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (size);

  return hero_virt_disk_create_with_options (self, options, cancellable, error);
}

/**
 * hero_virt_disk_create_with_options:
 * @self: a #HeroVirtDisk
 * @options: how to create the image
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates an image at the disk's path as @options say: format, size,
 * backing file, cluster size, qcow2 version, lazy refcounts. The options
 * are checked first ([method@HeroVirt.DiskCreateOptions.validate]).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create_with_options (HeroVirtDisk              *self,
                                    HeroVirtDiskCreateOptions *options,
                                    GCancellable              *cancellable,
                                    GError                   **error)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), FALSE);
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (options), FALSE);

  if (!hero_virt_disk_create_options_validate (options, error))
    return FALSE;
  provider = begin (self, NULL, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_disk_provider_create (provider, self->executor, self->path, options, cancellable,
                                         error);
}

/**
 * hero_virt_disk_create_async:
 * @self: a #HeroVirtDisk
 * @options: how to create the image
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.create_with_options].
 *
 * Since: 0.1
 */
void
hero_virt_disk_create_async (HeroVirtDisk              *self,
                             HeroVirtDiskCreateOptions *options,
                             GCancellable              *cancellable,
                             GAsyncReadyCallback        callback,
                             gpointer                   user_data)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  GError *error = NULL;
  GTask  *task;

  g_return_if_fail (HERO_VIRT_IS_DISK (self));
  g_return_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (options));

  if (!hero_virt_disk_create_options_validate (options, &error))
    {
      g_task_report_error (self, callback, user_data, hero_virt_disk_create_async, error);
      return;
    }
  task
      = begin_async (self, NULL, hero_virt_disk_create_async, hero_virt_disk_provider_create_finish,
                     cancellable, callback, user_data, &provider);
  if (task != NULL)
    hero_virt_disk_provider_create_async (provider, self->executor, self->path, options,
                                          cancellable, forward_bool, task);
}

/**
 * hero_virt_disk_create_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.create_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hero_virt_disk_info:
 * @self: a #HeroVirtDisk
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads what the image is. A missing file fails with
 * %HERO_VIRT_ERROR_NOT_FOUND; a truncated or corrupt one with
 * %HERO_VIRT_ERROR_CORRUPT.
 *
 * Returns: (transfer full): the image's info, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDiskInfo *
hero_virt_disk_info (HeroVirtDisk *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);

  provider = begin (self, NULL, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_disk_provider_info (provider, self->executor, self->path, cancellable, error);
}

/**
 * hero_virt_disk_info_async:
 * @self: a #HeroVirtDisk
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.info].
 *
 * Since: 0.1
 */
void
hero_virt_disk_info_async (HeroVirtDisk       *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  GTask *task;

  g_return_if_fail (HERO_VIRT_IS_DISK (self));

  task = begin_async (self, NULL, hero_virt_disk_info_async, hero_virt_disk_provider_info_finish,
                      cancellable, callback, user_data, &provider);
  if (task != NULL)
    hero_virt_disk_provider_info_async (provider, self->executor, self->path, cancellable,
                                        forward_pointer, task);
}

/**
 * hero_virt_disk_info_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.info_async].
 *
 * Returns: (transfer full): the image's info, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDiskInfo *
hero_virt_disk_info_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

#define DEFINE_SNAPSHOT_OP(op, what)                                                               \
  gboolean hero_virt_disk_snapshot_##op (HeroVirtDisk *self, const char *name,                     \
                                         GCancellable *cancellable, GError **error)                \
  {                                                                                                \
    g_autoptr (HeroVirtDiskProvider) provider = NULL;                                              \
                                                                                                   \
    g_return_val_if_fail (HERO_VIRT_IS_DISK (self), FALSE);                                        \
    g_return_val_if_fail (name != NULL, FALSE);                                                    \
                                                                                                   \
    provider = begin (self, name, error);                                                          \
    if (provider == NULL)                                                                          \
      return FALSE;                                                                                \
    return hero_virt_disk_provider_snapshot_##op (provider, self->executor, self->path, name,      \
                                                  cancellable, error);                             \
  }                                                                                                \
                                                                                                   \
  void hero_virt_disk_snapshot_##op##_async (HeroVirtDisk *self, const char *name,                 \
                                             GCancellable       *cancellable,                      \
                                             GAsyncReadyCallback callback, gpointer user_data)     \
  {                                                                                                \
    g_autoptr (HeroVirtDiskProvider) provider = NULL;                                              \
    GTask *task;                                                                                   \
                                                                                                   \
    g_return_if_fail (HERO_VIRT_IS_DISK (self));                                                   \
    g_return_if_fail (name != NULL);                                                               \
                                                                                                   \
    task = begin_async (self, name, hero_virt_disk_snapshot_##op##_async,                          \
                        hero_virt_disk_provider_snapshot_##op##_finish, cancellable, callback,     \
                        user_data, &provider);                                                     \
    if (task != NULL)                                                                              \
      hero_virt_disk_provider_snapshot_##op##_async (provider, self->executor, self->path, name,   \
                                                     cancellable, forward_bool, task);             \
  }                                                                                                \
                                                                                                   \
  gboolean hero_virt_disk_snapshot_##op##_finish (HeroVirtDisk *self, GAsyncResult *result,        \
                                                  GError **error)                                  \
  {                                                                                                \
    g_return_val_if_fail (g_task_is_valid (result, self), FALSE);                                  \
    return g_task_propagate_boolean (G_TASK (result), error);                                      \
  }

/**
 * hero_virt_disk_snapshot_create:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes an internal snapshot called @name.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_create_async:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.snapshot_create].
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_create_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.snapshot_create_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
DEFINE_SNAPSHOT_OP (create, "take")

/**
 * hero_virt_disk_snapshot_delete:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes the internal snapshot called @name.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_delete_async:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.snapshot_delete].
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_delete_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.snapshot_delete_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
DEFINE_SNAPSHOT_OP (delete, "delete")

/**
 * hero_virt_disk_snapshot_apply:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reverts the image to the internal snapshot called @name.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_apply_async:
 * @self: a #HeroVirtDisk
 * @name: the snapshot's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.snapshot_apply].
 *
 * Since: 0.1
 */
/**
 * hero_virt_disk_snapshot_apply_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.snapshot_apply_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
DEFINE_SNAPSHOT_OP (apply, "apply")

/**
 * hero_virt_disk_snapshot_list:
 * @self: a #HeroVirtDisk
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the image's internal snapshots (from [method@HeroVirt.Disk.info]).
 *
 * Returns: (transfer container) (element-type HeroVirtDiskSnapshot): the
 *   snapshots, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_disk_snapshot_list (HeroVirtDisk *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtDiskInfo) info = hero_virt_disk_info (self, cancellable, error);

  if (info == NULL)
    return NULL;
  return hero_virt_disk_info_get_snapshots (info);
}

/**
 * hero_virt_disk_resize:
 * @self: a #HeroVirtDisk
 * @size: the new virtual size in bytes
 * @shrink: allow making the image smaller (data past the new end is lost)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Changes the image's virtual size. Shrinking without @shrink fails with
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT and changes nothing.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_resize (HeroVirtDisk *self,
                       guint64       size,
                       gboolean      shrink,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), FALSE);

  if (size == 0 || size % 512 != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The new size must be a positive multiple of 512 bytes");
      return FALSE;
    }
  provider = begin (self, NULL, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_disk_provider_resize (provider, self->executor, self->path, size, shrink,
                                         cancellable, error);
}

/**
 * hero_virt_disk_resize_async:
 * @self: a #HeroVirtDisk
 * @size: the new virtual size in bytes
 * @shrink: allow making the image smaller
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.resize].
 *
 * Since: 0.1
 */
void
hero_virt_disk_resize_async (HeroVirtDisk       *self,
                             guint64             size,
                             gboolean            shrink,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  GTask *task;

  g_return_if_fail (HERO_VIRT_IS_DISK (self));

  if (size == 0 || size % 512 != 0)
    {
      g_task_report_new_error (self, callback, user_data, hero_virt_disk_resize_async,
                               HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                               "The new size must be a positive multiple of 512 bytes");
      return;
    }
  task
      = begin_async (self, NULL, hero_virt_disk_resize_async, hero_virt_disk_provider_resize_finish,
                     cancellable, callback, user_data, &provider);
  if (task != NULL)
    hero_virt_disk_provider_resize_async (provider, self->executor, self->path, size, shrink,
                                          cancellable, forward_bool, task);
}

/**
 * hero_virt_disk_resize_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.resize_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_resize_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_convert_args (HeroVirtDisk *self, const char *dest, const char *format, GError **error)
{
  static const char *const formats[] = { "qcow2", "raw", "vmdk", "vdi", "vhdx", "vpc", NULL };

  if (dest == NULL || *dest == '\0')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "No destination given");
      return FALSE;
    }
  if (!hero_virt_executor_is_local (self->executor) && !g_path_is_absolute (dest))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” must be an absolute path on a remote host", dest);
      return FALSE;
    }
  if (format == NULL || !g_strv_contains (formats, format))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Unsupported output format “%s” (qcow2, raw, vmdk, vdi, vhdx or vpc)",
                   format ? format : "");
      return FALSE;
    }
  return TRUE;
}

static HeroVirtDisk *
disk_for_dest (HeroVirtDisk *self, const char *dest)
{
  return g_object_new (HERO_VIRT_TYPE_DISK, "path", dest, "executor", self->executor, "provider",
                       self->provider, NULL);
}

/**
 * hero_virt_disk_convert:
 * @self: a #HeroVirtDisk
 * @dest: (type filename): where to write the copy
 * @format: the output format: `qcow2`, `raw`, `vmdk`, `vdi`, `vhdx` or `vpc`
 * @compress: compress the output (qcow2)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a copy of the image to @dest in @format.
 *
 * Returns: (transfer full): the new image, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDisk *
hero_virt_disk_convert (HeroVirtDisk *self,
                        const char   *dest,
                        const char   *format,
                        gboolean      compress,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  g_autoptr (HeroVirtDisk) target = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);

  if (!check_convert_args (self, dest, format, error))
    return NULL;
  provider = begin (self, NULL, error);
  if (provider == NULL)
    return NULL;
  target = disk_for_dest (self, dest);
  if (!hero_virt_disk_provider_convert (provider, self->executor, self->path, target->path, format,
                                        compress, cancellable, error))
    return NULL;
  return g_steal_pointer (&target);
}

static void
convert_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (hero_virt_disk_provider_convert_finish (HERO_VIRT_DISK_PROVIDER (source), result, &error))
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_disk_convert_async:
 * @self: a #HeroVirtDisk
 * @dest: (type filename): where to write the copy
 * @format: the output format
 * @compress: compress the output (qcow2)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.convert].
 *
 * Since: 0.1
 */
void
hero_virt_disk_convert_async (HeroVirtDisk       *self,
                              const char         *dest,
                              const char         *format,
                              gboolean            compress,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  HeroVirtDisk *target;
  GError       *error = NULL;
  GTask        *task;

  g_return_if_fail (HERO_VIRT_IS_DISK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_disk_convert_async);
  if (!check_convert_args (self, dest, format, &error)
      || (provider = begin (self, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  target = disk_for_dest (self, dest);
  g_task_set_task_data (task, target, g_object_unref);
  hero_virt_disk_provider_convert_async (provider, self->executor, self->path, target->path, format,
                                         compress, cancellable, convert_done, task);
}

/**
 * hero_virt_disk_convert_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.convert_async].
 *
 * Returns: (transfer full): the new image, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDisk *
hero_virt_disk_convert_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_disk_check:
 * @self: a #HeroVirtDisk
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks the image's metadata. Problems found are in the result (see
 * [method@HeroVirt.DiskCheckResult.get_clean]); an error means the check
 * could not run.
 *
 * Returns: (transfer full): what the check found, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDiskCheckResult *
hero_virt_disk_check (HeroVirtDisk *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);

  provider = begin (self, NULL, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_disk_provider_check (provider, self->executor, self->path, cancellable, error);
}

/**
 * hero_virt_disk_check_async:
 * @self: a #HeroVirtDisk
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Disk.check].
 *
 * Since: 0.1
 */
void
hero_virt_disk_check_async (HeroVirtDisk       *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  GTask *task;

  g_return_if_fail (HERO_VIRT_IS_DISK (self));

  task = begin_async (self, NULL, hero_virt_disk_check_async, hero_virt_disk_provider_check_finish,
                      cancellable, callback, user_data, &provider);
  if (task != NULL)
    hero_virt_disk_provider_check_async (provider, self->executor, self->path, cancellable,
                                         forward_pointer, task);
}

/**
 * hero_virt_disk_check_finish:
 * @self: a #HeroVirtDisk
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Disk.check_async].
 *
 * Returns: (transfer full): what the check found, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtDiskCheckResult *
hero_virt_disk_check_finish (HeroVirtDisk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
