/* hero-virt-secret-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtSecretBuilder:
 *
 * A `v1` Secret of a type (`Opaque` unless
 * [method@HeroVirt.SecretBuilder.secret_type] says otherwise, such as
 * `kubernetes.io/tls`): entries given as text or bytes go base64-encoded
 * into `data`, as the API keeps them; entries given with
 * [method@HeroVirt.SecretBuilder.string_data] go into `stringData`, which
 * the API server merges into `data`. Values never appear in error
 * messages or logs, only keys.
 *
 * ```python
 * HeroVirt.SecretBuilder.new(km, "creds").data("password", pw).apply(None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtSecretBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  JsonObject *data;
  JsonObject *string_data;
  char       *type;
};

G_DEFINE_FINAL_TYPE (HeroVirtSecretBuilder,
                     hero_virt_secret_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static gboolean
hero_virt_secret_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                     JsonObject                  *object,
                                     GError                     **error)
{
  HeroVirtSecretBuilder *self = HERO_VIRT_SECRET_BUILDER (builder);
  const char            *type = self->type ? self->type : "Opaque";

  if (*type == '\0' || strlen (type) > 253 || !hero_virt_validate_text ("type", type, NULL))
    return hero_virt_set_invalid_argument (error, "type", type,
                                           "a secret type is one line of text, such as Opaque");
  if (g_str_equal (type, "kubernetes.io/tls"))
    for (guint i = 0; i < 2; i++)
      {
        const char *key = i == 0 ? "tls.crt" : "tls.key";

        if (!json_object_has_member (self->data, key)
            && !json_object_has_member (self->string_data, key))
          return hero_virt_set_invalid_argument (error, "data", key,
                                                 "a kubernetes.io/tls secret needs this key");
      }
  json_object_set_string_member (object, "type", type);
  json_object_set_object_member (object, "data", _hero_virt_json_object_copy (self->data));
  if (json_object_get_size (self->string_data) > 0)
    json_object_set_object_member (object, "stringData",
                                   _hero_virt_json_object_copy (self->string_data));
  return TRUE;
}

static void
hero_virt_secret_builder_finalize (GObject *object)
{
  HeroVirtSecretBuilder *self = HERO_VIRT_SECRET_BUILDER (object);

  json_object_unref (self->data);
  json_object_unref (self->string_data);
  g_free (self->type);
  G_OBJECT_CLASS (hero_virt_secret_builder_parent_class)->finalize (object);
}

static void
hero_virt_secret_builder_class_init (HeroVirtSecretBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_secret_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into = hero_virt_secret_builder_build_into;
}

static void
hero_virt_secret_builder_init (HeroVirtSecretBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "v1",
                                             "Secret");
  self->data = json_object_new ();
  self->string_data = json_object_new ();
}

/**
 * hero_virt_secret_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the secret's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): a secret builder
 *
 * Since: 0.1
 */
HeroVirtSecretBuilder *
hero_virt_secret_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_SECRET_BUILDER, "manager", manager, "name", name, NULL);
}

static gboolean
check_key (HeroVirtSecretBuilder *self, const char *field, const char *key, JsonObject *other)
{
  GError *error = NULL;

  if (!_hero_virt_kube_check_key (field, key, &error))
    {
      _hero_virt_kube_builder_take (self, NULL, error);
      return FALSE;
    }
  if (json_object_has_member (other, key))
    {
      _hero_virt_kube_builder_invalid (self, field, key, "the key is in both data and stringData");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_secret_builder_data_bytes:
 * @self: a #HeroVirtSecretBuilder
 * @key: the entry's key
 * @value: its bytes
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSecretBuilder *
hero_virt_secret_builder_data_bytes (HeroVirtSecretBuilder *self, const char *key, GBytes *value)
{
  g_autofree char *b64 = NULL;
  const guchar    *data;
  gsize            len;

  g_return_val_if_fail (HERO_VIRT_IS_SECRET_BUILDER (self), NULL);
  g_return_val_if_fail (value != NULL, self);
  if (!check_key (self, "data", key, self->string_data))
    return self;
  data = g_bytes_get_data (value, &len);
  b64 = g_base64_encode (data, len);
  json_object_set_string_member (self->data, key, b64);
  return self;
}

/**
 * hero_virt_secret_builder_data:
 * @self: a #HeroVirtSecretBuilder
 * @key: the entry's key
 * @value: its value as text; it goes base64-encoded into `data`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSecretBuilder *
hero_virt_secret_builder_data (HeroVirtSecretBuilder *self, const char *key, const char *value)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_SECRET_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  bytes = g_bytes_new (value, strlen (value));
  return hero_virt_secret_builder_data_bytes (self, key, bytes);
}

/**
 * hero_virt_secret_builder_string_data:
 * @self: a #HeroVirtSecretBuilder
 * @key: the entry's key
 * @value: its value as text (UTF-8), kept as it is in `stringData`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSecretBuilder *
hero_virt_secret_builder_string_data (HeroVirtSecretBuilder *self,
                                      const char            *key,
                                      const char            *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_SECRET_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  if (!check_key (self, "stringData", key, self->data))
    return self;
  if (!g_utf8_validate (value, -1, NULL))
    _hero_virt_kube_builder_invalid (self, "stringData", key,
                                     "the value is not UTF-8 (use data_bytes())");
  else
    json_object_set_string_member (self->string_data, key, value);
  return self;
}

/**
 * hero_virt_secret_builder_secret_type:
 * @self: a #HeroVirtSecretBuilder
 * @type: (nullable): the secret's type, such as `Opaque` (the default),
 *   `kubernetes.io/tls` (needs `tls.crt` and `tls.key`) or
 *   `kubernetes.io/dockerconfigjson`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtSecretBuilder *
hero_virt_secret_builder_secret_type (HeroVirtSecretBuilder *self, const char *type)
{
  g_return_val_if_fail (HERO_VIRT_IS_SECRET_BUILDER (self), NULL);
  g_free (self->type);
  self->type = g_strdup (type);
  return self;
}
