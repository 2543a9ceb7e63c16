/* hero-virt-disk-create-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtDiskCreateOptions:
 *
 * How to create a disk image: size, format, backing file, cluster size,
 * qcow2 version and lazy refcounts. Setters return the options, so they
 * chain; from Python the properties can be given to the constructor:
 *
 * ```python
 * opts = HeroVirt.DiskCreateOptions(size=10 << 30, cluster_size=65536)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtDiskCreateOptions
{
  GObject parent_instance;

  guint64  size;
  char    *format;
  char    *backing_file;
  char    *backing_format;
  guint    cluster_size;
  char    *compat;
  gboolean lazy_refcounts;
};

enum
{
  PROP_0,
  PROP_SIZE,
  PROP_FORMAT,
  PROP_BACKING_FILE,
  PROP_BACKING_FORMAT,
  PROP_CLUSTER_SIZE,
  PROP_COMPAT,
  PROP_LAZY_REFCOUNTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDiskCreateOptions, hero_virt_disk_create_options, G_TYPE_OBJECT)

static void
hero_virt_disk_create_options_finalize (GObject *object)
{
  HeroVirtDiskCreateOptions *self = HERO_VIRT_DISK_CREATE_OPTIONS (object);

  g_free (self->format);
  g_free (self->backing_file);
  g_free (self->backing_format);
  g_free (self->compat);

  G_OBJECT_CLASS (hero_virt_disk_create_options_parent_class)->finalize (object);
}

static void
hero_virt_disk_create_options_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  HeroVirtDiskCreateOptions *self = HERO_VIRT_DISK_CREATE_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_BACKING_FILE:
      g_value_set_string (value, self->backing_file);
      break;
    case PROP_BACKING_FORMAT:
      g_value_set_string (value, self->backing_format);
      break;
    case PROP_CLUSTER_SIZE:
      g_value_set_uint (value, self->cluster_size);
      break;
    case PROP_COMPAT:
      g_value_set_string (value, self->compat);
      break;
    case PROP_LAZY_REFCOUNTS:
      g_value_set_boolean (value, self->lazy_refcounts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_create_options_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  HeroVirtDiskCreateOptions *self = HERO_VIRT_DISK_CREATE_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      self->size = g_value_get_uint64 (value);
      break;
    case PROP_FORMAT:
      g_free (self->format);
      self->format = g_value_dup_string (value);
      break;
    case PROP_BACKING_FILE:
      g_free (self->backing_file);
      self->backing_file = g_value_dup_string (value);
      break;
    case PROP_BACKING_FORMAT:
      g_free (self->backing_format);
      self->backing_format = g_value_dup_string (value);
      break;
    case PROP_CLUSTER_SIZE:
      self->cluster_size = g_value_get_uint (value);
      break;
    case PROP_COMPAT:
      g_free (self->compat);
      self->compat = g_value_dup_string (value);
      break;
    case PROP_LAZY_REFCOUNTS:
      self->lazy_refcounts = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_create_options_class_init (HeroVirtDiskCreateOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_disk_create_options_finalize;
  object_class->get_property = hero_virt_disk_create_options_get_property;
  object_class->set_property = hero_virt_disk_create_options_set_property;

  /**
   * HeroVirtDiskCreateOptions:size:
   *
   * The virtual size in bytes. 0 with a backing file means the backing file's size.
   *
   * Since: 0.1
   */
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:format:
   *
   * The image format: `qcow2` (default) or `raw`.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, "qcow2",
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:backing-file:
   *
   * A backing file (qcow2 only), or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_BACKING_FILE] = g_param_spec_string ("backing-file", NULL, NULL, NULL,
                                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:backing-format:
   *
   * The backing file's format, such as `qcow2` or `raw`.
   *
   * Since: 0.1
   */
  properties[PROP_BACKING_FORMAT] = g_param_spec_string (
      "backing-format", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:cluster-size:
   *
   * The qcow2 cluster size in bytes: a power of two from 512 to 2 MiB, or 0 for the default (64
   * KiB).
   *
   * Since: 0.1
   */
  properties[PROP_CLUSTER_SIZE] = g_param_spec_uint ("cluster-size", NULL, NULL, 0, G_MAXUINT, 0,
                                                     G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:compat:
   *
   * The qcow2 version: `1.1` (v3, default) or `0.10` (v2).
   *
   * Since: 0.1
   */
  properties[PROP_COMPAT] = g_param_spec_string ("compat", NULL, NULL, NULL,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskCreateOptions:lazy-refcounts:
   *
   * Whether to turn on lazy refcounts (qcow2 v3 only).
   *
   * Since: 0.1
   */
  properties[PROP_LAZY_REFCOUNTS] = g_param_spec_boolean (
      "lazy-refcounts", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_disk_create_options_init (HeroVirtDiskCreateOptions *self)
{
  self->format = g_strdup ("qcow2");
}

/**
 * hero_virt_disk_create_options_new:
 * @size: the virtual size in bytes
 *
 * Returns: (transfer full): new options for a qcow2 image of @size bytes
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_new (guint64 size)
{
  return g_object_new (HERO_VIRT_TYPE_DISK_CREATE_OPTIONS, "size", size, NULL);
}

/**
 * hero_virt_disk_create_options_set_size:
 * @self: a #HeroVirtDiskCreateOptions
 * @size: the new value
 *
 * Sets [property@HeroVirt.DiskCreateOptions:size].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_size (HeroVirtDiskCreateOptions *self, guint64 size)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "size", size, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_set_format:
 * @self: a #HeroVirtDiskCreateOptions
 * @format: (nullable): the new value
 *
 * Sets [property@HeroVirt.DiskCreateOptions:format].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_format (HeroVirtDiskCreateOptions *self, const char *format)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "format", format, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_set_backing_file:
 * @self: a #HeroVirtDiskCreateOptions
 * @backing_file: (nullable): the backing file, or %NULL for none
 * @backing_format: (nullable): its format, such as `qcow2`; probed when %NULL
 *
 * Makes the new image an overlay on @backing_file.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_backing_file (HeroVirtDiskCreateOptions *self,
                                                const char                *backing_file,
                                                const char                *backing_format)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "backing-file", backing_file, "backing-format", backing_format, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_set_cluster_size:
 * @self: a #HeroVirtDiskCreateOptions
 * @cluster_size: the new value
 *
 * Sets [property@HeroVirt.DiskCreateOptions:cluster-size].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_cluster_size (HeroVirtDiskCreateOptions *self, guint cluster_size)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "cluster-size", cluster_size, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_set_compat:
 * @self: a #HeroVirtDiskCreateOptions
 * @compat: (nullable): the new value
 *
 * Sets [property@HeroVirt.DiskCreateOptions:compat].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_compat (HeroVirtDiskCreateOptions *self, const char *compat)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "compat", compat, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_set_lazy_refcounts:
 * @self: a #HeroVirtDiskCreateOptions
 * @lazy_refcounts: the new value
 *
 * Sets [property@HeroVirt.DiskCreateOptions:lazy-refcounts].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDiskCreateOptions *
hero_virt_disk_create_options_set_lazy_refcounts (HeroVirtDiskCreateOptions *self,
                                                  gboolean                   lazy_refcounts)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), NULL);

  g_object_set (self, "lazy-refcounts", lazy_refcounts, NULL);
  return self;
}

/**
 * hero_virt_disk_create_options_get_size:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: the value of [property@HeroVirt.DiskCreateOptions:size]
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_create_options_get_size (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->size;
}

/**
 * hero_virt_disk_create_options_get_format:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.DiskCreateOptions:format]
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_create_options_get_format (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->format;
}

/**
 * hero_virt_disk_create_options_get_backing_file:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.DiskCreateOptions:backing-file]
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_create_options_get_backing_file (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->backing_file;
}

/**
 * hero_virt_disk_create_options_get_backing_format:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.DiskCreateOptions:backing-format]
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_create_options_get_backing_format (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->backing_format;
}

/**
 * hero_virt_disk_create_options_get_cluster_size:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: the value of [property@HeroVirt.DiskCreateOptions:cluster-size]
 *
 * Since: 0.1
 */
guint
hero_virt_disk_create_options_get_cluster_size (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->cluster_size;
}

/**
 * hero_virt_disk_create_options_get_compat:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.DiskCreateOptions:compat]
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_create_options_get_compat (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->compat;
}

/**
 * hero_virt_disk_create_options_get_lazy_refcounts:
 * @self: a #HeroVirtDiskCreateOptions
 *
 * Returns: the value of [property@HeroVirt.DiskCreateOptions:lazy-refcounts]
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create_options_get_lazy_refcounts (HeroVirtDiskCreateOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), 0);
  return self->lazy_refcounts;
}

/**
 * hero_virt_disk_create_options_validate:
 * @self: a #HeroVirtDiskCreateOptions
 * @error: return location for a #GError
 *
 * Checks the options before anything is created: a known format, a size
 * (unless a backing file gives it), a cluster size that is a power of two
 * between 512 bytes and 2 MiB, a known qcow2 version, lazy refcounts only
 * with version 3, no backing file or cluster size for raw images.
 *
 * Returns: %TRUE if the options are valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create_options_validate (HeroVirtDiskCreateOptions *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), FALSE);

#define FAIL(...)                                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, __VA_ARGS__);           \
    return FALSE;                                                                                  \
  }                                                                                                \
  G_STMT_END

  if (g_strcmp0 (self->format, "qcow2") != 0 && g_strcmp0 (self->format, "raw") != 0)
    FAIL ("Unsupported disk format “%s” (qcow2 or raw)", self->format ? self->format : "");
  if (self->size == 0 && self->backing_file == NULL)
    FAIL ("A disk needs a size (or a backing file to take it from)");
  if (self->size > ((guint64)1 << 55))
    FAIL ("A size of %" G_GUINT64_FORMAT " bytes is too large (at most 32 PiB)", self->size);
  if (self->size % 512 != 0)
    FAIL ("The size must be a multiple of 512 bytes");
  if (self->cluster_size != 0
      && (self->cluster_size < 512 || self->cluster_size > 2 * 1024 * 1024
          || (self->cluster_size & (self->cluster_size - 1)) != 0))
    FAIL ("Cluster size %u is not a power of two between 512 and 2097152", self->cluster_size);
  if (self->compat != NULL && strcmp (self->compat, "1.1") != 0
      && strcmp (self->compat, "0.10") != 0 && strcmp (self->compat, "v3") != 0
      && strcmp (self->compat, "v2") != 0)
    FAIL ("Unknown qcow2 compat level “%s” (1.1 or 0.10)", self->compat);
  if (self->lazy_refcounts && self->compat != NULL
      && (strcmp (self->compat, "0.10") == 0 || strcmp (self->compat, "v2") == 0))
    FAIL ("Lazy refcounts need qcow2 version 3 (compat 1.1)");
  if (g_strcmp0 (self->format, "raw") == 0
      && (self->backing_file != NULL || self->cluster_size != 0 || self->lazy_refcounts))
    FAIL ("Raw images have no backing file, cluster size or refcounts");
  if (self->backing_file != NULL
      && (*self->backing_file == '\0' || strchr (self->backing_file, '\n') != NULL))
    FAIL ("Invalid backing file name");
  if (self->backing_file != NULL && strlen (self->backing_file) > 1023)
    FAIL ("The backing file name is longer than 1023 bytes");
  if (self->backing_format != NULL && strcmp (self->backing_format, "qcow2") != 0
      && strcmp (self->backing_format, "raw") != 0)
    FAIL ("Unsupported backing format “%s” (qcow2 or raw)", self->backing_format);
#undef FAIL
  return TRUE;
}
