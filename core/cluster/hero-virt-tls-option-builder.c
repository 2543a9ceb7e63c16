/* hero-virt-tls-option-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtTlsOptionBuilder:
 *
 * Traefik's `TLSOption` (`traefik.io/v1alpha1`): the TLS versions
 * (`VersionTLS10` to `VersionTLS13`), the cipher suites (Go's names, such
 * as `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`; Go ignores them for TLS
 * 1.3) and strict SNI of the routes that name it
 * ([method@HeroVirt.IngressRouteBuilder.tls_options]). An unknown version
 * or suite, or a minimum above the maximum, is
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT when built. A TLSOption called
 * `default` in any namespace is Traefik's default for every route.
 *
 * Since: 0.1
 */
struct _HeroVirtTlsOptionBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  char      *min_version, *max_version;
  GPtrArray *suites;
  int        sni_strict; /* -1: unset */
};

G_DEFINE_FINAL_TYPE (HeroVirtTlsOptionBuilder,
                     hero_virt_tls_option_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static const char *const versions[]
    = { "VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13", NULL };

/* crypto/tls's CipherSuites() and InsecureCipherSuites() names, which
 * Traefik accepts */
static const char *const suites[] = { "TLS_RSA_WITH_RC4_128_SHA",
                                      "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                                      "TLS_RSA_WITH_AES_128_CBC_SHA",
                                      "TLS_RSA_WITH_AES_256_CBC_SHA",
                                      "TLS_RSA_WITH_AES_128_CBC_SHA256",
                                      "TLS_RSA_WITH_AES_128_GCM_SHA256",
                                      "TLS_RSA_WITH_AES_256_GCM_SHA384",
                                      "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
                                      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                                      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                                      "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                                      "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                                      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                                      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                                      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                                      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                                      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                                      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                                      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
                                      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
                                      "TLS_AES_128_GCM_SHA256",
                                      "TLS_AES_256_GCM_SHA384",
                                      "TLS_CHACHA20_POLY1305_SHA256",
                                      NULL };

static int
version_index (const char *v)
{
  for (int i = 0; versions[i] != NULL; i++)
    if (g_strcmp0 (versions[i], v) == 0)
      return i;
  return -1;
}

static gboolean
check_version (const char *field, const char *v, GError **error)
{
  if (version_index (v) < 0)
    return hero_virt_set_invalid_argument (error, field, v,
                                           "use VersionTLS10, VersionTLS11, VersionTLS12 or "
                                           "VersionTLS13");
  return TRUE;
}

static gboolean
hero_virt_tls_option_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                         JsonObject                  *object,
                                         GError                     **error)
{
  HeroVirtTlsOptionBuilder *self = HERO_VIRT_TLS_OPTION_BUILDER (builder);
  JsonObject               *spec = _hero_virt_json_object_member (object, "spec");

  if (self->min_version != NULL)
    {
      if (!check_version ("spec.minVersion", self->min_version, error))
        return FALSE;
      json_object_set_string_member (spec, "minVersion", self->min_version);
    }
  if (self->max_version != NULL)
    {
      if (!check_version ("spec.maxVersion", self->max_version, error))
        return FALSE;
      if (self->min_version != NULL
          && version_index (self->min_version) > version_index (self->max_version))
        return hero_virt_set_invalid_argument (error, "spec.maxVersion", self->max_version,
                                               "it is below spec.minVersion");
      json_object_set_string_member (spec, "maxVersion", self->max_version);
    }
  for (guint i = 0; i < self->suites->len; i++)
    {
      const char *suite = g_ptr_array_index (self->suites, i);

      if (!g_strv_contains (suites, suite))
        {
          g_autofree char *what = g_strdup_printf ("spec.cipherSuites[%u]", i);

          return hero_virt_set_invalid_argument (error, what, suite,
                                                 "not a cipher suite Go (and Traefik) knows");
        }
      json_array_add_string_element (_hero_virt_json_array_member (spec, "cipherSuites"), suite);
    }
  if (self->sni_strict >= 0)
    json_object_set_boolean_member (spec, "sniStrict", self->sni_strict == 1);
  return TRUE;
}

static void
hero_virt_tls_option_builder_finalize (GObject *object)
{
  HeroVirtTlsOptionBuilder *self = HERO_VIRT_TLS_OPTION_BUILDER (object);

  g_free (self->min_version);
  g_free (self->max_version);
  g_ptr_array_unref (self->suites);
  G_OBJECT_CLASS (hero_virt_tls_option_builder_parent_class)->finalize (object);
}

static void
hero_virt_tls_option_builder_class_init (HeroVirtTlsOptionBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_tls_option_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into
      = hero_virt_tls_option_builder_build_into;
}

static void
hero_virt_tls_option_builder_init (HeroVirtTlsOptionBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self),
                                             "traefik.io/v1alpha1", "TLSOption");
  self->suites = g_ptr_array_new_with_free_func (g_free);
  self->sni_strict = -1;
}

/**
 * hero_virt_tls_option_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the option's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): a TLSOption builder
 *
 * Since: 0.1
 */
HeroVirtTlsOptionBuilder *
hero_virt_tls_option_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_TLS_OPTION_BUILDER, "manager", manager, "name", name, NULL);
}

/**
 * hero_virt_tls_option_builder_min_version:
 * @self: a #HeroVirtTlsOptionBuilder
 * @version: the oldest TLS version accepted, such as `VersionTLS12`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtTlsOptionBuilder *
hero_virt_tls_option_builder_min_version (HeroVirtTlsOptionBuilder *self, const char *version)
{
  g_return_val_if_fail (HERO_VIRT_IS_TLS_OPTION_BUILDER (self), NULL);
  g_free (self->min_version);
  self->min_version = g_strdup (version ? version : "");
  return self;
}

/**
 * hero_virt_tls_option_builder_max_version:
 * @self: a #HeroVirtTlsOptionBuilder
 * @version: the newest TLS version accepted, such as `VersionTLS13`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtTlsOptionBuilder *
hero_virt_tls_option_builder_max_version (HeroVirtTlsOptionBuilder *self, const char *version)
{
  g_return_val_if_fail (HERO_VIRT_IS_TLS_OPTION_BUILDER (self), NULL);
  g_free (self->max_version);
  self->max_version = g_strdup (version ? version : "");
  return self;
}

/**
 * hero_virt_tls_option_builder_cipher_suite:
 * @self: a #HeroVirtTlsOptionBuilder
 * @suite: a cipher suite to allow (TLS 1.2 and older), by Go's name
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtTlsOptionBuilder *
hero_virt_tls_option_builder_cipher_suite (HeroVirtTlsOptionBuilder *self, const char *suite)
{
  g_return_val_if_fail (HERO_VIRT_IS_TLS_OPTION_BUILDER (self), NULL);
  g_ptr_array_add (self->suites, g_strdup (suite ? suite : ""));
  return self;
}

/**
 * hero_virt_tls_option_builder_sni_strict:
 * @self: a #HeroVirtTlsOptionBuilder
 * @strict: refuse clients that send no server name or one no certificate
 *   matches
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtTlsOptionBuilder *
hero_virt_tls_option_builder_sni_strict (HeroVirtTlsOptionBuilder *self, gboolean strict)
{
  g_return_val_if_fail (HERO_VIRT_IS_TLS_OPTION_BUILDER (self), NULL);
  self->sni_strict = strict ? 1 : 0;
  return self;
}
