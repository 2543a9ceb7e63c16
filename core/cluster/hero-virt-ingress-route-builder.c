/* hero-virt-ingress-route-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtIngressRouteBuilder:
 *
 * Traefik's `IngressRoute` (`traefik.io/v1alpha1`, Traefik 2.10 and 3):
 * the entry points it listens on, its routes — each a rule (build it
 * with [func@HeroVirt.traefik_host], [func@HeroVirt.traefik_path_prefix]
 * and [func@HeroVirt.traefik_and], or give host and prefix to
 * [method@HeroVirt.IngressRouteBuilder.route_for]), the services it
 * balances over by weight, and middlewares — and TLS from a secret or a
 * certificate resolver. [method@HeroVirt.IngressRouteBuilder.route] starts
 * a route; `service()`, `weighted_service()`, `middleware()` and
 * `priority()` go to the last one started.
 *
 * Checked before anything is sent: at least one route, each with a
 * well-formed rule ([func@HeroVirt.traefik_validate_rule]) and at least
 * one service; service names (DNS-1035), ports (1 to 65535), weights (0
 * or more), middleware names (DNS-1123, no `@`), entry point names, and
 * TLS by a secret or a resolver, not both.
 *
 * ```python
 * (HeroVirt.IngressRouteBuilder.new(km, "web")
 *  .entry_point("websecure")
 *  .route_for("app.example.com", "/api")
 *  .weighted_service("api-v1", 80, 90).weighted_service("api-v2", 80, 10)
 *  .middleware("strip-api", None)
 *  .tls_cert_resolver("letsencrypt")
 *  .apply(None))
 * ```
 *
 * Since: 0.1
 */

typedef struct
{
  char    *name;
  int      port;
  int      weight;
  gboolean weighted;
} RouteService;

typedef struct
{
  char      *match;
  int        priority;
  gboolean   has_priority;
  GPtrArray *services;
  GPtrArray *middlewares; /* name, namespace (nullable) pairs */
} Route;

struct _HeroVirtIngressRouteBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  GPtrArray *entry_points;
  GPtrArray *routes;
  char      *tls_secret;
  char      *tls_resolver;
  char      *tls_options, *tls_options_ns;
};

G_DEFINE_FINAL_TYPE (HeroVirtIngressRouteBuilder,
                     hero_virt_ingress_route_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static void
route_service_free (RouteService *s)
{
  g_free (s->name);
  g_free (s);
}

static void
route_free (Route *r)
{
  g_free (r->match);
  g_ptr_array_unref (r->services);
  g_ptr_array_unref (r->middlewares);
  g_free (r);
}

static gboolean
check_entry_point (const char *field, const char *name, GError **error)
{
  gsize len = name ? strlen (name) : 0;

  if (len == 0 || len > 63 || !g_ascii_isalnum (name[0])
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != len)
    return hero_virt_set_invalid_argument (
        error, field, name, "an entry point name is letters, digits, '-', '_' and '.'");
  return TRUE;
}

static gboolean
check_middleware_ref (const char *field, const char *name, const char *ns, GError **error)
{
  g_autofree char *what = g_strdup_printf ("%s.name", field);

  if (name != NULL && strchr (name, '@') != NULL)
    return hero_virt_set_invalid_argument (
        error, what, name, "refer to a Middleware of the cluster by its name alone, without @");
  if (!_hero_virt_kube_check_name (what, name, hero_virt_kube_validate_dns1123_subdomain, error))
    return FALSE;
  g_free (what);
  what = g_strdup_printf ("%s.namespace", field);
  return ns == NULL
         || _hero_virt_kube_check_name (what, ns, hero_virt_kube_validate_dns1123_label, error);
}

static JsonObject *
ref_object (const char *name, const char *ns)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", name);
  if (ns != NULL)
    json_object_set_string_member (o, "namespace", ns);
  return o;
}

static gboolean
route_json (Route *r, const char *field, JsonArray *into, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *what = NULL;

#define FIELD(fmt, ...) (g_free (what), what = g_strdup_printf ("%s." fmt, field, ##__VA_ARGS__))
  if (!hero_virt_traefik_validate_rule (r->match, error))
    {
      g_prefix_error (error, "%s: ", FIELD ("match"));
      return FALSE;
    }
  json_object_set_string_member (o, "kind", "Rule");
  json_object_set_string_member (o, "match", r->match);
  if (r->has_priority)
    {
      if (r->priority < 0)
        {
          g_autofree char *shown = g_strdup_printf ("%d", r->priority);

          return hero_virt_set_invalid_argument (error, FIELD ("priority"), shown,
                                                 "a priority is 0 or more");
        }
      json_object_set_int_member (o, "priority", r->priority);
    }
  if (r->services->len == 0)
    return hero_virt_set_invalid_argument (error, FIELD ("services"), NULL,
                                           "a route needs at least one service");
  for (guint i = 0; i < r->services->len; i++)
    {
      RouteService *s = g_ptr_array_index (r->services, i);
      JsonObject   *so;

      if (!_hero_virt_kube_check_name (FIELD ("services[%u].name", i), s->name,
                                       hero_virt_kube_validate_dns1035_label, error)
          || !_hero_virt_kube_check_port (FIELD ("services[%u].port", i), s->port, error))
        return FALSE;
      if (s->weighted && s->weight < 0)
        {
          g_autofree char *shown = g_strdup_printf ("%d", s->weight);

          return hero_virt_set_invalid_argument (error, FIELD ("services[%u].weight", i), shown,
                                                 "a weight is 0 or more");
        }
      so = json_object_new ();
      json_object_set_string_member (so, "kind", "Service");
      json_object_set_string_member (so, "name", s->name);
      json_object_set_int_member (so, "port", s->port);
      if (s->weighted)
        json_object_set_int_member (so, "weight", s->weight);
      json_array_add_object_element (_hero_virt_json_array_member (o, "services"), so);
    }
  for (guint i = 0; i + 1 < r->middlewares->len; i += 2)
    {
      const char *name = g_ptr_array_index (r->middlewares, i);
      const char *ns = g_ptr_array_index (r->middlewares, i + 1);

      if (!check_middleware_ref (FIELD ("middlewares[%u]", i / 2), name, ns, error))
        return FALSE;
      json_array_add_object_element (_hero_virt_json_array_member (o, "middlewares"),
                                     ref_object (name, ns));
    }
#undef FIELD
  json_array_add_object_element (into, g_steal_pointer (&o));
  return TRUE;
}

static gboolean
hero_virt_ingress_route_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                            JsonObject                  *object,
                                            GError                     **error)
{
  HeroVirtIngressRouteBuilder *self = HERO_VIRT_INGRESS_ROUTE_BUILDER (builder);
  JsonObject                  *spec = _hero_virt_json_object_member (object, "spec");
  JsonArray                   *routes;

  for (guint i = 0; i < self->entry_points->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("spec.entryPoints[%u]", i);
      const char      *ep = g_ptr_array_index (self->entry_points, i);

      if (!check_entry_point (what, ep, error))
        return FALSE;
      json_array_add_string_element (_hero_virt_json_array_member (spec, "entryPoints"), ep);
    }
  if (self->routes->len == 0)
    return hero_virt_set_invalid_argument (error, "spec.routes", NULL,
                                           "an IngressRoute needs at least one route");
  routes = _hero_virt_json_array_member (spec, "routes");
  for (guint i = 0; i < self->routes->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("spec.routes[%u]", i);

      if (!route_json (g_ptr_array_index (self->routes, i), what, routes, error))
        return FALSE;
    }
  if (self->tls_secret != NULL && self->tls_resolver != NULL)
    return hero_virt_set_invalid_argument (error, "spec.tls", NULL,
                                           "use a secretName or a certResolver, not both");
  if (self->tls_secret != NULL || self->tls_resolver != NULL || self->tls_options != NULL)
    {
      JsonObject *tls = _hero_virt_json_object_member (spec, "tls");

      if (self->tls_secret != NULL)
        {
          if (!_hero_virt_kube_check_name ("spec.tls.secretName", self->tls_secret,
                                           hero_virt_kube_validate_dns1123_subdomain, error))
            return FALSE;
          json_object_set_string_member (tls, "secretName", self->tls_secret);
        }
      if (self->tls_resolver != NULL)
        {
          if (!check_entry_point ("spec.tls.certResolver", self->tls_resolver, error))
            return FALSE;
          json_object_set_string_member (tls, "certResolver", self->tls_resolver);
        }
      if (self->tls_options != NULL)
        {
          if (!check_middleware_ref ("spec.tls.options", self->tls_options, self->tls_options_ns,
                                     error))
            return FALSE;
          json_object_set_object_member (tls, "options",
                                         ref_object (self->tls_options, self->tls_options_ns));
        }
    }
  return TRUE;
}

static void
hero_virt_ingress_route_builder_finalize (GObject *object)
{
  HeroVirtIngressRouteBuilder *self = HERO_VIRT_INGRESS_ROUTE_BUILDER (object);

  g_ptr_array_unref (self->entry_points);
  g_ptr_array_unref (self->routes);
  g_free (self->tls_secret);
  g_free (self->tls_resolver);
  g_free (self->tls_options);
  g_free (self->tls_options_ns);
  G_OBJECT_CLASS (hero_virt_ingress_route_builder_parent_class)->finalize (object);
}

static void
hero_virt_ingress_route_builder_class_init (HeroVirtIngressRouteBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_ingress_route_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into
      = hero_virt_ingress_route_builder_build_into;
}

static void
hero_virt_ingress_route_builder_init (HeroVirtIngressRouteBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self),
                                             "traefik.io/v1alpha1", "IngressRoute");
  self->entry_points = g_ptr_array_new_with_free_func (g_free);
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify)route_free);
}

/**
 * hero_virt_ingress_route_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the route's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): an IngressRoute builder
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_INGRESS_ROUTE_BUILDER, "manager", manager, "name", name,
                       NULL);
}

/**
 * hero_virt_ingress_route_builder_entry_point:
 * @self: a #HeroVirtIngressRouteBuilder
 * @name: an entry point of Traefik's, such as `web` or `websecure`
 *
 * Adds an entry point (without any, Traefik uses its default ones).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_entry_point (HeroVirtIngressRouteBuilder *self, const char *name)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  g_ptr_array_add (self->entry_points, g_strdup (name ? name : ""));
  return self;
}

/**
 * hero_virt_ingress_route_builder_route:
 * @self: a #HeroVirtIngressRouteBuilder
 * @match: the route's rule, such as
 *   `` Host(`app.example.com`) && PathPrefix(`/api`) ``
 *
 * Starts a route; the services, middlewares and priority set next are
 * its own.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_route (HeroVirtIngressRouteBuilder *self, const char *match)
{
  Route *r;

  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  r = g_new0 (Route, 1);
  r->match = g_strdup (match);
  r->services = g_ptr_array_new_with_free_func ((GDestroyNotify)route_service_free);
  r->middlewares = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->routes, r);
  return self;
}

/**
 * hero_virt_ingress_route_builder_route_for:
 * @self: a #HeroVirtIngressRouteBuilder
 * @host: (nullable): the host to match, or %NULL for any
 * @path_prefix: (nullable): the path prefix to match, or %NULL for any
 *
 * Starts a route whose rule is `` Host(`host`) && PathPrefix(`prefix`) ``,
 * quoted as Traefik reads it. At least one of the two is needed.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_route_for (HeroVirtIngressRouteBuilder *self,
                                           const char                  *host,
                                           const char                  *path_prefix)
{
  g_autofree char *h = NULL, *p = NULL, *rule = NULL;
  const char      *parts[3] = { NULL };
  guint            n = 0;
  GError          *error = NULL;
  g_autofree char *field = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  field = g_strdup_printf ("spec.routes[%u].match", self->routes->len);
  if (host != NULL && (h = hero_virt_traefik_host (host, &error)) != NULL)
    parts[n++] = h;
  if (error == NULL && path_prefix != NULL
      && (p = hero_virt_traefik_path_prefix (path_prefix, &error)) != NULL)
    parts[n++] = p;
  if (error == NULL)
    rule = hero_virt_traefik_and (parts, &error);
  if (error != NULL)
    _hero_virt_kube_builder_take (self, field, error);
  return hero_virt_ingress_route_builder_route (self, rule ? rule : "");
}

static Route *
current_route (HeroVirtIngressRouteBuilder *self, const char *what)
{
  if (self->routes->len == 0)
    {
      g_autofree char *why = g_strdup_printf ("start a route with route() before %s()", what);

      _hero_virt_kube_builder_invalid (self, "spec.routes", NULL, why);
      return NULL;
    }
  return g_ptr_array_index (self->routes, self->routes->len - 1);
}

/**
 * hero_virt_ingress_route_builder_priority:
 * @self: a #HeroVirtIngressRouteBuilder
 * @priority: the current route's priority (0 or more; by default
 *   Traefik ranks routes by the length of their rules)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_priority (HeroVirtIngressRouteBuilder *self, int priority)
{
  Route *r;

  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  if ((r = current_route (self, "priority")) != NULL)
    r->priority = priority, r->has_priority = TRUE;
  return self;
}

static HeroVirtIngressRouteBuilder *
add_service (HeroVirtIngressRouteBuilder *self,
             const char                  *what,
             const char                  *name,
             int                          port,
             gboolean                     weighted,
             int                          weight)
{
  Route        *r = current_route (self, what);
  RouteService *s;

  if (r == NULL)
    return self;
  s = g_new0 (RouteService, 1);
  s->name = g_strdup (name);
  s->port = port;
  s->weight = weight;
  s->weighted = weighted;
  g_ptr_array_add (r->services, s);
  return self;
}

/**
 * hero_virt_ingress_route_builder_service:
 * @self: a #HeroVirtIngressRouteBuilder
 * @name: a Kubernetes service in the route's namespace
 * @port: the service's port
 *
 * Adds a service to the current route.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_service (HeroVirtIngressRouteBuilder *self,
                                         const char                  *name,
                                         int                          port)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  return add_service (self, "service", name, port, FALSE, 0);
}

/**
 * hero_virt_ingress_route_builder_weighted_service:
 * @self: a #HeroVirtIngressRouteBuilder
 * @name: a Kubernetes service in the route's namespace
 * @port: the service's port
 * @weight: its share of the requests, relative to the route's other
 *   services (0 or more)
 *
 * Adds a service to the current route, weighted.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_weighted_service (HeroVirtIngressRouteBuilder *self,
                                                  const char                  *name,
                                                  int                          port,
                                                  int                          weight)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  return add_service (self, "weighted_service", name, port, TRUE, weight);
}

/**
 * hero_virt_ingress_route_builder_middleware:
 * @self: a #HeroVirtIngressRouteBuilder
 * @name: a Traefik Middleware's name
 * @namespace: (nullable): its namespace, or %NULL for the route's
 *
 * Adds a middleware to the current route (they run in order).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_middleware (HeroVirtIngressRouteBuilder *self,
                                            const char                  *name,
                                            const char *namespace)
{
  Route *r;

  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  if ((r = current_route (self, "middleware")) == NULL)
    return self;
  g_ptr_array_add (r->middlewares, g_strdup (name));
  g_ptr_array_add (r->middlewares, g_strdup (namespace));
  return self;
}

/**
 * hero_virt_ingress_route_builder_tls_secret:
 * @self: a #HeroVirtIngressRouteBuilder
 * @secret: a `kubernetes.io/tls` secret in the route's namespace
 *
 * Serves TLS with the certificate in @secret (`spec.tls.secretName`).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_secret (HeroVirtIngressRouteBuilder *self, const char *secret)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  g_free (self->tls_secret);
  self->tls_secret = g_strdup (secret ? secret : "");
  return self;
}

/**
 * hero_virt_ingress_route_builder_tls_cert_resolver:
 * @self: a #HeroVirtIngressRouteBuilder
 * @resolver: a certificate resolver of Traefik's static configuration,
 *   such as `letsencrypt`
 *
 * Serves TLS with a certificate Traefik obtains (`spec.tls.certResolver`).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_cert_resolver (HeroVirtIngressRouteBuilder *self,
                                                   const char                  *resolver)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  g_free (self->tls_resolver);
  self->tls_resolver = g_strdup (resolver ? resolver : "");
  return self;
}

/**
 * hero_virt_ingress_route_builder_tls_options:
 * @self: a #HeroVirtIngressRouteBuilder
 * @name: a TLSOption's name (see [class@HeroVirt.TlsOptionBuilder])
 * @namespace: (nullable): its namespace, or %NULL for the route's
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtIngressRouteBuilder *
hero_virt_ingress_route_builder_tls_options (HeroVirtIngressRouteBuilder *self,
                                             const char                  *name,
                                             const char *namespace)
{
  g_return_val_if_fail (HERO_VIRT_IS_INGRESS_ROUTE_BUILDER (self), NULL);
  g_free (self->tls_options);
  g_free (self->tls_options_ns);
  self->tls_options = g_strdup (name ? name : "");
  self->tls_options_ns = g_strdup (namespace);
  return self;
}
