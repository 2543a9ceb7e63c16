/* qcow2-provider.c: the "qcow2" disk provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every operation runs qemu-img through the disk's HeroVirtExecutor, so it
 * works the same on a remote host. When the executor is this machine, info
 * on a qcow2 file and creation of an empty qcow2 image are done natively
 * (qcow2-format.c): no process is spawned for them.
 *
 * Needs qemu-img: snapshots, resize, convert, check, creation of raw
 * images, info on other formats, and everything on a remote executor.
 */
#define G_LOG_DOMAIN "HeroVirt-Qcow2"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#include "qcow2-format.h"
#include "qcow2-info.h"
#include "qcow2-provider.h"

struct _HeroVirtQcow2Provider
{
  GObject parent_instance;
};

static void hero_virt_qcow2_provider_iface_init (HeroVirtDiskProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (HeroVirtQcow2Provider,
                                hero_virt_qcow2_provider,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               hero_virt_qcow2_provider_iface_init))

/* ---- running qemu-img ---- */

static HeroVirtCommand *
qemu_img (const char *subcommand)
{
  HeroVirtCommand *command = HERO_VIRT_COMMAND_NEW ("qemu-img");

  hero_virt_command_add_arg (command, subcommand);
  return command;
}

static gboolean
stderr_says_corrupt (const char *text)
{
  static const char *const patterns[] = { "Image is not in qcow2 format",
                                          "Unsupported qcow2",
                                          "Unsupported cluster size",
                                          "qcow2 header",
                                          "too large",
                                          "too big",
                                          "too small",
                                          "too short",
                                          "offset invalid",
                                          "Invalid backing file offset",
                                          "Header extension",
                                          "Too many snapshots",
                                          "Unsupported IMGFMT",
                                          "feature(s)",
                                          "reference count table",
                                          "corrupt",
                                          "Could not read snapshots",
                                          "Could not read L1",
                                          "compression type",
                                          NULL };

  for (guint i = 0; patterns[i] != NULL; i++)
    if (strstr (text, patterns[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A failed qemu-img run as an error: NOT_FOUND for a missing file,
 * CORRUPT when qemu-img refused the image's metadata, else
 * COMMAND_FAILED with the tool, status and stderr tail. */
static void
set_error_from_result (HeroVirtCommandResult *result, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  const char *text = hero_virt_command_result_get_stderr_text (result);
  int         code = HERO_VIRT_ERROR_COMMAND_FAILED;

  if (hero_virt_command_result_check (result, &local_error))
    g_set_error_literal (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                         "qemu-img failed");
  if (text == NULL)
    text = "";
  if (strstr (text, "No such file or directory") != NULL
      || strstr (text, "snapshot not found") != NULL)
    code = HERO_VIRT_ERROR_NOT_FOUND;
  else if (stderr_says_corrupt (text))
    code = HERO_VIRT_ERROR_CORRUPT;
  g_set_error_literal (error, HERO_VIRT_ERROR, code, local_error->message);
}

/* Runs @command; TRUE when it exited with one of @ok_statuses (0 when
 * NULL). */
static HeroVirtCommandResult *
run_checked (HeroVirtExecutor *executor,
             HeroVirtCommand  *command,
             const int        *ok_statuses,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr (HeroVirtCommandResult) result
      = hero_virt_executor_run (executor, command, cancellable, error);
  int status;

  if (result == NULL)
    return NULL;
  status = hero_virt_command_result_get_exit_status (result);
  if (hero_virt_command_result_get_term_signal (result) == 0)
    {
      if (ok_statuses == NULL && status == 0)
        return g_steal_pointer (&result);
      for (guint i = 0; ok_statuses != NULL && ok_statuses[i] >= 0; i++)
        if (status == ok_statuses[i])
          return g_steal_pointer (&result);
    }
  set_error_from_result (result, error);
  return NULL;
}

/* ---- reading an existing image safely ---- */

/* What is read of an image before anything else: its first cluster holds
 * every name it can refer to. */
#define HEAD_FIRST_READ (64 * 1024)
/* A backing chain deeper than this is refused. */
#define MAX_CHAIN_DEPTH 16

static const char *
default_format (const char *image_format)
{
  return image_format != NULL ? image_format : "qcow2";
}

static gboolean
check_image_format (const char *format, GError **error)
{
  if (g_strcmp0 (format, "qcow2") != 0 && g_strcmp0 (format, "raw") != 0)
    return hero_virt_set_invalid_argument (error, "disk format", format,
                                           "an existing image is read as qcow2 or raw");
  return TRUE;
}

/* Opens a local file without blocking on a FIFO or a device (O_NONBLOCK),
 * and refuses anything but a regular file. */
static int
open_local (const char *path, GError **error)
{
  struct stat st;
  int         fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, HERO_VIRT_ERROR,
                   saved_errno == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND : HERO_VIRT_ERROR_IO,
                   "Could not open “%s”: %s", path, g_strerror (saved_errno));
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      close (fd);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not stat “%s”: %s", path,
                   g_strerror (saved_errno));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      hero_virt_set_invalid_argument (error, "disk path", path, "it is not a regular file");
      return -1;
    }
  /* Regular files ignore O_NONBLOCK; clear it anyway for plain reads. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* The type and size of a file on the executor's host, without opening it
 * (so a FIFO cannot block): `stat -c` through the executor. */
static gboolean
remote_stat (HeroVirtExecutor *executor,
             const char       *path,
             gboolean          follow,
             char            **out_type,
             guint64          *out_size,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr (HeroVirtCommand) command = HERO_VIRT_COMMAND_NEW ("stat");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *text, *sep;

  if (follow)
    hero_virt_command_add_arg (command, "-L");
  hero_virt_command_add_args (command, "--printf=%s %F", "--", path, NULL);
  result = run_checked (executor, command, NULL, cancellable, error);
  if (result == NULL)
    return FALSE;
  text = hero_virt_command_result_get_stdout_text (result);
  sep = text != NULL ? strchr (text, ' ') : NULL;
  if (sep == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "Could not read what stat says about “%s”", path);
      return FALSE;
    }
  *out_size = g_ascii_strtoull (text, NULL, 10);
  *out_type = g_strdup (sep + 1);
  return TRUE;
}

/* The first @want bytes of the regular file @path (fewer if it is
 * shorter) and its size. Anything but a regular file (a FIFO, a device, a
 * directory) is INVALID_ARGUMENT, found without blocking. */
static GBytes *
read_head (HeroVirtExecutor *executor,
           const char       *path,
           gsize             want,
           guint64          *out_size,
           GCancellable     *cancellable,
           GError          **error)
{
  if (hero_virt_executor_is_local (executor))
    {
      g_autofree guint8 *buf = NULL;
      struct stat        st;
      gsize              done = 0;
      int                fd = open_local (path, error);

      if (fd < 0)
        return NULL;
      if (fstat (fd, &st) != 0)
        st.st_size = 0;
      want = MIN (want, (gsize)st.st_size);
      buf = g_malloc (MAX (want, 1));
      while (done < want)
        {
          ssize_t n = pread (fd, buf + done, want - done, (off_t)done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              int saved_errno = errno;
              close (fd);
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not read “%s”: %s",
                           path, g_strerror (saved_errno));
              return NULL;
            }
          if (n == 0)
            break;
          done += n;
        }
      close (fd);
      *out_size = (guint64)st.st_size;
      return g_bytes_new_take (g_steal_pointer (&buf), done);
    }
  else
    {
      g_autoptr (HeroVirtCommand) command = NULL;
      g_autoptr (HeroVirtCommandResult) result = NULL;
      g_autofree char *type = NULL;

      if (!remote_stat (executor, path, TRUE, &type, out_size, cancellable, error))
        return NULL;
      if (!g_str_has_prefix (type, "regular"))
        {
          hero_virt_set_invalid_argument (error, "disk path", path, "it is not a regular file");
          return NULL;
        }
      want = MIN (want, *out_size);
      if (want == 0)
        return g_bytes_new (NULL, 0);
      command = HERO_VIRT_COMMAND_NEW ("head");
      hero_virt_command_add_arg (command, "-c");
      hero_virt_command_add_arg_printf (command, "%" G_GSIZE_FORMAT, want);
      hero_virt_command_add_args (command, "--", path, NULL);
      result = run_checked (executor, command, NULL, cancellable, error);
      if (result == NULL)
        return NULL;
      return g_bytes_ref (hero_virt_command_result_get_stdout (result));
    }
}

static gboolean check_refs (HeroVirtExecutor     *executor,
                            const char           *path,
                            const char           *format,
                            HeroVirtDiskOpenFlags flags,
                            guint                 depth,
                            GCancellable         *cancellable,
                            GError              **error);

/* The backing file @name recorded in @path, in @format: a plain path, not
 * the image itself, checked like the image. */
static gboolean
check_backing (HeroVirtExecutor     *executor,
               const char           *path,
               const char           *name,
               const char           *format,
               HeroVirtDiskOpenFlags flags,
               guint                 depth,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autofree char *full = NULL;

  if (!hero_virt_disk_validate_path (name, error))
    {
      g_prefix_error (error, "The backing file of “%s”: ", path);
      return FALSE;
    }
  if (format == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” records no format for its backing file, and it is never probed", path);
      return FALSE;
    }
  if (!check_image_format (format, error))
    {
      g_prefix_error (error, "The backing file of “%s”: ", path);
      return FALSE;
    }
  if (depth >= MAX_CHAIN_DEPTH)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The backing chain of “%s” is deeper than %u images", path, MAX_CHAIN_DEPTH);
      return FALSE;
    }
  full = qcow2_full_backing_filename (path, name);
  if (strcmp (full, path) == 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” is its own backing file", path);
      return FALSE;
    }
  return check_refs (executor, full, format, flags, depth + 1, cancellable, error);
}

/* Reads the image's header (never trusting its bytes for the format) and
 * refuses the files it names unless @flags allow them: a backing file (its
 * format recorded, its name a plain path, itself checked the same way)
 * and an external data file. A raw image names nothing. */
static gboolean
check_refs (HeroVirtExecutor     *executor,
            const char           *path,
            const char           *format,
            HeroVirtDiskOpenFlags flags,
            guint                 depth,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr (GBytes) head = NULL;
  g_autofree char *message = NULL;
  Qcow2Refs        refs = {
           0,
  };
  guint64     size = 0;
  gsize       needed = 0;
  Qcow2Status status;
  gboolean    ok = FALSE;

  if (!hero_virt_disk_validate_path (path, error) || !check_image_format (format, error))
    return FALSE;
  head = read_head (executor, path, HEAD_FIRST_READ, &size, cancellable, error);
  if (head == NULL)
    return FALSE;
  if (strcmp (format, "raw") == 0)
    return TRUE;

  status = qcow2_scan_refs (g_bytes_get_data (head, NULL), g_bytes_get_size (head), size, &refs,
                            &needed, &message);
  if (status == QCOW2_STATUS_OK && needed > g_bytes_get_size (head))
    {
      g_clear_pointer (&head, g_bytes_unref);
      head = read_head (executor, path, needed, &size, cancellable, error);
      if (head == NULL)
        return FALSE;
      status = qcow2_scan_refs (g_bytes_get_data (head, NULL), g_bytes_get_size (head), size, &refs,
                                &needed, &message);
      if (status == QCOW2_STATUS_OK && needed > g_bytes_get_size (head))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "“%s” changed while it was read",
                       path);
          goto out;
        }
    }
  switch (status)
    {
    case QCOW2_STATUS_OK:
      break;
    case QCOW2_STATUS_NOT_QCOW2:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a qcow2 image (its format is never guessed: state it, such as "
                   "format=raw)",
                   path);
      goto out;
    default:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "“%s” is not a valid qcow2 image: %s", path, message ? message : "bad header");
      goto out;
    }

  if (refs.has_data_file)
    {
      g_autofree char *full = NULL;
      g_autoptr (GBytes) data_head = NULL;
      guint64 data_size;

      if (!(flags & HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE))
        {
          g_autofree char *what = g_strdup_printf ("image “%s” with the external data file", path);
          hero_virt_set_invalid_argument (error, what, refs.data_file ? refs.data_file : "",
                                          "external data files are refused unless the disk "
                                          "allows them (allow-data-file)");
          goto out;
        }
      if (refs.data_file == NULL || *refs.data_file == '\0')
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "“%s” needs an external data file but names none", path);
          goto out;
        }
      if (!hero_virt_disk_validate_path (refs.data_file, error))
        {
          g_prefix_error (error, "The data file of “%s”: ", path);
          goto out;
        }
      full = qcow2_full_backing_filename (path, refs.data_file);
      data_head = read_head (executor, full, 0, &data_size, cancellable, error);
      if (data_head == NULL)
        goto out;
    }

  if (refs.has_backing_file)
    {
      if (!(flags & HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE))
        {
          g_autofree char *what = g_strdup_printf ("image “%s” with the backing file", path);
          hero_virt_set_invalid_argument (error, what, refs.backing_file,
                                          "backing files are refused unless the disk allows "
                                          "them (allow-backing-file)");
          goto out;
        }
      if (!check_backing (executor, path, refs.backing_file, refs.backing_format, flags, depth,
                          cancellable, error))
        goto out;
    }
  ok = TRUE;

out:
  qcow2_refs_clear (&refs);
  return ok;
}

/* qemu-img's own reading of the image agrees: the stated format, and no
 * backing or data file the flags do not allow. */
static gboolean
double_check (HeroVirtDiskInfo     *info,
              const char           *path,
              const char           *format,
              HeroVirtDiskOpenFlags flags,
              GError              **error)
{
  JsonNode   *root = hero_virt_disk_info_get_json_node (info);
  JsonObject *object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *specific = NULL, *data = NULL;
  const char *backing = hero_virt_disk_info_get_backing_filename (info);

  if (g_strcmp0 (hero_virt_disk_info_get_format (info), format) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "qemu-img reads “%s” as %s, not %s", path, hero_virt_disk_info_get_format (info),
                   format);
      return FALSE;
    }
  if (backing != NULL && !(flags & HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE))
    {
      g_autofree char *what = g_strdup_printf ("image “%s” with the backing file", path);
      return hero_virt_set_invalid_argument (error, what, backing,
                                             "backing files are refused unless the disk allows "
                                             "them (allow-backing-file)");
    }
  if (backing != NULL && !hero_virt_disk_validate_path (backing, error))
    return FALSE;
  if (object != NULL && json_object_has_member (object, "format-specific"))
    {
      JsonNode *n = json_object_get_member (object, "format-specific");
      specific = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  if (specific != NULL && json_object_has_member (specific, "data"))
    {
      JsonNode *n = json_object_get_member (specific, "data");
      data = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  if (data != NULL && json_object_has_member (data, "data-file")
      && !(flags & HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "qemu-img says “%s” has an external data file; it is refused unless the disk "
                   "allows it (allow-data-file)",
                   path);
      return FALSE;
    }
  return TRUE;
}

/* ---- info ---- */

static HeroVirtDiskInfo *
info_with_qemu_img (HeroVirtExecutor *executor,
                    const char       *path,
                    const char       *format,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr (HeroVirtCommand) command = qemu_img ("info");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  /* -U: a running VM holds the image's lock; reading is still safe.
   * -f: the format is stated, never probed. info opens no backing file. */
  hero_virt_command_add_args (command, "-U", "-f", format, "--output=json", "--", path, NULL);
  result = run_checked (executor, command, NULL, cancellable, error);
  if (result == NULL)
    return NULL;
  return hero_virt_disk_info_new_from_json (hero_virt_command_result_get_stdout_text (result),
                                            error);
}

/* Parses a local file. Returns QCOW2_STATUS_OK with @out_image set,
 * NOT_QCOW2/UNSUPPORTED (the caller asks qemu-img), or sets @error. */
static Qcow2Status
parse_local (const char *path, int fd, Qcow2Image **out_image, GError **error)
{
  g_autofree char *message = NULL;
  Qcow2Status      status = qcow2_image_parse_fd (fd, out_image, &message);

  switch (status)
    {
    case QCOW2_STATUS_OK:
      if (qcow2_image_needs_qemu (*out_image))
        {
          g_clear_pointer (out_image, qcow2_image_free);
          return QCOW2_STATUS_UNSUPPORTED;
        }
      return status;
    case QCOW2_STATUS_NOT_QCOW2:
    case QCOW2_STATUS_UNSUPPORTED:
      return status;
    case QCOW2_STATUS_CORRUPT:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "“%s” is not a valid qcow2 image: %s", path, message);
      return status;
    case QCOW2_STATUS_IO:
    default:
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not read “%s”: %s", path,
                   message ? message : "I/O error");
      return QCOW2_STATUS_IO;
    }
}

/* The native fast path: NULL with no error means "not for us". */
static HeroVirtDiskInfo *
info_native (const char *path, GError **error)
{
  g_autoptr (Qcow2Image) image = NULL;
  g_autoptr (JsonNode) node = NULL;
  struct stat st;
  int         fd;
  Qcow2Status status;

  fd = open_local (path, error);
  if (fd < 0)
    return NULL;
  status = parse_local (path, fd, &image, error);
  if (status == QCOW2_STATUS_OK && fstat (fd, &st) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not stat “%s”: %s", path,
                   g_strerror (errno));
      status = QCOW2_STATUS_IO;
    }
  close (fd);
  if (status != QCOW2_STATUS_OK)
    return NULL;

  node = qcow2_info_to_json (image, path, (gint64)st.st_blocks * 512);
  return hero_virt_disk_info_new_from_json_node (node, error);
}

/* Opens an existing image the safe way: its stated format, its header
 * read first (check_refs), then its info, natively for a local qcow2 file
 * unless @need_qemu, else from qemu-img's JSON, which is checked again. */
static HeroVirtDiskInfo *
open_image (HeroVirtExecutor     *executor,
            const char           *path,
            const char           *image_format,
            HeroVirtDiskOpenFlags flags,
            gboolean              need_qemu,
            GCancellable         *cancellable,
            GError              **error)
{
  const char *format = default_format (image_format);
  g_autoptr (HeroVirtDiskInfo) info = NULL;

  if (!check_refs (executor, path, format, flags, 0, cancellable, error))
    return NULL;
  if (!need_qemu && strcmp (format, "qcow2") == 0 && hero_virt_executor_is_local (executor))
    {
      GError *local_error = NULL;

      info = info_native (path, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (info != NULL)
        return g_steal_pointer (&info);
      g_debug ("“%s” is not plain qcow2; asking qemu-img", path);
    }
  info = info_with_qemu_img (executor, path, format, cancellable, error);
  if (info == NULL || !double_check (info, path, format, flags, error))
    return NULL;
  return g_steal_pointer (&info);
}

static HeroVirtDiskInfo *
hero_virt_qcow2_provider_info (HeroVirtDiskProvider *provider,
                               HeroVirtExecutor     *executor,
                               const char           *path,
                               const char           *image_format,
                               HeroVirtDiskOpenFlags flags,
                               GCancellable         *cancellable,
                               GError              **error)
{
  return open_image (executor, path, image_format, flags, FALSE, cancellable, error);
}

/* ---- files that must not be clobbered ---- */

static gboolean
path_exists (HeroVirtExecutor *executor,
             const char       *path,
             gboolean         *out_exists,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *type = NULL;
  guint64          size;
  struct stat      st;

  if (hero_virt_executor_is_local (executor))
    {
      *out_exists = g_lstat (path, &st) == 0;
      return TRUE;
    }
  /* On a remote host, stat (not following a symlink, opening nothing). */
  if (remote_stat (executor, path, FALSE, &type, &size, cancellable, &local_error))
    {
      *out_exists = TRUE;
      return TRUE;
    }
  if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_exists = FALSE;
  return TRUE;
}

static gboolean
refuse_existing (HeroVirtExecutor *executor,
                 const char       *path,
                 GCancellable     *cancellable,
                 GError          **error)
{
  gboolean exists = FALSE;

  if (!path_exists (executor, path, &exists, cancellable, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "“%s” already exists", path);
      return FALSE;
    }
  return TRUE;
}

/* A fresh empty file next to @path, to be filled and then published with
 * publish_temp(). Same directory, so relative backing names resolve the
 * same way and link() cannot cross file systems. */
static char *
make_temp (const char *path, int *out_fd, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.XXXXXX.tmp", dir, base);
  int              fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0666);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, HERO_VIRT_ERROR,
                   saved_errno == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND : HERO_VIRT_ERROR_IO,
                   "Could not create a file in “%s”: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  *out_fd = fd;
  return g_steal_pointer (&tmpl);
}

static void
fsync_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int              fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Gives the finished temp file its name, never replacing a file that
 * appeared there meanwhile (link() fails with EEXIST). The temp name is
 * removed either way. */
static gboolean
publish_temp (const char *temp, const char *path, GError **error)
{
  int saved_errno = 0;

  if (link (temp, path) != 0)
    saved_errno = errno;
  g_unlink (temp);
  if (saved_errno != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR,
                   saved_errno == EEXIST ? HERO_VIRT_ERROR_EXISTS : HERO_VIRT_ERROR_IO,
                   saved_errno == EEXIST ? "“%s” already exists" : "Could not create “%s”: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  fsync_dir (path);
  return TRUE;
}

/* ---- create ---- */

typedef struct
{
  char   *full_backing;   /* backing file resolved against the image */
  char   *backing_format; /* given or probed */
  guint64 backing_size;
} Backing;

static void
backing_clear (Backing *b)
{
  g_free (b->full_backing);
  g_free (b->backing_format);
}

/* Checks the backing file of a new overlay: a plain path, in the stated
 * format (qcow2 when not given, never probed), naming nothing unsafe down
 * its own chain (check_refs); its size is the default size. */
static gboolean
inspect_backing (HeroVirtExecutor *executor,
                 const char       *path,
                 const char       *backing_file,
                 const char       *backing_format,
                 Backing          *out,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr (GError) local_error = NULL;
  const char *format = default_format (backing_format);

  out->full_backing = qcow2_full_backing_filename (path, backing_file);
  out->backing_format = g_strdup (format);
  if (!hero_virt_disk_validate_path (backing_file, error))
    return FALSE;
  /* Creating an overlay is asking for a backing file; the backing file's
   * own chain is held to the same rules as any allowed chain. */
  if (!check_refs (executor, out->full_backing, format, HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE, 1,
                   cancellable, &local_error))
    {
      if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT)
          && strstr (local_error->message, "is not a qcow2 image") != NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The backing file “%s” is not a qcow2 image (give its format, such as raw)",
                       out->full_backing);
          return FALSE;
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Backing file: ");
      return FALSE;
    }

  if (hero_virt_executor_is_local (executor))
    {
      g_autoptr (Qcow2Image) image = NULL;
      struct stat st;
      Qcow2Status status = QCOW2_STATUS_NOT_QCOW2;
      int         fd = open_local (out->full_backing, &local_error);

      if (fd < 0)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Backing file: ");
          return FALSE;
        }
      if (strcmp (format, "qcow2") == 0)
        status = parse_local (out->full_backing, fd, &image, &local_error);
      if (fstat (fd, &st) != 0)
        status = QCOW2_STATUS_IO;
      close (fd);
      if (strcmp (format, "raw") == 0 && status != QCOW2_STATUS_IO)
        {
          /* QEMU's raw driver counts whole sectors, rounding up. */
          out->backing_size = ((guint64)st.st_size + 511) & ~G_GUINT64_CONSTANT (511);
          return TRUE;
        }
      switch (status)
        {
        case QCOW2_STATUS_OK:
          out->backing_size = image->size & ~G_GUINT64_CONSTANT (511);
          return TRUE;
        case QCOW2_STATUS_UNSUPPORTED:
          out->backing_size = 0; /* qemu-img will read it */
          return TRUE;
        default:
          if (local_error == NULL)
            g_set_error (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not read “%s”",
                         out->full_backing);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Backing file: ");
          return FALSE;
        }
    }
  else
    {
      g_autoptr (HeroVirtDiskInfo) info
          = info_with_qemu_img (executor, out->full_backing, format, cancellable, error);

      if (info == NULL)
        {
          g_prefix_error (error, "Backing file: ");
          return FALSE;
        }
      out->backing_size = hero_virt_disk_info_get_virtual_size (info);
      return TRUE;
    }
}

static guint32
cluster_bits_for (guint cluster_size)
{
  return cluster_size == 0 ? 16 : (guint32)g_bit_nth_lsf (cluster_size, -1);
}

static gboolean
is_v2 (const char *compat)
{
  return compat != NULL && (strcmp (compat, "0.10") == 0 || strcmp (compat, "v2") == 0);
}

static gboolean
create_native (const char                *path,
               HeroVirtDiskCreateOptions *options,
               const Backing             *backing,
               GError                   **error)
{
  Qcow2CreateParams params = {
    0,
  };
  g_autofree char *message = NULL;
  g_autofree char *temp = NULL;
  gboolean         invalid = FALSE;
  int              fd = -1;

  params.version = is_v2 (hero_virt_disk_create_options_get_compat (options)) ? 2 : 3;
  params.cluster_bits = cluster_bits_for (hero_virt_disk_create_options_get_cluster_size (options));
  params.size = hero_virt_disk_create_options_get_size (options);
  params.lazy_refcounts = hero_virt_disk_create_options_get_lazy_refcounts (options);
  params.backing_file = hero_virt_disk_create_options_get_backing_file (options);
  params.backing_format = backing->backing_format;
  if (params.size == 0)
    params.size = backing->backing_size;

  if (!qcow2_create_check (&params, &message))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "%s", message);
      return FALSE;
    }
  temp = make_temp (path, &fd, error);
  if (temp == NULL)
    return FALSE;
  g_debug ("creating “%s” natively (v%u, %u-byte clusters, %" G_GUINT64_FORMAT " bytes)", path,
           params.version, 1u << params.cluster_bits, params.size);
  if (!qcow2_create_write (&params, fd, &invalid, &message) || fsync (fd) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR,
                   invalid ? HERO_VIRT_ERROR_INVALID_ARGUMENT : HERO_VIRT_ERROR_IO, "%s",
                   message ? message : g_strerror (errno));
      close (fd);
      g_unlink (temp);
      return FALSE;
    }
  close (fd);
  return publish_temp (temp, path, error);
}

static HeroVirtCommand *
create_command (HeroVirtDiskCreateOptions *options, const Backing *backing, const char *target)
{
  HeroVirtCommand *command = qemu_img ("create");
  const char      *format = hero_virt_disk_create_options_get_format (options);
  const char      *backing_file = hero_virt_disk_create_options_get_backing_file (options);
  guint64          size = hero_virt_disk_create_options_get_size (options);
  g_autoptr (GString) opts = g_string_new (NULL);

  hero_virt_command_add_args (command, "-q", "-f", format, NULL);
  if (backing_file != NULL)
    hero_virt_command_add_args (command, "-b", backing_file, "-F", backing->backing_format, NULL);
  if (strcmp (format, "qcow2") == 0)
    {
      guint cluster_size = hero_virt_disk_create_options_get_cluster_size (options);

      g_string_append_printf (opts, "compat=%s",
                              is_v2 (hero_virt_disk_create_options_get_compat (options)) ? "0.10"
                                                                                         : "1.1");
      if (cluster_size != 0)
        g_string_append_printf (opts, ",cluster_size=%u", cluster_size);
      if (hero_virt_disk_create_options_get_lazy_refcounts (options))
        g_string_append (opts, ",lazy_refcounts=on");
      hero_virt_command_add_args (command, "-o", opts->str, NULL);
    }
  hero_virt_command_add_args (command, "--", target, NULL);
  if (size != 0)
    hero_virt_command_add_arg_printf (command, "%" G_GUINT64_FORMAT, size);
  return command;
}

static gboolean
create_with_qemu_img (HeroVirtExecutor          *executor,
                      const char                *path,
                      HeroVirtDiskCreateOptions *options,
                      const Backing             *backing,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *temp = NULL;
  int              fd;

  if (!hero_virt_executor_is_local (executor))
    {
      /* Checked just before; qemu-img itself would overwrite. */
      command = create_command (options, backing, path);
      result = run_checked (executor, command, NULL, cancellable, error);
      return result != NULL;
    }

  temp = make_temp (path, &fd, error);
  if (temp == NULL)
    return FALSE;
  close (fd);
  command = create_command (options, backing, temp);
  result = run_checked (executor, command, NULL, cancellable, error);
  if (result == NULL)
    {
      g_unlink (temp);
      return FALSE;
    }
  return publish_temp (temp, path, error);
}

static gboolean
hero_virt_qcow2_provider_create (HeroVirtDiskProvider      *provider,
                                 HeroVirtExecutor          *executor,
                                 const char                *path,
                                 HeroVirtDiskCreateOptions *options,
                                 GCancellable              *cancellable,
                                 GError                   **error)
{
  const char *format = hero_virt_disk_create_options_get_format (options);
  const char *backing_file = hero_virt_disk_create_options_get_backing_file (options);
  const char *backing_format = hero_virt_disk_create_options_get_backing_format (options);
  gboolean    local = hero_virt_executor_is_local (executor);
  Backing     backing = {
        NULL,
  };
  gboolean ok = FALSE;

  if (!hero_virt_disk_create_options_validate (options, error)
      || !hero_virt_disk_validate_path (path, error))
    return FALSE;
  if (!refuse_existing (executor, path, cancellable, error))
    return FALSE;
  if (backing_file != NULL)
    {
      g_autofree char *full = qcow2_full_backing_filename (path, backing_file);

      if (strcmp (full, path) == 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "An image cannot be its own backing file");
          return FALSE;
        }
      if (!inspect_backing (executor, path, backing_file, backing_format, &backing, cancellable,
                            error))
        goto out;
    }

  if (local && strcmp (format, "qcow2") == 0
      && (hero_virt_disk_create_options_get_size (options) != 0 || backing.backing_size != 0))
    ok = create_native (path, options, &backing, error);
  else
    ok = create_with_qemu_img (executor, path, options, &backing, cancellable, error);

out:
  backing_clear (&backing);
  return ok;
}

/* ---- snapshots ---- */

/* qemu-img snapshot takes no -f: the image is given as options, with its
 * format stated and its file name escaped for the option syntax (a comma
 * is doubled), so nothing is probed or read as a protocol. */
static char *
image_opts (const char *format, const char *path)
{
  g_autoptr (GString) opts = g_string_new (NULL);

  g_string_append_printf (opts, "driver=%s,file.driver=file,file.filename=", format);
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append_c (opts, ',');
      g_string_append_c (opts, *p);
    }
  return g_string_free (g_steal_pointer (&opts), FALSE);
}

static gboolean
snapshot_op (HeroVirtExecutor     *executor,
             const char           *path,
             const char           *image_format,
             HeroVirtDiskOpenFlags flags,
             const char           *flag,
             const char           *name,
             gboolean              must_exist,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  HeroVirtDiskSnapshot *existing;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *opts = NULL;
  const char      *format = default_format (image_format);

  if (!hero_virt_validate_snapshot_name (name, error))
    return FALSE;
  if (strcmp (format, "qcow2") != 0)
    {
      if (!check_image_format (format, error))
        return FALSE;
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "“%s” is a %s image; internal snapshots need qcow2", path, format);
      return FALSE;
    }
  info = open_image (executor, path, format, flags, FALSE, cancellable, error);
  if (info == NULL)
    return FALSE;
  existing = hero_virt_disk_info_find_snapshot (info, name);
  if (must_exist && existing == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "“%s” has no snapshot called “%s”", path, name);
      return FALSE;
    }
  if (!must_exist && existing != NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS,
                   "“%s” already has a snapshot called “%s”", path, name);
      return FALSE;
    }

  opts = image_opts (format, path);
  command = qemu_img ("snapshot");
  hero_virt_command_add_args (command, "-q", flag, name, "--image-opts", "--", opts, NULL);
  result = run_checked (executor, command, NULL, cancellable, error);
  return result != NULL;
}

static gboolean
hero_virt_qcow2_provider_snapshot_create (HeroVirtDiskProvider *provider,
                                          HeroVirtExecutor     *executor,
                                          const char           *path,
                                          const char           *image_format,
                                          HeroVirtDiskOpenFlags flags,
                                          const char           *name,
                                          GCancellable         *cancellable,
                                          GError              **error)
{
  return snapshot_op (executor, path, image_format, flags, "-c", name, FALSE, cancellable, error);
}

static gboolean
hero_virt_qcow2_provider_snapshot_delete (HeroVirtDiskProvider *provider,
                                          HeroVirtExecutor     *executor,
                                          const char           *path,
                                          const char           *image_format,
                                          HeroVirtDiskOpenFlags flags,
                                          const char           *name,
                                          GCancellable         *cancellable,
                                          GError              **error)
{
  return snapshot_op (executor, path, image_format, flags, "-d", name, TRUE, cancellable, error);
}

static gboolean
hero_virt_qcow2_provider_snapshot_apply (HeroVirtDiskProvider *provider,
                                         HeroVirtExecutor     *executor,
                                         const char           *path,
                                         const char           *image_format,
                                         HeroVirtDiskOpenFlags flags,
                                         const char           *name,
                                         GCancellable         *cancellable,
                                         GError              **error)
{
  return snapshot_op (executor, path, image_format, flags, "-a", name, TRUE, cancellable, error);
}

/* ---- resize, convert, check ---- */

static gboolean
hero_virt_qcow2_provider_resize (HeroVirtDiskProvider *provider,
                                 HeroVirtExecutor     *executor,
                                 const char           *path,
                                 const char           *image_format,
                                 HeroVirtDiskOpenFlags flags,
                                 guint64               size,
                                 gboolean              shrink,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  const char *format = default_format (image_format);
  guint64     current;

  if (size == 0 || size % 512 != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The new size must be a positive multiple of 512 bytes");
      return FALSE;
    }
  info = open_image (executor, path, format, flags, TRUE, cancellable, error);
  if (info == NULL)
    return FALSE;
  current = hero_virt_disk_info_get_virtual_size (info);
  if (size < current && !shrink)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Shrinking “%s” from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                   " bytes would lose data; pass shrink=TRUE to allow it",
                   path, current, size);
      return FALSE;
    }
  if (size == current)
    return TRUE;

  /* The format is the stated one, never probed: a raw image could hold
   * any header. */
  command = qemu_img ("resize");
  hero_virt_command_add_args (command, "-q", "-f", format, NULL);
  if (size < current)
    hero_virt_command_add_arg (command, "--shrink");
  hero_virt_command_add_args (command, "--", path, NULL);
  hero_virt_command_add_arg_printf (command, "%" G_GUINT64_FORMAT, size);
  result = run_checked (executor, command, NULL, cancellable, error);
  return result != NULL;
}

static gboolean
hero_virt_qcow2_provider_convert (HeroVirtDiskProvider *provider,
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
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *temp = NULL;
  const char      *source_format = default_format (image_format);
  gboolean         local = hero_virt_executor_is_local (executor);
  int              fd;

  if (compress && strcmp (format, "qcow2") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Compression is only supported for qcow2 output");
      return FALSE;
    }
  if (g_strcmp0 (path, dest) == 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The source and destination are the same file");
      return FALSE;
    }
  if (!hero_virt_disk_validate_path (dest, error))
    return FALSE;
  info = open_image (executor, path, source_format, flags, TRUE, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (!refuse_existing (executor, dest, cancellable, error))
    return FALSE;
  /* qemu-img writes a temp file beside @dest, published only once it
   * succeeded: a qemu-img that fails or is killed leaves no partial
   * @dest (here the temp file is removed; on another host too, by the
   * executor). */
  if (local)
    {
      temp = make_temp (dest, &fd, error);
      if (temp == NULL)
        return FALSE;
      close (fd);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (dest);
      g_autofree char *base = g_path_get_basename (dest);

      temp = g_strdup_printf ("%s/.%s.%08x%08x.tmp", dir, base, g_random_int (), g_random_int ());
    }

  command = qemu_img ("convert");
  hero_virt_command_add_args (command, "-f", source_format, "-O", format, NULL);
  if (compress)
    hero_virt_command_add_arg (command, "-c");
  hero_virt_command_add_args (command, "--", path, temp, NULL);
  result = run_checked (executor, command, NULL, cancellable, error);
  if (result == NULL)
    {
      if (local)
        g_unlink (temp);
      else
        hero_virt_executor_remove_path (executor, temp, NULL, NULL);
      return FALSE;
    }
  if (!local)
    {
      /* ln, not mv: it never replaces a @dest made meanwhile. */
      g_autoptr (HeroVirtCommand) link_command = hero_virt_command_new ("ln");
      g_autoptr (HeroVirtCommandResult) linked = NULL;

      hero_virt_command_add_args (link_command, "--", temp, dest, NULL);
      linked = run_checked (executor, link_command, NULL, cancellable, error);
      hero_virt_executor_remove_path (executor, temp, NULL, NULL);
      return linked != NULL;
    }
  return publish_temp (temp, dest, error);
}

static HeroVirtDiskCheckResult *
hero_virt_qcow2_provider_check (HeroVirtDiskProvider *provider,
                                HeroVirtExecutor     *executor,
                                const char           *path,
                                const char           *image_format,
                                HeroVirtDiskOpenFlags flags,
                                GCancellable         *cancellable,
                                GError              **error)
{
  /* 2: corruptions found, 3: leaks found; the report is still printed. */
  static const int ok_statuses[] = { 0, 2, 3, -1 };
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *format = default_format (image_format);

  /* What the image names is checked first, always. Metadata qemu-img's
   * info (or the native reader) refuses may still be checked: only a
   * corrupt image gets past here. */
  if (!check_refs (executor, path, format, flags, 0, cancellable, error))
    return NULL;
  info = open_image (executor, path, format, flags, TRUE, cancellable, &local_error);
  if (info == NULL && !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  command = qemu_img ("check");
  hero_virt_command_add_args (command, "-U", "--output=json", "-f", format, "--", path, NULL);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  if (result == NULL)
    return NULL;
  if (hero_virt_command_result_get_term_signal (result) == 0
      && hero_virt_command_result_get_exit_status (result) == 63)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "%s images cannot be checked", format);
      return NULL;
    }
  for (guint i = 0; ok_statuses[i] >= 0; i++)
    if (hero_virt_command_result_get_term_signal (result) == 0
        && hero_virt_command_result_get_exit_status (result) == ok_statuses[i])
      return hero_virt_disk_check_result_new_from_json (
          hero_virt_command_result_get_stdout_text (result), error);
  set_error_from_result (result, error);
  return NULL;
}

/* The native reader and writer work on any local file, so the provider is
 * always usable on this machine (operations that need qemu-img fail with
 * HERO_VIRT_ERROR_UNAVAILABLE when it is missing); on another host every
 * operation runs qemu-img, which must be there. */
static gboolean
hero_virt_qcow2_provider_is_available (HeroVirtDiskProvider *provider,
                                       HeroVirtExecutor     *executor,
                                       GCancellable         *cancellable,
                                       GError              **error)
{
  g_autofree char *path = NULL;

  if (hero_virt_executor_is_local (executor))
    return TRUE;
  path = hero_virt_executor_find_program (executor, "qemu-img", cancellable, error);
  return path != NULL;
}

static void
hero_virt_qcow2_provider_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = hero_virt_qcow2_provider_is_available;
  iface->create = hero_virt_qcow2_provider_create;
  iface->info = hero_virt_qcow2_provider_info;
  iface->snapshot_create = hero_virt_qcow2_provider_snapshot_create;
  iface->snapshot_delete = hero_virt_qcow2_provider_snapshot_delete;
  iface->snapshot_apply = hero_virt_qcow2_provider_snapshot_apply;
  iface->resize = hero_virt_qcow2_provider_resize;
  iface->convert = hero_virt_qcow2_provider_convert;
  iface->check = hero_virt_qcow2_provider_check;
}

static void
hero_virt_qcow2_provider_class_init (HeroVirtQcow2ProviderClass *klass)
{
}

static void
hero_virt_qcow2_provider_class_finalize (HeroVirtQcow2ProviderClass *klass)
{
}

static void
hero_virt_qcow2_provider_init (HeroVirtQcow2Provider *self)
{
}

void
hero_virt_qcow2_provider_register (GTypeModule *module)
{
  hero_virt_qcow2_provider_register_type (module);
}
