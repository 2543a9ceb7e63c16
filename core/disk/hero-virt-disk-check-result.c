/* hero-virt-disk-check-result.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtDiskCheckResult:
 *
 * What a consistency check of a disk image found, from the JSON of
 * `qemu-img check --output=json`: corruptions, leaked clusters, check
 * errors and cluster counts.
 *
 * Since: 0.1
 */
struct _HeroVirtDiskCheckResult
{
  GObject parent_instance;

  JsonNode   *root;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (HeroVirtDiskCheckResult, hero_virt_disk_check_result, G_TYPE_OBJECT)

static void
hero_virt_disk_check_result_finalize (GObject *object)
{
  HeroVirtDiskCheckResult *self = HERO_VIRT_DISK_CHECK_RESULT (object);

  g_clear_pointer (&self->root, json_node_unref);

  G_OBJECT_CLASS (hero_virt_disk_check_result_parent_class)->finalize (object);
}

static void
hero_virt_disk_check_result_class_init (HeroVirtDiskCheckResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_disk_check_result_finalize;
}

static void
hero_virt_disk_check_result_init (HeroVirtDiskCheckResult *self)
{
}

/**
 * hero_virt_disk_check_result_new_from_json:
 * @json: the output of `qemu-img check --output=json`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new #HeroVirtDiskCheckResult, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtDiskCheckResult *
hero_virt_disk_check_result_new_from_json (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  HeroVirtDiskCheckResult *self;
  JsonNode                *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "Could not parse the check report: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "The check report is not a JSON object");
      return NULL;
    }

  self = g_object_new (HERO_VIRT_TYPE_DISK_CHECK_RESULT, NULL);
  self->root = json_node_copy (root);
  self->object = json_node_get_object (self->root);
  return self;
}

static guint64
get_u64 (HeroVirtDiskCheckResult *self, const char *member)
{
  JsonNode *node = json_object_get_member (self->object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return (guint64)json_node_get_int (node);
}

/**
 * hero_virt_disk_check_result_get_clean:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: %TRUE when the check found no corruption, leak or error
 *
 * Since: 0.1
 */
gboolean
hero_virt_disk_check_result_get_clean (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), FALSE);
  return get_u64 (self, "corruptions") == 0 && get_u64 (self, "leaks") == 0
         && get_u64 (self, "check-errors") == 0;
}

/**
 * hero_virt_disk_check_result_get_corruptions:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the number of corruptions found
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_corruptions (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "corruptions");
}

/**
 * hero_virt_disk_check_result_get_leaks:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the number of leaked clusters
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_leaks (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "leaks");
}

/**
 * hero_virt_disk_check_result_get_check_errors:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the number of errors that stopped parts of the check
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_check_errors (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "check-errors");
}

/**
 * hero_virt_disk_check_result_get_image_end_offset:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the offset of the end of the image's used data
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_image_end_offset (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "image-end-offset");
}

/**
 * hero_virt_disk_check_result_get_total_clusters:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the number of clusters of the virtual disk
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_total_clusters (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "total-clusters");
}

/**
 * hero_virt_disk_check_result_get_allocated_clusters:
 * @self: a #HeroVirtDiskCheckResult
 *
 * Returns: the number of allocated clusters
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_check_result_get_allocated_clusters (HeroVirtDiskCheckResult *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), 0);
  return get_u64 (self, "allocated-clusters");
}

/**
 * hero_virt_disk_check_result_to_json:
 * @self: a #HeroVirtDiskCheckResult
 * @pretty: whether to indent
 *
 * Returns: (transfer full): the report as qemu-img printed it
 *
 * Since: 0.1
 */
char *
hero_virt_disk_check_result_to_json (HeroVirtDiskCheckResult *self, gboolean pretty)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (HERO_VIRT_IS_DISK_CHECK_RESULT (self), NULL);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, self->root);
  return json_generator_to_data (generator, NULL);
}
