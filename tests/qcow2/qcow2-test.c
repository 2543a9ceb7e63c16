/* qcow2-test.c: the qcow2 disk provider against the real qemu-img
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#include "testlib.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = ht_tmpdir_new ("qcow2-test");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ht_tmpdir_free (f->dir);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Runs qemu-img with the given arguments; asserts it succeeded. */
static void
qemu_img (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  va_list          args;

  g_ptr_array_add (argv, (gpointer) "qemu-img");
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer)a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  out = ht_run ((const char *const *)argv->pdata, FALSE);
}

static JsonNode *
qemu_img_info (const char *path)
{
  const char      *argv[] = { "qemu-img", "info", "-U", "--output=json", "--", path, NULL };
  g_autofree char *out = ht_run (argv, FALSE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* The format these tests state: their raw files end in ".raw". */
static const char *
format_for (const char *path)
{
  return g_str_has_suffix (path, ".raw") ? "raw" : "qcow2";
}

/* A disk as a careful owner opens it: the format stated, references
 * allowed as @flags say. */
static HeroVirtDisk *
disk_new_as (const char *path, const char *format, HeroVirtDiskOpenFlags flags)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtDiskProvider) provider = NULL;
  HeroVirtDisk *disk = hero_virt_disk_new_for_provider (path, "qcow2", NULL, &error);

  g_assert_no_error (error);
  provider = hero_virt_disk_get_provider (disk, &error);
  g_assert_no_error (error);
  g_object_unref (disk);
  disk = g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "provider", provider, "format", format,
                       "allow-backing-file", (flags & HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE) != 0,
                       "allow-data-file", (flags & HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE) != 0, NULL);
  g_assert_nonnull (disk);
  return disk;
}

/* The tests of the format itself read overlays too. */
static HeroVirtDisk *
disk_new (const char *path)
{
  return disk_new_as (path, format_for (path), HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE);
}

static HeroVirtDiskInfo *
disk_info (const char *path)
{
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (GError) error = NULL;
  HeroVirtDiskInfo *info = hero_virt_disk_info (disk, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, TRUE);
}

static void
assert_json_equal (JsonNode *native, JsonNode *expected, const char *what)
{
  if (!json_node_equal (native, expected))
    {
      g_autofree char *a = to_text (native);
      g_autofree char *b = to_text (expected);
      g_error ("%s: native info differs from qemu-img:\nnative: %s\nqemu-img: %s", what, a, b);
    }
}

/* Same members in the same order (qemu-img's QDict order). */
static void
assert_same_order (JsonNode *native, JsonNode *expected)
{
  g_autoptr (GList) a = json_object_get_members (json_node_get_object (native));
  g_autoptr (GList) b = json_object_get_members (json_node_get_object (expected));

  for (GList *x = a, *y = b; x || y; x = x->next, y = y->next)
    {
      g_assert_nonnull (x);
      g_assert_nonnull (y);
      g_assert_cmpstr (x->data, ==, y->data);
    }
}

static void
assert_native_matches_qemu (const char *path)
{
  g_autoptr (HeroVirtDiskInfo) info = disk_info (path);
  g_autoptr (JsonNode) expected = qemu_img_info (path);

  assert_json_equal (hero_virt_disk_info_get_json_node (info), expected, path);
  assert_same_order (hero_virt_disk_info_get_json_node (info), expected);
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
put_be64 (guint8 *p, guint64 v)
{
  put_be32 (p, v >> 32);
  put_be32 (p + 4, (guint32)v);
}

static void
put_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

/* Removes the backing format extension the way an old QEMU would have
 * written the image: its magic becomes an unknown one, which is skipped. */
static void
drop_backing_format (const char *path)
{
  g_autoptr (GBytes) bytes = read_bytes (path);
  gsize        len;
  guint8      *data = g_bytes_unref_to_data (g_bytes_ref (bytes), &len);
  const guint8 magic[] = { 0xe2, 0x79, 0x2a, 0xca };
  guint8      *p = memmem (data, MIN (len, 4096), magic, sizeof magic);

  g_assert_nonnull (p);
  put_be32 (p, 0x12345678);
  write_bytes (path, data, len);
  g_free (data);
}

/* ---- info ---- */

static void
test_info_matches_qemu_img (Fixture *f, gconstpointer data)
{
  static const char *const cluster_sizes[]
      = { "512", "4096", "16384", "65536", "524288", "2097152" };
  g_autofree char *base = path_in (f, "base.qcow2");
  g_autofree char *v2 = path_in (f, "v2.qcow2");
  g_autofree char *lazy = path_in (f, "lazy.qcow2");
  g_autofree char *zstd = path_in (f, "zstd.qcow2");
  g_autofree char *extl2 = path_in (f, "extl2.qcow2");
  g_autofree char *odd = path_in (f, "odd.qcow2");
  g_autofree char *overlay = path_in (f, "overlay.qcow2");
  g_autofree char *overlay_abs = path_in (f, "overlay-abs.qcow2");
  g_autofree char *overlay_nofmt = path_in (f, "overlay-nofmt.qcow2");
  g_autofree char *overlay_raw = path_in (f, "overlay-raw.qcow2");
  g_autofree char *raw = path_in (f, "disk.raw");
  g_autofree char *snaps = path_in (f, "snaps.qcow2");
  g_autofree char *snaps_v2 = path_in (f, "snaps-v2.qcow2");

  if (!ht_require_program ("qemu-img"))
    return;

  qemu_img ("create", "-q", "-f", "qcow2", base, "1G", NULL);
  assert_native_matches_qemu (base);
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "compat=0.10", v2, "3G", NULL);
  assert_native_matches_qemu (v2);
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", lazy, "10G", NULL);
  assert_native_matches_qemu (lazy);
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "compression_type=zstd", zstd, "1G", NULL);
  assert_native_matches_qemu (zstd);
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "extended_l2=on", extl2, "1G", NULL);
  assert_native_matches_qemu (extl2);
  qemu_img ("create", "-q", "-f", "qcow2", odd, "1000000512", NULL);
  assert_native_matches_qemu (odd);

  for (guint i = 0; i < G_N_ELEMENTS (cluster_sizes); i++)
    for (guint v = 0; v < 2; v++)
      {
        g_autofree char *name = g_strdup_printf ("c%s-%u.qcow2", cluster_sizes[i], v);
        g_autofree char *path = path_in (f, name);
        g_autofree char *opts
            = g_strdup_printf ("cluster_size=%s,compat=%s", cluster_sizes[i], v ? "1.1" : "0.10");

        qemu_img ("create", "-q", "-f", "qcow2", "-o", opts, path, "5G", NULL);
        assert_native_matches_qemu (path);
      }

  /* Backing files: relative, absolute, without a recorded format, raw. */
  qemu_img ("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", overlay, NULL);
  assert_native_matches_qemu (overlay);
  qemu_img ("create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", overlay_abs, "2G", NULL);
  assert_native_matches_qemu (overlay_abs);
  qemu_img ("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", overlay_nofmt, NULL);
  drop_backing_format (overlay_nofmt);
  {
    /* A backing file of unrecorded format would be probed: refused even
     * when backing files are allowed. */
    g_autoptr (HeroVirtDisk) disk = disk_new (overlay_nofmt);
    g_autoptr (GError) error = NULL;
    g_autoptr (HeroVirtDiskInfo) info = hero_virt_disk_info (disk, NULL, &error);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "never probed"));
    g_assert_null (info);
  }
  qemu_img ("create", "-q", "-f", "raw", raw, "64M", NULL);
  qemu_img ("create", "-q", "-f", "qcow2", "-b", "disk.raw", "-F", "raw", overlay_raw, NULL);
  assert_native_matches_qemu (overlay_raw);

  /* Snapshots, v3 (with icount) and v2, one deleted from the middle. */
  qemu_img ("create", "-q", "-f", "qcow2", snaps, "1G", NULL);
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "compat=0.10", snaps_v2, "1G", NULL);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("snap-%u", i);
      qemu_img ("snapshot", "-c", name, snaps, NULL);
      qemu_img ("snapshot", "-c", name, snaps_v2, NULL);
    }
  qemu_img ("snapshot", "-d", "snap-1", snaps, NULL);
  assert_native_matches_qemu (snaps);
  assert_native_matches_qemu (snaps_v2);
  {
    g_autoptr (HeroVirtDiskInfo) info = disk_info (snaps);
    g_autoptr (GPtrArray) list = hero_virt_disk_info_get_snapshots (info);
    g_assert_cmpuint (list->len, ==, 3);
    g_assert_cmpstr (hero_virt_disk_snapshot_get_name (g_ptr_array_index (list, 1)), ==, "snap-2");
  }

  /* A raw file goes to qemu-img. */
  assert_native_matches_qemu (raw);
}

/* Sets a header field of a copy of @src; returns the copy's path. */
static char *
patched_copy (Fixture      *f,
              const char   *src,
              const char   *name,
              gsize         offset,
              const guint8 *bytes,
              gsize         n)
{
  g_autoptr (GBytes) data = read_bytes (src);
  gsize   len;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (data), &len);
  char   *path = path_in (f, name);

  g_assert_cmpuint (offset + n, <=, len);
  memcpy (copy + offset, bytes, n);
  write_bytes (path, copy, len);
  g_free (copy);
  return path;
}

static void
test_info_dirty_and_corrupt_flags (Fixture *f, gconstpointer data)
{
  g_autofree char *base = path_in (f, "lazy.qcow2");
  guint8           bits[8];
  g_autofree char *dirty = NULL;
  g_autofree char *corrupt = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", base, "1G", NULL);
  put_be64 (bits, 1);
  dirty = patched_copy (f, base, "dirty.qcow2", 72, bits, 8);
  put_be64 (bits, 2);
  corrupt = patched_copy (f, base, "corrupt.qcow2", 72, bits, 8);
  assert_native_matches_qemu (dirty);
  assert_native_matches_qemu (corrupt);
  {
    g_autoptr (HeroVirtDiskInfo) info = disk_info (dirty);
    g_assert_true (hero_virt_disk_info_get_dirty (info));
    g_assert_true (hero_virt_disk_info_get_lazy_refcounts (info));
  }
}

/* With no qemu-img in PATH the native reader still answers for qcow2,
 * which shows it spawns nothing; a raw file then needs qemu-img. */
static void
test_info_without_qemu_img (Fixture *f, gconstpointer data)
{
  g_autofree char *img = path_in (f, "a.qcow2");
  g_autofree char *raw = path_in (f, "a.raw");
  g_autoptr (HeroVirtLocalExecutor) executor = hero_virt_local_executor_new ();
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDisk) raw_disk = NULL;
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtDiskInfo) raw_info = NULL;
  g_autoptr (JsonNode) expected = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *old_path = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", img, "2G", NULL);
  qemu_img ("snapshot", "-c", "one", img, NULL);
  write_bytes (raw, "0123456789", 10);
  /* The process's own PATH: that is where the spawner looks. */
  old_path = g_strdup (g_getenv ("PATH"));
  g_setenv ("PATH", "/nonexistent", TRUE);
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "PATH", "/nonexistent");

  disk = hero_virt_disk_new_for_provider (img, "qcow2", HERO_VIRT_EXECUTOR (executor), &error);
  g_assert_no_error (error);
  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);

  /* Not stated raw, it is not taken for anything but qcow2: refused. */
  raw_disk = hero_virt_disk_new_for_provider (raw, "qcow2", HERO_VIRT_EXECUTOR (executor), &error);
  g_assert_no_error (error);
  raw_info = hero_virt_disk_info (raw_disk, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_null (raw_info);
  g_clear_error (&error);
  g_clear_object (&raw_disk);
  {
    g_autoptr (HeroVirtDiskProvider) provider = hero_virt_disk_get_provider (disk, NULL);
    raw_disk = g_object_new (HERO_VIRT_TYPE_DISK, "path", raw, "executor", executor, "provider",
                             provider, "format", "raw", NULL);
  }
  raw_info = hero_virt_disk_info (raw_disk, NULL, &error);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
  g_assert_null (raw_info);

  expected = qemu_img_info (img);
  assert_json_equal (hero_virt_disk_info_get_json_node (info), expected, img);
}

static void
test_info_missing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "missing.qcow2");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtDiskInfo) info = hero_virt_disk_info (disk, NULL, &error);

  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_assert_null (info);
}

/* ---- native create ---- */

typedef struct
{
  const char *compat;
  guint       cluster_size;
  guint64     size;
  gboolean    lazy;
  const char *backing;
  const char *backing_format;
} CreateCase;

static JsonNode *
without_volatile (JsonNode *node)
{
  /* json_node_copy() shares the object: build a new one. */
  JsonObject *source = json_node_get_object (node);
  JsonObject *object = json_object_new ();
  JsonNode   *copy = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GList) members = json_object_get_members (source);

  for (GList *l = members; l; l = l->next)
    if (strcmp (l->data, "filename") != 0 && strcmp (l->data, "actual-size") != 0)
      json_object_set_member (object, l->data,
                              json_node_copy (json_object_get_member (source, l->data)));
  json_node_take_object (copy, object);
  return copy;
}

static void
qemu_img_check_clean (const char *path)
{
  const char      *argv[] = { "qemu-img", "check", "--output=json", "--", path, NULL };
  g_autofree char *out = ht_run (argv, FALSE); /* exit 0: no errors, no leaks */
  g_autoptr (HeroVirtDiskCheckResult) result = NULL;
  g_autoptr (GError) error = NULL;

  result = hero_virt_disk_check_result_new_from_json (out, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_check_result_get_clean (result));
}

static void
create_and_compare (Fixture *f, const CreateCase *c, guint index)
{
  g_autofree char *name = g_strdup_printf ("native-%u.qcow2", index);
  g_autofree char *ref_name = g_strdup_printf ("qemu-%u.qcow2", index);
  g_autofree char *path = path_in (f, name);
  g_autofree char *ref = path_in (f, ref_name);
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (c->size);
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (JsonNode) expected = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_autofree char *out = NULL;

  hero_virt_disk_create_options_set_compat (options, c->compat);
  hero_virt_disk_create_options_set_cluster_size (options, c->cluster_size);
  hero_virt_disk_create_options_set_lazy_refcounts (options, c->lazy);
  if (c->backing)
    hero_virt_disk_create_options_set_backing_file (options, c->backing, c->backing_format);
  g_assert_true (hero_virt_disk_create_with_options (disk, options, NULL, &error));
  g_assert_no_error (error);

  g_ptr_array_add (argv, g_strdup ("qemu-img"));
  g_ptr_array_add (argv, g_strdup ("create"));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup ("-f"));
  g_ptr_array_add (argv, g_strdup ("qcow2"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup_printf ("compat=%s,cluster_size=%u,lazy_refcounts=%s",
                                          c->compat ? c->compat : "1.1",
                                          c->cluster_size ? c->cluster_size : 65536,
                                          c->lazy ? "on" : "off"));
  if (c->backing)
    {
      g_ptr_array_add (argv, g_strdup ("-b"));
      g_ptr_array_add (argv, g_strdup (c->backing));
      g_ptr_array_add (argv, g_strdup ("-F"));
      /* Our create probes a missing format; qemu-img needs it. */
      g_ptr_array_add (argv, g_strdup (c->backing_format ? c->backing_format : "qcow2"));
    }
  g_ptr_array_add (argv, g_strdup (ref));
  if (c->size)
    g_ptr_array_add (argv, g_strdup_printf ("%" G_GUINT64_FORMAT, c->size));
  g_ptr_array_add (argv, NULL);
  out = ht_run ((const char *const *)argv->pdata, FALSE);

  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  expected = qemu_img_info (ref);
  a = without_volatile (hero_virt_disk_info_get_json_node (info));
  b = without_volatile (expected);
  assert_json_equal (a, b, path);

  /* And qemu-img reads our image the same way. */
  {
    g_autoptr (JsonNode) qemu_on_native = qemu_img_info (path);
    assert_json_equal (hero_virt_disk_info_get_json_node (info), qemu_on_native, path);
  }
  qemu_img_check_clean (path);
}

static void
test_create_native_matches_qemu_img (Fixture *f, gconstpointer data)
{
  g_autofree char *base = path_in (f, "base.qcow2");
  const CreateCase cases[] = {
    { NULL, 0, 1 << 30, FALSE, NULL, NULL },
    { "0.10", 0, 1 << 30, FALSE, NULL, NULL },
    { "1.1", 512, G_GUINT64_CONSTANT (1) << 30, FALSE, NULL, NULL },
    { "0.10", 512, G_GUINT64_CONSTANT (100) << 30, FALSE, NULL, NULL },
    { "1.1", 4096, G_GUINT64_CONSTANT (1) << 40, TRUE, NULL, NULL },
    { "1.1", 65536, G_GUINT64_CONSTANT (1) << 50, FALSE, NULL, NULL },
    { "1.1", 2097152, G_GUINT64_CONSTANT (1) << 55, TRUE, NULL, NULL },
    { "0.10", 2097152, 512, FALSE, NULL, NULL },
    { "1.1", 1024, 3 * 512, FALSE, NULL, NULL },
    { "1.1", 0, 0, FALSE, "base.qcow2", "qcow2" },
    { "1.1", 0, 0, FALSE, "base.qcow2", NULL },
    { "0.10", 0, G_GUINT64_CONSTANT (8) << 30, FALSE, "base.qcow2", "qcow2" },
    { "1.1", 512, 0, FALSE, "base.qcow2", "qcow2" },
    { "1.1", 65536, 1 << 30, TRUE, base, "qcow2" },
  };

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", base, "3G", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    create_and_compare (f, &cases[i], i);
}

/* qemu-io writes through our metadata; qemu-img check stays clean. */
static void
test_create_native_is_writable (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "w.qcow2");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (HeroVirtDiskCreateOptions) options
      = hero_virt_disk_create_options_new (G_GUINT64_CONSTANT (4) << 30);
  g_autoptr (GError) error = NULL;

  if (!ht_require_program ("qemu-img") || !ht_require_program ("qemu-io"))
    return;
  hero_virt_disk_create_options_set_cluster_size (options, 4096);
  g_assert_true (hero_virt_disk_create_with_options (disk, options, NULL, &error));
  g_assert_no_error (error);
  {
    const char *argv[]
        = { "qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 3M", "-c", "write -P 0xcd 3G 1M",
            path,      NULL };
    g_autofree char *out = ht_run (argv, FALSE);
  }
  {
    const char *argv[] = {
      "qemu-io",         "-f", "qcow2", "-c", "read -P 0xab 0 3M", "-c", "read -P 0xcd 3G 1M", "-c",
      "read -P 0 4M 1M", path, NULL
    };
    g_autofree char *out = ht_run (argv, FALSE);
    g_assert_null (strstr (out, "Pattern verification failed"));
  }
  qemu_img_check_clean (path);
}

static void
test_create_raw_and_options (Fixture *f, gconstpointer data)
{
  g_autofree char *raw = path_in (f, "r.raw");
  g_autoptr (HeroVirtDisk) disk = disk_new (raw);
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (1 << 20);
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  hero_virt_disk_create_options_set_format (options, "raw");
  g_assert_true (hero_virt_disk_create_with_options (disk, options, NULL, &error));
  g_assert_no_error (error);
  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "raw");
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 1 << 20);

  /* No temporary file is left behind. */
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  for (const char *n = g_dir_read_name (dir); n; n = g_dir_read_name (dir))
    g_assert_cmpstr (n, ==, "r.raw");
}

static void
test_create_existing (Fixture *f, gconstpointer data)
{
  const char *formats[] = { "qcow2", "raw" };

  if (!ht_require_program ("qemu-img"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = path_in (f, formats[i]);
      g_autoptr (HeroVirtDisk) disk = disk_new (path);
      g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (1 << 20);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) after = NULL;
      g_autoptr (GBytes) before = g_bytes_new_static ("precious", 8);

      write_bytes (path, "precious", 8);
      hero_virt_disk_create_options_set_format (options, formats[i]);
      g_assert_false (hero_virt_disk_create_with_options (disk, options, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
      after = read_bytes (path);
      g_assert_true (g_bytes_equal (before, after));
    }
}

static void
test_bad_arguments (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "x.qcow2");
  g_autofree char *none = path_in (f, "none.qcow2");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (HeroVirtDisk) none_disk = disk_new (none);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (1 << 30);

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", path, "1G", NULL);
  before = read_bytes (path);

  g_assert_false (hero_virt_disk_snapshot_create (disk, "-l", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_disk_snapshot_create (disk, "--help", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_disk_snapshot_apply (disk, "-x", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  hero_virt_disk_create_options_set_cluster_size (options, 3000);
  g_assert_false (hero_virt_disk_create_with_options (none_disk, options, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hero_virt_disk_create_options_set_cluster_size (options, 1 << 22);
  g_assert_false (hero_virt_disk_create_with_options (none_disk, options, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* 32 PiB needs more than the largest L1 table with 512-byte clusters. */
  hero_virt_disk_create_options_set_cluster_size (options, 512);
  hero_virt_disk_create_options_set_size (options, G_GUINT64_CONSTANT (1) << 50);
  g_assert_false (hero_virt_disk_create_with_options (none_disk, options, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));

  /* A backing file that is not there. */
  hero_virt_disk_create_options_set_cluster_size (options, 0);
  hero_virt_disk_create_options_set_backing_file (options, "nope.qcow2", "qcow2");
  g_assert_false (hero_virt_disk_create_with_options (none_disk, options, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* ---- operations through the public API ---- */

static guint
snapshot_count (HeroVirtDisk *disk)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = hero_virt_disk_snapshot_list (disk, NULL, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
test_operations_sync (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "ops.qcow2");
  g_autofree char *raw_path = path_in (f, "ops.raw");
  g_autofree char *small_path = path_in (f, "ops-small.qcow2");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (HeroVirtDisk) raw = NULL;
  g_autoptr (HeroVirtDisk) small = NULL;
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtDiskCheckResult) check = NULL;
  g_autoptr (GError) error = NULL;

  if (!ht_require_program ("qemu-img") || !ht_require_program ("qemu-io"))
    return;

  g_assert_true (hero_virt_disk_create (disk, 64 << 20, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_create (disk, 64 << 20, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Snapshots: data written after "first" is gone after applying it. */
  {
    const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 64k", path, NULL };
    g_free (ht_run (argv, FALSE));
  }
  g_assert_true (hero_virt_disk_snapshot_create (disk, "first", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_snapshot_create (disk, "first", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);
  {
    const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0x22 0 64k", path, NULL };
    g_free (ht_run (argv, FALSE));
  }
  g_assert_true (hero_virt_disk_snapshot_create (disk, "second one", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (snapshot_count (disk), ==, 2);
  g_assert_true (hero_virt_disk_snapshot_apply (disk, "first", NULL, &error));
  g_assert_no_error (error);
  {
    const char      *argv[] = { "qemu-io", "-f", "qcow2", "-c", "read -P 0x11 0 64k", path, NULL };
    g_autofree char *out = ht_run (argv, FALSE);
    g_assert_null (strstr (out, "Pattern verification failed"));
  }
  g_assert_true (hero_virt_disk_snapshot_delete (disk, "second one", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (snapshot_count (disk), ==, 1);
  g_assert_false (hero_virt_disk_snapshot_delete (disk, "second one", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hero_virt_disk_snapshot_apply (disk, "never", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_native_matches_qemu (path);
  g_assert_true (hero_virt_disk_snapshot_delete (disk, "first", NULL, &error));
  g_assert_no_error (error);

  /* Resize: grow; shrink refused without shrink=TRUE and nothing changes. */
  g_assert_true (hero_virt_disk_resize (disk, 128 << 20, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_resize (disk, 32 << 20, FALSE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 128 << 20);
  g_clear_object (&info);
  g_assert_true (hero_virt_disk_resize (disk, 32 << 20, TRUE, NULL, &error));
  g_assert_no_error (error);
  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 32 << 20);
  g_clear_object (&info);
  assert_native_matches_qemu (path);

  /* Convert: raw, and compressed qcow2; an existing target is refused. */
  raw = hero_virt_disk_convert (disk, raw_path, "raw", FALSE, NULL, &error);
  g_assert_no_error (error);
  info = hero_virt_disk_info (raw, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "raw");
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 32 << 20);
  g_clear_object (&info);
  small = hero_virt_disk_convert (raw, small_path, "qcow2", TRUE, NULL, &error);
  g_assert_no_error (error);
  info = hero_virt_disk_info (small, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "qcow2");
  g_clear_object (&info);
  assert_native_matches_qemu (small_path);
  g_assert_null (hero_virt_disk_convert (disk, raw_path, "raw", FALSE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Check. */
  check = hero_virt_disk_check (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_check_result_get_clean (check));
  g_clear_object (&check);
  check = hero_virt_disk_check (raw, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_assert_null (check);
}

/* A leaked cluster: qemu-img check exits 3 and still reports. */
static void
test_check_finds_leaks (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "leaky.qcow2");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (HeroVirtDiskCheckResult) check = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize   len;
  guint8 *data_;

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", path, "1G", NULL);
  bytes = read_bytes (path);
  data_ = g_bytes_unref_to_data (g_bytes_ref (bytes), &len);
  /* Refcount block at cluster 2: give cluster 10 (unused) a refcount;
   * and make the file long enough to hold it. */
  put_be16 (data_ + 2 * 65536 + 10 * 2, 1);
  write_bytes (path, data_, len);
  g_free (data_);
  g_assert_cmpint (truncate (path, 11 * 65536), ==, 0);

  check = hero_virt_disk_check (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_check_result_get_clean (check));
  g_assert_cmpuint (hero_virt_disk_check_result_get_leaks (check), ==, 1);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *w = user_data;

  g_clear_object (&w->result);
  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static GAsyncResult *
wait_for (Waiter *w)
{
  g_main_loop_run (w->loop);
  return w->result;
}

#define ASYNC(w, call) ((call), wait_for (w))

static void
test_operations_async (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "async.qcow2");
  g_autofree char *dest = path_in (f, "async.raw");
  g_autoptr (HeroVirtDisk) disk = disk_new (path);
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (16 << 20);
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtDiskCheckResult) check = NULL;
  g_autoptr (HeroVirtDisk) converted = NULL;
  g_autoptr (GError) error = NULL;
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL };

  if (!ht_require_program ("qemu-img"))
    return;

  g_assert_true (hero_virt_disk_create_with_options_finish (
      disk, ASYNC (&w, hero_virt_disk_create_with_options_async (disk, options, NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_snapshot_create_finish (
      disk, ASYNC (&w, hero_virt_disk_snapshot_create_async (disk, "a", NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_snapshot_create_finish (
      disk, ASYNC (&w, hero_virt_disk_snapshot_create_async (disk, "b", NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  info = hero_virt_disk_info_finish (
      disk, ASYNC (&w, hero_virt_disk_info_async (disk, NULL, on_done, &w)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_disk_info_find_snapshot (info, "a"));
  g_assert_nonnull (hero_virt_disk_info_find_snapshot (info, "b"));
  g_clear_object (&info);
  g_assert_true (hero_virt_disk_snapshot_apply_finish (
      disk, ASYNC (&w, hero_virt_disk_snapshot_apply_async (disk, "a", NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_snapshot_delete_finish (
      disk, ASYNC (&w, hero_virt_disk_snapshot_delete_async (disk, "b", NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_resize_finish (
      disk, ASYNC (&w, hero_virt_disk_resize_async (disk, 8 << 20, FALSE, NULL, on_done, &w)),
      &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (hero_virt_disk_resize_finish (
      disk, ASYNC (&w, hero_virt_disk_resize_async (disk, 32 << 20, FALSE, NULL, on_done, &w)),
      &error));
  g_assert_no_error (error);
  converted = hero_virt_disk_convert_finish (
      disk, ASYNC (&w, hero_virt_disk_convert_async (disk, dest, "raw", FALSE, NULL, on_done, &w)),
      &error);
  g_assert_no_error (error);
  g_assert_nonnull (converted);
  check = hero_virt_disk_check_finish (
      disk, ASYNC (&w, hero_virt_disk_check_async (disk, NULL, on_done, &w)), &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_check_result_get_clean (check));
  info = hero_virt_disk_info_finish (
      disk, ASYNC (&w, hero_virt_disk_info_async (disk, NULL, on_done, &w)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 32 << 20);
  {
    g_autoptr (GPtrArray) snaps = hero_virt_disk_info_get_snapshots (info);
    g_assert_cmpuint (snaps->len, ==, 1);
  }

  g_clear_object (&w.result);
  g_main_loop_unref (w.loop);
}

/* ---- hostile files ---- */

typedef struct
{
  const char *name;
  gsize       offset; /* where to write; G_MAXSIZE: truncate to @value */
  guint       width;  /* 2, 4 or 8 */
  guint64     value;
} Mutation;

static void
test_hostile (Fixture *f, gconstpointer data)
{
  g_autofree char *base = path_in (f, "good.qcow2");
  g_autofree char *with_backing = path_in (f, "good-backing.qcow2");
  const guint64    far = G_GUINT64_CONSTANT (1) << 40;
  const Mutation   cases[] = {
      { "truncated-50", G_MAXSIZE, 0, 50 },
      { "truncated-7", G_MAXSIZE, 0, 7 },
      { "truncated-100", G_MAXSIZE, 0, 100 },
      { "truncated-4096", G_MAXSIZE, 0, 4096 },
      { "version-4", 4, 4, 4 },
      { "cluster-bits-8", 20, 4, 8 },
      { "cluster-bits-22", 20, 4, 22 },
      { "cluster-bits-huge", 20, 4, 0xffffffff },
      { "size-huge", 24, 8, G_MAXUINT64 },
      { "size-2^62", 24, 8, G_GUINT64_CONSTANT (1) << 62 },
      { "size-l1-too-small", 24, 8, G_GUINT64_CONSTANT (1) << 45 },
      { "crypt-method-7", 32, 4, 7 },
      { "l1-size-huge", 36, 4, 0xffffffff },
      { "l1-past-eof", 40, 8, far },
      { "l1-unaligned", 40, 8, 0x30001 },
      { "refcount-table-past-eof", 48, 8, far },
      { "refcount-table-offset-max", 48, 8, G_MAXUINT64 & ~G_GUINT64_CONSTANT (0xffff) },
      { "refcount-table-clusters-0", 56, 4, 0 },
      { "refcount-table-clusters-huge", 56, 4, 0xffffffff },
      { "snapshots-too-many", 60, 4, 0xffffffff },
      { "snapshots-past-eof", 60, 4, 3 },
      { "incompatible-unknown-bit", 72, 8, G_GUINT64_CONSTANT (1) << 40 },
      { "incompatible-compression-bit-zlib", 72, 8, 8 },
      { "refcount-order-7", 96, 4, 7 },
      { "header-length-50", 100, 4, 50 },
      { "header-length-huge", 100, 4, 0xfffffff0 },
      { "extension-too-large", 112, 4 + 4, G_GUINT64_CONSTANT (0xe2792aca) << 32 | 0x7fffffff },
      { "backing-format-too-long", 112, 8, G_GUINT64_CONSTANT (0xe2792aca) << 32 | 100 },
      { "backing-offset-past-cluster", 8, 8, 0x20000 },
  };
  g_autoptr (GBytes) good = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", base, "1G", NULL);
  qemu_img ("create", "-q", "-f", "qcow2", "-b", "good.qcow2", "-F", "qcow2", with_backing, NULL);
  good = read_bytes (base);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Mutation  *m = &cases[i];
      g_autofree char *name = g_strdup_printf ("%s.qcow2", m->name);
      g_autofree char *path = path_in (f, name);
      g_autoptr (HeroVirtDisk) disk = NULL;
      g_autoptr (HeroVirtDiskInfo) info = NULL;
      g_autoptr (GError) error = NULL;
      gsize   len;
      guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (good), &len);

      if (m->offset == G_MAXSIZE)
        len = (gsize)m->value;
      else if (m->width == 2)
        put_be16 (copy + m->offset, (guint16)m->value);
      else if (m->width == 4)
        put_be32 (copy + m->offset, (guint32)m->value);
      else
        put_be64 (copy + m->offset, m->value);
      write_bytes (path, copy, len);
      g_free (copy);

      disk = disk_new (path);
      info = hero_virt_disk_info (disk, NULL, &error);
      if (error == NULL)
        g_error ("%s: expected CORRUPT, got info", m->name);
      if (!g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT))
        g_error ("%s: expected CORRUPT, got %s", m->name, error->message);
      g_test_message ("%s: %s", m->name, error->message);
    }

  /* A backing name longer than QEMU allows, and one past the file. */
  {
    g_autoptr (GBytes) b = read_bytes (with_backing);
    gsize            len;
    guint8          *copy = g_bytes_unref_to_data (g_bytes_ref (b), &len);
    g_autofree char *path = path_in (f, "backing-too-long.qcow2");
    g_autoptr (HeroVirtDisk) disk = NULL;
    g_autoptr (HeroVirtDiskInfo) info = NULL;
    g_autoptr (GError) error = NULL;

    put_be32 (copy + 16, 5000);
    write_bytes (path, copy, len);
    disk = disk_new (path);
    info = hero_virt_disk_info (disk, NULL, &error);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT);
    g_free (copy);
  }
}

/* A snapshot table whose entries claim more than is there. */
static void
test_hostile_snapshots (Fixture *f, gconstpointer data)
{
  g_autofree char *base = path_in (f, "s.qcow2");
  g_autoptr (GBytes) good = NULL;
  guint64       table;
  gsize         len;
  const guint8 *bytes;
  const struct
  {
    const char *name;
    guint       field;
    guint       width;
    guint64     value;
  } cases[] = {
    { "extra-data-huge", 36, 4, 0xffffffff }, { "extra-data-1025", 36, 4, 1025 },
    { "id-size-past-eof", 12, 2, 0xffff },    { "name-size-past-eof", 14, 2, 0xffff },
    { "l1-size-huge", 8, 4, 0xffffffff },     { "l1-past-eof", 0, 8, G_GUINT64_CONSTANT (1) << 40 },
  };

  if (!ht_require_program ("qemu-img"))
    return;
  qemu_img ("create", "-q", "-f", "qcow2", base, "1G", NULL);
  qemu_img ("snapshot", "-c", "only", base, NULL);
  good = read_bytes (base);
  bytes = g_bytes_get_data (good, &len);
  table = ((guint64)bytes[64] << 56) | ((guint64)bytes[65] << 48) | ((guint64)bytes[66] << 40)
          | ((guint64)bytes[67] << 32) | ((guint64)bytes[68] << 24) | ((guint64)bytes[69] << 16)
          | ((guint64)bytes[70] << 8) | bytes[71];
  g_assert_cmpuint (table, >, 0);
  g_assert_cmpuint (table + 64, <, len);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("snap-%s.qcow2", cases[i].name);
      g_autofree char *path = path_in (f, name);
      guint8          *copy = g_memdup2 (bytes, len);
      g_autoptr (HeroVirtDisk) disk = NULL;
      g_autoptr (HeroVirtDiskInfo) info = NULL;
      g_autoptr (GError) error = NULL;
      guint8 *p = copy + table + cases[i].field;

      if (cases[i].width == 2)
        put_be16 (p, (guint16)cases[i].value);
      else if (cases[i].width == 4)
        put_be32 (p, (guint32)cases[i].value);
      else
        put_be64 (p, cases[i].value);
      write_bytes (path, copy, len);
      g_free (copy);
      disk = disk_new (path);
      info = hero_virt_disk_info (disk, NULL, &error);
      if (!g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT))
        g_error ("%s: expected CORRUPT, got %s", cases[i].name, error ? error->message : "info");
    }
}

/* ---- the qemu-img path, as on a remote host ---- */

/* An executor that runs commands here but says it is not local, so the
 * provider takes the path it takes on a remote host: qemu-img for
 * everything. It counts the commands it ran. */
#define TEST_TYPE_REMOTE_EXECUTOR (test_remote_executor_get_type ())
G_DECLARE_FINAL_TYPE (TestRemoteExecutor, test_remote_executor, TEST, REMOTE_EXECUTOR, GObject)

struct _TestRemoteExecutor
{
  GObject           parent_instance;
  HeroVirtExecutor *local;
  gint              commands;
};

static HeroVirtCommandResult *
remote_run (HeroVirtExecutor *executor,
            HeroVirtCommand  *command,
            GCancellable     *cancellable,
            GError          **error)
{
  TestRemoteExecutor *self = TEST_REMOTE_EXECUTOR (executor);

  g_atomic_int_inc (&self->commands);
  return hero_virt_executor_run (self->local, command, cancellable, error);
}

static void
remote_iface_init (HeroVirtExecutorInterface *iface)
{
  iface->run = remote_run;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRemoteExecutor,
                               test_remote_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR, remote_iface_init))

static void
test_remote_executor_finalize (GObject *object)
{
  g_clear_object (&TEST_REMOTE_EXECUTOR (object)->local);
  G_OBJECT_CLASS (test_remote_executor_parent_class)->finalize (object);
}

static void
test_remote_executor_class_init (TestRemoteExecutorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_remote_executor_finalize;
}

static void
test_remote_executor_init (TestRemoteExecutor *self)
{
  self->local = HERO_VIRT_EXECUTOR (hero_virt_local_executor_new ());
}

static HeroVirtDisk *
remote_disk (TestRemoteExecutor *executor, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtDisk) probe
      = hero_virt_disk_new_for_provider (path, "qcow2", HERO_VIRT_EXECUTOR (executor), &error);
  g_autoptr (HeroVirtDiskProvider) provider = NULL;

  g_assert_no_error (error);
  provider = hero_virt_disk_get_provider (probe, &error);
  g_assert_no_error (error);
  return g_object_new (HERO_VIRT_TYPE_DISK, "path", path, "executor", executor, "provider",
                       provider, "format", format_for (path), "allow-backing-file", TRUE, NULL);
}

static void
test_qemu_img_path (Fixture *f, gconstpointer data)
{
  g_autoptr (TestRemoteExecutor) executor = g_object_new (TEST_TYPE_REMOTE_EXECUTOR, NULL);
  g_autofree char *base = path_in (f, "base.qcow2");
  g_autofree char *overlay = path_in (f, "overlay.qcow2");
  g_autofree char *raw = path_in (f, "overlay.raw");
  g_autofree char *missing = path_in (f, "missing.qcow2");
  g_autofree char *bad = path_in (f, "bad.qcow2");
  g_autoptr (HeroVirtDisk) base_disk = remote_disk (executor, base);
  g_autoptr (HeroVirtDisk) disk = remote_disk (executor, overlay);
  g_autoptr (HeroVirtDisk) converted = NULL;
  g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (0);
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (HeroVirtDiskInfo) native = NULL;
  g_autoptr (HeroVirtDiskCheckResult) check = NULL;
  g_autoptr (GError) error = NULL;
  gint before;

  if (!ht_require_program ("qemu-img"))
    return;

  g_assert_true (hero_virt_disk_create (base_disk, 1 << 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (executor->commands, >, 0);
  hero_virt_disk_create_options_set_backing_file (options, "base.qcow2", NULL);
  hero_virt_disk_create_options_set_lazy_refcounts (options, TRUE);
  g_assert_true (hero_virt_disk_create_with_options (disk, options, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_create_with_options (disk, options, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  before = executor->commands;
  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  /* stat and head of the overlay and of its backing file (the header is
   * read before qemu-img runs, through the executor), then qemu-img info. */
  g_assert_cmpint (executor->commands, ==, before + 5);
  g_assert_cmpstr (hero_virt_disk_info_get_backing_format (info), ==, "qcow2");
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 1 << 30);
  g_assert_true (hero_virt_disk_info_get_lazy_refcounts (info));
  native = disk_info (overlay);
  assert_json_equal (hero_virt_disk_info_get_json_node (native),
                     hero_virt_disk_info_get_json_node (info), overlay);

  g_assert_true (hero_virt_disk_snapshot_create (disk, "s1", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (snapshot_count (disk), ==, 1);
  g_assert_true (hero_virt_disk_snapshot_apply (disk, "s1", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_snapshot_delete (disk, "s1", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_disk_resize (disk, 1 << 29, FALSE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (hero_virt_disk_resize (disk, G_GUINT64_CONSTANT (2) << 30, FALSE, NULL, &error));
  g_assert_no_error (error);
  converted = hero_virt_disk_convert (disk, raw, "raw", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (converted);
  check = hero_virt_disk_check (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_disk_check_result_get_clean (check));

  /* qemu-img's refusals become the same errors as the native reader's. */
  {
    g_autoptr (HeroVirtDisk) m = remote_disk (executor, missing);
    g_autoptr (HeroVirtDiskInfo) i = hero_virt_disk_info (m, NULL, &error);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    guint8           bits[4];
    g_autofree char *copy = NULL;
    g_autoptr (HeroVirtDisk) b = NULL;
    g_autoptr (HeroVirtDiskInfo) i = NULL;

    put_be32 (bits, 22);
    copy = patched_copy (f, base, "bad.qcow2", 20, bits, 4);
    b = remote_disk (executor, bad);
    i = hero_virt_disk_info (b, NULL, &error);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/qcow2/info/matches-qemu-img", test_info_matches_qemu_img);
  ADD ("/qcow2/info/dirty-and-corrupt-flags", test_info_dirty_and_corrupt_flags);
  ADD ("/qcow2/info/without-qemu-img", test_info_without_qemu_img);
  ADD ("/qcow2/info/missing", test_info_missing);
  ADD ("/qcow2/create/native-matches-qemu-img", test_create_native_matches_qemu_img);
  ADD ("/qcow2/create/native-is-writable", test_create_native_is_writable);
  ADD ("/qcow2/create/raw", test_create_raw_and_options);
  ADD ("/qcow2/create/existing", test_create_existing);
  ADD ("/qcow2/bad-arguments", test_bad_arguments);
  ADD ("/qcow2/operations/sync", test_operations_sync);
  ADD ("/qcow2/operations/async", test_operations_async);
  ADD ("/qcow2/check/leaks", test_check_finds_leaks);
  ADD ("/qcow2/hostile/header", test_hostile);
  ADD ("/qcow2/hostile/snapshots", test_hostile_snapshots);
  ADD ("/qcow2/qemu-img-path", test_qemu_img_path);
#undef ADD

  return g_test_run ();
}
