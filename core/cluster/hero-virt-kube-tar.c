/* hero-virt-kube-tar.c: tar archives for `cp` through exec
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hero-virt-error.h"
#include "hero-virt-kube-tar.h"

#define BLOCK 512

typedef struct
{
  char name[100];
  char mode[8];
  char uid[8];
  char gid[8];
  char size[12];
  char mtime[12];
  char chksum[8];
  char typeflag;
  char linkname[100];
  char magic[6];
  char version[2];
  char uname[32];
  char gname[32];
  char devmajor[8];
  char devminor[8];
  char prefix[155];
  char pad[12];
} TarHeader;

G_STATIC_ASSERT (sizeof (TarHeader) == BLOCK);

/* ---- writing ----------------------------------------------------------- */

static void
put_octal (char *field, gsize width, guint64 value)
{
  /* width-1 digits and a NUL, or base-256 when it does not fit */
  if (width > 1 && value < ((guint64)1 << (3 * (width - 1))))
    {
      g_snprintf (field, width, "%0*" G_GINT64_MODIFIER "o", (int)(width - 1), value);
      return;
    }
  memset (field, 0, width);
  field[0] = (char)0x80;
  for (gsize i = width - 1; i > 0 && value; i--, value >>= 8)
    field[i] = (char)(value & 0xff);
}

static void
finish_header (TarHeader *h)
{
  const guint8 *p = (const guint8 *)h;
  guint         sum = 0;

  memset (h->chksum, ' ', sizeof h->chksum);
  memcpy (h->magic, "ustar ", 6);
  memcpy (h->version, " ", 2);
  for (gsize i = 0; i < BLOCK; i++)
    sum += p[i];
  g_snprintf (h->chksum, 7, "%06o", sum);
  h->chksum[7] = ' ';
}

static void
pad_to_block (GByteArray *out)
{
  static const guint8 zero[BLOCK];

  if (out->len % BLOCK)
    g_byte_array_append (out, zero, BLOCK - out->len % BLOCK);
}

/* A GNU long name (L) or long link (K) entry before the real header. */
static void
put_long (GByteArray *out, char type, const char *value)
{
  TarHeader h = { 0 };
  gsize     len = strlen (value) + 1;

  strcpy (h.name, "././@LongLink");
  put_octal (h.mode, sizeof h.mode, 0644);
  put_octal (h.uid, sizeof h.uid, 0);
  put_octal (h.gid, sizeof h.gid, 0);
  put_octal (h.size, sizeof h.size, len);
  put_octal (h.mtime, sizeof h.mtime, 0);
  h.typeflag = type;
  finish_header (&h);
  g_byte_array_append (out, (const guint8 *)&h, BLOCK);
  g_byte_array_append (out, (const guint8 *)value, len);
  pad_to_block (out);
}

static void
put_header (GByteArray     *out,
            const char     *name,
            char            type,
            const GStatBuf *st,
            guint64         size,
            const char     *linkname)
{
  TarHeader h = { 0 };

  if (strlen (name) >= sizeof h.name)
    put_long (out, 'L', name);
  if (linkname != NULL && strlen (linkname) >= sizeof h.linkname)
    put_long (out, 'K', linkname);
  strncpy (h.name, name, sizeof h.name - 1);
  put_octal (h.mode, sizeof h.mode, st->st_mode & 07777);
  put_octal (h.uid, sizeof h.uid, 0);
  put_octal (h.gid, sizeof h.gid, 0);
  put_octal (h.size, sizeof h.size, size);
  put_octal (h.mtime, sizeof h.mtime, st->st_mtime > 0 ? (guint64)st->st_mtime : 0);
  h.typeflag = type;
  if (linkname != NULL)
    strncpy (h.linkname, linkname, sizeof h.linkname - 1);
  finish_header (&h);
  g_byte_array_append (out, (const guint8 *)&h, BLOCK);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

static gboolean
add_path (GByteArray   *out,
          const char   *path,
          const char   *name,
          GCancellable *cancellable,
          GError      **error)
{
  GStatBuf st;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_lstat (path, &st) != 0)
    {
      int e = errno;
      g_set_error (error, HERO_VIRT_ERROR,
                   e == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND : HERO_VIRT_ERROR_IO, "%s: %s", path,
                   g_strerror (e));
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    {
      g_autofree char *data = NULL;
      gsize            len = 0;
      g_autoptr (GError) e = NULL;

      if (!g_file_get_contents (path, &data, &len, &e))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", e->message);
          return FALSE;
        }
      put_header (out, name, '0', &st, len, NULL);
      g_byte_array_append (out, (const guint8 *)data, len);
      pad_to_block (out);
      return TRUE;
    }
  if (S_ISLNK (st.st_mode))
    {
      g_autoptr (GError) e = NULL;
      g_autofree char *target = g_file_read_link (path, &e);

      if (target == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", e->message);
          return FALSE;
        }
      put_header (out, name, '2', &st, 0, target);
      return TRUE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (GDir) dir = g_dir_open (path, 0, &e);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *dir_name = g_strconcat (name, "/", NULL);
      const char      *child;

      if (dir == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", e->message);
          return FALSE;
        }
      put_header (out, dir_name, '5', &st, 0, NULL);
      while ((child = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (child));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *cpath = g_build_filename (path, names->pdata[i], NULL);
          g_autofree char *cname = g_strconcat (name, "/", names->pdata[i], NULL);

          if (!add_path (out, cpath, cname, cancellable, error))
            return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
               "%s is neither a file, a directory nor a symbolic link", path);
  return FALSE;
}

GBytes *
_hero_virt_tar_create (const char   *path,
                       const char   *top_name,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  static const guint8 zero[2 * BLOCK];

  if (!add_path (out, path, top_name, cancellable, error))
    return NULL;
  g_byte_array_append (out, zero, sizeof zero);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- reading ----------------------------------------------------------- */

typedef struct
{
  char          type; /* '0' file, '5' directory, '2' symlink, '1' hard link */
  char         *path; /* normalized, renamed, relative to the destination */
  char         *link; /* symlink target as stored; hard link: normalized */
  guint         mode;
  gint64        mtime;
  const guint8 *data;
  gsize         size;
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->path);
  g_free (e->link);
  g_free (e);
}

static gboolean
parse_number (const char *field, gsize width, guint64 *value)
{
  guint64 v = 0;
  gsize   i = 0;

  if ((guint8)field[0] & 0x80)
    {
      /* base-256 */
      v = (guint8)field[0] & 0x7f;
      for (i = 1; i < width; i++)
        {
          if (v >> 56)
            return FALSE;
          v = (v << 8) | (guint8)field[i];
        }
      *value = v;
      return TRUE;
    }
  while (i < width && field[i] == ' ')
    i++;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; i++)
    {
      if (v >> 60)
        return FALSE;
      v = v * 8 + (guint64)(field[i] - '0');
    }
  for (; i < width; i++)
    if (field[i] != ' ' && field[i] != '\0')
      return FALSE;
  *value = v;
  return TRUE;
}

static char *
field_string (const char *field, gsize width)
{
  return g_strndup (field, strnlen (field, width));
}

static gboolean
refuse (GError **error, const char *name, const char *why)
{
  g_autofree char *shown = g_utf8_make_valid (name, -1);

  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "The archive's member %s %s; nothing was extracted", shown, why);
  return FALSE;
}

/* A member name as components under the destination: NULL (and @error)
 * if it is absolute, has `..`, or lies outside @top_name. *@skip is set
 * for `.` itself. */
static char *
normalize (const char *name,
           const char *top_name,
           const char *new_name,
           gboolean   *skip,
           GError    **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  *skip = FALSE;
  if (name[0] == '/')
    {
      refuse (error, name, "is an absolute path");
      return NULL;
    }
  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          refuse (error, name, "has a .. component");
          return NULL;
        }
      g_ptr_array_add (kept, parts[i]);
    }
  if (kept->len == 0)
    {
      if (top_name != NULL)
        {
          refuse (error, name, "is not under the copied path");
          return NULL;
        }
      *skip = TRUE;
      return NULL;
    }
  if (top_name != NULL)
    {
      if (strcmp (kept->pdata[0], top_name) != 0)
        {
          refuse (error, name, "is not under the copied path");
          return NULL;
        }
      kept->pdata[0] = (gpointer)new_name;
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **)kept->pdata);
}

/* Whether the symbolic link @path -> @target stays inside the destination
 * when resolved from the link's directory (lexically). */
static gboolean
link_stays_inside (const char *path, const char *target)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_auto (GStrv) tparts = NULL;
  int depth = (int)g_strv_length (parts) - 1; /* the link's directory */

  if (target[0] == '/' || target[0] == '\0')
    return FALSE;
  tparts = g_strsplit (target, "/", -1);
  for (guint i = 0; tparts[i] != NULL; i++)
    {
      if (tparts[i][0] == '\0' || strcmp (tparts[i], ".") == 0)
        continue;
      if (strcmp (tparts[i], "..") == 0)
        {
          if (--depth < 0)
            return FALSE;
        }
      else
        depth++;
    }
  return TRUE;
}

static GPtrArray *
parse_archive (GBytes *archive, const char *top_name, const char *new_name, GError **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal); /* path -> Entry */
  g_autofree char *long_name = NULL, *long_link = NULL;
  gsize            len = 0;
  const guint8    *p = g_bytes_get_data (archive, &len);
  gsize            off = 0;

  for (;;)
    {
      const TarHeader *h;
      guint64          size = 0, mode = 0, mtime = 0, chksum = 0;
      guint            sum = 0;
      g_autofree char *name = NULL, *link = NULL, *path = NULL;
      gboolean         skip = FALSE, all_zero = TRUE;
      Entry           *e, *target;
      char             type;

      if (off + BLOCK > len)
        {
          if (off == len)
            break; /* no end blocks: accepted, as tar does */
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "The archive is cut short; nothing was extracted");
          return NULL;
        }
      h = (const TarHeader *)(p + off);
      for (gsize i = 0; i < BLOCK; i++)
        all_zero &= p[off + i] == 0;
      if (all_zero)
        break;
      for (gsize i = 0; i < BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : p[off + i];
      if (!parse_number (h->chksum, sizeof h->chksum, &chksum) || chksum != sum
          || !parse_number (h->size, sizeof h->size, &size)
          || !parse_number (h->mode, sizeof h->mode, &mode)
          || !parse_number (h->mtime, sizeof h->mtime, &mtime))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "The archive has a damaged header at byte %" G_GSIZE_FORMAT
                       "; nothing was extracted",
                       off);
          return NULL;
        }
      off += BLOCK;
      if (size > len - off)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "The archive is cut short; nothing was extracted");
          return NULL;
        }
      type = h->typeflag;
      if (type == 'L' || type == 'K')
        {
          char *v = g_strndup ((const char *)p + off, MIN (size, 65536));
          if (type == 'L')
            g_free (long_name), long_name = v;
          else
            g_free (long_link), long_link = v;
          off += (size + BLOCK - 1) / BLOCK * BLOCK;
          continue;
        }
      if (type == 'x' || type == 'g')
        {
          /* pax records: "LEN key=value\n" */
          gsize pos = 0;

          while (type == 'x' && pos < size)
            {
              const char *rec = (const char *)p + off + pos;
              char       *end = NULL;
              guint64     rlen = g_ascii_strtoull (rec, &end, 10);
              const char *kv;

              if (end == rec || *end != ' ' || rlen < 5 || rlen > size - pos)
                {
                  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                               "The archive has a damaged pax header; nothing was extracted");
                  return NULL;
                }
              kv = end + 1;
              if (g_str_has_prefix (kv, "path="))
                g_free (long_name), long_name = g_strndup (kv + 5, rec + rlen - 1 - (kv + 5));
              else if (g_str_has_prefix (kv, "linkpath="))
                g_free (long_link), long_link = g_strndup (kv + 9, rec + rlen - 1 - (kv + 9));
              pos += rlen;
            }
          off += (size + BLOCK - 1) / BLOCK * BLOCK;
          continue;
        }

      if (long_name != NULL)
        name = g_steal_pointer (&long_name);
      else if (memcmp (h->magic, "ustar\0", 6) == 0 && h->prefix[0] != '\0')
        {
          g_autofree char *prefix = field_string (h->prefix, sizeof h->prefix);
          g_autofree char *base = field_string (h->name, sizeof h->name);
          name = g_strconcat (prefix, "/", base, NULL);
        }
      else
        name = field_string (h->name, sizeof h->name);
      link = long_link ? g_steal_pointer (&long_link)
                       : field_string (h->linkname, sizeof h->linkname);

      if (type == '\0' || type == '7')
        type = '0';
      if (type != '0' && type != '5' && type != '2' && type != '1')
        {
          refuse (error, name, "is a device, a FIFO or of an unknown type");
          return NULL;
        }
      path = normalize (name, top_name, new_name, &skip, error);
      if (path == NULL && !skip)
        return NULL;
      if (type == '2' && (path == NULL || !link_stays_inside (path, link)))
        {
          refuse (error, name, "is a symbolic link that leaves the destination");
          return NULL;
        }
      if (!skip)
        {
          e = g_new0 (Entry, 1);
          e->type = type;
          e->path = g_steal_pointer (&path);
          e->mode = (guint)(mode & 01777);
          e->mtime = (gint64)mtime;
          if (type == '0')
            {
              e->data = p + off;
              e->size = size;
            }
          if (type == '1')
            {
              gboolean lskip = FALSE;

              e->link = normalize (link, top_name, new_name, &lskip, NULL);
              target = e->link ? g_hash_table_lookup (seen, e->link) : NULL;
              if (target == NULL || target->type != '0')
                {
                  /* Only to a file before it: a second name for a link
                   * elsewhere could point out of the destination. */
                  entry_free (e);
                  refuse (
                      error, name,
                      "is a hard link to something that is not a file before it in the archive");
                  return NULL;
                }
            }
          else if (type == '2')
            e->link = g_steal_pointer (&link);
          g_ptr_array_add (entries, e);
          if (type != '5')
            g_hash_table_insert (seen, e->path, e);
        }
      off += type == '0' ? (size + BLOCK - 1) / BLOCK * BLOCK : 0;
      if (type != '0' && size > 0)
        off += (size + BLOCK - 1) / BLOCK * BLOCK;
    }
  return g_steal_pointer (&entries);
}

static gboolean
io_error (GError **error, const char *path, int e)
{
  g_autofree char *shown = g_utf8_make_valid (path, -1);

  if (e == ELOOP || e == ENOTDIR)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                 "Extracting %s would go through a symbolic link or a file; stopped", shown);
  else
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Extracting %s: %s", shown,
                 g_strerror (e));
  return FALSE;
}

/* Opens the directory that holds @path (components under @root_fd),
 * creating missing directories, following no link. Sets *@leaf. */
static int
open_parent (int root_fd, const char *path, gboolean create, const char **leaf, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  int   fd = dup (root_fd);

  if (fd < 0)
    {
      io_error (error, path, errno);
      return -1;
    }
  for (guint i = 0; i + 1 < n; i++)
    {
      int next = openat (fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

      if (next < 0 && errno == ENOENT && create)
        {
          if (mkdirat (fd, parts[i], 0755) != 0 && errno != EEXIST)
            {
              int e = errno;
              close (fd);
              io_error (error, path, e);
              return -1;
            }
          next = openat (fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
      if (next < 0)
        {
          int e = errno;
          close (fd);
          io_error (error, path, e);
          return -1;
        }
      close (fd);
      fd = next;
    }
  *leaf = strrchr (path, '/') ? strrchr (path, '/') + 1 : path;
  return fd;
}

/* Makes room for a non-directory at @leaf: an existing file or link there
 * goes (never what it points to); a directory stays and is an error. */
static gboolean
clear_leaf (int dirfd, const char *leaf, const char *path, GError **error)
{
  struct stat st;

  if (fstatat (dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? TRUE : io_error (error, path, errno);
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS,
                   "Extracting %s: a directory of that name exists", path);
      return FALSE;
    }
  if (unlinkat (dirfd, leaf, 0) != 0)
    return io_error (error, path, errno);
  return TRUE;
}

static gboolean
extract_entry (int root_fd, Entry *e, GPtrArray *dirs, GError **error)
{
  const char *leaf = NULL;
  int         dirfd = open_parent (root_fd, e->path, TRUE, &leaf, error);
  gboolean    ok = TRUE;

  if (dirfd < 0)
    return FALSE;
  switch (e->type)
    {
    case '5':
      {
        struct stat st;

        if (mkdirat (dirfd, leaf, 0700) != 0
            && (errno != EEXIST || fstatat (dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0
                || !S_ISDIR (st.st_mode)))
          ok = io_error (error, e->path, errno == EEXIST ? ENOTDIR : errno);
        else
          g_ptr_array_add (dirs, e);
        break;
      }
    case '0':
      {
        int fd;

        if (!(ok = clear_leaf (dirfd, leaf, e->path, error)))
          break;
        fd = openat (dirfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
          {
            ok = io_error (error, e->path, errno);
            break;
          }
        for (gsize done = 0; done < e->size;)
          {
            gssize n = write (fd, e->data + done, e->size - done);
            if (n < 0 && errno == EINTR)
              continue;
            if (n <= 0)
              {
                ok = io_error (error, e->path, n < 0 ? errno : EIO);
                break;
              }
            done += (gsize)n;
          }
        if (ok)
          {
            struct timespec times[2] = { { 0, UTIME_OMIT }, { e->mtime, 0 } };
            if (fchmod (fd, e->mode) != 0)
              ok = io_error (error, e->path, errno);
            futimens (fd, times);
          }
        close (fd);
        break;
      }
    case '2':
      if ((ok = clear_leaf (dirfd, leaf, e->path, error)) && symlinkat (e->link, dirfd, leaf) != 0)
        ok = io_error (error, e->path, errno);
      break;
    case '1':
      {
        const char *tleaf = NULL;
        int         tdir;

        if (!(ok = clear_leaf (dirfd, leaf, e->path, error)))
          break;
        tdir = open_parent (root_fd, e->link, FALSE, &tleaf, error);
        if (tdir < 0)
          {
            ok = FALSE;
            break;
          }
        if (linkat (tdir, tleaf, dirfd, leaf, 0) != 0)
          ok = io_error (error, e->path, errno);
        close (tdir);
        break;
      }
    default:
      g_assert_not_reached ();
    }
  close (dirfd);
  return ok;
}

gboolean
_hero_virt_tar_extract (GBytes     *archive,
                        const char *dest_dir,
                        const char *top_name,
                        const char *new_name,
                        GError    **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GPtrArray) dirs = g_ptr_array_new ();
  int root_fd;

  g_return_val_if_fail (top_name == NULL || new_name != NULL, FALSE);
  if (new_name != NULL
      && (new_name[0] == '\0' || strchr (new_name, '/') || strcmp (new_name, ".") == 0
          || strcmp (new_name, "..") == 0))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Not a file name: %s",
                   new_name);
      return FALSE;
    }
  if ((entries = parse_archive (archive, top_name, new_name, error)) == NULL)
    return FALSE;
  root_fd = open (dest_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    {
      int e = errno;
      g_set_error (error, HERO_VIRT_ERROR,
                   e == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND : HERO_VIRT_ERROR_IO, "%s: %s", dest_dir,
                   g_strerror (e));
      return FALSE;
    }
  for (guint i = 0; i < entries->len; i++)
    if (!extract_entry (root_fd, entries->pdata[i], dirs, error))
      {
        close (root_fd);
        return FALSE;
      }
  /* Directories get their modes last, deepest first, so a read-only one
   * did not stop its own contents. */
  for (guint i = dirs->len; i > 0; i--)
    {
      Entry      *e = dirs->pdata[i - 1];
      const char *leaf = NULL;
      int         parent = open_parent (root_fd, e->path, FALSE, &leaf, NULL);
      int         fd;

      if (parent < 0)
        continue;
      fd = openat (parent, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0)
        {
          fchmod (fd, e->mode);
          close (fd);
        }
      close (parent);
    }
  close (root_fd);
  return TRUE;
}
