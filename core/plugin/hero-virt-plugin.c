/* hero-virt-plugin.c: a plugin shared object, as a GTypeModule
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"
#include "hero-virt-registry-private.h"

/**
 * HeroVirtPlugin:
 *
 * A loaded plugin. It is the #GTypeModule the plugin registers its dynamic
 * types with (`G_DEFINE_DYNAMIC_TYPE_EXTENDED`,
 * `G_IMPLEMENT_INTERFACE_DYNAMIC`), and the object it announces its
 * providers to, from the register function named in its
 * HERO_VIRT_PLUGIN_DEFINE() descriptor.
 *
 * Plugins are never unloaded: their types stay registered for the life of
 * the process.
 *
 * Since: 0.1
 */
struct _HeroVirtPlugin
{
  GTypeModule parent_instance;

  GModule                  *module;
  const HeroVirtPluginDesc *desc;
  char                     *path;
  HeroVirtRegistry         *registry; /* unowned; the registry outlives plugins */
  GError                   *load_error;
  gboolean                  registered;
};

G_DEFINE_FINAL_TYPE (HeroVirtPlugin, hero_virt_plugin, G_TYPE_TYPE_MODULE)

static gboolean
hero_virt_plugin_load (GTypeModule *module)
{
  HeroVirtPlugin *self = HERO_VIRT_PLUGIN (module);

  /* Registering again after an unload is not supported: types stay. */
  if (self->registered)
    return TRUE;

  g_clear_error (&self->load_error);
  if (!self->desc->register_func (self, &self->load_error))
    {
      if (self->load_error == NULL)
        g_set_error (&self->load_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PLUGIN,
                     "The plugin's register function failed");
      return FALSE;
    }
  self->registered = TRUE;
  return TRUE;
}

static void
hero_virt_plugin_unload (GTypeModule *module)
{
  /* Keep the module resident; its types may still be in use. */
}

static void
hero_virt_plugin_finalize (GObject *object)
{
  HeroVirtPlugin *self = HERO_VIRT_PLUGIN (object);

  g_free (self->path);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (hero_virt_plugin_parent_class)->finalize (object);
}

static void
hero_virt_plugin_class_init (HeroVirtPluginClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  GTypeModuleClass *module_class = G_TYPE_MODULE_CLASS (klass);

  object_class->finalize = hero_virt_plugin_finalize;
  module_class->load = hero_virt_plugin_load;
  module_class->unload = hero_virt_plugin_unload;
}

static void
hero_virt_plugin_init (HeroVirtPlugin *self)
{
}

HeroVirtPlugin *
_hero_virt_plugin_new (GModule                  *module,
                       const HeroVirtPluginDesc *desc,
                       const char               *path,
                       HeroVirtRegistry         *registry)
{
  HeroVirtPlugin *self = g_object_new (HERO_VIRT_TYPE_PLUGIN, NULL);

  self->module = module;
  self->desc = desc;
  self->path = g_strdup (path);
  self->registry = registry;
  g_type_module_set_name (G_TYPE_MODULE (self), desc->name);
  return self;
}

GError *
_hero_virt_plugin_take_error (HeroVirtPlugin *self)
{
  return g_steal_pointer (&self->load_error);
}

/**
 * hero_virt_plugin_add_provider:
 * @self: the plugin being loaded
 * @kind: what the provider provides
 * @name: the provider's name, unique within @kind (`[a-z0-9_-]+`)
 * @type: the provider's #GType; it must implement the interface of @kind
 * @priority: the higher, the more preferred as the default of @kind
 *
 * Announces a provider. Call it from the plugin's register function. The
 * provider object is created the first time it is needed.
 *
 * Since: 0.1
 */
void
hero_virt_plugin_add_provider (HeroVirtPlugin      *self,
                               HeroVirtProviderKind kind,
                               const char          *name,
                               GType                type,
                               int                  priority)
{
  g_return_if_fail (HERO_VIRT_IS_PLUGIN (self));
  g_return_if_fail (name != NULL);

  _hero_virt_registry_plugin_add_provider (self->registry, self, kind, name, type, priority);
}

/**
 * hero_virt_plugin_get_name:
 * @self: a #HeroVirtPlugin
 *
 * Returns: the plugin's name from its descriptor
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_get_name (HeroVirtPlugin *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN (self), NULL);
  return self->desc->name;
}

/**
 * hero_virt_plugin_get_path:
 * @self: a #HeroVirtPlugin
 *
 * Returns: (type filename): the plugin's file
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_get_path (HeroVirtPlugin *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN (self), NULL);
  return self->path;
}
