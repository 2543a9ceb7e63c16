/* ks-crd.c: CustomResourceDefinitions: serving their versions, structural
 * schema validation with pruning and defaults, and the CRD status. */
#include "kube-sim.h"

#include <string.h>

static GPtrArray *
crd_resources (KsSim *sim, const char *crd_name)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (g_strcmp0 (res->crd_name, crd_name) == 0)
        g_ptr_array_add (out, res);
    }
  return out;
}

static const char *
type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);
        if (t == G_TYPE_STRING)
          return "string";
        if (t == G_TYPE_BOOLEAN)
          return "boolean";
        if (t == G_TYPE_INT64)
          return "integer";
        return "number";
      }
    }
  return "unknown";
}

/* Unknown fields pruned while validating one object. */
static GPtrArray *pruned;

static void
value_text (GString *out, JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append_printf (out, "\"%s\"", json_node_get_string (node));
  else
    ks_json_write (out, node, NULL);
}

/* Validates node against schema, pruning unknown fields and applying defaults. */
static void
check_schema (JsonArray *causes, const char *path, JsonNode *node, JsonObject *schema)
{
  const char *type = ks_json_get_string (schema, "type");
  gboolean    int_or_string = ks_json_get_bool (schema, "x-kubernetes-int-or-string", FALSE);
  gboolean    preserve = ks_json_get_bool (schema, "x-kubernetes-preserve-unknown-fields", FALSE);
  JsonArray  *enum_values = ks_json_get_array (schema, "enum");
  const char *actual = type_name (node);

  if (JSON_NODE_HOLDS_NULL (node) && ks_json_get_bool (schema, "nullable", FALSE))
    return;
  if (int_or_string)
    {
      if (strcmp (actual, "integer") != 0 && strcmp (actual, "string") != 0)
        {
          g_autoptr (GString) m = g_string_new ("Invalid value: ");
          value_text (m, node);
          g_string_append_printf (m, ": %s in body must be of type integer,string: \"%s\"",
                                  path + 1, actual);
          ks_causes_add (causes, "FieldValueTypeInvalid", path + 1, m->str);
        }
      return;
    }
  if (type != NULL && strcmp (type, actual) != 0
      && !(strcmp (type, "number") == 0 && strcmp (actual, "integer") == 0))
    {
      g_autoptr (GString) m = g_string_new ("Invalid value: \"");
      g_string_append_printf (m, "%s\": %s in body must be of type %s: \"%s\"", actual, path + 1,
                              type, actual);
      ks_causes_add (causes, "FieldValueTypeInvalid", path + 1, m->str);
      return;
    }
  if (enum_values != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < json_array_get_length (enum_values); i++)
        if (ks_json_node_equal (json_array_get_element (enum_values, i), node))
          found = TRUE;
      if (!found)
        {
          g_autoptr (GString) m = g_string_new ("Unsupported value: ");
          value_text (m, node);
          g_string_append (m, ": supported values: ");
          for (guint i = 0; i < json_array_get_length (enum_values); i++)
            {
              if (i)
                g_string_append (m, ", ");
              value_text (m, json_array_get_element (enum_values, i));
            }
          ks_causes_add (causes, "FieldValueNotSupported", path + 1, m->str);
        }
    }
  if (JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
    {
      JsonObject *obj = json_node_get_object (node);
      JsonObject *props = ks_json_get_object (schema, "properties");
      JsonObject *additional = ks_json_get_object (schema, "additionalProperties");
      JsonArray  *required = ks_json_get_array (schema, "required");
      GList      *members = json_object_get_members (obj);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char      *key = l->data;
          JsonObject      *sub = ks_json_get_object (props, key);
          g_autofree char *child = g_strconcat (path, ".", key, NULL);
          if (sub == NULL)
            sub = additional;
          if (sub != NULL)
            check_schema (causes, child, json_object_get_member (obj, key), sub);
          else if (!preserve && (props != NULL || type != NULL))
            {
              g_ptr_array_add (pruned, g_strdup (child + 1));
              json_object_remove_member (obj, key); /* pruning */
            }
        }
      g_list_free (members);
      if (props != NULL)
        {
          JsonObjectIter iter;
          const char    *key;
          JsonNode      *sub;
          json_object_iter_init (&iter, props);
          while (json_object_iter_next (&iter, &key, &sub))
            if (!json_object_has_member (obj, key) && JSON_NODE_TYPE (sub) == JSON_NODE_OBJECT
                && json_object_has_member (json_node_get_object (sub), "default"))
              json_object_set_member (obj, key,
                                      ks_json_node_deep_copy (json_object_get_member (
                                          json_node_get_object (sub), "default")));
        }
      for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
        {
          const char *key = json_array_get_string_element (required, i);
          if (key != NULL && !json_object_has_member (obj, key))
            {
              g_autofree char *child = g_strconcat (path + 1, *(path + 1) ? "." : "", key, NULL);
              ks_causes_add (causes, "FieldValueRequired", child, "Required value");
            }
        }
    }
  else if (JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
    {
      JsonArray  *array = json_node_get_array (node);
      JsonObject *items = ks_json_get_object (schema, "items");
      for (guint i = 0; items != NULL && i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);
          check_schema (causes, child, json_array_get_element (array, i), items);
        }
    }
}

static JsonObject *
validate_custom (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *schema = res->schema;
  JsonObject *props = ks_json_get_object (schema, "properties");
  GList      *members;

  if (schema == NULL)
    return NULL;
  if (pruned == NULL)
    pruned = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (pruned, 0);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char      *key = l->data;
      JsonObject      *sub = ks_json_get_object (props, key);
      g_autofree char *path = g_strconcat (".", key, NULL);
      if (strcmp (key, "apiVersion") == 0 || strcmp (key, "kind") == 0
          || strcmp (key, "metadata") == 0)
        continue;
      if (sub != NULL)
        check_schema (causes, path, json_object_get_member (obj, key), sub);
      else if (!ks_json_get_bool (schema, "x-kubernetes-preserve-unknown-fields", FALSE))
        {
          g_ptr_array_add (pruned, g_strdup (key));
          json_object_remove_member (obj, key);
        }
    }
  g_list_free (members);
  {
    JsonArray *required = ks_json_get_array (schema, "required");
    for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
      {
        const char *key = json_array_get_string_element (required, i);
        if (key && !json_object_has_member (obj, key))
          ks_causes_add (causes, "FieldValueRequired", key, "Required value");
      }
  }
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  if (pruned->len > 0 && g_strcmp0 (sim->field_validation, "Ignore") != 0)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      for (guint i = 0; i < pruned->len; i++)
        {
          g_autofree char *one
              = g_strdup_printf ("unknown field \"%s\"", (char *)g_ptr_array_index (pruned, i));
          if (g_strcmp0 (sim->field_validation, "Strict") == 0)
            g_string_append_printf (text, "%s%s", i ? ", " : "", one);
          else if (sim->warnings != NULL)
            g_ptr_array_add (sim->warnings, g_steal_pointer (&one));
        }
      if (text->len > 0)
        {
          g_autofree char *message = g_strdup_printf (
              "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s",
              res->kind, res->version, res->kind, text->str);
          return ks_status_bad_request (message);
        }
    }
  return NULL;
}

static char **
strv_from_array (JsonArray *array)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char        **out;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (json_array_get_string_element (array, i))
      g_strv_builder_add (b, json_array_get_string_element (array, i));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (out[0] == NULL)
    g_clear_pointer (&out, g_strfreev);
  return out;
}

static JsonObject *
crd_condition (const char *type, const char *reason, const char *message, const char *now)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "status", "True");
  json_object_set_string_member (c, "lastTransitionTime", now);
  json_object_set_string_member (c, "reason", reason);
  json_object_set_string_member (c, "message", message);
  return c;
}

JsonObject *
ks_crd_install (KsSim *sim, JsonObject *crd)
{
  JsonObject *spec = ks_json_get_object (crd, "spec");
  JsonObject *names = ks_json_get_object (spec, "names");
  const char *group = ks_json_get_string (spec, "group");
  const char *plural = ks_json_get_string (names, "plural");
  const char *kind = ks_json_get_string (names, "kind");
  gboolean    namespaced = g_strcmp0 (ks_json_get_string (spec, "scope"), "Namespaced") == 0;
  JsonArray  *versions = ks_json_get_array (spec, "versions");
  const char *crd_name = ks_meta_name (crd);
  g_autoptr (GPtrArray) existing = crd_resources (sim, crd_name);
  KsResource *storage
      = existing->len ? ((KsResource *)g_ptr_array_index (existing, 0))->storage : NULL;
  JsonObject      *status;
  JsonArray       *conditions;
  JsonArray       *stored;
  g_autofree char *now = ks_now_rfc3339 ();
  const char      *storage_version = NULL;

  for (guint i = 0; versions != NULL && i < json_array_get_length (versions); i++)
    {
      JsonObject     *v = json_array_get_object_element (versions, i);
      const char     *version = ks_json_get_string (v, "name");
      JsonObject     *subs = ks_json_get_object (v, "subresources");
      JsonArray      *columns = ks_json_get_array (v, "additionalPrinterColumns");
      KsResource     *res;
      KsResourceFlags flags = KS_RES_CUSTOM | KS_RES_GENERATION;
      if (version == NULL)
        continue;
      if (ks_json_get_bool (v, "storage", FALSE))
        storage_version = version;
      res = ks_resource_find (sim, group, version, plural);
      if (!ks_json_get_bool (v, "served", TRUE))
        {
          if (res != NULL && res != storage)
            ks_resource_remove (sim, res);
          continue;
        }
      if (ks_json_get_object (subs, "status") != NULL)
        flags |= KS_RES_STATUS;
      if (ks_json_get_object (subs, "scale") != NULL)
        flags |= KS_RES_SCALE;
      if (res == NULL)
        {
          res = ks_resource_add (sim, group, version, kind, plural, namespaced, flags);
          res->crd_name = g_strdup (crd_name);
          if (storage == NULL)
            storage = res;
          else
            {
              res->storage = storage;
            }
        }
      res->flags = flags;
      g_clear_pointer (&res->short_names, g_strfreev);
      res->short_names = strv_from_array (ks_json_get_array (names, "shortNames"));
      g_clear_pointer (&res->categories, g_strfreev);
      res->categories = strv_from_array (ks_json_get_array (names, "categories"));
      if (ks_json_get_string (names, "singular"))
        {
          g_free (res->singular);
          res->singular = g_strdup (ks_json_get_string (names, "singular"));
        }
      g_clear_pointer (&res->schema, json_object_unref);
      {
        JsonObject *schema
            = ks_json_get_object (ks_json_get_object (v, "schema"), "openAPIV3Schema");
        if (schema != NULL)
          res->schema = ks_json_object_deep_copy (schema);
      }
      res->validate = validate_custom;
      g_clear_pointer (&res->printer_columns, g_strfreev);
      if (columns != NULL)
        {
          GStrvBuilder *b = g_strv_builder_new ();
          for (guint c = 0; c < json_array_get_length (columns); c++)
            {
              JsonObject *col = json_array_get_object_element (columns, c);
              const char *cname = ks_json_get_string (col, "name");
              const char *jp = ks_json_get_string (col, "jsonPath");
              if (cname && jp && g_ascii_strcasecmp (cname, "Age") != 0)
                {
                  g_autofree char *row = g_strdup_printf (
                      "%s\t%s\t%s", cname, jp, ks_json_get_string (col, "type") ?: "string");
                  g_strv_builder_add (b, row);
                }
            }
          res->printer_columns = g_strv_builder_end (b);
          g_strv_builder_unref (b);
        }
    }
  ks_openapi_invalidate (sim);

  status = json_object_new ();
  conditions = json_array_new ();
  json_array_add_object_element (
      conditions, crd_condition ("NamesAccepted", "NoConflicts", "no conflicts found", now));
  json_array_add_object_element (conditions,
                                 crd_condition ("Established", "InitialNamesAccepted",
                                                "the initial names have been accepted", now));
  json_object_set_array_member (status, "conditions", conditions);
  json_object_set_object_member (status, "acceptedNames", ks_json_object_deep_copy (names));
  if (!json_object_has_member (ks_json_get_object (status, "acceptedNames"), "singular"))
    {
      g_autofree char *singular = g_ascii_strdown (kind, -1);
      json_object_set_string_member (ks_json_get_object (status, "acceptedNames"), "singular",
                                     singular);
    }
  stored = json_array_new ();
  if (storage_version)
    json_array_add_string_element (stored, storage_version);
  json_object_set_array_member (status, "storedVersions", stored);
  json_object_set_object_member (crd, "status", status);
  return NULL;
}

void
ks_crd_uninstall (KsSim *sim, JsonObject *crd)
{
  g_autoptr (GPtrArray) list = crd_resources (sim, ks_meta_name (crd));

  /* Custom objects go with their definition. */
  for (guint i = 0; i < list->len; i++)
    {
      KsResource *res = g_ptr_array_index (list, i);
      if (res->storage == res)
        {
          g_autoptr (GPtrArray) items = ks_store_list (res, NULL);
          for (guint j = 0; j < items->len; j++)
            ks_store_write (sim, res, "DELETED",
                            ks_json_object_deep_copy (g_ptr_array_index (items, j)));
        }
    }
  for (guint i = 0; i < list->len; i++)
    ks_resource_remove (sim, g_ptr_array_index (list, i));
}
