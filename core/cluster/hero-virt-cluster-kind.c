/* hero-virt-cluster-kind.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtClusterKind:
 *
 * A kind of cluster resource and where its objects live in the API:
 * group, version, kind, plural (the path segment) and whether objects
 * belong to a namespace. Every [iface@HeroVirt.ClusterProvider] operation
 * on resources takes one, so custom resources such as Traefik's
 * IngressRoute work exactly like built-in ones:
 *
 * ```python
 * route = HeroVirt.ClusterKind.new("traefik.io", "v1alpha1", "IngressRoute",
 *                                  "ingressroutes", True)
 * pods = HeroVirt.ClusterKind.lookup("v1", "Pod")
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtClusterKind
{
  GObject parent_instance;

  char    *group;
  char    *version;
  char    *kind;
  char    *plural;
  gboolean namespaced;
};

enum
{
  PROP_0,
  PROP_GROUP,
  PROP_VERSION,
  PROP_KIND,
  PROP_PLURAL,
  PROP_NAMESPACED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtClusterKind, hero_virt_cluster_kind, G_TYPE_OBJECT)

/* Kinds users reach for most, so they need no discovery round trip. */
static const struct
{
  const char *group;
  const char *version;
  const char *kind;
  const char *plural;
  gboolean    namespaced;
} well_known[] = {
  { "", "v1", "Pod", "pods", TRUE },
  { "", "v1", "Service", "services", TRUE },
  { "", "v1", "ConfigMap", "configmaps", TRUE },
  { "", "v1", "Secret", "secrets", TRUE },
  { "", "v1", "Namespace", "namespaces", FALSE },
  { "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", TRUE },
  { "", "v1", "PersistentVolume", "persistentvolumes", FALSE },
  { "", "v1", "ServiceAccount", "serviceaccounts", TRUE },
  { "", "v1", "Node", "nodes", FALSE },
  { "", "v1", "Event", "events", TRUE },
  { "apps", "v1", "Deployment", "deployments", TRUE },
  { "apps", "v1", "StatefulSet", "statefulsets", TRUE },
  { "apps", "v1", "DaemonSet", "daemonsets", TRUE },
  { "apps", "v1", "ReplicaSet", "replicasets", TRUE },
  { "batch", "v1", "Job", "jobs", TRUE },
  { "batch", "v1", "CronJob", "cronjobs", TRUE },
  { "networking.k8s.io", "v1", "Ingress", "ingresses", TRUE },
  { "rbac.authorization.k8s.io", "v1", "Role", "roles", TRUE },
  { "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", TRUE },
  { "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", FALSE },
  { "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", FALSE },
  { "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", FALSE },
  { "traefik.io", "v1alpha1", "IngressRoute", "ingressroutes", TRUE },
  { "traefik.io", "v1alpha1", "IngressRouteTCP", "ingressroutetcps", TRUE },
  { "traefik.io", "v1alpha1", "Middleware", "middlewares", TRUE },
  { "traefik.io", "v1alpha1", "TraefikService", "traefikservices", TRUE },
  { "traefik.io", "v1alpha1", "TLSOption", "tlsoptions", TRUE },
  { "traefik.io", "v1alpha1", "ServersTransport", "serverstransports", TRUE },
};

static void
hero_virt_cluster_kind_finalize (GObject *object)
{
  HeroVirtClusterKind *self = HERO_VIRT_CLUSTER_KIND (object);

  g_free (self->group);
  g_free (self->version);
  g_free (self->kind);
  g_free (self->plural);

  G_OBJECT_CLASS (hero_virt_cluster_kind_parent_class)->finalize (object);
}

static void
hero_virt_cluster_kind_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtClusterKind *self = HERO_VIRT_CLUSTER_KIND (object);

  switch (prop_id)
    {
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_PLURAL:
      g_value_set_string (value, self->plural);
      break;
    case PROP_NAMESPACED:
      g_value_set_boolean (value, self->namespaced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_cluster_kind_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtClusterKind *self = HERO_VIRT_CLUSTER_KIND (object);

  switch (prop_id)
    {
    case PROP_GROUP:
      self->group = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_VERSION:
      self->version = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_PLURAL:
      self->plural = g_value_dup_string (value);
      break;
    case PROP_NAMESPACED:
      self->namespaced = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_cluster_kind_class_init (HeroVirtClusterKindClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hero_virt_cluster_kind_finalize;
  object_class->get_property = hero_virt_cluster_kind_get_property;
  object_class->set_property = hero_virt_cluster_kind_set_property;

  /**
   * HeroVirtClusterKind:group:
   *
   * The API group, such as `apps` or `traefik.io`; the empty string for
   * the core group (pods, services, …).
   *
   * Since: 0.1
   */
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, "", flags);
  /**
   * HeroVirtClusterKind:version:
   *
   * The API version within the group, such as `v1` or `v1alpha1`.
   *
   * Since: 0.1
   */
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterKind:kind:
   *
   * The kind as written in a manifest's `kind`, such as `Deployment`.
   *
   * Since: 0.1
   */
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterKind:plural:
   *
   * The resource name used in API paths, such as `deployments`.
   *
   * Since: 0.1
   */
  properties[PROP_PLURAL] = g_param_spec_string ("plural", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterKind:namespaced:
   *
   * Whether objects of this kind belong to a namespace.
   *
   * Since: 0.1
   */
  properties[PROP_NAMESPACED] = g_param_spec_boolean ("namespaced", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_cluster_kind_init (HeroVirtClusterKind *self)
{
}

/**
 * hero_virt_cluster_kind_new:
 * @group: (nullable): the API group, or %NULL or "" for the core group
 * @version: the API version, such as `v1`
 * @kind: the kind, such as `IngressRoute`
 * @plural: the resource name in paths, such as `ingressroutes`
 * @namespaced: whether objects belong to a namespace
 *
 * Describes a kind, typically a custom resource the cluster's discovery
 * documents.
 *
 * Returns: (transfer full): a new #HeroVirtClusterKind
 *
 * Since: 0.1
 */
HeroVirtClusterKind *
hero_virt_cluster_kind_new (const char *group,
                            const char *version,
                            const char *kind,
                            const char *plural,
                            gboolean    namespaced)
{
  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (plural != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_CLUSTER_KIND, "group", group, "version", version, "kind",
                       kind, "plural", plural, "namespaced", namespaced, NULL);
}

static gboolean
api_version_matches (const char *api_version, const char *group, const char *version)
{
  size_t group_len = strlen (group);

  if (*group == '\0')
    return strcmp (api_version, version) == 0;
  return strncmp (api_version, group, group_len) == 0 && api_version[group_len] == '/'
         && strcmp (api_version + group_len + 1, version) == 0;
}

/**
 * hero_virt_cluster_kind_lookup:
 * @api_version: (nullable): the `apiVersion`, such as `v1`, `apps/v1` or
 *   `traefik.io/v1alpha1`, or %NULL to match any
 * @kind: the kind (`Deployment`) or its plural (`deployments`)
 *
 * Finds one of the kinds HeroVirt knows without asking a cluster: the
 * core ones (Pod, Service, ConfigMap, Secret, Namespace, …), apps/v1,
 * batch/v1, networking, RBAC, CustomResourceDefinition and Traefik's
 * `traefik.io/v1alpha1` CRDs (IngressRoute, Middleware, …). For other
 * kinds ask the cluster with
 * [method@HeroVirt.ClusterProvider.resolve_kind].
 *
 * Returns: (transfer full) (nullable): the kind, or %NULL if unknown
 *
 * Since: 0.1
 */
HeroVirtClusterKind *
hero_virt_cluster_kind_lookup (const char *api_version, const char *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (well_known); i++)
    {
      if (strcmp (well_known[i].kind, kind) != 0 && strcmp (well_known[i].plural, kind) != 0)
        continue;
      if (api_version != NULL
          && !api_version_matches (api_version, well_known[i].group, well_known[i].version))
        continue;
      return hero_virt_cluster_kind_new (well_known[i].group, well_known[i].version,
                                         well_known[i].kind, well_known[i].plural,
                                         well_known[i].namespaced);
    }
  return NULL;
}

/**
 * hero_virt_cluster_kind_new_for_resource:
 * @resource: a resource (manifest) with `apiVersion` and `kind`
 * @error: return location for a #GError
 *
 * Finds the kind of a manifest with [func@HeroVirt.ClusterKind.lookup].
 *
 * Returns: (transfer full): the kind, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT if the manifest lacks `apiVersion`
 *   or `kind`, or %HERO_VIRT_ERROR_NOT_FOUND if the kind is not a
 *   well-known one (then use [method@HeroVirt.ClusterProvider.resolve_kind])
 *
 * Since: 0.1
 */
HeroVirtClusterKind *
hero_virt_cluster_kind_new_for_resource (JsonNode *resource, GError **error)
{
  JsonObject          *object;
  const char          *api_version;
  const char          *kind;
  HeroVirtClusterKind *self;

  g_return_val_if_fail (resource != NULL, NULL);

  object = JSON_NODE_HOLDS_OBJECT (resource) ? json_node_get_object (resource) : NULL;
  api_version
      = object ? json_object_get_string_member_with_default (object, "apiVersion", NULL) : NULL;
  kind = object ? json_object_get_string_member_with_default (object, "kind", NULL) : NULL;
  if (api_version == NULL || kind == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "A resource needs string “apiVersion” and “kind” members");
      return NULL;
    }
  self = hero_virt_cluster_kind_lookup (api_version, kind);
  if (self == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                 "Unknown resource kind %s %s; ask the cluster to resolve it", api_version, kind);
  return self;
}

/**
 * hero_virt_cluster_kind_get_group:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: the value of [property@HeroVirt.ClusterKind:group]
 *
 * Since: 0.1
 */
const char *
hero_virt_cluster_kind_get_group (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);
  return self->group;
}

/**
 * hero_virt_cluster_kind_get_version:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: the value of [property@HeroVirt.ClusterKind:version]
 *
 * Since: 0.1
 */
const char *
hero_virt_cluster_kind_get_version (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);
  return self->version;
}

/**
 * hero_virt_cluster_kind_get_kind:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: the value of [property@HeroVirt.ClusterKind:kind]
 *
 * Since: 0.1
 */
const char *
hero_virt_cluster_kind_get_kind (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);
  return self->kind;
}

/**
 * hero_virt_cluster_kind_get_plural:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: the value of [property@HeroVirt.ClusterKind:plural]
 *
 * Since: 0.1
 */
const char *
hero_virt_cluster_kind_get_plural (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);
  return self->plural;
}

/**
 * hero_virt_cluster_kind_get_namespaced:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: the value of [property@HeroVirt.ClusterKind:namespaced]
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_kind_get_namespaced (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), FALSE);
  return self->namespaced;
}

/**
 * hero_virt_cluster_kind_get_api_version:
 * @self: a #HeroVirtClusterKind
 *
 * Returns: (transfer full): the `apiVersion` of this kind's objects:
 *   `v1` for the core group, else `group/version`
 *
 * Since: 0.1
 */
char *
hero_virt_cluster_kind_get_api_version (HeroVirtClusterKind *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);

  if (*self->group == '\0')
    return g_strdup (self->version);
  return g_strdup_printf ("%s/%s", self->group, self->version);
}

/**
 * hero_virt_cluster_kind_validate_name:
 * @self: a #HeroVirtClusterKind
 * @name: an object name
 * @error: return location for a #GError
 *
 * Checks @name by the rule the API server applies to this kind: a
 * DNS-1123 label for namespaces, a DNS-1035 label for services, a
 * DNS-1123 subdomain otherwise (see [func@HeroVirt.kube_validate_dns1123_subdomain]).
 *
 * Returns: %TRUE if @name is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_kind_validate_name (HeroVirtClusterKind *self, const char *name, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (*self->group == '\0' && strcmp (self->kind, "Namespace") == 0)
    return hero_virt_kube_validate_dns1123_label (name, error);
  if (*self->group == '\0' && strcmp (self->kind, "Service") == 0)
    return hero_virt_kube_validate_dns1035_label (name, error);
  return hero_virt_kube_validate_dns1123_subdomain (name, error);
}

/* Group, version and plural come from callers or discovery: lower-case
 * DNS characters only, so they cannot add path segments or queries. */
static gboolean
is_path_segment (const char *segment)
{
  size_t len = strlen (segment);

  return len > 0 && len <= 253 && segment[0] != '.' && segment[0] != '-'
         && strspn (segment, "abcdefghijklmnopqrstuvwxyz0123456789-.") == len
         && strstr (segment, "..") == NULL;
}

/**
 * hero_virt_cluster_kind_get_path:
 * @self: a #HeroVirtClusterKind
 * @namespace: (nullable): the namespace; %NULL for cluster-scoped kinds,
 *   or for a collection across all namespaces
 * @name: (nullable): an object's name, or %NULL for the collection
 * @error: return location for a #GError
 *
 * Builds the REST path of a collection or object, such as
 * `/apis/apps/v1/namespaces/web/deployments/front`, after validating
 * @namespace and @name, so nothing unchecked reaches a URL.
 *
 * Returns: (transfer full): the path, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT (a bad name, or a namespace given
 *   for a cluster-scoped kind)
 *
 * Since: 0.1
 */
char *
hero_virt_cluster_kind_get_path (HeroVirtClusterKind *self,
                                 const char *namespace,
                                 const char *name,
                                 GError    **error)
{
  GString *path;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_KIND (self), NULL);

  if (!is_path_segment (self->version) || !is_path_segment (self->plural)
      || (*self->group != '\0' && !is_path_segment (self->group)))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid API group, version or plural for kind %s", self->kind);
      return NULL;
    }
  if (namespace != NULL && !self->namespaced)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "%s is not namespaced, but namespace “%s” was given", self->kind, namespace);
      return NULL;
    }
  if (namespace != NULL && !hero_virt_kube_validate_dns1123_label (namespace, error))
    return NULL;
  if (name != NULL && !hero_virt_cluster_kind_validate_name (self, name, error))
    return NULL;

  path = g_string_new (NULL);
  if (*self->group == '\0')
    g_string_append_printf (path, "/api/%s", self->version);
  else
    g_string_append_printf (path, "/apis/%s/%s", self->group, self->version);
  if (namespace != NULL)
    g_string_append_printf (path, "/namespaces/%s", namespace);
  g_string_append_printf (path, "/%s", self->plural);
  if (name != NULL)
    g_string_append_printf (path, "/%s", name);
  return g_string_free (path, FALSE);
}
