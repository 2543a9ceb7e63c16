/* ks-store.c: objects by resource, the global resourceVersion counter and the
 * bounded event history watches resume from. */
#include "kube-sim.h"

#include <string.h>

typedef struct
{
  KsStoreListener func;
  gpointer        data;
} Listener;

char *
ks_store_key (const char *ns, const char *name)
{
  return g_strconcat (ns ? ns : "", "/", name, NULL);
}

JsonObject *
ks_store_get (KsResource *res, const char *ns, const char *name)
{
  g_autofree char *key = NULL;

  if (name == NULL)
    return NULL;
  key = ks_store_key (res->namespaced ? ns : NULL, name);
  return g_hash_table_lookup (res->storage->objects, key);
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **)a, *y = *(JsonObject **)b;
  int         c = g_strcmp0 (ks_meta_namespace (x), ks_meta_namespace (y));

  return c != 0 ? c : g_strcmp0 (ks_meta_name (x), ks_meta_name (y));
}

GPtrArray *
ks_store_list (KsResource *res, const char *ns)
{
  GPtrArray     *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, res->storage->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (ns == NULL || !res->namespaced || g_strcmp0 (ks_meta_namespace (value), ns) == 0)
      g_ptr_array_add (items, value);
  g_ptr_array_sort (items, compare_keys);
  return items;
}

static void
event_free (KsEvent *event)
{
  g_free (event->type);
  json_object_unref (event->obj);
  g_free (event);
}

/* Counts the owners @obj names, up (@delta 1) or down (-1). */
static gboolean
count_owners (KsSim *sim, JsonObject *obj, gint delta)
{
  JsonArray *refs = ks_json_get_array (ks_meta (obj), "ownerReferences");
  guint      n = refs ? json_array_get_length (refs) : 0;

  if (n > 0 && sim->owner_refs == NULL)
    sim->owner_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *ref = json_array_get_element (refs, i);
      const char *uid = JSON_NODE_HOLDS_OBJECT (ref)
                            ? ks_json_get_string (json_node_get_object (ref), "uid")
                            : NULL;
      gint        count;
      if (uid == NULL)
        continue;
      count = GPOINTER_TO_INT (g_hash_table_lookup (sim->owner_refs, uid)) + delta;
      if (count > 0)
        g_hash_table_replace (sim->owner_refs, g_strdup (uid), GINT_TO_POINTER (count));
      else
        g_hash_table_remove (sim->owner_refs, uid);
    }
  return n > 0;
}

/* Whether a stored object names @uid as an owner: the garbage collector
 * has nothing to do when an object nobody depends on (and that depends on
 * nothing) is deleted. */
gboolean
ks_store_has_dependents (KsSim *sim, const char *uid)
{
  return uid != NULL && sim->owner_refs != NULL && g_hash_table_contains (sim->owner_refs, uid);
}

void
ks_store_write (KsSim *sim, KsResource *res, const char *type, JsonObject *obj)
{
  KsResource      *storage = res->storage;
  JsonObject      *meta = ks_json_ensure_object (obj, "metadata");
  g_autofree char *key
      = ks_store_key (storage->namespaced ? ks_meta_namespace (obj) : NULL, ks_meta_name (obj));
  g_autofree char *rv = g_strdup_printf ("%" G_GUINT64_FORMAT, ++sim->rv);
  KsEvent         *event;

  json_object_set_string_member (meta, "resourceVersion", rv);
  {
    /* Owner references that come or go wake the collector: an owner that
     * is already gone, or one in foreground deletion that just lost its
     * last dependent. (A delete decides in finalize_delete().) */
    JsonObject *old = g_hash_table_lookup (storage->objects, key);
    gboolean    owned = old != NULL && count_owners (sim, old, -1);
    if (strcmp (type, "DELETED") == 0)
      g_hash_table_remove (storage->objects, key);
    else
      {
        g_hash_table_replace (storage->objects, g_strdup (key), json_object_ref (obj));
        if (count_owners (sim, obj, 1) || owned)
          sim->gc_dirty = TRUE;
      }
  }

  event = g_new0 (KsEvent, 1);
  event->rv = sim->rv;
  event->res = storage;
  event->type = g_strdup (type);
  event->obj = json_object_ref (obj);
  g_queue_push_tail (sim->history, event);
  while (g_queue_get_length (sim->history) > sim->history_max)
    {
      KsEvent *old = g_queue_pop_head (sim->history);
      sim->compacted_rv = old->rv;
      event_free (old);
    }

  /* Listeners may remove themselves while being called. */
  for (GList *l = sim->listeners; l != NULL;)
    {
      Listener *listener = l->data;
      l = l->next;
      listener->func (sim, storage, type, obj, listener->data);
    }
  json_object_unref (obj);
}

void
ks_store_add_listener (KsSim *sim, KsStoreListener func, gpointer data)
{
  Listener *listener = g_new0 (Listener, 1);

  listener->func = func;
  listener->data = data;
  sim->listeners = g_list_append (sim->listeners, listener);
}

void
ks_store_remove_listener (KsSim *sim, KsStoreListener func, gpointer data)
{
  for (GList *l = sim->listeners; l != NULL; l = l->next)
    {
      Listener *listener = l->data;
      if (listener->func == func && listener->data == data)
        {
          sim->listeners = g_list_delete_link (sim->listeners, l);
          g_free (listener);
          return;
        }
    }
}

JsonObject *
ks_store_find_uid (KsSim *sim, const char *uid, KsResource **res_out)
{
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource    *res = g_ptr_array_index (sim->resources, i);
      GHashTableIter iter;
      gpointer       value;
      if (res->storage != res)
        continue;
      g_hash_table_iter_init (&iter, res->objects);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (g_strcmp0 (ks_meta_uid (value), uid) == 0)
          {
            if (res_out)
              *res_out = res;
            return value;
          }
    }
  return NULL;
}
