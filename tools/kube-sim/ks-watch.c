/* ks-watch.c: watch streams. Newline-delimited WatchEvent objects over a
 * chunked response; replay from the bounded history, 410 Expired for a
 * compacted resourceVersion, bookmarks, timeoutSeconds. */
#include "kube-sim.h"

#include <string.h>

typedef struct
{
  KsSim             *sim;
  SoupServerMessage *msg;
  KsResource        *res; /* as requested (version for output) */
  char              *ns;
  char              *name; /* metadata.name=... watches of one object */
  KsSelector        *labels;
  KsSelector        *fields;
  GHashTable        *visible; /* keys the client currently sees */
  gboolean           table;
  gboolean           bookmarks;
  guint              timeout_id;
  guint              bookmark_id;
  gboolean           closed;
  gboolean           listening;
} Watch;

static void
watch_send (Watch *w, const char *type, JsonObject *obj)
{
  GString         *out = g_string_sized_new (512);
  SoupMessageBody *body = soup_server_message_get_response_body (w->msg);
  gsize            len;

  g_string_append_printf (out, "{\"type\":\"%s\",\"object\":", type);
  if (w->table && strcmp (type, "ERROR") != 0 && strcmp (type, "BOOKMARK") != 0)
    {
      g_autoptr (GPtrArray) items = g_ptr_array_new ();
      g_autoptr (JsonObject) meta = json_object_new ();
      g_autoptr (JsonObject) table = NULL;
      g_ptr_array_add (items, obj);
      json_object_set_string_member (meta, "resourceVersion",
                                     ks_json_get_string (ks_meta (obj), "resourceVersion"));
      table = ks_table_for (w->res, items, meta);
      ks_json_write_object (out, table, NULL);
    }
  else
    ks_json_write_object (out, obj, NULL);
  g_string_append (out, "}\n");
  len = out->len;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, g_string_free (out, FALSE), len);
  soup_server_message_unpause (w->msg);
}

static void
watch_listener (KsSim *sim, KsResource *res, const char *type, JsonObject *obj, gpointer data);

static void
watch_free (Watch *w)
{
  if (w->listening)
    ks_store_remove_listener (w->sim, watch_listener, w);
  if (w->timeout_id)
    g_source_remove (w->timeout_id);
  if (w->bookmark_id)
    g_source_remove (w->bookmark_id);
  g_clear_pointer (&w->labels, ks_selector_free);
  g_clear_pointer (&w->fields, ks_selector_free);
  g_hash_table_unref (w->visible);
  g_free (w->ns);
  g_free (w->name);
  g_object_unref (w->msg);
  g_free (w);
}

static void
watch_end (Watch *w)
{
  if (w->closed)
    return;
  w->closed = TRUE;
  if (w->listening)
    {
      ks_store_remove_listener (w->sim, watch_listener, w);
      w->listening = FALSE;
    }
  soup_message_body_complete (soup_server_message_get_response_body (w->msg));
  soup_server_message_unpause (w->msg);
}

static void
on_finished (SoupServerMessage *msg, gpointer data)
{
  Watch *w = data;

  g_signal_handlers_disconnect_by_data (msg, w);
  w->closed = TRUE;
  watch_free (w);
}

static gboolean
matches (Watch *w, JsonObject *obj)
{
  if (w->ns != NULL && w->res->namespaced && g_strcmp0 (ks_meta_namespace (obj), w->ns) != 0)
    return FALSE;
  if (w->labels != NULL
      && !ks_label_selector_matches (w->labels, ks_json_get_object (ks_meta (obj), "labels")))
    return FALSE;
  if (w->fields != NULL && !ks_field_selector_matches (w->fields, obj))
    return FALSE;
  return TRUE;
}

static void
deliver (Watch *w, const char *type, JsonObject *obj)
{
  g_autofree char *key = ks_store_key (ks_meta_namespace (obj), ks_meta_name (obj));
  gboolean         was = g_hash_table_contains (w->visible, key);
  gboolean         now = strcmp (type, "DELETED") != 0 && matches (w, obj);
  const char      *out_type = NULL;
  g_autoptr (JsonObject) out = NULL;

  if (w->ns != NULL && w->res->namespaced && g_strcmp0 (ks_meta_namespace (obj), w->ns) != 0)
    return;
  if (now && was)
    out_type = "MODIFIED";
  else if (now && !was)
    out_type = "ADDED";
  else if (!now && was)
    out_type = "DELETED";
  if (out_type == NULL)
    return;
  if (now)
    g_hash_table_add (w->visible, g_steal_pointer (&key));
  else
    g_hash_table_remove (w->visible, key);
  out = ks_object_for_output (w->res, obj);
  watch_send (w, out_type, out);
}

static void
watch_listener (KsSim *sim, KsResource *res, const char *type, JsonObject *obj, gpointer data)
{
  Watch *w = data;

  if (w->closed || res != w->res->storage)
    return;
  deliver (w, type, obj);
}

static void
send_bookmark (Watch *w, gboolean initial_end)
{
  g_autoptr (JsonObject) obj = json_object_new ();
  JsonObject      *meta = json_object_new ();
  g_autofree char *rv = g_strdup_printf ("%" G_GUINT64_FORMAT, w->sim->rv);

  json_object_set_string_member (obj, "kind", w->res->kind);
  json_object_set_string_member (obj, "apiVersion", w->res->group_version);
  json_object_set_string_member (meta, "resourceVersion", rv);
  if (initial_end)
    {
      JsonObject *annotations = json_object_new ();
      json_object_set_string_member (annotations, "k8s.io/initial-events-end", "true");
      json_object_set_object_member (meta, "annotations", annotations);
    }
  json_object_set_object_member (obj, "metadata", meta);
  watch_send (w, "BOOKMARK", obj);
}

static gboolean
bookmark_tick (gpointer data)
{
  Watch *w = data;

  if (!w->closed)
    send_bookmark (w, FALSE);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_tick (gpointer data)
{
  Watch *w = data;

  w->timeout_id = 0;
  watch_end (w);
  return G_SOURCE_REMOVE;
}

void
ks_watch_serve (KsSim             *sim,
                SoupServerMessage *msg,
                KsResource        *res,
                const char        *ns,
                GHashTable        *query,
                gboolean           table)
{
  Watch           *w;
  const char      *rv_s = query ? g_hash_table_lookup (query, "resourceVersion") : NULL;
  const char      *label_s = query ? g_hash_table_lookup (query, "labelSelector") : NULL;
  const char      *field_s = query ? g_hash_table_lookup (query, "fieldSelector") : NULL;
  const char      *timeout_s = query ? g_hash_table_lookup (query, "timeoutSeconds") : NULL;
  const char      *bm_s = query ? g_hash_table_lookup (query, "allowWatchBookmarks") : NULL;
  const char      *initial_s = query ? g_hash_table_lookup (query, "sendInitialEvents") : NULL;
  g_autofree char *error = NULL;
  KsSelector      *labels = NULL, *fields = NULL;
  guint64          since = 0;
  gboolean         from_now = FALSE;
  gboolean initial = initial_s && (strcmp (initial_s, "true") == 0 || strcmp (initial_s, "1") == 0);
  gint64   timeout = timeout_s ? g_ascii_strtoll (timeout_s, NULL, 10) : 1800;

  if (label_s && !(labels = ks_label_selector_parse (label_s, &error)))
    {
      ks_respond_status (msg, ks_status_bad_request (error));
      return;
    }
  if (field_s && !(fields = ks_field_selector_parse (res, field_s, &error)))
    {
      ks_selector_free (labels);
      ks_respond_status (msg, ks_status_bad_request (error));
      return;
    }
  if (rv_s != NULL && *rv_s && strcmp (rv_s, "0") != 0)
    {
      char *end = NULL;
      since = g_ascii_strtoull (rv_s, &end, 10);
      if (end == NULL || *end != '\0')
        {
          g_autofree char *message = g_strdup_printf ("invalid resource version: %s", rv_s);
          ks_selector_free (labels);
          ks_selector_free (fields);
          ks_respond_status (msg, ks_status_bad_request (message));
          return;
        }
      from_now = TRUE;
    }

  w = g_new0 (Watch, 1);
  w->sim = sim;
  w->msg = g_object_ref (msg);
  w->res = res;
  w->ns = g_strdup (ns);
  w->labels = labels;
  w->fields = fields;
  w->table = table;
  w->bookmarks = bm_s && (g_ascii_strcasecmp (bm_s, "true") == 0 || strcmp (bm_s, "1") == 0);
  w->visible = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  soup_server_message_pause (msg);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), w);

  if (from_now && !initial)
    {
      if (since < sim->compacted_rv)
        {
          g_autofree char *message = g_strdup_printf ("too old resource version: %" G_GUINT64_FORMAT
                                                      " (%" G_GUINT64_FORMAT ")",
                                                      since, sim->compacted_rv + 1);
          g_autoptr (JsonObject) status = ks_status_new (410, "Expired", message);
          watch_send (w, "ERROR", status);
          watch_end (w);
          return;
        }
      /* The client saw the state at since: what matched then is visible. */
      {
        g_autoptr (GPtrArray) items = ks_store_list (res, ns);
        for (guint i = 0; i < items->len; i++)
          {
            JsonObject *obj = g_ptr_array_index (items, i);
            const char *orv = ks_json_get_string (ks_meta (obj), "resourceVersion");
            if (orv && g_ascii_strtoull (orv, NULL, 10) <= since && matches (w, obj))
              g_hash_table_add (w->visible,
                                ks_store_key (ks_meta_namespace (obj), ks_meta_name (obj)));
          }
      }
      /* Objects changed or deleted since then existed then, too. */
      {
        g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (GList *l = sim->history->head; l != NULL; l = l->next)
          {
            KsEvent         *event = l->data;
            g_autofree char *key = NULL;
            if (event->rv <= since || event->res != res->storage)
              continue;
            key = ks_store_key (ks_meta_namespace (event->obj), ks_meta_name (event->obj));
            if (g_hash_table_contains (seen, key))
              continue;
            if (strcmp (event->type, "ADDED") != 0 && matches (w, event->obj))
              g_hash_table_add (w->visible, g_strdup (key));
            g_hash_table_add (seen, g_steal_pointer (&key));
          }
      }
      for (GList *l = sim->history->head; l != NULL; l = l->next)
        {
          KsEvent *event = l->data;
          if (event->rv > since && event->res == res->storage)
            {
              g_autofree char *key
                  = ks_store_key (ks_meta_namespace (event->obj), ks_meta_name (event->obj));
              /* Objects created after since and changed since start unseen. */
              if (strcmp (event->type, "ADDED") == 0)
                g_hash_table_remove (w->visible, key);
              deliver (w, event->type, event->obj);
            }
        }
    }
  else
    {
      g_autoptr (GPtrArray) items = ks_store_list (res, ns);
      for (guint i = 0; i < items->len; i++)
        deliver (w, "ADDED", g_ptr_array_index (items, i));
      if (initial && w->bookmarks)
        send_bookmark (w, TRUE);
    }
  if (w->closed)
    return;
  ks_store_add_listener (sim, watch_listener, w);
  w->listening = TRUE;
  if (timeout > 0)
    w->timeout_id = g_timeout_add_seconds (timeout, timeout_tick, w);
  if (w->bookmarks && sim->bookmark_ms > 0)
    w->bookmark_id = g_timeout_add (sim->bookmark_ms, bookmark_tick, w);
  /* Send headers now even when nothing happened yet. */
  soup_server_message_unpause (msg);
}
