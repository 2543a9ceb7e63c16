/* hero-virt-middleware-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtMiddlewareBuilder:
 *
 * Traefik's `Middleware` (`traefik.io/v1alpha1`). A middleware is of
 * exactly one type, and its `spec` has exactly that key:
 *
 * - `stripPrefix`: [method@HeroVirt.MiddlewareBuilder.strip_prefix], once
 *   per prefix;
 * - `basicAuth`: [method@HeroVirt.MiddlewareBuilder.basic_auth], with a
 *   secret of htpasswd lines (`users`);
 * - `headers`: [method@HeroVirt.MiddlewareBuilder.request_header] and
 *   [method@HeroVirt.MiddlewareBuilder.response_header]
 *   (`customRequestHeaders`, `customResponseHeaders`);
 * - `redirectScheme`: [method@HeroVirt.MiddlewareBuilder.redirect_scheme].
 *
 * Setting two types is %HERO_VIRT_ERROR_INVALID_ARGUMENT when built, as is
 * none; routes refer to a middleware by name
 * ([method@HeroVirt.IngressRouteBuilder.middleware]).
 *
 * Since: 0.1
 */
struct _HeroVirtMiddlewareBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  GPtrArray  *prefixes;
  char       *auth_secret;
  JsonObject *request_headers, *response_headers;
  char       *scheme;
  gboolean    permanent;
};

G_DEFINE_FINAL_TYPE (HeroVirtMiddlewareBuilder,
                     hero_virt_middleware_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static gboolean
hero_virt_middleware_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                         JsonObject                  *object,
                                         GError                     **error)
{
  HeroVirtMiddlewareBuilder *self = HERO_VIRT_MIDDLEWARE_BUILDER (builder);
  JsonObject                *spec = _hero_virt_json_object_member (object, "spec");
  g_autoptr (GPtrArray) types = g_ptr_array_new ();

  if (self->prefixes->len > 0)
    g_ptr_array_add (types, "stripPrefix");
  if (self->auth_secret != NULL)
    g_ptr_array_add (types, "basicAuth");
  if (json_object_get_size (self->request_headers) + json_object_get_size (self->response_headers)
      > 0)
    g_ptr_array_add (types, "headers");
  if (self->scheme != NULL)
    g_ptr_array_add (types, "redirectScheme");
  if (types->len == 0)
    return hero_virt_set_invalid_argument (
        error, "spec", NULL,
        "a Middleware needs a type: stripPrefix, basicAuth, headers or redirectScheme");
  if (types->len > 1)
    {
      g_autofree char *why = NULL;
      g_autofree char *list = NULL;

      g_ptr_array_add (types, NULL);
      list = g_strjoinv (" and ", (char **)types->pdata);
      why = g_strdup_printf ("a Middleware has exactly one type, but %s are set", list);
      return hero_virt_set_invalid_argument (error, "spec", NULL, why);
    }
  if (self->prefixes->len > 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < self->prefixes->len; i++)
        {
          g_autofree char *what = g_strdup_printf ("spec.stripPrefix.prefixes[%u]", i);
          const char      *prefix = g_ptr_array_index (self->prefixes, i);

          if (!_hero_virt_kube_check_absolute_path (what, prefix, error))
            {
              json_array_unref (array);
              return FALSE;
            }
          json_array_add_string_element (array, prefix);
        }
      json_object_set_array_member (_hero_virt_json_object_member (spec, "stripPrefix"), "prefixes",
                                    array);
    }
  else if (self->auth_secret != NULL)
    {
      if (!_hero_virt_kube_check_name ("spec.basicAuth.secret", self->auth_secret,
                                       hero_virt_kube_validate_dns1123_subdomain, error))
        return FALSE;
      json_object_set_string_member (_hero_virt_json_object_member (spec, "basicAuth"), "secret",
                                     self->auth_secret);
    }
  else if (self->scheme != NULL)
    {
      JsonObject *r;

      if (g_strcmp0 (self->scheme, "http") != 0 && g_strcmp0 (self->scheme, "https") != 0)
        return hero_virt_set_invalid_argument (error, "spec.redirectScheme.scheme", self->scheme,
                                               "use http or https");
      r = _hero_virt_json_object_member (spec, "redirectScheme");
      json_object_set_string_member (r, "scheme", self->scheme);
      json_object_set_boolean_member (r, "permanent", self->permanent);
    }
  else
    {
      JsonObject *h = _hero_virt_json_object_member (spec, "headers");

      if (json_object_get_size (self->request_headers) > 0)
        json_object_set_object_member (h, "customRequestHeaders",
                                       _hero_virt_json_object_copy (self->request_headers));
      if (json_object_get_size (self->response_headers) > 0)
        json_object_set_object_member (h, "customResponseHeaders",
                                       _hero_virt_json_object_copy (self->response_headers));
    }
  return TRUE;
}

static void
hero_virt_middleware_builder_finalize (GObject *object)
{
  HeroVirtMiddlewareBuilder *self = HERO_VIRT_MIDDLEWARE_BUILDER (object);

  g_ptr_array_unref (self->prefixes);
  g_free (self->auth_secret);
  json_object_unref (self->request_headers);
  json_object_unref (self->response_headers);
  g_free (self->scheme);
  G_OBJECT_CLASS (hero_virt_middleware_builder_parent_class)->finalize (object);
}

static void
hero_virt_middleware_builder_class_init (HeroVirtMiddlewareBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_middleware_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into
      = hero_virt_middleware_builder_build_into;
}

static void
hero_virt_middleware_builder_init (HeroVirtMiddlewareBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self),
                                             "traefik.io/v1alpha1", "Middleware");
  self->prefixes = g_ptr_array_new_with_free_func (g_free);
  self->request_headers = json_object_new ();
  self->response_headers = json_object_new ();
}

/**
 * hero_virt_middleware_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the middleware's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): a Middleware builder
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_MIDDLEWARE_BUILDER, "manager", manager, "name", name, NULL);
}

/**
 * hero_virt_middleware_builder_strip_prefix:
 * @self: a #HeroVirtMiddlewareBuilder
 * @prefix: a path prefix to remove before forwarding, such as `/api`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_strip_prefix (HeroVirtMiddlewareBuilder *self, const char *prefix)
{
  g_return_val_if_fail (HERO_VIRT_IS_MIDDLEWARE_BUILDER (self), NULL);
  g_ptr_array_add (self->prefixes, g_strdup (prefix ? prefix : ""));
  return self;
}

/**
 * hero_virt_middleware_builder_basic_auth:
 * @self: a #HeroVirtMiddlewareBuilder
 * @secret: a secret in the middleware's namespace whose `users` key
 *   holds htpasswd lines (bcrypt, as `htpasswd -nbB` writes them)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_basic_auth (HeroVirtMiddlewareBuilder *self, const char *secret)
{
  g_return_val_if_fail (HERO_VIRT_IS_MIDDLEWARE_BUILDER (self), NULL);
  g_free (self->auth_secret);
  self->auth_secret = g_strdup (secret ? secret : "");
  return self;
}

static void
add_header (HeroVirtMiddlewareBuilder *self,
            JsonObject                *into,
            const char                *field,
            const char                *name,
            const char                *value)
{
  if (name == NULL || *name == '\0'
      || strspn (name,
                 "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
             != strlen (name))
    _hero_virt_kube_builder_invalid (self, field, name, "a header name is an HTTP token");
  else if (!hero_virt_validate_text (field, value ? value : "", NULL))
    _hero_virt_kube_builder_invalid (self, field, name, "a header value is one line of text");
  else
    /* an empty value makes Traefik remove the header */
    json_object_set_string_member (into, name, value ? value : "");
}

/**
 * hero_virt_middleware_builder_request_header:
 * @self: a #HeroVirtMiddlewareBuilder
 * @name: a header to set on requests
 * @value: its value; the empty string removes the header
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_request_header (HeroVirtMiddlewareBuilder *self,
                                             const char                *name,
                                             const char                *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_MIDDLEWARE_BUILDER (self), NULL);
  add_header (self, self->request_headers, "spec.headers.customRequestHeaders", name, value);
  return self;
}

/**
 * hero_virt_middleware_builder_response_header:
 * @self: a #HeroVirtMiddlewareBuilder
 * @name: a header to set on responses
 * @value: its value; the empty string removes the header
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_response_header (HeroVirtMiddlewareBuilder *self,
                                              const char                *name,
                                              const char                *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_MIDDLEWARE_BUILDER (self), NULL);
  add_header (self, self->response_headers, "spec.headers.customResponseHeaders", name, value);
  return self;
}

/**
 * hero_virt_middleware_builder_redirect_scheme:
 * @self: a #HeroVirtMiddlewareBuilder
 * @scheme: `https` or `http`
 * @permanent: answer 301/308 instead of 302/307
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtMiddlewareBuilder *
hero_virt_middleware_builder_redirect_scheme (HeroVirtMiddlewareBuilder *self,
                                              const char                *scheme,
                                              gboolean                   permanent)
{
  g_return_val_if_fail (HERO_VIRT_IS_MIDDLEWARE_BUILDER (self), NULL);
  g_free (self->scheme);
  self->scheme = g_strdup (scheme ? scheme : "");
  self->permanent = permanent;
  return self;
}
