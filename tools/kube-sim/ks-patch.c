/* ks-patch.c: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic
 * merge patch (a subset: merge keys of the built-in kinds, $patch,
 * $setElementOrder, $deleteFromPrimitiveList, $retainKeys). */
#include "kube-sim.h"

#include <string.h>

/* ---- merge patch ---- */

JsonNode *
ks_merge_patch (JsonNode *target, JsonNode *patch)
{
  JsonObject    *result;
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  if (patch == NULL || JSON_NODE_TYPE (patch) != JSON_NODE_OBJECT)
    return ks_json_node_deep_copy (patch);
  if (target != NULL && JSON_NODE_TYPE (target) == JSON_NODE_OBJECT)
    result = ks_json_object_deep_copy (json_node_get_object (target));
  else
    result = json_object_new ();
  json_object_iter_init (&iter, json_node_get_object (patch));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (result, key);
      else
        json_object_set_member (result, key,
                                ks_merge_patch (json_object_get_member (result, key), value));
    }
  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);
    json_node_take_object (node, result);
    return node;
  }
}

/* ---- strategic merge patch ---- */

static JsonNode *smp_node (JsonNode *target, JsonNode *patch, const char *path, char **error);

static gboolean
element_matches (JsonNode *element, const char *key, JsonNode *value)
{
  JsonObject *obj;

  if (element == NULL || JSON_NODE_TYPE (element) != JSON_NODE_OBJECT)
    return FALSE;
  obj = json_node_get_object (element);
  return ks_json_node_equal (json_object_get_member (obj, key), value);
}

static JsonArray *
smp_keyed_list (JsonArray  *target,
                JsonArray  *patch,
                const char *key,
                const char *path,
                JsonArray  *order,
                char      **error)
{
  JsonArray *result = target ? ks_json_array_deep_copy (target) : json_array_new ();
  guint      n = json_array_get_length (patch);

  for (guint i = 0; i < n; i++)
    {
      JsonNode   *pe = json_array_get_element (patch, i);
      JsonObject *po = JSON_NODE_TYPE (pe) == JSON_NODE_OBJECT ? json_node_get_object (pe) : NULL;
      JsonNode   *kv = po ? json_object_get_member (po, key) : NULL;
      const char *directive = ks_json_get_string (po, "$patch");
      gint        found = -1;

      if (po != NULL && directive != NULL && strcmp (directive, "replace") == 0 && kv == NULL)
        {
          /* {"$patch": "replace"} in a list: the list is the patch without it */
          JsonArray *replaced = json_array_new ();
          for (guint j = 0; j < n; j++)
            if (j != i)
              json_array_add_element (replaced,
                                      ks_json_node_deep_copy (json_array_get_element (patch, j)));
          json_array_unref (result);
          return replaced;
        }
      if (kv == NULL)
        {
          json_array_add_element (result, ks_json_node_deep_copy (pe));
          continue;
        }
      for (guint j = 0; j < json_array_get_length (result); j++)
        if (element_matches (json_array_get_element (result, j), key, kv))
          {
            found = j;
            break;
          }
      if (directive != NULL && strcmp (directive, "delete") == 0)
        {
          if (found >= 0)
            json_array_remove_element (result, found);
          continue;
        }
      if (found >= 0)
        {
          g_autofree char *child = g_strconcat (path, "[]", NULL);
          JsonNode *merged = smp_node (json_array_get_element (result, found), pe, child, error);
          /* replace element in place */
          JsonArray *rebuilt = json_array_new ();
          for (guint j = 0; j < json_array_get_length (result); j++)
            json_array_add_element (
                rebuilt, j == (guint)found
                             ? merged
                             : ks_json_node_deep_copy (json_array_get_element (result, j)));
          json_array_unref (result);
          result = rebuilt;
        }
      else
        {
          g_autofree char *child = g_strconcat (path, "[]", NULL);
          json_array_add_element (result, smp_node (NULL, pe, child, error));
        }
    }
  if (order != NULL)
    {
      /* Elements named in $setElementOrder first, in that order; others after. */
      JsonArray *sorted = json_array_new ();
      gboolean  *used = g_new0 (gboolean, json_array_get_length (result) + 1);
      for (guint i = 0; i < json_array_get_length (order); i++)
        {
          JsonNode *oe = json_array_get_element (order, i);
          JsonNode *okv = JSON_NODE_TYPE (oe) == JSON_NODE_OBJECT
                              ? json_object_get_member (json_node_get_object (oe), key)
                              : NULL;
          for (guint j = 0; okv && j < json_array_get_length (result); j++)
            if (!used[j] && element_matches (json_array_get_element (result, j), key, okv))
              {
                used[j] = TRUE;
                json_array_add_element (
                    sorted, ks_json_node_deep_copy (json_array_get_element (result, j)));
                break;
              }
        }
      for (guint j = 0; j < json_array_get_length (result); j++)
        if (!used[j])
          json_array_add_element (sorted,
                                  ks_json_node_deep_copy (json_array_get_element (result, j)));
      g_free (used);
      json_array_unref (result);
      result = sorted;
    }
  return result;
}

static JsonArray *
smp_primitive_set (JsonArray *target, JsonArray *patch, JsonArray *remove)
{
  JsonArray *result = target ? ks_json_array_deep_copy (target) : json_array_new ();

  for (guint i = 0; patch && i < json_array_get_length (patch); i++)
    {
      JsonNode *pe = json_array_get_element (patch, i);
      gboolean  present = FALSE;
      for (guint j = 0; j < json_array_get_length (result); j++)
        if (ks_json_node_equal (json_array_get_element (result, j), pe))
          present = TRUE;
      if (!present)
        json_array_add_element (result, ks_json_node_deep_copy (pe));
    }
  for (guint i = 0; remove && i < json_array_get_length (remove); i++)
    {
      JsonNode *re = json_array_get_element (remove, i);
      for (guint j = 0; j < json_array_get_length (result); j++)
        if (ks_json_node_equal (json_array_get_element (result, j), re))
          {
            json_array_remove_element (result, j);
            break;
          }
    }
  return result;
}

static JsonNode *
smp_node (JsonNode *target, JsonNode *patch, const char *path, char **error)
{
  JsonObject    *po;
  JsonObject    *result;
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;
  const char    *directive;
  JsonArray     *retain;
  JsonNode      *node;

  if (patch == NULL || JSON_NODE_TYPE (patch) != JSON_NODE_OBJECT)
    return ks_json_node_deep_copy (patch);
  po = json_node_get_object (patch);
  directive = ks_json_get_string (po, "$patch");
  if (directive != NULL && strcmp (directive, "delete") == 0)
    return NULL;
  if (directive != NULL && strcmp (directive, "replace") == 0)
    {
      JsonObject *copy = ks_json_object_deep_copy (po);
      json_object_remove_member (copy, "$patch");
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, copy);
      return node;
    }
  if (target != NULL && JSON_NODE_TYPE (target) == JSON_NODE_OBJECT)
    result = ks_json_object_deep_copy (json_node_get_object (target));
  else
    result = json_object_new ();
  retain = ks_json_get_array (po, "$retainKeys");

  json_object_iter_init (&iter, po);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *child = g_strconcat (path, ".", key, NULL);
      if (key[0] == '$')
        {
          if (g_str_has_prefix (key, "$deleteFromPrimitiveList/"))
            {
              const char *field = key + strlen ("$deleteFromPrimitiveList/");
              JsonArray  *remove
                  = JSON_NODE_TYPE (value) == JSON_NODE_ARRAY ? json_node_get_array (value) : NULL;
              JsonArray *current = ks_json_get_array (result, field);
              if (current != NULL && !json_object_has_member (po, field))
                json_object_set_array_member (result, field,
                                              smp_primitive_set (current, NULL, remove));
            }
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (value))
        {
          json_object_remove_member (result, key);
          continue;
        }
      if (JSON_NODE_TYPE (value) == JSON_NODE_ARRAY)
        {
          const char      *merge_key = ks_patch_merge_key (path, key);
          JsonArray       *current = ks_json_get_array (result, key);
          g_autofree char *order_key = g_strconcat ("$setElementOrder/", key, NULL);
          g_autofree char *delete_key = g_strconcat ("$deleteFromPrimitiveList/", key, NULL);
          JsonArray       *order = ks_json_get_array (po, order_key);
          if (merge_key != NULL)
            json_object_set_array_member (result, key,
                                          smp_keyed_list (current, json_node_get_array (value),
                                                          merge_key, child, order, error));
          else if (!ks_resource_is_list_atomic (key))
            json_object_set_array_member (result, key,
                                          smp_primitive_set (current, json_node_get_array (value),
                                                             ks_json_get_array (po, delete_key)));
          else
            json_object_set_member (result, key, ks_json_node_deep_copy (value));
          continue;
        }
      {
        JsonNode *merged = smp_node (json_object_get_member (result, key), value, child, error);
        if (merged == NULL)
          json_object_remove_member (result, key);
        else
          json_object_set_member (result, key, merged);
      }
    }
  /* $setElementOrder for a list not otherwise in the patch: reorder only. */
  json_object_iter_init (&iter, po);
  while (json_object_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "$setElementOrder/")
        && !json_object_has_member (po, key + strlen ("$setElementOrder/")))
      {
        const char      *field = key + strlen ("$setElementOrder/");
        const char      *merge_key = ks_patch_merge_key (path, field);
        JsonArray       *current = ks_json_get_array (result, field);
        g_autofree char *child = g_strconcat (path, ".", field, NULL);
        if (merge_key != NULL && current != NULL && JSON_NODE_TYPE (value) == JSON_NODE_ARRAY)
          {
            g_autoptr (JsonArray) empty = json_array_new ();
            json_object_set_array_member (result, field,
                                          smp_keyed_list (current, empty, merge_key, child,
                                                          json_node_get_array (value), error));
          }
      }
  if (retain != NULL)
    {
      GList *members = json_object_get_members (result);
      for (GList *l = members; l != NULL; l = l->next)
        {
          gboolean keep = FALSE;
          for (guint i = 0; i < json_array_get_length (retain); i++)
            if (g_strcmp0 (json_array_get_string_element (retain, i), l->data) == 0)
              keep = TRUE;
          if (!keep)
            json_object_remove_member (result, l->data);
        }
      g_list_free (members);
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, result);
  return node;
}

JsonNode *
ks_strategic_merge_patch (JsonNode *target, JsonNode *patch, char **error)
{
  JsonNode *result;

  if (patch == NULL || JSON_NODE_TYPE (patch) != JSON_NODE_OBJECT)
    {
      *error = g_strdup ("a strategic merge patch must be a JSON object");
      return NULL;
    }
  result = smp_node (target, patch, "", error);
  if (*error != NULL)
    g_clear_pointer (&result, json_node_unref);
  return result;
}

/* ---- JSON patch ---- */

static char *
unescape_token (const char *token)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *p = token; *p; p++)
    {
      if (p[0] == '~' && p[1] == '1')
        g_string_append_c (out, '/'), p++;
      else if (p[0] == '~' && p[1] == '0')
        g_string_append_c (out, '~'), p++;
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Resolves the parent container of a pointer; *last is the final token. */
static JsonNode *
resolve_parent (JsonNode *root, const char *pointer, char **last, char **error)
{
  g_auto (GStrv) tokens = NULL;
  JsonNode *node = root;
  guint     n;

  if (pointer == NULL || (*pointer != '/' && *pointer != '\0'))
    {
      *error = g_strdup_printf ("invalid JSON pointer: \"%s\"", pointer ? pointer : "");
      return NULL;
    }
  if (*pointer == '\0')
    {
      *last = NULL;
      return NULL;
    }
  tokens = g_strsplit (pointer + 1, "/", -1);
  n = g_strv_length (tokens);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *t = unescape_token (tokens[i]);
      if (JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
        node = json_object_get_member (json_node_get_object (node), t);
      else if (JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
        {
          char      *end = NULL;
          guint64    idx = g_ascii_strtoull (t, &end, 10);
          JsonArray *a = json_node_get_array (node);
          node = (end && *end == '\0' && *t && idx < json_array_get_length (a))
                     ? json_array_get_element (a, idx)
                     : NULL;
        }
      else
        node = NULL;
      if (node == NULL)
        {
          *error = g_strdup_printf ("doc is missing path: \"%s\": missing value", pointer);
          return NULL;
        }
    }
  *last = unescape_token (tokens[n - 1]);
  return node;
}

static JsonNode *
pointer_get (JsonNode *root, const char *pointer, char **error)
{
  g_autofree char *last = NULL;
  JsonNode        *parent = resolve_parent (root, pointer, &last, error);

  if (*error)
    return NULL;
  if (last == NULL)
    return root;
  if (JSON_NODE_TYPE (parent) == JSON_NODE_OBJECT)
    return json_object_get_member (json_node_get_object (parent), last);
  if (JSON_NODE_TYPE (parent) == JSON_NODE_ARRAY)
    {
      char      *end = NULL;
      guint64    idx = g_ascii_strtoull (last, &end, 10);
      JsonArray *a = json_node_get_array (parent);
      if (end && *end == '\0' && *last && idx < json_array_get_length (a))
        return json_array_get_element (a, idx);
    }
  return NULL;
}

static gboolean
pointer_remove (JsonNode *root, const char *pointer, char **error)
{
  g_autofree char *last = NULL;
  JsonNode        *parent = resolve_parent (root, pointer, &last, error);

  if (*error)
    return FALSE;
  if (last != NULL && JSON_NODE_TYPE (parent) == JSON_NODE_OBJECT
      && json_object_has_member (json_node_get_object (parent), last))
    {
      json_object_remove_member (json_node_get_object (parent), last);
      return TRUE;
    }
  if (last != NULL && JSON_NODE_TYPE (parent) == JSON_NODE_ARRAY)
    {
      char      *end = NULL;
      guint64    idx = g_ascii_strtoull (last, &end, 10);
      JsonArray *a = json_node_get_array (parent);
      if (end && *end == '\0' && *last && idx < json_array_get_length (a))
        {
          json_array_remove_element (a, idx);
          return TRUE;
        }
    }
  *error = g_strdup_printf ("unable to remove nonexistent key: %s: missing value", pointer);
  return FALSE;
}

static gboolean
pointer_add (JsonNode *root, const char *pointer, JsonNode *value, gboolean replace, char **error)
{
  g_autofree char *last = NULL;
  JsonNode        *parent = resolve_parent (root, pointer, &last, error);

  if (*error)
    return FALSE;
  if (last == NULL)
    {
      *error = g_strdup ("replacing the whole document is not supported");
      return FALSE;
    }
  if (JSON_NODE_TYPE (parent) == JSON_NODE_OBJECT)
    {
      JsonObject *o = json_node_get_object (parent);
      if (replace && !json_object_has_member (o, last))
        {
          *error = g_strdup_printf ("replace operation does not apply: doc is missing key: %s: "
                                    "missing value",
                                    pointer);
          return FALSE;
        }
      json_object_set_member (o, last, ks_json_node_deep_copy (value));
      return TRUE;
    }
  if (JSON_NODE_TYPE (parent) == JSON_NODE_ARRAY)
    {
      JsonArray *a = json_node_get_array (parent);
      guint      len = json_array_get_length (a);
      guint64    idx;
      char      *end = NULL;
      JsonArray *rebuilt;
      if (strcmp (last, "-") == 0)
        idx = len;
      else
        {
          idx = g_ascii_strtoull (last, &end, 10);
          if (end == NULL || *end != '\0' || *last == '\0' || idx > len || (replace && idx >= len))
            {
              *error = g_strdup_printf ("add operation does not apply: doc is missing path: "
                                        "\"%s\": missing value",
                                        pointer);
              return FALSE;
            }
        }
      rebuilt = json_array_new ();
      for (guint i = 0; i <= len; i++)
        {
          if (i == idx)
            json_array_add_element (rebuilt, ks_json_node_deep_copy (value));
          if (i < len && !(replace && i == idx))
            json_array_add_element (rebuilt,
                                    ks_json_node_deep_copy (json_array_get_element (a, i)));
        }
      /* swap contents */
      while (json_array_get_length (a) > 0)
        json_array_remove_element (a, 0);
      for (guint i = 0; i < json_array_get_length (rebuilt); i++)
        json_array_add_element (a, ks_json_node_deep_copy (json_array_get_element (rebuilt, i)));
      json_array_unref (rebuilt);
      return TRUE;
    }
  *error = g_strdup_printf ("doc is missing path: \"%s\": missing value", pointer);
  return FALSE;
}

JsonNode *
ks_json_patch (JsonNode *target, JsonNode *patch, char **error)
{
  JsonNode  *doc;
  JsonArray *ops;

  if (patch != NULL && JSON_NODE_TYPE (patch) == JSON_NODE_OBJECT
      && json_object_has_member (json_node_get_object (patch), "$patch"))
    patch = json_object_get_member (json_node_get_object (patch), "$patch");
  if (patch == NULL || JSON_NODE_TYPE (patch) != JSON_NODE_ARRAY)
    {
      *error = g_strdup ("a JSON patch must be an array of operations");
      return NULL;
    }
  doc = ks_json_node_deep_copy (target);
  ops = json_node_get_array (patch);
  for (guint i = 0; i < json_array_get_length (ops) && *error == NULL; i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      const char *name = ks_json_get_string (op, "op");
      const char *path = ks_json_get_string (op, "path");
      const char *from = ks_json_get_string (op, "from");
      JsonNode   *value = op ? json_object_get_member (op, "value") : NULL;

      if (name == NULL || path == NULL)
        *error = g_strdup ("invalid JSON patch operation: op and path are required");
      else if (strcmp (name, "add") == 0)
        pointer_add (doc, path, value ? value : json_node_new (JSON_NODE_NULL), FALSE, error);
      else if (strcmp (name, "remove") == 0)
        pointer_remove (doc, path, error);
      else if (strcmp (name, "replace") == 0)
        pointer_add (doc, path, value ? value : json_node_new (JSON_NODE_NULL), TRUE, error);
      else if (strcmp (name, "test") == 0)
        {
          JsonNode *current = pointer_get (doc, path, error);
          if (*error == NULL && !ks_json_node_equal (current, value))
            *error = g_strdup_printf ("testing value %s failed: test failed", path);
        }
      else if (strcmp (name, "move") == 0 || strcmp (name, "copy") == 0)
        {
          JsonNode *source = from ? pointer_get (doc, from, error) : NULL;
          if (*error == NULL && source == NULL)
            *error = g_strdup_printf ("%s operation does not apply: doc is missing from path: %s",
                                      name, from ? from : "");
          if (*error == NULL)
            {
              g_autoptr (JsonNode) copy = ks_json_node_deep_copy (source);
              if (strcmp (name, "move") == 0)
                pointer_remove (doc, from, error);
              if (*error == NULL)
                pointer_add (doc, path, copy, FALSE, error);
            }
        }
      else
        *error = g_strdup_printf ("Unexpected kind: %s", name);
    }
  if (*error != NULL)
    g_clear_pointer (&doc, json_node_unref);
  return doc;
}
