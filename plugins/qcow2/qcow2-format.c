/* qcow2-format.c: the qcow2 on-disk format, read and written without qemu
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks follow what QEMU 7.2's qcow2_do_open() and
 * qcow2_read_snapshots() refuse, plus one more: nothing may point past the
 * end of the file (QEMU would read zeros there; we call it corrupt).
 */
#include "qcow2-format.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIN_CLUSTER_BITS 9
#define MAX_CLUSTER_BITS 21
#define V2_HEADER_LENGTH 72
#define V3_HEADER_MIN 104
#define V3_HEADER_LENGTH 112 /* what QEMU 7.2 writes */
#define MAX_BACKING_NAME 1023
#define MAX_BACKING_FORMAT 16 /* bs->backing_format, with the NUL */
#define MAX_SNAPSHOTS 65536
#define MAX_SNAPSHOT_EXTRA 1024
#define MAX_SNAPSHOTS_SIZE (1024 * MAX_SNAPSHOTS)
#define MAX_L1_SIZE (32 * 1024 * 1024)      /* bytes */
#define MAX_REFTABLE_SIZE (8 * 1024 * 1024) /* bytes */
#define SNAPSHOT_HEADER_SIZE 40
#define FEATURE_ENTRY_SIZE 48

#define EXT_END 0x00000000u
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_FEATURE_TABLE 0x6803f857u
#define EXT_BITMAPS 0x23852875u
#define EXT_CRYPTO 0x0537be77u
#define EXT_DATA_FILE 0x44415441u

typedef struct
{
  Qcow2ReadFunc read_func;
  gpointer      user_data;
  guint64       file_size;
  char        **message;
  Qcow2Status   status;
} Reader;

static guint32
be32 (const guint8 *p)
{
  return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint64
be64 (const guint8 *p)
{
  return ((guint64)be32 (p) << 32) | be32 (p + 4);
}

static guint16
be16 (const guint8 *p)
{
  return (guint16)((p[0] << 8) | p[1]);
}

static void
put_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
put_be64 (guint8 *p, guint64 v)
{
  put_be32 (p, v >> 32);
  put_be32 (p + 4, v & 0xffffffffu);
}

static gboolean G_GNUC_PRINTF (2, 3) fail (Reader *r, const char *format, ...)
{
  va_list args;

  if (r->message != NULL && *r->message == NULL)
    {
      va_start (args, format);
      *r->message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  if (r->status == QCOW2_STATUS_OK)
    r->status = QCOW2_STATUS_CORRUPT;
  return FALSE;
}

/* The one place that reads: [offset, offset + len) must lie in the file. */
static gboolean
read_at (Reader *r, guint64 offset, void *buf, gsize len, const char *what)
{
  guint64 end;

  if (!g_uint64_checked_add (&end, offset, len) || end > r->file_size)
    return fail (r,
                 "The %s (%" G_GSIZE_FORMAT " bytes at offset %" G_GUINT64_FORMAT
                 ") lies past the end of the file (%" G_GUINT64_FORMAT " bytes)",
                 what, len, offset, r->file_size);
  if (len == 0)
    return TRUE;
  if (!r->read_func (r->user_data, offset, buf, len))
    {
      r->status = QCOW2_STATUS_IO;
      return fail (r, "Could not read the %s at offset %" G_GUINT64_FORMAT, what, offset);
    }
  return TRUE;
}

/* A table of @entries entries of @entry_len bytes at @offset: not too
 * large, cluster aligned, and (when not empty) inside the file. */
static gboolean
check_table (Reader     *r,
             guint32     cluster_bits,
             guint64     offset,
             guint64     entries,
             guint64     entry_len,
             guint64     max_bytes,
             const char *name)
{
  guint64 end;

  if (entries > max_bytes / entry_len)
    return fail (r, "%s too large", name);
  if ((guint64)G_MAXINT64 - entries * entry_len < offset
      || (offset & ((G_GUINT64_CONSTANT (1) << cluster_bits) - 1)) != 0)
    return fail (r, "%s offset invalid", name);
  if (entries != 0
      && (offset == 0 || !g_uint64_checked_add (&end, offset, entries * entry_len)
          || end > r->file_size))
    return fail (r, "%s lies past the end of the file", name);
  return TRUE;
}

/* A string from on-disk bytes as QEMU sees it: up to the first NUL. */
static char *
c_string (const guint8 *data, gsize len)
{
  return g_strndup ((const char *)data, len);
}

static char *
unknown_features_message (Reader *r,
                          guint64 feature_table_offset,
                          guint32 feature_table_len,
                          guint64 unknown)
{
  GString           *s = g_string_new ("Unsupported qcow2 feature(s): ");
  g_autofree guint8 *table = NULL;
  guint              n = 0;

  guint64 end;

  /* The names only improve the message: an unreadable table is skipped. */
  if (feature_table_len > 0 && g_uint64_checked_add (&end, feature_table_offset, feature_table_len)
      && end <= r->file_size)
    {
      table = g_malloc (feature_table_len);
      if (!r->read_func (r->user_data, feature_table_offset, table, feature_table_len))
        g_clear_pointer (&table, g_free);
    }
  for (guint bit = 0; bit < 64; bit++)
    {
      const char *name = NULL;
      char        buf[47];

      if (!(unknown & (G_GUINT64_CONSTANT (1) << bit)))
        continue;
      for (guint32 i = 0; table != NULL && i + FEATURE_ENTRY_SIZE <= feature_table_len;
           i += FEATURE_ENTRY_SIZE)
        if (table[i] == 0 && table[i + 1] == bit)
          {
            memcpy (buf, table + i + 2, 46);
            buf[46] = '\0';
            name = buf;
            break;
          }
      if (n++ > 0)
        g_string_append (s, ", ");
      if (name != NULL && g_utf8_validate (name, -1, NULL))
        g_string_append (s, name);
      else
        g_string_append_printf (s, "Unknown incompatible feature: %" G_GINT64_MODIFIER "x",
                                G_GUINT64_CONSTANT (1) << bit);
    }
  return g_string_free (s, FALSE);
}

static gboolean
parse_extensions (Reader     *r,
                  Qcow2Image *img,
                  guint64     start,
                  guint64     end,
                  guint64    *feature_table_offset,
                  guint32    *feature_table_len)
{
  guint64 offset = start;

  while (offset < end)
    {
      guint8  ext[8];
      guint32 magic, len;

      if (!read_at (r, offset, ext, sizeof ext, "header extension"))
        return FALSE;
      magic = be32 (ext);
      len = be32 (ext + 4);
      offset += sizeof ext;
      if (offset > end || len > end - offset)
        return fail (r, "Header extension too large");

      switch (magic)
        {
        case EXT_END:
          return TRUE;
        case EXT_BACKING_FORMAT:
          {
            guint8 fmt[MAX_BACKING_FORMAT];

            if (len >= MAX_BACKING_FORMAT)
              return fail (r, "The backing format extension is too long (%u bytes)", len);
            if (!read_at (r, offset, fmt, len, "backing format"))
              return FALSE;
            g_clear_pointer (&img->backing_format, g_free);
            img->backing_format = c_string (fmt, len);
          }
          break;
        case EXT_FEATURE_TABLE:
          *feature_table_offset = offset;
          *feature_table_len = len;
          break;
        case EXT_BITMAPS:
          img->has_bitmaps_ext = TRUE;
          break;
        case EXT_CRYPTO:
          img->has_crypto_ext = TRUE;
          break;
        case EXT_DATA_FILE:
          img->has_data_file_ext = TRUE;
          break;
        default:
          break;
        }
      offset += ((guint64)len + 7) & ~G_GUINT64_CONSTANT (7);
    }
  return TRUE;
}

static gboolean
parse_header (Reader *r, Qcow2Image *img)
{
  guint8  h[V3_HEADER_MIN];
  guint64 cluster_size, backing_offset, ext_end;
  guint32 backing_size;
  guint64 feature_table_offset = 0;
  guint32 feature_table_len = 0;

  if (!read_at (r, 0, h, 8, "header"))
    return FALSE;
  img->version = be32 (h + 4);
  if (img->version > 3)
    return fail (r, "Unsupported qcow2 version %u", img->version);
  if (!read_at (r, 0, h, img->version == 2 ? V2_HEADER_LENGTH : V3_HEADER_MIN, "header"))
    return FALSE;

  backing_offset = be64 (h + 8);
  backing_size = be32 (h + 16);
  img->cluster_bits = be32 (h + 20);
  img->size = be64 (h + 24);
  img->crypt_method = be32 (h + 32);
  img->l1_size = be32 (h + 36);
  img->l1_table_offset = be64 (h + 40);
  img->refcount_table_offset = be64 (h + 48);
  img->refcount_table_clusters = be32 (h + 56);
  img->nb_snapshots = be32 (h + 60);
  img->snapshots_offset = be64 (h + 64);
  if (img->version == 2)
    {
      img->refcount_order = 4;
      img->header_length = V2_HEADER_LENGTH;
    }
  else
    {
      img->incompatible_features = be64 (h + 72);
      img->compatible_features = be64 (h + 80);
      img->autoclear_features = be64 (h + 88);
      img->refcount_order = be32 (h + 96);
      img->header_length = be32 (h + 100);
    }

  if (img->cluster_bits < MIN_CLUSTER_BITS || img->cluster_bits > MAX_CLUSTER_BITS)
    return fail (r, "Unsupported cluster size: 2^%u", img->cluster_bits);
  cluster_size = G_GUINT64_CONSTANT (1) << img->cluster_bits;

  if (img->header_length < (img->version == 2 ? V2_HEADER_LENGTH : V3_HEADER_MIN))
    return fail (r, "qcow2 header too short (header_length %u)", img->header_length);
  if (img->header_length > cluster_size)
    return fail (r, "qcow2 header exceeds cluster size (header_length %u)", img->header_length);
  if (img->header_length > V3_HEADER_MIN
      && !read_at (r, V3_HEADER_MIN, &img->compression_type, 1, "compression type"))
    return FALSE;

  if (backing_offset > cluster_size)
    return fail (r, "Invalid backing file offset");
  ext_end = backing_offset != 0 ? backing_offset : cluster_size;
  if (!parse_extensions (r, img, img->header_length, ext_end, &feature_table_offset,
                         &feature_table_len))
    return FALSE;

  if (img->incompatible_features & ~QCOW2_INCOMPAT_MASK)
    {
      char *message = unknown_features_message (r, feature_table_offset, feature_table_len,
                                                img->incompatible_features & ~QCOW2_INCOMPAT_MASK);
      fail (r, "%s", message);
      g_free (message);
      return FALSE;
    }
  if (img->refcount_order > 6)
    return fail (r, "Reference count entry width too large; may not exceed 64 bits");
  if (img->crypt_method > 2)
    return fail (r, "Unsupported encryption method: %u", img->crypt_method);
  if (img->compression_type > 1)
    return fail (r, "Unknown compression type: %u", img->compression_type);
  if ((img->compression_type != 0)
      != ((img->incompatible_features & QCOW2_INCOMPAT_COMPRESSION) != 0))
    return fail (r, "The compression type does not match the compression type feature bit");
  if ((img->incompatible_features & QCOW2_INCOMPAT_EXTL2) && img->cluster_bits < 14)
    return fail (
        r, "Extended L2 entries are only supported with cluster sizes of at least 16384 bytes");

  if (backing_offset != 0)
    {
      guint8 name[MAX_BACKING_NAME];

      if (backing_size > MIN (MAX_BACKING_NAME, cluster_size - backing_offset))
        return fail (r, "Backing file name too long (%u bytes)", backing_size);
      if (!read_at (r, backing_offset, name, backing_size, "backing file name"))
        return FALSE;
      img->backing_file = c_string (name, backing_size);
      if (*img->backing_file == '\0')
        g_clear_pointer (&img->backing_file, g_free);
    }
  return TRUE;
}

static gboolean
check_tables (Reader *r, Qcow2Image *img)
{
  guint64 cluster_size = G_GUINT64_CONSTANT (1) << img->cluster_bits;
  guint l2_bits = img->cluster_bits - ((img->incompatible_features & QCOW2_INCOMPAT_EXTL2) ? 4 : 3);
  guint shift = img->cluster_bits + l2_bits;
  guint64 l1_needed;

  if (img->refcount_table_clusters == 0)
    return fail (r, "Image does not contain a reference count table");
  if (!check_table (r, img->cluster_bits, img->refcount_table_offset, img->refcount_table_clusters,
                    cluster_size, MAX_REFTABLE_SIZE, "Reference count table"))
    return FALSE;
  if (img->nb_snapshots > MAX_SNAPSHOTS)
    return fail (r, "Too many snapshots (%u)", img->nb_snapshots);
  if (!check_table (r, img->cluster_bits, img->snapshots_offset, img->nb_snapshots,
                    SNAPSHOT_HEADER_SIZE, SNAPSHOT_HEADER_SIZE * MAX_SNAPSHOTS, "Snapshot table"))
    return FALSE;
  if (!check_table (r, img->cluster_bits, img->l1_table_offset, img->l1_size, 8, MAX_L1_SIZE,
                    "Active L1 table"))
    return FALSE;

  /* QEMU's size_to_l1(), without its overflow. */
  l1_needed = (img->size >> shift) + ((img->size & ((G_GUINT64_CONSTANT (1) << shift) - 1)) != 0);
  if (l1_needed > G_MAXINT || img->size / 512 > (guint64)G_MAXINT64 / 512)
    return fail (r, "Image is too big (%" G_GUINT64_FORMAT " bytes)", img->size);
  if (img->l1_size < l1_needed)
    return fail (r, "L1 table is too small");
  return TRUE;
}

static gboolean
parse_snapshots (Reader *r, Qcow2Image *img)
{
  guint64 offset = img->snapshots_offset;

  img->snapshots = g_new0 (Qcow2Snapshot, img->nb_snapshots);
  for (guint32 i = 0; i < img->nb_snapshots; i++)
    {
      Qcow2Snapshot *sn = &img->snapshots[i];
      guint8         h[SNAPSHOT_HEADER_SIZE];
      guint8         extra[24] = {
                0,
      };
      guint32            extra_size;
      guint16            id_size, name_size;
      g_autofree guint8 *strings = NULL;

      if (!g_uint64_checked_add (&offset, offset, 7))
        return fail (r, "Snapshot table offset overflows");
      offset &= ~G_GUINT64_CONSTANT (7);
      if (!read_at (r, offset, h, sizeof h, "snapshot table entry"))
        return FALSE;
      offset += sizeof h;

      sn->l1_table_offset = be64 (h);
      sn->l1_size = be32 (h + 8);
      id_size = be16 (h + 12);
      name_size = be16 (h + 14);
      sn->date_sec = be32 (h + 16);
      sn->date_nsec = be32 (h + 20);
      sn->vm_clock_nsec = be64 (h + 24);
      sn->vm_state_size = be32 (h + 32);
      extra_size = be32 (h + 36);

      if (extra_size > MAX_SNAPSHOT_EXTRA)
        return fail (r, "Too much extra metadata in snapshot table entry %u", i);
      if (!read_at (r, offset, extra, MIN (extra_size, sizeof extra), "snapshot extra data"))
        return FALSE;
      offset += extra_size;
      if (extra_size >= 8)
        sn->vm_state_size = be64 (extra);
      sn->icount = extra_size >= 24 ? be64 (extra + 16) : G_MAXUINT64;

      if (sn->l1_size > MAX_L1_SIZE / 8)
        return fail (r, "Snapshot L1 table too large");
      if (sn->l1_size > 0
          && !check_table (r, img->cluster_bits, sn->l1_table_offset, sn->l1_size, 8, MAX_L1_SIZE,
                           "Snapshot L1 table"))
        return FALSE;

      strings = g_malloc ((gsize)id_size + name_size + 1);
      if (!read_at (r, offset, strings, (gsize)id_size + name_size, "snapshot ID and name"))
        return FALSE;
      offset += (guint64)id_size + name_size;
      sn->id = c_string (strings, id_size);
      sn->name = c_string (strings + id_size, name_size);

      if (offset - img->snapshots_offset > MAX_SNAPSHOTS_SIZE)
        return fail (r, "Snapshot table is too big");
    }
  return TRUE;
}

gboolean
qcow2_probe (const guint8 *buf, gsize len)
{
  return len >= 8 && be32 (buf) == QCOW2_MAGIC && be32 (buf + 4) >= 2;
}

Qcow2Status
qcow2_image_parse (Qcow2ReadFunc read_func,
                   gpointer      user_data,
                   guint64       file_size,
                   Qcow2Image  **out_image,
                   char        **out_message)
{
  Reader r = { read_func, user_data, file_size, out_message, QCOW2_STATUS_OK };
  g_autoptr (Qcow2Image) img = NULL;
  guint8 start[8];

  g_return_val_if_fail (out_image != NULL, QCOW2_STATUS_IO);

  /* Not qcow2 unless it has the magic and a version of 2 or more; QEMU
   * probes the same way (version 1 is the older "qcow" format). */
  if (file_size < 4)
    return QCOW2_STATUS_NOT_QCOW2;
  if (!read_at (&r, 0, start, MIN (file_size, sizeof start), "header"))
    return r.status;
  if (be32 (start) != QCOW2_MAGIC)
    return QCOW2_STATUS_NOT_QCOW2;
  if (file_size < 8)
    {
      fail (&r, "The qcow2 header is truncated (%" G_GUINT64_FORMAT " bytes)", file_size);
      return r.status;
    }
  if (be32 (start + 4) < 2)
    return QCOW2_STATUS_NOT_QCOW2;

  img = g_new0 (Qcow2Image, 1);
  if (!parse_header (&r, img) || !check_tables (&r, img) || !parse_snapshots (&r, img))
    return r.status;

  *out_image = g_steal_pointer (&img);
  return QCOW2_STATUS_OK;
}

/* Features whose details only qemu-img reports (bitmaps, encryption,
 * external data files): the caller asks qemu-img instead. */
gboolean
qcow2_image_needs_qemu (const Qcow2Image *image)
{
  return image->crypt_method != 0 || image->has_crypto_ext || image->has_data_file_ext
         || (image->incompatible_features & QCOW2_INCOMPAT_DATA_FILE)
         || (image->has_bitmaps_ext && (image->autoclear_features & QCOW2_AUTOCLEAR_BITMAPS));
}

void
qcow2_image_free (Qcow2Image *image)
{
  if (image == NULL)
    return;
  for (guint32 i = 0; image->snapshots != NULL && i < image->nb_snapshots; i++)
    {
      g_free (image->snapshots[i].id);
      g_free (image->snapshots[i].name);
    }
  g_free (image->snapshots);
  g_free (image->backing_file);
  g_free (image->backing_format);
  g_free (image);
}

static gboolean
read_fd (gpointer user_data, guint64 offset, void *buf, gsize len)
{
  int     fd = GPOINTER_TO_INT (user_data);
  guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = pread (fd, p, len, (off_t)offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      offset += n;
      len -= n;
    }
  return TRUE;
}

Qcow2Status
qcow2_image_parse_fd (int fd, Qcow2Image **out_image, char **out_message)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      if (out_message)
        *out_message = g_strdup (g_strerror (errno));
      return QCOW2_STATUS_IO;
    }
  if (!S_ISREG (st.st_mode))
    return QCOW2_STATUS_NOT_QCOW2;
  return qcow2_image_parse (read_fd, GINT_TO_POINTER (fd), (guint64)st.st_size, out_image,
                            out_message);
}

/* ---- creation ---- */

typedef struct
{
  guint64  cluster_size;
  guint64  l1_entries;
  guint64  l1_clusters;
  guint64  reftable_clusters;
  guint64  refblocks;
  guint64  total_clusters;
  gsize    header_used; /* bytes of cluster 0 that are not zero */
  gboolean feature_table;
} Layout;

static const struct
{
  guint8      type, bit;
  const char *name;
} feature_names[] = {
  { 0, 0, "dirty bit" },        { 0, 1, "corrupt bit" },         { 0, 2, "external data file" },
  { 0, 3, "compression type" }, { 0, 4, "extended L2 entries" }, { 1, 0, "lazy refcounts" },
  { 2, 0, "bitmaps" },          { 2, 1, "raw external data" },
};

static gsize
ext_size (gsize len)
{
  return 8 + ((len + 7) & ~(gsize)7);
}

static gboolean G_GNUC_PRINTF (2, 3) invalid (char **out_message, const char *format, ...)
{
  va_list args;

  if (out_message != NULL)
    {
      va_start (args, format);
      *out_message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

static gboolean
compute_layout (const Qcow2CreateParams *p, Layout *l, char **out_message)
{
  guint   shift;
  guint64 refblock_entries;
  gsize   header_len, backing_len;

  memset (l, 0, sizeof *l);
  if (p->version != 2 && p->version != 3)
    return invalid (out_message, "Unsupported qcow2 version %u", p->version);
  if (p->cluster_bits < MIN_CLUSTER_BITS || p->cluster_bits > MAX_CLUSTER_BITS)
    return invalid (out_message, "Cluster size must be a power of two between 512 and 2097152");
  if (p->size % 512 != 0)
    return invalid (out_message, "Image size must be a multiple of 512 bytes");
  if (p->lazy_refcounts && p->version < 3)
    return invalid (out_message,
                    "Lazy refcounts only supported with compatibility level 1.1 and above");
  backing_len = p->backing_file ? strlen (p->backing_file) : 0;
  if (p->backing_file != NULL && (backing_len == 0 || backing_len > MAX_BACKING_NAME))
    return invalid (out_message, "The backing file name must be 1 to %d bytes", MAX_BACKING_NAME);
  if (p->backing_format != NULL
      && (*p->backing_format == '\0' || strlen (p->backing_format) >= MAX_BACKING_FORMAT))
    return invalid (out_message, "Invalid backing format “%s”", p->backing_format);

  l->cluster_size = G_GUINT64_CONSTANT (1) << p->cluster_bits;
  shift = 2 * p->cluster_bits - 3;
  l->l1_entries = (p->size >> shift) + ((p->size & ((G_GUINT64_CONSTANT (1) << shift) - 1)) != 0);
  if (l->l1_entries > MAX_L1_SIZE / 8)
    return invalid (out_message,
                    "A size of %" G_GUINT64_FORMAT
                    " bytes is too large for a cluster size of %" G_GUINT64_FORMAT " bytes",
                    p->size, l->cluster_size);
  l->l1_clusters = (l->l1_entries * 8 + l->cluster_size - 1) / l->cluster_size;

  /* Header, extensions, end marker and backing file name must share
   * cluster 0; like QEMU, drop the optional feature name table first. */
  header_len = p->version == 2 ? V2_HEADER_LENGTH : V3_HEADER_LENGTH;
  if (p->backing_format)
    header_len += ext_size (strlen (p->backing_format));
  header_len += 8 + backing_len;
  l->feature_table
      = p->version >= 3
        && header_len
                   + ext_size (sizeof feature_names / sizeof feature_names[0] * FEATURE_ENTRY_SIZE)
               <= l->cluster_size;
  if (l->feature_table)
    header_len += ext_size (G_N_ELEMENTS (feature_names) * FEATURE_ENTRY_SIZE);
  if (header_len > l->cluster_size)
    return invalid (out_message,
                    "The backing file name does not fit in a %" G_GUINT64_FORMAT "-byte cluster",
                    l->cluster_size);
  l->header_used = header_len;

  /* Cluster 0 header, then the refcount table, the refcount blocks and
   * the L1 table; grow the refcount structures until they cover
   * everything, themselves included. */
  refblock_entries = l->cluster_size / 2; /* 16-bit refcounts */
  l->refblocks = 1;
  l->reftable_clusters = 1;
  for (;;)
    {
      guint64 total = 1 + l->reftable_clusters + l->refblocks + l->l1_clusters;
      guint64 refblocks = (total + refblock_entries - 1) / refblock_entries;
      guint64 reftable = (refblocks * 8 + l->cluster_size - 1) / l->cluster_size;

      l->total_clusters = total;
      if (refblocks <= l->refblocks && reftable <= l->reftable_clusters)
        break;
      l->refblocks = MAX (refblocks, l->refblocks);
      l->reftable_clusters = MAX (reftable, l->reftable_clusters);
    }
  if (l->reftable_clusters * l->cluster_size > MAX_REFTABLE_SIZE)
    return invalid (out_message, "The image is too large for its cluster size");
  return TRUE;
}

gboolean
qcow2_create_check (const Qcow2CreateParams *params, char **out_message)
{
  Layout l;

  return compute_layout (params, &l, out_message);
}

static gsize
add_ext (guint8 *buf, gsize pos, guint32 magic, const void *data, gsize len)
{
  put_be32 (buf + pos, magic);
  put_be32 (buf + pos + 4, (guint32)len);
  if (len > 0)
    memcpy (buf + pos + 8, data, len);
  return pos + ext_size (len);
}

static guint8 *
build_header (const Qcow2CreateParams *p, const Layout *l)
{
  guint8 *h = g_malloc0 (l->header_used);
  guint64 reftable_offset = l->cluster_size;
  guint64 l1_offset
      = l->l1_entries ? (1 + l->reftable_clusters + l->refblocks) * l->cluster_size : 0;
  gsize pos;

  put_be32 (h, QCOW2_MAGIC);
  put_be32 (h + 4, p->version);
  put_be32 (h + 20, p->cluster_bits);
  put_be64 (h + 24, p->size);
  put_be32 (h + 36, (guint32)l->l1_entries);
  put_be64 (h + 40, l1_offset);
  put_be64 (h + 48, reftable_offset);
  put_be32 (h + 56, (guint32)l->reftable_clusters);
  if (p->version >= 3)
    {
      put_be64 (h + 80, p->lazy_refcounts ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0);
      put_be32 (h + 96, 4);
      put_be32 (h + 100, V3_HEADER_LENGTH);
    }

  pos = p->version == 2 ? V2_HEADER_LENGTH : V3_HEADER_LENGTH;
  if (p->backing_format)
    pos = add_ext (h, pos, EXT_BACKING_FORMAT, p->backing_format, strlen (p->backing_format));
  if (l->feature_table)
    {
      guint8 table[G_N_ELEMENTS (feature_names) * FEATURE_ENTRY_SIZE] = {
        0,
      };

      for (gsize i = 0; i < G_N_ELEMENTS (feature_names); i++)
        {
          table[i * FEATURE_ENTRY_SIZE] = feature_names[i].type;
          table[i * FEATURE_ENTRY_SIZE + 1] = feature_names[i].bit;
          memcpy (table + i * FEATURE_ENTRY_SIZE + 2, feature_names[i].name,
                  strlen (feature_names[i].name));
        }
      pos = add_ext (h, pos, EXT_FEATURE_TABLE, table, sizeof table);
    }
  pos = add_ext (h, pos, EXT_END, NULL, 0);
  if (p->backing_file)
    {
      gsize len = strlen (p->backing_file);

      memcpy (h + pos, p->backing_file, len);
      put_be64 (h + 8, pos);
      put_be32 (h + 16, (guint32)len);
    }
  return h;
}

static gboolean
pwrite_all (int fd, const void *buf, gsize len, guint64 offset)
{
  const guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = pwrite (fd, p, len, (off_t)offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      offset += n;
      len -= n;
    }
  return TRUE;
}

gboolean
qcow2_create_write (const Qcow2CreateParams *params,
                    int                      fd,
                    gboolean                *out_invalid,
                    char                   **out_message)
{
  g_autofree guint8 *header = NULL;
  g_autofree guint8 *reftable = NULL;
  g_autofree guint8 *refcounts = NULL;
  Layout             l;
  guint64            refblocks_offset;
  int                saved_errno;

  *out_invalid = TRUE;
  if (!compute_layout (params, &l, out_message))
    return FALSE;
  *out_invalid = FALSE;

  /* Only the non-zero parts are written; ftruncate makes the rest (the
   * empty L1 table included) read as zeros without using disk space. */
  header = build_header (params, &l);
  reftable = g_malloc0 (l.refblocks * 8);
  refblocks_offset = (1 + l.reftable_clusters) * l.cluster_size;
  for (guint64 i = 0; i < l.refblocks; i++)
    put_be64 (reftable + i * 8, refblocks_offset + i * l.cluster_size);
  refcounts = g_malloc0 (l.total_clusters * 2);
  for (guint64 i = 0; i < l.total_clusters; i++)
    put_be16 (refcounts + i * 2, 1);

  if (!pwrite_all (fd, header, l.header_used, 0)
      || !pwrite_all (fd, reftable, l.refblocks * 8, l.cluster_size)
      || !pwrite_all (fd, refcounts, l.total_clusters * 2, refblocks_offset)
      || ftruncate (fd, (off_t)(l.total_clusters * l.cluster_size)) != 0)
    {
      saved_errno = errno;
      if (out_message)
        *out_message = g_strdup_printf ("Could not write the image: %s", g_strerror (saved_errno));
      errno = saved_errno;
      return FALSE;
    }
  return TRUE;
}

/* ---- what an image refers to ---- */

void
qcow2_refs_clear (Qcow2Refs *refs)
{
  g_clear_pointer (&refs->backing_file, g_free);
  g_clear_pointer (&refs->backing_format, g_free);
  g_clear_pointer (&refs->data_file, g_free);
  memset (refs, 0, sizeof *refs);
}

static Qcow2Status G_GNUC_PRINTF (2, 3) refs_fail (char **out_message, const char *format, ...)
{
  va_list args;

  if (out_message != NULL)
    {
      va_start (args, format);
      *out_message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return QCOW2_STATUS_CORRUPT;
}

Qcow2Status
qcow2_scan_refs (const guint8 *buf,
                 gsize         len,
                 guint64       file_size,
                 Qcow2Refs    *out,
                 gsize        *out_needed,
                 char        **out_message)
{
  guint32 version, cluster_bits, header_length, backing_size;
  guint64 cluster_size, backing_offset, ext_end, offset, need;

  memset (out, 0, sizeof *out);
  *out_needed = 0;
  if (len > file_size)
    len = file_size;
  if (len < 4 || be32 (buf) != QCOW2_MAGIC)
    return QCOW2_STATUS_NOT_QCOW2;
  if (len < 8)
    return refs_fail (out_message, "qcow2 header too short");
  if (be32 (buf + 4) < 2)
    return QCOW2_STATUS_NOT_QCOW2;
  version = be32 (buf + 4);
  if (version > 3)
    return refs_fail (out_message, "Unsupported qcow2 version %u", version);
  if (file_size < (version == 2 ? V2_HEADER_LENGTH : V3_HEADER_MIN))
    return refs_fail (out_message, "qcow2 header too short");
  if (len < V3_HEADER_MIN && len < file_size)
    {
      *out_needed = MIN (file_size, V3_HEADER_MIN);
      return QCOW2_STATUS_OK;
    }
  cluster_bits = be32 (buf + 20);
  if (cluster_bits < MIN_CLUSTER_BITS || cluster_bits > MAX_CLUSTER_BITS)
    return refs_fail (out_message, "Unsupported cluster size: 2^%u", cluster_bits);
  cluster_size = G_GUINT64_CONSTANT (1) << cluster_bits;
  /* Everything an image can name lies in its first cluster: QEMU refuses a
   * backing file name or header extension past it. */
  need = MIN (cluster_size, file_size);
  if (len < need)
    {
      *out_needed = need;
      return QCOW2_STATUS_OK;
    }
  len = need;

  out->version = version;
  header_length = V2_HEADER_LENGTH;
  if (version == 3)
    {
      out->incompatible_features = be64 (buf + 72);
      header_length = be32 (buf + 100);
      if (header_length < V3_HEADER_MIN || header_length > cluster_size)
        return refs_fail (out_message, "Invalid qcow2 header length %u", header_length);
    }
  out->has_data_file = (out->incompatible_features & QCOW2_INCOMPAT_DATA_FILE) != 0;

  backing_offset = be64 (buf + 8);
  backing_size = be32 (buf + 16);
  if (backing_offset > cluster_size)
    return refs_fail (out_message, "Invalid backing file offset");
  if (backing_offset != 0)
    {
      if (backing_size > 1023 || backing_size > cluster_size - backing_offset
          || backing_offset + backing_size > len)
        return refs_fail (out_message, "Backing file name too long");
      if (backing_size > 0)
        {
          out->has_backing_file = TRUE;
          out->backing_file = g_strndup ((const char *)buf + backing_offset, backing_size);
        }
    }

  ext_end = backing_offset != 0 ? backing_offset : cluster_size;
  offset = header_length;
  while (offset + 8 <= ext_end && offset + 8 <= len)
    {
      guint32 magic = be32 (buf + offset), ext_len = be32 (buf + offset + 4);

      offset += 8;
      if (ext_len > ext_end - offset || ext_len > len - offset)
        return refs_fail (out_message, "Header extension too large");
      if (magic == EXT_END)
        break;
      if (magic == EXT_BACKING_FORMAT)
        {
          g_free (out->backing_format);
          out->backing_format = g_strndup ((const char *)buf + offset, ext_len);
        }
      else if (magic == EXT_DATA_FILE)
        {
          out->has_data_file = TRUE;
          g_free (out->data_file);
          out->data_file = g_strndup ((const char *)buf + offset, ext_len);
        }
      offset += ((guint64)ext_len + 7) & ~G_GUINT64_CONSTANT (7);
    }
  return QCOW2_STATUS_OK;
}
