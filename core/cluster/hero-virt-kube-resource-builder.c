/* hero-virt-kube-resource-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtKubeResourceBuilder:
 *
 * The base of the fluent Kubernetes resource builders
 * ([class@HeroVirt.PodBuilder], [class@HeroVirt.DeploymentBuilder],
 * [class@HeroVirt.ServiceBuilder], [class@HeroVirt.ConfigMapBuilder],
 * [class@HeroVirt.SecretBuilder], [class@HeroVirt.NamespaceBuilder] and
 * Traefik's [class@HeroVirt.IngressRouteBuilder],
 * [class@HeroVirt.MiddlewareBuilder] and [class@HeroVirt.TlsOptionBuilder]):
 * the object's name, labels and annotations, the manager it is applied
 * through, and the three ways to use what was described:
 *
 * - [method@HeroVirt.KubeResourceBuilder.build] gives the object as a
 *   #JsonNode (what [method@HeroVirt.KubernetesManager.apply] and
 *   `create` take);
 * - [method@HeroVirt.KubeResourceBuilder.to_json] gives it as a JSON
 *   string, for Python's `json.loads()` or a file for `kubectl apply -f`;
 * - [method@HeroVirt.KubeResourceBuilder.apply] creates the object or
 *   updates it to match (server-side apply, field manager `hero-virt`,
 *   taking over the fields it sets), in the manager's namespace.
 *
 * Setters return the builder (transfer none), so calls chain from C,
 * Python, GJS and Vala. They never fail: the first bad input is kept with
 * the field it was for, and `build()`, `validate()` and `apply()` report
 * it as %HERO_VIRT_ERROR_INVALID_ARGUMENT (`Deployment “web”:
 * spec.replicas: …`) before any request is made. Names are checked as the
 * API server checks them (DNS-1123 subdomains, DNS-1035 labels for
 * services, DNS-1123 labels for namespaces).
 *
 * ```python
 * km = HeroVirt.KubernetesManager.new("apps")
 * web = (HeroVirt.DeploymentBuilder.new(km, "web")
 *        .image("nginx:1.27").port(80).replicas(2)
 *        .label("tier", "front"))
 * print(json.loads(web.to_json(False))["spec"]["replicas"])
 * web.apply(None)
 * ```
 *
 * Since: 0.1
 */

typedef struct
{
  HeroVirtKubernetesManager *manager;
  HeroVirtClusterKind       *kind;
  char                      *name;
  JsonObject                *labels;
  JsonObject                *annotations;
  GError                    *error; /* the first bad input */
} HeroVirtKubeResourceBuilderPrivate;

enum
{
  PROP_0,
  PROP_MANAGER,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HeroVirtKubeResourceBuilder,
                                     hero_virt_kube_resource_builder,
                                     G_TYPE_OBJECT)

#define PRIV(self)                                                                                 \
  ((HeroVirtKubeResourceBuilderPrivate *)hero_virt_kube_resource_builder_get_instance_private (    \
      HERO_VIRT_KUBE_RESOURCE_BUILDER (self)))

static void
hero_virt_kube_resource_builder_finalize (GObject *object)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (object);

  g_clear_object (&priv->manager);
  g_clear_object (&priv->kind);
  g_free (priv->name);
  g_clear_pointer (&priv->labels, json_object_unref);
  g_clear_pointer (&priv->annotations, json_object_unref);
  g_clear_error (&priv->error);
  G_OBJECT_CLASS (hero_virt_kube_resource_builder_parent_class)->finalize (object);
}

static void
hero_virt_kube_resource_builder_get_property (GObject    *object,
                                              guint       prop_id,
                                              GValue     *value,
                                              GParamSpec *pspec)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, priv->manager);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_kube_resource_builder_set_property (GObject      *object,
                                              guint         prop_id,
                                              const GValue *value,
                                              GParamSpec   *pspec)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      priv->manager = g_value_dup_object (value);
      break;
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_kube_resource_builder_class_init (HeroVirtKubeResourceBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_kube_resource_builder_finalize;
  object_class->get_property = hero_virt_kube_resource_builder_get_property;
  object_class->set_property = hero_virt_kube_resource_builder_set_property;

  /**
   * HeroVirtKubeResourceBuilder:manager:
   *
   * The manager that `apply()` goes through; its namespace is the
   * object's. Without one, the builder can still build.
   *
   * Since: 0.1
   */
  properties[PROP_MANAGER]
      = g_param_spec_object ("manager", NULL, NULL, HERO_VIRT_TYPE_KUBERNETES_MANAGER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtKubeResourceBuilder:name:
   *
   * The object's `metadata.name`.
   *
   * Since: 0.1
   */
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_kube_resource_builder_init (HeroVirtKubeResourceBuilder *self)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  priv->labels = json_object_new ();
  priv->annotations = json_object_new ();
}

void
_hero_virt_kube_resource_builder_set_kind (HeroVirtKubeResourceBuilder *self,
                                           const char                  *api_version,
                                           const char                  *kind)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  g_clear_object (&priv->kind);
  priv->kind = hero_virt_cluster_kind_lookup (api_version, kind);
  g_assert (priv->kind != NULL);
}

void
_hero_virt_kube_builder_invalid (gpointer    self,
                                 const char *field,
                                 const char *value,
                                 const char *why)
{
  GError *error = NULL;

  hero_virt_set_invalid_argument (&error, field, value, why);
  /* the field is already in the message */
  if (PRIV (self)->error == NULL)
    PRIV (self)->error = error;
  else
    g_error_free (error);
}

gboolean
_hero_virt_kube_builder_take (gpointer self, const char *field, GError *error)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  if (error == NULL)
    return TRUE;
  if (priv->error == NULL)
    {
      if (field != NULL)
        g_prefix_error (&error, "%s: ", field);
      priv->error = error;
    }
  else
    g_error_free (error);
  return FALSE;
}

HeroVirtClusterProvider *
_hero_virt_kube_resource_builder_lookup_provider (HeroVirtKubeResourceBuilder *self,
                                                  GCancellable                *cancellable,
                                                  GError                     **error)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  if (priv->manager == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "%s “%s”: the builder has no manager to apply it through",
                   hero_virt_cluster_kind_get_kind (priv->kind), priv->name ? priv->name : "");
      return NULL;
    }
  return g_object_ref (hero_virt_kubernetes_manager_get_provider (priv->manager));
}

static gboolean
check_name (HeroVirtKubeResourceBuilderPrivate *priv, GError **error)
{
  if (priv->name == NULL || *priv->name == '\0')
    return hero_virt_set_invalid_argument (error, "metadata.name", priv->name,
                                           "a name is required");
  if (!hero_virt_cluster_kind_validate_name (priv->kind, priv->name, error))
    {
      g_prefix_error (error, "metadata.name: ");
      return FALSE;
    }
  return TRUE;
}

gboolean
_hero_virt_kube_resource_builder_check_name (HeroVirtKubeResourceBuilder *self, GError **error)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  if (!check_name (priv, error))
    {
      g_prefix_error (error, "%s “%s”: ", hero_virt_cluster_kind_get_kind (priv->kind),
                      priv->name ? priv->name : "");
      return FALSE;
    }
  return TRUE;
}

HeroVirtClusterKind *
_hero_virt_kube_resource_builder_dup_kind (HeroVirtKubeResourceBuilder *self)
{
  return g_object_ref (PRIV (self)->kind);
}

const char *
_hero_virt_kube_resource_builder_ns (HeroVirtKubeResourceBuilder *self)
{
  HeroVirtKubeResourceBuilderPrivate *priv = PRIV (self);

  if (priv->manager == NULL || !hero_virt_cluster_kind_get_namespaced (priv->kind))
    return NULL;
  return hero_virt_kubernetes_manager_get_namespace (priv->manager);
}

JsonObject *
_hero_virt_kube_resource_builder_get_labels (HeroVirtKubeResourceBuilder *self)
{
  return PRIV (self)->labels;
}

/* ---- JSON helpers ------------------------------------------------------- */

JsonObject *
_hero_virt_json_object_member (JsonObject *parent, const char *member)
{
  JsonNode *node = json_object_get_member (parent, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_set_object_member (parent, member, json_object_new ());
      node = json_object_get_member (parent, member);
    }
  return json_node_get_object (node);
}

JsonArray *
_hero_virt_json_array_member (JsonObject *parent, const char *member)
{
  JsonNode *node = json_object_get_member (parent, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (parent, member, json_array_new ());
      node = json_object_get_member (parent, member);
    }
  return json_node_get_array (node);
}

JsonArray *
_hero_virt_json_strv_array (const char *const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

JsonObject *
_hero_virt_json_object_copy (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonNode) copy = NULL;

  json_node_set_object (node, object);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

/* ---- validators --------------------------------------------------------- */

gboolean
_hero_virt_kube_check_port (const char *field, gint64 port, GError **error)
{
  if (port < 1 || port > 65535)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, port);

      return hero_virt_set_invalid_argument (error, field, shown, "a port is 1 to 65535");
    }
  return TRUE;
}

gboolean
_hero_virt_kube_check_quantity (const char *field, const char *value, GError **error)
{
  /* resource.Quantity: a decimal number with an optional binary (Ki…Ei),
   * decimal (m, k, M…E) or exponent suffix */
  static gsize   once;
  static GRegex *re;

  if (g_once_init_enter (&once))
    {
      re = g_regex_new ("^[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$"
                        "|^\\.[0-9]+([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$",
                        G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }
  if (value == NULL || strlen (value) > 64 || !g_regex_match (re, value, 0, NULL))
    return hero_virt_set_invalid_argument (error, field, value,
                                           "use a quantity such as 500m, 1, 128Mi or 1G");
  return TRUE;
}

gboolean
_hero_virt_kube_check_name (const char *field,
                            const char *name,
                            gboolean (*validator) (const char *, GError **),
                            GError **error)
{
  if (name == NULL || *name == '\0')
    return hero_virt_set_invalid_argument (error, field, name, "a name is required");
  if (!validator (name, error))
    {
      g_prefix_error (error, "%s: ", field);
      return FALSE;
    }
  return TRUE;
}

gboolean
_hero_virt_kube_check_absolute_path (const char *field, const char *path, GError **error)
{
  if (path == NULL || path[0] != '/')
    return hero_virt_set_invalid_argument (error, field, path, "an absolute path is required");
  return hero_virt_validate_text (field, path, error);
}

gboolean
_hero_virt_kube_check_key (const char *field, const char *key, GError **error)
{
  /* ConfigMap and Secret keys, file names of projected volumes */
  if (key == NULL || *key == '\0' || strlen (key) > 253
      || strspn (key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
             != strlen (key)
      || g_str_equal (key, ".") || g_str_equal (key, ".."))
    return hero_virt_set_invalid_argument (
        error, field, key, "a key is 1 to 253 characters of letters, digits, '-', '_' and '.'");
  return TRUE;
}

/* ---- public API --------------------------------------------------------- */

/**
 * hero_virt_kube_resource_builder_get_name:
 * @self: a #HeroVirtKubeResourceBuilder
 *
 * Returns: (nullable): the object's name
 *
 * Since: 0.1
 */
const char *
hero_virt_kube_resource_builder_get_name (HeroVirtKubeResourceBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);
  return PRIV (self)->name;
}

/**
 * hero_virt_kube_resource_builder_get_manager:
 * @self: a #HeroVirtKubeResourceBuilder
 *
 * Returns: (transfer none) (nullable): the manager `apply()` goes through
 *
 * Since: 0.1
 */
HeroVirtKubernetesManager *
hero_virt_kube_resource_builder_get_manager (HeroVirtKubeResourceBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);
  return PRIV (self)->manager;
}

/**
 * hero_virt_kube_resource_builder_get_kind:
 * @self: a #HeroVirtKubeResourceBuilder
 *
 * Returns: (transfer none): the kind it builds, for the manager's
 *   generic methods
 *
 * Since: 0.1
 */
HeroVirtClusterKind *
hero_virt_kube_resource_builder_get_kind (HeroVirtKubeResourceBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);
  return PRIV (self)->kind;
}

/**
 * hero_virt_kube_resource_builder_label:
 * @self: a #HeroVirtKubeResourceBuilder
 * @key: the label's key, such as `app` or `example.com/tier`
 * @value: its value (63 characters at most, may be empty)
 *
 * Sets a label in `metadata.labels`. Pod and deployment builders also
 * put their labels on the pods.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeResourceBuilder *
hero_virt_kube_resource_builder_label (HeroVirtKubeResourceBuilder *self,
                                       const char                  *key,
                                       const char                  *value)
{
  GError *error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);

  if (value == NULL)
    value = "";
  if ((key == NULL && !hero_virt_set_invalid_argument (&error, "label key", key, "it is missing"))
      || !hero_virt_kube_validate_label_key (key, &error)
      || !hero_virt_kube_validate_label_value (value, &error))
    _hero_virt_kube_builder_take (self, "metadata.labels", error);
  else
    json_object_set_string_member (PRIV (self)->labels, key, value);
  return self;
}

/**
 * hero_virt_kube_resource_builder_annotation:
 * @self: a #HeroVirtKubeResourceBuilder
 * @key: the annotation's key (a qualified name, like a label's)
 * @value: its value: any text
 *
 * Sets an annotation in `metadata.annotations`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeResourceBuilder *
hero_virt_kube_resource_builder_annotation (HeroVirtKubeResourceBuilder *self,
                                            const char                  *key,
                                            const char                  *value)
{
  GError *error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);

  if (value == NULL)
    value = "";
  if ((key == NULL
       && !hero_virt_set_invalid_argument (&error, "annotation key", key, "it is missing"))
      || !hero_virt_kube_validate_label_key (key, &error))
    _hero_virt_kube_builder_take (self, "metadata.annotations", error);
  else if (!g_utf8_validate (value, -1, NULL))
    _hero_virt_kube_builder_invalid (self, "metadata.annotations", key, "the value is not UTF-8");
  else
    json_object_set_string_member (PRIV (self)->annotations, key, value);
  return self;
}

/**
 * hero_virt_kube_resource_builder_build:
 * @self: a #HeroVirtKubeResourceBuilder
 * @error: return location for a #GError
 *
 * Builds the object described so far: `apiVersion`, `kind`, `metadata`
 * (name, the manager's namespace for namespaced kinds, labels,
 * annotations) and what the builder adds. Each call gives a new object;
 * the builder can be changed and built again.
 *
 * Returns: (transfer full): the object, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT naming the first field that is
 *   wrong or missing
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_kube_resource_builder_build (HeroVirtKubeResourceBuilder *self, GError **error)
{
  HeroVirtKubeResourceBuilderPrivate *priv;
  HeroVirtKubeResourceBuilderClass   *klass;
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *meta;
  const char *ns;
  JsonNode   *node;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_RESOURCE_BUILDER (self), NULL);
  priv = PRIV (self);
  klass = HERO_VIRT_KUBE_RESOURCE_BUILDER_GET_CLASS (self);

  if (priv->error != NULL)
    local_error = g_error_copy (priv->error);
  else
    check_name (priv, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *api_version = hero_virt_cluster_kind_get_api_version (priv->kind);

      object = json_object_new ();
      json_object_set_string_member (object, "apiVersion", api_version);
      json_object_set_string_member (object, "kind", hero_virt_cluster_kind_get_kind (priv->kind));
      meta = _hero_virt_json_object_member (object, "metadata");
      json_object_set_string_member (meta, "name", priv->name);
      if ((ns = _hero_virt_kube_resource_builder_ns (self)) != NULL)
        json_object_set_string_member (meta, "namespace", ns);
      if (json_object_get_size (priv->labels) > 0)
        json_object_set_object_member (meta, "labels", _hero_virt_json_object_copy (priv->labels));
      if (json_object_get_size (priv->annotations) > 0)
        json_object_set_object_member (meta, "annotations",
                                       _hero_virt_json_object_copy (priv->annotations));
      if (klass->build_into != NULL)
        klass->build_into (self, object, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "%s “%s”: ", hero_virt_cluster_kind_get_kind (priv->kind),
                                  priv->name ? priv->name : "");
      return NULL;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/**
 * hero_virt_kube_resource_builder_validate:
 * @self: a #HeroVirtKubeResourceBuilder
 * @error: return location for a #GError
 *
 * Checks what was described, as [method@HeroVirt.KubeResourceBuilder.build]
 * does, without a request.
 *
 * Returns: %TRUE if it would build, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT naming the field
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_resource_builder_validate (HeroVirtKubeResourceBuilder *self, GError **error)
{
  g_autoptr (JsonNode) node = hero_virt_kube_resource_builder_build (self, error);

  return node != NULL;
}

/**
 * hero_virt_kube_resource_builder_to_json:
 * @self: a #HeroVirtKubeResourceBuilder
 * @pretty: indent the output
 * @error: return location for a #GError
 *
 * The object [method@HeroVirt.KubeResourceBuilder.build] gives, as JSON
 * text: `json.loads(b.to_json(False))` in Python, or a manifest for
 * `kubectl apply -f`. Secrets' data is in it (base64, as in the API).
 *
 * Returns: (transfer full): the JSON, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_kube_resource_builder_to_json (HeroVirtKubeResourceBuilder *self,
                                         gboolean                     pretty,
                                         GError                     **error)
{
  g_autoptr (JsonNode) node = hero_virt_kube_resource_builder_build (self, error);

  return node ? json_to_string (node, pretty) : NULL;
}
