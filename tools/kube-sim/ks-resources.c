/* ks-resources.c: the served kinds, discovery documents, defaulting and
 * validation of built-in kinds. */
#include "kube-sim.h"

#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define DNS1123_LABEL "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define DNS1123_SUBDOMAIN DNS1123_LABEL "(\\." DNS1123_LABEL ")*"
#define DNS1035_LABEL "[a-z]([-a-z0-9]*[a-z0-9])?"

static const char *const default_verbs[]
    = { "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch", NULL };
static const char *const readonly_verbs[] = { "get", "list", "watch", NULL };

char *
ks_group_resource (KsResource *res)
{
  return *res->group ? g_strconcat (res->plural, ".", res->group, NULL) : g_strdup (res->plural);
}

char *
ks_group_kind (KsResource *res)
{
  return *res->group ? g_strconcat (res->kind, ".", res->group, NULL) : g_strdup (res->kind);
}

static char *
gvr_key (const char *group, const char *version, const char *plural)
{
  return g_strconcat (group, "/", version, "/", plural, NULL);
}

KsResource *
ks_resource_add (KsSim          *sim,
                 const char     *group,
                 const char     *version,
                 const char     *kind,
                 const char     *plural,
                 gboolean        namespaced,
                 KsResourceFlags flags)
{
  KsResource *res = g_new0 (KsResource, 1);

  res->group = g_strdup (group);
  res->version = g_strdup (version);
  res->group_version = *group ? g_strconcat (group, "/", version, NULL) : g_strdup (version);
  res->kind = g_strdup (kind);
  res->list_kind = g_strconcat (kind, "List", NULL);
  res->plural = g_strdup (plural);
  res->singular = g_ascii_strdown (kind, -1);
  res->namespaced = namespaced;
  res->flags = flags;
  res->objects
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
  res->storage = res;
  g_ptr_array_add (sim->resources, res);
  g_hash_table_insert (sim->by_gvr, gvr_key (group, version, plural), res);
  ks_openapi_invalidate (sim);
  return res;
}

void
ks_resource_remove (KsSim *sim, KsResource *res)
{
  g_autofree char *key = gvr_key (res->group, res->version, res->plural);

  g_hash_table_remove (sim->by_gvr, key);
  g_ptr_array_remove (sim->resources, res);
  /* Watches and history may still point at it: keep the struct alive, empty. */
  if (res->storage == res)
    g_hash_table_remove_all (res->objects);
  res->flags |= KS_RES_READONLY;
  ks_openapi_invalidate (sim);
}

KsResource *
ks_resource_find (KsSim *sim, const char *group, const char *version, const char *plural)
{
  g_autofree char *key = gvr_key (group, version, plural);

  return g_hash_table_lookup (sim->by_gvr, key);
}

KsResource *
ks_resource_find_kind (KsSim *sim, const char *api_version, const char *kind)
{
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (g_strcmp0 (res->group_version, api_version) == 0 && g_strcmp0 (res->kind, kind) == 0)
        return res;
    }
  return NULL;
}

/* ---- discovery ---- */

JsonObject *
ks_discovery_api_versions (KsSim *sim)
{
  JsonObject *doc = json_object_new ();
  JsonArray  *versions = json_array_new ();
  JsonArray  *cidrs = json_array_new ();
  JsonObject *cidr = json_object_new ();
  const char *host = strstr (sim->server_url, "://");

  json_object_set_string_member (doc, "kind", "APIVersions");
  json_array_add_string_element (versions, "v1");
  json_object_set_array_member (doc, "versions", versions);
  json_object_set_string_member (cidr, "clientCIDR", "0.0.0.0/0");
  json_object_set_string_member (cidr, "serverAddress", host ? host + 3 : sim->server_url);
  json_array_add_object_element (cidrs, cidr);
  json_object_set_array_member (doc, "serverAddressByClientCIDRs", cidrs);
  return doc;
}

static JsonObject *
group_version_object (const char *group, const char *version)
{
  JsonObject      *gv = json_object_new ();
  g_autofree char *name = *group ? g_strdup_printf ("%s/%s", group, version) : g_strdup (version);

  json_object_set_string_member (gv, "groupVersion", name);
  json_object_set_string_member (gv, "version", version);
  return gv;
}

static JsonObject *
group_object (KsSim *sim, const char *group)
{
  JsonObject *obj = json_object_new ();
  JsonArray  *versions = json_array_new ();
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *preferred = NULL;

  json_object_set_string_member (obj, "name", group);
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (strcmp (res->group, group) != 0 || g_hash_table_contains (seen, res->version))
        continue;
      g_hash_table_add (seen, res->version);
      json_array_add_object_element (versions, group_version_object (group, res->version));
      if (preferred == NULL)
        preferred = res->version;
    }
  json_object_set_array_member (obj, "versions", versions);
  if (preferred != NULL)
    json_object_set_object_member (obj, "preferredVersion",
                                   group_version_object (group, preferred));
  g_hash_table_unref (seen);
  return obj;
}

JsonObject *
ks_discovery_group_list (KsSim *sim)
{
  JsonObject *doc = json_object_new ();
  JsonArray  *groups = json_array_new ();
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  json_object_set_string_member (doc, "kind", "APIGroupList");
  json_object_set_string_member (doc, "apiVersion", "v1");
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (*res->group == '\0' || g_hash_table_contains (seen, res->group))
        continue;
      g_hash_table_add (seen, res->group);
      json_array_add_object_element (groups, group_object (sim, res->group));
    }
  json_object_set_array_member (doc, "groups", groups);
  g_hash_table_unref (seen);
  return doc;
}

JsonObject *
ks_discovery_group (KsSim *sim, const char *group)
{
  JsonObject *doc;

  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (strcmp (res->group, group) == 0)
        {
          doc = group_object (sim, group);
          json_object_set_string_member (doc, "kind", "APIGroup");
          json_object_set_string_member (doc, "apiVersion", "v1");
          return doc;
        }
    }
  return NULL;
}

static JsonArray *
strv_array (const char *const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static JsonObject *
api_resource (KsResource *res, const char *name, const char *kind, const char *const *verbs)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "name", name);
  json_object_set_string_member (obj, "singularName", strchr (name, '/') ? "" : res->singular);
  json_object_set_boolean_member (obj, "namespaced", res->namespaced);
  if (kind != res->kind)
    {
      /* Subresources of another group's kind (scale) carry their group. */
      if (strcmp (kind, "Scale") == 0)
        {
          json_object_set_string_member (obj, "group", "autoscaling");
          json_object_set_string_member (obj, "version", "v1");
        }
    }
  json_object_set_string_member (obj, "kind", kind);
  json_object_set_array_member (obj, "verbs", strv_array (verbs));
  if (strchr (name, '/') == NULL)
    {
      if (res->short_names != NULL)
        json_object_set_array_member (obj, "shortNames",
                                      strv_array ((const char *const *)res->short_names));
      if (res->categories != NULL)
        json_object_set_array_member (obj, "categories",
                                      strv_array ((const char *const *)res->categories));
    }
  return obj;
}

JsonObject *
ks_discovery_resource_list (KsSim *sim, const char *group, const char *version)
{
  static const char *const sub_verbs[] = { "get", "patch", "update", NULL };
  JsonObject              *doc = json_object_new ();
  JsonArray               *list = json_array_new ();
  gboolean                 any = FALSE;
  g_autofree char *gv = *group ? g_strdup_printf ("%s/%s", group, version) : g_strdup (version);

  json_object_set_string_member (doc, "kind", "APIResourceList");
  json_object_set_string_member (doc, "apiVersion", "v1");
  json_object_set_string_member (doc, "groupVersion", gv);
  for (guint i = 0; i < sim->resources->len; i++)
    {
      KsResource *res = g_ptr_array_index (sim->resources, i);
      if (strcmp (res->group, group) != 0 || strcmp (res->version, version) != 0)
        continue;
      any = TRUE;
      static const char *const create_verb[] = { "create", NULL };
      json_array_add_object_element (list, api_resource (res, res->plural, res->kind,
                                                         (res->flags & KS_RES_REVIEW) ? create_verb
                                                         : (res->flags & KS_RES_READONLY)
                                                             ? readonly_verbs
                                                             : default_verbs));
      if (res->flags & KS_RES_STATUS)
        {
          g_autofree char *name = g_strconcat (res->plural, "/status", NULL);
          json_array_add_object_element (list, api_resource (res, name, res->kind, sub_verbs));
        }
      if (res->flags & KS_RES_SCALE)
        {
          g_autofree char *name = g_strconcat (res->plural, "/scale", NULL);
          json_array_add_object_element (list, api_resource (res, name, "Scale", sub_verbs));
        }
      if (strcmp (res->plural, "namespaces") == 0)
        {
          static const char *const put[] = { "update", NULL };
          json_array_add_object_element (list,
                                         api_resource (res, "namespaces/finalize", res->kind, put));
        }
      if (strcmp (res->plural, "pods") == 0)
        {
          static const char *const get[] = { "get", NULL };
          json_array_add_object_element (list, api_resource (res, "pods/log", "Pod", get));
        }
    }
  json_object_set_array_member (doc, "resources", list);
  if (!any)
    {
      json_object_unref (doc);
      return NULL;
    }
  return doc;
}

/* ---- validation helpers ---- */

/* Compiled once per pattern: compiling (g_regex_match_simple()) cost more
 * than the rest of a create's validation. */
static gboolean
full_match (const char *pattern, const char *value)
{
  static GHashTable *compiled; /* pattern -> anchored GRegex */
  G_LOCK_DEFINE_STATIC (compiled);
  GRegex  *re;
  gboolean matched;

  G_LOCK (compiled);
  if (compiled == NULL)
    compiled
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_regex_unref);
  re = g_hash_table_lookup (compiled, pattern);
  if (re == NULL)
    {
      g_autofree char *anchored = g_strconcat ("^", pattern, "$", NULL);
      re = g_regex_new (anchored, 0, 0, NULL);
      g_assert (re != NULL);
      g_hash_table_insert (compiled, g_strdup (pattern), re);
    }
  re = g_regex_ref (re);
  G_UNLOCK (compiled);
  matched = g_regex_match (re, value, 0, NULL);
  g_regex_unref (re);
  return matched;
}

/* Checks a name against one of the three rules; adds a cause when it fails. */
static void
check_name (JsonArray *causes, const char *field, const char *value, const char *rule)
{
  g_autofree char *message = NULL;

  if (strcmp (rule, "subdomain") == 0)
    {
      if (strlen (value) > 253)
        message = g_strdup ("must be no more than 253 characters");
      else if (!full_match (DNS1123_SUBDOMAIN, value))
        message = g_strdup ("a lowercase RFC 1123 subdomain must consist of lower case "
                            "alphanumeric characters, '-' or '.', and must start and end with an "
                            "alphanumeric character (e.g. 'example.com', regex used for "
                            "validation is '" DNS1123_SUBDOMAIN "')");
    }
  else if (strcmp (rule, "label") == 0)
    {
      if (strlen (value) > 63)
        message = g_strdup ("must be no more than 63 characters");
      else if (strchr (value, '.') != NULL && full_match (DNS1123_SUBDOMAIN, value))
        message = g_strdup ("must not contain dots");
      else if (!full_match (DNS1123_LABEL, value))
        message = g_strdup ("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                            "characters or '-', and must start and end with an alphanumeric "
                            "character (e.g. 'my-name',  or '123-abc', regex used for validation "
                            "is '" DNS1123_LABEL "')");
    }
  else
    {
      if (strlen (value) > 63)
        message = g_strdup ("must be no more than 63 characters");
      else if (!full_match (DNS1035_LABEL, value))
        message = g_strdup ("a DNS-1035 label must consist of lower case alphanumeric characters "
                            "or '-', start with an alphabetic character, and end with an "
                            "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used "
                            "for validation is '" DNS1035_LABEL "')");
    }
  if (message != NULL)
    {
      g_autofree char *full = g_strdup_printf ("Invalid value: \"%s\": %s", value, message);
      ks_causes_add (causes, "FieldValueInvalid", field, full);
    }
}

static void
check_labels (JsonArray *causes, JsonObject *meta)
{
  JsonObject    *labels = ks_json_get_object (meta, "labels");
  JsonObjectIter iter;
  const char    *key;
  JsonNode      *value;

  if (labels == NULL)
    return;
  json_object_iter_init (&iter, labels);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const char *v = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;
      if (v == NULL)
        {
          ks_causes_add (causes, "FieldValueInvalid", "metadata.labels",
                         "Invalid value: label values must be strings");
          continue;
        }
      if (strlen (v) > 63 || (*v && !full_match ("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", v)))
        {
          g_autofree char *message = g_strdup_printf (
              "Invalid value: \"%s\": a valid label must be an empty string or consist of "
              "alphanumeric characters, '-', '_' or '.', and must start and end with an "
              "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
              "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
              v);
          ks_causes_add (causes, "FieldValueInvalid", "metadata.labels", message);
        }
    }
}

static const char *
name_rule (KsResource *res)
{
  if (strcmp (res->plural, "namespaces") == 0)
    return "label";
  if (strcmp (res->plural, "services") == 0)
    return "dns1035";
  return "subdomain";
}

JsonObject *
ks_validate_object_meta (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *meta = ks_meta (obj);
  const char *name = ks_meta_name (obj);

  if (name == NULL || *name == '\0')
    ks_causes_add (causes, "FieldValueRequired", "metadata.name",
                   "Required value: name or generateName is required");
  else
    check_name (causes, "metadata.name", name, name_rule (res));
  check_labels (causes, meta);
  if (res->validate != NULL && json_array_get_length (causes) == 0)
    {
      JsonObject *status = res->validate (sim, res, obj, old);
      if (status != NULL)
        return status;
    }
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, name, causes);
  return NULL;
}

/* ---- strategic merge keys of the built-in kinds ---- */

const char *
ks_patch_merge_key (const char *parent_path, const char *field)
{
  if (strcmp (field, "containers") == 0 || strcmp (field, "initContainers") == 0
      || strcmp (field, "ephemeralContainers") == 0 || strcmp (field, "volumes") == 0
      || strcmp (field, "env") == 0 || strcmp (field, "imagePullSecrets") == 0)
    return "name";
  if (strcmp (field, "volumeMounts") == 0)
    return "mountPath";
  if (strcmp (field, "volumeDevices") == 0)
    return "devicePath";
  if (strcmp (field, "ports") == 0)
    return g_str_has_suffix (parent_path, "ontainers[]") ? "containerPort" : "port";
  if (strcmp (field, "conditions") == 0)
    return "type";
  if (strcmp (field, "ownerReferences") == 0)
    return "uid";
  if (strcmp (field, "hostAliases") == 0)
    return "ip";
  if (strcmp (field, "topologySpreadConstraints") == 0)
    return "topologyKey";
  if (strcmp (field, "resourceClaims") == 0)
    return "name";
  return NULL;
}

/* Lists of scalars that strategic merge treats as sets. */
gboolean
ks_resource_is_list_atomic (const char *field)
{
  return strcmp (field, "finalizers") != 0;
}

/* ---- defaults and validation of built-in kinds ---- */

static void
default_containers (JsonArray *containers)
{
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonObject *c = json_array_get_object_element (containers, i);
      const char *image = ks_json_get_string (c, "image");
      JsonArray  *ports = ks_json_get_array (c, "ports");
      if (c == NULL)
        continue;
      if (!json_object_has_member (c, "imagePullPolicy") && image != NULL)
        {
          const char *slash = strrchr (image, '/');
          const char *tag = strchr (slash ? slash : image, ':');
          gboolean    latest
              = strchr (image, '@') == NULL && (tag == NULL || strcmp (tag, ":latest") == 0);
          json_object_set_string_member (c, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
        }
      if (!json_object_has_member (c, "terminationMessagePath"))
        json_object_set_string_member (c, "terminationMessagePath", "/dev/termination-log");
      if (!json_object_has_member (c, "terminationMessagePolicy"))
        json_object_set_string_member (c, "terminationMessagePolicy", "File");
      if (!json_object_has_member (c, "resources"))
        json_object_set_object_member (c, "resources", json_object_new ());
      for (guint j = 0; ports != NULL && j < json_array_get_length (ports); j++)
        {
          JsonObject *p = json_array_get_object_element (ports, j);
          if (p != NULL && !json_object_has_member (p, "protocol"))
            json_object_set_string_member (p, "protocol", "TCP");
        }
    }
}

void
ks_default_pod_spec (JsonObject *spec)
{
  if (spec == NULL)
    return;
  default_containers (ks_json_get_array (spec, "containers"));
  default_containers (ks_json_get_array (spec, "initContainers"));
  if (!json_object_has_member (spec, "restartPolicy"))
    json_object_set_string_member (spec, "restartPolicy", "Always");
  if (!json_object_has_member (spec, "terminationGracePeriodSeconds"))
    json_object_set_int_member (spec, "terminationGracePeriodSeconds", 30);
  if (!json_object_has_member (spec, "dnsPolicy"))
    json_object_set_string_member (spec, "dnsPolicy", "ClusterFirst");
  if (!json_object_has_member (spec, "securityContext"))
    json_object_set_object_member (spec, "securityContext", json_object_new ());
  if (!json_object_has_member (spec, "schedulerName"))
    json_object_set_string_member (spec, "schedulerName", "default-scheduler");
}

static void
default_pod (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonObject *status;

  ks_default_pod_spec (spec);
  if (old != NULL)
    return;
  if (!json_object_has_member (spec, "serviceAccountName"))
    json_object_set_string_member (spec, "serviceAccountName", "default");
  if (!json_object_has_member (spec, "serviceAccount"))
    json_object_set_string_member (spec, "serviceAccount",
                                   ks_json_get_string (spec, "serviceAccountName"));
  if (!json_object_has_member (spec, "enableServiceLinks"))
    json_object_set_boolean_member (spec, "enableServiceLinks", TRUE);
  if (!json_object_has_member (spec, "priority"))
    json_object_set_int_member (spec, "priority", 0);
  if (!json_object_has_member (spec, "preemptionPolicy"))
    json_object_set_string_member (spec, "preemptionPolicy", "PreemptLowerPriority");
  status = json_object_new ();
  json_object_set_string_member (status, "phase", "Pending");
  json_object_set_string_member (status, "qosClass", "BestEffort");
  json_object_set_object_member (obj, "status", status);
}

static void
validate_containers (JsonArray  *causes,
                     JsonObject *spec,
                     const char *field,
                     const char *base,
                     gboolean    required)
{
  JsonArray  *containers = ks_json_get_array (spec, field);
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

  if ((containers == NULL || json_array_get_length (containers) == 0) && required)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s", base, field);
      ks_causes_add (causes, "FieldValueRequired", path, "Required value");
    }
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonObject      *c = json_array_get_object_element (containers, i);
      const char      *name = ks_json_get_string (c, "name");
      g_autofree char *path = g_strdup_printf ("%s.%s[%u]", base, field, i);
      g_autofree char *name_path = g_strconcat (path, ".name", NULL);
      g_autofree char *image_path = g_strconcat (path, ".image", NULL);
      if (name == NULL || *name == '\0')
        ks_causes_add (causes, "FieldValueRequired", name_path, "Required value");
      else
        {
          check_name (causes, name_path, name, "label");
          if (g_hash_table_contains (names, name))
            {
              g_autofree char *message = g_strdup_printf ("Duplicate value: \"%s\"", name);
              ks_causes_add (causes, "FieldValueDuplicate", name_path, message);
            }
          g_hash_table_add (names, (gpointer)name);
        }
      if (ks_json_get_string (c, "image") == NULL || *ks_json_get_string (c, "image") == '\0')
        ks_causes_add (causes, "FieldValueRequired", image_path, "Required value");
    }
  g_hash_table_unref (names);
}

static JsonObject *
validate_pod (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *spec = ks_json_get_object (obj, "spec");

  validate_containers (causes, spec, "containers", "spec", TRUE);
  validate_containers (causes, spec, "initContainers", "spec", FALSE);
  if (old != NULL)
    {
      /* Only image and a few fields may change in a pod's spec: approximate by
       * comparing container names. */
      JsonArray *a = ks_json_get_array (ks_json_get_object (old, "spec"), "containers");
      JsonArray *b = ks_json_get_array (spec, "containers");
      if (a != NULL && b != NULL && json_array_get_length (a) != json_array_get_length (b))
        ks_causes_add (causes, "FieldValueForbidden", "spec",
                       "Forbidden: pod updates may not change fields other than "
                       "`spec.containers[*].image`,`spec.initContainers[*].image`,"
                       "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                       "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to "
                       "be set to 1 if it was previously negative)");
    }
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

char *
ks_allocate_cluster_ip (KsSim *sim)
{
  guint32 ip = sim->next_service_ip++;

  return g_strdup_printf ("10.%u.%u.%u", (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

static gboolean
cluster_ip_in_use (KsSim *sim, KsResource *res, const char *ip, JsonObject *self)
{
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, res->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (ks_meta_uid (value), ks_meta_uid (self)) != 0
        && g_strcmp0 (ks_json_get_string (ks_json_get_object (value, "spec"), "clusterIP"), ip)
               == 0)
      return TRUE;
  return FALSE;
}

#define NODE_PORT_MIN 30000
#define NODE_PORT_MAX 32767

static gboolean
node_port_in_use (KsResource *res, gint64 port, JsonObject *self)
{
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, res->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonArray *ports = ks_json_get_array (ks_json_get_object (value, "spec"), "ports");
      if (g_strcmp0 (ks_meta_uid (value), ks_meta_uid (self)) == 0)
        continue;
      for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
        if (ks_json_get_int (json_array_get_object_element (ports, i), "nodePort", 0) == port)
          return TRUE;
    }
  return FALSE;
}

/* TRUE if 127.0.0.1:port can be bound now (as a listener binds it, with
 * SO_REUSEADDR): a node agent serving node ports there can listen. */
static gboolean
node_port_bindable (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  int                one = 1;
  int                fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean           ok;

  if (fd < 0)
    return TRUE; /* cannot tell */
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  ok = bind (fd, (struct sockaddr *)&addr, sizeof addr) == 0 || errno != EADDRINUSE;
  close (fd);
  return ok;
}

/* The next node port no other service has and that is free on
 * 127.0.0.1 (something else on the host may hold one), round robin over
 * 30000-32767; 0 when every one is taken. */
static gint64
allocate_node_port (KsSim *sim, KsResource *res, JsonObject *self, GHashTable *taken)
{
  for (guint n = 0; n <= NODE_PORT_MAX - NODE_PORT_MIN; n++)
    {
      guint port = sim->next_node_port;

      if (port < NODE_PORT_MIN || port > NODE_PORT_MAX)
        port = NODE_PORT_MIN;
      sim->next_node_port = port + 1;
      if (!g_hash_table_contains (taken, GUINT_TO_POINTER (port))
          && !node_port_in_use (res, port, self) && node_port_bindable ((guint16)port))
        return port;
    }
  return 0;
}

/* An update keeps the node port the service port had. */
static gint64
old_node_port (JsonObject *old, gint64 port)
{
  JsonArray *ports = ks_json_get_array (ks_json_get_object (old, "spec"), "ports");

  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = json_array_get_object_element (ports, i);
      if (p != NULL && ks_json_get_int (p, "port", 0) == port)
        return ks_json_get_int (p, "nodePort", 0);
    }
  return 0;
}

static void
default_service (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonArray  *ports = ks_json_get_array (spec, "ports");
  const char *type;
  g_autoptr (GHashTable) taken = g_hash_table_new (NULL, NULL); /* node ports of this service */

  if (!json_object_has_member (spec, "type"))
    json_object_set_string_member (spec, "type", "ClusterIP");
  type = ks_json_get_string (spec, "type");
  if (!json_object_has_member (spec, "sessionAffinity"))
    json_object_set_string_member (spec, "sessionAffinity", "None");
  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = json_array_get_object_element (ports, i);
      gint64      np = p ? ks_json_get_int (p, "nodePort", 0) : 0;
      if (np > 0)
        g_hash_table_add (taken, GUINT_TO_POINTER ((guint)np));
    }
  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = json_array_get_object_element (ports, i);
      if (p == NULL)
        continue;
      if (!json_object_has_member (p, "protocol"))
        json_object_set_string_member (p, "protocol", "TCP");
      if (!json_object_has_member (p, "targetPort") && json_object_has_member (p, "port"))
        json_object_set_int_member (p, "targetPort", ks_json_get_int (p, "port", 0));
      if (g_strcmp0 (type, "NodePort") == 0 || g_strcmp0 (type, "LoadBalancer") == 0)
        if (!json_object_has_member (p, "nodePort"))
          {
            gint64 np = old_node_port (old, ks_json_get_int (p, "port", 0));
            if (np <= 0 || g_hash_table_contains (taken, GUINT_TO_POINTER ((guint)np)))
              np = allocate_node_port (sim, res, obj, taken);
            if (np > 0)
              {
                json_object_set_int_member (p, "nodePort", np);
                g_hash_table_add (taken, GUINT_TO_POINTER ((guint)np));
              }
          }
    }
  if (g_strcmp0 (type, "ExternalName") != 0)
    {
      const char *ip = ks_json_get_string (spec, "clusterIP");
      const char *old_ip = ks_json_get_string (ks_json_get_object (old, "spec"), "clusterIP");
      if ((ip == NULL || *ip == '\0') && old_ip != NULL)
        json_object_set_string_member (spec, "clusterIP", old_ip);
      else if (ip == NULL || *ip == '\0')
        {
          g_autofree char *fresh = ks_allocate_cluster_ip (sim);
          json_object_set_string_member (spec, "clusterIP", fresh);
        }
      if (!json_object_has_member (spec, "clusterIPs"))
        {
          JsonArray *ips = json_array_new ();
          json_array_add_string_element (ips, ks_json_get_string (spec, "clusterIP"));
          json_object_set_array_member (spec, "clusterIPs", ips);
        }
      if (g_strcmp0 (ks_json_get_string (spec, "clusterIP"), "None") != 0)
        {
          if (!json_object_has_member (spec, "ipFamilies"))
            {
              JsonArray *families = json_array_new ();
              json_array_add_string_element (families, "IPv4");
              json_object_set_array_member (spec, "ipFamilies", families);
            }
          if (!json_object_has_member (spec, "ipFamilyPolicy"))
            json_object_set_string_member (spec, "ipFamilyPolicy", "SingleStack");
        }
      if (!json_object_has_member (spec, "internalTrafficPolicy"))
        json_object_set_string_member (spec, "internalTrafficPolicy", "Cluster");
    }
  if (g_strcmp0 (type, "NodePort") == 0 || g_strcmp0 (type, "LoadBalancer") == 0)
    if (!json_object_has_member (spec, "externalTrafficPolicy"))
      json_object_set_string_member (spec, "externalTrafficPolicy", "Cluster");
  if (!json_object_has_member (obj, "status"))
    {
      JsonObject *status = json_object_new ();
      json_object_set_object_member (status, "loadBalancer", json_object_new ());
      json_object_set_object_member (obj, "status", status);
    }
}

/* spec.ports[@i].nodePort as the API server checks it: only for NodePort
 * and LoadBalancer services, in the range, not another service's, not
 * twice in this one. */
static void
validate_node_port (KsResource *res,
                    JsonObject *obj,
                    const char *type,
                    JsonArray  *ports,
                    guint       i,
                    JsonArray  *causes)
{
  JsonObject      *p = json_array_get_object_element (ports, i);
  gint64           np = ks_json_get_int (p, "nodePort", 0);
  g_autofree char *path = g_strdup_printf ("spec.ports[%u].nodePort", i);
  g_autofree char *message = NULL;

  if (np == 0)
    return;
  if (g_strcmp0 (type, "NodePort") != 0 && g_strcmp0 (type, "LoadBalancer") != 0)
    {
      message = g_strdup_printf ("Forbidden: may not be used when `type` is '%s'",
                                 type ? type : "ClusterIP");
      ks_causes_add (causes, "FieldValueForbidden", path, message);
      return;
    }
  if (np < NODE_PORT_MIN || np > NODE_PORT_MAX)
    {
      message = g_strdup_printf ("Invalid value: %" G_GINT64_FORMAT ": provided port is not in the "
                                 "valid range. The range of valid ports is %d-%d",
                                 np, NODE_PORT_MIN, NODE_PORT_MAX);
      ks_causes_add (causes, "FieldValueInvalid", path, message);
      return;
    }
  for (guint j = 0; j < i; j++)
    if (ks_json_get_int (json_array_get_object_element (ports, j), "nodePort", 0) == np)
      {
        message = g_strdup_printf ("Duplicate value: %" G_GINT64_FORMAT, np);
        ks_causes_add (causes, "FieldValueDuplicate", path, message);
        return;
      }
  if (node_port_in_use (res, np, obj))
    {
      message = g_strdup_printf ("Invalid value: %" G_GINT64_FORMAT ": provided port is already "
                                 "allocated",
                                 np);
      ks_causes_add (causes, "FieldValueInvalid", path, message);
    }
}

static JsonObject *
validate_service (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *spec = ks_json_get_object (obj, "spec");
  JsonArray  *ports = ks_json_get_array (spec, "ports");
  const char *type = ks_json_get_string (spec, "type");
  const char *ip = ks_json_get_string (spec, "clusterIP");
  const char *old_ip = ks_json_get_string (ks_json_get_object (old, "spec"), "clusterIP");

  if (type != NULL && strcmp (type, "ClusterIP") != 0 && strcmp (type, "NodePort") != 0
      && strcmp (type, "LoadBalancer") != 0 && strcmp (type, "ExternalName") != 0)
    {
      g_autofree char *message = g_strdup_printf (
          "Unsupported value: \"%s\": supported values: \"ClusterIP\", \"ExternalName\", "
          "\"LoadBalancer\", \"NodePort\"",
          type);
      ks_causes_add (causes, "FieldValueNotSupported", "spec.type", message);
    }
  if (g_strcmp0 (type, "ExternalName") != 0 && g_strcmp0 (ip, "None") != 0
      && (ports == NULL || json_array_get_length (ports) == 0))
    ks_causes_add (causes, "FieldValueRequired", "spec.ports", "Required value");
  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject      *p = json_array_get_object_element (ports, i);
      gint64           port = ks_json_get_int (p, "port", 0);
      g_autofree char *path = g_strdup_printf ("spec.ports[%u].port", i);
      if (port < 1 || port > 65535)
        {
          g_autofree char *message = g_strdup_printf (
              "Invalid value: %" G_GINT64_FORMAT ": must be between 1 and 65535, inclusive", port);
          ks_causes_add (causes, "FieldValueInvalid", path, message);
        }
      if (json_array_get_length (ports) > 1 && ks_json_get_string (p, "name") == NULL)
        {
          g_autofree char *name_path = g_strdup_printf ("spec.ports[%u].name", i);
          ks_causes_add (causes, "FieldValueRequired", name_path, "Required value");
        }
      validate_node_port (res, obj, type, ports, i, causes);
    }
  if (old_ip != NULL && ip != NULL && strcmp (ip, old_ip) != 0)
    ks_causes_add (causes, "FieldValueInvalid", "spec.clusterIPs[0]",
                   "Invalid value: []string{...}: may not change once set");
  else if (old == NULL && ip != NULL && strcmp (ip, "None") != 0
           && cluster_ip_in_use (sim, res, ip, obj))
    {
      g_autofree char *message = g_strdup_printf (
          "Invalid value: []string{\"%s\"}: failed to allocate IP %s: provided IP is already "
          "allocated",
          ip, ip);
      ks_causes_add (causes, "FieldValueInvalid", "spec.clusterIPs", message);
    }
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

static void
default_workload (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonObject *template = ks_json_get_object (spec, "template");

  if (!json_object_has_member (spec, "replicas"))
    json_object_set_int_member (spec, "replicas", 1);
  if (strcmp (res->kind, "Deployment") == 0)
    {
      if (!json_object_has_member (spec, "revisionHistoryLimit"))
        json_object_set_int_member (spec, "revisionHistoryLimit", 10);
      if (!json_object_has_member (spec, "progressDeadlineSeconds"))
        json_object_set_int_member (spec, "progressDeadlineSeconds", 600);
      {
        JsonObject *strategy = ks_json_ensure_object (spec, "strategy");
        if (!json_object_has_member (strategy, "type"))
          json_object_set_string_member (strategy, "type", "RollingUpdate");
        if (g_strcmp0 (ks_json_get_string (strategy, "type"), "RollingUpdate") == 0)
          {
            JsonObject *rolling = ks_json_ensure_object (strategy, "rollingUpdate");
            if (!json_object_has_member (rolling, "maxUnavailable"))
              json_object_set_string_member (rolling, "maxUnavailable", "25%");
            if (!json_object_has_member (rolling, "maxSurge"))
              json_object_set_string_member (rolling, "maxSurge", "25%");
          }
      }
    }
  if (template != NULL)
    {
      JsonObject *tmeta = ks_json_ensure_object (template, "metadata");
      (void)tmeta;
      ks_default_pod_spec (ks_json_ensure_object (template, "spec"));
    }
  if (!json_object_has_member (obj, "status"))
    json_object_set_object_member (obj, "status", json_object_new ());
  if (strcmp (res->kind, "ReplicaSet") == 0
      && !json_object_has_member (ks_json_get_object (obj, "status"), "replicas"))
    json_object_set_int_member (ks_json_get_object (obj, "status"), "replicas", 0);
}

JsonObject *
ks_validate_workload (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *spec = ks_json_get_object (obj, "spec");
  JsonObject *selector = ks_json_get_object (spec, "selector");
  JsonObject *template = ks_json_get_object (spec, "template");
  JsonObject *labels = ks_json_get_object (ks_meta (template), "labels");
  gint64      replicas = ks_json_get_int (spec, "replicas", 1);

  if (selector == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.selector", "Required value");
  else
    {
      g_autoptr (KsSelector) sel = ks_label_selector_from_json (selector);
      if (json_object_get_size (selector) == 0
          || (ks_json_get_object (selector, "matchLabels") == NULL
              && ks_json_get_array (selector, "matchExpressions") == NULL))
        ks_causes_add (causes, "FieldValueInvalid", "spec.selector",
                       "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                       "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is "
                       "invalid for deployment");
      else if (sel == NULL || !ks_label_selector_matches (sel, labels))
        ks_causes_add (causes, "FieldValueInvalid", "spec.template.metadata.labels",
                       "Invalid value: map[string]string{...}: `selector` does not match "
                       "template `labels`");
      if (old != NULL
          && !ks_json_node_equal (
              json_object_get_member (ks_json_get_object (old, "spec"), "selector"),
              json_object_get_member (spec, "selector")))
        ks_causes_add (causes, "FieldValueInvalid", "spec.selector",
                       "Invalid value: v1.LabelSelector{...}: field is immutable");
    }
  if (replicas < 0)
    ks_causes_add (causes, "FieldValueInvalid", "spec.replicas",
                   "Invalid value: -1: must be greater than or equal to 0");
  if (template == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.template", "Required value");
  else
    validate_containers (causes, ks_json_get_object (template, "spec"), "containers",
                         "spec.template.spec", TRUE);
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

static void
default_secret (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *string_data = ks_json_get_object (obj, "stringData");

  if (!json_object_has_member (obj, "type"))
    json_object_set_string_member (obj, "type", "Opaque");
  if (string_data != NULL)
    {
      JsonObject    *data = ks_json_ensure_object (obj, "data");
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;
      json_object_iter_init (&iter, string_data);
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_string (value) != NULL)
          {
            const char      *s = json_node_get_string (value);
            g_autofree char *b64 = g_base64_encode ((const guchar *)s, strlen (s));
            json_object_set_string_member (data, key, b64);
          }
      json_object_remove_member (obj, "stringData");
    }
}

static JsonObject *
validate_data_keys (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *data = ks_json_get_object (obj, "data");
  gboolean    secret = strcmp (res->kind, "Secret") == 0;

  if (data != NULL)
    {
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;
      json_object_iter_init (&iter, data);
      while (json_object_iter_next (&iter, &key, &value))
        {
          g_autofree char *field = g_strdup_printf ("data[%s]", key);
          if (!full_match ("[-._a-zA-Z0-9]+", key))
            {
              g_autofree char *message = g_strdup_printf (
                  "Invalid value: \"%s\": a valid config key must consist of alphanumeric "
                  "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
                  "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                  key);
              ks_causes_add (causes, "FieldValueInvalid", field, message);
            }
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            ks_causes_add (causes, "FieldValueInvalid", field, "Invalid value: must be a string");
          else if (secret)
            {
              const char *s = json_node_get_string (value);
              if (!full_match ("[A-Za-z0-9+/]*={0,2}", s) || strlen (s) % 4 != 0)
                ks_causes_add (causes, "FieldValueInvalid", field,
                               "Invalid value: illegal base64 data");
            }
        }
    }
  if (secret)
    {
      const char              *type = ks_json_get_string (obj, "type");
      const char *const       *need = NULL;
      static const char *const tls[] = { "tls.crt", "tls.key", NULL };
      static const char *const docker[] = { ".dockerconfigjson", NULL };
      static const char *const dockercfg[] = { ".dockercfg", NULL };
      static const char *const ssh[] = { "ssh-privatekey", NULL };
      if (g_strcmp0 (type, "kubernetes.io/tls") == 0)
        need = tls;
      else if (g_strcmp0 (type, "kubernetes.io/dockerconfigjson") == 0)
        need = docker;
      else if (g_strcmp0 (type, "kubernetes.io/dockercfg") == 0)
        need = dockercfg;
      else if (g_strcmp0 (type, "kubernetes.io/ssh-auth") == 0)
        need = ssh;
      for (guint i = 0; need != NULL && need[i] != NULL; i++)
        if (data == NULL || !json_object_has_member (data, need[i]))
          {
            g_autofree char *field = g_strdup_printf ("data[%s]", need[i]);
            ks_causes_add (causes, "FieldValueRequired", field, "Required value");
          }
      if (g_strcmp0 (type, "kubernetes.io/basic-auth") == 0
          && (data == NULL
              || (!json_object_has_member (data, "username")
                  && !json_object_has_member (data, "password"))))
        ks_causes_add (causes, "FieldValueRequired", "data[username]", "Required value");
      if (old != NULL && g_strcmp0 (type, ks_json_get_string (old, "type")) != 0)
        ks_causes_add (causes, "FieldValueInvalid", "type", "Invalid value: field is immutable");
    }
  if (old != NULL && ks_json_get_bool (old, "immutable", FALSE)
      && !ks_json_node_equal (json_object_get_member (old, "data"),
                              json_object_get_member (obj, "data")))
    ks_causes_add (causes, "FieldValueForbidden", "data",
                   "Forbidden: field is immutable when `immutable` is set");
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

static void
default_namespace (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonObject *labels = ks_json_ensure_object (ks_json_ensure_object (obj, "metadata"), "labels");
  JsonObject *status = ks_json_ensure_object (obj, "status");

  json_object_set_string_member (labels, "kubernetes.io/metadata.name", ks_meta_name (obj));
  if (old == NULL)
    {
      JsonArray *finalizers = json_array_new ();
      json_array_add_string_element (finalizers, "kubernetes");
      json_object_set_array_member (spec, "finalizers", finalizers);
      json_object_set_string_member (status, "phase", "Active");
    }
}

static JsonObject *
validate_crd (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  g_autoptr (JsonArray) causes = json_array_new ();
  JsonObject *spec = ks_json_get_object (obj, "spec");
  JsonObject *names = ks_json_get_object (spec, "names");
  const char *group = ks_json_get_string (spec, "group");
  const char *plural = ks_json_get_string (names, "plural");
  const char *scope = ks_json_get_string (spec, "scope");
  JsonArray  *versions = ks_json_get_array (spec, "versions");

  if (group == NULL || strchr (group, '.') == NULL)
    ks_causes_add (causes, "FieldValueInvalid", "spec.group",
                   "Invalid value: should be a domain with at least one dot");
  if (plural == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.names.plural", "Required value");
  if (ks_json_get_string (names, "kind") == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.names.kind", "Required value");
  if (g_strcmp0 (scope, "Namespaced") != 0 && g_strcmp0 (scope, "Cluster") != 0)
    ks_causes_add (causes, "FieldValueNotSupported", "spec.scope",
                   "Unsupported value: supported values: \"Cluster\", \"Namespaced\"");
  if (versions == NULL || json_array_get_length (versions) == 0)
    ks_causes_add (causes, "FieldValueRequired", "spec.versions", "Required value");
  if (group != NULL && plural != NULL)
    {
      g_autofree char *expected = g_strconcat (plural, ".", group, NULL);
      if (g_strcmp0 (expected, ks_meta_name (obj)) != 0)
        {
          g_autofree char *message = g_strdup_printf (
              "Invalid value: \"%s\": must be spec.names.plural+\".\"+spec.group",
              ks_meta_name (obj));
          ks_causes_add (causes, "FieldValueInvalid", "metadata.name", message);
        }
    }
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

static char **
strv_new (const char *first, ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list       ap;
  char        **out;

  va_start (ap, first);
  for (const char *s = first; s != NULL; s = va_arg (ap, const char *))
    g_strv_builder_add (builder, s);
  va_end (ap);
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

void
ks_resources_init (KsSim *sim)
{
  KsResource *r;

  r = ks_resource_add (sim, "", "v1", "ConfigMap", "configmaps", TRUE, 0);
  r->short_names = strv_new ("cm", NULL);
  r->validate = validate_data_keys;
  r = ks_resource_add (sim, "", "v1", "Endpoints", "endpoints", TRUE, 0);
  r->short_names = strv_new ("ep", NULL);
  r = ks_resource_add (sim, "", "v1", "Event", "events", TRUE, 0);
  r->short_names = strv_new ("ev", NULL);
  r = ks_resource_add (sim, "", "v1", "Namespace", "namespaces", FALSE,
                       KS_RES_STATUS | KS_RES_DELETE_RETURNS_OBJ);
  r->short_names = strv_new ("ns", NULL);
  r->defaults = default_namespace;
  r = ks_resource_add (sim, "", "v1", "Node", "nodes", FALSE, KS_RES_STATUS);
  r->short_names = strv_new ("no", NULL);
  r = ks_resource_add (sim, "", "v1", "Pod", "pods", TRUE,
                       KS_RES_STATUS | KS_RES_DELETE_RETURNS_OBJ);
  r->short_names = strv_new ("po", NULL);
  r->categories = strv_new ("all", NULL);
  r->defaults = default_pod;
  r->validate = validate_pod;
  r = ks_resource_add (sim, "", "v1", "Secret", "secrets", TRUE, 0);
  r->defaults = default_secret;
  r->validate = validate_data_keys;
  r = ks_resource_add (sim, "", "v1", "ServiceAccount", "serviceaccounts", TRUE, 0);
  r->short_names = strv_new ("sa", NULL);
  r = ks_resource_add (sim, "", "v1", "Service", "services", TRUE,
                       KS_RES_STATUS | KS_RES_DELETE_RETURNS_OBJ);
  r->short_names = strv_new ("svc", NULL);
  r->categories = strv_new ("all", NULL);
  r->defaults = default_service;
  r->validate = validate_service;

  r = ks_resource_add (sim, "apps", "v1", "Deployment", "deployments", TRUE,
                       KS_RES_STATUS | KS_RES_SCALE | KS_RES_GENERATION);
  r->short_names = strv_new ("deploy", NULL);
  r->categories = strv_new ("all", NULL);
  r->defaults = default_workload;
  r->validate = ks_validate_workload;
  r = ks_resource_add (sim, "apps", "v1", "ReplicaSet", "replicasets", TRUE,
                       KS_RES_STATUS | KS_RES_SCALE | KS_RES_GENERATION);
  r->short_names = strv_new ("rs", NULL);
  r->categories = strv_new ("all", NULL);
  r->defaults = default_workload;
  r->validate = ks_validate_workload;

  r = ks_resource_add (sim, "apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                       "customresourcedefinitions", FALSE,
                       KS_RES_STATUS | KS_RES_GENERATION | KS_RES_DELETE_RETURNS_OBJ);
  r->short_names = strv_new ("crd", "crds", NULL);
  /* Stored and served, without controllers: what manifests carry beside the
   * workloads (RBAC, ingresses, jobs, claims, leases, …). */
  {
    static const struct
    {
      const char *group, *kind, *plural, *short_name;
      gboolean    namespaced;
      guint       flags;
    } plain[] = {
      { "", "PersistentVolumeClaim", "persistentvolumeclaims", "pvc", TRUE, KS_RES_STATUS },
      { "", "PersistentVolume", "persistentvolumes", "pv", FALSE, KS_RES_STATUS },
      { "", "ResourceQuota", "resourcequotas", "quota", TRUE, KS_RES_STATUS },
      { "", "LimitRange", "limitranges", "limits", TRUE, 0 },
      { "", "PodTemplate", "podtemplates", NULL, TRUE, 0 },
      { "apps", "StatefulSet", "statefulsets", "sts", TRUE,
        KS_RES_STATUS | KS_RES_SCALE | KS_RES_GENERATION },
      { "apps", "DaemonSet", "daemonsets", "ds", TRUE, KS_RES_STATUS | KS_RES_GENERATION },
      { "batch", "Job", "jobs", NULL, TRUE, KS_RES_STATUS | KS_RES_GENERATION },
      { "batch", "CronJob", "cronjobs", "cj", TRUE, KS_RES_STATUS | KS_RES_GENERATION },
      { "networking.k8s.io", "Ingress", "ingresses", "ing", TRUE,
        KS_RES_STATUS | KS_RES_GENERATION },
      { "networking.k8s.io", "IngressClass", "ingressclasses", NULL, FALSE, 0 },
      { "networking.k8s.io", "NetworkPolicy", "networkpolicies", "netpol", TRUE,
        KS_RES_GENERATION },
      { "policy", "PodDisruptionBudget", "poddisruptionbudgets", "pdb", TRUE,
        KS_RES_STATUS | KS_RES_GENERATION },
      { "rbac.authorization.k8s.io", "Role", "roles", NULL, TRUE, 0 },
      { "rbac.authorization.k8s.io", "RoleBinding", "rolebindings", NULL, TRUE, 0 },
      { "rbac.authorization.k8s.io", "ClusterRole", "clusterroles", NULL, FALSE, 0 },
      { "rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", NULL, FALSE, 0 },
      { "coordination.k8s.io", "Lease", "leases", NULL, TRUE, 0 },
      { "events.k8s.io", "Event", "events", NULL, TRUE, 0 },
      { "discovery.k8s.io", "EndpointSlice", "endpointslices", NULL, TRUE, 0 },
      { "storage.k8s.io", "StorageClass", "storageclasses", "sc", FALSE, 0 },
      { "scheduling.k8s.io", "PriorityClass", "priorityclasses", "pc", FALSE, 0 },
      { "admissionregistration.k8s.io", "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations", NULL, FALSE, 0 },
      { "admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations", NULL, FALSE, 0 },
    };
    for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
      {
        r = ks_resource_add (sim, plain[i].group, "v1", plain[i].kind, plain[i].plural,
                             plain[i].namespaced, plain[i].flags);
        if (plain[i].short_name != NULL)
          r->short_names = strv_new (plain[i].short_name, NULL);
        if (strcmp (plain[i].group, "apps") == 0 || strcmp (plain[i].group, "batch") == 0)
          r->categories = strv_new ("all", NULL);
      }
  }
  ks_resource_add (sim, "authorization.k8s.io", "v1", "SelfSubjectAccessReview",
                   "selfsubjectaccessreviews", FALSE, KS_RES_REVIEW);
  ks_resource_add (sim, "authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                   FALSE, KS_RES_REVIEW);
  ks_resource_add (sim, "authentication.k8s.io", "v1beta1", "SelfSubjectReview",
                   "selfsubjectreviews", FALSE, KS_RES_REVIEW);
  r->categories = strv_new ("api-extensions", NULL);
  r->validate = validate_crd;
}
