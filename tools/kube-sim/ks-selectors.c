/* ks-selectors.c: label selectors (k=v, k!=v, k in (..), k notin (..), k, !k)
 * and field selectors (=, ==, !=) over the fields each kind supports. */
#include "kube-sim.h"

#include <string.h>

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_IN,
  OP_NOTIN,
  OP_EXISTS,
  OP_NOT_EXISTS,
  OP_NOTHING, /* matches nothing (invalid metav1 selector) */
} Op;

typedef struct
{
  char  *key;
  Op     op;
  char **values;
} Requirement;

struct _KsSelector
{
  GPtrArray *reqs;
};

static void
requirement_free (Requirement *r)
{
  g_free (r->key);
  g_strfreev (r->values);
  g_free (r);
}

static KsSelector *
selector_new (void)
{
  KsSelector *sel = g_new0 (KsSelector, 1);

  sel->reqs = g_ptr_array_new_with_free_func ((GDestroyNotify)requirement_free);
  return sel;
}

void
ks_selector_free (KsSelector *sel)
{
  if (sel == NULL)
    return;
  g_ptr_array_unref (sel->reqs);
  g_free (sel);
}

static void
add_req (KsSelector *sel, const char *key, Op op, char **values)
{
  Requirement *r = g_new0 (Requirement, 1);

  r->key = g_strstrip (g_strdup (key));
  r->op = op;
  r->values = values;
  g_ptr_array_add (sel->reqs, r);
}

/* Splits on commas that are not inside parentheses. */
static GPtrArray *
split_terms (const char *text)
{
  GPtrArray  *terms = g_ptr_array_new_with_free_func (g_free);
  int         depth = 0;
  const char *start = text;

  for (const char *p = text;; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      if (*p == '\0' || (*p == ',' && depth == 0))
        {
          char *term = g_strstrip (g_strndup (start, p - start));
          if (*term)
            g_ptr_array_add (terms, term);
          else
            g_free (term);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return terms;
}

static char **
split_values (const char *inner)
{
  g_auto (GStrv) parts = g_strsplit (inner, ",", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  char        **out;

  for (guint i = 0; parts[i]; i++)
    g_strv_builder_add (builder, g_strstrip (parts[i]));
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

KsSelector *
ks_label_selector_parse (const char *text, char **error)
{
  g_autoptr (KsSelector) sel = selector_new ();
  g_autoptr (GPtrArray) terms = split_terms (text ? text : "");

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);
      const char *op;
      g_autoptr (GMatchInfo) match = NULL;
      static GRegex *set_re = NULL;

      if (set_re == NULL)
        set_re = g_regex_new ("^([^\\s!=()]+)\\s+(in|notin)\\s*\\((.*)\\)$", 0, 0, NULL);
      if (g_regex_match (set_re, term, 0, &match))
        {
          g_autofree char *key = g_match_info_fetch (match, 1);
          g_autofree char *verb = g_match_info_fetch (match, 2);
          g_autofree char *inner = g_match_info_fetch (match, 3);
          add_req (sel, key, strcmp (verb, "in") == 0 ? OP_IN : OP_NOTIN, split_values (inner));
        }
      else if ((op = strstr (term, "!=")) != NULL)
        {
          g_autofree char *key = g_strndup (term, op - term);
          add_req (sel, key, OP_NE, split_values (op + 2));
        }
      else if ((op = strstr (term, "==")) != NULL)
        {
          g_autofree char *key = g_strndup (term, op - term);
          add_req (sel, key, OP_EQ, split_values (op + 2));
        }
      else if ((op = strchr (term, '=')) != NULL)
        {
          g_autofree char *key = g_strndup (term, op - term);
          add_req (sel, key, OP_EQ, split_values (op + 1));
        }
      else if (term[0] == '!')
        add_req (sel, term + 1, OP_NOT_EXISTS, NULL);
      else if (strpbrk (term, " ()<>") == NULL)
        add_req (sel, term, OP_EXISTS, NULL);
      else
        {
          if (error)
            *error = g_strdup_printf ("unable to parse requirement: found '%s', expected: "
                                      "'=', '!=', '==', 'in', notin'",
                                      term);
          return NULL;
        }
    }
  for (guint i = 0; i < sel->reqs->len; i++)
    {
      Requirement *r = g_ptr_array_index (sel->reqs, i);
      if (*r->key == '\0' || strlen (r->key) > 317)
        {
          if (error)
            *error = g_strdup_printf ("invalid label key \"%s\"", r->key);
          return NULL;
        }
    }
  return g_steal_pointer (&sel);
}

KsSelector *
ks_label_selector_from_json (JsonObject *selector)
{
  KsSelector    *sel = selector_new ();
  JsonObject    *match = ks_json_get_object (selector, "matchLabels");
  JsonArray     *exprs = ks_json_get_array (selector, "matchExpressions");
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  if (match != NULL)
    {
      json_object_iter_init (&iter, match);
      while (json_object_iter_next (&iter, &key, &value))
        {
          char **values = g_new0 (char *, 2);
          values[0] = g_strdup (JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : "");
          add_req (sel, key, OP_EQ, values);
        }
    }
  for (guint i = 0; exprs != NULL && i < json_array_get_length (exprs); i++)
    {
      JsonObject   *e = json_array_get_object_element (exprs, i);
      const char   *op = ks_json_get_string (e, "operator");
      JsonArray    *vals = ks_json_get_array (e, "values");
      GStrvBuilder *builder = g_strv_builder_new ();
      char        **values;
      for (guint j = 0; vals != NULL && j < json_array_get_length (vals); j++)
        g_strv_builder_add (builder, json_array_get_string_element (vals, j));
      values = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
      if (ks_json_get_string (e, "key") == NULL)
        {
          g_strfreev (values);
          continue;
        }
      if (g_strcmp0 (op, "In") == 0)
        add_req (sel, ks_json_get_string (e, "key"), OP_IN, values);
      else if (g_strcmp0 (op, "NotIn") == 0)
        add_req (sel, ks_json_get_string (e, "key"), OP_NOTIN, values);
      else if (g_strcmp0 (op, "Exists") == 0)
        {
          add_req (sel, ks_json_get_string (e, "key"), OP_EXISTS, NULL);
          g_strfreev (values);
        }
      else if (g_strcmp0 (op, "DoesNotExist") == 0)
        {
          add_req (sel, ks_json_get_string (e, "key"), OP_NOT_EXISTS, NULL);
          g_strfreev (values);
        }
      else
        {
          add_req (sel, ks_json_get_string (e, "key"), OP_NOTHING, NULL);
          g_strfreev (values);
        }
    }
  return sel;
}

static gboolean
req_matches (Requirement *r, const char *value)
{
  switch (r->op)
    {
    case OP_EQ:
    case OP_IN:
      return value != NULL && g_strv_contains ((const char *const *)r->values, value);
    case OP_NE:
    case OP_NOTIN:
      return value == NULL || !g_strv_contains ((const char *const *)r->values, value);
    case OP_EXISTS:
      return value != NULL;
    case OP_NOT_EXISTS:
      return value == NULL;
    case OP_NOTHING:
      return FALSE;
    }
  return FALSE;
}

gboolean
ks_label_selector_matches (KsSelector *sel, JsonObject *labels)
{
  for (guint i = 0; i < sel->reqs->len; i++)
    {
      Requirement *r = g_ptr_array_index (sel->reqs, i);
      if (!req_matches (r, ks_json_get_string (labels, r->key)))
        return FALSE;
    }
  return TRUE;
}

static const char *const common_fields[] = { "metadata.name", "metadata.namespace", NULL };
static const char *const pod_fields[] = { "spec.nodeName",
                                          "spec.restartPolicy",
                                          "spec.schedulerName",
                                          "spec.serviceAccountName",
                                          "spec.hostNetwork",
                                          "status.phase",
                                          "status.podIP",
                                          "status.podIPs",
                                          "status.nominatedNodeName",
                                          NULL };
static const char *const event_fields[] = { "involvedObject.kind",
                                            "involvedObject.namespace",
                                            "involvedObject.name",
                                            "involvedObject.uid",
                                            "involvedObject.apiVersion",
                                            "involvedObject.resourceVersion",
                                            "involvedObject.fieldPath",
                                            "reason",
                                            "reportingComponent",
                                            "source",
                                            "type",
                                            NULL };
static const char *const secret_fields[] = { "type", NULL };
static const char *const namespace_fields[] = { "status.phase", NULL };
static const char *const rs_fields[] = { "status.replicas", NULL };
static const char *const node_fields[] = { "spec.unschedulable", NULL };
static const char *const service_fields[] = { "spec.clusterIP", "spec.type", NULL };

static gboolean
field_supported (KsResource *res, const char *field)
{
  const char *const *extra = NULL;

  if (g_strv_contains (common_fields, field))
    return TRUE;
  if (strcmp (res->kind, "Pod") == 0)
    extra = pod_fields;
  else if (strcmp (res->kind, "Event") == 0)
    extra = event_fields;
  else if (strcmp (res->kind, "Secret") == 0)
    extra = secret_fields;
  else if (strcmp (res->kind, "Namespace") == 0)
    extra = namespace_fields;
  else if (strcmp (res->kind, "ReplicaSet") == 0)
    extra = rs_fields;
  else if (strcmp (res->kind, "Node") == 0)
    extra = node_fields;
  else if (strcmp (res->kind, "Service") == 0)
    extra = service_fields;
  return extra != NULL && g_strv_contains (extra, field);
}

KsSelector *
ks_field_selector_parse (KsResource *res, const char *text, char **error)
{
  g_autoptr (KsSelector) sel = selector_new ();
  g_auto (GStrv) terms = g_strsplit (text ? text : "", ",", -1);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      char            *term = g_strstrip (terms[i]);
      const char      *op;
      g_autofree char *key = NULL;
      Op               kind;
      const char      *value;
      char           **values;

      if (*term == '\0')
        continue;
      if ((op = strstr (term, "!=")) != NULL)
        kind = OP_NE, value = op + 2;
      else if ((op = strstr (term, "==")) != NULL)
        kind = OP_EQ, value = op + 2;
      else if ((op = strchr (term, '=')) != NULL)
        kind = OP_EQ, value = op + 1;
      else
        {
          if (error)
            *error = g_strdup_printf ("invalid selector: '%s'; can't understand '%s'", text, term);
          return NULL;
        }
      key = g_strstrip (g_strndup (term, op - term));
      if (!field_supported (res, key))
        {
          if (error)
            *error = g_strdup_printf ("field label not supported: %s", key);
          return NULL;
        }
      values = g_new0 (char *, 2);
      values[0] = g_strdup (value);
      add_req (sel, key, kind, values);
    }
  return g_steal_pointer (&sel);
}

gboolean
ks_field_selector_matches (KsSelector *sel, JsonObject *obj)
{
  for (guint i = 0; i < sel->reqs->len; i++)
    {
      Requirement     *r = g_ptr_array_index (sel->reqs, i);
      JsonNode        *node = ks_json_lookup (obj, r->key);
      g_autofree char *value = NULL;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        {
          GType t = json_node_get_value_type (node);
          if (t == G_TYPE_STRING)
            value = g_strdup (json_node_get_string (node));
          else if (t == G_TYPE_BOOLEAN)
            value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
          else if (t == G_TYPE_INT64)
            value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        }
      if (value == NULL)
        {
          /* Unset fields compare as the empty string (or false for booleans). */
          if (g_str_has_suffix (r->key, "hostNetwork")
              || g_str_has_suffix (r->key, "unschedulable"))
            value = g_strdup ("false");
          else
            value = g_strdup ("");
        }
      if (!req_matches (r, value))
        return FALSE;
    }
  return TRUE;
}
