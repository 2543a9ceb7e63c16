/* hero-virt-deployment-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtDeploymentBuilder:
 *
 * An `apps/v1` Deployment: `replicas` copies of the pod described with
 * [class@HeroVirt.KubeWorkloadBuilder]'s setters. The pods carry the
 * deployment's labels plus `app=<name>` (unless a label `app` is set);
 * the selector is `app` alone (or what
 * [method@HeroVirt.DeploymentBuilder.selector] sets), so labels can be
 * added later without touching the selector, which the API server keeps
 * immutable.
 *
 * ```python
 * web = HeroVirt.DeploymentBuilder.new(km, "web").image("nginx:1.27").port(80)
 * web.replicas(3).apply(None)
 * km.wait_for(web.get_kind(), "web", "rollout", 60000, None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtDeploymentBuilder
{
  HeroVirtKubeWorkloadBuilder parent_instance;

  int         replicas;
  JsonObject *selector;
  gboolean    recreate;
};

enum
{
  PROP_0,
  PROP_REPLICAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDeploymentBuilder,
                     hero_virt_deployment_builder,
                     HERO_VIRT_TYPE_KUBE_WORKLOAD_BUILDER)

static gboolean
hero_virt_deployment_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                         JsonObject                  *object,
                                         GError                     **error)
{
  HeroVirtDeploymentBuilder   *self = HERO_VIRT_DEPLOYMENT_BUILDER (builder);
  HeroVirtKubeWorkloadBuilder *workload = HERO_VIRT_KUBE_WORKLOAD_BUILDER (builder);
  JsonObject                  *labels = _hero_virt_kube_resource_builder_get_labels (builder);
  const char *restart = _hero_virt_kube_workload_builder_get_restart_policy (workload);
  JsonObject *spec, *template, *pod_labels, *pod_spec, *selector;

  if (self->replicas < 0)
    {
      g_autofree char *shown = g_strdup_printf ("%d", self->replicas);

      return hero_virt_set_invalid_argument (error, "spec.replicas", shown,
                                             "a deployment has 0 or more replicas");
    }
  if (restart != NULL && g_strcmp0 (restart, "Always") != 0)
    return hero_virt_set_invalid_argument (error, "spec.template.spec.restartPolicy", restart,
                                           "a deployment's pods always restart (Always)");
  pod_spec = _hero_virt_kube_workload_builder_pod_spec (workload, "spec.template.spec", error);
  if (pod_spec == NULL)
    return FALSE;
  pod_labels = _hero_virt_json_object_copy (labels);
  if (!json_object_has_member (pod_labels, "app"))
    json_object_set_string_member (pod_labels, "app",
                                   hero_virt_kube_resource_builder_get_name (builder));
  if (json_object_get_size (self->selector) > 0)
    {
      selector = _hero_virt_json_object_copy (self->selector);
      /* the pods must match their own selector */
      GList *members = json_object_get_members (selector);

      for (GList *m = members; m; m = m->next)
        json_object_set_string_member (pod_labels, m->data,
                                       json_object_get_string_member (selector, m->data));
      g_list_free (members);
    }
  else
    {
      selector = json_object_new ();
      json_object_set_string_member (selector, "app",
                                     json_object_get_string_member (pod_labels, "app"));
    }
  /* the deployment itself carries the pods' labels too, as kubectl create
   * deployment does */
  json_object_set_object_member (_hero_virt_json_object_member (object, "metadata"), "labels",
                                 _hero_virt_json_object_copy (pod_labels));
  spec = _hero_virt_json_object_member (object, "spec");
  json_object_set_int_member (spec, "replicas", self->replicas);
  json_object_set_object_member (_hero_virt_json_object_member (spec, "selector"), "matchLabels",
                                 selector);
  if (self->recreate)
    json_object_set_string_member (_hero_virt_json_object_member (spec, "strategy"), "type",
                                   "Recreate");
  template = _hero_virt_json_object_member (spec, "template");
  json_object_set_object_member (_hero_virt_json_object_member (template, "metadata"), "labels",
                                 pod_labels);
  json_object_set_object_member (template, "spec", pod_spec);
  return TRUE;
}

static void
hero_virt_deployment_builder_finalize (GObject *object)
{
  HeroVirtDeploymentBuilder *self = HERO_VIRT_DEPLOYMENT_BUILDER (object);

  json_object_unref (self->selector);
  G_OBJECT_CLASS (hero_virt_deployment_builder_parent_class)->finalize (object);
}

static void
hero_virt_deployment_builder_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  HeroVirtDeploymentBuilder *self = HERO_VIRT_DEPLOYMENT_BUILDER (object);

  switch (prop_id)
    {
    case PROP_REPLICAS:
      g_value_set_int (value, self->replicas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_deployment_builder_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  HeroVirtDeploymentBuilder *self = HERO_VIRT_DEPLOYMENT_BUILDER (object);

  switch (prop_id)
    {
    case PROP_REPLICAS:
      hero_virt_deployment_builder_replicas (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_deployment_builder_class_init (HeroVirtDeploymentBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_deployment_builder_finalize;
  object_class->get_property = hero_virt_deployment_builder_get_property;
  object_class->set_property = hero_virt_deployment_builder_set_property;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into
      = hero_virt_deployment_builder_build_into;

  /**
   * HeroVirtDeploymentBuilder:replicas:
   *
   * How many pods (`spec.replicas`).
   *
   * Since: 0.1
   */
  properties[PROP_REPLICAS]
      = g_param_spec_int ("replicas", NULL, NULL, G_MININT, G_MAXINT, 1,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_deployment_builder_init (HeroVirtDeploymentBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "apps/v1",
                                             "Deployment");
  self->replicas = 1;
  self->selector = json_object_new ();
}

/**
 * hero_virt_deployment_builder_new:
 * @manager: (nullable): the manager to apply it through (its namespace
 *   is the deployment's), or %NULL to only build
 * @name: the deployment's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): a deployment builder with one replica
 *
 * Since: 0.1
 */
HeroVirtDeploymentBuilder *
hero_virt_deployment_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_DEPLOYMENT_BUILDER, "manager", manager, "name", name, NULL);
}

/**
 * hero_virt_deployment_builder_replicas:
 * @self: a #HeroVirtDeploymentBuilder
 * @replicas: how many pods (0 or more)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDeploymentBuilder *
hero_virt_deployment_builder_replicas (HeroVirtDeploymentBuilder *self, int replicas)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEPLOYMENT_BUILDER (self), NULL);
  if (self->replicas != replicas)
    {
      self->replicas = replicas;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLICAS]);
    }
  return self;
}

/**
 * hero_virt_deployment_builder_selector:
 * @self: a #HeroVirtDeploymentBuilder
 * @key: a label key the deployment selects its pods by
 * @value: the label's value
 *
 * Sets the selector (`spec.selector.matchLabels`) instead of the default
 * `app=<name>`; the pods get these labels too. The API server does not
 * let a deployment's selector change once it exists.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDeploymentBuilder *
hero_virt_deployment_builder_selector (HeroVirtDeploymentBuilder *self,
                                       const char                *key,
                                       const char                *value)
{
  GError *error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_DEPLOYMENT_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  if ((key == NULL && !hero_virt_set_invalid_argument (&error, "label key", key, "it is missing"))
      || !hero_virt_kube_validate_label_key (key, &error)
      || !hero_virt_kube_validate_label_value (value, &error))
    _hero_virt_kube_builder_take (self, "spec.selector.matchLabels", error);
  else
    json_object_set_string_member (self->selector, key, value);
  return self;
}

/**
 * hero_virt_deployment_builder_recreate:
 * @self: a #HeroVirtDeploymentBuilder
 * @recreate: stop all old pods before starting new ones (strategy
 *   `Recreate`) instead of a rolling update
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtDeploymentBuilder *
hero_virt_deployment_builder_recreate (HeroVirtDeploymentBuilder *self, gboolean recreate)
{
  g_return_val_if_fail (HERO_VIRT_IS_DEPLOYMENT_BUILDER (self), NULL);
  self->recreate = recreate;
  return self;
}
