/* herovirt-sparse-raw.c: a sample third-party HeroVirt plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A disk provider called "sparse-raw": raw images created with ftruncate()
 * (so they take no space until written), info in the same JSON shape as
 * `qemu-img info --output=json` gives for raw files, resize, a plain copy
 * as "convert" (raw to raw), and a trivially clean "check" (raw images have
 * no metadata). Raw images cannot hold internal snapshots, so the snapshot
 * vfuncs are left NULL, which HeroVirt reports as
 * HERO_VIRT_ERROR_NOT_SUPPORTED.
 *
 * It is built only against the installed headers and `pkg-config
 * hero-virt-1`: see meson.build next to this file.
 */
#define G_LOG_DOMAIN "HeroVirt-SparseRaw"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#define SAMPLE_TYPE_SPARSE_RAW (sample_sparse_raw_get_type ())
G_DECLARE_FINAL_TYPE (SampleSparseRaw, sample_sparse_raw, SAMPLE, SPARSE_RAW, GObject)

struct _SampleSparseRaw
{
  GObject parent_instance;
};

static void sample_sparse_raw_disk_provider_init (HeroVirtDiskProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (
    SampleSparseRaw,
    sample_sparse_raw,
    G_TYPE_OBJECT,
    G_TYPE_FLAG_FINAL,
    G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                   sample_sparse_raw_disk_provider_init))

/* The plugin works on files of this machine only. */
static gboolean
require_local (HeroVirtExecutor *executor, GError **error)
{
  if (hero_virt_executor_is_local (executor))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
               "sparse-raw only handles local files");
  return FALSE;
}

static gboolean
set_io_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, HERO_VIRT_ERROR,
               saved_errno == EEXIST   ? HERO_VIRT_ERROR_EXISTS
               : saved_errno == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND
                                       : HERO_VIRT_ERROR_IO,
               "Could not %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Asked once per executor: the files are opened by this process, so only
 * the local executor will do. */
static gboolean
sparse_raw_is_available (HeroVirtDiskProvider *provider,
                         HeroVirtExecutor     *executor,
                         GCancellable         *cancellable,
                         GError              **error)
{
  return require_local (executor, error);
}

static gboolean
sparse_raw_create (HeroVirtDiskProvider      *provider,
                   HeroVirtExecutor          *executor,
                   const char                *path,
                   HeroVirtDiskCreateOptions *options,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  const char *format = hero_virt_disk_create_options_get_format (options);
  guint64     size = hero_virt_disk_create_options_get_size (options);
  int         fd;

  if (!require_local (executor, error) || !hero_virt_disk_create_options_validate (options, error))
    return FALSE;
  if (format != NULL && !g_str_equal (format, "raw"))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "sparse-raw creates raw images only, not %s", format);
      return FALSE;
    }
  if (hero_virt_disk_create_options_get_backing_file (options) != NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "raw images cannot have a backing file");
      return FALSE;
    }
  if (size > G_MAXINT64)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Size %" G_GUINT64_FORMAT " is too large", size);
      return FALSE;
    }

  g_debug ("creating %s, %" G_GUINT64_FORMAT " bytes", path, size);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return set_io_error (error, errno, "create", path);
  if (ftruncate (fd, (off_t)size) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (path); /* nothing left behind on failure */
      return set_io_error (error, saved_errno, "size", path);
    }
  return g_close (fd, error);
}

/* The same members, in the same order, as qemu-img gives for a raw file. */
static HeroVirtDiskInfo *
sparse_raw_info (HeroVirtDiskProvider *provider,
                 HeroVirtExecutor     *executor,
                 const char           *path,
                 const char           *image_format,
                 HeroVirtDiskOpenFlags flags,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  GStatBuf st;

  if (!require_local (executor, error))
    return NULL;
  if (g_stat (path, &st) != 0)
    {
      set_io_error (error, errno, "read", path);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "%s is not a regular file", path);
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "virtual-size");
  json_builder_add_int_value (builder, st.st_size);
  json_builder_set_member_name (builder, "filename");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "raw");
  json_builder_set_member_name (builder, "actual-size");
  json_builder_add_int_value (builder, (gint64)st.st_blocks * 512);
  json_builder_set_member_name (builder, "dirty-flag");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return hero_virt_disk_info_new_from_json_node (root, error);
}

static gboolean
sparse_raw_resize (HeroVirtDiskProvider *provider,
                   HeroVirtExecutor     *executor,
                   const char           *path,
                   const char           *image_format,
                   HeroVirtDiskOpenFlags flags,
                   guint64               size,
                   gboolean              shrink,
                   GCancellable         *cancellable,
                   GError              **error)
{
  GStatBuf st;

  if (!require_local (executor, error))
    return FALSE;
  if (g_stat (path, &st) != 0)
    return set_io_error (error, errno, "read", path);
  if (size > G_MAXINT64 || (size < (guint64)st.st_size && !shrink))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   size > G_MAXINT64 ? "Size %" G_GUINT64_FORMAT " is too large"
                                     : "Shrinking to %" G_GUINT64_FORMAT " bytes loses data; "
                                       "pass shrink to allow it",
                   size);
      return FALSE;
    }
  g_debug ("resizing %s to %" G_GUINT64_FORMAT " bytes", path, size);
  if (truncate (path, (off_t)size) != 0)
    return set_io_error (error, errno, "resize", path);
  return TRUE;
}

/* Copies @in_fd to @out_fd leaving holes where the source reads as zeros,
 * so a copy of a sparse image stays sparse. */
static gboolean
copy_sparse (int in_fd, int out_fd, GCancellable *cancellable, GError **error)
{
  g_autofree char  *buffer = g_malloc (1 << 16);
  static const char zeros[1 << 12];
  off_t             offset = 0;

  for (;;)
    {
      ssize_t  n = read (in_fd, buffer, 1 << 16);
      gboolean hole = TRUE;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_io_error (error, errno, "read", "the source");
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (ssize_t i = 0; hole && i < n; i += sizeof zeros)
        hole = memcmp (buffer + i, zeros, MIN ((ssize_t)sizeof zeros, n - i)) == 0;
      if (!hole && pwrite (out_fd, buffer, n, offset) != n)
        return set_io_error (error, errno, "write", "the copy");
      offset += n;
    }
  if (ftruncate (out_fd, offset) != 0)
    return set_io_error (error, errno, "size", "the copy");
  return TRUE;
}

static gboolean
sparse_raw_convert (HeroVirtDiskProvider *provider,
                    HeroVirtExecutor     *executor,
                    const char           *path,
                    const char           *image_format,
                    HeroVirtDiskOpenFlags flags,
                    const char           *dest,
                    const char           *format,
                    gboolean              compress,
                    GCancellable         *cancellable,
                    GError              **error)
{
  int      in_fd, out_fd;
  gboolean ok;

  if (!require_local (executor, error))
    return FALSE;
  if (!g_str_equal (format, "raw") || compress)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "sparse-raw converts to uncompressed raw only");
      return FALSE;
    }
  g_debug ("copying %s to %s", path, dest);
  in_fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (in_fd < 0)
    return set_io_error (error, errno, "open", path);
  out_fd = g_open (dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out_fd < 0)
    {
      int saved_errno = errno;

      close (in_fd);
      return set_io_error (error, saved_errno, "create", dest);
    }
  ok = copy_sparse (in_fd, out_fd, cancellable, error);
  close (in_fd);
  if (!g_close (out_fd, ok ? error : NULL))
    ok = FALSE;
  if (!ok)
    g_unlink (dest);
  return ok;
}

/* A raw image has no metadata that could be inconsistent. */
static HeroVirtDiskCheckResult *
sparse_raw_check (HeroVirtDiskProvider *provider,
                  HeroVirtExecutor     *executor,
                  const char           *path,
                  const char           *image_format,
                  HeroVirtDiskOpenFlags flags,
                  GCancellable         *cancellable,
                  GError              **error)
{
  if (!require_local (executor, error))
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No image at %s", path);
      return NULL;
    }
  return hero_virt_disk_check_result_new_from_json ("{\"format\": \"raw\", \"check-errors\": 0}",
                                                    error);
}

static void
sample_sparse_raw_disk_provider_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = sparse_raw_is_available;
  iface->create = sparse_raw_create;
  iface->info = sparse_raw_info;
  iface->resize = sparse_raw_resize;
  iface->convert = sparse_raw_convert;
  iface->check = sparse_raw_check;
  /* snapshot_create/delete/apply stay NULL: raw has no snapshots. */
}

static void
sample_sparse_raw_class_init (SampleSparseRawClass *klass)
{
}

static void
sample_sparse_raw_class_finalize (SampleSparseRawClass *klass)
{
}

static void
sample_sparse_raw_init (SampleSparseRaw *self)
{
}

static gboolean
sample_register (HeroVirtPlugin *plugin, GError **error)
{
  sample_sparse_raw_register_type (G_TYPE_MODULE (plugin));
  /* A low priority: picked only by name (or HERO_VIRT_DISK=sparse-raw). */
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "sparse-raw",
                                 SAMPLE_TYPE_SPARSE_RAW, 10);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("sample",
                         "Sample third-party plugin: sparse raw disk images",
                         "1.0.0",
                         sample_register)
