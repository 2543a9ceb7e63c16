/* hero-virt-config-map-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtConfigMapBuilder:
 *
 * A `v1` ConfigMap: text entries (`data`) and binary ones (`binaryData`,
 * base64 in the object). Keys are file names: letters, digits, `-`, `_`
 * and `.`; a key is either text or binary.
 *
 * ```python
 * HeroVirt.ConfigMapBuilder.new(km, "settings").data("mode", "fast").apply(None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtConfigMapBuilder
{
  HeroVirtKubeResourceBuilder parent_instance;

  JsonObject *data;
  JsonObject *binary;
};

G_DEFINE_FINAL_TYPE (HeroVirtConfigMapBuilder,
                     hero_virt_config_map_builder,
                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

static gboolean
hero_virt_config_map_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                         JsonObject                  *object,
                                         GError                     **error)
{
  HeroVirtConfigMapBuilder *self = HERO_VIRT_CONFIG_MAP_BUILDER (builder);

  json_object_set_object_member (object, "data", _hero_virt_json_object_copy (self->data));
  if (json_object_get_size (self->binary) > 0)
    json_object_set_object_member (object, "binaryData",
                                   _hero_virt_json_object_copy (self->binary));
  return TRUE;
}

static void
hero_virt_config_map_builder_finalize (GObject *object)
{
  HeroVirtConfigMapBuilder *self = HERO_VIRT_CONFIG_MAP_BUILDER (object);

  json_object_unref (self->data);
  json_object_unref (self->binary);
  G_OBJECT_CLASS (hero_virt_config_map_builder_parent_class)->finalize (object);
}

static void
hero_virt_config_map_builder_class_init (HeroVirtConfigMapBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_config_map_builder_finalize;
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into
      = hero_virt_config_map_builder_build_into;
}

static void
hero_virt_config_map_builder_init (HeroVirtConfigMapBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "v1",
                                             "ConfigMap");
  self->data = json_object_new ();
  self->binary = json_object_new ();
}

/**
 * hero_virt_config_map_builder_new:
 * @manager: (nullable): the manager to apply it through, or %NULL to
 *   only build
 * @name: the config map's name (a DNS-1123 subdomain)
 *
 * Returns: (transfer full): a config map builder
 *
 * Since: 0.1
 */
HeroVirtConfigMapBuilder *
hero_virt_config_map_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_CONFIG_MAP_BUILDER, "manager", manager, "name", name, NULL);
}

static gboolean
check_key (HeroVirtConfigMapBuilder *self, const char *field, const char *key, JsonObject *other)
{
  GError *error = NULL;

  if (!_hero_virt_kube_check_key (field, key, &error))
    {
      _hero_virt_kube_builder_take (self, NULL, error);
      return FALSE;
    }
  if (json_object_has_member (other, key))
    {
      _hero_virt_kube_builder_invalid (self, field, key, "the key is both text and binary");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_config_map_builder_data:
 * @self: a #HeroVirtConfigMapBuilder
 * @key: the entry's key
 * @value: its text (UTF-8)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtConfigMapBuilder *
hero_virt_config_map_builder_data (HeroVirtConfigMapBuilder *self,
                                   const char               *key,
                                   const char               *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONFIG_MAP_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  if (!check_key (self, "data", key, self->binary))
    return self;
  if (!g_utf8_validate (value, -1, NULL))
    _hero_virt_kube_builder_invalid (self, "data", key,
                                     "the value is not UTF-8 (use binary_data())");
  else
    json_object_set_string_member (self->data, key, value);
  return self;
}

/**
 * hero_virt_config_map_builder_binary_data:
 * @self: a #HeroVirtConfigMapBuilder
 * @key: the entry's key
 * @value: its bytes
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtConfigMapBuilder *
hero_virt_config_map_builder_binary_data (HeroVirtConfigMapBuilder *self,
                                          const char               *key,
                                          GBytes                   *value)
{
  g_autofree char *b64 = NULL;
  gsize            len;
  const guchar    *data;

  g_return_val_if_fail (HERO_VIRT_IS_CONFIG_MAP_BUILDER (self), NULL);
  g_return_val_if_fail (value != NULL, self);
  if (!check_key (self, "binaryData", key, self->data))
    return self;
  data = g_bytes_get_data (value, &len);
  b64 = g_base64_encode (data, len);
  json_object_set_string_member (self->binary, key, b64);
  return self;
}
