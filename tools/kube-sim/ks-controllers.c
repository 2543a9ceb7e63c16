/* ks-controllers.c: what kube-controller-manager and the scheduler do, in
 * one idle-time reconcile pass: namespaces (default objects, termination),
 * garbage collection, the deployment and replicaset controllers, endpoints
 * and scheduling pods onto the node agent. */
#include "kube-sim.h"
#include "ks-node-agent.h"
#include "ks-controllers-private.h"

#include <string.h>

/* A sorted list of a resource's objects, each held: a controller may replace
 * an object in the store while it still reads it. */
GPtrArray *
held_list (KsResource *res, const char *ns)
{
  GPtrArray *items = ks_store_list (res, ns);

  g_ptr_array_set_free_func (items, (GDestroyNotify)json_object_unref);
  for (guint i = 0; i < items->len; i++)
    json_object_ref (g_ptr_array_index (items, i));
  return items;
}

KsResource *
core (KsSim *sim, const char *plural)
{
  return ks_resource_find (sim, "", "v1", plural);
}

KsResource *
apps (KsSim *sim, const char *plural)
{
  return ks_resource_find (sim, "apps", "v1", plural);
}

void
create_quiet (KsSim *sim, KsResource *res, const char *ns, JsonObject *obj)
{
  JsonObject *result = NULL;
  JsonObject *status = ks_api_create (sim, res, ns, obj, FALSE, NULL, &result);

  if (status != NULL)
    {
      if (sim->verbose)
        g_printerr ("kube-sim: controller create failed: %s\n",
                    ks_json_get_string (status, "message"));
      json_object_unref (status);
    }
  g_clear_pointer (&result, json_object_unref);
  json_object_unref (obj);
}

/* Writes obj (a changed copy of old) as the controller; no-op when equal. */
void
update_quiet (KsSim *sim, KsResource *res, JsonObject *old, JsonObject *obj, const char *sub)
{
  JsonObject *result = NULL;
  JsonObject *status = ks_api_update (sim, res, old, obj, sub, FALSE, NULL, &result);

  if (status != NULL)
    json_object_unref (status);
  g_clear_pointer (&result, json_object_unref);
  json_object_unref (obj);
}

void
delete_quiet (KsSim *sim, KsResource *res, JsonObject *obj, const char *propagation)
{
  JsonObject *result = NULL;
  gboolean    gone;
  JsonObject *status;

  json_object_ref (obj);
  status = ks_api_delete (sim, res, obj, propagation, -1, FALSE, &result, &gone);
  if (status != NULL)
    json_object_unref (status);
  g_clear_pointer (&result, json_object_unref);
  json_object_unref (obj);
}

JsonObject *
new_object (const char *api_version, const char *kind, const char *ns, const char *name)
{
  JsonObject *obj = json_object_new ();
  JsonObject *meta = json_object_new ();

  json_object_set_string_member (obj, "apiVersion", api_version);
  json_object_set_string_member (obj, "kind", kind);
  if (name != NULL)
    json_object_set_string_member (meta, "name", name);
  if (ns != NULL)
    json_object_set_string_member (meta, "namespace", ns);
  json_object_set_object_member (obj, "metadata", meta);
  return obj;
}

JsonObject *
owner_ref (KsResource *res, JsonObject *owner)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "apiVersion", res->group_version);
  json_object_set_string_member (ref, "kind", res->kind);
  json_object_set_string_member (ref, "name", ks_meta_name (owner));
  json_object_set_string_member (ref, "uid", ks_meta_uid (owner));
  json_object_set_boolean_member (ref, "controller", TRUE);
  json_object_set_boolean_member (ref, "blockOwnerDeletion", TRUE);
  return ref;
}

gboolean
owned_by (JsonObject *obj, const char *uid)
{
  JsonArray *refs = ks_json_get_array (ks_meta (obj), "ownerReferences");

  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    if (g_strcmp0 (ks_json_get_string (json_array_get_object_element (refs, i), "uid"), uid) == 0)
      return TRUE;
  return FALSE;
}

gboolean
terminating (JsonObject *obj)
{
  return json_object_has_member (ks_meta (obj), "deletionTimestamp");
}

/* An Event about obj, as the controllers and the kubelet write them. */
void
ks_event_record (KsSim      *sim,
                 KsResource *res,
                 JsonObject *obj,
                 const char *type,
                 const char *reason,
                 const char *component,
                 const char *message)
{
  KsResource      *events = core (sim, "events");
  const char      *ns = res->namespaced ? ks_meta_namespace (obj) : "default";
  g_autofree char *name
      = g_strdup_printf ("%s.%08x%08x", ks_meta_name (obj), g_random_int (), g_random_int ());
  g_autofree char *now = ks_now_rfc3339 ();
  JsonObject      *event = new_object ("v1", "Event", ns, name);
  JsonObject      *ref = json_object_new ();
  JsonObject      *source = json_object_new ();

  if (ks_store_get (core (sim, "namespaces"), NULL, ns) == NULL)
    {
      json_object_unref (event);
      json_object_unref (ref);
      json_object_unref (source);
      return;
    }
  json_object_set_string_member (ref, "kind", res->kind);
  json_object_set_string_member (ref, "namespace", ks_meta_namespace (obj) ?: "");
  json_object_set_string_member (ref, "name", ks_meta_name (obj));
  json_object_set_string_member (ref, "uid", ks_meta_uid (obj) ?: "");
  json_object_set_string_member (ref, "apiVersion", res->group_version);
  json_object_set_string_member (ref, "resourceVersion",
                                 ks_json_get_string (ks_meta (obj), "resourceVersion") ?: "");
  if (!res->namespaced)
    json_object_remove_member (ref, "namespace");
  json_object_set_object_member (event, "involvedObject", ref);
  json_object_set_string_member (event, "reason", reason);
  json_object_set_string_member (event, "message", message);
  json_object_set_string_member (source, "component", component);
  json_object_set_object_member (event, "source", source);
  json_object_set_string_member (event, "firstTimestamp", now);
  json_object_set_string_member (event, "lastTimestamp", now);
  json_object_set_int_member (event, "count", 1);
  json_object_set_string_member (event, "type", type);
  json_object_set_null_member (event, "eventTime");
  json_object_set_string_member (event, "reportingComponent", component);
  json_object_set_string_member (event, "reportingInstance", "");
  create_quiet (sim, events, ns, event);
}

char *
ks_allocate_pod_ip (KsSim *sim)
{
  guint32 ip = sim->next_pod_ip++;

  return g_strdup_printf ("10.244.%u.%u", (ip >> 8) & 0xff, ip & 0xff);
}

/* ---- pods ---- */

void
ks_pod_set_status (KsSim      *sim,
                   const char *ns,
                   const char *name,
                   const char *uid,
                   JsonObject *status)
{
  KsResource *pods = core (sim, "pods");
  JsonObject *pod = ks_store_get (pods, ns, name);
  JsonObject *copy;

  if (pod == NULL || g_strcmp0 (ks_meta_uid (pod), uid) != 0)
    return;
  copy = ks_json_object_deep_copy (pod);
  json_object_set_object_member (copy, "status", ks_json_object_deep_copy (status));
  update_quiet (sim, pods, pod, copy, "status");
}

void
ks_pod_remove (KsSim *sim, const char *ns, const char *name, const char *uid)
{
  KsResource *pods = core (sim, "pods");
  JsonObject *pod = ks_store_get (pods, ns, name);

  if (pod == NULL || g_strcmp0 (ks_meta_uid (pod), uid) != 0)
    return;
  delete_quiet (sim, pods, pod, NULL);
  /* A second delete with grace 0 removes a pod in its grace period. */
  pod = ks_store_get (pods, ns, name);
  if (pod != NULL && g_strcmp0 (ks_meta_uid (pod), uid) == 0)
    {
      JsonObject *result = NULL;
      gboolean    gone;
      JsonObject *st;
      json_object_ref (pod);
      st = ks_api_delete (sim, pods, pod, NULL, 0, FALSE, &result, &gone);
      g_clear_pointer (&st, json_object_unref);
      g_clear_pointer (&result, json_object_unref);
      json_object_unref (pod);
    }
}

static void
schedule_pods (KsSim *sim)
{
  KsResource *pods = core (sim, "pods");
  g_autoptr (GPtrArray) items = held_list (pods, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject      *pod = g_ptr_array_index (items, i);
      JsonObject      *held;
      JsonObject      *copy;
      JsonObject      *status;
      JsonArray       *conditions;
      JsonObject      *cond;
      g_autofree char *now = NULL;
      if (terminating (pod) || ks_json_lookup (pod, "spec.nodeName") != NULL)
        continue;
      now = ks_now_rfc3339 ();
      copy = ks_json_object_deep_copy (pod);
      json_object_set_string_member (ks_json_ensure_object (copy, "spec"), "nodeName", NODE_NAME);
      update_quiet (sim, pods, pod, copy, NULL);
      held = ks_store_get (pods, ks_meta_namespace (pod), ks_meta_name (pod));
      if (held == NULL)
        continue;
      held = json_object_ref (held);
      copy = ks_json_object_deep_copy (held);
      status = ks_json_ensure_object (copy, "status");
      conditions = json_array_new ();
      cond = json_object_new ();
      json_object_set_string_member (cond, "type", "PodScheduled");
      json_object_set_string_member (cond, "status", "True");
      json_object_set_null_member (cond, "lastProbeTime");
      json_object_set_string_member (cond, "lastTransitionTime", now);
      json_array_add_object_element (conditions, cond);
      json_object_set_array_member (status, "conditions", conditions);
      update_quiet (sim, pods, held, copy, "status");
      json_object_unref (held);
      pod = ks_store_get (pods, ks_meta_namespace (pod), ks_meta_name (pod));
      if (pod != NULL)
        {
          g_autofree char *message
              = g_strdup_printf ("Successfully assigned %s/%s to %s", ks_meta_namespace (pod),
                                 ks_meta_name (pod), NODE_NAME);
          json_object_ref (pod);
          ks_event_record (sim, pods, pod, "Normal", "Scheduled", "default-scheduler", message);
          if (sim->agent != NULL)
            sim->agent->vtable->pod_scheduled (sim->agent, pod);
          json_object_unref (pod);
        }
    }
}

gboolean
pod_ready (JsonObject *pod)
{
  JsonArray *conditions = ks_json_get_array (ks_json_get_object (pod, "status"), "conditions");

  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonObject *c = json_array_get_object_element (conditions, i);
      if (g_strcmp0 (ks_json_get_string (c, "type"), "Ready") == 0)
        return g_strcmp0 (ks_json_get_string (c, "status"), "True") == 0;
    }
  return FALSE;
}

/* ---- namespaces ---- */

static void
ensure_namespace_defaults (KsSim *sim, JsonObject *ns)
{
  const char *name = ks_meta_name (ns);

  if (ks_store_get (core (sim, "serviceaccounts"), name, "default") == NULL)
    create_quiet (sim, core (sim, "serviceaccounts"), name,
                  new_object ("v1", "ServiceAccount", name, "default"));
  if (ks_store_get (core (sim, "configmaps"), name, "kube-root-ca.crt") == NULL)
    {
      JsonObject *cm = new_object ("v1", "ConfigMap", name, "kube-root-ca.crt");
      JsonObject *data = json_object_new ();
      JsonObject *annotations = json_object_new ();
      json_object_set_string_member (data, "ca.crt", sim->ca_pem ? sim->ca_pem : "");
      json_object_set_object_member (cm, "data", data);
      json_object_set_string_member (annotations, "kubernetes.io/description",
                                     "Contains a CA bundle that can be used to verify the "
                                     "kube-apiserver when using internal endpoints such as the "
                                     "internal service IP or kubernetes.default.svc. No other "
                                     "usage is guaranteed across distributions of Kubernetes "
                                     "clusters.");
      json_object_set_object_member (ks_meta (cm), "annotations", annotations);
      create_quiet (sim, core (sim, "configmaps"), name, cm);
    }
}

static guint
namespace_content (KsSim *sim, const char *ns, gboolean delete_it)
{
  guint count = 0;

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      g_autoptr (GPtrArray) items = NULL;
      if (!res->namespaced || res->storage != res)
        continue;
      items = ks_store_list (res, ns);
      count += items->len;
      if (!delete_it)
        continue;
      g_ptr_array_set_free_func (items, (GDestroyNotify)json_object_unref);
      for (guint j = 0; j < items->len; j++)
        json_object_ref (g_ptr_array_index (items, j));
      for (guint j = 0; j < items->len; j++)
        if (!terminating (g_ptr_array_index (items, j)))
          delete_quiet (sim, res, g_ptr_array_index (items, j), "Background");
    }
  return count;
}

static void
reconcile_namespaces (KsSim *sim)
{
  KsResource *namespaces = core (sim, "namespaces");
  g_autoptr (GPtrArray) items = held_list (namespaces, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *ns = g_ptr_array_index (items, i);
      if (!terminating (ns))
        {
          ensure_namespace_defaults (sim, ns);
          continue;
        }
      namespace_content (sim, ks_meta_name (ns), TRUE);
      if (namespace_content (sim, ks_meta_name (ns), FALSE) == 0)
        {
          /* What the namespace controller does through /finalize. */
          JsonObject *copy = ks_json_object_deep_copy (ns);
          json_object_set_array_member (ks_json_ensure_object (copy, "spec"), "finalizers",
                                        json_array_new ());
          update_quiet (sim, namespaces, ns, copy, NULL);
        }
    }
}

/* ---- garbage collector ---- */

static int
compare_ns_name (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **)a, *y = *(JsonObject **)b;
  int         c = g_strcmp0 (ks_meta_namespace (x), ks_meta_namespace (y));

  return c != 0 ? c : g_strcmp0 (ks_meta_name (x), ks_meta_name (y));
}

/* The objects of @res that have owners, held, in ks_store_list() order:
 * the collector runs after every delete, and sorting every object of
 * every kind each time made deletes slow with thousands of objects. */
static GPtrArray *
with_owners (KsResource *res)
{
  GPtrArray     *items = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, res->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonArray *refs = ks_json_get_array (ks_meta (value), "ownerReferences");

      if (refs != NULL && json_array_get_length (refs) > 0)
        g_ptr_array_add (items, json_object_ref (value));
    }
  g_ptr_array_sort (items, compare_ns_name);
  return items;
}

static void
collect_garbage (KsSim *sim)
{
  GHashTable *uids = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *foreground = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *has_dependents = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource    *res = g_ptr_array_index (sim->resources, i);
      GHashTableIter iter;
      gpointer       value;
      if (res->storage != res)
        continue;
      g_hash_table_iter_init (&iter, res->objects);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          JsonArray *fin = ks_json_get_array (ks_meta (value), "finalizers");
          g_hash_table_add (uids, (gpointer)ks_meta_uid (value));
          for (guint f = 0; fin && f < json_array_get_length (fin); f++)
            if (g_strcmp0 (json_array_get_string_element (fin, f), "foregroundDeletion") == 0
                && terminating (value))
              g_hash_table_add (foreground, (gpointer)ks_meta_uid (value));
        }
    }
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      g_autoptr (GPtrArray) items = NULL;
      if (res->storage != res)
        continue;
      items = with_owners (res);
      for (guint j = 0; j < items->len; j++)
        {
          JsonObject *obj = g_ptr_array_index (items, j);
          JsonArray  *refs = ks_json_get_array (ks_meta (obj), "ownerReferences");
          gboolean    any_alive = FALSE, any_fg = FALSE;
          if (refs == NULL || json_array_get_length (refs) == 0)
            continue;
          for (guint k = 0; k < json_array_get_length (refs); k++)
            {
              const char *uid = ks_json_get_string (json_array_get_object_element (refs, k), "uid");
              if (uid == NULL)
                continue;
              if (g_hash_table_contains (foreground, uid))
                {
                  any_fg = TRUE;
                  g_hash_table_add (has_dependents, (gpointer)uid);
                }
              else if (g_hash_table_contains (uids, uid))
                any_alive = TRUE;
            }
          if ((!any_alive || any_fg) && !terminating (obj))
            delete_quiet (sim, res, obj, any_fg ? "Foreground" : "Background");
        }
    }
  /* Owners in foreground deletion with no dependents left lose the finalizer. */
  for (guint i = 0; g_hash_table_size (foreground) > 0 && i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      g_autoptr (GPtrArray) items = NULL;
      if (res->storage != res)
        continue;
      items = ks_store_list (res, NULL);
      for (guint j = 0; j < items->len; j++)
        {
          JsonObject *obj = g_ptr_array_index (items, j);
          JsonObject *copy;
          JsonArray  *fin, *kept;
          if (!g_hash_table_contains (foreground, ks_meta_uid (obj))
              || g_hash_table_contains (has_dependents, ks_meta_uid (obj)))
            continue;
          copy = ks_json_object_deep_copy (obj);
          fin = ks_json_get_array (ks_meta (copy), "finalizers");
          kept = json_array_new ();
          for (guint f = 0; f < json_array_get_length (fin); f++)
            if (g_strcmp0 (json_array_get_string_element (fin, f), "foregroundDeletion") != 0)
              json_array_add_string_element (kept, json_array_get_string_element (fin, f));
          json_object_set_array_member (ks_meta (copy), "finalizers", kept);
          update_quiet (sim, res, obj, copy, NULL);
        }
    }
  g_hash_table_unref (uids);
  g_hash_table_unref (foreground);
  g_hash_table_unref (has_dependents);
}

/* ---- replicasets ---- */

GPtrArray *
owned_list (KsResource *res, const char *ns, const char *uid)
{
  g_autoptr (GPtrArray) all = ks_store_list (res, ns);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    if (owned_by (g_ptr_array_index (all, i), uid))
      g_ptr_array_add (out, g_ptr_array_index (all, i));
  return out;
}

static void
reconcile_replicaset (KsSim *sim, KsResource *rss, JsonObject *rs)
{
  KsResource *pods = core (sim, "pods");
  const char *ns = ks_meta_namespace (rs);
  g_autoptr (GPtrArray) owned = owned_list (pods, ns, ks_meta_uid (rs));
  JsonObject *spec = ks_json_get_object (rs, "spec");
  gint64      want = ks_json_get_int (spec, "replicas", 1);
  guint       active = 0, ready = 0;
  JsonObject *copy, *status;

  if (terminating (rs))
    want = 0;
  for (guint i = 0; i < owned->len; i++)
    if (!terminating (g_ptr_array_index (owned, i)))
      active++;
  for (gint64 n = active; n < want; n++)
    {
      JsonObject *template = ks_json_get_object (spec, "template");
      JsonObject      *pod = new_object ("v1", "Pod", ns, NULL);
      JsonObject      *tmeta = ks_meta (template);
      JsonArray       *refs = json_array_new ();
      g_autofree char *generate = g_strconcat (ks_meta_name (rs), "-", NULL);
      json_object_set_string_member (ks_meta (pod), "generateName", generate);
      if (ks_json_get_object (tmeta, "labels"))
        json_object_set_object_member (
            ks_meta (pod), "labels",
            ks_json_object_deep_copy (ks_json_get_object (tmeta, "labels")));
      if (ks_json_get_object (tmeta, "annotations"))
        json_object_set_object_member (
            ks_meta (pod), "annotations",
            ks_json_object_deep_copy (ks_json_get_object (tmeta, "annotations")));
      json_array_add_object_element (
          refs, owner_ref (ks_resource_find (sim, "apps", "v1", "replicasets"), rs));
      json_object_set_array_member (ks_meta (pod), "ownerReferences", refs);
      if (ks_json_get_object (template, "spec"))
        json_object_set_object_member (
            pod, "spec", ks_json_object_deep_copy (ks_json_get_object (template, "spec")));
      {
        JsonObject *made = NULL;
        JsonObject *st = ks_api_create (sim, pods, ns, pod, FALSE, NULL, &made);
        if (st == NULL)
          {
            g_autofree char *message = g_strdup_printf ("Created pod: %s", ks_meta_name (made));
            ks_event_record (sim, rss, rs, "Normal", "SuccessfulCreate", "replicaset-controller",
                             message);
          }
        g_clear_pointer (&st, json_object_unref);
        g_clear_pointer (&made, json_object_unref);
        json_object_unref (pod);
      }
    }
  if ((gint64)active > want)
    {
      /* The newest pods go first. */
      gint64 extra = active - want;
      for (gint i = owned->len - 1; i >= 0 && extra > 0; i--)
        {
          JsonObject *pod = g_ptr_array_index (owned, i);
          if (terminating (pod))
            continue;
          {
            g_autofree char *message = g_strdup_printf ("Deleted pod: %s", ks_meta_name (pod));
            ks_event_record (sim, rss, rs, "Normal", "SuccessfulDelete", "replicaset-controller",
                             message);
          }
          delete_quiet (sim, pods, pod, NULL);
          extra--;
        }
    }
  g_ptr_array_unref (owned);
  owned = owned_list (pods, ns, ks_meta_uid (rs));
  active = 0;
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *pod = g_ptr_array_index (owned, i);
      if (terminating (pod))
        continue;
      active++;
      if (pod_ready (pod))
        ready++;
    }
  rs = ks_store_get (rss, ns, ks_meta_name (rs));
  if (rs == NULL)
    return;
  copy = ks_json_object_deep_copy (rs);
  status = json_object_new ();
  json_object_set_int_member (status, "replicas", active);
  json_object_set_int_member (status, "fullyLabeledReplicas", active);
  json_object_set_int_member (status, "readyReplicas", ready);
  json_object_set_int_member (status, "availableReplicas", ready);
  json_object_set_int_member (status, "observedGeneration",
                              ks_json_get_int (ks_meta (rs), "generation", 1));
  if (ready == 0)
    json_object_remove_member (status, "readyReplicas"),
        json_object_remove_member (status, "availableReplicas");
  json_object_set_object_member (copy, "status", status);
  update_quiet (sim, rss, rs, copy, "status");
}

/* ---- deployments ---- */

char *
template_hash (JsonObject *template)
{
  static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  GString          *text = g_string_new (NULL);
  guint32           h = 2166136261u;
  char              out[11];

  {
    g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    json_node_set_object (node, template);
    ks_json_write_canonical (text, node);
  }
  for (gsize i = 0; i < text->len; i++)
    h = (h ^ (guchar)text->str[i]) * 16777619u;
  g_string_free (text, TRUE);
  for (guint i = 0; i < 10; i++)
    {
      out[i] = alphabet[h % (sizeof alphabet - 1)];
      h = h / (sizeof alphabet - 1) + (h << 7) + i * 2654435761u;
    }
  out[10] = '\0';
  return g_strdup (out);
}

static JsonObject *
deploy_condition (const char *type,
                  const char *status,
                  const char *reason,
                  const char *message,
                  JsonObject *old_status)
{
  JsonArray       *old = ks_json_get_array (old_status, "conditions");
  JsonObject      *c = json_object_new ();
  g_autofree char *now = ks_now_rfc3339 ();
  const char      *transition = now;
  const char      *updated = now;

  for (guint i = 0; old && i < json_array_get_length (old); i++)
    {
      JsonObject *oc = json_array_get_object_element (old, i);
      if (g_strcmp0 (ks_json_get_string (oc, "type"), type) != 0)
        continue;
      if (g_strcmp0 (ks_json_get_string (oc, "status"), status) == 0)
        transition = ks_json_get_string (oc, "lastTransitionTime");
      if (g_strcmp0 (ks_json_get_string (oc, "reason"), reason) == 0 && transition != now)
        updated = ks_json_get_string (oc, "lastUpdateTime");
    }
  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "status", status);
  json_object_set_string_member (c, "lastUpdateTime", updated ? updated : now);
  json_object_set_string_member (c, "lastTransitionTime", transition ? transition : now);
  json_object_set_string_member (c, "reason", reason);
  json_object_set_string_member (c, "message", message);
  return c;
}

static void
reconcile_deployment (KsSim *sim, KsResource *deploys, JsonObject *d)
{
  KsResource *rss = apps (sim, "replicasets");
  const char *ns = ks_meta_namespace (d);
  JsonObject *spec = ks_json_get_object (d, "spec");
  JsonObject *template = ks_json_get_object (spec, "template");
  gint64           want = ks_json_get_int (spec, "replicas", 1);
  g_autofree char *hash = template_hash (template);
  g_autoptr (GPtrArray) owned = owned_list (rss, ns, ks_meta_uid (d));
  JsonObject *current = NULL;
  gint64      max_revision = 0;
  gint64      replicas = 0, updated = 0, ready = 0, available = 0;
  gboolean    recreate
      = g_strcmp0 (ks_json_get_string (ks_json_get_object (spec, "strategy"), "type"), "Recreate")
        == 0;
  gint64           old_active = 0;
  JsonObject      *copy, *status;
  JsonArray       *conditions;
  g_autofree char *message = NULL;

  if (terminating (d))
    return;
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *rs = g_ptr_array_index (owned, i);
      const char *rev = ks_json_get_string (ks_json_get_object (ks_meta (rs), "annotations"),
                                            "deployment.kubernetes.io/revision");
      max_revision = MAX (max_revision, rev ? g_ascii_strtoll (rev, NULL, 10) : 0);
      if (g_strcmp0 (ks_meta_label (rs, "pod-template-hash"), hash) == 0)
        current = rs;
      else
        old_active += ks_json_get_int (ks_json_get_object (rs, "status"), "replicas", 0);
    }
  if (current == NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s", ks_meta_name (d), hash);
      JsonObject      *rs = new_object ("apps/v1", "ReplicaSet", ns, name);
      JsonObject      *rspec = json_object_new ();
      JsonObject      *tcopy = ks_json_object_deep_copy (template);
      JsonObject      *sel = ks_json_object_deep_copy (ks_json_get_object (spec, "selector"));
      JsonObject      *labels = ks_json_object_deep_copy (
               ks_json_get_object (ks_meta (template), "labels") ?: json_object_new ());
      JsonObject      *annotations = json_object_new ();
      JsonArray       *refs = json_array_new ();
      g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, max_revision + 1);
      g_autofree char *desired = g_strdup_printf ("%" G_GINT64_FORMAT, want);
      json_object_set_string_member (labels, "pod-template-hash", hash);
      json_object_set_object_member (ks_meta (rs), "labels", ks_json_object_deep_copy (labels));
      json_object_set_object_member (ks_json_ensure_object (tcopy, "metadata"), "labels", labels);
      json_object_set_string_member (ks_json_ensure_object (sel, "matchLabels"),
                                     "pod-template-hash", hash);
      json_object_set_string_member (annotations, "deployment.kubernetes.io/revision", revision);
      json_object_set_string_member (annotations, "deployment.kubernetes.io/desired-replicas",
                                     desired);
      json_object_set_string_member (annotations, "deployment.kubernetes.io/max-replicas", desired);
      json_object_set_object_member (ks_meta (rs), "annotations", annotations);
      json_array_add_object_element (refs, owner_ref (deploys, d));
      json_object_set_array_member (ks_meta (rs), "ownerReferences", refs);
      json_object_set_int_member (rspec, "replicas", recreate && old_active > 0 ? 0 : want);
      json_object_set_object_member (rspec, "selector", sel);
      json_object_set_object_member (rspec, "template", tcopy);
      json_object_set_object_member (rs, "spec", rspec);
      {
        g_autofree char *scaled
            = g_strdup_printf ("Scaled up replica set %s from 0 to %" G_GINT64_FORMAT, name,
                               recreate && old_active > 0 ? 0 : want);
        create_quiet (sim, rss, ns, rs);
        ks_event_record (sim, deploys, d, "Normal", "ScalingReplicaSet", "deployment-controller",
                         scaled);
      }
      g_ptr_array_unref (owned);
      owned = owned_list (rss, ns, ks_meta_uid (d));
      for (guint i = 0; i < owned->len; i++)
        if (g_strcmp0 (ks_meta_label (g_ptr_array_index (owned, i), "pod-template-hash"), hash)
            == 0)
          current = g_ptr_array_index (owned, i);
    }
  if (current == NULL)
    return;
  {
    /* Rolling back to an older template makes its replica set the newest
     * revision again; the deployment carries the revision too. */
    const char *rev = ks_json_get_string (ks_json_get_object (ks_meta (current), "annotations"),
                                          "deployment.kubernetes.io/revision");
    gint64      current_rev = rev ? g_ascii_strtoll (rev, NULL, 10) : 0;
    if (current_rev < max_revision)
      {
        JsonObject      *c = ks_json_object_deep_copy (current);
        g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, max_revision + 1);
        json_object_set_string_member (ks_json_ensure_object (ks_meta (c), "annotations"),
                                       "deployment.kubernetes.io/revision", next);
        update_quiet (sim, rss, current, c, NULL);
        current_rev = max_revision + 1;
        g_ptr_array_unref (owned);
        owned = owned_list (rss, ns, ks_meta_uid (d));
        current = NULL;
        for (guint i = 0; i < owned->len; i++)
          if (g_strcmp0 (ks_meta_label (g_ptr_array_index (owned, i), "pod-template-hash"), hash)
              == 0)
            current = g_ptr_array_index (owned, i);
        if (current == NULL)
          return;
      }
    if (current_rev > 0)
      {
        g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, current_rev);
        if (g_strcmp0 (ks_json_get_string (ks_json_get_object (ks_meta (d), "annotations"),
                                           "deployment.kubernetes.io/revision"),
                       value)
            != 0)
          {
            JsonObject *c = ks_json_object_deep_copy (d);
            json_object_set_string_member (ks_json_ensure_object (ks_meta (c), "annotations"),
                                           "deployment.kubernetes.io/revision", value);
            update_quiet (sim, deploys, d, c, NULL);
            d = ks_store_get (deploys, ns, ks_meta_name (c));
            if (d == NULL)
              return;
          }
      }
  }
  {
    gint64 new_available
        = ks_json_get_int (ks_json_get_object (current, "status"), "availableReplicas", 0);
    gint64 new_want = (recreate && old_active > 0) ? 0 : want;
    /* Old replica sets shrink as the new one becomes available. */
    gint64 old_budget = recreate ? 0 : MAX (0, want - new_available);
    for (guint i = 0; i < owned->len; i++)
      {
        JsonObject *rs = g_ptr_array_index (owned, i);
        gint64      target = rs == current ? new_want : 0;
        if (rs != current)
          {
            gint64 have = ks_json_get_int (ks_json_get_object (rs, "spec"), "replicas", 0);
            target = MIN (have, old_budget);
            old_budget -= target;
          }
        if (ks_json_get_int (ks_json_get_object (rs, "spec"), "replicas", -1) != target)
          {
            gint64 from = ks_json_get_int (ks_json_get_object (rs, "spec"), "replicas", 0);
            g_autofree char *scaled = g_strdup_printf (
                "Scaled %s replica set %s from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                target > from ? "up" : "down", ks_meta_name (rs), from, target);
            JsonObject *c = ks_json_object_deep_copy (rs);
            ks_event_record (sim, deploys, d, "Normal", "ScalingReplicaSet",
                             "deployment-controller", scaled);
            json_object_set_int_member (ks_json_ensure_object (c, "spec"), "replicas", target);
            if (rs == current)
              {
                g_autofree char *desired = g_strdup_printf ("%" G_GINT64_FORMAT, want);
                json_object_set_string_member (ks_json_ensure_object (ks_meta (c), "annotations"),
                                               "deployment.kubernetes.io/desired-replicas",
                                               desired);
              }
            update_quiet (sim, rss, rs, c, NULL);
          }
      }
  }
  g_ptr_array_unref (owned);
  owned = owned_list (rss, ns, ks_meta_uid (d));
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *rs = g_ptr_array_index (owned, i);
      JsonObject *st = ks_json_get_object (rs, "status");
      replicas += ks_json_get_int (st, "replicas", 0);
      ready += ks_json_get_int (st, "readyReplicas", 0);
      available += ks_json_get_int (st, "availableReplicas", 0);
      if (g_strcmp0 (ks_meta_label (rs, "pod-template-hash"), hash) == 0)
        updated = ks_json_get_int (st, "replicas", 0);
    }

  d = ks_store_get (deploys, ns, ks_meta_name (d));
  if (d == NULL)
    return;
  copy = ks_json_object_deep_copy (d);
  status = json_object_new ();
  json_object_set_int_member (status, "observedGeneration",
                              ks_json_get_int (ks_meta (d), "generation", 1));
  if (replicas > 0)
    json_object_set_int_member (status, "replicas", replicas);
  if (updated > 0)
    json_object_set_int_member (status, "updatedReplicas", updated);
  if (ready > 0)
    json_object_set_int_member (status, "readyReplicas", ready);
  if (available > 0)
    json_object_set_int_member (status, "availableReplicas", available);
  if (MAX (0, want - available) > 0)
    json_object_set_int_member (status, "unavailableReplicas", MAX (replicas, want) - available);
  conditions = json_array_new ();
  if (available >= want)
    json_array_add_object_element (
        conditions, deploy_condition ("Available", "True", "MinimumReplicasAvailable",
                                      "Deployment has minimum availability.",
                                      ks_json_get_object (d, "status")));
  else
    json_array_add_object_element (conditions, deploy_condition ("Available", "False",
                                                                 "MinimumReplicasUnavailable",
                                                                 "Deployment does not have minimum "
                                                                 "availability.",
                                                                 ks_json_get_object (d, "status")));
  if (updated == want && replicas == updated && available >= want)
    message = g_strdup_printf ("ReplicaSet \"%s\" has successfully progressed.",
                               ks_meta_name (current));
  else
    message = g_strdup_printf ("ReplicaSet \"%s\" is progressing.", ks_meta_name (current));
  json_array_add_object_element (
      conditions, deploy_condition ("Progressing", "True",
                                    updated == want && replicas == updated && available >= want
                                        ? "NewReplicaSetAvailable"
                                        : "ReplicaSetUpdated",
                                    message, ks_json_get_object (d, "status")));
  json_object_set_array_member (status, "conditions", conditions);
  json_object_set_object_member (copy, "status", status);
  update_quiet (sim, deploys, d, copy, "status");
}

/* ---- endpoints ---- */

/* The discovery.k8s.io EndpointSlice mirroring a service's Endpoints. */
static void
endpoint_slice_for (KsSim *sim, JsonObject *svc, JsonObject *ep)
{
  KsResource      *slices = ks_resource_find (sim, "discovery.k8s.io", "v1", "endpointslices");
  const char      *ns = ks_meta_namespace (svc);
  g_autofree char *suffix = g_strndup (ks_meta_uid (svc) ? ks_meta_uid (svc) : "00000", 5);
  g_autofree char *name = g_strdup_printf ("%s-%s", ks_meta_name (svc), suffix);
  JsonObject      *existing = ks_store_get (slices, ns, name);
  JsonObject      *slice = existing ? ks_json_object_deep_copy (existing)
                                    : new_object ("discovery.k8s.io/v1", "EndpointSlice", ns, name);
  JsonArray       *subsets = ks_json_get_array (ep, "subsets");
  JsonArray       *endpoints = json_array_new ();
  JsonArray       *ports = json_array_new ();
  JsonArray       *refs = json_array_new ();

  if (slices == NULL)
    {
      json_object_unref (slice);
      json_array_unref (endpoints);
      json_array_unref (ports);
      json_array_unref (refs);
      return;
    }
  json_object_set_object_member (ks_meta (slice), "labels",
                                 string_map ("kubernetes.io/service-name", ks_meta_name (svc),
                                             "endpointslice.kubernetes.io/managed-by",
                                             "endpointslice-controller.k8s.io", NULL));
  json_array_add_object_element (refs, owner_ref (core (sim, "services"), svc));
  json_object_set_array_member (ks_meta (slice), "ownerReferences", refs);
  json_object_set_string_member (slice, "addressType", "IPv4");
  for (guint i = 0; subsets && i < json_array_get_length (subsets); i++)
    {
      JsonObject *subset = json_array_get_object_element (subsets, i);
      for (int pass = 0; pass < 2; pass++)
        {
          JsonArray *addrs
              = ks_json_get_array (subset, pass == 0 ? "addresses" : "notReadyAddresses");
          for (guint a = 0; addrs && a < json_array_get_length (addrs); a++)
            {
              JsonObject *addr = json_array_get_object_element (addrs, a);
              JsonObject *e = json_object_new ();
              JsonArray  *ips = json_array_new ();
              JsonObject *cond = json_object_new ();
              json_array_add_string_element (ips, ks_json_get_string (addr, "ip"));
              json_object_set_array_member (e, "addresses", ips);
              json_object_set_boolean_member (cond, "ready", pass == 0);
              json_object_set_boolean_member (cond, "serving", pass == 0);
              json_object_set_boolean_member (cond, "terminating", FALSE);
              json_object_set_object_member (e, "conditions", cond);
              if (ks_json_get_string (addr, "nodeName"))
                json_object_set_string_member (e, "nodeName",
                                               ks_json_get_string (addr, "nodeName"));
              if (ks_json_get_object (addr, "targetRef"))
                json_object_set_object_member (
                    e, "targetRef",
                    ks_json_object_deep_copy (ks_json_get_object (addr, "targetRef")));
              json_array_add_object_element (endpoints, e);
            }
        }
      if (i == 0 && ks_json_get_array (subset, "ports"))
        {
          json_array_unref (ports);
          ports = ks_json_array_deep_copy (ks_json_get_array (subset, "ports"));
          /* name, port and protocol are pointers in discovery/v1: clients read them all. */
          for (guint p = 0; p < json_array_get_length (ports); p++)
            {
              JsonObject *port = json_array_get_object_element (ports, p);
              if (!json_object_has_member (port, "name"))
                json_object_set_string_member (port, "name", "");
            }
        }
    }
  json_object_set_array_member (slice, "endpoints", endpoints);
  json_object_set_array_member (slice, "ports", ports);
  if (existing == NULL)
    create_quiet (sim, slices, ns, slice);
  else
    update_quiet (sim, slices, existing, slice, NULL);
}

static void
reconcile_endpoints (KsSim *sim)
{
  KsResource *services = core (sim, "services");
  KsResource *pods = core (sim, "pods");
  KsResource *endpoints = core (sim, "endpoints");
  g_autoptr (GPtrArray) items = held_list (services, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *svc = g_ptr_array_index (items, i);
      JsonObject *selector = ks_json_get_object (ks_json_get_object (svc, "spec"), "selector");
      JsonArray  *ports = ks_json_get_array (ks_json_get_object (svc, "spec"), "ports");
      const char *ns = ks_meta_namespace (svc);
      JsonObject *ep, *existing;
      JsonArray  *subsets, *addresses, *not_ready, *ep_ports;
      g_autoptr (GPtrArray) all = NULL;
      g_autoptr (KsSelector) sel = NULL;
      if (selector == NULL || terminating (svc))
        continue;
      {
        JsonObject *wrap = json_object_new ();
        json_object_set_object_member (wrap, "matchLabels", ks_json_object_deep_copy (selector));
        sel = ks_label_selector_from_json (wrap);
        json_object_unref (wrap);
      }
      all = ks_store_list (pods, ns);
      addresses = json_array_new ();
      not_ready = json_array_new ();
      for (guint j = 0; j < all->len; j++)
        {
          JsonObject *pod = g_ptr_array_index (all, j);
          const char *ip = ks_json_get_string (ks_json_get_object (pod, "status"), "podIP");
          JsonObject *addr, *target;
          if (ip == NULL || terminating (pod)
              || !ks_label_selector_matches (sel, ks_json_get_object (ks_meta (pod), "labels")))
            continue;
          addr = json_object_new ();
          target = json_object_new ();
          json_object_set_string_member (addr, "ip", ip);
          json_object_set_string_member (addr, "nodeName", NODE_NAME);
          json_object_set_string_member (target, "kind", "Pod");
          json_object_set_string_member (target, "namespace", ns);
          json_object_set_string_member (target, "name", ks_meta_name (pod));
          json_object_set_string_member (target, "uid", ks_meta_uid (pod));
          json_object_set_object_member (addr, "targetRef", target);
          json_array_add_object_element (pod_ready (pod) ? addresses : not_ready, addr);
        }
      ep_ports = json_array_new ();
      for (guint j = 0; ports && j < json_array_get_length (ports); j++)
        {
          JsonObject *p = json_array_get_object_element (ports, j);
          JsonObject *ep_port = json_object_new ();
          JsonNode   *target = json_object_get_member (p, "targetPort");
          if (ks_json_get_string (p, "name"))
            json_object_set_string_member (ep_port, "name", ks_json_get_string (p, "name"));
          json_object_set_int_member (ep_port, "port",
                                      target && JSON_NODE_HOLDS_VALUE (target)
                                              && json_node_get_value_type (target) == G_TYPE_INT64
                                          ? json_node_get_int (target)
                                          : ks_json_get_int (p, "port", 0));
          json_object_set_string_member (ep_port, "protocol",
                                         ks_json_get_string (p, "protocol") ?: "TCP");
          json_array_add_object_element (ep_ports, ep_port);
        }
      subsets = json_array_new ();
      if (json_array_get_length (addresses) + json_array_get_length (not_ready) > 0)
        {
          JsonObject *subset = json_object_new ();
          if (json_array_get_length (addresses) > 0)
            json_object_set_array_member (subset, "addresses", json_array_ref (addresses));
          if (json_array_get_length (not_ready) > 0)
            json_object_set_array_member (subset, "notReadyAddresses", json_array_ref (not_ready));
          json_object_set_array_member (subset, "ports", json_array_ref (ep_ports));
          json_array_add_object_element (subsets, subset);
        }
      json_array_unref (addresses);
      json_array_unref (not_ready);
      json_array_unref (ep_ports);
      existing = ks_store_get (endpoints, ns, ks_meta_name (svc));
      if (existing == NULL)
        {
          ep = new_object ("v1", "Endpoints", ns, ks_meta_name (svc));
          {
            g_autofree char *now = ks_now_rfc3339 ();
            json_object_set_object_member (
                ks_meta (ep), "annotations",
                string_map ("endpoints.kubernetes.io/last-change-trigger-time", now, NULL));
          }
          if (ks_json_get_object (ks_meta (svc), "labels"))
            json_object_set_object_member (
                ks_meta (ep), "labels",
                ks_json_object_deep_copy (ks_json_get_object (ks_meta (svc), "labels")));
          if (json_array_get_length (subsets) > 0)
            json_object_set_array_member (ep, "subsets", subsets);
          else
            json_array_unref (subsets);
          create_quiet (sim, endpoints, ns, ep);
        }
      else
        {
          ep = ks_json_object_deep_copy (existing);
          if (json_array_get_length (subsets) > 0)
            json_object_set_array_member (ep, "subsets", subsets);
          else
            {
              json_object_remove_member (ep, "subsets");
              json_array_unref (subsets);
            }
          update_quiet (sim, endpoints, existing, ep, NULL);
        }
      existing = ks_store_get (endpoints, ns, ks_meta_name (svc));
      if (existing != NULL)
        endpoint_slice_for (sim, svc, existing);
    }
  /* Endpoints this controller made go with their service. */
  {
    g_autoptr (GPtrArray) eps = held_list (endpoints, NULL);
    for (guint i = 0; i < eps->len; i++)
      {
        JsonObject *ep = g_ptr_array_index (eps, i);
        if (ks_json_get_string (ks_json_get_object (ks_meta (ep), "annotations"),
                                "endpoints.kubernetes.io/last-change-trigger-time")
                != NULL
            && ks_store_get (services, ks_meta_namespace (ep), ks_meta_name (ep)) == NULL)
          delete_quiet (sim, endpoints, ep, NULL);
      }
  }
}

/* ---- the loop ---- */

/* The collector walks every object (tens of ms with thousands): after a
 * burst of deletes it runs at most every 50 ms, or every eight times as
 * long as its last run took, not once per delete. A cascade it starts
 * still settles within one reconcile. */
#define GC_MIN_INTERVAL_US (50 * 1000)
static gint64 last_gc_us;
static gint64 gc_interval_us = GC_MIN_INTERVAL_US;
static guint  gc_timer;

static gboolean
gc_later (gpointer data)
{
  gc_timer = 0;
  ks_controllers_kick (data);
  return G_SOURCE_REMOVE;
}

static gboolean
gc_due (KsSim *sim, gboolean cascading)
{
  gint64 now = g_get_monotonic_time ();

  if (cascading || now - last_gc_us >= gc_interval_us)
    {
      last_gc_us = now;
      return TRUE;
    }
  if (gc_timer == 0)
    gc_timer = g_timeout_add (MAX (1, (gc_interval_us - (now - last_gc_us)) / 1000), gc_later, sim);
  return FALSE;
}

static gboolean
reconcile (gpointer data)
{
  KsSim   *sim = data;
  gboolean gc_ran = FALSE;

  sim->controller_idle = 0;
  /* A few passes let one change settle (RS created -> pods -> status). */
  for (guint pass = 0; pass < 3; pass++)
    {
      guint64 before = sim->rv;
      reconcile_namespaces (sim);
      if (sim->gc_dirty && gc_due (sim, gc_ran))
        {
          gc_ran = TRUE;
          sim->gc_dirty = FALSE;
          collect_garbage (sim);
          gc_interval_us = MAX (GC_MIN_INTERVAL_US, 8 * (g_get_monotonic_time () - last_gc_us));
        }
      {
        KsResource *deploys = apps (sim, "deployments");
        g_autoptr (GPtrArray) items = held_list (deploys, NULL);
        for (guint i = 0; i < items->len; i++)
          reconcile_deployment (sim, deploys, g_ptr_array_index (items, i));
      }
      {
        KsResource *rss = apps (sim, "replicasets");
        g_autoptr (GPtrArray) items = held_list (rss, NULL);
        for (guint i = 0; i < items->len; i++)
          reconcile_replicaset (sim, rss, g_ptr_array_index (items, i));
      }
      reconcile_jobs (sim);
      reconcile_statefulsets (sim);
      reconcile_daemonsets (sim);
      schedule_pods (sim);
      reconcile_endpoints (sim);
      if (sim->rv == before)
        break;
    }
  return G_SOURCE_REMOVE;
}

static void
on_write (KsSim *sim, KsResource *res, const char *type, JsonObject *obj, gpointer data)
{
  /* Only kinds the controllers look at wake them. */
  if (*res->group == '\0'
      && (strcmp (res->plural, "configmaps") == 0 || strcmp (res->plural, "secrets") == 0
          || strcmp (res->plural, "events") == 0 || strcmp (res->plural, "endpoints") == 0
          || strcmp (res->plural, "serviceaccounts") == 0))
    {
      if (strcmp (type, "DELETED") == 0 || ks_json_get_array (ks_meta (obj), "ownerReferences"))
        ks_controllers_kick (sim);
      return;
    }
  ks_controllers_kick (sim);
}

void
ks_controllers_kick (KsSim *sim)
{
  if (sim->controller_idle == 0)
    sim->controller_idle = g_idle_add (reconcile, sim);
}

JsonObject *
string_map (const char *first, ...)
{
  JsonObject *map = json_object_new ();
  va_list     ap;

  va_start (ap, first);
  for (const char *k = first; k != NULL; k = va_arg (ap, const char *))
    json_object_set_string_member (map, k, va_arg (ap, const char *));
  va_end (ap);
  return map;
}

static void
create_system_objects (KsSim *sim)
{
  static const char *const namespaces[]
      = { "default", "kube-system", "kube-public", "kube-node-lease", NULL };
  JsonObject *node, *status, *info, *svc, *spec, *port;
  JsonArray  *conditions, *addresses, *ports;

  for (guint i = 0; namespaces[i]; i++)
    create_quiet (sim, core (sim, "namespaces"), NULL,
                  new_object ("v1", "Namespace", NULL, namespaces[i]));

  node = new_object ("v1", "Node", NULL, NODE_NAME);
  json_object_set_object_member (ks_meta (node), "labels",
                                 string_map ("kubernetes.io/hostname", NODE_NAME,
                                             "kubernetes.io/os", "linux", "kubernetes.io/arch",
                                             "amd64", "node-role.kubernetes.io/control-plane", "",
                                             NULL));
  json_object_set_object_member (node, "spec", json_object_new ());
  status = json_object_new ();
  conditions = json_array_new ();
  {
    JsonObject      *c = json_object_new ();
    g_autofree char *now = ks_now_rfc3339 ();
    json_object_set_string_member (c, "type", "Ready");
    json_object_set_string_member (c, "status", "True");
    json_object_set_string_member (c, "lastHeartbeatTime", now);
    json_object_set_string_member (c, "lastTransitionTime", now);
    json_object_set_string_member (c, "reason", "KubeletReady");
    json_object_set_string_member (c, "message", "kubelet is posting ready status");
    json_array_add_object_element (conditions, c);
  }
  json_object_set_array_member (status, "conditions", conditions);
  addresses = json_array_new ();
  {
    JsonObject *a = json_object_new ();
    json_object_set_string_member (a, "type", "InternalIP");
    json_object_set_string_member (a, "address",
                                   sim->agent && sim->agent->node_address ? sim->agent->node_address
                                                                          : "10.0.0.10");
    json_array_add_object_element (addresses, a);
  }
  json_object_set_array_member (status, "addresses", addresses);
  info = json_object_new ();
  json_object_set_string_member (info, "kubeletVersion", "v1.32.4");
  json_object_set_string_member (info, "operatingSystem", "linux");
  json_object_set_string_member (info, "architecture", "amd64");
  json_object_set_string_member (info, "containerRuntimeVersion", "kube-sim://0.1");
  json_object_set_string_member (info, "osImage", "HeroVirt kube-sim");
  json_object_set_string_member (info, "kernelVersion", "");
  json_object_set_string_member (info, "kubeProxyVersion", "");
  json_object_set_string_member (info, "machineID", "");
  json_object_set_string_member (info, "systemUUID", "");
  json_object_set_string_member (info, "bootID", "");
  json_object_set_object_member (status, "nodeInfo", info);
  json_object_set_object_member (
      status, "capacity",
      string_map ("cpu", "4", "memory", "8Gi", "pods", "110", "ephemeral-storage", "100Gi", NULL));
  json_object_set_object_member (
      status, "allocatable",
      string_map ("cpu", "4", "memory", "8Gi", "pods", "110", "ephemeral-storage", "100Gi", NULL));
  json_object_set_object_member (node, "status", status);
  create_quiet (sim, core (sim, "nodes"), NULL, node);

  svc = new_object ("v1", "Service", "default", "kubernetes");
  spec = json_object_new ();
  ports = json_array_new ();
  port = json_object_new ();
  json_object_set_string_member (port, "name", "https");
  json_object_set_int_member (port, "port", 443);
  json_object_set_int_member (port, "targetPort", 6443);
  json_array_add_object_element (ports, port);
  json_object_set_array_member (spec, "ports", ports);
  json_object_set_string_member (spec, "clusterIP", "10.96.0.1");
  json_object_set_object_member (svc, "spec", spec);
  json_object_set_object_member (
      ks_meta (svc), "labels",
      string_map ("component", "apiserver", "provider", "kubernetes", NULL));
  create_quiet (sim, core (sim, "services"), "default", svc);

  /* The API server itself behind the kubernetes service. */
  {
    JsonObject *ep = new_object ("v1", "Endpoints", "default", "kubernetes");
    JsonArray  *subsets = json_array_new ();
    JsonObject *subset = json_object_new ();
    JsonArray  *addrs = json_array_new ();
    JsonObject *addr = json_object_new ();
    JsonArray  *eports = json_array_new ();
    JsonObject *eport = json_object_new ();
    const char *colon = sim->server_url ? strrchr (sim->server_url, ':') : NULL;
    json_object_set_string_member (addr, "ip", "127.0.0.1");
    json_array_add_object_element (addrs, addr);
    json_object_set_array_member (subset, "addresses", addrs);
    json_object_set_string_member (eport, "name", "https");
    json_object_set_int_member (eport, "port",
                                colon ? g_ascii_strtoll (colon + 1, NULL, 10) : 6443);
    json_object_set_string_member (eport, "protocol", "TCP");
    json_array_add_object_element (eports, eport);
    json_object_set_array_member (subset, "ports", eports);
    json_array_add_object_element (subsets, subset);
    json_object_set_array_member (ep, "subsets", subsets);
    create_quiet (sim, core (sim, "endpoints"), "default", ep);
  }
}

void
ks_controllers_init (KsSim *sim)
{
  create_system_objects (sim);
  ks_store_add_listener (sim, on_write, NULL);
  reconcile (sim);
}
