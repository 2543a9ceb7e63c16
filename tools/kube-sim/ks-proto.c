/* ks-proto.c: a table-driven protobuf decoder for the kinds in
 * ks-proto-tables.c. Go's generated marshallers write every non-pointer
 * field, zero or not; JSON omits empty ones, so empty values are dropped here
 * except for fields where zero or false means something. */
#include "ks-proto.h"

#include <string.h>

typedef struct
{
  char *name;
  char *type;
} Field;

static GHashTable *messages; /* name -> GHashTable (number -> Field) */
static GHashTable *roots;    /* "apiVersion/kind" -> message name */

static void
field_free (Field *f)
{
  g_free (f->name);
  g_free (f->type);
  g_free (f);
}

static void
load_tables (void)
{
  GHashTable *current = NULL;

  if (messages != NULL)
    return;
  messages
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
  roots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; ks_proto_table[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (ks_proto_table[i] + 2, " ", 3);
      switch (ks_proto_table[i][0])
        {
        case 'R':
          g_hash_table_insert (roots, g_strdup_printf ("%s/%s", parts[0], parts[1]),
                               g_strdup (parts[2]));
          break;
        case 'M':
          current = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify)field_free);
          g_hash_table_insert (messages, g_strdup (parts[0]), current);
          break;
        case 'F':
          {
            Field *f = g_new0 (Field, 1);
            f->name = g_strdup (parts[1]);
            f->type = g_strdup (parts[2]);
            g_hash_table_insert (current, GUINT_TO_POINTER (atoi (parts[0])), f);
            break;
          }
        }
    }
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      bad;
} Reader;

static guint64
read_varint (Reader *r)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      if (r->p >= r->end)
        {
          r->bad = TRUE;
          return 0;
        }
      guint8 b = *r->p++;
      v |= (guint64)(b & 0x7f) << shift;
      if (!(b & 0x80))
        return v;
    }
  r->bad = TRUE;
  return 0;
}

static gboolean
read_bytes (Reader *r, const guint8 **data, gsize *len)
{
  guint64 n = read_varint (r);

  if (r->bad || n > (guint64)(r->end - r->p))
    {
      r->bad = TRUE;
      return FALSE;
    }
  *data = r->p;
  *len = n;
  r->p += n;
  return TRUE;
}

static void
skip (Reader *r, guint wire)
{
  const guint8 *d;
  gsize         n;

  switch (wire)
    {
    case 0:
      read_varint (r);
      break;
    case 1:
      r->p + 8 <= r->end ? (void)(r->p += 8) : (void)(r->bad = TRUE);
      break;
    case 2:
      read_bytes (r, &d, &n);
      break;
    case 5:
      r->p + 4 <= r->end ? (void)(r->p += 4) : (void)(r->bad = TRUE);
      break;
    default:
      r->bad = TRUE;
    }
}

static JsonNode *decode_message (const char *name, const guint8 *data, gsize size, int depth);

static char *
time_text (gint64 seconds, gint64 nanos, gboolean micro)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (seconds);
  g_autofree char *base = NULL;

  if (t == NULL)
    return NULL;
  base = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
  if (micro)
    return g_strdup_printf ("%s.%06dZ", base, (int)(nanos / 1000));
  return g_strconcat (base, "Z", NULL);
}

static JsonNode *
decode_special (const char *name, const guint8 *data, gsize size)
{
  Reader        r = { data, data + size, FALSE };
  gint64        ints[4] = { 0 };
  const guint8 *strs[4] = { NULL };
  gsize         lens[4] = { 0 };
  JsonNode     *node = NULL;

  while (r.p < r.end && !r.bad)
    {
      guint64 key = read_varint (&r);
      guint   num = key >> 3, wire = key & 7;
      if (num < 4 && wire == 0)
        ints[num] = (gint64)read_varint (&r);
      else if (num < 4 && wire == 2)
        read_bytes (&r, &strs[num], &lens[num]);
      else
        skip (&r, wire);
    }
  if (r.bad)
    return NULL;
  if (g_str_has_suffix (name, ".Time") || g_str_has_suffix (name, ".MicroTime"))
    {
      g_autofree char *text = NULL;
      if (ints[1] == 0 && ints[2] == 0)
        return json_node_new (JSON_NODE_NULL);
      text = time_text (ints[1], ints[2], g_str_has_suffix (name, ".MicroTime"));
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text ? text : "");
    }
  else if (g_str_has_suffix (name, ".IntOrString"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      if (ints[1] == 1)
        {
          g_autofree char *s = g_strndup ((const char *)strs[3], lens[3]);
          json_node_set_string (node, s);
        }
      else
        json_node_set_int (node, (gint32)ints[2]);
    }
  else if (g_str_has_suffix (name, ".Quantity"))
    {
      g_autofree char *s = g_strndup ((const char *)strs[1], lens[1]);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, s);
    }
  else if (g_str_has_suffix (name, ".Duration"))
    {
      g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT "s", ints[1] / 1000000000);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, s);
    }
  else /* FieldsV1, RawExtension: JSON bytes in field 1 */
    {
      if (strs[1] == NULL || lens[1] == 0)
        return json_node_new (JSON_NODE_NULL);
      node = ks_json_parse ((const char *)strs[1], lens[1], NULL);
    }
  return node;
}

static gboolean
is_special (const char *name)
{
  return g_str_has_suffix (name, "meta.v1.Time") || g_str_has_suffix (name, "meta.v1.MicroTime")
         || g_str_has_suffix (name, "meta.v1.Duration")
         || g_str_has_suffix (name, "meta.v1.FieldsV1")
         || g_str_has_suffix (name, "runtime.RawExtension")
         || g_str_has_suffix (name, "intstr.IntOrString")
         || g_str_has_suffix (name, "resource.Quantity");
}

/* Fields whose zero or false is a value, not an absence (Go pointers). */
static gboolean
keeps_zero (const char *field)
{
  static const char *const keep[] = { "replicas",
                                      "terminationGracePeriodSeconds",
                                      "activeDeadlineSeconds",
                                      "revisionHistoryLimit",
                                      "progressDeadlineSeconds",
                                      "defaultMode",
                                      "mode",
                                      "runAsUser",
                                      "runAsGroup",
                                      "fsGroup",
                                      "automountServiceAccountToken",
                                      "enableServiceLinks",
                                      "hostUsers",
                                      "runAsNonRoot",
                                      "readOnlyRootFilesystem",
                                      "allowPrivilegeEscalation",
                                      "privileged",
                                      "optional",
                                      "shareProcessNamespace",
                                      "setHostnameAsFQDN",
                                      "gracePeriodSeconds",
                                      "orphanDependents",
                                      "allocateLoadBalancerNodePorts",
                                      "ready",
                                      "serving",
                                      "terminating",
                                      "priority",
                                      NULL };

  return g_strv_contains (keep, field);
}

static JsonNode *
decode_scalar (char kind, guint wire, Reader *r)
{
  JsonNode     *node = json_node_new (JSON_NODE_VALUE);
  const guint8 *d;
  gsize         n;

  switch (kind)
    {
    case 's':
      if (wire != 2 || !read_bytes (r, &d, &n))
        goto bad;
      {
        g_autofree char *s = g_strndup ((const char *)d, n);
        json_node_set_string (node, s);
      }
      break;
    case 'y':
      if (wire != 2 || !read_bytes (r, &d, &n))
        goto bad;
      {
        g_autofree char *s = g_base64_encode (d, n);
        json_node_set_string (node, s);
      }
      break;
    case 'b':
      if (wire != 0)
        goto bad;
      json_node_set_boolean (node, read_varint (r) != 0);
      break;
    case 'i':
      if (wire != 0)
        goto bad;
      json_node_set_int (node, (gint32)read_varint (r));
      break;
    case 'l':
      if (wire != 0)
        goto bad;
      json_node_set_int (node, (gint64)read_varint (r));
      break;
    case 'd':
      if (wire != 1 || r->p + 8 > r->end)
        goto bad;
      {
        double v;
        memcpy (&v, r->p, 8);
        r->p += 8;
        json_node_set_double (node, v);
      }
      break;
    case 'f':
      if (wire != 5 || r->p + 4 > r->end)
        goto bad;
      {
        float v;
        memcpy (&v, r->p, 4);
        r->p += 4;
        json_node_set_double (node, v);
      }
      break;
    default:
      goto bad;
    }
  if (r->bad)
    goto bad;
  return node;
bad:
  r->bad = TRUE;
  json_node_unref (node);
  return NULL;
}

static JsonNode *
decode_value (const char *type, guint wire, Reader *r, int depth)
{
  if (g_str_has_prefix (type, "m:"))
    {
      const guint8 *d;
      gsize         n;
      if (wire != 2 || !read_bytes (r, &d, &n))
        {
          r->bad = TRUE;
          return NULL;
        }
      if (is_special (type + 2))
        return decode_special (type + 2, d, n);
      return decode_message (type + 2, d, n, depth + 1);
    }
  return decode_scalar (type[0], wire, r);
}

static gboolean
is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return FALSE; /* empty structs are kept: {} means something (emptyDir: {}) */
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  switch (json_node_get_value_type (node) == G_TYPE_STRING    ? 's'
          : json_node_get_value_type (node) == G_TYPE_BOOLEAN ? 'b'
          : json_node_get_value_type (node) == G_TYPE_INT64   ? 'i'
                                                              : 'd')
    {
    case 's':
      return *json_node_get_string (node) == '\0';
    case 'b':
      return !json_node_get_boolean (node);
    case 'i':
      return json_node_get_int (node) == 0;
    default:
      return json_node_get_double (node) == 0;
    }
}

static JsonNode *
decode_message (const char *name, const guint8 *data, gsize size, int depth)
{
  GHashTable *fields = g_hash_table_lookup (messages, name);
  Reader      r = { data, data + size, FALSE };
  JsonObject *obj;
  JsonNode   *node;

  if (fields == NULL || depth > 64)
    return NULL;
  obj = json_object_new ();
  while (r.p < r.end && !r.bad)
    {
      guint64   key = read_varint (&r);
      guint     num = key >> 3, wire = key & 7;
      Field    *f = g_hash_table_lookup (fields, GUINT_TO_POINTER (num));
      JsonNode *value;
      if (r.bad)
        break;
      if (f == NULL)
        {
          skip (&r, wire);
          continue;
        }
      if (g_str_has_prefix (f->type, "map:"))
        {
          /* map entries: {1: key, 2: value} */
          const guint8 *d;
          gsize         n;
          g_auto (GStrv) kt = g_strsplit (f->type + 4, ":", 2);
          const char      *vtype = f->type + 4 + strlen (kt[0]) + 1;
          Reader           er;
          g_autofree char *k = NULL;
          JsonNode        *v = NULL;
          if (wire != 2 || !read_bytes (&r, &d, &n))
            break;
          er = (Reader){ d, d + n, FALSE };
          while (er.p < er.end && !er.bad)
            {
              guint64 ek = read_varint (&er);
              if ((ek >> 3) == 1)
                {
                  JsonNode *kn = decode_scalar (kt[0][0], ek & 7, &er);
                  if (kn != NULL)
                    {
                      if (json_node_get_value_type (kn) == G_TYPE_STRING)
                        k = g_strdup (json_node_get_string (kn));
                      else
                        k = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (kn));
                      json_node_unref (kn);
                    }
                }
              else if ((ek >> 3) == 2)
                {
                  if (v != NULL)
                    json_node_unref (v);
                  v = decode_value (vtype, ek & 7, &er, depth);
                }
              else
                skip (&er, ek & 7);
            }
          if (er.bad)
            r.bad = TRUE;
          if (v == NULL)
            {
              v = json_node_new (JSON_NODE_VALUE);
              json_node_set_string (v, "");
            }
          json_object_set_member (ks_json_ensure_object (obj, f->name), k ? k : "", v);
          continue;
        }
      if (f->type[0] == 'r')
        {
          JsonArray  *array = ks_json_ensure_array (obj, f->name);
          const char *etype = f->type + 1;
          if (wire == 2 && !g_str_has_prefix (etype, "m:") && etype[0] != 's' && etype[0] != 'y')
            {
              /* packed scalars */
              const guint8 *d;
              gsize         n;
              Reader        pr;
              if (!read_bytes (&r, &d, &n))
                break;
              pr = (Reader){ d, d + n, FALSE };
              while (pr.p < pr.end && !pr.bad)
                {
                  JsonNode *e = decode_scalar (etype[0],
                                               etype[0] == 'd'   ? 1
                                               : etype[0] == 'f' ? 5
                                                                 : 0,
                                               &pr);
                  if (e)
                    json_array_add_element (array, e);
                }
              continue;
            }
          value = decode_value (etype, wire, &r, depth);
          if (value != NULL)
            json_array_add_element (array, value);
          continue;
        }
      value = decode_value (f->type, wire, &r, depth);
      if (value == NULL)
        continue;
      if (is_empty (value) && !(keeps_zero (f->name) && JSON_NODE_HOLDS_VALUE (value)))
        {
          json_node_unref (value);
          continue;
        }
      json_object_set_member (obj, f->name, value);
    }
  if (r.bad)
    {
      json_object_unref (obj);
      return NULL;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, obj);
  return node;
}

JsonObject *
ks_proto_decode (const guint8 *data, gsize size, char **error)
{
  Reader           r;
  const guint8    *raw = NULL, *tm = NULL;
  gsize            raw_len = 0, tm_len = 0;
  g_autofree char *api_version = NULL, *kind = NULL, *key = NULL;
  const char      *message;
  JsonNode        *node;
  JsonObject      *obj;

  load_tables ();
  if (size < 4 || memcmp (data, "k8s\0", 4) != 0)
    {
      *error = g_strdup ("provided object is not protobuf (no k8s envelope)");
      return NULL;
    }
  r = (Reader){ data + 4, data + size, FALSE };
  while (r.p < r.end && !r.bad)
    {
      guint64 k = read_varint (&r);
      if ((k >> 3) == 1 && (k & 7) == 2)
        read_bytes (&r, &tm, &tm_len);
      else if ((k >> 3) == 2 && (k & 7) == 2)
        read_bytes (&r, &raw, &raw_len);
      else
        skip (&r, k & 7);
    }
  if (tm != NULL)
    {
      Reader t = { tm, tm + tm_len, FALSE };
      while (t.p < t.end && !t.bad)
        {
          guint64       k = read_varint (&t);
          const guint8 *d;
          gsize         n;
          if ((k & 7) != 2 || !read_bytes (&t, &d, &n))
            {
              skip (&t, k & 7);
              continue;
            }
          if ((k >> 3) == 1)
            api_version = g_strndup ((const char *)d, n);
          else if ((k >> 3) == 2)
            kind = g_strndup ((const char *)d, n);
        }
    }
  if (r.bad || api_version == NULL || kind == NULL)
    {
      *error = g_strdup ("malformed protobuf envelope");
      return NULL;
    }
  key = g_strdup_printf ("%s/%s", api_version, kind);
  message = g_hash_table_lookup (roots, key);
  if (message == NULL)
    {
      *error = g_strdup_printf ("protobuf bodies of %s are not supported; send JSON", key);
      return NULL;
    }
  node = decode_message (message, raw ? raw : (const guint8 *)"", raw_len, 0);
  if (node == NULL)
    {
      *error = g_strdup_printf ("malformed protobuf %s", kind);
      return NULL;
    }
  obj = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  json_object_set_string_member (obj, "apiVersion", api_version);
  json_object_set_string_member (obj, "kind", kind);
  return obj;
}
