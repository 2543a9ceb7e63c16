/* hero-virt-kube-yaml.c: YAML documents (kubeconfig, manifests) as JSON,
 * with limits for hostile input
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "hero-virt-private.h"

#define MAX_YAML_BYTES (16 * 1024 * 1024)
#define MAX_YAML_DEPTH 64
#define MAX_YAML_NODES 1000000

typedef struct
{
  yaml_parser_t parser;
  GHashTable   *anchors; /* name -> JsonNode */
  GHashTable   *sizes;   /* name -> how many nodes it expands to */
  guint         nodes;
  GError      **error;
} Reader;

static gboolean
yaml_fail (Reader *r, const char *what)
{
  if (r->error && *r->error == NULL)
    g_set_error (r->error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Invalid YAML: %s", what);
  return FALSE;
}

static JsonNode *
scalar_node (yaml_event_t *ev)
{
  const char *v = (const char *)ev->data.scalar.value;
  JsonNode   *node = json_node_new (JSON_NODE_VALUE);

  if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    {
      if (*v == '\0' || strcmp (v, "~") == 0 || strcmp (v, "null") == 0 || strcmp (v, "Null") == 0
          || strcmp (v, "NULL") == 0)
        {
          json_node_init_null (node);
          return node;
        }
      if (strcmp (v, "true") == 0 || strcmp (v, "True") == 0 || strcmp (v, "TRUE") == 0)
        {
          json_node_set_boolean (node, TRUE);
          return node;
        }
      if (strcmp (v, "false") == 0 || strcmp (v, "False") == 0 || strcmp (v, "FALSE") == 0)
        {
          json_node_set_boolean (node, FALSE);
          return node;
        }
      {
        char  *end = NULL;
        gint64 n = g_ascii_strtoll (v, &end, 10);

        if (end != v && *end == '\0' && (g_ascii_isdigit (*v) || *v == '-'))
          {
            json_node_set_int (node, n);
            return node;
          }
      }
    }
  json_node_set_string (node, v);
  return node;
}

static JsonNode *read_node (Reader *r, yaml_event_t *ev, guint depth);

static gboolean
next_event (Reader *r, yaml_event_t *ev)
{
  if (!yaml_parser_parse (&r->parser, ev))
    {
      g_autofree char *msg = g_strdup_printf (
          "%s at line %zu", r->parser.problem ? r->parser.problem : "syntax error",
          r->parser.problem_mark.line + 1);
      return yaml_fail (r, msg);
    }
  return TRUE;
}

static void
remember_anchor (Reader *r, const yaml_char_t *anchor, JsonNode *node, guint start)
{
  if (anchor != NULL && node != NULL)
    {
      g_hash_table_replace (r->anchors, g_strdup ((const char *)anchor), json_node_copy (node));
      g_hash_table_replace (r->sizes, g_strdup ((const char *)anchor),
                            GUINT_TO_POINTER (MAX (1, r->nodes - start)));
    }
}

static JsonNode *
read_node (Reader *r, yaml_event_t *ev, guint depth)
{
  JsonNode *node = NULL;
  guint     start = r->nodes;

  if (++r->nodes > MAX_YAML_NODES)
    {
      yaml_fail (r, "too many nodes");
      return NULL;
    }
  if (depth > MAX_YAML_DEPTH)
    {
      yaml_fail (r, "nested too deeply");
      return NULL;
    }
  switch (ev->type)
    {
    case YAML_SCALAR_EVENT:
      node = scalar_node (ev);
      remember_anchor (r, ev->data.scalar.anchor, node, start);
      return node;
    case YAML_ALIAS_EVENT:
      {
        JsonNode *target = g_hash_table_lookup (r->anchors, ev->data.alias.anchor);
        guint     size = GPOINTER_TO_UINT (g_hash_table_lookup (r->sizes, ev->data.alias.anchor));

        if (target == NULL)
          {
            yaml_fail (r, "unknown alias");
            return NULL;
          }
        /* Count what an alias expands to against the limit (billion laughs). */

        if (size > MAX_YAML_NODES - MIN (r->nodes, MAX_YAML_NODES))
          {
            yaml_fail (r, "aliases expand to too many nodes");
            return NULL;
          }
        r->nodes += size;
        return json_node_copy (target);
      }
    case YAML_SEQUENCE_START_EVENT:
      {
        g_autoptr (JsonArray) array = json_array_new ();
        yaml_char_t     *anchor = ev->data.sequence_start.anchor;
        g_autofree char *anchor_copy = anchor ? g_strdup ((const char *)anchor) : NULL;

        for (;;)
          {
            yaml_event_t child;
            JsonNode    *value;

            if (!next_event (r, &child))
              return NULL;
            if (child.type == YAML_SEQUENCE_END_EVENT)
              {
                yaml_event_delete (&child);
                break;
              }
            value = read_node (r, &child, depth + 1);
            yaml_event_delete (&child);
            if (value == NULL)
              return NULL;
            json_array_add_element (array, value);
          }
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_set_array (node, array);
        remember_anchor (r, (yaml_char_t *)anchor_copy, node, start);
        return node;
      }
    case YAML_MAPPING_START_EVENT:
      {
        g_autoptr (JsonObject) object = json_object_new ();
        yaml_char_t     *anchor = ev->data.mapping_start.anchor;
        g_autofree char *anchor_copy = anchor ? g_strdup ((const char *)anchor) : NULL;

        for (;;)
          {
            yaml_event_t     key, child;
            JsonNode        *value;
            g_autofree char *name = NULL;

            if (!next_event (r, &key))
              return NULL;
            if (key.type == YAML_MAPPING_END_EVENT)
              {
                yaml_event_delete (&key);
                break;
              }
            if (key.type != YAML_SCALAR_EVENT)
              {
                yaml_event_delete (&key);
                yaml_fail (r, "a mapping key is not a scalar");
                return NULL;
              }
            name = g_strdup ((const char *)key.data.scalar.value);
            yaml_event_delete (&key);
            if (!next_event (r, &child))
              return NULL;
            value = read_node (r, &child, depth + 1);
            yaml_event_delete (&child);
            if (value == NULL)
              return NULL;
            json_object_set_member (object, name, value);
          }
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_set_object (node, object);
        remember_anchor (r, (yaml_char_t *)anchor_copy, node, start);
        return node;
      }
    default:
      yaml_fail (r, "unexpected event");
      return NULL;
    }
}

/**
 * hero_virt_kube_parse_yaml:
 * @yaml: YAML text: one document or several separated by `---`, such as
 *   a kubeconfig or the manifests `kubectl apply -f` reads
 * @length: the length of @yaml in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Reads every document of @yaml as JSON, the way kubectl does: mappings
 * become objects, sequences arrays, plain scalars `true`/`false`, `null`
 * (or empty) and integers their JSON types, every other scalar a string;
 * anchors and aliases are expanded; empty documents are skipped. Hostile
 * input is refused with %HERO_VIRT_ERROR_PARSE (more than 64 levels of
 * nesting, more than a million nodes counting what aliases expand to)
 * or %HERO_VIRT_ERROR_INVALID_ARGUMENT (more than 16 MiB).
 *
 * Returns: (transfer container) (element-type Json.Node): the documents,
 *   or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_kube_parse_yaml (const char *yaml, gssize length, GError **error)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  Reader   r = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (yaml != NULL, NULL);

  if (length < 0)
    length = (gssize)strlen (yaml);
  if ((gsize)length > MAX_YAML_BYTES)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The YAML is too large (%" G_GSSIZE_FORMAT " bytes, at most %d)", length,
                   MAX_YAML_BYTES);
      return NULL;
    }
  if (!yaml_parser_initialize (&r.parser))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "Out of memory");
      return NULL;
    }
  r.anchors
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_node_unref);
  r.sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.error = error;
  yaml_parser_set_input_string (&r.parser, (const unsigned char *)yaml, (size_t)length);
  while (ok)
    {
      yaml_event_t ev;

      if (!next_event (&r, &ev))
        {
          ok = FALSE;
          break;
        }
      if (ev.type == YAML_STREAM_END_EVENT)
        {
          yaml_event_delete (&ev);
          break;
        }
      if (ev.type == YAML_DOCUMENT_START_EVENT)
        {
          yaml_event_t root, end;
          JsonNode    *node;

          yaml_event_delete (&ev);
          if (!next_event (&r, &root))
            {
              ok = FALSE;
              break;
            }
          node = read_node (&r, &root, 0);
          yaml_event_delete (&root);
          if (node == NULL)
            {
              ok = FALSE;
              break;
            }
          if (!JSON_NODE_HOLDS_NULL (node))
            g_ptr_array_add (docs, node);
          else
            json_node_unref (node);
          if (!next_event (&r, &end))
            {
              ok = FALSE;
              break;
            }
          yaml_event_delete (&end);
          g_hash_table_remove_all (r.anchors);
          g_hash_table_remove_all (r.sizes);
          continue;
        }
      yaml_event_delete (&ev);
    }
  yaml_parser_delete (&r.parser);
  g_hash_table_unref (r.anchors);
  g_hash_table_unref (r.sizes);
  if (!ok)
    {
      yaml_fail (&r, "syntax error");
      return NULL;
    }
  return g_steal_pointer (&docs);
}
