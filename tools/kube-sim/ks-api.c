/* ks-api.c: the verbs (get, list, create, update, patch, apply, delete,
 * deletecollection) and the subresources status, scale, finalize and log. */
#include "ks-server.h"
#include "ks-node-agent.h"
#include "ks-proto.h"

#include <string.h>

static const char *const type_meta[] = { "kind", "apiVersion", NULL };

/* ---- helpers ---- */

static JsonObject *
forbidden (KsRequest *req, const char *verb)
{
  g_autofree char *message = NULL;
  g_autofree char *gr = ks_group_resource (req->res);
  g_autofree char *scope = NULL;
  g_autofree char *res_name = req->sub ? g_strconcat (req->res->plural, "/", req->sub, NULL)
                                       : g_strdup (req->res->plural);

  if (req->ns != NULL)
    scope = g_strdup_printf ("in the namespace \"%s\"", req->ns);
  else
    scope = g_strdup ("at the cluster scope");
  if (req->name != NULL)
    message = g_strdup_printf (
        "%s \"%s\" is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\" %s", gr,
        req->name, req->user->name, verb, res_name, req->res->group, scope);
  else
    message = g_strdup_printf (
        "%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\" %s", gr,
        req->user->name, verb, res_name, req->res->group, scope);
  return ks_status_with_details (403, "Forbidden", message, req->name, req->res->group,
                                 req->res->plural);
}

gboolean
ks_api_authorize (KsRequest *req, const char *verb)
{
  if (req->user->readonly && strcmp (req->res->plural, "secrets") == 0 && *req->res->group == '\0')
    {
      ks_respond_status (req->msg, forbidden (req, verb));
      return FALSE;
    }
  return TRUE;
}

static const char *
content_type_of (SoupServerMessage *msg)
{
  const char *ct
      = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return ct ? ct : "application/json";
}

/* The request body as one object (JSON, or YAML). */
JsonObject *
ks_request_body_object (KsRequest *req, JsonObject **error_status)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr (GError) error = NULL;
  gsize i = 0;

  while (data != NULL && i < size && g_ascii_isspace (data[i]))
    i++;
  if (data == NULL || i == size)
    {
      *error_status = ks_status_bad_request ("the body of the request was empty");
      return NULL;
    }
  if (g_str_has_prefix (content_type_of (req->msg), "application/vnd.kubernetes.protobuf"))
    {
      g_autofree char *perror = NULL;
      JsonObject      *obj = ks_proto_decode ((const guint8 *)data, size, &perror);
      if (obj == NULL)
        *error_status = ks_status_new (415, "UnsupportedMediaType", perror);
      return obj;
    }
  if (data[i] == '{' || data[i] == '[')
    {
      g_autoptr (JsonNode) node = ks_json_parse (data, size, &error);
      if (node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT)
        return json_object_ref (json_node_get_object (node));
      if (node != NULL && strstr (content_type_of (req->msg), "json-patch") != NULL)
        {
          /* JSON patches are arrays; the caller reads the body itself. */
          JsonObject *wrapper = json_object_new ();
          json_object_set_member (wrapper, "$patch", json_node_ref (node));
          return wrapper;
        }
    }
  else
    {
      g_autoptr (GPtrArray) docs = ks_yaml_parse_documents (data, size, &error);
      if (docs != NULL && docs->len == 1
          && JSON_NODE_TYPE ((JsonNode *)g_ptr_array_index (docs, 0)) == JSON_NODE_OBJECT)
        return json_object_ref (json_node_get_object (g_ptr_array_index (docs, 0)));
    }
  {
    g_autofree char *message
        = g_strdup_printf ("the object provided is unrecognized (must be of type %s): %s",
                           req->res->kind, error ? error->message : "not an object");
    *error_status = ks_status_bad_request (message);
  }
  return NULL;
}

static gboolean
is_dry_run (KsRequest *req)
{
  return g_strcmp0 (ks_query (req, "dryRun"), "All") == 0;
}

static char *
manager_for (KsRequest *req, const char *fallback)
{
  const char *manager = ks_query (req, "fieldManager");
  const char *agent;

  if (manager != NULL && *manager)
    return g_strdup (manager);
  agent = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                        "User-Agent");
  if (agent != NULL && *agent)
    return g_strndup (agent, strcspn (agent, "/"));
  return g_strdup (fallback);
}

/* The object as a client sees it at the requested version. */
JsonObject *
ks_object_for_output (KsResource *res, JsonObject *obj)
{
  if ((res->flags & KS_RES_CUSTOM)
      && g_strcmp0 (ks_json_get_string (obj, "apiVersion"), res->group_version) != 0)
    {
      JsonObject *copy = ks_json_object_deep_copy (obj);
      json_object_set_string_member (copy, "apiVersion", res->group_version);
      return copy;
    }
  return json_object_ref (obj);
}

static void
respond_object (KsRequest *req, guint code, JsonObject *obj)
{
  g_autoptr (JsonObject) out = ks_object_for_output (req->res, obj);

  if (req->table && strcmp (req->method, "GET") == 0)
    {
      g_autoptr (GPtrArray) items = g_ptr_array_new ();
      g_autoptr (JsonObject) meta = json_object_new ();
      g_autoptr (JsonObject) table = NULL;
      g_ptr_array_add (items, out);
      json_object_set_string_member (meta, "resourceVersion",
                                     ks_json_get_string (ks_meta (obj), "resourceVersion"));
      table = ks_table_for (req->res, items, meta);
      ks_respond (req->msg, code, table);
      return;
    }
  ks_respond (req->msg, code, out);
}

static gboolean
namespace_usable (KsRequest *req, const char *ns, const char *name, JsonObject **status)
{
  KsResource *namespaces = ks_resource_find (req->sim, "", "v1", "namespaces");
  JsonObject *nsobj = ks_store_get (namespaces, NULL, ns);

  if (nsobj == NULL)
    {
      *status = ks_status_not_found (namespaces, ns);
      return FALSE;
    }
  if (ks_json_get_object (ks_meta (nsobj), "deletionTimestamp") != NULL
      || json_object_has_member (ks_meta (nsobj), "deletionTimestamp"))
    {
      g_autofree char *gr = ks_group_resource (req->res);
      g_autofree char *message = g_strdup_printf (
          "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is "
          "being terminated",
          gr, name ? name : "", ns);
      JsonArray *causes = json_array_new ();
      *status = ks_status_with_details (403, "Forbidden", message, name, req->res->group,
                                        req->res->plural);
      ks_causes_add (causes, "NamespaceTerminating", "metadata.namespace", message);
      json_object_set_array_member (ks_json_get_object (*status, "details"), "causes", causes);
      return FALSE;
    }
  return TRUE;
}

/* ---- create, update, delete (shared with the controllers) ---- */

static JsonObject *
check_type_meta (KsResource *res, JsonObject *obj)
{
  const char *api_version = ks_json_get_string (obj, "apiVersion");
  const char *kind = ks_json_get_string (obj, "kind");

  if (api_version != NULL && *api_version && strcmp (api_version, res->group_version) != 0)
    {
      g_autofree char *message = g_strdup_printf (
          "the API version in the data (%s) does not match the expected API version (%s)",
          api_version, res->group_version);
      return ks_status_bad_request (message);
    }
  if (kind != NULL && *kind && strcmp (kind, res->kind) != 0)
    {
      g_autofree char *message = g_strdup_printf (
          "the kind in the data (%s) does not match the expected kind (%s)", kind, res->kind);
      return ks_status_bad_request (message);
    }
  json_object_set_string_member (obj, "apiVersion", res->group_version);
  json_object_set_string_member (obj, "kind", res->kind);
  return NULL;
}

static void
strip_server_fields (JsonObject *meta)
{
  static const char *const server[] = { "uid",
                                        "resourceVersion",
                                        "creationTimestamp",
                                        "deletionTimestamp",
                                        "deletionGracePeriodSeconds",
                                        "generation",
                                        "selfLink",
                                        NULL };

  for (guint i = 0; server[i]; i++)
    json_object_remove_member (meta, server[i]);
}

static void
finalize_delete (KsSim *sim, KsResource *res, JsonObject *obj)
{
  /* The DELETED event's object: it gets the delete's resourceVersion
   * (the answer keeps the last one); nothing else in it is changed. */
  JsonObject *gone = ks_json_object_copy_top (obj);

  if (strcmp (res->kind, "CustomResourceDefinition") == 0 && *res->group != '\0'
      && strcmp (res->group, "apiextensions.k8s.io") == 0)
    ks_crd_uninstall (sim, obj);
  if (strcmp (res->kind, "Pod") == 0 && sim->agent != NULL)
    sim->agent->vtable->pod_removed (sim->agent, obj);
  /* dependents to collect, or an owner waiting in foreground deletion
   * for its last dependent */
  if (ks_store_has_dependents (sim, ks_meta_uid (obj))
      || ks_json_get_array (ks_meta (obj), "ownerReferences") != NULL)
    sim->gc_dirty = TRUE;
  ks_store_write (sim, res, "DELETED", gone);
  ks_controllers_kick (sim);
}

JsonObject *
ks_api_create (KsSim       *sim,
               KsResource  *res,
               const char  *ns,
               JsonObject  *obj,
               gboolean     dry_run,
               const char  *manager,
               JsonObject **result)
{
  JsonObject      *meta;
  JsonObject      *status;
  const char      *name;
  g_autofree char *now = NULL;
  g_autofree char *uid = NULL;

  if ((status = check_type_meta (res, obj)) != NULL)
    return status;
  meta = ks_json_ensure_object (obj, "metadata");
  if (res->namespaced)
    {
      const char *body_ns = ks_json_get_string (meta, "namespace");
      if (body_ns != NULL && *body_ns && ns != NULL && strcmp (body_ns, ns) != 0)
        return ks_status_bad_request (
            "the namespace of the provided object does not match the namespace sent on the "
            "request");
      if (ns == NULL)
        ns = body_ns;
      if (ns == NULL || *ns == '\0')
        ns = "default";
      json_object_set_string_member (meta, "namespace", ns);
    }
  else
    json_object_remove_member (meta, "namespace");
  strip_server_fields (meta);
  if (manager != NULL)
    json_object_remove_member (meta, "managedFields");
  name = ks_json_get_string (meta, "name");
  if ((name == NULL || *name == '\0') && ks_json_get_string (meta, "generateName") != NULL)
    {
      const char      *base = ks_json_get_string (meta, "generateName");
      g_autofree char *prefix = g_strndup (base, 58);
      g_autofree char *suffix = ks_random_suffix (5);
      g_autofree char *generated = g_strconcat (prefix, suffix, NULL);
      json_object_set_string_member (meta, "name", generated);
    }
  name = ks_json_get_string (meta, "name");
  if (res->namespaced)
    {
      KsRequest   fake = { .sim = sim, .res = res };
      JsonObject *ns_status = NULL;
      if (!namespace_usable (&fake, ns, name, &ns_status))
        return ns_status;
    }
  /* Status is the server's: what a create sends is dropped. */
  if ((res->flags & KS_RES_STATUS) && manager != NULL)
    json_object_remove_member (obj, "status");
  if (res->defaults)
    res->defaults (sim, res, obj, NULL);
  if ((status = ks_validate_object_meta (sim, res, obj, NULL)) != NULL)
    return status;
  if (ks_store_get (res, ns, name) != NULL)
    return ks_status_already_exists (res, name);

  now = ks_now_rfc3339 ();
  uid = ks_new_uid ();
  json_object_set_string_member (meta, "uid", uid);
  json_object_set_string_member (meta, "creationTimestamp", now);
  if (res->flags & KS_RES_GENERATION)
    json_object_set_int_member (meta, "generation", 1);
  if (manager != NULL)
    ks_managed_fields_update (res, NULL, obj, manager, NULL);
  if (strcmp (res->kind, "CustomResourceDefinition") == 0 && !dry_run)
    {
      if ((status = ks_crd_install (sim, obj)) != NULL)
        return status;
    }
  /* (the store's listener wakes the controllers for the kinds they watch) */
  if (!dry_run)
    ks_store_write (sim, res, "ADDED", json_object_ref (obj));
  *result = json_object_ref (obj);
  return NULL;
}

static gboolean
spec_changed (JsonObject *old, JsonObject *obj)
{
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (strcmp (key, "metadata") == 0 || strcmp (key, "status") == 0)
        continue;
      if (!ks_json_node_equal (value, json_object_get_member (old, key)))
        return TRUE;
    }
  json_object_iter_init (&iter, old);
  while (json_object_iter_next (&iter, &key, &value))
    if (strcmp (key, "metadata") != 0 && strcmp (key, "status") != 0
        && !json_object_has_member (obj, key))
      return TRUE;
  return FALSE;
}

static void
strip_times (JsonArray *managed)
{
  for (guint i = 0; managed != NULL && i < json_array_get_length (managed); i++)
    {
      JsonObject *entry = json_array_get_object_element (managed, i);
      if (entry != NULL)
        json_object_remove_member (entry, "time");
    }
}

static gboolean
same_ignoring_rv (JsonObject *a, JsonObject *b)
{
  g_autoptr (JsonObject) x = ks_json_object_deep_copy (a);
  g_autoptr (JsonObject) y = ks_json_object_deep_copy (b);
  g_autoptr (JsonNode) nx = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonNode) ny = json_node_new (JSON_NODE_OBJECT);

  json_object_remove_member (ks_json_ensure_object (x, "metadata"), "resourceVersion");
  json_object_remove_member (ks_json_ensure_object (y, "metadata"), "resourceVersion");
  strip_times (ks_json_get_array (ks_meta (x), "managedFields"));
  strip_times (ks_json_get_array (ks_meta (y), "managedFields"));
  json_node_set_object (nx, x);
  json_node_set_object (ny, y);
  return ks_json_node_equal (nx, ny);
}

static gboolean
has_finalizers (KsResource *res, JsonObject *obj)
{
  JsonArray *finalizers = ks_json_get_array (ks_meta (obj), "finalizers");

  if (finalizers != NULL && json_array_get_length (finalizers) > 0)
    return TRUE;
  if (strcmp (res->kind, "Namespace") == 0)
    {
      finalizers = ks_json_get_array (ks_json_get_object (obj, "spec"), "finalizers");
      return finalizers != NULL && json_array_get_length (finalizers) > 0;
    }
  return FALSE;
}

JsonObject *
ks_api_update (KsSim       *sim,
               KsResource  *res,
               JsonObject  *old,
               JsonObject  *obj,
               const char  *subresource,
               gboolean     dry_run,
               const char  *manager,
               JsonObject **result)
{
  JsonObject *meta, *old_meta = ks_meta (old);
  JsonObject *status;
  const char *rv;
  const char *name = ks_meta_name (old);

  if ((status = check_type_meta (res, obj)) != NULL)
    return status;
  meta = ks_json_ensure_object (obj, "metadata");
  if (ks_json_get_string (meta, "name") != NULL && g_strcmp0 (ks_meta_name (obj), name) != 0)
    {
      g_autofree char *message
          = g_strdup_printf ("the name of the object (%s) does not match the name on the URL (%s)",
                             ks_meta_name (obj), name);
      return ks_status_bad_request (message);
    }
  if (res->namespaced && ks_json_get_string (meta, "namespace") != NULL
      && g_strcmp0 (ks_meta_namespace (obj), ks_meta_namespace (old)) != 0)
    return ks_status_bad_request (
        "the namespace of the provided object does not match the namespace sent on the request");
  rv = ks_json_get_string (meta, "resourceVersion");
  if (rv != NULL && *rv && g_strcmp0 (rv, ks_json_get_string (old_meta, "resourceVersion")) != 0)
    return ks_status_conflict (res, name,
                               "the object has been modified; please apply your changes to the "
                               "latest version and try again");

  /* Fields the server owns come from the stored object. */
  json_object_set_string_member (meta, "name", name);
  if (res->namespaced)
    json_object_set_string_member (meta, "namespace", ks_meta_namespace (old));
  {
    static const char *const keep[] = { "uid",
                                        "creationTimestamp",
                                        "deletionTimestamp",
                                        "deletionGracePeriodSeconds",
                                        "generation",
                                        "resourceVersion",
                                        NULL };
    for (guint i = 0; keep[i]; i++)
      {
        JsonNode *v = json_object_get_member (old_meta, keep[i]);
        if (v != NULL)
          json_object_set_member (meta, keep[i], ks_json_node_deep_copy (v));
        else
          json_object_remove_member (meta, keep[i]);
      }
  }
  /* A request that sets managedFields itself (kubectl's client-side to
   * server-side apply upgrade does) gets them as sent. */
  if (manager != NULL && json_object_has_member (meta, "managedFields")
      && !ks_json_node_equal (json_object_get_member (meta, "managedFields"),
                              json_object_get_member (old_meta, "managedFields")))
    manager = NULL;
  if (manager != NULL)
    {
      JsonNode *mf = json_object_get_member (old_meta, "managedFields");
      if (mf != NULL)
        json_object_set_member (meta, "managedFields", ks_json_node_deep_copy (mf));
      else
        json_object_remove_member (meta, "managedFields");
    }
  if (g_strcmp0 (subresource, "status") == 0)
    {
      /* Only status changes through /status. */
      JsonNode   *new_status = json_object_get_member (obj, "status");
      JsonObject *merged = ks_json_object_deep_copy (old);
      if (new_status != NULL)
        json_object_set_member (merged, "status", ks_json_node_deep_copy (new_status));
      else
        json_object_remove_member (merged, "status");
      json_object_set_string_member (ks_meta (merged), "resourceVersion",
                                     ks_json_get_string (old_meta, "resourceVersion"));
      obj = merged;
    }
  else
    {
      json_object_ref (obj);
      if ((res->flags & KS_RES_STATUS) && json_object_has_member (old, "status"))
        json_object_set_member (obj, "status",
                                ks_json_node_deep_copy (json_object_get_member (old, "status")));
    }
  meta = ks_meta (obj);

  if (res->defaults)
    res->defaults (sim, res, obj, old);
  if ((status = ks_validate_object_meta (sim, res, obj, old)) != NULL)
    {
      json_object_unref (obj);
      return status;
    }
  if (same_ignoring_rv (old, obj))
    {
      json_object_unref (obj);
      *result = json_object_ref (old);
      return NULL;
    }
  if ((res->flags & KS_RES_GENERATION) && spec_changed (old, obj))
    json_object_set_int_member (meta, "generation",
                                ks_json_get_int (old_meta, "generation", 1) + 1);
  if (manager != NULL)
    ks_managed_fields_update (res, old, obj, manager, subresource);
  if (dry_run)
    {
      *result = obj;
      return NULL;
    }
  if (json_object_has_member (meta, "deletionTimestamp") && !has_finalizers (res, obj)
      && strcmp (res->kind, "Pod") != 0)
    {
      finalize_delete (sim, res, obj);
      *result = obj;
      return NULL;
    }
  if (strcmp (res->kind, "CustomResourceDefinition") == 0)
    ks_crd_install (sim, obj);
  ks_store_write (sim, res, "MODIFIED", json_object_ref (obj));
  *result = obj;
  ks_controllers_kick (sim);
  return NULL;
}

static void
orphan_dependents (KsSim *sim, JsonObject *owner)
{
  const char *uid = ks_meta_uid (owner);

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      g_autoptr (GPtrArray) items = NULL;
      if (res->storage != res)
        continue;
      items = ks_store_list (res, NULL);
      for (guint j = 0; j < items->len; j++)
        {
          JsonObject *dep = g_ptr_array_index (items, j);
          JsonArray  *refs = ks_json_get_array (ks_meta (dep), "ownerReferences");
          JsonObject *copy;
          JsonArray  *kept;
          gboolean    found = FALSE;
          if (refs == NULL)
            continue;
          kept = json_array_new ();
          for (guint k = 0; k < json_array_get_length (refs); k++)
            {
              JsonObject *ref = json_array_get_object_element (refs, k);
              if (g_strcmp0 (ks_json_get_string (ref, "uid"), uid) == 0)
                found = TRUE;
              else
                json_array_add_object_element (kept, ks_json_object_deep_copy (ref));
            }
          if (!found)
            {
              json_array_unref (kept);
              continue;
            }
          copy = ks_json_object_deep_copy (dep);
          if (json_array_get_length (kept) == 0)
            {
              json_object_remove_member (ks_meta (copy), "ownerReferences");
              json_array_unref (kept);
            }
          else
            json_object_set_array_member (ks_meta (copy), "ownerReferences", kept);
          ks_store_write (sim, res, "MODIFIED", copy);
        }
    }
}

JsonObject *
ks_api_delete (KsSim       *sim,
               KsResource  *res,
               JsonObject  *obj,
               const char  *propagation,
               gint64       grace,
               gboolean     dry_run,
               JsonObject **result,
               gboolean    *gone)
{
  JsonObject      *copy;
  JsonObject      *meta;
  g_autofree char *now = ks_now_rfc3339 ();
  gboolean         is_pod = strcmp (res->kind, "Pod") == 0;
  gboolean         is_ns = strcmp (res->kind, "Namespace") == 0;

  *gone = FALSE;
  if (is_ns
      && (g_strcmp0 (ks_meta_name (obj), "default") == 0
          || g_strcmp0 (ks_meta_name (obj), "kube-system") == 0
          || g_strcmp0 (ks_meta_name (obj), "kube-public") == 0))
    {
      g_autofree char *message = g_strdup_printf (
          "namespaces \"%s\" is forbidden: this namespace may not be deleted", ks_meta_name (obj));
      return ks_status_with_details (403, "Forbidden", message, ks_meta_name (obj), "",
                                     "namespaces");
    }
  if (propagation == NULL)
    propagation = "Background";
  if (json_object_has_member (ks_meta (obj), "deletionTimestamp") && !(is_pod && grace == 0))
    {
      *result = json_object_ref (obj);
      return NULL;
    }
  copy = ks_json_object_deep_copy (obj);
  meta = ks_meta (copy);
  if (is_pod && grace < 0)
    grace = ks_json_get_int (ks_json_get_object (obj, "spec"), "terminationGracePeriodSeconds", 30);
  if (is_pod)
    {
      const char *phase = ks_json_get_string (ks_json_get_object (obj, "status"), "phase");
      gboolean    running = ks_json_get_string (ks_json_get_object (obj, "spec"), "nodeName")
                         && g_strcmp0 (phase, "Succeeded") != 0 && g_strcmp0 (phase, "Failed") != 0;
      if (!running)
        grace = 0;
    }
  if (dry_run)
    {
      if (grace > 0 || has_finalizers (res, obj) || is_ns)
        json_object_set_string_member (meta, "deletionTimestamp", now);
      *result = copy;
      return NULL;
    }
  if (strcmp (propagation, "Orphan") == 0)
    orphan_dependents (sim, obj);
  if (strcmp (propagation, "Foreground") == 0)
    {
      JsonArray *finalizers = ks_json_ensure_array (meta, "finalizers");
      gboolean   present = FALSE;
      for (guint i = 0; i < json_array_get_length (finalizers); i++)
        if (g_strcmp0 (json_array_get_string_element (finalizers, i), "foregroundDeletion") == 0)
          present = TRUE;
      if (!present)
        json_array_add_string_element (finalizers, "foregroundDeletion");
    }
  if (is_ns)
    json_object_set_string_member (ks_json_ensure_object (copy, "status"), "phase", "Terminating");
  if ((is_pod && grace > 0) || has_finalizers (res, copy))
    {
      json_object_set_string_member (meta, "deletionTimestamp", now);
      if (is_pod || json_object_has_member (meta, "deletionGracePeriodSeconds"))
        json_object_set_int_member (meta, "deletionGracePeriodSeconds", MAX (grace, 0));
      else
        json_object_set_int_member (meta, "deletionGracePeriodSeconds", 0);
      ks_store_write (sim, res, "MODIFIED", json_object_ref (copy));
      if (is_pod && sim->agent != NULL)
        sim->agent->vtable->pod_terminating (sim->agent, copy);
      sim->gc_dirty = TRUE;
      ks_controllers_kick (sim);
      *result = copy;
      return NULL;
    }
  finalize_delete (sim, res, copy);
  *gone = TRUE;
  *result = copy;
  return NULL;
}

/* ---- handlers ---- */

static void
handle_get (KsRequest *req)
{
  JsonObject *obj = ks_store_get (req->res, req->ns, req->name);

  if (!ks_api_authorize (req, "get"))
    return;
  if (obj == NULL)
    {
      ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
      return;
    }
  respond_object (req, 200, obj);
}

static char *
encode_continue (guint64 rv, const char *key)
{
  g_autofree char *raw = g_strdup_printf (
      "{\"v\":\"meta.k8s.io/v1\",\"rv\":%" G_GUINT64_FORMAT ",\"start\":\"%s\"}", rv, key);
  return g_base64_encode ((const guchar *)raw, strlen (raw));
}

static gboolean
decode_continue (const char *token, guint64 *rv, char **key)
{
  gsize            len = 0;
  g_autofree char *raw = (char *)g_base64_decode (token, &len);
  g_autoptr (JsonObject) obj = NULL;

  if (raw == NULL || len == 0)
    return FALSE;
  obj = ks_json_parse_object (raw, len, NULL);
  if (obj == NULL || ks_json_get_string (obj, "start") == NULL)
    return FALSE;
  *rv = ks_json_get_int (obj, "rv", 0);
  *key = g_strdup (ks_json_get_string (obj, "start"));
  return TRUE;
}

static void
handle_list (KsRequest *req)
{
  g_autoptr (KsSelector) labels = NULL;
  g_autoptr (KsSelector) fields = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_autofree char *error = NULL;
  g_autofree char *start = NULL;
  g_autofree char *next = NULL;
  const char      *limit_s = ks_query (req, "limit");
  const char      *cont = ks_query (req, "continue");
  gint64           limit = limit_s ? g_ascii_strtoll (limit_s, NULL, 10) : 0;
  gint64           remaining = 0;
  guint64          list_rv = req->sim->rv;
  gboolean         custom = (req->res->flags & KS_RES_CUSTOM) != 0;
  g_autoptr (JsonObject) list_meta = json_object_new ();
  g_autofree char *rv_string = NULL;

  if (!ks_api_authorize (req, "list"))
    return;
  if (ks_query (req, "labelSelector") != NULL)
    {
      labels = ks_label_selector_parse (ks_query (req, "labelSelector"), &error);
      if (labels == NULL)
        {
          ks_respond_status (req->msg, ks_status_bad_request (error));
          return;
        }
    }
  if (ks_query (req, "fieldSelector") != NULL)
    {
      fields = ks_field_selector_parse (req->res, ks_query (req, "fieldSelector"), &error);
      if (fields == NULL)
        {
          ks_respond_status (req->msg, ks_status_bad_request (error));
          return;
        }
    }
  if (cont != NULL && *cont)
    {
      guint64 rv = 0;
      if (!decode_continue (cont, &rv, &start))
        {
          ks_respond_status (
              req->msg, ks_status_bad_request ("continue key is not valid: illegal base64 data"));
          return;
        }
      if (rv < req->sim->compacted_rv)
        {
          ks_respond_status (
              req->msg,
              ks_status_new (410, "Expired",
                             "The provided continue parameter is too old to display a consistent "
                             "list result. You can start a new list without the continue "
                             "parameter, or use the continue token in this response to retrieve "
                             "the remainder of the results. Continuing with the provided token "
                             "results in an inconsistent list - objects that were created, "
                             "modified, or deleted between the time the first chunk was returned "
                             "and now may show up in the list."));
          return;
        }
      list_rv = rv;
    }

  all = ks_store_list (req->res, req->ns);
  for (guint i = 0; i < all->len; i++)
    {
      JsonObject      *obj = g_ptr_array_index (all, i);
      g_autofree char *key = ks_store_key (ks_meta_namespace (obj), ks_meta_name (obj));
      if (start != NULL && strcmp (key, start) <= 0)
        continue;
      if (labels != NULL
          && !ks_label_selector_matches (labels, ks_json_get_object (ks_meta (obj), "labels")))
        continue;
      if (fields != NULL && !ks_field_selector_matches (fields, obj))
        continue;
      if (limit > 0 && page->len >= (guint)limit)
        {
          remaining++;
          continue;
        }
      g_ptr_array_add (page, ks_object_for_output (req->res, obj));
      if (limit > 0 && page->len == (guint)limit)
        {
          g_clear_pointer (&next, g_free);
          next = g_steal_pointer (&key);
        }
    }
  rv_string = g_strdup_printf ("%" G_GUINT64_FORMAT, list_rv);
  json_object_set_string_member (list_meta, "resourceVersion", rv_string);
  if (remaining > 0 && next != NULL)
    {
      g_autofree char *token = encode_continue (list_rv, next);
      json_object_set_string_member (list_meta, "continue", token);
      json_object_set_int_member (list_meta, "remainingItemCount", remaining);
    }

  if (req->table)
    {
      g_autoptr (JsonObject) table = ks_table_for (req->res, page, list_meta);
      ks_respond (req->msg, 200, table);
      return;
    }
  {
    GString *out = g_string_sized_new (256 + page->len * 512);
    gsize    len;
    g_string_append_printf (out, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":",
                            req->res->list_kind, req->res->group_version);
    ks_json_write_object (out, list_meta, NULL);
    g_string_append (out, ",\"items\":[");
    for (guint i = 0; i < page->len; i++)
      {
        if (i > 0)
          g_string_append_c (out, ',');
        ks_json_write_object (out, g_ptr_array_index (page, i), custom ? NULL : type_meta);
      }
    g_string_append (out, "]}\n");
    len = out->len;
    soup_server_message_set_status (req->msg, 200, NULL);
    soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_string_free (out, FALSE), len);
  }
}

/* SelfSubjectAccessReview and SelfSubjectReview: what kubectl auth can-i and
 * kubectl auth whoami ask. */
static void
review (KsRequest *req, JsonObject *obj)
{
  JsonObject *status = json_object_new ();
  JsonObject *spec = ks_json_get_object (obj, "spec");

  json_object_set_string_member (obj, "apiVersion", req->res->group_version);
  json_object_set_string_member (obj, "kind", req->res->kind);
  ks_json_ensure_object (obj, "metadata");
  if (strcmp (req->res->kind, "SelfSubjectAccessReview") == 0)
    {
      JsonObject *attrs = ks_json_get_object (spec, "resourceAttributes");
      const char *resource = ks_json_get_string (attrs, "resource");
      const char *group = ks_json_get_string (attrs, "group");
      gboolean    denied = req->user->readonly && g_strcmp0 (resource, "secrets") == 0
                        && (group == NULL || *group == '\0');
      json_object_set_boolean_member (status, "allowed", !denied);
      if (denied)
        {
          json_object_set_boolean_member (status, "denied", TRUE);
          json_object_set_string_member (status, "reason",
                                         "secrets are not readable with this token");
        }
      else
        json_object_set_string_member (status, "reason", "kube-sim allows everything else");
    }
  else
    {
      JsonObject *info = json_object_new ();
      JsonArray  *groups = json_array_new ();
      json_object_set_string_member (info, "username", req->user->name);
      for (guint i = 0; req->user->groups && req->user->groups[i]; i++)
        json_array_add_string_element (groups, req->user->groups[i]);
      json_array_add_string_element (groups, "system:authenticated");
      json_object_set_array_member (info, "groups", groups);
      json_object_set_object_member (status, "userInfo", info);
    }
  json_object_set_object_member (obj, "status", status);
  ks_respond (req->msg, 201, obj);
}

static void
handle_create (KsRequest *req)
{
  JsonObject *status = NULL;
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autofree char *manager = NULL;

  if (!ks_api_authorize (req, "create"))
    return;
  obj = ks_request_body_object (req, &status);
  if (obj == NULL)
    {
      ks_respond_status (req->msg, status);
      return;
    }
  if (req->res->flags & KS_RES_REVIEW)
    {
      review (req, obj);
      return;
    }
  manager = manager_for (req, "unknown");
  status = ks_api_create (req->sim, req->res, req->ns, obj, is_dry_run (req), manager, &result);
  if (status != NULL)
    {
      ks_respond_status (req->msg, status);
      return;
    }
  respond_object (req, 201, result);
}

static void
respond_update_result (KsRequest *req, JsonObject *status, JsonObject *result)
{
  if (status != NULL)
    ks_respond_status (req->msg, status);
  else
    {
      respond_object (req, 200, result);
      json_object_unref (result);
    }
}

static JsonObject *scale_of (KsResource *res, JsonObject *obj);

static void
handle_update (KsRequest *req)
{
  JsonObject *status = NULL;
  JsonObject *old = ks_store_get (req->res, req->ns, req->name);
  g_autoptr (JsonObject) obj = NULL;
  JsonObject      *result = NULL;
  g_autofree char *manager = NULL;

  if (!ks_api_authorize (req, "update"))
    return;
  obj = ks_request_body_object (req, &status);
  if (obj == NULL)
    {
      ks_respond_status (req->msg, status);
      return;
    }
  if (old == NULL)
    {
      ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
      return;
    }
  manager = manager_for (req, "unknown");
  if (g_strcmp0 (req->sub, "finalize") == 0)
    {
      /* Only spec.finalizers changes through /finalize. */
      JsonObject *merged = ks_json_object_deep_copy (old);
      JsonNode   *spec = json_object_get_member (obj, "spec");
      if (spec != NULL)
        json_object_set_member (merged, "spec", ks_json_node_deep_copy (spec));
      json_object_unref (obj);
      obj = merged;
    }
  if (g_strcmp0 (req->sub, "scale") == 0)
    {
      JsonObject *merged = ks_json_object_deep_copy (old);
      const char *rv = ks_json_get_string (ks_meta (obj), "resourceVersion");
      json_object_set_int_member (
          ks_json_ensure_object (merged, "spec"), "replicas",
          ks_json_get_int (ks_json_get_object (obj, "spec"), "replicas", 0));
      if (rv != NULL)
        json_object_set_string_member (ks_meta (merged), "resourceVersion", rv);
      status = ks_api_update (req->sim, req->res, old, merged, NULL, is_dry_run (req), manager,
                              &result);
      json_object_unref (merged);
      if (status != NULL)
        ks_respond_status (req->msg, status);
      else
        {
          g_autoptr (JsonObject) scale = scale_of (req->res, result);
          ks_respond (req->msg, 200, scale);
          json_object_unref (result);
        }
      return;
    }
  status = ks_api_update (req->sim, req->res, old, obj,
                          g_strcmp0 (req->sub, "status") == 0 ? "status" : NULL, is_dry_run (req),
                          manager, &result);
  respond_update_result (req, status, result);
}

static const char *
base_content_type (KsRequest *req, char **owned)
{
  const char *ct = content_type_of (req->msg);

  *owned = g_strndup (ct, strcspn (ct, ";"));
  return g_strstrip (*owned);
}

static JsonObject *
scale_of (KsResource *res, JsonObject *obj)
{
  JsonObject *scale = json_object_new ();
  JsonObject *meta = json_object_new ();
  JsonObject *spec = json_object_new ();
  JsonObject *status = json_object_new ();
  JsonObject *sel = ks_json_get_object (ks_json_get_object (obj, "spec"), "selector");
  JsonObject *match = ks_json_get_object (sel, "matchLabels");
  g_autoptr (GString) selector = g_string_new (NULL);
  static const char *const copy[]
      = { "name", "namespace", "uid", "resourceVersion", "creationTimestamp", NULL };

  json_object_set_string_member (scale, "kind", "Scale");
  json_object_set_string_member (scale, "apiVersion", "autoscaling/v1");
  for (guint i = 0; copy[i]; i++)
    if (ks_json_get_string (ks_meta (obj), copy[i]))
      json_object_set_string_member (meta, copy[i], ks_json_get_string (ks_meta (obj), copy[i]));
  json_object_set_object_member (scale, "metadata", meta);
  json_object_set_int_member (spec, "replicas",
                              ks_json_get_int (ks_json_get_object (obj, "spec"), "replicas", 0));
  json_object_set_object_member (scale, "spec", spec);
  json_object_set_int_member (status, "replicas",
                              ks_json_get_int (ks_json_get_object (obj, "status"), "replicas", 0));
  if (match != NULL)
    {
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;
      json_object_iter_init (&iter, match);
      while (json_object_iter_next (&iter, &key, &value))
        g_string_append_printf (selector, "%s%s=%s", selector->len ? "," : "", key,
                                json_node_get_string (value));
    }
  json_object_set_string_member (status, "selector", selector->str);
  json_object_set_object_member (scale, "status", status);
  return scale;
}

static void
handle_patch (KsRequest *req)
{
  JsonObject      *old = ks_store_get (req->res, req->ns, req->name);
  g_autofree char *ct_owned = NULL;
  const char      *ct = base_content_type (req, &ct_owned);
  g_autofree char *manager = NULL;
  gboolean         apply = strcmp (ct, "application/apply-patch+yaml") == 0
                   || strcmp (ct, "application/apply-patch+json") == 0;
  JsonObject *status = NULL;
  JsonObject *result = NULL;
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) target = NULL;
  g_autoptr (JsonNode) patch_node = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *error = NULL;
  gboolean         is_scale = g_strcmp0 (req->sub, "scale") == 0;

  if (!ks_api_authorize (req, "patch"))
    return;
  if (apply)
    {
      const char *fm = ks_query (req, "fieldManager");
      if (fm == NULL || *fm == '\0')
        {
          JsonArray *c = json_array_new ();
          ks_causes_add (c, "FieldValueRequired", "fieldManager",
                         "Required value: is required for apply patch");
          ks_respond_status (req->msg, ks_status_invalid (&(KsResource){ .group = "meta.k8s.io",
                                                                         .kind = "PatchOptions" },
                                                          "", c));
          json_array_unref (c);
          return;
        }
      body = ks_request_body_object (req, &status);
      if (body == NULL)
        {
          ks_respond_status (req->msg, status);
          return;
        }
      if (old == NULL && req->res->namespaced)
        {
          KsRequest fake = *req;
          if (!namespace_usable (&fake, req->ns, req->name, &status))
            {
              ks_respond_status (req->msg, status);
              return;
            }
        }
      if (ks_meta_name (body) != NULL && g_strcmp0 (ks_meta_name (body), req->name) != 0)
        {
          ks_respond_status (
              req->msg, ks_status_bad_request ("the name of the object does not match the name on "
                                               "the URL"));
          return;
        }
      json_object_set_string_member (ks_json_ensure_object (body, "metadata"), "name", req->name);
      if (req->res->namespaced)
        json_object_set_string_member (ks_meta (body), "namespace", req->ns);
      status = ks_apply (req->sim, req->res, old, body, fm, ks_query_bool (req, "force"), &result);
      if (status != NULL)
        {
          ks_respond_status (req->msg, status);
          return;
        }
      /* ks_apply gives the merged object: store it through create or update. */
      if (old == NULL)
        {
          JsonObject *created = NULL;
          status = ks_api_create (req->sim, req->res, req->ns, result, is_dry_run (req), NULL,
                                  &created);
          json_object_unref (result);
          if (status != NULL)
            ks_respond_status (req->msg, status);
          else
            {
              respond_object (req, 201, created);
              json_object_unref (created);
            }
          return;
        }
      {
        JsonObject *updated = NULL;
        status = ks_api_update (req->sim, req->res, old, result,
                                g_strcmp0 (req->sub, "status") == 0 ? "status" : NULL,
                                is_dry_run (req), NULL, &updated);
        json_object_unref (result);
        respond_update_result (req, status, updated);
      }
      return;
    }

  if (ks_query (req, "force") != NULL)
    {
      JsonArray *c = json_array_new ();
      ks_causes_add (c, "FieldValueForbidden", "force",
                     "Forbidden: may not be specified for non-apply patch");
      ks_respond_status (
          req->msg, ks_status_invalid (
                        &(KsResource){ .group = "meta.k8s.io", .kind = "PatchOptions" }, "", c));
      json_array_unref (c);
      return;
    }
  if (old == NULL)
    {
      ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
      return;
    }
  {
    SoupMessageBody *b = soup_server_message_get_request_body (req->msg);
    g_autoptr (GBytes) bytes = soup_message_body_flatten (b);
    gsize       size;
    const char *data = g_bytes_get_data (bytes, &size);
    g_autoptr (GError) perr = NULL;
    if (data != NULL && size > 0 && (data[0] == '{' || data[0] == '[' || g_ascii_isspace (data[0])))
      patch_node = ks_json_parse (data, size, &perr);
    if (patch_node == NULL && data != NULL && size > 0)
      {
        g_autoptr (GPtrArray) docs = ks_yaml_parse_documents (data, size, NULL);
        if (docs != NULL && docs->len == 1)
          patch_node = json_node_ref (g_ptr_array_index (docs, 0));
      }
    if (patch_node == NULL)
      {
        g_autofree char *message
            = g_strdup_printf ("error decoding patch: %s", perr ? perr->message : "empty body");
        ks_respond_status (req->msg, ks_status_bad_request (message));
        return;
      }
  }
  target = json_node_new (JSON_NODE_OBJECT);
  if (is_scale)
    json_node_take_object (target, scale_of (req->res, old));
  else
    json_node_take_object (target, ks_json_object_deep_copy (old));
  if (strcmp (ct, "application/merge-patch+json") == 0)
    patched = ks_merge_patch (target, patch_node);
  else if (strcmp (ct, "application/strategic-merge-patch+json") == 0)
    {
      if (req->res->flags & KS_RES_CUSTOM)
        {
          ks_respond_status (
              req->msg,
              ks_status_new (415, "UnsupportedMediaType",
                             "the body of the request was in an unknown format - accepted media "
                             "types include: application/json-patch+json, "
                             "application/merge-patch+json, application/apply-patch+yaml"));
          return;
        }
      patched = ks_strategic_merge_patch (target, patch_node, &error);
    }
  else if (strcmp (ct, "application/json-patch+json") == 0)
    patched = ks_json_patch (target, patch_node, &error);
  else
    {
      g_autofree char *message = g_strdup_printf (
          "the body of the request was in an unknown format - accepted media types include: "
          "application/json-patch+json, application/merge-patch+json, "
          "application/apply-patch+yaml%s",
          (req->res->flags & KS_RES_CUSTOM) ? "" : ", application/strategic-merge-patch+json");
      ks_respond_status (req->msg, ks_status_new (415, "UnsupportedMediaType", message));
      return;
    }
  if (patched == NULL || JSON_NODE_TYPE (patched) != JSON_NODE_OBJECT)
    {
      g_autofree char *message = g_strdup_printf ("the server rejected our request due to an "
                                                  "error in our request: %s",
                                                  error ? error : "the patch is not an object");
      /* json-patch failures are 422 in kube (test op, bad path) */
      ks_respond_status (
          req->msg, ks_status_new (error ? 422 : 400, error ? "Invalid" : "BadRequest", message));
      return;
    }
  manager = manager_for (req, "unknown");
  if (is_scale)
    {
      JsonObject *merged = ks_json_object_deep_copy (old);
      json_object_set_int_member (
          ks_json_ensure_object (merged, "spec"), "replicas",
          ks_json_get_int (ks_json_get_object (json_node_get_object (patched), "spec"), "replicas",
                           0));
      status = ks_api_update (req->sim, req->res, old, merged, NULL, is_dry_run (req), manager,
                              &result);
      json_object_unref (merged);
      if (status != NULL)
        ks_respond_status (req->msg, status);
      else
        {
          g_autoptr (JsonObject) scale = scale_of (req->res, result);
          ks_respond (req->msg, 200, scale);
          json_object_unref (result);
        }
      return;
    }
  status = ks_api_update (req->sim, req->res, old, json_node_get_object (patched),
                          g_strcmp0 (req->sub, "status") == 0 ? "status" : NULL, is_dry_run (req),
                          manager, &result);
  respond_update_result (req, status, result);
}

typedef struct
{
  char    *propagation;
  gint64   grace;
  char    *uid;
  char    *rv;
  gboolean dry_run;
} DeleteOptions;

static void
read_delete_options (KsRequest *req, DeleteOptions *opts)
{
  SoupMessageBody *b = soup_server_message_get_request_body (req->msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (b);
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *grace = ks_query (req, "gracePeriodSeconds");

  opts->propagation = g_strdup (ks_query (req, "propagationPolicy"));
  opts->grace = grace ? g_ascii_strtoll (grace, NULL, 10) : -1;
  opts->dry_run = is_dry_run (req);
  if (ks_query (req, "orphanDependents") != NULL && opts->propagation == NULL)
    opts->propagation
        = g_strdup (ks_query_bool (req, "orphanDependents") ? "Orphan" : "Background");
  if (data != NULL && size > 1)
    {
      g_autoptr (JsonObject) body = ks_json_parse_object (data, size, NULL);
      JsonObject *pre = ks_json_get_object (body, "preconditions");
      JsonArray  *dry = ks_json_get_array (body, "dryRun");
      if (ks_json_get_string (body, "propagationPolicy") && opts->propagation == NULL)
        opts->propagation = g_strdup (ks_json_get_string (body, "propagationPolicy"));
      if (body != NULL && json_object_has_member (body, "orphanDependents")
          && opts->propagation == NULL)
        opts->propagation = g_strdup (
            ks_json_get_bool (body, "orphanDependents", FALSE) ? "Orphan" : "Background");
      if (body != NULL && json_object_has_member (body, "gracePeriodSeconds") && grace == NULL)
        opts->grace = ks_json_get_int (body, "gracePeriodSeconds", -1);
      opts->uid = g_strdup (ks_json_get_string (pre, "uid"));
      opts->rv = g_strdup (ks_json_get_string (pre, "resourceVersion"));
      if (dry != NULL && json_array_get_length (dry) > 0)
        opts->dry_run = TRUE;
    }
}

static void
clear_delete_options (DeleteOptions *opts)
{
  g_free (opts->propagation);
  g_free (opts->uid);
  g_free (opts->rv);
}

static void
handle_delete (KsRequest *req)
{
  JsonObject   *obj = ks_store_get (req->res, req->ns, req->name);
  DeleteOptions opts = { 0 };
  JsonObject   *status = NULL;
  JsonObject   *result = NULL;
  gboolean      gone = FALSE;

  if (!ks_api_authorize (req, "delete"))
    return;
  if (obj == NULL)
    {
      ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
      return;
    }
  read_delete_options (req, &opts);
  if (opts.uid != NULL && g_strcmp0 (opts.uid, ks_meta_uid (obj)) != 0)
    {
      g_autofree char *why
          = g_strdup_printf ("Precondition failed: UID in precondition: %s, UID in object meta: %s",
                             opts.uid, ks_meta_uid (obj));
      ks_respond_status (req->msg, ks_status_conflict (req->res, req->name, why));
      clear_delete_options (&opts);
      return;
    }
  if (opts.rv != NULL
      && g_strcmp0 (opts.rv, ks_json_get_string (ks_meta (obj), "resourceVersion")) != 0)
    {
      g_autofree char *why = g_strdup_printf (
          "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object "
          "meta: %s",
          opts.rv, ks_json_get_string (ks_meta (obj), "resourceVersion"));
      ks_respond_status (req->msg, ks_status_conflict (req->res, req->name, why));
      clear_delete_options (&opts);
      return;
    }
  status = ks_api_delete (req->sim, req->res, obj, opts.propagation, opts.grace, opts.dry_run,
                          &result, &gone);
  clear_delete_options (&opts);
  if (status != NULL)
    {
      ks_respond_status (req->msg, status);
      return;
    }
  if ((req->res->flags & KS_RES_DELETE_RETURNS_OBJ) || (req->res->flags & KS_RES_CUSTOM) || !gone)
    {
      g_autoptr (JsonObject) out = ks_object_for_output (req->res, result);
      ks_respond (req->msg, gone || opts.dry_run ? 200 : 200, out);
    }
  else
    {
      g_autoptr (JsonObject) ok = ks_status_success (req->res, req->name, ks_meta_uid (result));
      ks_respond (req->msg, 200, ok);
    }
  json_object_unref (result);
}

static void
handle_delete_collection (KsRequest *req)
{
  g_autoptr (KsSelector) labels = NULL;
  g_autoptr (KsSelector) fields = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autofree char *error = NULL;
  DeleteOptions    opts = { 0 };

  if (!ks_api_authorize (req, "deletecollection"))
    return;
  if (ks_query (req, "labelSelector"))
    labels = ks_label_selector_parse (ks_query (req, "labelSelector"), &error);
  if (error == NULL && ks_query (req, "fieldSelector"))
    fields = ks_field_selector_parse (req->res, ks_query (req, "fieldSelector"), &error);
  if (error != NULL)
    {
      ks_respond_status (req->msg, ks_status_bad_request (error));
      return;
    }
  read_delete_options (req, &opts);
  items = ks_store_list (req->res, req->ns);
  /* Deleting changes the table: hold references first. */
  g_ptr_array_set_free_func (items, (GDestroyNotify)json_object_unref);
  for (guint i = 0; i < items->len; i++)
    json_object_ref (g_ptr_array_index (items, i));
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *obj = g_ptr_array_index (items, i);
      JsonObject *result = NULL;
      gboolean    gone;
      if (labels
          && !ks_label_selector_matches (labels, ks_json_get_object (ks_meta (obj), "labels")))
        continue;
      if (fields && !ks_field_selector_matches (fields, obj))
        continue;
      ks_api_delete (req->sim, req->res, obj, opts.propagation, opts.grace, opts.dry_run, &result,
                     &gone);
      g_clear_pointer (&result, json_object_unref);
    }
  clear_delete_options (&opts);
  {
    g_autoptr (JsonObject) ok = ks_status_success (req->res, NULL, NULL);
    ks_respond (req->msg, 200, ok);
  }
}

static void
handle_pod_stream (KsRequest *req)
{
  JsonObject *pod = ks_store_get (req->res, req->ns, req->name);
  gboolean    log = strcmp (req->sub, "log") == 0;

  if (!ks_api_authorize (req, log ? "get" : "create"))
    return;
  if (pod == NULL)
    {
      ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
      return;
    }
  if (log)
    {
      if (strcmp (req->method, "GET") != 0)
        ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                    "the server does not allow this method on the "
                                                    "requested resource"));
      else
        ks_stream_log (req, pod);
      return;
    }
  if (strcmp (req->method, "GET") != 0 && strcmp (req->method, "POST") != 0)
    {
      ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
      return;
    }
  if (ks_json_get_string (ks_json_get_object (pod, "spec"), "nodeName") == NULL)
    {
      g_autofree char *message
          = g_strdup_printf ("pod %s does not have a host assigned", req->name);
      ks_respond_status (req->msg, ks_status_bad_request (message));
      return;
    }
  ks_stream_upgrade (req, pod);
}

void
ks_api_handle (KsRequest *req)
{
  const char *m = req->method;

  if (req->sub != NULL)
    {
      gboolean known
          = (strcmp (req->sub, "status") == 0 && (req->res->flags & KS_RES_STATUS))
            || (strcmp (req->sub, "scale") == 0 && (req->res->flags & KS_RES_SCALE))
            || (strcmp (req->sub, "finalize") == 0 && strcmp (req->res->plural, "namespaces") == 0)
            || (strcmp (req->res->plural, "pods") == 0 && *req->res->group == '\0'
                && (strcmp (req->sub, "log") == 0 || strcmp (req->sub, "exec") == 0
                    || strcmp (req->sub, "attach") == 0 || strcmp (req->sub, "portforward") == 0));
      if (!known || req->name == NULL)
        {
          ks_respond_status (req->msg, ks_status_new (404, "NotFound",
                                                      "the server could not find the requested "
                                                      "resource"));
          return;
        }
      if (strcmp (req->res->plural, "pods") == 0 && *req->res->group == '\0'
          && (strcmp (req->sub, "log") == 0 || strcmp (req->sub, "exec") == 0
              || strcmp (req->sub, "attach") == 0 || strcmp (req->sub, "portforward") == 0))
        {
          handle_pod_stream (req);
          return;
        }
      if (strcmp (req->sub, "scale") == 0 && strcmp (m, "GET") == 0)
        {
          JsonObject *obj = ks_store_get (req->res, req->ns, req->name);
          if (obj == NULL)
            ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
          else
            {
              g_autoptr (JsonObject) scale = scale_of (req->res, obj);
              ks_respond (req->msg, 200, scale);
            }
          return;
        }
    }
  if ((req->res->flags & KS_RES_REVIEW) && (strcmp (m, "POST") != 0 || req->name != NULL))
    {
      ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
      return;
    }
  if (req->res->flags & KS_RES_READONLY && strcmp (m, "GET") != 0)
    {
      ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
      return;
    }
  if ((req->res->flags & KS_RES_COMPUTED) && strcmp (m, "GET") == 0 && req->sub == NULL)
    {
      g_autoptr (GPtrArray) items = req->res->compute (req->sim, req->res, req->ns);
      if (req->name != NULL)
        {
          for (guint i = 0; i < items->len; i++)
            if (g_strcmp0 (ks_meta_name (g_ptr_array_index (items, i)), req->name) == 0)
              {
                ks_respond (req->msg, 200, g_ptr_array_index (items, i));
                return;
              }
          ks_respond_status (req->msg, ks_status_not_found (req->res, req->name));
          return;
        }
      {
        GString         *out = g_string_new (NULL);
        g_autofree char *rv = g_strdup_printf ("%" G_GUINT64_FORMAT, req->sim->rv);
        gsize            len;
        g_autoptr (KsSelector) labels = NULL;
        if (ks_query (req, "labelSelector"))
          labels = ks_label_selector_parse (ks_query (req, "labelSelector"), NULL);
        g_string_append_printf (out,
                                "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{"
                                "\"resourceVersion\":\"%s\"},\"items\":[",
                                req->res->list_kind, req->res->group_version, rv);
        for (guint i = 0, n = 0; i < items->len; i++)
          {
            JsonObject *item = g_ptr_array_index (items, i);
            if (labels != NULL
                && !ks_label_selector_matches (labels,
                                               ks_json_get_object (ks_meta (item), "labels")))
              continue;
            if (n++ > 0)
              g_string_append_c (out, ',');
            ks_json_write_object (out, item, NULL);
          }
        g_string_append (out, "]}\n");
        len = out->len;
        soup_server_message_set_status (req->msg, 200, NULL);
        soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                          g_string_free (out, FALSE), len);
      }
      return;
    }
  if (req->name == NULL && req->res->namespaced && req->ns == NULL && strcmp (m, "GET") != 0)
    {
      /* A namespaced kind's all-namespaces path is read-only. */
      ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
      return;
    }
  if (req->name == NULL)
    {
      if (strcmp (m, "GET") == 0)
        {
          if (ks_query_bool (req, "watch"))
            {
              if (ks_api_authorize (req, "watch"))
                ks_watch_serve (req->sim, req->msg, req->res, req->ns, req->query, req->table);
            }
          else
            handle_list (req);
        }
      else if (strcmp (m, "POST") == 0)
        handle_create (req);
      else if (strcmp (m, "DELETE") == 0)
        handle_delete_collection (req);
      else
        ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                    "the server does not allow this method on the "
                                                    "requested resource"));
      return;
    }
  if (strcmp (m, "GET") == 0)
    handle_get (req);
  else if (strcmp (m, "PUT") == 0)
    handle_update (req);
  else if (strcmp (m, "PATCH") == 0)
    handle_patch (req);
  else if (strcmp (m, "DELETE") == 0 && req->sub == NULL)
    handle_delete (req);
  else
    ks_respond_status (req->msg, ks_status_new (405, "MethodNotAllowed",
                                                "the server does not allow this method on the "
                                                "requested resource"));
}
