/* hero-virt-disk.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-disk-private.h"

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
 * An existing image is read in the format its owner states
 * ([property@HeroVirt.Disk:format], `qcow2` when not stated), never in
 * one guessed from its bytes: a guest can write anything into a raw disk,
 * a qcow2 header naming a host file as its backing file included. For the
 * same reason an image that refers to other files (a backing file, an
 * external data file) is refused unless the disk allows it
 * ([property@HeroVirt.Disk:allow-backing-file],
 * [property@HeroVirt.Disk:allow-data-file]), and a path qemu-img would
 * read as a protocol (`nbd://…`, `json:{…}`, anything with a colon before
 * its first slash) or that is not a regular file is refused with
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT, on every executor.
 *
 * ```python
 * raw = HeroVirt.Disk(path="/srv/guest.raw", format="raw")
 * overlay = HeroVirt.Disk(path="/srv/web.qcow2", allow_backing_file=True)
 * ```
 *
 * The work is done by a [iface@HeroVirt.DiskProvider] (the default one,
 * normally the qcow2 plugin, unless another is named), with commands run by
 * an [iface@HeroVirt.Executor] (this machine unless another is given).
 * Every I/O method has an `_async`/`_finish` form taking the same
 * arguments; they are generated from `disk-object.json`.
 *
 * Since: 0.1
 */

enum
{
  PROP_0,
  PROP_PATH,
  PROP_EXECUTOR,
  PROP_PROVIDER,
  PROP_FORMAT,
  PROP_ALLOW_BACKING_FILE,
  PROP_ALLOW_DATA_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDisk, hero_virt_disk, G_TYPE_OBJECT)

static void
hero_virt_disk_finalize (GObject *object)
{
  HeroVirtDisk *self = HERO_VIRT_DISK (object);

  g_free (self->path);
  g_free (self->format);
  g_clear_error (&self->path_error);
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
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_ALLOW_BACKING_FILE:
      g_value_set_boolean (value, (self->open_flags & HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE) != 0);
      break;
    case PROP_ALLOW_DATA_FILE:
      g_value_set_boolean (value, (self->open_flags & HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE) != 0);
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
    case PROP_FORMAT:
      self->format = g_value_dup_string (value);
      break;
    case PROP_ALLOW_BACKING_FILE:
      if (g_value_get_boolean (value))
        self->open_flags |= HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE;
      break;
    case PROP_ALLOW_DATA_FILE:
      if (g_value_get_boolean (value))
        self->open_flags |= HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE;
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

  /* Checked as given, before it is made absolute: "nbd://x" must be an
   * error, not the file "./nbd:/x". */
  if (self->path != NULL && *self->path != '\0')
    hero_virt_disk_validate_path (self->path, &self->path_error);
  if (self->format != NULL && self->path_error == NULL)
    _hero_virt_disk_check_format (self->format, &self->path_error);

  /* Local relative paths are made absolute now, so a later chdir() does
   * not change which file is meant. */
  if (self->path_error == NULL && self->path != NULL && *self->path != '\0'
      && !g_path_is_absolute (self->path) && hero_virt_executor_is_local (self->executor))
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

  /**
   * HeroVirtDisk:format:
   *
   * The format of the image as its owner states it: `qcow2` or `raw`;
   * %NULL means the provider's default (`qcow2` for the qcow2 plugin). The
   * format is never guessed from the file's bytes: a raw disk whose guest
   * wrote a qcow2 header is read as raw when stated raw, and refused
   * when stated (or defaulted to) qcow2 if that header names a backing
   * file. A file that is not in the stated format is an error.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT]
      = g_param_spec_string ("format", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDisk:allow-backing-file:
   *
   * Whether the image may be an overlay on a backing file. Off by default:
   * info, convert, resize, check and snapshots refuse an image whose header
   * names a backing file. When on, the backing file's format must be
   * recorded in the image (it is never probed), its name must be a plain
   * path, and it is checked the same way, down the chain.
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_BACKING_FILE]
      = g_param_spec_boolean ("allow-backing-file", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDisk:allow-data-file:
   *
   * Whether the image may keep its data in an external data file (qcow2
   * `data-file`). Off by default.
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_DATA_FILE]
      = g_param_spec_boolean ("allow-data-file", NULL, NULL, FALSE,
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
 * hero_virt_disk_new_with_format:
 * @path: (type filename): the image's path
 * @format: (nullable): the image's format, `qcow2` or `raw`; %NULL for the
 *   provider's default
 * @flags: what the image may refer to besides itself
 *
 * Creates an object for the existing (or future) image at @path on this
 * machine, read in @format, with the references @flags allow.
 *
 * Returns: (transfer full): a new #HeroVirtDisk
 *
 * Since: 0.1
 */
HeroVirtDisk *
hero_virt_disk_new_with_format (const char *path, const char *format, HeroVirtDiskOpenFlags flags)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "format", format, "allow-backing-file",
                       (flags & HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE) != 0, "allow-data-file",
                       (flags & HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE) != 0, NULL);
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
      hero_virt_set_invalid_argument (error, "disk path", path,
                                      "it must be absolute on a remote host");
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
 * hero_virt_disk_get_format:
 * @self: a #HeroVirtDisk
 *
 * Returns: (nullable): the stated format, or %NULL for the provider's
 *   default
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_get_format (HeroVirtDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);
  return self->format;
}

/**
 * hero_virt_disk_get_open_flags:
 * @self: a #HeroVirtDisk
 *
 * Returns: what the image may refer to besides itself
 *
 * Since: 0.1
 */
HeroVirtDiskOpenFlags
hero_virt_disk_get_open_flags (HeroVirtDisk *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), HERO_VIRT_DISK_OPEN_NONE);
  return self->open_flags;
}

/**
 * hero_virt_disk_validate_path:
 * @path: (type filename): an image path, or a backing file name
 * @error: return location for a #GError
 *
 * Checks that qemu-img would read @path as a file name and nothing else:
 * not empty, no control characters, and no colon before the first slash
 * (qemu-img reads `nbd://host`, `json:{…}`, `http://…` or `a:b` as a
 * protocol, even after `--`). An absolute path, or a relative one with no
 * colon before its first slash, passes. Disk providers call it for image
 * paths and for the backing and data file names read from images, so it
 * holds on remote executors too.
 *
 * Returns: %TRUE when @path is a plain file name, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_validate_path (const char *path, GError **error)
{
  const char *colon, *slash;

  if (path == NULL || *path == '\0')
    return hero_virt_set_invalid_argument (error, "disk path", path, "it is empty");
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      return hero_virt_set_invalid_argument (error, "disk path", path,
                                             "it contains a control character");
  colon = strchr (path, ':');
  slash = strchr (path, '/');
  if (colon != NULL && (slash == NULL || colon < slash))
    return hero_virt_set_invalid_argument (
        error, "disk path", path,
        "qemu-img would read it as a protocol (a colon before the first slash); "
        "give a path such as ./name");
  return TRUE;
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
 * Returns the provider: the one given at construction, or else the
 * registry's default disk provider for the disk's executor, chosen on first
 * use.
 *
 * Returns: (transfer full): the provider, or %NULL when none is available
 *
 * Since: 0.1
 */
HeroVirtDiskProvider *
hero_virt_disk_get_provider (HeroVirtDisk *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK (self), NULL);

  return _hero_virt_disk_lookup_provider (self, NULL, error);
}

HeroVirtDiskProvider *
_hero_virt_disk_lookup_provider (HeroVirtDisk *self, GCancellable *cancellable, GError **error)
{
  HeroVirtDiskProvider *ret = NULL;

  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    {
      GObject *provider = hero_virt_registry_find_provider (hero_virt_registry_get_default (),
                                                            HERO_VIRT_PROVIDER_KIND_DISK, NULL,
                                                            self->executor, cancellable, error);
      self->provider = provider ? HERO_VIRT_DISK_PROVIDER (provider) : NULL;
    }
  if (self->provider != NULL)
    ret = g_object_ref (self->provider);
  g_mutex_unlock (&self->lock);
  return ret;
}

gboolean
_hero_virt_disk_check_path (HeroVirtDisk *self, GError **error)
{
  if (self->path == NULL || *self->path == '\0')
    return hero_virt_set_invalid_argument (error, "disk path", self->path, "the disk has no path");
  if (self->path_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->path_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
_hero_virt_disk_check_format (const char *format, GError **error)
{
  static const char *const formats[] = { "qcow2", "raw", NULL };

  if (format != NULL && !g_strv_contains (formats, format))
    return hero_virt_set_invalid_argument (error, "disk format", format,
                                           "an existing image is read as qcow2 or raw");
  return TRUE;
}

HeroVirtDiskCreateOptions *
_hero_virt_disk_default_create_options (HeroVirtDisk *self, guint64 size)
{
  HeroVirtDiskCreateOptions *options = hero_virt_disk_create_options_new (size);

  if (self->format != NULL)
    hero_virt_disk_create_options_set_format (options, self->format);
  return options;
}

gboolean
_hero_virt_disk_check_new_size (guint64 size, GError **error)
{
  if (size == 0 || size % 512 != 0)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
      return hero_virt_set_invalid_argument (error, "size", shown,
                                             "use a positive multiple of 512 bytes");
    }
  return TRUE;
}

gboolean
_hero_virt_disk_check_convert (HeroVirtDisk *self,
                               const char   *dest,
                               const char   *format,
                               gboolean      compress,
                               GError      **error)
{
  static const char *const formats[] = { "qcow2", "raw", "vmdk", "vdi", "vhdx", "vpc", NULL };

  if (dest == NULL || *dest == '\0')
    return hero_virt_set_invalid_argument (error, "destination", dest, "it is empty");
  if (!hero_virt_executor_is_local (self->executor) && !g_path_is_absolute (dest))
    return hero_virt_set_invalid_argument (error, "destination", dest,
                                           "it must be absolute on a remote host");
  if (format == NULL || !g_strv_contains (formats, format))
    return hero_virt_set_invalid_argument (error, "output format", format,
                                           "use qcow2, raw, vmdk, vdi, vhdx or vpc");
  return hero_virt_disk_validate_path (dest, error);
}

/* The image at @path beside this one: same executor and provider, the
 * path made absolute as for hero_virt_disk_new(). */
HeroVirtDisk *
_hero_virt_disk_sibling (HeroVirtDisk *self, const char *path, const char *format)
{
  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "executor", self->executor, "provider",
                       self->provider, "format", format, NULL);
}

GPtrArray *
_hero_virt_disk_info_to_snapshots (HeroVirtDiskInfo *info)
{
  GPtrArray *ret = hero_virt_disk_info_get_snapshots (info);

  g_object_unref (info);
  return ret;
}
