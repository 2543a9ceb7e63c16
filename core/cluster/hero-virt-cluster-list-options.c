/* hero-virt-cluster-list-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtClusterListOptions:
 *
 * Which objects [method@HeroVirt.ClusterProvider.list] and
 * [method@HeroVirt.ClusterProvider.watch] cover: label and field
 * selectors in the Kubernetes syntax, paging, the resource version to
 * start from and a server-side timeout for watches.
 *
 * ```python
 * opts = HeroVirt.ClusterListOptions.new().add_label("app", "web")
 * opts.set_field_selector("status.phase=Running")
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtClusterListOptions
{
  GObject parent_instance;

  char *label_selector;
  char *field_selector;
  guint limit;
  char *continue_token;
  char *resource_version;
  guint timeout_seconds;
};

enum
{
  PROP_0,
  PROP_LABEL_SELECTOR,
  PROP_FIELD_SELECTOR,
  PROP_LIMIT,
  PROP_CONTINUE_TOKEN,
  PROP_RESOURCE_VERSION,
  PROP_TIMEOUT_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtClusterListOptions, hero_virt_cluster_list_options, G_TYPE_OBJECT)

static void
hero_virt_cluster_list_options_finalize (GObject *object)
{
  HeroVirtClusterListOptions *self = HERO_VIRT_CLUSTER_LIST_OPTIONS (object);

  g_free (self->label_selector);
  g_free (self->field_selector);
  g_free (self->continue_token);
  g_free (self->resource_version);

  G_OBJECT_CLASS (hero_virt_cluster_list_options_parent_class)->finalize (object);
}

static char **
string_field (HeroVirtClusterListOptions *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_LABEL_SELECTOR:
      return &self->label_selector;
    case PROP_FIELD_SELECTOR:
      return &self->field_selector;
    case PROP_CONTINUE_TOKEN:
      return &self->continue_token;
    case PROP_RESOURCE_VERSION:
      return &self->resource_version;
    default:
      return NULL;
    }
}

static void
hero_virt_cluster_list_options_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  HeroVirtClusterListOptions *self = HERO_VIRT_CLUSTER_LIST_OPTIONS (object);
  char                      **field = string_field (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else if (prop_id == PROP_LIMIT)
    g_value_set_uint (value, self->limit);
  else if (prop_id == PROP_TIMEOUT_SECONDS)
    g_value_set_uint (value, self->timeout_seconds);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hero_virt_cluster_list_options_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  HeroVirtClusterListOptions *self = HERO_VIRT_CLUSTER_LIST_OPTIONS (object);
  char                      **field = string_field (self, prop_id);
  guint                      *number = prop_id == PROP_LIMIT             ? &self->limit
                                       : prop_id == PROP_TIMEOUT_SECONDS ? &self->timeout_seconds
                                                                         : NULL;

  if (field != NULL)
    {
      if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
        return;
      g_free (*field);
      *field = g_value_dup_string (value);
    }
  else if (number != NULL)
    {
      if (*number == g_value_get_uint (value))
        return;
      *number = g_value_get_uint (value);
    }
  else
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
hero_virt_cluster_list_options_class_init (HeroVirtClusterListOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = hero_virt_cluster_list_options_finalize;
  object_class->get_property = hero_virt_cluster_list_options_get_property;
  object_class->set_property = hero_virt_cluster_list_options_set_property;

  /**
   * HeroVirtClusterListOptions:label-selector:
   *
   * A label selector: comma-separated requirements, all of which must
   * hold: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
   *
   * Since: 0.1
   */
  properties[PROP_LABEL_SELECTOR] = g_param_spec_string ("label-selector", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterListOptions:field-selector:
   *
   * A field selector: comma-separated `field=value`, `field==value` or
   * `field!=value`, such as `metadata.name=web` or `status.phase=Running`.
   *
   * Since: 0.1
   */
  properties[PROP_FIELD_SELECTOR] = g_param_spec_string ("field-selector", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterListOptions:limit:
   *
   * The most objects to return in one list call, or 0 for all; the
   * list's `metadata.continue` then pages on.
   *
   * Since: 0.1
   */
  properties[PROP_LIMIT] = g_param_spec_uint ("limit", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * HeroVirtClusterListOptions:continue-token:
   *
   * The `metadata.continue` of the previous page, or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_CONTINUE_TOKEN] = g_param_spec_string ("continue-token", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterListOptions:resource-version:
   *
   * For a watch: the list's `metadata.resourceVersion` to report changes
   * after. %NULL starts with an ADDED event for every existing object.
   *
   * Since: 0.1
   */
  properties[PROP_RESOURCE_VERSION]
      = g_param_spec_string ("resource-version", NULL, NULL, NULL, flags);
  /**
   * HeroVirtClusterListOptions:timeout-seconds:
   *
   * For a watch: end it after this many seconds, or 0 for the server's
   * default.
   *
   * Since: 0.1
   */
  properties[PROP_TIMEOUT_SECONDS]
      = g_param_spec_uint ("timeout-seconds", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_cluster_list_options_init (HeroVirtClusterListOptions *self)
{
}

/**
 * hero_virt_cluster_list_options_new:
 *
 * Returns: (transfer full): options that select everything
 *
 * Since: 0.1
 */
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_CLUSTER_LIST_OPTIONS, NULL);
}

#define DEFINE_SETTER(field, type, prop)                                                           \
  HeroVirtClusterListOptions *hero_virt_cluster_list_options_set_##field (                         \
      HeroVirtClusterListOptions *self, type field)                                                \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), NULL);                         \
    g_object_set (self, prop, field, NULL);                                                        \
    return self;                                                                                   \
  }

#define DEFINE_GETTER(field, type)                                                                 \
  type hero_virt_cluster_list_options_get_##field (HeroVirtClusterListOptions *self)               \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), 0);                            \
    return self->field;                                                                            \
  }

/**
 * hero_virt_cluster_list_options_set_label_selector:
 * @self: a #HeroVirtClusterListOptions
 * @selector: (nullable): the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:label-selector].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (label_selector, const char *, "label-selector")

/**
 * hero_virt_cluster_list_options_set_field_selector:
 * @self: a #HeroVirtClusterListOptions
 * @selector: (nullable): the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:field-selector].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (field_selector, const char *, "field-selector")

/**
 * hero_virt_cluster_list_options_set_limit:
 * @self: a #HeroVirtClusterListOptions
 * @limit: the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:limit].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (limit, guint, "limit")

/**
 * hero_virt_cluster_list_options_set_continue_token:
 * @self: a #HeroVirtClusterListOptions
 * @token: (nullable): the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:continue-token].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (continue_token, const char *, "continue-token")

/**
 * hero_virt_cluster_list_options_set_resource_version:
 * @self: a #HeroVirtClusterListOptions
 * @resource_version: (nullable): the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:resource-version].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (resource_version, const char *, "resource-version")

/**
 * hero_virt_cluster_list_options_set_timeout_seconds:
 * @self: a #HeroVirtClusterListOptions
 * @timeout_seconds: the new value
 *
 * Sets [property@HeroVirt.ClusterListOptions:timeout-seconds].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_SETTER (timeout_seconds, guint, "timeout-seconds")

/**
 * hero_virt_cluster_list_options_add_label:
 * @self: a #HeroVirtClusterListOptions
 * @key: a label key
 * @value: (nullable): the value it must have, or %NULL to require only
 *   that the label exists
 *
 * Adds the requirement `key=value` (or `key`) to
 * [property@HeroVirt.ClusterListOptions:label-selector]. Malformed keys
 * and values are reported by [method@HeroVirt.ClusterListOptions.validate].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtClusterListOptions *
hero_virt_cluster_list_options_add_label (HeroVirtClusterListOptions *self,
                                          const char                 *key,
                                          const char                 *value)
{
  g_autoptr (GString) selector = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  selector = g_string_new (self->label_selector);
  if (selector->len > 0)
    g_string_append_c (selector, ',');
  g_string_append (selector, key);
  if (value != NULL)
    g_string_append_printf (selector, "=%s", value);
  g_object_set (self, "label-selector", selector->str, NULL);
  return self;
}

/**
 * hero_virt_cluster_list_options_get_label_selector:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.ClusterListOptions:label-selector]
 *
 * Since: 0.1
 */
DEFINE_GETTER (label_selector, const char *)

/**
 * hero_virt_cluster_list_options_get_field_selector:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.ClusterListOptions:field-selector]
 *
 * Since: 0.1
 */
DEFINE_GETTER (field_selector, const char *)

/**
 * hero_virt_cluster_list_options_get_limit:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: the value of [property@HeroVirt.ClusterListOptions:limit]
 *
 * Since: 0.1
 */
DEFINE_GETTER (limit, guint)

/**
 * hero_virt_cluster_list_options_get_continue_token:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.ClusterListOptions:continue-token]
 *
 * Since: 0.1
 */
DEFINE_GETTER (continue_token, const char *)

/**
 * hero_virt_cluster_list_options_get_resource_version:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: (nullable): the value of [property@HeroVirt.ClusterListOptions:resource-version]
 *
 * Since: 0.1
 */
DEFINE_GETTER (resource_version, const char *)

/**
 * hero_virt_cluster_list_options_get_timeout_seconds:
 * @self: a #HeroVirtClusterListOptions
 *
 * Returns: the value of [property@HeroVirt.ClusterListOptions:timeout-seconds]
 *
 * Since: 0.1
 */
DEFINE_GETTER (timeout_seconds, guint)

/**
 * hero_virt_cluster_list_options_validate:
 * @self: a #HeroVirtClusterListOptions
 * @error: return location for a #GError
 *
 * Checks the selectors' syntax, label keys and values, so a typo fails
 * before any request. Providers call this first in list and watch.
 *
 * Returns: %TRUE if the options are valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_cluster_list_options_validate (HeroVirtClusterListOptions *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_LIST_OPTIONS (self), FALSE);

  for (guint prop = PROP_LABEL_SELECTOR; prop <= PROP_RESOURCE_VERSION; prop++)
    {
      char **field = string_field (self, prop);

      if (field != NULL
          && !hero_virt_validate_text (g_param_spec_get_name (properties[prop]), *field, error))
        return FALSE;
    }
  return (self->label_selector == NULL
          || hero_virt_kube_validate_label_selector (self->label_selector, error))
         && (self->field_selector == NULL
             || hero_virt_kube_validate_field_selector (self->field_selector, error));
}
