/* ks-json.c: JSON and YAML helpers. */
#include "ks-json.h"

#include <string.h>
#include <stdlib.h>
#include <yaml.h>

JsonNode *
ks_json_node_deep_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonNode *copy = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (copy, ks_json_object_deep_copy (json_node_get_object (node)));
        return copy;
      }
    case JSON_NODE_ARRAY:
      {
        JsonNode *copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, ks_json_array_deep_copy (json_node_get_array (node)));
        return copy;
      }
    default:
      return json_node_copy (node);
    }
}

JsonObject *
ks_json_object_deep_copy (JsonObject *object)
{
  JsonObject    *copy = json_object_new ();
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    json_object_set_member (copy, key, ks_json_node_deep_copy (value));
  return copy;
}

static JsonObject *
shallow_copy (JsonObject *object, gboolean with_metadata)
{
  JsonObject    *copy = json_object_new ();
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    if (with_metadata && JSON_NODE_HOLDS_OBJECT (value) && strcmp (key, "metadata") == 0)
      json_object_set_object_member (copy, key, shallow_copy (json_node_get_object (value), FALSE));
    else
      json_object_set_member (copy, key, json_node_copy (value)); /* shares objects, arrays */
  return copy;
}

JsonObject *
ks_json_object_copy_top (JsonObject *object)
{
  return shallow_copy (object, TRUE);
}

JsonArray *
ks_json_array_deep_copy (JsonArray *array)
{
  guint      n = json_array_get_length (array);
  JsonArray *copy = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, ks_json_node_deep_copy (json_array_get_element (array, i)));
  return copy;
}

static gboolean
value_equal (JsonNode *a, JsonNode *b)
{
  GType ta = json_node_get_value_type (a);
  GType tb = json_node_get_value_type (b);

  if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
    {
      if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
        return json_node_get_int (a) == json_node_get_int (b);
      return json_node_get_double (a) == json_node_get_double (b);
    }
  if (ta != tb)
    return FALSE;
  if (ta == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
  if (ta == G_TYPE_BOOLEAN)
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  return FALSE;
}

gboolean
ks_json_node_equal (JsonNode *a, JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
      return value_equal (a, b);
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);
        guint      n = json_array_get_length (x);
        if (n != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!ks_json_node_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject    *x = json_node_get_object (a), *y = json_node_get_object (b);
        JsonObjectIter iter;
        const char    *key;
        JsonNode      *value;
        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        json_object_iter_init (&iter, x);
        while (json_object_iter_next (&iter, &key, &value))
          if (!ks_json_node_equal (value, json_object_get_member (y, key)))
            return FALSE;
        return TRUE;
      }
    }
  return FALSE;
}

const char *
ks_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
ks_json_get_int (JsonObject *object, const char *member, gint64 fallback)
{
  JsonNode *node;

  if (object == NULL)
    return fallback;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  return fallback;
}

gboolean
ks_json_get_bool (JsonObject *object, const char *member, gboolean fallback)
{
  JsonNode *node;

  if (object == NULL)
    return fallback;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

JsonObject *
ks_json_get_object (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
ks_json_get_array (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return NULL;
  return json_node_get_array (node);
}

JsonObject *
ks_json_ensure_object (JsonObject *object, const char *member)
{
  JsonObject *child = ks_json_get_object (object, member);

  if (child == NULL)
    {
      child = json_object_new ();
      json_object_set_object_member (object, member, child);
    }
  return child;
}

JsonArray *
ks_json_ensure_array (JsonObject *object, const char *member)
{
  JsonArray *child = ks_json_get_array (object, member);

  if (child == NULL)
    {
      child = json_array_new ();
      json_object_set_array_member (object, member, child);
    }
  return child;
}

JsonObject *
ks_meta (JsonObject *object)
{
  return ks_json_get_object (object, "metadata");
}

const char *
ks_meta_name (JsonObject *object)
{
  return ks_json_get_string (ks_meta (object), "name");
}

const char *
ks_meta_namespace (JsonObject *object)
{
  return ks_json_get_string (ks_meta (object), "namespace");
}

const char *
ks_meta_uid (JsonObject *object)
{
  return ks_json_get_string (ks_meta (object), "uid");
}

const char *
ks_meta_label (JsonObject *object, const char *key)
{
  return ks_json_get_string (ks_json_get_object (ks_meta (object), "labels"), key);
}

JsonNode *
ks_json_lookup (JsonObject *object, const char *dotted)
{
  g_auto (GStrv) parts = g_strsplit (dotted, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL)
        return NULL;
      node = json_object_get_member (object, parts[i]);
      if (node == NULL)
        return NULL;
      object = JSON_NODE_TYPE (node) == JSON_NODE_OBJECT ? json_node_get_object (node) : NULL;
    }
  return node;
}

char *
ks_json_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

char *
ks_json_object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* json-glib parses recursively: refuse documents nested deeper than any
 * Kubernetes object before they reach it. */
static gboolean
nesting_ok (const char *data, gsize length)
{
  gboolean in_string = FALSE;
  guint    depth = 0;

  if (length == (gsize)-1)
    length = strlen (data);
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > 200)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonNode *
ks_json_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (!nesting_ok (data, length))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "the document is nested too deeply");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "empty document");
      return NULL;
    }
  /* Stored objects are edited in copies, so hand out a mutable tree. */
  return ks_json_node_deep_copy (json_parser_get_root (parser));
}

JsonObject *
ks_json_parse_object (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonNode) node = ks_json_parse (data, length, error);

  if (node == NULL)
    return NULL;
  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "the document is not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* ---- YAML ---- */

typedef struct
{
  yaml_parser_t parser;
  GHashTable   *anchors;
  guint         depth;
} YamlReader;

static JsonNode *yaml_read_node (YamlReader *reader, yaml_event_t *event, GError **error);

static JsonNode *
yaml_scalar (yaml_event_t *event)
{
  const char *value = (const char *)event->data.scalar.value;
  gsize       length = event->data.scalar.length;
  const char *tag = (const char *)event->data.scalar.tag;
  JsonNode   *node = json_node_new (JSON_NODE_VALUE);
  char       *end = NULL;

  if (tag != NULL && strcmp (tag, YAML_STR_TAG) == 0)
    goto string;
  if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    goto string;
  if (length == 0 || strcmp (value, "~") == 0 || strcmp (value, "null") == 0
      || strcmp (value, "Null") == 0 || strcmp (value, "NULL") == 0)
    {
      json_node_init_null (node);
      return node;
    }
  if (strcmp (value, "true") == 0 || strcmp (value, "True") == 0 || strcmp (value, "TRUE") == 0)
    {
      json_node_set_boolean (node, TRUE);
      return node;
    }
  if (strcmp (value, "false") == 0 || strcmp (value, "False") == 0 || strcmp (value, "FALSE") == 0)
    {
      json_node_set_boolean (node, FALSE);
      return node;
    }
  if (g_regex_match_simple ("^[-+]?[0-9]+$", value, 0, 0))
    {
      gint64 v = g_ascii_strtoll (value, &end, 10);
      if (end != NULL && *end == '\0')
        {
          json_node_set_int (node, v);
          return node;
        }
    }
  if (g_regex_match_simple ("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", value, 0, 0))
    {
      json_node_set_double (node, g_ascii_strtod (value, NULL));
      return node;
    }
string:
  json_node_set_string (node, value);
  return node;
}

static gboolean
yaml_next (YamlReader *reader, yaml_event_t *event, GError **error)
{
  if (!yaml_parser_parse (&reader->parser, event))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "YAML: %s at line %zu",
                   reader->parser.problem ? reader->parser.problem : "syntax error",
                   reader->parser.problem_mark.line + 1);
      return FALSE;
    }
  return TRUE;
}

static void
yaml_remember (YamlReader *reader, const yaml_char_t *anchor, JsonNode *node)
{
  if (anchor != NULL)
    g_hash_table_insert (reader->anchors, g_strdup ((const char *)anchor),
                         ks_json_node_deep_copy (node));
}

static JsonNode *
yaml_read_node (YamlReader *reader, yaml_event_t *event, GError **error)
{
  JsonNode *node = NULL;

  if (++reader->depth > 200)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "YAML nested too deeply");
      reader->depth--;
      return NULL;
    }
  switch (event->type)
    {
    case YAML_SCALAR_EVENT:
      node = yaml_scalar (event);
      yaml_remember (reader, event->data.scalar.anchor, node);
      break;
    case YAML_ALIAS_EVENT:
      {
        JsonNode *target
            = g_hash_table_lookup (reader->anchors, (const char *)event->data.alias.anchor);
        if (target == NULL)
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "YAML: unknown alias %s",
                       event->data.alias.anchor);
        else
          node = ks_json_node_deep_copy (target);
        break;
      }
    case YAML_SEQUENCE_START_EVENT:
      {
        JsonArray   *array = json_array_new ();
        yaml_char_t *anchor
            = event->data.sequence_start.anchor
                  ? (yaml_char_t *)g_strdup ((char *)event->data.sequence_start.anchor)
                  : NULL;
        yaml_event_t child;
        gboolean     ok = TRUE;
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        while (ok && (ok = yaml_next (reader, &child, error)))
          {
            JsonNode *element;
            if (child.type == YAML_SEQUENCE_END_EVENT)
              {
                yaml_event_delete (&child);
                break;
              }
            element = yaml_read_node (reader, &child, error);
            yaml_event_delete (&child);
            if (element == NULL)
              ok = FALSE;
            else
              json_array_add_element (array, element);
          }
        if (!ok)
          g_clear_pointer (&node, json_node_unref);
        else
          yaml_remember (reader, anchor, node);
        g_free (anchor);
        break;
      }
    case YAML_MAPPING_START_EVENT:
      {
        JsonObject  *object = json_object_new ();
        yaml_char_t *anchor
            = event->data.mapping_start.anchor
                  ? (yaml_char_t *)g_strdup ((char *)event->data.mapping_start.anchor)
                  : NULL;
        yaml_event_t key_event;
        gboolean     ok = TRUE;
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, object);
        while (ok && (ok = yaml_next (reader, &key_event, error)))
          {
            yaml_event_t value_event;
            JsonNode    *key_node, *value;
            if (key_event.type == YAML_MAPPING_END_EVENT)
              {
                yaml_event_delete (&key_event);
                break;
              }
            key_node = yaml_read_node (reader, &key_event, error);
            yaml_event_delete (&key_event);
            if (key_node == NULL)
              {
                ok = FALSE;
                break;
              }
            if (!(ok = yaml_next (reader, &value_event, error)))
              {
                json_node_unref (key_node);
                break;
              }
            value = yaml_read_node (reader, &value_event, error);
            yaml_event_delete (&value_event);
            if (value == NULL)
              ok = FALSE;
            else if (JSON_NODE_TYPE (key_node) != JSON_NODE_VALUE)
              {
                g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                             "YAML: only scalar mapping keys are supported");
                json_node_unref (value);
                ok = FALSE;
              }
            else
              {
                g_autofree char *key = NULL;
                if (json_node_get_value_type (key_node) == G_TYPE_STRING)
                  key = g_strdup (json_node_get_string (key_node));
                else if (json_node_get_value_type (key_node) == G_TYPE_INT64)
                  key = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (key_node));
                else if (json_node_get_value_type (key_node) == G_TYPE_BOOLEAN)
                  key = g_strdup (json_node_get_boolean (key_node) ? "true" : "false");
                else
                  key = g_strdup_printf ("%g", json_node_get_double (key_node));
                json_object_set_member (object, key, value);
              }
            json_node_unref (key_node);
          }
        if (!ok)
          g_clear_pointer (&node, json_node_unref);
        else
          yaml_remember (reader, anchor, node);
        g_free (anchor);
        break;
      }
    default:
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "YAML: unexpected event");
      break;
    }
  reader->depth--;
  return node;
}

GPtrArray *
ks_yaml_parse_documents (const char *data, gsize length, GError **error)
{
  g_autoptr (GPtrArray) documents
      = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  YamlReader   reader = { 0 };
  yaml_event_t event;
  gboolean     ok = TRUE;
  gboolean     done = FALSE;

  yaml_parser_initialize (&reader.parser);
  yaml_parser_set_input_string (&reader.parser, (const unsigned char *)data, length);
  reader.anchors
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_node_unref);
  while (ok && !done && (ok = yaml_next (&reader, &event, error)))
    {
      switch (event.type)
        {
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;
        case YAML_DOCUMENT_START_EVENT:
          {
            yaml_event_t content;
            if (!(ok = yaml_next (&reader, &content, error)))
              break;
            if (content.type == YAML_DOCUMENT_END_EVENT)
              {
                yaml_event_delete (&content);
                break;
              }
            JsonNode *node = yaml_read_node (&reader, &content, error);
            yaml_event_delete (&content);
            if (node == NULL)
              ok = FALSE;
            else
              g_ptr_array_add (documents, node);
            break;
          }
        default:
          break;
        }
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&reader.parser);
  g_hash_table_unref (reader.anchors);
  if (!ok)
    return NULL;
  return g_steal_pointer (&documents);
}

char *
ks_now_rfc3339 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
ks_random_suffix (guint length)
{
  static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  char             *out = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    out[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  out[length] = '\0';
  return out;
}

char *
ks_new_uid (void)
{
  return g_uuid_string_random ();
}

static void
write_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '<':
        case '>':
        case '&':
          g_string_append_printf (out, "\\u%04x", *p);
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

void
ks_json_write_object (GString *out, JsonObject *object, const char *const *skip)
{
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;
  gboolean       first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      if (skip != NULL && g_strv_contains (skip, key))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_string (out, key);
      g_string_append_c (out, ':');
      ks_json_write (out, value, NULL);
    }
  g_string_append_c (out, '}');
}

void
ks_json_write (GString *out, JsonNode *node, const char *const *skip)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_OBJECT:
      ks_json_write_object (out, json_node_get_object (node), skip);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint      n = json_array_get_length (array);
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            ks_json_write (out, json_array_get_element (array, i), NULL);
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);
        if (t == G_TYPE_STRING)
          write_string (out, json_node_get_string (node));
        else if (t == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (t == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else
          {
            char   buf[G_ASCII_DTOSTR_BUF_SIZE];
            double d = json_node_get_double (node);
            if (d == (double)(gint64)d && d > -1e15 && d < 1e15)
              g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64)d);
            else
              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, d));
          }
        break;
      }
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **)a, *(const char **)b);
}

void
ks_json_write_canonical (GString *out, JsonNode *node)
{
  if (node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
    {
      JsonObject *object = json_node_get_object (node);
      GList      *members = json_object_get_members (object);
      GPtrArray  *keys = g_ptr_array_new ();
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (keys, l->data);
      g_ptr_array_sort (keys, compare_strings);
      g_string_append_c (out, '{');
      gboolean first = TRUE;
      for (guint i = 0; i < keys->len; i++)
        {
          /* null and absent are the same value for Go's typed structs */
          if (JSON_NODE_HOLDS_NULL (json_object_get_member (object, g_ptr_array_index (keys, i))))
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          write_string (out, g_ptr_array_index (keys, i));
          g_string_append_c (out, ':');
          ks_json_write_canonical (out,
                                   json_object_get_member (object, g_ptr_array_index (keys, i)));
        }
      g_string_append_c (out, '}');
      g_ptr_array_unref (keys);
      g_list_free (members);
    }
  else if (node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
    {
      JsonArray *array = json_node_get_array (node);
      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          ks_json_write_canonical (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    ks_json_write (out, node, NULL);
}
