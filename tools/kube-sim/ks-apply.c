/* ks-apply.c: server-side apply and managedFields.
 *
 * A field set is a flat set of paths; a path is its components (f:name,
 * k:{"name":"x"}, v:"value") joined by \x1f. The fieldsV1 trees in
 * metadata.managedFields are converted to and from these sets. */
#include "kube-sim.h"

#include <string.h>

#define SEP "\x1f"

static const char *const skip_meta[] = { "name",
                                         "namespace",
                                         "uid",
                                         "resourceVersion",
                                         "generation",
                                         "creationTimestamp",
                                         "managedFields",
                                         "selfLink",
                                         "deletionTimestamp",
                                         "deletionGracePeriodSeconds",
                                         NULL };

static char *
join (const char *prefix, const char *component)
{
  return *prefix ? g_strconcat (prefix, SEP, component, NULL) : g_strdup (component);
}

static char *
element_key (JsonObject *element, const char *merge_key)
{
  JsonObject *key = json_object_new ();
  JsonNode   *value = json_object_get_member (element, merge_key);
  g_autoptr (GString) out = g_string_new ("k:");

  json_object_set_member (key, merge_key, ks_json_node_deep_copy (value));
  ks_json_write_object (out, key, NULL);
  json_object_unref (key);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void collect (GHashTable *set, const char *prefix, const char *json_path, JsonNode *node);

static void
collect_object (GHashTable *set,
                const char *prefix,
                const char *json_path,
                JsonObject *obj,
                gboolean    top)
{
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *component = NULL;
      g_autofree char *path = NULL;
      g_autofree char *child_json = NULL;

      if (top && (strcmp (key, "apiVersion") == 0 || strcmp (key, "kind") == 0))
        continue;
      if (top && strcmp (key, "metadata") == 0 && JSON_NODE_TYPE (value) == JSON_NODE_OBJECT)
        {
          JsonObjectIter mi;
          const char    *mk;
          JsonNode      *mv;
          json_object_iter_init (&mi, json_node_get_object (value));
          while (json_object_iter_next (&mi, &mk, &mv))
            {
              g_autofree char *mc = NULL;
              g_autofree char *mp = NULL;
              if (g_strv_contains (skip_meta, mk))
                continue;
              mc = g_strconcat ("f:", mk, NULL);
              mp = join ("f:metadata", mc);
              collect (set, mp, ".metadata", mv);
            }
          continue;
        }
      component = g_strconcat ("f:", key, NULL);
      path = join (prefix, component);
      child_json = g_strconcat (json_path, ".", key, NULL);
      if (JSON_NODE_TYPE (value) == JSON_NODE_ARRAY)
        {
          const char *merge_key = ks_patch_merge_key (json_path, key);
          JsonArray  *array = json_node_get_array (value);
          if (merge_key != NULL)
            {
              g_autofree char *elem_json = g_strconcat (child_json, "[]", NULL);
              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  JsonObject      *element = json_array_get_object_element (array, i);
                  g_autofree char *ek = NULL;
                  g_autofree char *ep = NULL;
                  if (element == NULL || !json_object_has_member (element, merge_key))
                    continue;
                  ek = element_key (element, merge_key);
                  ep = join (path, ek);
                  g_hash_table_add (set, g_strdup (ep));
                  collect_object (set, ep, elem_json, element, FALSE);
                }
              continue;
            }
          if (!ks_resource_is_list_atomic (key))
            {
              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  g_autoptr (GString) v = g_string_new ("v:");
                  ks_json_write (v, json_array_get_element (array, i), NULL);
                  g_hash_table_add (set, join (path, v->str));
                }
              continue;
            }
        }
      collect (set, path, child_json, value);
    }
}

static void
collect (GHashTable *set, const char *prefix, const char *json_path, JsonNode *node)
{
  if (JSON_NODE_TYPE (node) == JSON_NODE_OBJECT
      && json_object_get_size (json_node_get_object (node)) > 0)
    collect_object (set, prefix, json_path, json_node_get_object (node), FALSE);
  else
    g_hash_table_add (set, g_strdup (prefix));
}

static GHashTable *
fieldset_of (KsResource *res, JsonObject *obj, gboolean status_only)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *copy = ks_json_object_deep_copy (obj);

  if (status_only)
    {
      JsonNode *status = json_object_get_member (copy, "status");
      if (status != NULL)
        collect (set, "f:status", ".status", status);
    }
  else
    {
      if (res->flags & KS_RES_STATUS)
        json_object_remove_member (copy, "status");
      collect_object (set, "", "", copy, TRUE);
    }
  json_object_unref (copy);
  return set;
}

/* ---- fieldsV1 trees ---- */

static void
tree_to_set (GHashTable *set, const char *prefix, JsonObject *tree)
{
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_object_iter_init (&iter, tree);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *path = NULL;
      if (strcmp (key, ".") == 0)
        {
          if (*prefix)
            g_hash_table_add (set, g_strdup (prefix));
          continue;
        }
      path = join (prefix, key);
      if (JSON_NODE_TYPE (value) == JSON_NODE_OBJECT
          && json_object_get_size (json_node_get_object (value)) > 0)
        tree_to_set (set, path, json_node_get_object (value));
      else
        g_hash_table_add (set, g_strdup (path));
    }
}

static JsonObject *
set_to_tree (GHashTable *set)
{
  JsonObject *root = json_object_new ();
  GList      *paths = g_list_sort (g_hash_table_get_keys (set), (GCompareFunc)strcmp);

  for (GList *l = paths; l != NULL; l = l->next)
    {
      g_auto (GStrv) parts = g_strsplit (l->data, SEP, -1);
      JsonObject *node = root;
      for (guint i = 0; parts[i] != NULL; i++)
        {
          JsonObject *child = ks_json_get_object (node, parts[i]);
          if (child == NULL)
            {
              child = json_object_new ();
              json_object_set_object_member (node, parts[i], child);
            }
          node = child;
        }
      if (g_str_has_prefix (parts[g_strv_length (parts) - 1], "k:"))
        json_object_set_object_member (node, ".", json_object_new ());
    }
  /* Members that also have children carry ".". */
  for (GList *l = paths; l != NULL; l = l->next)
    {
      g_auto (GStrv) parts = g_strsplit (l->data, SEP, -1);
      JsonObject *node = root;
      for (guint i = 0; parts[i] != NULL && node != NULL; i++)
        node = ks_json_get_object (node, parts[i]);
      if (node != NULL && json_object_get_size (node) > 0 && !json_object_has_member (node, "."))
        json_object_set_object_member (node, ".", json_object_new ());
    }
  g_list_free (paths);
  return root;
}

/* ---- values at paths ---- */

static JsonNode *
find_element (JsonArray *array, const char *component)
{
  if (g_str_has_prefix (component, "k:"))
    {
      g_autoptr (JsonObject) key = ks_json_parse_object (component + 2, -1, NULL);
      JsonObjectIter iter;
      const char    *k;
      JsonNode      *v;
      if (key == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *element = json_array_get_object_element (array, i);
          gboolean    all = element != NULL;
          json_object_iter_init (&iter, key);
          while (all && json_object_iter_next (&iter, &k, &v))
            if (!ks_json_node_equal (json_object_get_member (element, k), v))
              all = FALSE;
          if (all)
            return json_array_get_element (array, i);
        }
    }
  else if (g_str_has_prefix (component, "v:"))
    {
      g_autoptr (JsonNode) value = ks_json_parse (component + 2, strlen (component + 2), NULL);
      for (guint i = 0; value && i < json_array_get_length (array); i++)
        if (ks_json_node_equal (json_array_get_element (array, i), value))
          return json_array_get_element (array, i);
    }
  return NULL;
}

static JsonNode *
value_at (JsonObject *obj, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, SEP, -1);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonNode *node;

  json_node_set_object (root, obj);
  node = root;
  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "f:") && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
        node = json_object_get_member (json_node_get_object (node), parts[i] + 2);
      else if (JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
        node = find_element (json_node_get_array (node), parts[i]);
      else
        node = NULL;
    }
  return node == root ? NULL : node;
}

static void
remove_at (JsonObject *obj, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, SEP, -1);
  guint n = g_strv_length (parts);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonNode *node;

  json_node_set_object (root, obj);
  node = root;
  for (guint i = 0; i + 1 < n && node != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "f:") && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
        node = json_object_get_member (json_node_get_object (node), parts[i] + 2);
      else if (JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
        node = find_element (json_node_get_array (node), parts[i]);
      else
        node = NULL;
    }
  if (node == NULL || n == 0)
    return;
  if (g_str_has_prefix (parts[n - 1], "f:") && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
    json_object_remove_member (json_node_get_object (node), parts[n - 1] + 2);
  else if (JSON_NODE_TYPE (node) == JSON_NODE_ARRAY)
    {
      JsonArray *array = json_node_get_array (node);
      JsonNode  *element = find_element (array, parts[n - 1]);
      for (guint i = 0; element && i < json_array_get_length (array); i++)
        if (json_array_get_element (array, i) == element)
          {
            json_array_remove_element (array, i);
            break;
          }
    }
}

static char *
path_to_field (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, SEP, -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "f:"))
        g_string_append_printf (out, ".%s", parts[i] + 2);
      else if (g_str_has_prefix (parts[i], "k:"))
        g_string_append_printf (out, "[%s]", parts[i] + 2);
      else if (g_str_has_prefix (parts[i], "v:"))
        g_string_append_printf (out, "[=%s]", parts[i] + 2);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- managedFields entries ---- */

typedef struct
{
  char       *manager;
  char       *operation;
  char       *api_version;
  char       *time;
  char       *subresource;
  GHashTable *set;
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->manager);
  g_free (e->operation);
  g_free (e->api_version);
  g_free (e->time);
  g_free (e->subresource);
  g_hash_table_unref (e->set);
  g_free (e);
}

static GPtrArray *
entries_read (JsonObject *obj)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  JsonArray *mf = ks_json_get_array (ks_meta (obj), "managedFields");

  for (guint i = 0; mf != NULL && i < json_array_get_length (mf); i++)
    {
      JsonObject *m = json_array_get_object_element (mf, i);
      Entry      *e = g_new0 (Entry, 1);
      JsonObject *tree = ks_json_get_object (m, "fieldsV1");
      e->manager = g_strdup (ks_json_get_string (m, "manager") ?: "");
      e->operation = g_strdup (ks_json_get_string (m, "operation") ?: "Update");
      e->api_version = g_strdup (ks_json_get_string (m, "apiVersion") ?: "");
      e->time = g_strdup (ks_json_get_string (m, "time"));
      e->subresource = g_strdup (ks_json_get_string (m, "subresource"));
      e->set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (tree != NULL)
        tree_to_set (e->set, "", tree);
      g_ptr_array_add (entries, e);
    }
  return entries;
}

static void
entries_write (JsonObject *obj, GPtrArray *entries)
{
  JsonArray *mf = json_array_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      Entry      *e = g_ptr_array_index (entries, i);
      JsonObject *m;
      if (g_hash_table_size (e->set) == 0)
        continue;
      m = json_object_new ();
      json_object_set_string_member (m, "manager", e->manager);
      json_object_set_string_member (m, "operation", e->operation);
      json_object_set_string_member (m, "apiVersion", e->api_version);
      if (e->time)
        json_object_set_string_member (m, "time", e->time);
      json_object_set_string_member (m, "fieldsType", "FieldsV1");
      json_object_set_object_member (m, "fieldsV1", set_to_tree (e->set));
      if (e->subresource)
        json_object_set_string_member (m, "subresource", e->subresource);
      json_array_add_object_element (mf, m);
    }
  if (json_array_get_length (mf) > 0)
    json_object_set_array_member (ks_json_ensure_object (obj, "metadata"), "managedFields", mf);
  else
    {
      json_object_remove_member (ks_json_ensure_object (obj, "metadata"), "managedFields");
      json_array_unref (mf);
    }
}

static Entry *
entry_find (GPtrArray *entries, const char *manager, const char *operation, const char *sub)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);
      if (strcmp (e->manager, manager) == 0 && strcmp (e->operation, operation) == 0
          && g_strcmp0 (e->subresource, sub) == 0)
        return e;
    }
  return NULL;
}

static Entry *
entry_ensure (GPtrArray  *entries,
              KsResource *res,
              const char *manager,
              const char *operation,
              const char *sub)
{
  Entry *e = entry_find (entries, manager, operation, sub);

  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->manager = g_strdup (manager);
      e->operation = g_strdup (operation);
      e->api_version = g_strdup (res->group_version);
      e->subresource = g_strdup (sub);
      e->set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_ptr_array_add (entries, e);
    }
  g_free (e->time);
  e->time = ks_now_rfc3339 ();
  return e;
}

void
ks_managed_fields_update (KsResource *res,
                          JsonObject *old,
                          JsonObject *obj,
                          const char *manager,
                          const char *subresource)
{
  g_autoptr (GPtrArray) entries = entries_read (old ? old : obj);
  gboolean status_only = g_strcmp0 (subresource, "status") == 0;
  g_autoptr (GHashTable) now = fieldset_of (res, obj, status_only);
  g_autoptr (GHashTable) before = old ? fieldset_of (res, old, status_only) : NULL;
  g_autoptr (GHashTable) changed = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer       path;
  Entry         *mine;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    {
      if (before == NULL || !g_hash_table_contains (before, path))
        g_hash_table_add (changed, path);
      else if (!g_str_has_suffix (path, "}") /* list element: existence only */
               && !ks_json_node_equal (value_at (old, path), value_at (obj, path)))
        g_hash_table_add (changed, path);
    }
  if (g_hash_table_size (changed) == 0 && before != NULL)
    {
      entries_write (obj, entries);
      return;
    }
  /* Changed fields move to this manager; removed ones leave every set. */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry         *e = g_ptr_array_index (entries, i);
      GHashTableIter ei;
      gpointer       p;
      g_hash_table_iter_init (&ei, e->set);
      while (g_hash_table_iter_next (&ei, &p, NULL))
        if (g_hash_table_contains (changed, p)
            || (before != NULL && g_hash_table_contains (before, p)
                && !g_hash_table_contains (now, p)))
          g_hash_table_iter_remove (&ei);
    }
  mine = entry_ensure (entries, res, manager, "Update", status_only ? "status" : NULL);
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    g_hash_table_add (mine->set, g_strdup (path));
  entries_write (obj, entries);
}

static int
longest_first (gconstpointer a, gconstpointer b)
{
  return (int)strlen (*(char **)b) - (int)strlen (*(char **)a);
}

JsonObject *
ks_apply (KsSim       *sim,
          KsResource  *res,
          JsonObject  *live,
          JsonObject  *config,
          const char  *manager,
          gboolean     force,
          JsonObject **result)
{
  g_autoptr (GPtrArray) entries
      = live ? entries_read (live) : g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  g_autoptr (GHashTable) applied = fieldset_of (res, config, FALSE);
  g_autoptr (JsonArray) causes = json_array_new ();
  g_autoptr (GString) conflict_text = g_string_new (NULL);
  Entry         *previous;
  JsonObject    *merged;
  GHashTableIter iter;
  gpointer       path;
  guint          conflicts = 0;

  if (config != NULL
      && (ks_json_get_string (config, "apiVersion") == NULL
          || ks_json_get_string (config, "kind") == NULL))
    return ks_status_bad_request ("apiVersion and kind are required in an apply patch");
  if (live == NULL)
    {
      merged = ks_json_object_deep_copy (config);
      json_object_remove_member (ks_json_ensure_object (merged, "metadata"), "managedFields");
      previous = entry_ensure (entries, res, manager, "Apply", NULL);
      g_hash_table_iter_init (&iter, applied);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        g_hash_table_add (previous->set, g_strdup (path));
      entries_write (merged, entries);
      *result = merged;
      return NULL;
    }

  /* Conflicts: another manager owns a field this config sets differently. */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);
      if (strcmp (e->manager, manager) == 0 && strcmp (e->operation, "Apply") == 0)
        continue;
      g_hash_table_iter_init (&iter, applied);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        {
          const char *last = strrchr (path, '\x1f');
          if (!g_hash_table_contains (e->set, path))
            continue;
          /* Owning a list element is co-owning its key, never a conflict. */
          if (g_str_has_prefix (last ? last + 1 : (const char *)path, "k:"))
            continue;
          if (ks_json_node_equal (value_at (live, path), value_at (config, path)))
            continue;
          if (force)
            {
              g_hash_table_remove (e->set, path);
              continue;
            }
          {
            g_autofree char *field = path_to_field (path);
            g_autofree char *message = g_strdup_printf (
                "conflict with \"%s\"%s%s: %s", e->manager,
                strcmp (e->operation, "Update") == 0 ? " using " : "",
                strcmp (e->operation, "Update") == 0 ? e->api_version : "", field);
            ks_causes_add (causes, "FieldManagerConflict", field, message);
            g_string_append_printf (conflict_text, "\n* %s", message);
            conflicts++;
          }
        }
    }
  if (conflicts > 0)
    {
      g_autofree char *message = NULL;
      JsonObject      *status;
      if (conflicts == 1)
        message = g_strdup_printf (
            "Apply failed with 1 conflict: %s",
            ks_json_get_string (json_array_get_object_element (causes, 0), "message"));
      else
        message
            = g_strdup_printf ("Apply failed with %u conflicts: conflicts with other managers:%s",
                               conflicts, conflict_text->str);
      status = ks_status_with_details (409, "Conflict", message, ks_meta_name (live), res->group,
                                       res->plural);
      json_object_set_array_member (ks_json_get_object (status, "details"), "causes",
                                    json_array_ref (causes));
      return status;
    }

  merged = ks_json_object_deep_copy (live);
  previous = entry_find (entries, manager, "Apply", NULL);
  if (previous != NULL)
    {
      /* Fields this manager applied before and no longer does, owned by no one else, go. */
      g_autoptr (GPtrArray) gone = g_ptr_array_new ();
      g_hash_table_iter_init (&iter, previous->set);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        {
          gboolean other = FALSE;
          if (g_hash_table_contains (applied, path))
            continue;
          for (guint i = 0; i < entries->len && !other; i++)
            {
              Entry *e = g_ptr_array_index (entries, i);
              if (e != previous && g_hash_table_contains (e->set, path))
                other = TRUE;
            }
          if (!other)
            g_ptr_array_add (gone, path);
        }
      /* Deepest first, so elements go after their fields. */
      g_ptr_array_sort (gone, longest_first);
      for (guint i = 0; i < gone->len; i++)
        remove_at (merged, g_ptr_array_index (gone, i));
    }
  {
    g_autoptr (JsonNode) target = json_node_new (JSON_NODE_OBJECT);
    g_autoptr (JsonNode) patch = json_node_new (JSON_NODE_OBJECT);
    g_autoptr (JsonObject) cfg = ks_json_object_deep_copy (config);
    g_autofree char *error = NULL;
    JsonNode        *out;
    json_object_remove_member (ks_json_ensure_object (cfg, "metadata"), "managedFields");
    json_object_remove_member (ks_meta (cfg), "resourceVersion");
    json_node_take_object (target, merged);
    json_node_set_object (patch, cfg);
    out = ks_strategic_merge_patch (target, patch, &error);
    if (out == NULL)
      return ks_status_bad_request (error ? error : "cannot merge the applied configuration");
    merged = json_object_ref (json_node_get_object (out));
    json_node_unref (out);
  }
  /* The stored resourceVersion stays, so apply never conflicts on it. */
  json_object_set_string_member (ks_meta (merged), "resourceVersion",
                                 ks_json_get_string (ks_meta (live), "resourceVersion"));
  previous = entry_ensure (entries, res, manager, "Apply", NULL);
  g_hash_table_remove_all (previous->set);
  g_hash_table_iter_init (&iter, applied);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    g_hash_table_add (previous->set, g_strdup (path));
  entries_write (merged, entries);
  *result = merged;
  return NULL;
}
