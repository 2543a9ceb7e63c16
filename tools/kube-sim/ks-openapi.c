/* ks-openapi.c: /openapi/v3 (the index and one document per group version,
 * what kubectl explain and kubectl's field-validation check read) and
 * /openapi/v2 (a minimal protobuf document: kubectl only needs it to parse). */
#include "ks-openapi.h"

#include <string.h>

#define REF_PREFIX "#/components/schemas/"

static JsonObject *
ref_schema (const char *name)
{
  JsonObject      *s = json_object_new ();
  JsonArray       *all = json_array_new ();
  JsonObject      *ref = json_object_new ();
  g_autofree char *target = g_strconcat (REF_PREFIX, name, NULL);

  json_object_set_string_member (ref, "$ref", target);
  json_array_add_object_element (all, ref);
  json_object_set_array_member (s, "allOf", all);
  return s;
}

static JsonObject *
type_schema (const char *type, const char *field, const char *owner)
{
  JsonObject *s;

  if (g_str_has_prefix (type, "[]"))
    {
      const char *merge_key = NULL;
      s = json_object_new ();
      json_object_set_string_member (s, "type", "array");
      json_object_set_object_member (s, "items", type_schema (type + 2, NULL, owner));
      if (field != NULL && type[2] == '#')
        merge_key = ks_patch_merge_key (
            g_str_has_suffix (owner, ".Container") ? "containers[]" : "", field);
      if (merge_key != NULL)
        {
          json_object_set_string_member (s, "x-kubernetes-patch-merge-key", merge_key);
          json_object_set_string_member (s, "x-kubernetes-patch-strategy", "merge");
          json_object_set_string_member (s, "x-kubernetes-list-type", "map");
          {
            JsonArray *keys = json_array_new ();
            json_array_add_string_element (keys, merge_key);
            json_object_set_array_member (s, "x-kubernetes-list-map-keys", keys);
          }
        }
      return s;
    }
  if (g_str_has_prefix (type, "map#"))
    {
      s = json_object_new ();
      json_object_set_string_member (s, "type", "object");
      json_object_set_object_member (s, "additionalProperties",
                                     type_schema (type + 4, NULL, owner));
      return s;
    }
  if (type[0] == '#')
    return ref_schema (type + 1);
  if (strcmp (type, "intstr") == 0)
    return ref_schema ("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
  if (strcmp (type, "quantity") == 0)
    return ref_schema ("io.k8s.apimachinery.pkg.api.resource.Quantity");
  if (strcmp (type, "time") == 0)
    return ref_schema ("io.k8s.apimachinery.pkg.apis.meta.v1.Time");
  s = json_object_new ();
  if (strcmp (type, "map") == 0)
    {
      JsonObject *v = json_object_new ();
      json_object_set_string_member (v, "type", "string");
      json_object_set_string_member (v, "default", "");
      json_object_set_string_member (s, "type", "object");
      json_object_set_object_member (s, "additionalProperties", v);
    }
  else if (strcmp (type, "any") == 0)
    {
      json_object_set_string_member (s, "type", "object");
      json_object_set_boolean_member (s, "x-kubernetes-preserve-unknown-fields", TRUE);
    }
  else
    {
      json_object_set_string_member (s, "type", type);
      if (strcmp (type, "integer") == 0)
        json_object_set_string_member (s, "format", "int64");
    }
  return s;
}

static JsonObject *
gvk_array (const char *group, const char *version, const char *kind)
{
  JsonObject *gvk = json_object_new ();

  json_object_set_string_member (gvk, "group", group);
  json_object_set_string_member (gvk, "kind", kind);
  json_object_set_string_member (gvk, "version", version);
  return gvk;
}

/* name -> schema, plus name -> "group/version/Kind" for the top-level kinds */
static GHashTable *
builtin_schemas (void)
{
  static GHashTable *schemas = NULL;
  JsonObject        *current = NULL;
  const char        *current_name = NULL;

  if (schemas != NULL)
    return schemas;
  schemas
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
  for (guint i = 0; ks_openapi_schema_lines[i] != NULL; i++)
    {
      const char *line = ks_openapi_schema_lines[i];
      g_auto (GStrv) parts = g_strsplit (line + 2, "|", 4);
      if (line[0] == 'T')
        {
          char *owned = g_strdup (parts[0]);
          current = json_object_new ();
          current_name = owned;
          json_object_set_string_member (current, "description", parts[1] ? parts[1] : "");
          json_object_set_string_member (current, "type", "object");
          if (parts[1] && parts[2])
            {
              g_auto (GStrv) gvk = g_strsplit (parts[2], "/", 3);
              JsonArray *list = json_array_new ();
              json_array_add_object_element (list, gvk_array (gvk[0], gvk[1], gvk[2]));
              json_object_set_array_member (current, "x-kubernetes-group-version-kind", list);
            }
          g_hash_table_insert (schemas, owned, current);
        }
      else if (current != NULL && parts[0] && parts[1])
        {
          JsonObject *props = ks_json_ensure_object (current, "properties");
          JsonObject *fs = type_schema (parts[1], parts[0], current_name);
          json_object_set_string_member (fs, "description", parts[2] ? parts[2] : "");
          if (parts[2] && parts[3] && strcmp (parts[3], "required") == 0)
            json_array_add_string_element (ks_json_ensure_array (current, "required"), parts[0]);
          json_object_set_object_member (props, parts[0], fs);
        }
    }
  {
    JsonObject *s = json_object_new ();
    json_object_set_string_member (s, "description",
                                   "IntOrString is a type that can hold an int32 or a string.");
    json_object_set_string_member (s, "type", "string");
    json_object_set_string_member (s, "format", "int-or-string");
    g_hash_table_insert (schemas, g_strdup ("io.k8s.apimachinery.pkg.util.intstr.IntOrString"), s);
    s = json_object_new ();
    json_object_set_string_member (s, "description",
                                   "Quantity is a fixed-point representation of a number.");
    json_object_set_string_member (s, "type", "string");
    g_hash_table_insert (schemas, g_strdup ("io.k8s.apimachinery.pkg.api.resource.Quantity"), s);
    s = json_object_new ();
    json_object_set_string_member (s, "description",
                                   "Time is a wrapper around time.Time which supports correct "
                                   "marshaling to YAML and JSON.");
    json_object_set_string_member (s, "type", "string");
    json_object_set_string_member (s, "format", "date-time");
    g_hash_table_insert (schemas, g_strdup ("io.k8s.apimachinery.pkg.apis.meta.v1.Time"), s);
  }
  return schemas;
}

static char *
schema_name (KsResource *res)
{
  const char    *found = NULL;
  GHashTable    *schemas = builtin_schemas ();
  GHashTableIter iter;
  gpointer       key, value;

  if (!(res->flags & KS_RES_CUSTOM))
    {
      g_hash_table_iter_init (&iter, schemas);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          JsonArray  *gvks = ks_json_get_array (value, "x-kubernetes-group-version-kind");
          JsonObject *gvk = gvks ? json_array_get_object_element (gvks, 0) : NULL;
          if (gvk && g_strcmp0 (ks_json_get_string (gvk, "group"), res->group) == 0
              && g_strcmp0 (ks_json_get_string (gvk, "version"), res->version) == 0
              && g_strcmp0 (ks_json_get_string (gvk, "kind"), res->kind) == 0)
            found = key;
        }
      if (found)
        return g_strdup (found);
    }
  {
    /* traefik.io -> io.traefik */
    g_auto (GStrv) parts = g_strsplit (res->group, ".", -1);
    g_autoptr (GString) out = g_string_new (NULL);
    for (gint i = g_strv_length (parts) - 1; i >= 0; i--)
      g_string_append_printf (out, "%s.", parts[i]);
    g_string_append_printf (out, "%s.%s", res->version, res->kind);
    return g_string_free (g_steal_pointer (&out), FALSE);
  }
}

static JsonObject *
parameter (const char *name, const char *in, const char *type, const char *description)
{
  JsonObject *p = json_object_new ();
  JsonObject *schema = json_object_new ();

  json_object_set_string_member (p, "name", name);
  json_object_set_string_member (p, "in", in);
  json_object_set_string_member (p, "description", description);
  if (strcmp (in, "path") == 0)
    json_object_set_boolean_member (p, "required", TRUE);
  json_object_set_string_member (schema, "type", type);
  json_object_set_boolean_member (schema, "uniqueItems", TRUE);
  json_object_set_object_member (p, "schema", schema);
  return p;
}

static JsonObject *
operation (KsResource *res,
           const char *action,
           const char *verb_id,
           const char *schema,
           gboolean    list)
{
  JsonObject      *op = json_object_new ();
  JsonArray       *params = json_array_new ();
  JsonObject      *responses = json_object_new ();
  JsonObject      *ok = json_object_new ();
  JsonObject      *content = json_object_new ();
  JsonObject      *media = json_object_new ();
  JsonObject      *gvk = gvk_array (res->group, res->version, res->kind);
  g_autofree char *op_id = g_strdup_printf ("%s%s%s", verb_id, list ? "List" : "", res->kind);
  g_autofree char *list_schema = g_strconcat (schema, "List", NULL);

  json_object_set_string_member (op, "operationId", op_id);
  json_object_set_string_member (op, "description", verb_id);
  if (strcmp (action, "patch") == 0 || strcmp (action, "put") == 0 || strcmp (action, "post") == 0)
    {
      json_array_add_object_element (params, parameter ("dryRun", "query", "string",
                                                        "When present, indicates that "
                                                        "modifications should not be "
                                                        "persisted."));
      json_array_add_object_element (params, parameter ("fieldManager", "query", "string",
                                                        "fieldManager is a name associated "
                                                        "with the actor or entity that is "
                                                        "making these changes."));
      json_array_add_object_element (params, parameter ("fieldValidation", "query", "string",
                                                        "fieldValidation instructs the server "
                                                        "on how to handle objects in the "
                                                        "request containing unknown or "
                                                        "duplicate fields."));
    }
  if (strcmp (action, "patch") == 0)
    json_array_add_object_element (params, parameter ("force", "query", "boolean",
                                                      "Force is going to \"force\" Apply "
                                                      "requests."));
  if (strcmp (action, "list") == 0 || strcmp (action, "watchlist") == 0)
    {
      static const char *const names[] = { "labelSelector", "fieldSelector",       "limit",
                                           "continue",      "resourceVersion",     "timeoutSeconds",
                                           "watch",         "allowWatchBookmarks", NULL };
      for (guint i = 0; names[i]; i++)
        json_array_add_object_element (params, parameter (names[i], "query", "string", names[i]));
    }
  json_object_set_array_member (op, "parameters", params);
  json_object_set_object_member (media, "schema",
                                 ref_schema (strcmp (action, "list") == 0 ? list_schema : schema));
  json_object_set_object_member (content, "application/json", media);
  json_object_set_string_member (ok, "description", "OK");
  json_object_set_object_member (ok, "content", content);
  json_object_set_object_member (responses, "200", ok);
  json_object_set_object_member (op, "responses", responses);
  json_object_set_string_member (op, "x-kubernetes-action", action);
  json_object_set_object_member (op, "x-kubernetes-group-version-kind", gvk);
  return op;
}

static void
add_paths (JsonObject *paths, KsResource *res, const char *schema)
{
  g_autofree char *base
      = *res->group ? g_strdup_printf ("/apis/%s", res->group_version) : g_strdup ("/api/v1");
  g_autofree char *collection
      = res->namespaced ? g_strdup_printf ("%s/namespaces/{namespace}/%s", base, res->plural)
                        : g_strdup_printf ("%s/%s", base, res->plural);
  g_autofree char *item = g_strconcat (collection, "/{name}", NULL);
  JsonObject      *c = json_object_new ();
  JsonObject      *it = json_object_new ();
  const char      *ns = res->namespaced ? "Namespaced" : "";
  g_autofree char *read = g_strconcat ("read", ns, NULL);
  g_autofree char *list = g_strconcat ("list", ns, NULL);
  g_autofree char *create = g_strconcat ("create", ns, NULL);
  g_autofree char *replace = g_strconcat ("replace", ns, NULL);
  g_autofree char *patch = g_strconcat ("patch", ns, NULL);
  g_autofree char *del = g_strconcat ("delete", ns, NULL);

  json_object_set_object_member (c, "get", operation (res, "list", list, schema, TRUE));
  json_object_set_object_member (c, "post", operation (res, "post", create, schema, FALSE));
  json_object_set_object_member (it, "get", operation (res, "get", read, schema, FALSE));
  json_object_set_object_member (it, "put", operation (res, "put", replace, schema, FALSE));
  json_object_set_object_member (it, "patch", operation (res, "patch", patch, schema, FALSE));
  json_object_set_object_member (it, "delete", operation (res, "delete", del, schema, FALSE));
  json_object_set_object_member (paths, collection, c);
  json_object_set_object_member (paths, item, it);
}

static void
add_with_refs (JsonObject *out, GHashTable *schemas, const char *name)
{
  JsonObject *s = g_hash_table_lookup (schemas, name);
  g_autoptr (GString) text = NULL;
  const char *p;

  if (s == NULL || json_object_has_member (out, name))
    return;
  json_object_set_object_member (out, name, ks_json_object_deep_copy (s));
  text = g_string_new (NULL);
  ks_json_write_object (text, s, NULL);
  for (p = strstr (text->str, REF_PREFIX); p != NULL; p = strstr (p + 1, REF_PREFIX))
    {
      const char      *start = p + strlen (REF_PREFIX);
      g_autofree char *ref = g_strndup (start, strcspn (start, "\""));
      add_with_refs (out, schemas, ref);
    }
}

static JsonObject *
custom_schema (KsResource *res)
{
  JsonObject *s = res->schema ? ks_json_object_deep_copy (res->schema) : json_object_new ();
  JsonObject *props = ks_json_ensure_object (s, "properties");
  JsonArray  *gvks = json_array_new ();
  JsonObject *av = json_object_new ();
  JsonObject *kind = json_object_new ();

  if (!json_object_has_member (s, "type"))
    json_object_set_string_member (s, "type", "object");
  json_object_set_string_member (av, "type", "string");
  json_object_set_string_member (av, "description",
                                 "APIVersion defines the versioned schema of this representation "
                                 "of an object.");
  json_object_set_string_member (kind, "type", "string");
  json_object_set_string_member (kind, "description",
                                 "Kind is a string value representing the REST resource this "
                                 "object represents.");
  json_object_set_object_member (props, "apiVersion", av);
  json_object_set_object_member (props, "kind", kind);
  {
    JsonObject *meta = ref_schema ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    json_object_set_string_member (meta, "description", "Standard object's metadata.");
    json_object_set_object_member (props, "metadata", meta);
  }
  json_array_add_object_element (gvks, gvk_array (res->group, res->version, res->kind));
  json_object_set_array_member (s, "x-kubernetes-group-version-kind", gvks);
  return s;
}

static GBytes *
build_group (KsSim *sim, const char *gv)
{
  JsonObject *doc = json_object_new ();
  JsonObject *info = json_object_new ();
  JsonObject *paths = json_object_new ();
  JsonObject *components = json_object_new ();
  JsonObject *out = json_object_new ();
  GHashTable *schemas = builtin_schemas ();
  gboolean    any = FALSE;
  GString    *text;
  gsize       len;

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource      *res = g_ptr_array_index (sim->resources, i);
      g_autofree char *name = NULL;
      g_autofree char *list_name = NULL;
      JsonObject      *list;
      if (strcmp (res->group_version, gv) != 0 || (res->flags & (KS_RES_REVIEW | KS_RES_COMPUTED)))
        continue;
      any = TRUE;
      name = schema_name (res);
      if (res->flags & KS_RES_CUSTOM)
        {
          json_object_set_object_member (out, name, custom_schema (res));
          add_with_refs (out, schemas, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        }
      else if (g_hash_table_contains (schemas, name))
        add_with_refs (out, schemas, name);
      else
        {
          /* Kinds without a schema here: the envelope, the rest free-form. */
          JsonObject *generic = custom_schema (res);
          JsonObject *props = ks_json_get_object (generic, "properties");
          json_object_set_string_member (generic, "description", res->kind);
          json_object_set_object_member (props, "spec", type_schema ("any", NULL, ""));
          json_object_set_object_member (props, "status", type_schema ("any", NULL, ""));
          json_object_set_object_member (out, name, generic);
          add_with_refs (out, schemas, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        }
      list_name = g_strconcat (name, "List", NULL);
      list = json_object_new ();
      json_object_set_string_member (list, "description", "A list of objects.");
      json_object_set_string_member (list, "type", "object");
      {
        JsonObject      *props = json_object_new ();
        JsonObject      *items = json_object_new ();
        JsonArray       *gvks = json_array_new ();
        JsonArray       *required = json_array_new ();
        g_autofree char *list_kind = g_strconcat (res->kind, "List", NULL);
        json_object_set_string_member (items, "type", "array");
        json_object_set_object_member (items, "items", ref_schema (name));
        json_object_set_object_member (props, "items", items);
        json_object_set_object_member (props, "apiVersion", type_schema ("string", NULL, ""));
        json_object_set_object_member (props, "kind", type_schema ("string", NULL, ""));
        json_object_set_object_member (
            props, "metadata", ref_schema ("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"));
        json_object_set_object_member (list, "properties", props);
        json_array_add_string_element (required, "items");
        json_object_set_array_member (list, "required", required);
        json_array_add_object_element (gvks, gvk_array (res->group, res->version, list_kind));
        json_object_set_array_member (list, "x-kubernetes-group-version-kind", gvks);
      }
      json_object_set_object_member (out, list_name, list);
      add_with_refs (out, schemas, "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
      add_paths (paths, res, name);
    }
  if (!any)
    {
      json_object_unref (doc);
      json_object_unref (info);
      json_object_unref (paths);
      json_object_unref (components);
      json_object_unref (out);
      return NULL;
    }
  json_object_set_string_member (doc, "openapi", "3.0.0");
  json_object_set_string_member (info, "title", "Kubernetes");
  json_object_set_string_member (info, "version", "v1.32.4");
  json_object_set_object_member (doc, "info", info);
  json_object_set_object_member (doc, "paths", paths);
  json_object_set_object_member (components, "schemas", out);
  json_object_set_object_member (doc, "components", components);
  text = g_string_new (NULL);
  ks_json_write_object (text, doc, NULL);
  json_object_unref (doc);
  len = text->len;
  return g_bytes_new_take (g_string_free (text, FALSE), len);
}

GBytes *
ks_openapi_v3_group (KsSim *sim, const char *gv)
{
  GBytes *doc = g_hash_table_lookup (sim->openapi_cache, gv);

  if (doc == NULL)
    {
      doc = build_group (sim, gv);
      if (doc == NULL)
        return NULL;
      g_hash_table_insert (sim->openapi_cache, g_strdup (gv), doc);
    }
  return g_bytes_ref (doc);
}

GBytes *
ks_openapi_v3_root (KsSim *sim)
{
  JsonObject *root = json_object_new ();
  JsonObject *paths = json_object_new ();
  GString    *text;
  gsize       len;

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource      *res = g_ptr_array_index (sim->resources, i);
      g_autofree char *key
          = *res->group ? g_strdup_printf ("apis/%s", res->group_version) : g_strdup ("api/v1");
      g_autoptr (GBytes) doc = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *url = NULL;
      JsonObject      *entry;
      if (json_object_has_member (paths, key))
        continue;
      doc = ks_openapi_v3_group (sim, res->group_version);
      if (doc == NULL)
        continue;
      hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA512, doc);
      url = g_strdup_printf ("/openapi/v3/%s?hash=%s", key, hash);
      entry = json_object_new ();
      json_object_set_string_member (entry, "serverRelativeURL", url);
      json_object_set_object_member (paths, key, entry);
    }
  json_object_set_object_member (root, "paths", paths);
  text = g_string_new (NULL);
  ks_json_write_object (text, root, NULL);
  json_object_unref (root);
  len = text->len;
  return g_bytes_new_take (g_string_free (text, FALSE), len);
}

/* protobuf: field 1 (swagger) "2.0", field 2 (info) {title, version} */
GBytes *
ks_openapi_v2 (KsSim *sim)
{
  /* field 1 (swagger) "2.0"; field 2 (info) {1: title, 2: version} */
  static const char title[] = "Kubernetes";
  static const char version[] = "v1.32.4";
  GByteArray       *doc = g_byte_array_new ();
  guint8            head[]
      = { 0x0a, 0x03, '2', '.', '0', 0x12, (guint8)(2 + strlen (title) + 2 + strlen (version)) };
  guint8 tag;

  g_byte_array_append (doc, head, sizeof head);
  tag = 0x0a;
  g_byte_array_append (doc, &tag, 1);
  tag = strlen (title);
  g_byte_array_append (doc, &tag, 1);
  g_byte_array_append (doc, (const guint8 *)title, strlen (title));
  tag = 0x12;
  g_byte_array_append (doc, &tag, 1);
  tag = strlen (version);
  g_byte_array_append (doc, &tag, 1);
  g_byte_array_append (doc, (const guint8 *)version, strlen (version));
  return g_byte_array_free_to_bytes (doc);
}

void
ks_openapi_invalidate (KsSim *sim)
{
  if (sim->openapi_cache != NULL)
    g_hash_table_remove_all (sim->openapi_cache);
}
