/* hero-virt-registry.c: plugin discovery and provider selection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "hero-virt-private.h"
#include "hero-virt-plugin-private.h"
#include "hero-virt-plugin-info-private.h"

/**
 * HeroVirtRegistry:
 *
 * Finds plugins, keeps what it learnt of each, and hands out providers.
 *
 * The default registry ([func@HeroVirt.Registry.get_default]) scans, on
 * first use, every directory in `HERO_VIRT_PLUGIN_PATH` (PATH syntax,
 * searched first), then the installed plugin directory (replaced by
 * `HERO_VIRT_PLUGIN_SYSTEM_PATH` when that is set, so tests can ignore
 * installed plugins); relative entries are ignored, and so are both
 * variables in a setuid process. Each `*.so` there, and its directory,
 * must belong to root or to the user and be writable by nobody else.
 *
 * A plugin file not seen before is first opened in a helper process,
 * `hero-virt-plugin-scanner` (like `gst-plugin-scanner`): a plugin that
 * crashes, aborts or hangs in its constructors or its register function
 * is listed with that error and never loaded here. What the scanner said
 * is cached by path, size and modification time
 * (`$XDG_CACHE_HOME/hero-virt/registry-1.json`), so a warm start spawns
 * nothing. In the host, the descriptor is checked, ABI version first,
 * before any of its code runs. A file that is not a plugin, a plugin
 * built for another ABI, a plugin whose register function fails, or a
 * second plugin with a name already taken is listed with its error and
 * skipped: the first plugin of a name wins.
 *
 * Providers are chosen by kind: by name, or the default, which is the one
 * named in `HERO_VIRT_<KIND>` (`HERO_VIRT_DISK=qcow2`, like GIO's
 * `GIO_USE_VFS`) or else the highest-priority provider whose availability
 * probe passes on the executor the provider will run its commands on
 * ([method@HeroVirt.Registry.find_provider]). Providers can also be registered at run time from any
 * language with [method@HeroVirt.Registry.register_provider].
 *
 * Since: 0.1
 */
struct _HeroVirtRegistry
{
  GObject parent_instance;

  GRecMutex   lock;
  GPtrArray  *plugins;                               /* HeroVirtPluginInfo */
  GPtrArray  *providers[HERO_VIRT_PROVIDER_N_KINDS]; /* HeroVirtProviderInfo */
  GHashTable *plugin_by_name;                        /* name -> HeroVirtPluginInfo */
  char      **search_path;
};

G_DEFINE_FINAL_TYPE (HeroVirtRegistry, hero_virt_registry, G_TYPE_OBJECT)

static void
hero_virt_registry_finalize (GObject *object)
{
  HeroVirtRegistry *self = HERO_VIRT_REGISTRY (object);

  g_ptr_array_unref (self->plugins);
  for (guint i = 0; i < HERO_VIRT_PROVIDER_N_KINDS; i++)
    g_ptr_array_unref (self->providers[i]);
  g_hash_table_unref (self->plugin_by_name);
  g_strfreev (self->search_path);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_registry_parent_class)->finalize (object);
}

static void
hero_virt_registry_class_init (HeroVirtRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_registry_finalize;
}

static void
hero_virt_registry_init (HeroVirtRegistry *self)
{
  g_rec_mutex_init (&self->lock);
  self->plugins = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < HERO_VIRT_PROVIDER_N_KINDS; i++)
    self->providers[i] = g_ptr_array_new_with_free_func (g_object_unref);
  self->plugin_by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Absolute entries only: a relative one would depend on the current
 * directory of whoever runs us. */
static void
add_path_entries (GPtrArray *dirs, const char *value, const char *variable)
{
  g_auto (GStrv) parts = g_strsplit (value, G_SEARCHPATH_SEPARATOR_S, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (!g_path_is_absolute (parts[i]))
        {
          g_debug ("%s: ignoring the relative entry “%s”", variable, parts[i]);
          continue;
        }
      g_ptr_array_add (dirs, g_strdup (parts[i]));
    }
}

static char **
compute_search_path (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  /* Both are ignored when running setuid: the caller's environment must
   * not choose the code we load. */
  const char *env = _hero_virt_secure_getenv ("HERO_VIRT_PLUGIN_PATH");
  const char *system = _hero_virt_secure_getenv ("HERO_VIRT_PLUGIN_SYSTEM_PATH");

  if (env != NULL)
    add_path_entries (dirs, env, "HERO_VIRT_PLUGIN_PATH");
  if (system != NULL)
    add_path_entries (dirs, system, "HERO_VIRT_PLUGIN_SYSTEM_PATH");
  else
    g_ptr_array_add (dirs, g_strdup (HERO_VIRT_PLUGINDIR));

  g_ptr_array_add (dirs, NULL);
  return (char **)g_ptr_array_free (dirs, FALSE);
}

static HeroVirtProviderInfo *
find_provider_locked (HeroVirtRegistry *self, HeroVirtProviderKind kind, const char *name)
{
  GPtrArray *list = self->providers[kind];

  for (guint i = 0; i < list->len; i++)
    {
      HeroVirtProviderInfo *info = g_ptr_array_index (list, i);
      if (strcmp (hero_virt_provider_info_get_name (info), name) == 0)
        return info;
    }
  return NULL;
}

static gint
compare_priority (gconstpointer a, gconstpointer b)
{
  HeroVirtProviderInfo *pa = *(HeroVirtProviderInfo **)a;
  HeroVirtProviderInfo *pb = *(HeroVirtProviderInfo **)b;
  int                   qa = hero_virt_provider_info_get_priority (pa);
  int                   qb = hero_virt_provider_info_get_priority (pb);

  if (qa != qb)
    return qa > qb ? -1 : 1;
  return strcmp (hero_virt_provider_info_get_name (pa), hero_virt_provider_info_get_name (pb));
}

static void
add_provider_locked (HeroVirtRegistry *self, HeroVirtProviderInfo *info)
{
  HeroVirtProviderKind kind = hero_virt_provider_info_get_kind (info);

  g_ptr_array_add (self->providers[kind], g_object_ref (info));
  g_ptr_array_sort (self->providers[kind], compare_priority);
}

/* Checks what @plugin announced while it registered and adds the good
 * providers; each bad one is named in @info's error and skipped. */
static void
add_announced_providers_locked (HeroVirtRegistry   *self,
                                HeroVirtPluginInfo *info,
                                HeroVirtPlugin     *plugin)
{
  GArray *announcements = _hero_virt_plugin_get_announcements (plugin);

  for (guint i = 0; i < announcements->len; i++)
    {
      HeroVirtProviderAnnouncement *a
          = &g_array_index (announcements, HeroVirtProviderAnnouncement, i);
      g_autoptr (HeroVirtProviderInfo) provider = NULL;
      g_autoptr (GError) invalid = NULL;
      g_autofree char *message = NULL;

      if ((guint)a->kind >= HERO_VIRT_PROVIDER_N_KINDS)
        message = g_strdup_printf ("provider “%s” has an unknown kind %d", a->name, a->kind);
      else if (!_hero_virt_validate_provider_name (a->name, &invalid))
        message = g_strdup (invalid->message);
      else if (!g_type_is_a (a->type, hero_virt_provider_kind_get_interface_type (a->kind))
               || G_TYPE_IS_ABSTRACT (a->type))
        message = g_strdup_printf (
            "provider “%s”: type %s does not implement %s", a->name, g_type_name (a->type),
            g_type_name (hero_virt_provider_kind_get_interface_type (a->kind)));
      else if (find_provider_locked (self, a->kind, a->name) != NULL)
        message = g_strdup_printf ("%s provider “%s” is already registered; skipped",
                                   hero_virt_provider_kind_to_string (a->kind), a->name);

      if (message != NULL)
        {
          _hero_virt_plugin_info_append_error (info, message);
          g_debug ("plugin %s: %s", hero_virt_plugin_get_name (plugin), message);
          continue;
        }
      provider = _hero_virt_provider_info_new (a->kind, a->name, a->priority, a->type, NULL,
                                               hero_virt_plugin_get_name (plugin));
      _hero_virt_plugin_info_add_provider (info, provider);
      add_provider_locked (self, provider);
    }
}

static HeroVirtPluginInfo *
load_plugin_file (HeroVirtRegistry *self, const char *path)
{
  g_autoptr (HeroVirtPluginInfo) info = _hero_virt_plugin_info_new (path);
  const HeroVirtPluginDesc *desc = NULL;
  HeroVirtPluginInfo       *existing;
  HeroVirtPlugin           *plugin;
  GModule                  *module;

  g_ptr_array_add (self->plugins, g_object_ref (info));

  /* LOCAL: plugins do not see each other's symbols. LAZY: a plugin with a
   * missing symbol can still be inspected and rejected. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("not a loadable module: %s", g_module_error ());
      _hero_virt_plugin_info_set_error (info, msg);
      g_debug ("%s: %s", path, msg);
      return info;
    }

  if (!g_module_symbol (module, HERO_VIRT_PLUGIN_DESC_SYMBOL, (gpointer *)&desc) || desc == NULL)
    {
      _hero_virt_plugin_info_set_error (
          info, "not a HeroVirt plugin (no " HERO_VIRT_PLUGIN_DESC_SYMBOL " symbol)");
      g_module_close (module);
      return info;
    }

  if (desc->abi_version != HERO_VIRT_PLUGIN_ABI_VERSION)
    {
      g_autofree char *msg = g_strdup_printf ("built for plugin ABI %u, this library has ABI %u",
                                              desc->abi_version, HERO_VIRT_PLUGIN_ABI_VERSION);
      _hero_virt_plugin_info_set_error (info, msg);
      g_module_close (module);
      return info;
    }

  if (desc->name == NULL || !_hero_virt_validate_provider_name (desc->name, NULL)
      || desc->register_func == NULL)
    {
      _hero_virt_plugin_info_set_error (info,
                                        "invalid descriptor (bad name or no register function)");
      g_module_close (module);
      return info;
    }

  _hero_virt_plugin_info_set_desc (info, desc->name, desc->version, desc->description,
                                   desc->license);

  existing = g_hash_table_lookup (self->plugin_by_name, desc->name);
  if (existing != NULL)
    {
      g_autofree char *msg
          = g_strdup_printf ("a plugin named “%s” was already loaded from %s; skipped", desc->name,
                             hero_virt_plugin_info_get_path (existing));
      _hero_virt_plugin_info_set_error (info, msg);
      g_module_close (module);
      return info;
    }

  /* From here on the module stays resident. */
  g_module_make_resident (module);
  plugin = _hero_virt_plugin_new (module, desc, path);

  if (!g_type_module_use (G_TYPE_MODULE (plugin)))
    {
      g_autoptr (GError) error = _hero_virt_plugin_take_error (plugin);
      g_autofree char *msg
          = g_strdup_printf ("failed to register: %s", error ? error->message : "unknown error");
      /* Providers it announced before failing are never handed out. Keep
       * the GTypeModule alive: a type may have been registered. */
      _hero_virt_plugin_info_append_error (info, msg);
      return info;
    }
  add_announced_providers_locked (self, info, plugin);

  _hero_virt_plugin_info_set_loaded (info, TRUE);
  g_hash_table_insert (self->plugin_by_name, (gpointer)hero_virt_plugin_info_get_name (info), info);
  g_debug ("loaded plugin %s %s from %s", desc->name, desc->version, path);
  /* The plugin object is intentionally kept (never unused). */
  return info;
}

HeroVirtPluginInfo *
_hero_virt_registry_load_file (HeroVirtRegistry *self, const char *path)
{
  HeroVirtPluginInfo *info;

  g_rec_mutex_lock (&self->lock);
  info = load_plugin_file (self, path);
  g_rec_mutex_unlock (&self->lock);
  return info;
}

/* The host side of a plugin file: who owns it, then what the scanner
 * (or its cache) says; only a plugin the scanner loaded cleanly is
 * loaded here. */
static void
consider_plugin_file (HeroVirtRegistry *self, const char *path, HeroVirtScanCache *cache)
{
  g_autoptr (HeroVirtScanResult) result = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf         st;

  if (!_hero_virt_plugin_path_is_safe (dir, &reason)
      || !_hero_virt_plugin_path_is_safe (path, &reason) || g_stat (path, &st) != 0)
    {
      g_autoptr (HeroVirtPluginInfo) info = _hero_virt_plugin_info_new (path);

      _hero_virt_plugin_info_set_error (info, reason ? reason : "refused: cannot stat it");
      g_ptr_array_add (self->plugins, g_object_ref (info));
      g_debug ("%s: %s", path, hero_virt_plugin_info_get_error (info));
      return;
    }

  result = _hero_virt_scan_cache_lookup (cache, path, &st);
  if (result == NULL)
    {
      result = _hero_virt_plugin_scan_out_of_process (path);
      if (_hero_virt_scan_result_is_cacheable (result))
        _hero_virt_scan_cache_store (cache, path, &st, result);
    }
  if (_hero_virt_scan_result_loaded (result))
    load_plugin_file (self, path);
  else
    {
      g_autoptr (HeroVirtPluginInfo) info = _hero_virt_plugin_info_new (path);

      _hero_virt_scan_result_fill_info (result, info);
      g_ptr_array_add (self->plugins, g_object_ref (info));
      g_debug ("%s: %s", path, hero_virt_plugin_info_get_error (info));
    }
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
scan_directory (HeroVirtRegistry *self, const char *dir, HeroVirtScanCache *cache)
{
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (g_file_test (dir, G_FILE_TEST_IS_REGULAR))
    {
      consider_plugin_file (self, dir, cache);
      return;
    }

  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, "." G_MODULE_SUFFIX))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));

  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    consider_plugin_file (self, g_ptr_array_index (files, i), cache);
}

/* Set in hero-virt-plugin-scanner: its default registry scans nothing, so
 * a plugin that asks for it while registering cannot start scanners. */
static gboolean scanner_mode;

void
_hero_virt_registry_set_scanner_mode (void)
{
  scanner_mode = TRUE;
}

HeroVirtRegistry *
_hero_virt_registry_new_empty (void)
{
  HeroVirtRegistry *self = g_object_new (HERO_VIRT_TYPE_REGISTRY, NULL);

  _hero_virt_provider_kind_ensure_types ();
  self->search_path = g_new0 (char *, 1);
  return self;
}

static HeroVirtRegistry *
hero_virt_registry_new_scanned (void)
{
  HeroVirtRegistry  *self;
  HeroVirtScanCache *cache;

  if (scanner_mode)
    return _hero_virt_registry_new_empty ();

  self = g_object_new (HERO_VIRT_TYPE_REGISTRY, NULL);
  /* Make sure the interfaces exist before any plugin refers to them. */
  _hero_virt_provider_kind_ensure_types ();

  self->search_path = compute_search_path ();
  cache = _hero_virt_scan_cache_open ();
  g_rec_mutex_lock (&self->lock);
  for (guint i = 0; self->search_path[i] != NULL; i++)
    scan_directory (self, self->search_path[i], cache);
  g_rec_mutex_unlock (&self->lock);
  _hero_virt_scan_cache_close (cache);
  return self;
}

/**
 * hero_virt_registry_get_default:
 *
 * Returns the process-wide registry, scanning the plugin directories the
 * first time. No initialisation call is needed.
 *
 * Returns: (transfer none): the default #HeroVirtRegistry
 *
 * Since: 0.1
 */
HeroVirtRegistry *
hero_virt_registry_get_default (void)
{
  static gsize             once;
  static HeroVirtRegistry *registry;

  if (g_once_init_enter (&once))
    {
      registry = hero_virt_registry_new_scanned ();
      g_once_init_leave (&once, 1);
    }
  return registry;
}

/**
 * hero_virt_registry_get_plugins:
 * @self: a #HeroVirtRegistry
 *
 * Lists every plugin file found, in search order, including the ones that
 * were skipped (see [property@HeroVirt.PluginInfo:error]).
 *
 * Returns: (transfer container) (element-type HeroVirtPluginInfo): the
 *   plugins
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_registry_get_plugins (HeroVirtRegistry *self)
{
  GPtrArray *ret;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);

  g_rec_mutex_lock (&self->lock);
  ret = g_ptr_array_new_full (self->plugins->len, g_object_unref);
  for (guint i = 0; i < self->plugins->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (self->plugins, i)));
  g_rec_mutex_unlock (&self->lock);
  return ret;
}

/**
 * hero_virt_registry_find_plugin:
 * @self: a #HeroVirtRegistry
 * @name: a plugin name
 *
 * Returns: (transfer full) (nullable): the loaded plugin called @name
 *
 * Since: 0.1
 */
HeroVirtPluginInfo *
hero_virt_registry_find_plugin (HeroVirtRegistry *self, const char *name)
{
  HeroVirtPluginInfo *info;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_rec_mutex_lock (&self->lock);
  info = g_hash_table_lookup (self->plugin_by_name, name);
  if (info != NULL)
    g_object_ref (info);
  g_rec_mutex_unlock (&self->lock);
  return info;
}

/**
 * hero_virt_registry_get_providers:
 * @self: a #HeroVirtRegistry
 * @kind: a #HeroVirtProviderKind
 *
 * Lists the providers of @kind, most preferred first.
 *
 * Returns: (transfer container) (element-type HeroVirtProviderInfo): the
 *   providers
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_registry_get_providers (HeroVirtRegistry *self, HeroVirtProviderKind kind)
{
  GPtrArray *ret;
  GPtrArray *list;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);
  g_return_val_if_fail ((guint)kind < HERO_VIRT_PROVIDER_N_KINDS, NULL);

  g_rec_mutex_lock (&self->lock);
  list = self->providers[kind];
  ret = g_ptr_array_new_full (list->len, g_object_unref);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (ret, g_object_ref (g_ptr_array_index (list, i)));
  g_rec_mutex_unlock (&self->lock);
  return ret;
}

/**
 * hero_virt_registry_lookup:
 * @self: a #HeroVirtRegistry
 * @kind: a #HeroVirtProviderKind
 * @name: a provider name
 * @error: return location for a #GError
 *
 * Finds a provider by kind and name.
 *
 * Returns: (transfer full): the provider's info, or %NULL with
 *   %HERO_VIRT_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
HeroVirtProviderInfo *
hero_virt_registry_lookup (HeroVirtRegistry    *self,
                           HeroVirtProviderKind kind,
                           const char          *name,
                           GError             **error)
{
  HeroVirtProviderInfo *info;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);
  g_return_val_if_fail ((guint)kind < HERO_VIRT_PROVIDER_N_KINDS, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_rec_mutex_lock (&self->lock);
  info = find_provider_locked (self, kind, name);
  if (info != NULL)
    g_object_ref (info);
  g_rec_mutex_unlock (&self->lock);

  if (info == NULL)
    {
      g_autoptr (GPtrArray) all = hero_virt_registry_get_providers (self, kind);
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < all->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                hero_virt_provider_info_get_name (g_ptr_array_index (all, i)));
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "No %s provider named “%s” (known: %s)",
                   hero_virt_provider_kind_to_string (kind), name,
                   names->len ? names->str : "none");
    }
  return info;
}

/**
 * hero_virt_registry_get_provider:
 * @self: a #HeroVirtRegistry
 * @kind: a #HeroVirtProviderKind
 * @name: (nullable): a provider name, or %NULL for the default of @kind
 * @error: return location for a #GError
 *
 * Returns a provider object of @kind: the one called @name, or the
 * default for the default executor (see
 * [method@HeroVirt.Registry.find_provider]).
 *
 * Returns: (transfer full): the provider, which implements the interface
 *   of @kind, or %NULL on error
 *
 * Since: 0.1
 */
GObject *
hero_virt_registry_get_provider (HeroVirtRegistry    *self,
                                 HeroVirtProviderKind kind,
                                 const char          *name,
                                 GError             **error)
{
  return hero_virt_registry_find_provider (self, kind, name, NULL, NULL, error);
}

/**
 * hero_virt_registry_get_default_provider:
 * @self: a #HeroVirtRegistry
 * @kind: a #HeroVirtProviderKind
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns the default provider of @kind for the default executor; see
 * [method@HeroVirt.Registry.find_provider], which objects use to choose
 * for the executor they run on.
 *
 * Returns: (transfer full): the provider, or %NULL on error
 *
 * Since: 0.1
 */
GObject *
hero_virt_registry_get_default_provider (HeroVirtRegistry    *self,
                                         HeroVirtProviderKind kind,
                                         GCancellable        *cancellable,
                                         GError             **error)
{
  return hero_virt_registry_find_provider (self, kind, NULL, NULL, cancellable, error);
}

/* The default of @kind for @executor: the provider forced by
 * `HERO_VIRT_<KIND>`, else the first by priority available there. */
static GObject *
choose_default (HeroVirtRegistry    *self,
                HeroVirtProviderKind kind,
                HeroVirtExecutor    *executor,
                GCancellable        *cancellable,
                GError             **error)
{
  const char      *kind_name = hero_virt_provider_kind_to_string (kind);
  g_autofree char *upper = g_ascii_strup (kind_name, -1);
  g_autofree char *var = g_strconcat ("HERO_VIRT_", upper, NULL);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GString) reasons = NULL;
  const char *forced = g_getenv (var);

  if (forced != NULL && *forced != '\0')
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (HeroVirtProviderInfo) info
          = hero_virt_registry_lookup (self, kind, forced, &local_error);

      if (info == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "%s=%s: %s", var, forced,
                       local_error->message);
          return NULL;
        }
      return hero_virt_provider_info_get_provider (info);
    }

  list = hero_virt_registry_get_providers (self, kind);
  reasons = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      HeroVirtProviderInfo *info = g_ptr_array_index (list, i);
      g_autoptr (GError) local_error = NULL;

      if (hero_virt_provider_info_check_available (info, executor, cancellable, &local_error))
        return hero_virt_provider_info_get_provider (info);

      /* Cancelled, or the executor's host cannot be reached or trusted:
       * no other provider would fare better there, so that is the answer. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY)
          || g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_string_append_printf (reasons, "%s%s: %s", reasons->len ? "; " : "",
                              hero_virt_provider_info_get_name (info),
                              local_error ? local_error->message : "unavailable");
    }

  if (list->len == 0)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                 "No %s provider is installed (no plugin registered one; see `hero-virt plugins`)",
                 kind_name);
  else
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                 "No %s provider is available: %s", kind_name, reasons->str);
  return NULL;
}

/**
 * hero_virt_registry_find_provider:
 * @self: a #HeroVirtRegistry
 * @kind: a #HeroVirtProviderKind
 * @name: (nullable): the provider's name, or %NULL for the default
 * @executor: (nullable): where the provider's commands will run, or %NULL
 *   for the default executor
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The provider every user-facing object uses: the one called @name, or
 * else the default of @kind for @executor. The default is the one named
 * by the environment variable `HERO_VIRT_<KIND>` (such as
 * `HERO_VIRT_CONTAINER=podman`) if it is set, else the highest-priority
 * provider whose availability probe passes on @executor's host, so a
 * builder on an #HeroVirtSshExecutor gets what the remote host has. The
 * probe's positive answer is remembered per provider and executor
 * ([method@HeroVirt.ProviderInfo.check_available]). When none is
 * available the error says why for each.
 *
 * Returns: (transfer full): the provider, which implements the interface
 *   of @kind, or %NULL on error
 *
 * Since: 0.1
 */
GObject *
hero_virt_registry_find_provider (HeroVirtRegistry    *self,
                                  HeroVirtProviderKind kind,
                                  const char          *name,
                                  HeroVirtExecutor    *executor,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr (HeroVirtProviderInfo) info = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);
  g_return_val_if_fail ((guint)kind < HERO_VIRT_PROVIDER_N_KINDS, NULL);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (name == NULL)
    return choose_default (self, kind, executor, cancellable, error);
  info = hero_virt_registry_lookup (self, kind, name, error);
  return info ? hero_virt_provider_info_get_provider (info) : NULL;
}

/**
 * hero_virt_registry_register_provider:
 * @self: a #HeroVirtRegistry
 * @kind: what the provider provides
 * @name: its name, unique within @kind (`[a-z0-9_-]+`)
 * @priority: the higher, the more preferred as the default of @kind
 * @provider: an object implementing the interface of @kind
 * @error: return location for a #GError
 *
 * Registers a provider at run time. From Python:
 *
 * ```python
 * class MemDisk(GObject.Object, HeroVirt.DiskProvider):
 *     def do_info(self, executor, path, cancellable):
 *         ...
 *
 * HeroVirt.Registry.get_default().register_provider(
 *     HeroVirt.ProviderKind.DISK, "mem", 100, MemDisk())
 * ```
 *
 * From then on it is used like a provider from a plugin: by name, or as
 * the default when its priority is the highest.
 *
 * Returns: %TRUE on success; %HERO_VIRT_ERROR_EXISTS when the name is
 *   taken, %HERO_VIRT_ERROR_INVALID_ARGUMENT for a bad name or an object
 *   of the wrong type
 *
 * Since: 0.1
 */
gboolean
hero_virt_registry_register_provider (HeroVirtRegistry    *self,
                                      HeroVirtProviderKind kind,
                                      const char          *name,
                                      int                  priority,
                                      GObject             *provider,
                                      GError             **error)
{
  g_autoptr (HeroVirtProviderInfo) info = NULL;
  GType iface;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (provider), FALSE);

  if ((guint)kind >= HERO_VIRT_PROVIDER_N_KINDS)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Unknown provider kind %d", kind);
      return FALSE;
    }
  if (!_hero_virt_validate_provider_name (name, error))
    return FALSE;
  iface = hero_virt_provider_kind_get_interface_type (kind);
  if (!g_type_is_a (G_OBJECT_TYPE (provider), iface))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "%s does not implement %s", G_OBJECT_TYPE_NAME (provider), g_type_name (iface));
      return FALSE;
    }

  g_rec_mutex_lock (&self->lock);
  if (find_provider_locked (self, kind, name) != NULL)
    {
      g_rec_mutex_unlock (&self->lock);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS,
                   "A %s provider named “%s” is already registered",
                   hero_virt_provider_kind_to_string (kind), name);
      return FALSE;
    }
  info = _hero_virt_provider_info_new (kind, name, priority, G_TYPE_INVALID, provider, NULL);
  add_provider_locked (self, info);
  g_rec_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * hero_virt_registry_unregister_provider:
 * @self: a #HeroVirtRegistry
 * @kind: the provider's kind
 * @name: the provider's name
 *
 * Removes a provider registered with
 * [method@HeroVirt.Registry.register_provider]. Providers from plugins
 * cannot be removed.
 *
 * Returns: %TRUE if a provider was removed
 *
 * Since: 0.1
 */
gboolean
hero_virt_registry_unregister_provider (HeroVirtRegistry    *self,
                                        HeroVirtProviderKind kind,
                                        const char          *name)
{
  HeroVirtProviderInfo *info;
  gboolean              removed = FALSE;

  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail ((guint)kind < HERO_VIRT_PROVIDER_N_KINDS, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_rec_mutex_lock (&self->lock);
  info = find_provider_locked (self, kind, name);
  if (info != NULL && hero_virt_provider_info_get_plugin_name (info) == NULL)
    removed = g_ptr_array_remove (self->providers[kind], info);
  g_rec_mutex_unlock (&self->lock);
  return removed;
}

/**
 * hero_virt_registry_get_search_path:
 * @self: a #HeroVirtRegistry
 *
 * Returns: (transfer full) (array zero-terminated=1) (element-type filename):
 *   the directories scanned for plugins, in order
 *
 * Since: 0.1
 */
char **
hero_virt_registry_get_search_path (HeroVirtRegistry *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_REGISTRY (self), NULL);

  return g_strdupv (self->search_path);
}

/* ---- the scanner process (tools/plugin-scanner) ---- */

/* _hero_virt_plugin_scanner_main:
 *
 * The whole of `hero-virt-plugin-scanner PLUGIN`: loads the plugin as the
 * registry would and prints what the registry learnt as one JSON object.
 * The plugin's own writes to standard output go to standard error, so
 * they cannot forge the report.
 */
int
_hero_virt_plugin_scanner_main (int argc, char **argv)
{
  g_autoptr (HeroVirtRegistry) registry = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char    *text = NULL;
  HeroVirtPluginInfo *info;
  FILE               *report;
  int                 fd;

  if (argc != 2 || argv[1][0] != '/')
    {
      fprintf (stderr, "usage: %s /absolute/path/to/plugin.so\n", argc > 0 ? argv[0] : "scanner");
      return 2;
    }

  /* The report goes to a private copy of stdout; fd 1 becomes stderr. */
  fd = dup (STDOUT_FILENO);
  if (fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return 3;
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  report = fdopen (fd, "w");
  if (report == NULL)
    return 3;

  _hero_virt_registry_set_scanner_mode ();
  registry = _hero_virt_registry_new_empty ();
  info = _hero_virt_registry_load_file (registry, argv[1]);

  node = _hero_virt_plugin_info_to_scan_json (info);
  gen = json_generator_new ();
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  fputs (text, report);
  fputc ('\n', report);
  if (fclose (report) != 0)
    return 3;
  /* Skip destructors and atexit handlers the plugin may have installed. */
  _exit (0);
}
