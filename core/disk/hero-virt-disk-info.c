/* hero-virt-disk-info.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtDiskInfo:
 *
 * What a disk image is: format, virtual and allocated size, cluster size,
 * backing file, format-specific details and internal snapshots.
 *
 * It is built from, and keeps, the same JSON document that
 * `qemu-img info --output=json` prints, whether the provider ran qemu-img
 * or read the image itself; [method@HeroVirt.DiskInfo.to_json] gives it
 * back.
 *
 * Since: 0.1
 */
struct _HeroVirtDiskInfo
{
  GObject parent_instance;

  JsonNode   *root;
  JsonObject *object;   /* root's object */
  JsonObject *specific; /* format-specific.data, or NULL */
  GPtrArray  *snapshots;
};

enum
{
  PROP_0,
  PROP_FILENAME,
  PROP_FORMAT,
  PROP_VIRTUAL_SIZE,
  PROP_ACTUAL_SIZE,
  PROP_CLUSTER_SIZE,
  PROP_BACKING_FILENAME,
  PROP_DIRTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDiskInfo, hero_virt_disk_info, G_TYPE_OBJECT)

static void
hero_virt_disk_info_finalize (GObject *object)
{
  HeroVirtDiskInfo *self = HERO_VIRT_DISK_INFO (object);

  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->snapshots, g_ptr_array_unref);

  G_OBJECT_CLASS (hero_virt_disk_info_parent_class)->finalize (object);
}

static void
hero_virt_disk_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtDiskInfo *self = HERO_VIRT_DISK_INFO (object);

  switch (prop_id)
    {
    case PROP_FILENAME:
      g_value_set_string (value, hero_virt_disk_info_get_filename (self));
      break;
    case PROP_FORMAT:
      g_value_set_string (value, hero_virt_disk_info_get_format (self));
      break;
    case PROP_VIRTUAL_SIZE:
      g_value_set_uint64 (value, hero_virt_disk_info_get_virtual_size (self));
      break;
    case PROP_ACTUAL_SIZE:
      g_value_set_uint64 (value, hero_virt_disk_info_get_actual_size (self));
      break;
    case PROP_CLUSTER_SIZE:
      g_value_set_uint64 (value, hero_virt_disk_info_get_cluster_size (self));
      break;
    case PROP_BACKING_FILENAME:
      g_value_set_string (value, hero_virt_disk_info_get_backing_filename (self));
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, hero_virt_disk_info_get_dirty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_info_class_init (HeroVirtDiskInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_disk_info_finalize;
  object_class->get_property = hero_virt_disk_info_get_property;

  /**
   * HeroVirtDiskInfo:filename:
   *
   * The image's file name as given.
   *
   * Since: 0.1
   */
  properties[PROP_FILENAME] = g_param_spec_string ("filename", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:format:
   *
   * The image format, such as `qcow2` or `raw`.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT]
      = g_param_spec_string ("format", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:virtual-size:
   *
   * The size the guest sees, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_VIRTUAL_SIZE] = g_param_spec_uint64 (
      "virtual-size", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:actual-size:
   *
   * The bytes the image occupies on disk.
   *
   * Since: 0.1
   */
  properties[PROP_ACTUAL_SIZE] = g_param_spec_uint64 ("actual-size", NULL, NULL, 0, G_MAXUINT64, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:cluster-size:
   *
   * The cluster size in bytes, or 0 for formats without clusters.
   *
   * Since: 0.1
   */
  properties[PROP_CLUSTER_SIZE] = g_param_spec_uint64 (
      "cluster-size", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:backing-filename:
   *
   * The backing file as recorded in the image, or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_BACKING_FILENAME] = g_param_spec_string (
      "backing-filename", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskInfo:dirty:
   *
   * Whether the image was not closed cleanly.
   *
   * Since: 0.1
   */
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_disk_info_init (HeroVirtDiskInfo *self)
{
  self->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * hero_virt_disk_info_new_from_json_node:
 * @node: the JSON object printed by `qemu-img info --output=json`
 * @error: return location for a #GError
 *
 * Builds an info object from qemu-img's JSON. The node is copied.
 *
 * Returns: (transfer full): a new #HeroVirtDiskInfo, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtDiskInfo *
hero_virt_disk_info_new_from_json_node (JsonNode *node, GError **error)
{
  g_autoptr (HeroVirtDiskInfo) self = NULL;
  JsonNode *specific;
  JsonNode *snaps;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Disk info is not a JSON object");
      return NULL;
    }

  self = g_object_new (HERO_VIRT_TYPE_DISK_INFO, NULL);
  self->root = json_node_copy (node);
  self->object = json_node_get_object (self->root);

  if (json_object_get_string_member_with_default (self->object, "format", NULL) == NULL
      || !json_object_has_member (self->object, "virtual-size"))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "Disk info lacks “format” or “virtual-size”");
      return NULL;
    }

  specific = json_object_get_member (self->object, "format-specific");
  if (specific != NULL && JSON_NODE_HOLDS_OBJECT (specific))
    {
      JsonNode *data = json_object_get_member (json_node_get_object (specific), "data");
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        self->specific = json_node_get_object (data);
    }

  snaps = json_object_get_member (self->object, "snapshots");
  if (snaps != NULL && JSON_NODE_HOLDS_ARRAY (snaps))
    {
      JsonArray *array = json_node_get_array (snaps);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode             *element = json_array_get_element (array, i);
          HeroVirtDiskSnapshot *snapshot;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                           "Snapshot %u is not a JSON object", i);
              return NULL;
            }
          snapshot = hero_virt_disk_snapshot_new_from_json_object (json_node_get_object (element),
                                                                   error);
          if (snapshot == NULL)
            return NULL;
          g_ptr_array_add (self->snapshots, snapshot);
        }
    }

  return g_steal_pointer (&self);
}

/**
 * hero_virt_disk_info_new_from_json:
 * @json: the text printed by `qemu-img info --output=json`
 * @error: return location for a #GError
 *
 * Parses qemu-img's JSON.
 *
 * Returns: (transfer full): a new #HeroVirtDiskInfo, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtDiskInfo *
hero_virt_disk_info_new_from_json (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Could not parse disk info: %s",
                   local_error->message);
      return NULL;
    }
  return hero_virt_disk_info_new_from_json_node (json_parser_get_root (parser), error);
}

/**
 * hero_virt_disk_info_to_json:
 * @self: a #HeroVirtDiskInfo
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): the info as JSON, in qemu-img's format
 *
 * Since: 0.1
 */
char *
hero_virt_disk_info_to_json (HeroVirtDiskInfo *self, gboolean pretty)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, self->root);
  return json_generator_to_data (generator, NULL);
}

/**
 * hero_virt_disk_info_get_json_node:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (transfer none): the info as a JSON object node, in qemu-img's
 *   format; do not modify it
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_disk_info_get_json_node (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return self->root;
}

static const char *
get_str (JsonObject *object, const char *member)
{
  return object ? json_object_get_string_member_with_default (object, member, NULL) : NULL;
}

static guint64
get_u64 (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return (guint64)json_node_get_int (node);
}

static gboolean
get_bool (JsonObject *object, const char *member)
{
  return object ? json_object_get_boolean_member_with_default (object, member, FALSE) : FALSE;
}

/**
 * hero_virt_disk_info_get_filename:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (nullable): the image's file name
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_filename (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->object, "filename");
}

/**
 * hero_virt_disk_info_get_format:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: the image format, such as `qcow2`
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_format (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->object, "format");
}

/**
 * hero_virt_disk_info_get_virtual_size:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: the size the guest sees, in bytes
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_info_get_virtual_size (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), 0);
  return get_u64 (self->object, "virtual-size");
}

/**
 * hero_virt_disk_info_get_actual_size:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: bytes occupied on disk
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_info_get_actual_size (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), 0);
  return get_u64 (self->object, "actual-size");
}

/**
 * hero_virt_disk_info_get_cluster_size:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: the cluster size, or 0
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_info_get_cluster_size (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), 0);
  return get_u64 (self->object, "cluster-size");
}

/**
 * hero_virt_disk_info_get_dirty:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: whether the image's dirty flag is set
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_info_get_dirty (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), FALSE);
  return get_bool (self->object, "dirty-flag");
}

/**
 * hero_virt_disk_info_get_encrypted:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: whether the image is encrypted
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_info_get_encrypted (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), FALSE);
  return get_bool (self->object, "encrypted");
}

/**
 * hero_virt_disk_info_get_backing_filename:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (nullable): the backing file as recorded in the image
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_backing_filename (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->object, "backing-filename");
}

/**
 * hero_virt_disk_info_get_full_backing_filename:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (nullable): the backing file resolved against the image's
 *   directory
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_full_backing_filename (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->object, "full-backing-filename");
}

/**
 * hero_virt_disk_info_get_backing_format:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (nullable): the backing file's format, when recorded
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_backing_format (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->object, "backing-filename-format");
}

/**
 * hero_virt_disk_info_get_compat:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (nullable): for qcow2, `0.10` (version 2) or `1.1` (version 3)
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_info_get_compat (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  return get_str (self->specific, "compat");
}

/**
 * hero_virt_disk_info_get_lazy_refcounts:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: whether lazy refcounts are on (qcow2 v3)
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_info_get_lazy_refcounts (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), FALSE);
  return get_bool (self->specific, "lazy-refcounts");
}

/**
 * hero_virt_disk_info_get_corrupt:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: whether the image is marked corrupt (qcow2 v3)
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_info_get_corrupt (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), FALSE);
  return get_bool (self->specific, "corrupt");
}

/**
 * hero_virt_disk_info_get_refcount_bits:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: the width of a refcount entry (qcow2), or 0
 *
 * Since: 0.1
 */
guint
hero_virt_disk_info_get_refcount_bits (HeroVirtDiskInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), 0);
  return (guint)get_u64 (self->specific, "refcount-bits");
}

/**
 * hero_virt_disk_info_get_snapshots:
 * @self: a #HeroVirtDiskInfo
 *
 * Returns: (transfer container) (element-type HeroVirtDiskSnapshot): the
 *   image's internal snapshots, in table order
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_disk_info_get_snapshots (HeroVirtDiskInfo *self)
{
  GPtrArray *ret;

  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);

  ret = g_ptr_array_new_full (self->snapshots->len, g_object_unref);
  for (guint i = 0; i < self->snapshots->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (self->snapshots, i)));
  return ret;
}

/**
 * hero_virt_disk_info_find_snapshot:
 * @self: a #HeroVirtDiskInfo
 * @name: a snapshot name
 *
 * Returns: (transfer none) (nullable): the snapshot called @name
 *
 * Since: 0.1
 */
HeroVirtDiskSnapshot *
hero_virt_disk_info_find_snapshot (HeroVirtDiskInfo *self, const char *name)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->snapshots->len; i++)
    {
      HeroVirtDiskSnapshot *snapshot = g_ptr_array_index (self->snapshots, i);
      if (g_strcmp0 (hero_virt_disk_snapshot_get_name (snapshot), name) == 0)
        return snapshot;
    }
  return NULL;
}
