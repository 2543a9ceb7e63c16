/* qcow2-format.h: the qcow2 on-disk format, read and written without qemu
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Plain C on GLib (no GObject), so the fuzzer can link it alone. Every read
 * goes through a bounded callback and every offset is checked against the
 * file size with overflow-checked arithmetic before it is used.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QCOW2_MAGIC 0x514649fbu

#define QCOW2_INCOMPAT_DIRTY (G_GUINT64_CONSTANT (1) << 0)
#define QCOW2_INCOMPAT_CORRUPT (G_GUINT64_CONSTANT (1) << 1)
#define QCOW2_INCOMPAT_DATA_FILE (G_GUINT64_CONSTANT (1) << 2)
#define QCOW2_INCOMPAT_COMPRESSION (G_GUINT64_CONSTANT (1) << 3)
#define QCOW2_INCOMPAT_EXTL2 (G_GUINT64_CONSTANT (1) << 4)
#define QCOW2_INCOMPAT_MASK (G_GUINT64_CONSTANT (0x1f))
#define QCOW2_COMPAT_LAZY_REFCOUNTS (G_GUINT64_CONSTANT (1) << 0)
#define QCOW2_AUTOCLEAR_BITMAPS (G_GUINT64_CONSTANT (1) << 0)

typedef enum
{
  QCOW2_STATUS_OK,
  QCOW2_STATUS_NOT_QCOW2,   /* no qcow2 magic/version: another format */
  QCOW2_STATUS_UNSUPPORTED, /* valid, but uses a feature only qemu-img reports */
  QCOW2_STATUS_CORRUPT,     /* hostile or damaged */
  QCOW2_STATUS_IO,          /* the read callback failed */
} Qcow2Status;

/* Reads exactly @len bytes at @offset into @buf; FALSE on error or short
 * read. The parser never asks past the file size it was given. */
typedef gboolean (*Qcow2ReadFunc) (gpointer user_data, guint64 offset, void *buf, gsize len);

typedef struct
{
  char   *id; /* NUL-free prefix of the on-disk bytes */
  char   *name;
  guint64 l1_table_offset;
  guint32 l1_size;
  guint32 date_sec;
  guint32 date_nsec;
  guint64 vm_clock_nsec;
  guint64 vm_state_size; /* the 64-bit extra field when present */
  guint64 icount;        /* G_MAXUINT64 = none */
} Qcow2Snapshot;

typedef struct
{
  guint32        version;
  guint32        cluster_bits;
  guint64        size; /* header value, bytes */
  guint32        crypt_method;
  guint32        l1_size;
  guint64        l1_table_offset;
  guint64        refcount_table_offset;
  guint32        refcount_table_clusters;
  guint32        nb_snapshots;
  guint64        snapshots_offset;
  guint64        incompatible_features;
  guint64        compatible_features;
  guint64        autoclear_features;
  guint32        refcount_order;
  guint32        header_length;
  guint8         compression_type;
  char          *backing_file;   /* NULL when none (or empty) */
  char          *backing_format; /* NULL when no extension */
  gboolean       has_bitmaps_ext;
  gboolean       has_data_file_ext;
  gboolean       has_crypto_ext;
  Qcow2Snapshot *snapshots; /* nb_snapshots entries */
} Qcow2Image;

Qcow2Status qcow2_image_parse (Qcow2ReadFunc read_func,
                               gpointer      user_data,
                               guint64       file_size,
                               Qcow2Image  **out_image,
                               char        **out_message);
void        qcow2_image_free (Qcow2Image *image);
gboolean    qcow2_image_needs_qemu (const Qcow2Image *image);

/* Reads the file at @fd (pread, bounded). */
Qcow2Status qcow2_image_parse_fd (int fd, Qcow2Image **out_image, char **out_message);

/* TRUE when the first bytes look like qcow2 (magic and version >= 2),
 * which is how qemu probes the format. */
gboolean qcow2_probe (const guint8 *buf, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Qcow2Image, qcow2_image_free)

/* What an image names besides itself, read from its first cluster (the
 * header, the backing file name and the header extensions) without
 * trusting anything else in the file. Strings are the NUL-free prefixes
 * QEMU would use. */
typedef struct
{
  guint32  version;
  guint64  incompatible_features;
  gboolean has_backing_file;
  char    *backing_file;   /* as recorded, NULL when none */
  char    *backing_format; /* the backing format extension, or NULL */
  gboolean has_data_file;  /* the incompatible bit or the extension */
  char    *data_file;      /* the data file extension, or NULL */
} Qcow2Refs;

void qcow2_refs_clear (Qcow2Refs *refs);

/* Scans the first @len bytes of a file of @file_size bytes. NOT_QCOW2 when
 * there is no qcow2 magic; CORRUPT with a message for a header QEMU would
 * refuse; OK with @out_needed > @len when more of the file must be read
 * first (then @out is empty). */
Qcow2Status qcow2_scan_refs (const guint8 *buf,
                             gsize         len,
                             guint64       file_size,
                             Qcow2Refs    *out,
                             gsize        *out_needed,
                             char        **out_message);

/* Creation of an empty image. */
typedef struct
{
  guint32     version;        /* 2 or 3 */
  guint32     cluster_bits;   /* 9..21 */
  guint64     size;           /* multiple of 512 */
  gboolean    lazy_refcounts; /* version 3 only */
  const char *backing_file;   /* nullable, at most 1023 bytes */
  const char *backing_format; /* nullable, shorter than 16 bytes */
} Qcow2CreateParams;

/* Checks @params and computes the image's metadata. On success, writes it
 * to @fd (an empty file) with pwrite/ftruncate. Returns FALSE with a
 * message when the parameters cannot make a valid image (invalid=TRUE) or
 * a write fails (invalid=FALSE, errno kept). */
gboolean qcow2_create_write (const Qcow2CreateParams *params,
                             int                      fd,
                             gboolean                *out_invalid,
                             char                   **out_message);
gboolean qcow2_create_check (const Qcow2CreateParams *params, char **out_message);

G_END_DECLS
