/* qcow2-info.c: a parsed qcow2 header as `qemu-img info --output=json`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Produces the document QEMU 7.2 prints: the same keys, present under the
 * same conditions (block/qapi.c bdrv_query_image_info(),
 * block/qcow2.c qcow2_get_specific_info()), in the same order. QEMU prints
 * a QDict, whose members come out in hash-bucket order, so members are
 * sorted by QEMU's own key hash here.
 */
#include "qcow2-info.h"

#include <string.h>

#define QDICT_BUCKET_MAX 512

/* QEMU's tdb_hash() from qobject/qdict.c. */
static guint
qdict_bucket (const char *key)
{
  guint32 value = 0x238F13AFu * (guint32)strlen (key);

  for (guint i = 0; key[i] != '\0'; i++)
    value = value + ((guint32)(guchar)key[i] << (i * 5 % 24));
  return (1103515243u * value + 12345u) % QDICT_BUCKET_MAX;
}

typedef struct
{
  const char *key;
  JsonNode   *value;
} Member;

typedef struct
{
  Member members[16];
  guint  n;
} Dict;

static void
dict_add (Dict *dict, const char *key, JsonNode *value)
{
  g_assert (dict->n < G_N_ELEMENTS (dict->members));
  dict->members[dict->n].key = key;
  dict->members[dict->n].value = value;
  dict->n++;
}

static void
dict_add_int (Dict *dict, const char *key, gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  dict_add (dict, key, node);
}

static void
dict_add_bool (Dict *dict, const char *key, gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  dict_add (dict, key, node);
}

/* QEMU's JSON writer replaces invalid UTF-8; so do we. */
static void
dict_add_string (Dict *dict, const char *key, const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (g_utf8_validate (value, -1, NULL))
    json_node_set_string (node, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      json_node_set_string (node, valid);
    }
  dict_add (dict, key, node);
}

static int
compare_members (gconstpointer a, gconstpointer b, gpointer user_data)
{
  guint ba = qdict_bucket (((const Member *)a)->key);
  guint bb = qdict_bucket (((const Member *)b)->key);

  return ba < bb ? -1 : ba > bb;
}

static JsonNode *
dict_to_node (Dict *dict)
{
  JsonObject *object = json_object_new ();
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);

  g_qsort_with_data (dict->members, dict->n, sizeof (Member), compare_members, NULL);
  for (guint i = 0; i < dict->n; i++)
    json_object_set_member (object, dict->members[i].key, dict->members[i].value);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
snapshot_to_node (const Qcow2Snapshot *sn)
{
  Dict d = {
    0,
  };

  dict_add_string (&d, "id", sn->id);
  dict_add_string (&d, "name", sn->name);
  dict_add_int (&d, "vm-state-size", (gint64)sn->vm_state_size);
  dict_add_int (&d, "date-sec", sn->date_sec);
  dict_add_int (&d, "date-nsec", sn->date_nsec);
  dict_add_int (&d, "vm-clock-sec", (gint64)(sn->vm_clock_nsec / 1000000000));
  dict_add_int (&d, "vm-clock-nsec", (gint64)(sn->vm_clock_nsec % 1000000000));
  if (sn->icount != G_MAXUINT64)
    dict_add_int (&d, "icount", (gint64)sn->icount);
  return dict_to_node (&d);
}

static JsonNode *
format_specific_to_node (const Qcow2Image *img)
{
  Dict data = {
    0,
  };
  Dict spec = {
    0,
  };
  JsonNode *type = json_node_new (JSON_NODE_VALUE);

  dict_add_string (&data, "compat", img->version == 2 ? "0.10" : "1.1");
  if (img->version >= 3)
    {
      dict_add_bool (&data, "lazy-refcounts",
                     (img->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS) != 0);
      dict_add_bool (&data, "corrupt", (img->incompatible_features & QCOW2_INCOMPAT_CORRUPT) != 0);
      dict_add_bool (&data, "extended-l2",
                     (img->incompatible_features & QCOW2_INCOMPAT_EXTL2) != 0);
    }
  dict_add_int (&data, "refcount-bits", 1 << img->refcount_order);
  dict_add_string (&data, "compression-type", img->compression_type == 1 ? "zstd" : "zlib");

  json_node_set_string (type, "qcow2");
  dict_add (&spec, "type", type);
  dict_add (&spec, "data", dict_to_node (&data));
  return dict_to_node (&spec);
}

/* QEMU's path_has_protocol(): a colon before any slash. */
static gboolean
has_protocol (const char *path)
{
  return path[strcspn (path, ":/")] == ':';
}

/* QEMU's bdrv_make_absolute_filename() for a plain file: the image's
 * directory (as given, with its trailing slash) joined to a relative
 * backing name, without normalising anything. */
char *
qcow2_full_backing_filename (const char *image_filename, const char *backing_file)
{
  const char *slash;

  if (has_protocol (backing_file) || g_path_is_absolute (backing_file))
    return g_strdup (backing_file);
  slash = strrchr (image_filename, '/');
  if (slash == NULL)
    return g_strdup (backing_file);
  return g_strdup_printf ("%.*s%s", (int)(slash - image_filename + 1), image_filename,
                          backing_file);
}

JsonNode *
qcow2_info_to_json (const Qcow2Image *img, const char *filename, gint64 actual_size)
{
  Dict d = {
    0,
  };

  dict_add_string (&d, "filename", filename);
  dict_add_string (&d, "format", "qcow2");
  dict_add_bool (&d, "dirty-flag", (img->incompatible_features & QCOW2_INCOMPAT_DIRTY) != 0);
  if (actual_size >= 0)
    dict_add_int (&d, "actual-size", actual_size);
  /* The block layer counts whole sectors. */
  dict_add_int (&d, "virtual-size", (gint64)(img->size & ~G_GUINT64_CONSTANT (511)));
  dict_add_int (&d, "cluster-size", (gint64)1 << img->cluster_bits);
  if (img->backing_file != NULL)
    {
      g_autofree char *full = qcow2_full_backing_filename (filename, img->backing_file);

      dict_add_string (&d, "backing-filename", img->backing_file);
      dict_add_string (&d, "full-backing-filename", full);
      if (img->backing_format != NULL && *img->backing_format != '\0')
        dict_add_string (&d, "backing-filename-format", img->backing_format);
    }
  if (img->nb_snapshots > 0)
    {
      JsonArray *array = json_array_sized_new (img->nb_snapshots);
      JsonNode  *node = json_node_new (JSON_NODE_ARRAY);

      for (guint32 i = 0; i < img->nb_snapshots; i++)
        json_array_add_element (array, snapshot_to_node (&img->snapshots[i]));
      json_node_take_array (node, array);
      dict_add (&d, "snapshots", node);
    }
  dict_add (&d, "format-specific", format_specific_to_node (img));
  return dict_to_node (&d);
}
