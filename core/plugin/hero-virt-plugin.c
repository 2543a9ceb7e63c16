/* hero-virt-plugin.c: a plugin shared object, as a GTypeModule
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"
#include "hero-virt-plugin-private.h"

/**
 * HeroVirtPlugin:
 *
 * A loaded plugin. It is the #GTypeModule the plugin registers its dynamic
 * types with (`G_DEFINE_DYNAMIC_TYPE_EXTENDED`,
 * `G_IMPLEMENT_INTERFACE_DYNAMIC`), and the object it announces its
 * providers to, from the register function named in its
 * HERO_VIRT_PLUGIN_DEFINE() descriptor. The plugin only keeps what it is
 * told; the registry reads it once the register function has returned.
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
  GArray                   *announcements; /* HeroVirtProviderAnnouncement */
  GError                   *load_error;
  gboolean                  registering;
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
  self->registering = TRUE;
  self->registered = self->desc->register_func (self, &self->load_error);
  self->registering = FALSE;
  if (!self->registered)
    {
      if (self->load_error == NULL)
        g_set_error (&self->load_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PLUGIN,
                     "The plugin's register function failed");
      return FALSE;
    }
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
  g_array_unref (self->announcements);
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
clear_announcement (gpointer data)
{
  HeroVirtProviderAnnouncement *announcement = data;

  g_free (announcement->name);
}

static void
hero_virt_plugin_init (HeroVirtPlugin *self)
{
  self->announcements = g_array_new (FALSE, FALSE, sizeof (HeroVirtProviderAnnouncement));
  g_array_set_clear_func (self->announcements, clear_announcement);
}

HeroVirtPlugin *
_hero_virt_plugin_new (GModule *module, const HeroVirtPluginDesc *desc, const char *path)
{
  HeroVirtPlugin *self = g_object_new (HERO_VIRT_TYPE_PLUGIN, NULL);

  self->module = module;
  self->desc = desc;
  self->path = g_strdup (path);
  g_type_module_set_name (G_TYPE_MODULE (self), desc->name);
  return self;
}

GError *
_hero_virt_plugin_take_error (HeroVirtPlugin *self)
{
  return g_steal_pointer (&self->load_error);
}

GArray *
_hero_virt_plugin_get_announcements (HeroVirtPlugin *self)
{
  return self->announcements;
}

/**
 * hero_virt_plugin_add_provider:
 * @self: the plugin being loaded
 * @kind: what the provider provides
 * @name: the provider's name, unique within @kind (`[a-z0-9_-]+`)
 * @type: the provider's #GType; it must implement the interface of @kind
 * @priority: the higher, the more preferred as the default of @kind
 *
 * Announces a provider. Call it from the plugin's register function; the
 * registry checks the announcement (name, type, kind) when the function
 * has returned successfully. The provider object is created the first
 * time it is needed.
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
  g_return_if_fail (self->registering);

  g_array_append_val (self->announcements,
                      ((HeroVirtProviderAnnouncement){ kind, g_strdup (name), type, priority }));
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
