/* hero-virt-plugin-info.c: what the registry knows of plugins and providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"
#include "hero-virt-plugin-info-private.h"

/**
 * HeroVirtPluginInfo:
 *
 * What the registry found in one plugin file: the descriptor's name,
 * version and description, where it came from, the providers it
 * registered, and, for a plugin that was skipped, why.
 *
 * Since: 0.1
 */
struct _HeroVirtPluginInfo
{
  GObject parent_instance;

  char      *name;
  char      *version;
  char      *description;
  char      *license;
  char      *path;
  char      *error;
  gboolean   loaded;
  GPtrArray *providers;
};

/**
 * HeroVirtProviderInfo:
 *
 * One provider known to the registry: its kind, name and priority, the
 * plugin that registered it (none for providers registered at run time),
 * the provider object itself, and the executors it was found available on.
 *
 * Since: 0.1
 */
struct _HeroVirtProviderInfo
{
  GObject parent_instance;

  HeroVirtProviderKind kind;
  char                *name;
  int                  priority;
  GType                type;
  char                *plugin_name;

  GMutex      lock;
  GObject    *instance;
  GHashTable *available_on; /* HeroVirtExecutor (weak) -> itself */
};

enum
{
  PLUGIN_PROP_0,
  PLUGIN_PROP_NAME,
  PLUGIN_PROP_VERSION,
  PLUGIN_PROP_DESCRIPTION,
  PLUGIN_PROP_LICENSE,
  PLUGIN_PROP_PATH,
  PLUGIN_PROP_ERROR,
  PLUGIN_PROP_LOADED,
  PLUGIN_N_PROPS
};

enum
{
  PROVIDER_PROP_0,
  PROVIDER_PROP_KIND,
  PROVIDER_PROP_NAME,
  PROVIDER_PROP_PRIORITY,
  PROVIDER_PROP_PLUGIN_NAME,
  PROVIDER_N_PROPS
};

static GParamSpec *plugin_properties[PLUGIN_N_PROPS];
static GParamSpec *provider_properties[PROVIDER_N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtPluginInfo, hero_virt_plugin_info, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (HeroVirtProviderInfo, hero_virt_provider_info, G_TYPE_OBJECT)

static void
hero_virt_plugin_info_finalize (GObject *object)
{
  HeroVirtPluginInfo *self = HERO_VIRT_PLUGIN_INFO (object);

  g_free (self->name);
  g_free (self->version);
  g_free (self->description);
  g_free (self->license);
  g_free (self->path);
  g_free (self->error);
  g_ptr_array_unref (self->providers);

  G_OBJECT_CLASS (hero_virt_plugin_info_parent_class)->finalize (object);
}

static void
hero_virt_plugin_info_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HeroVirtPluginInfo *self = HERO_VIRT_PLUGIN_INFO (object);

  switch (prop_id)
    {
    case PLUGIN_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PLUGIN_PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PLUGIN_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PLUGIN_PROP_LICENSE:
      g_value_set_string (value, self->license);
      break;
    case PLUGIN_PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PLUGIN_PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PLUGIN_PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_plugin_info_class_init (HeroVirtPluginInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_plugin_info_finalize;
  object_class->get_property = hero_virt_plugin_info_get_property;

  /**
   * HeroVirtPluginInfo:name:
   *
   * The plugin's name from its descriptor, or %NULL when the file could
   * not be read as a plugin.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:version:
   *
   * The plugin's version.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_VERSION] = g_param_spec_string (
      "version", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:description:
   *
   * What the plugin provides, in one line.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_DESCRIPTION] = g_param_spec_string (
      "description", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:license:
   *
   * The plugin's license.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_LICENSE] = g_param_spec_string (
      "license", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:path:
   *
   * The plugin's file.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:error:
   *
   * Why the plugin was skipped, or %NULL when it loaded.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPluginInfo:loaded:
   *
   * Whether the plugin loaded and registered its providers.
   *
   * Since: 0.1
   */
  plugin_properties[PLUGIN_PROP_LOADED] = g_param_spec_boolean (
      "loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PLUGIN_N_PROPS, plugin_properties);
}

static void
hero_virt_plugin_info_init (HeroVirtPluginInfo *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
}

HeroVirtPluginInfo *
_hero_virt_plugin_info_new (const char *path)
{
  HeroVirtPluginInfo *self = g_object_new (HERO_VIRT_TYPE_PLUGIN_INFO, NULL);

  self->path = g_strdup (path);
  return self;
}

void
_hero_virt_plugin_info_set_desc (HeroVirtPluginInfo *self,
                                 const char         *name,
                                 const char         *version,
                                 const char         *description,
                                 const char         *license)
{
  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->version);
  self->version = g_strdup (version);
  g_free (self->description);
  self->description = g_strdup (description);
  g_free (self->license);
  self->license = g_strdup (license);
}

void
_hero_virt_plugin_info_set_error (HeroVirtPluginInfo *self, const char *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
}

void
_hero_virt_plugin_info_append_error (HeroVirtPluginInfo *self, const char *error)
{
  char *joined = self->error ? g_strdup_printf ("%s; %s", self->error, error) : g_strdup (error);

  g_free (self->error);
  self->error = joined;
}

void
_hero_virt_plugin_info_set_loaded (HeroVirtPluginInfo *self, gboolean loaded)
{
  self->loaded = loaded;
}

void
_hero_virt_plugin_info_add_provider (HeroVirtPluginInfo *self, HeroVirtProviderInfo *provider)
{
  g_ptr_array_add (self->providers, g_object_ref (provider));
}

/**
 * hero_virt_plugin_info_get_name:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (nullable): the plugin's name
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_name (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->name;
}

/**
 * hero_virt_plugin_info_get_version:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (nullable): the plugin's version
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_version (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->version;
}

/**
 * hero_virt_plugin_info_get_description:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (nullable): the plugin's description
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_description (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->description;
}

/**
 * hero_virt_plugin_info_get_license:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (nullable): the plugin's license
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_license (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->license;
}

/**
 * hero_virt_plugin_info_get_path:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (type filename): the plugin's file
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_path (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->path;
}

/**
 * hero_virt_plugin_info_get_error:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (nullable): why the plugin was skipped, or %NULL
 *
 * Since: 0.1
 */
const char *
hero_virt_plugin_info_get_error (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);
  return self->error;
}

/**
 * hero_virt_plugin_info_get_loaded:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: whether the plugin loaded
 *
 * Since: 0.1
 */
gboolean
hero_virt_plugin_info_get_loaded (HeroVirtPluginInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), FALSE);
  return self->loaded;
}

/**
 * hero_virt_plugin_info_get_providers:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (transfer container) (element-type HeroVirtProviderInfo): the
 *   providers the plugin registered
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_plugin_info_get_providers (HeroVirtPluginInfo *self)
{
  GPtrArray *ret;

  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);

  ret = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->providers->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (self->providers, i)));
  return ret;
}

/**
 * hero_virt_plugin_info_get_provider_kinds:
 * @self: a #HeroVirtPluginInfo
 *
 * Returns: (transfer full) (array zero-terminated=1): the distinct kinds
 *   (`disk`, `image`, …) of the plugin's providers
 *
 * Since: 0.1
 */
char **
hero_virt_plugin_info_get_provider_kinds (HeroVirtPluginInfo *self)
{
  GPtrArray *kinds;

  g_return_val_if_fail (HERO_VIRT_IS_PLUGIN_INFO (self), NULL);

  kinds = g_ptr_array_new ();
  for (guint i = 0; i < self->providers->len; i++)
    {
      HeroVirtProviderInfo *p = g_ptr_array_index (self->providers, i);
      const char           *kind = hero_virt_provider_kind_to_string (p->kind);
      gboolean              seen = FALSE;

      for (guint j = 0; j < kinds->len; j++)
        seen |= strcmp (g_ptr_array_index (kinds, j), kind) == 0;
      if (!seen)
        g_ptr_array_add (kinds, g_strdup (kind));
    }
  g_ptr_array_add (kinds, NULL);
  return (char **)g_ptr_array_free (kinds, FALSE);
}

/* HeroVirtProviderInfo */

static void
forget_executor (gpointer data, GObject *executor)
{
  HeroVirtProviderInfo *self = data;

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->available_on, executor);
  g_mutex_unlock (&self->lock);
}

static void
hero_virt_provider_info_finalize (GObject *object)
{
  HeroVirtProviderInfo *self = HERO_VIRT_PROVIDER_INFO (object);
  GHashTableIter        iter;
  gpointer              executor;

  g_hash_table_iter_init (&iter, self->available_on);
  while (g_hash_table_iter_next (&iter, &executor, NULL))
    g_object_weak_unref (executor, forget_executor, self);
  g_hash_table_unref (self->available_on);
  g_free (self->name);
  g_free (self->plugin_name);
  g_clear_object (&self->instance);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_provider_info_parent_class)->finalize (object);
}

static void
hero_virt_provider_info_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HeroVirtProviderInfo *self = HERO_VIRT_PROVIDER_INFO (object);

  switch (prop_id)
    {
    case PROVIDER_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROVIDER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROVIDER_PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROVIDER_PROP_PLUGIN_NAME:
      g_value_set_string (value, self->plugin_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_provider_info_class_init (HeroVirtProviderInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_provider_info_finalize;
  object_class->get_property = hero_virt_provider_info_get_property;

  /**
   * HeroVirtProviderInfo:kind:
   *
   * What the provider provides.
   *
   * Since: 0.1
   */
  provider_properties[PROVIDER_PROP_KIND]
      = g_param_spec_enum ("kind", NULL, NULL, HERO_VIRT_TYPE_PROVIDER_KIND,
                           HERO_VIRT_PROVIDER_KIND_DISK, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProviderInfo:name:
   *
   * The provider's name, unique within its kind.
   *
   * Since: 0.1
   */
  provider_properties[PROVIDER_PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProviderInfo:priority:
   *
   * The higher, the more preferred as the default of its kind.
   *
   * Since: 0.1
   */
  provider_properties[PROVIDER_PROP_PRIORITY] = g_param_spec_int (
      "priority", NULL, NULL, G_MININT, G_MAXINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtProviderInfo:plugin-name:
   *
   * The plugin that registered the provider, or %NULL for one registered
   * at run time.
   *
   * Since: 0.1
   */
  provider_properties[PROVIDER_PROP_PLUGIN_NAME] = g_param_spec_string (
      "plugin-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PROVIDER_N_PROPS, provider_properties);
}

static void
hero_virt_provider_info_init (HeroVirtProviderInfo *self)
{
  g_mutex_init (&self->lock);
  self->available_on = g_hash_table_new (NULL, NULL);
}

HeroVirtProviderInfo *
_hero_virt_provider_info_new (HeroVirtProviderKind kind,
                              const char          *name,
                              int                  priority,
                              GType                type,
                              GObject             *instance,
                              const char          *plugin_name)
{
  HeroVirtProviderInfo *self = g_object_new (HERO_VIRT_TYPE_PROVIDER_INFO, NULL);

  self->kind = kind;
  self->name = g_strdup (name);
  self->priority = priority;
  self->type = instance ? G_OBJECT_TYPE (instance) : type;
  self->instance = instance ? g_object_ref (instance) : NULL;
  self->plugin_name = g_strdup (plugin_name);
  return self;
}

/**
 * hero_virt_provider_info_get_kind:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns: the provider's kind
 *
 * Since: 0.1
 */
HeroVirtProviderKind
hero_virt_provider_info_get_kind (HeroVirtProviderInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), 0);
  return self->kind;
}

/**
 * hero_virt_provider_info_get_name:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns: the provider's name
 *
 * Since: 0.1
 */
const char *
hero_virt_provider_info_get_name (HeroVirtProviderInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), NULL);
  return self->name;
}

/**
 * hero_virt_provider_info_get_priority:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns: the provider's priority
 *
 * Since: 0.1
 */
int
hero_virt_provider_info_get_priority (HeroVirtProviderInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), 0);
  return self->priority;
}

/**
 * hero_virt_provider_info_get_plugin_name:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns: (nullable): the plugin that registered the provider
 *
 * Since: 0.1
 */
const char *
hero_virt_provider_info_get_plugin_name (HeroVirtProviderInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), NULL);
  return self->plugin_name;
}

/**
 * hero_virt_provider_info_get_provider_type:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns: the #GType of the provider object
 *
 * Since: 0.1
 */
GType
hero_virt_provider_info_get_provider_type (HeroVirtProviderInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), G_TYPE_INVALID);
  return self->type;
}

/**
 * hero_virt_provider_info_get_provider:
 * @self: a #HeroVirtProviderInfo
 *
 * Returns the provider object, creating it on first use. Each provider has
 * one instance per process.
 *
 * Returns: (transfer full): the provider, which implements the interface
 *   of its kind
 *
 * Since: 0.1
 */
GObject *
hero_virt_provider_info_get_provider (HeroVirtProviderInfo *self)
{
  GObject *ret;

  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->instance == NULL)
    self->instance = g_object_new (self->type, NULL);
  ret = g_object_ref (self->instance);
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * hero_virt_provider_info_check_available:
 * @self: a #HeroVirtProviderInfo
 * @executor: (nullable): the executor the provider would run its commands
 *   on, or %NULL for the default executor
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the provider whether its backend can be used on @executor's host
 * (the tool is installed there, the daemon answers). A positive answer is
 * remembered for as long as @executor lives; a negative one is asked
 * again next time, so a tool installed meanwhile is found.
 *
 * Returns: %TRUE if the provider is available on @executor
 *
 * Since: 0.1
 */
gboolean
hero_virt_provider_info_check_available (HeroVirtProviderInfo *self,
                                         HeroVirtExecutor     *executor,
                                         GCancellable         *cancellable,
                                         GError              **error)
{
  g_autoptr (GObject) provider = NULL;
  gboolean known;

  g_return_val_if_fail (HERO_VIRT_IS_PROVIDER_INFO (self), FALSE);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);

  if (executor == NULL)
    executor = hero_virt_executor_get_default ();

  g_mutex_lock (&self->lock);
  known = g_hash_table_contains (self->available_on, executor);
  g_mutex_unlock (&self->lock);
  if (known)
    return TRUE;

  provider = hero_virt_provider_info_get_provider (self);
  if (!_hero_virt_provider_kind_is_available (self->kind, provider, executor, cancellable, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  if (g_hash_table_add (self->available_on, executor))
    g_object_weak_ref (G_OBJECT (executor), forget_executor, self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}
