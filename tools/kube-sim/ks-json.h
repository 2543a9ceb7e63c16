/* ks-json.h: small JSON helpers over json-glib for the simulator.
 *
 * Objects in the store are JsonObject trees that are never changed after
 * they are stored; every writer works on a deep copy.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode   *ks_json_node_deep_copy (JsonNode *node);
JsonObject *ks_json_object_deep_copy (JsonObject *object);
/* A copy of which only the top level and the metadata's top level are
 * new (everything below is shared, by reference): members of either may be
 * set, nothing deeper may be changed. */
JsonObject *ks_json_object_copy_top (JsonObject *object);
JsonArray  *ks_json_array_deep_copy (JsonArray *array);
gboolean    ks_json_node_equal (JsonNode *a, JsonNode *b);

const char *ks_json_get_string (JsonObject *object, const char *member);
gint64      ks_json_get_int (JsonObject *object, const char *member, gint64 fallback);
gboolean    ks_json_get_bool (JsonObject *object, const char *member, gboolean fallback);
JsonObject *ks_json_get_object (JsonObject *object, const char *member);
JsonArray  *ks_json_get_array (JsonObject *object, const char *member);
JsonObject *ks_json_ensure_object (JsonObject *object, const char *member);
JsonArray  *ks_json_ensure_array (JsonObject *object, const char *member);

/* metadata shortcuts */
JsonObject *ks_meta (JsonObject *object);
const char *ks_meta_name (JsonObject *object);
const char *ks_meta_namespace (JsonObject *object);
const char *ks_meta_uid (JsonObject *object);
const char *ks_meta_label (JsonObject *object, const char *key);

/* Dotted path lookup such as "spec.template.metadata.labels". */
JsonNode *ks_json_lookup (JsonObject *object, const char *dotted);

char       *ks_json_to_string (JsonNode *node);
char       *ks_json_object_to_string (JsonObject *object);
JsonNode   *ks_json_parse (const char *data, gsize length, GError **error);
JsonObject *ks_json_parse_object (const char *data, gsize length, GError **error);

/* YAML (one document, or a stream) to JSON nodes, by libyaml. */
GPtrArray *ks_yaml_parse_documents (const char *data, gsize length, GError **error);

char *ks_now_rfc3339 (void);
char *ks_random_suffix (guint length);
char *ks_new_uid (void);

G_END_DECLS

G_BEGIN_DECLS
/* Appends compact JSON; members named in skip (NULL-terminated) are left out
 * at the top level only. */
void ks_json_write (GString *out, JsonNode *node, const char *const *skip);
void ks_json_write_object (GString *out, JsonObject *object, const char *const *skip);
/* Sorted keys: the same text for equal values, for hashing. */
void ks_json_write_canonical (GString *out, JsonNode *node);
G_END_DECLS
