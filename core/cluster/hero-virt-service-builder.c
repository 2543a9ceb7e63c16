/* hero-virt-service-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtServiceBuilder:
 *
 * A `v1` Service: a stable address for the pods its selector picks
 * (`app=<name>` unless [method@HeroVirt.ServiceBuilder.selector] is
 * called, which matches a [class@HeroVirt.DeploymentBuilder] of the same
 * name), its ports, and its type (`ClusterIP`, `NodePort` or
 * `LoadBalancer`). A service needs at least one port; with several, each
 * needs a name.
 *
 * ```python
 * HeroVirt.ServiceBuilder.new(km, "web").port(80, 8080).service_type("NodePort").apply(None)
 * ```
 *
 * Since: 0.1
 */

typedef struct
{
  char *name;
  int   port, target_port, node_port;
  char *protocol;
} ServicePort;

struct _HeroVirtServiceBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  JsonObject *selector;
  GPtrArray  *ports;
  char       *type;
  char       *cluster_ip;
};

G_DEFINE_FINAL_TYPE (HeroVirtServiceBuilder,
                     hero_virt_service_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static void
service_port_free (ServicePort *p)
{
  g_free (p->name);
  g_free (p->protocol);
  g_free (p);
}

static gboolean
is_port_name (const char *name)
{
  gsize len = strlen (name);

  return len >= 1 && len <= 15 && strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789-") == len
         && strpbrk (name, "abcdefghijklmnopqrstuvwxyz") != NULL && name[0] != '-'
         && name[len - 1] != '-' && strstr (name, "--") == NULL;
}

static gboolean
hero_virt_service_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                      JsonObject                  *object,
                                      GError                     **error)
{
  static const char *const types[] = { "ClusterIP", "NodePort", "LoadBalancer", NULL };
  static const char *const protocols[] = { "TCP", "UDP", "SCTP", NULL };
  HeroVirtServiceBuilder  *self = HERO_VIRT_SERVICE_BUILDER (builder);
  JsonObject              *spec = _hero_virt_json_object_member (object, "spec");
  const char              *type = self->type ? self->type : "ClusterIP";
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *selector;

  if (!g_strv_contains (types, type))
    return hero_virt_set_invalid_argument (error, "spec.type", type,
                                           "use ClusterIP, NodePort or LoadBalancer");
  if (self->ports->len == 0)
    return hero_virt_set_invalid_argument (error, "spec.ports", NULL,
                                           "a service needs at least one port");
  for (guint i = 0; i < self->ports->len; i++)
    {
      ServicePort     *p = g_ptr_array_index (self->ports, i);
      g_autofree char *field = g_strdup_printf ("spec.ports[%u]", i);
      g_autofree char *what = NULL;
      JsonObject      *po;

#define FIELD(m) (g_free (what), what = g_strdup_printf ("%s.%s", field, m))
      if (!_hero_virt_kube_check_port (FIELD ("port"), p->port, error)
          || (p->target_port != 0
              && !_hero_virt_kube_check_port (FIELD ("targetPort"), p->target_port, error)))
        return FALSE;
      if (p->name == NULL && self->ports->len > 1)
        return hero_virt_set_invalid_argument (error, FIELD ("name"), NULL,
                                               "a service with several ports names each");
      if (p->name != NULL && !is_port_name (p->name))
        return hero_virt_set_invalid_argument (
            error, FIELD ("name"), p->name,
            "a port name is 1 to 15 lower-case letters, digits and '-', with a letter");
      if (p->name != NULL && !g_hash_table_add (names, p->name))
        return hero_virt_set_invalid_argument (error, FIELD ("name"), p->name,
                                               "two ports have this name");
      if (p->protocol != NULL && !g_strv_contains (protocols, p->protocol))
        return hero_virt_set_invalid_argument (error, FIELD ("protocol"), p->protocol,
                                               "use TCP, UDP or SCTP");
      if (p->node_port != 0)
        {
          g_autofree char *shown = g_strdup_printf ("%d", p->node_port);

          if (g_str_equal (type, "ClusterIP"))
            return hero_virt_set_invalid_argument (error, FIELD ("nodePort"), shown,
                                                   "a ClusterIP service has no node ports");
          if (p->node_port < 30000 || p->node_port > 32767)
            return hero_virt_set_invalid_argument (error, FIELD ("nodePort"), shown,
                                                   "node ports are 30000 to 32767");
        }
#undef FIELD
      po = json_object_new ();
      if (p->name != NULL)
        json_object_set_string_member (po, "name", p->name);
      json_object_set_string_member (po, "protocol", p->protocol ? p->protocol : "TCP");
      json_object_set_int_member (po, "port", p->port);
      json_object_set_int_member (po, "targetPort", p->target_port ? p->target_port : p->port);
      if (p->node_port != 0)
        json_object_set_int_member (po, "nodePort", p->node_port);
      json_array_add_object_element (_hero_virt_json_array_member (spec, "ports"), po);
    }
  json_object_set_string_member (spec, "type", type);
  if (self->cluster_ip != NULL)
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (self->cluster_ip);

      if (address == NULL && g_strcmp0 (self->cluster_ip, "None") != 0)
        return hero_virt_set_invalid_argument (error, "spec.clusterIP", self->cluster_ip,
                                               "use an IP address, or None for a headless service");
      json_object_set_string_member (spec, "clusterIP", self->cluster_ip);
    }
  if (json_object_get_size (self->selector) > 0)
    selector = _hero_virt_json_object_copy (self->selector);
  else
    {
      selector = json_object_new ();
      json_object_set_string_member (selector, "app",
                                     hero_virt_kube_resource_builder_get_name (builder));
    }
  json_object_set_object_member (spec, "selector", selector);
  return TRUE;
}

static void
hero_virt_service_builder_finalize (GObject *object)
{
  HeroVirtServiceBuilder *self = HERO_VIRT_SERVICE_BUILDER (object);

  json_object_unref (self->selector);
  g_ptr_array_unref (self->ports);
  g_free (self->type);
  g_free (self->cluster_ip);
  G_OBJECT_CLASS (hero_virt_service_builder_parent_class)->finalize (object);
}

static void
hero_virt_service_builder_class_init (HeroVirtServiceBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_service_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into = hero_virt_service_builder_build_into;
}

static void
hero_virt_service_builder_init (HeroVirtServiceBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "v1",
                                             "Service");
  self->selector = json_object_new ();
  self->ports = g_ptr_array_new_with_free_func ((GDestroyNotify)service_port_free);
}

/**
 * hero_virt_service_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the service's name (a DNS-1035 label: it becomes a DNS name)
 *
 * Returns: (transfer full): a service builder
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_SERVICE_BUILDER, "manager", manager, "name", name, NULL);
}

/**
 * hero_virt_service_builder_selector:
 * @self: a #HeroVirtServiceBuilder
 * @key: a label key of the pods to route to
 * @value: its value
 *
 * Adds to the selector (the default, without any, is `app=<name>`).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_selector (HeroVirtServiceBuilder *self,
                                    const char             *key,
                                    const char             *value)
{
  GError *error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_SERVICE_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  if ((key == NULL && !hero_virt_set_invalid_argument (&error, "label key", key, "it is missing"))
      || !hero_virt_kube_validate_label_key (key, &error)
      || !hero_virt_kube_validate_label_value (value, &error))
    _hero_virt_kube_builder_take (self, "spec.selector", error);
  else
    json_object_set_string_member (self->selector, key, value);
  return self;
}

/**
 * hero_virt_service_builder_port:
 * @self: a #HeroVirtServiceBuilder
 * @port: the TCP port the service listens on
 * @target_port: the pods' port, or 0 for @port
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_port (HeroVirtServiceBuilder *self, int port, int target_port)
{
  return hero_virt_service_builder_port_full (self, NULL, port, target_port, NULL, 0);
}

/**
 * hero_virt_service_builder_port_full:
 * @self: a #HeroVirtServiceBuilder
 * @name: (nullable): the port's name (required when there are several)
 * @port: the port the service listens on
 * @target_port: the pods' port, or 0 for @port
 * @protocol: (nullable): `TCP` (the default), `UDP` or `SCTP`
 * @node_port: for `NodePort` and `LoadBalancer` services, the port on
 *   every node (30000 to 32767), or 0 to let the cluster pick one
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_port_full (HeroVirtServiceBuilder *self,
                                     const char             *name,
                                     int                     port,
                                     int                     target_port,
                                     const char             *protocol,
                                     int                     node_port)
{
  ServicePort *p;

  g_return_val_if_fail (HERO_VIRT_IS_SERVICE_BUILDER (self), NULL);
  p = g_new0 (ServicePort, 1);
  p->name = g_strdup (name);
  p->port = port;
  p->target_port = target_port;
  p->protocol = g_strdup (protocol);
  p->node_port = node_port;
  g_ptr_array_add (self->ports, p);
  return self;
}

/**
 * hero_virt_service_builder_service_type:
 * @self: a #HeroVirtServiceBuilder
 * @type: `ClusterIP` (the default), `NodePort` or `LoadBalancer`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_service_type (HeroVirtServiceBuilder *self, const char *type)
{
  g_return_val_if_fail (HERO_VIRT_IS_SERVICE_BUILDER (self), NULL);
  g_free (self->type);
  self->type = g_strdup (type);
  return self;
}

/**
 * hero_virt_service_builder_cluster_ip:
 * @self: a #HeroVirtServiceBuilder
 * @ip: (nullable): the service's cluster IP, `None` for a headless
 *   service, or %NULL to let the cluster allocate one
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtServiceBuilder *
hero_virt_service_builder_cluster_ip (HeroVirtServiceBuilder *self, const char *ip)
{
  g_return_val_if_fail (HERO_VIRT_IS_SERVICE_BUILDER (self), NULL);
  g_free (self->cluster_ip);
  self->cluster_ip = g_strdup (ip);
  return self;
}
