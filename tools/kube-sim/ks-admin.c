/* ks-admin.c: the simulator's own endpoints under /kube-sim/, for tests:
 * the log of requests it served (to check what a client sent, e.g. that a
 * POST answered with a 500 was not sent again) and the fault knobs, readable
 * and changeable while it runs. */
#include "kube-sim.h"

#include <string.h>

#define LOG_MAX 5000

typedef struct
{
  char  *method;
  char  *path;
  char  *query;
  char  *user;
  char  *fault;
  guint  status;
  gint64 time_us;
} Record;

static GQueue  log_queue = G_QUEUE_INIT;
static guint64 total;

static void
record_free (Record *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->user);
  g_free (r->fault);
  g_free (r);
}

gboolean
ks_faults_parse_rate (const char *value, double *rate, gint *count)
{
  char *end = NULL;

  *rate = 0;
  *count = 0;
  if (value == NULL || *value == '\0')
    return TRUE;
  if (g_str_has_suffix (value, "%"))
    {
      *rate = g_ascii_strtod (value, &end) / 100.0;
      return end != NULL && *end == '%' && *rate >= 0 && *rate <= 1;
    }
  if (strchr (value, '.') != NULL)
    {
      *rate = g_ascii_strtod (value, &end);
      return end != NULL && *end == '\0' && *rate >= 0 && *rate <= 1;
    }
  *count = (gint)g_ascii_strtoll (value, &end, 10);
  return end != NULL && *end == '\0' && *count >= 0;
}

void
ks_admin_record (KsSim             *sim,
                 SoupServerMessage *msg,
                 const char        *path,
                 const char        *user,
                 const char        *fault)
{
  Record *r = g_new0 (Record, 1);
  GUri   *uri = soup_server_message_get_uri (msg);

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (uri ? g_uri_get_query (uri) : NULL);
  r->user = g_strdup (user);
  r->fault = g_strdup (fault);
  r->status = soup_server_message_get_status (msg);
  r->time_us = g_get_real_time ();
  g_queue_push_tail (&log_queue, r);
  total++;
  while (g_queue_get_length (&log_queue) > LOG_MAX)
    record_free (g_queue_pop_head (&log_queue));
}

static JsonObject *
faults_json (KsSim *sim)
{
  KsFaults   *f = &sim->faults;
  JsonObject *obj = json_object_new ();
  JsonArray  *methods = json_array_new ();

  json_object_set_int_member (obj, "latency", f->latency_ms);
  json_object_set_double_member (obj, "rate429", f->rate_429);
  json_object_set_int_member (obj, "count429", f->count_429);
  json_object_set_double_member (obj, "rate500", f->rate_500);
  json_object_set_int_member (obj, "count500", f->count_500);
  json_object_set_double_member (obj, "rateDrop", f->rate_drop);
  json_object_set_int_member (obj, "countDrop", f->count_drop);
  json_object_set_int_member (obj, "retryAfter", f->retry_after);
  json_object_set_int_member (obj, "maxBody", f->max_body);
  for (guint i = 0; f->fault_methods && f->fault_methods[i]; i++)
    json_array_add_string_element (methods, f->fault_methods[i]);
  json_object_set_array_member (obj, "methods", methods);
  methods = json_array_new ();
  for (guint i = 0; f->refuse_protocols && f->refuse_protocols[i]; i++)
    json_array_add_string_element (methods, f->refuse_protocols[i]);
  json_object_set_array_member (obj, "refuseProtocols", methods);
  return obj;
}

static const char *
string_or_number (JsonObject *obj, const char *member, char buf[64])
{
  JsonNode *n = obj ? json_object_get_member (obj, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    g_snprintf (buf, 64, "%" G_GINT64_FORMAT, json_node_get_int (n));
  else
    g_ascii_dtostr (buf, 64, json_node_get_double (n));
  return buf;
}

/* The strings of the array @member of @body, or NULL when it is empty. */
static char **
string_list (JsonObject *body, const char *member)
{
  JsonArray    *a = ks_json_get_array (body, member);
  GStrvBuilder *b = g_strv_builder_new ();
  char        **v;

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    if (json_array_get_string_element (a, i))
      g_strv_builder_add (b, json_array_get_string_element (a, i));
  v = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (v[0] == NULL)
    g_clear_pointer (&v, g_strfreev);
  return v;
}

/* PUT /kube-sim/faults: {"latency": MS, "fail429": "10%"|N, "fail500": …,
 * "failDrop": …, "retryAfter": S, "maxBody": BYTES, "methods": ["POST"],
 * "refuseProtocols": ["v5.channel.k8s.io"]}; members left out keep their
 * value, "fail…": 0 and [] turn one off. */
static JsonObject *
set_faults (KsSim *sim, JsonObject *body)
{
  static const char *const names[] = { "fail429", "fail500", "failDrop" };
  KsFaults                 f = sim->faults;
  double                  *rates[] = { &f.rate_429, &f.rate_500, &f.rate_drop };
  gint                    *counts[] = { &f.count_429, &f.count_500, &f.count_drop };
  JsonArray               *methods = ks_json_get_array (body, "methods");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char        buf[64];
      const char *v = string_or_number (body, names[i], buf);
      if (v != NULL && !ks_faults_parse_rate (v, rates[i], counts[i]))
        {
          g_autofree char *message
              = g_strdup_printf ("%s: a rate (0.25, 25%%) or a count (3)", names[i]);
          return ks_status_bad_request (message);
        }
    }
  if (json_object_has_member (body, "latency"))
    f.latency_ms = MAX (0, ks_json_get_int (body, "latency", 0));
  if (json_object_has_member (body, "retryAfter"))
    f.retry_after = MAX (0, ks_json_get_int (body, "retryAfter", 1));
  if (json_object_has_member (body, "maxBody"))
    f.max_body = MAX (0, ks_json_get_int (body, "maxBody", 0));
  if (json_object_has_member (body, "methods"))
    {
      GStrvBuilder *b = g_strv_builder_new ();
      for (guint i = 0; methods && i < json_array_get_length (methods); i++)
        if (json_array_get_string_element (methods, i))
          g_strv_builder_add (b, json_array_get_string_element (methods, i));
      f.fault_methods = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      if (f.fault_methods[0] == NULL)
        g_clear_pointer (&f.fault_methods, g_strfreev);
      if (sim->faults.fault_methods != f.fault_methods)
        g_strfreev (sim->faults.fault_methods);
    }
  if (json_object_has_member (body, "refuseProtocols"))
    {
      g_strfreev (sim->faults.refuse_protocols);
      f.refuse_protocols = string_list (body, "refuseProtocols");
    }
  sim->faults = f;
  return NULL;
}

static JsonObject *
requests_json (void)
{
  JsonObject *obj = json_object_new ();
  JsonArray  *list = json_array_new ();

  json_object_set_int_member (obj, "total", total);
  for (GList *l = log_queue.head; l != NULL; l = l->next)
    {
      Record     *r = l->data;
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "method", r->method);
      json_object_set_string_member (o, "path", r->path);
      if (r->query)
        json_object_set_string_member (o, "query", r->query);
      json_object_set_string_member (o, "user", r->user ? r->user : "");
      json_object_set_int_member (o, "status", r->status);
      if (r->fault)
        json_object_set_string_member (o, "fault", r->fault);
      json_object_set_int_member (o, "timeMicros", r->time_us);
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (obj, "requests", list);
  return obj;
}

static JsonObject *
body_object (SoupServerMessage *msg)
{
  SoupMessageBody *b = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (b);
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);

  return data && size ? ks_json_parse_object (data, size, NULL) : NULL;
}

/* POST /kube-sim/tokens {"user": U, "token": T} adds a bearer token;
 * DELETE /kube-sim/tokens {"token": T} revokes one (rotation tests). */
static void
tokens (KsSim *sim, SoupServerMessage *msg, const char *method)
{
  g_autoptr (JsonObject) body = body_object (msg);
  const char *user = ks_json_get_string (body, "user");
  const char *token = ks_json_get_string (body, "token");

  if (token == NULL || *token == '\0' || (strcmp (method, "POST") == 0 && (user == NULL || !*user)))
    {
      ks_respond_status (msg, ks_status_bad_request ("want {\"user\": …, \"token\": …}"));
      return;
    }
  if (strcmp (method, "POST") == 0)
    {
      KsUser *u = g_new0 (KsUser, 1);
      u->name = g_strdup (user);
      u->token = g_strdup (token);
      g_ptr_array_add (sim->users, u);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }
  for (guint i = 0; i < sim->users->len; i++)
    {
      KsUser *u = g_ptr_array_index (sim->users, i);
      if (g_strcmp0 (u->token, token) == 0)
        {
          /* Requests in flight may still point at it: keep it, unusable. */
          g_clear_pointer (&u->token, g_free);
          soup_server_message_set_status (msg, 204, NULL);
          return;
        }
    }
  ks_respond_status (msg, ks_status_new (404, "NotFound", "no such token"));
}

void
ks_admin_handle (KsSim *sim, SoupServerMessage *msg, const char *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (strcmp (path, "/kube-sim/tokens") == 0
      && (strcmp (method, "POST") == 0 || strcmp (method, "DELETE") == 0))
    {
      tokens (sim, msg, method);
      return;
    }

  if (strcmp (path, "/kube-sim/requests") == 0 && strcmp (method, "GET") == 0)
    {
      g_autoptr (JsonObject) out = requests_json ();
      ks_respond (msg, 200, out);
    }
  else if (strcmp (path, "/kube-sim/requests") == 0 && strcmp (method, "DELETE") == 0)
    {
      g_queue_clear_full (&log_queue, (GDestroyNotify)record_free);
      total = 0;
      soup_server_message_set_status (msg, 204, NULL);
    }
  else if (strcmp (path, "/kube-sim/faults") == 0 && strcmp (method, "GET") == 0)
    {
      g_autoptr (JsonObject) out = faults_json (sim);
      ks_respond (msg, 200, out);
    }
  else if (strcmp (path, "/kube-sim/faults") == 0 && strcmp (method, "PUT") == 0)
    {
      SoupMessageBody *b = soup_server_message_get_request_body (msg);
      g_autoptr (GBytes) bytes = soup_message_body_flatten (b);
      gsize       size;
      const char *data = g_bytes_get_data (bytes, &size);
      g_autoptr (JsonObject) body = data ? ks_json_parse_object (data, size, NULL) : NULL;
      JsonObject *status = body ? set_faults (sim, body) : ks_status_bad_request ("a JSON object");
      if (status != NULL)
        ks_respond_status (msg, status);
      else
        {
          g_autoptr (JsonObject) out = faults_json (sim);
          ks_respond (msg, 200, out);
        }
    }
  else
    ks_respond_status (msg, ks_status_new (404, "NotFound", "no such kube-sim endpoint"));
}
