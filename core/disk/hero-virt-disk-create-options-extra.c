/* hero-virt-disk-create-options-extra.c: what the generated
 * DiskCreateOptions does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_disk_create_options_validate:
 * @self: a #HeroVirtDiskCreateOptions
 * @error: return location for a #GError
 *
 * Checks the options before anything is created: a known format, a size
 * (unless a backing file gives it), a cluster size that is a power of two
 * between 512 bytes and 2 MiB, a known qcow2 version, lazy refcounts only
 * with version 3, no backing file or cluster size for raw images, a
 * backing file name that is a plain path
 * ([func@HeroVirt.Disk.validate_path]).
 *
 * Returns: %TRUE if the options are valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_create_options_validate (HeroVirtDiskCreateOptions *self, GError **error)
{
  const char *format, *backing_file, *backing_format, *compat;
  guint64     size;
  guint       cluster_size;
  gboolean    lazy_refcounts;

  g_return_val_if_fail (HERO_VIRT_IS_DISK_CREATE_OPTIONS (self), FALSE);

  format = hero_virt_disk_create_options_get_format (self);
  size = hero_virt_disk_create_options_get_size (self);
  backing_file = hero_virt_disk_create_options_get_backing_file (self);
  backing_format = hero_virt_disk_create_options_get_backing_format (self);
  cluster_size = hero_virt_disk_create_options_get_cluster_size (self);
  compat = hero_virt_disk_create_options_get_compat (self);
  lazy_refcounts = hero_virt_disk_create_options_get_lazy_refcounts (self);

#define FAIL(...)                                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, __VA_ARGS__);           \
    return FALSE;                                                                                  \
  }                                                                                                \
  G_STMT_END

  if (g_strcmp0 (format, "qcow2") != 0 && g_strcmp0 (format, "raw") != 0)
    FAIL ("Unsupported disk format “%s” (qcow2 or raw)", format ? format : "");
  if (size == 0 && backing_file == NULL)
    FAIL ("A disk needs a size (or a backing file to take it from)");
  if (size > ((guint64)1 << 55))
    FAIL ("A size of %" G_GUINT64_FORMAT " bytes is too large (at most 32 PiB)", size);
  if (size % 512 != 0)
    FAIL ("The size must be a multiple of 512 bytes");
  if (cluster_size != 0
      && (cluster_size < 512 || cluster_size > 2 * 1024 * 1024
          || (cluster_size & (cluster_size - 1)) != 0))
    FAIL ("Cluster size %u is not a power of two between 512 and 2097152", cluster_size);
  if (compat != NULL && strcmp (compat, "1.1") != 0 && strcmp (compat, "0.10") != 0
      && strcmp (compat, "v3") != 0 && strcmp (compat, "v2") != 0)
    FAIL ("Unknown qcow2 compat level “%s” (1.1 or 0.10)", compat);
  if (lazy_refcounts && compat != NULL
      && (strcmp (compat, "0.10") == 0 || strcmp (compat, "v2") == 0))
    FAIL ("Lazy refcounts need qcow2 version 3 (compat 1.1)");
  if (g_strcmp0 (format, "raw") == 0
      && (backing_file != NULL || cluster_size != 0 || lazy_refcounts))
    FAIL ("Raw images have no backing file, cluster size or refcounts");
  if (backing_file != NULL && (*backing_file == '\0' || strchr (backing_file, '\n') != NULL))
    FAIL ("Invalid backing file name");
  if (backing_file != NULL && strlen (backing_file) > 1023)
    FAIL ("The backing file name is longer than 1023 bytes");
  if (backing_format != NULL && strcmp (backing_format, "qcow2") != 0
      && strcmp (backing_format, "raw") != 0)
    FAIL ("Unsupported backing format “%s” (qcow2 or raw)", backing_format);
#undef FAIL
  /* A backing name qemu-img would read as a protocol (json:, nbd:). */
  if (backing_file != NULL && !hero_virt_disk_validate_path (backing_file, error))
    return FALSE;
  return TRUE;
}
