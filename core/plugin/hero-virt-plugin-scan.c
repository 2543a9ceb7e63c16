/* hero-virt-plugin-scan.c: plugins are opened in a helper process first
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Like gst-plugin-scanner: before the registry loads a plugin into the
 * host, `hero-virt-plugin-scanner` opens it in a process of its own, runs
 * its ELF constructors and its register function there, and reports what
 * it found as JSON. A plugin that crashes, aborts or hangs there is listed
 * with that error and never loaded into the host. Results are kept in a
 * cache keyed by path, size and modification time, so a warm start spawns
 * nothing.
 *
 * The cache (`$XDG_CACHE_HOME/hero-virt/registry-1.json`, or
 * `HERO_VIRT_REGISTRY_CACHE`; empty turns it off) is written atomically
 * (a temporary file renamed over it), 0600 in a 0700 directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hero-virt-private.h"
#include "hero-virt-plugin-private.h"
#include "hero-virt-plugin-info-private.h"

#define CACHE_FORMAT 1
#define DEFAULT_SCAN_TIMEOUT_MS 10000
#define MAX_SCAN_OUTPUT (1024 * 1024)

gboolean
_hero_virt_running_setuid (void)
{
  return getauxval (AT_SECURE) != 0;
}

/* An environment variable, unless the process runs setuid/setgid (then
 * the caller's environment is not trusted). */
const char *
_hero_virt_secure_getenv (const char *name)
{
  return _hero_virt_running_setuid () ? NULL : g_getenv (name);
}

/* ---- JSON of one plugin ---- */

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
_hero_virt_plugin_info_to_scan_json (HeroVirtPluginInfo *info)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (GPtrArray) providers = hero_virt_plugin_info_get_providers (info);

  json_builder_begin_object (b);
  add_string (b, "name", hero_virt_plugin_info_get_name (info));
  add_string (b, "version", hero_virt_plugin_info_get_version (info));
  add_string (b, "description", hero_virt_plugin_info_get_description (info));
  add_string (b, "license", hero_virt_plugin_info_get_license (info));
  add_string (b, "error", hero_virt_plugin_info_get_error (info));
  json_builder_set_member_name (b, "loaded");
  json_builder_add_boolean_value (b, hero_virt_plugin_info_get_loaded (info));
  json_builder_set_member_name (b, "providers");
  json_builder_begin_array (b);
  for (guint i = 0; i < providers->len; i++)
    {
      HeroVirtProviderInfo *p = g_ptr_array_index (providers, i);

      json_builder_begin_object (b);
      add_string (b, "kind",
                  hero_virt_provider_kind_to_string (hero_virt_provider_info_get_kind (p)));
      add_string (b, "name", hero_virt_provider_info_get_name (p));
      json_builder_set_member_name (b, "priority");
      json_builder_add_int_value (b, hero_virt_provider_info_get_priority (p));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
member_string (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

/* A scan result: what the scanner (or the cache) says of a plugin file. */
struct _HeroVirtScanResult
{
  char    *name;
  char    *version;
  char    *description;
  char    *license;
  char    *error;
  gboolean loaded;
  gboolean transient; /* the scanner could not run: not worth caching */
};

void
_hero_virt_scan_result_free (HeroVirtScanResult *r)
{
  if (r == NULL)
    return;
  g_free (r->name);
  g_free (r->version);
  g_free (r->description);
  g_free (r->license);
  g_free (r->error);
  g_free (r);
}

static HeroVirtScanResult *
result_new_error (const char *error)
{
  HeroVirtScanResult *r = g_new0 (HeroVirtScanResult, 1);

  r->error = g_strdup (error);
  return r;
}

static HeroVirtScanResult *
result_from_json (JsonNode *node)
{
  HeroVirtScanResult *r;
  JsonObject         *o;
  JsonNode           *loaded;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  r = g_new0 (HeroVirtScanResult, 1);
  r->name = g_strdup (member_string (o, "name"));
  r->version = g_strdup (member_string (o, "version"));
  r->description = g_strdup (member_string (o, "description"));
  r->license = g_strdup (member_string (o, "license"));
  r->error = g_strdup (member_string (o, "error"));
  loaded = json_object_get_member (o, "loaded");
  r->loaded = loaded != NULL && JSON_NODE_HOLDS_VALUE (loaded)
              && json_node_get_value_type (loaded) == G_TYPE_BOOLEAN
              && json_node_get_boolean (loaded);
  return r;
}

static JsonNode *
result_to_json (const HeroVirtScanResult *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  add_string (b, "name", r->name);
  add_string (b, "version", r->version);
  add_string (b, "description", r->description);
  add_string (b, "license", r->license);
  add_string (b, "error", r->error);
  json_builder_set_member_name (b, "loaded");
  json_builder_add_boolean_value (b, r->loaded);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
_hero_virt_scan_result_loaded (const HeroVirtScanResult *r)
{
  return r->loaded;
}

/* A crash, a hang or a report is kept; a scanner that could not run (not
 * installed, killed from outside) says nothing about the plugin. */
gboolean
_hero_virt_scan_result_is_cacheable (const HeroVirtScanResult *r)
{
  return !r->transient;
}

/* What a plugin that the scanner did not pass is listed as. */
void
_hero_virt_scan_result_fill_info (const HeroVirtScanResult *r, HeroVirtPluginInfo *info)
{
  if (r->name != NULL)
    _hero_virt_plugin_info_set_desc (info, r->name, r->version, r->description, r->license);
  _hero_virt_plugin_info_set_error (info, r->error ? r->error : "the plugin scanner rejected it");
}

/* ---- running it ---- */

static char *
scanner_path (void)
{
  const char *env = _hero_virt_secure_getenv ("HERO_VIRT_PLUGIN_SCANNER");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (HERO_VIRT_LIBEXECDIR, "hero-virt-plugin-scanner", NULL);
}

static guint
scan_timeout_ms (void)
{
  const char *env = _hero_virt_secure_getenv ("HERO_VIRT_PLUGIN_SCAN_TIMEOUT");
  guint64     ms;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &ms, NULL))
    return (guint)ms;
  return DEFAULT_SCAN_TIMEOUT_MS;
}

HeroVirtScanResult *
_hero_virt_plugin_scan_out_of_process (const char *path)
{
  static gsize             once;
  static HeroVirtExecutor *local;
  g_autofree char         *scanner = scanner_path ();
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  HeroVirtScanResult *r;
  GBytes             *out;
  guint               timeout = scan_timeout_ms ();

  if (g_once_init_enter (&once))
    {
      local = HERO_VIRT_EXECUTOR (hero_virt_local_executor_new ());
      g_once_init_leave (&once, 1);
    }

  cmd = hero_virt_command_new_argv ((const char *const[]){ scanner, path, NULL });
  hero_virt_command_set_timeout (cmd, timeout);
  hero_virt_command_set_max_output (cmd, MAX_SCAN_OUTPUT);
  result = hero_virt_executor_run (local, cmd, NULL, &error);
  if (result == NULL)
    {
      g_autofree char *msg = NULL;

      if (g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT))
        msg = g_strdup_printf ("not loaded: it hung while loading (no answer from the plugin "
                               "scanner within %u ms; its constructor or register function "
                               "never returned)",
                               timeout);
      else
        {
          msg = g_strdup_printf ("not loaded: the plugin scanner %s could not run: %s", scanner,
                                 error->message);
          r = result_new_error (msg);
          r->transient = TRUE;
          return r;
        }
      return result_new_error (msg);
    }
  if (hero_virt_command_result_get_term_signal (result) != 0)
    {
      int              sig = hero_virt_command_result_get_term_signal (result);
      g_autofree char *msg = g_strdup_printf (
          "not loaded: it crashed while loading in the plugin scanner (signal %d, %s)", sig,
          g_strsignal (sig));
      return result_new_error (msg);
    }
  out = hero_virt_command_result_get_stdout (result);
  if (hero_virt_command_result_get_exit_status (result) == 0)
    node = hero_virt_json_parse_untrusted (g_bytes_get_data (out, NULL), g_bytes_get_size (out), 8,
                                           MAX_SCAN_OUTPUT, NULL);
  r = result_from_json (node);
  if (r == NULL)
    {
      g_autofree char *err
          = g_strstrip (g_strdup (hero_virt_command_result_get_stderr_text (result)));
      g_autofree char *msg = g_strdup_printf (
          "not loaded: the plugin scanner exited with status %d without a report%s%s",
          hero_virt_command_result_get_exit_status (result), *err ? ": " : "", err);
      r = result_new_error (msg);
      r->transient = TRUE;
      return r;
    }
  return r;
}

/* ---- who may provide plugins ---- */

/* A plugin file, or a directory holding plugins, must belong to root or
 * to us and be writable by nobody else. */
gboolean
_hero_virt_plugin_path_is_safe (const char *path, char **reason)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      *reason = g_strdup_printf ("refused: cannot stat %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if (st.st_uid != 0 && st.st_uid != geteuid ())
    {
      *reason = g_strdup_printf ("refused: %s is owned by uid %u, neither root nor this user (%u)",
                                 path, (guint)st.st_uid, (guint)geteuid ());
      return FALSE;
    }
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    {
      *reason = g_strdup_printf ("refused: %s is writable by %s (mode %04o)", path,
                                 (st.st_mode & S_IWOTH) ? "everyone" : "its group",
                                 (guint)(st.st_mode & 07777));
      return FALSE;
    }
  return TRUE;
}

/* ---- the cache ---- */

struct _HeroVirtScanCache
{
  char       *path;    /* NULL: no cache */
  JsonObject *entries; /* plugin path -> {size, mtime, result} */
  gboolean    dirty;
};

HeroVirtScanCache *
_hero_virt_scan_cache_open (void)
{
  HeroVirtScanCache *cache = g_new0 (HeroVirtScanCache, 1);
  const char        *env = _hero_virt_secure_getenv ("HERO_VIRT_REGISTRY_CACHE");
  g_autofree char   *data = NULL;
  gsize              len;

  cache->entries = json_object_new ();
  /* Setuid: the caller's cache directory is not trusted either. */
  if (_hero_virt_running_setuid ())
    return cache;
  if (env != NULL)
    cache->path = *env ? g_strdup (env) : NULL;
  else
    cache->path = g_build_filename (g_get_user_cache_dir (), "hero-virt",
                                    "registry-" G_STRINGIFY (CACHE_FORMAT) ".json", NULL);
  if (cache->path != NULL && g_file_get_contents (cache->path, &data, &len, NULL))
    {
      g_autoptr (JsonNode) root
          = hero_virt_json_parse_untrusted ((const guint8 *)data, len, 8, 16 * 1024 * 1024, NULL);
      JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      JsonNode   *plugins = o ? json_object_get_member (o, "plugins") : NULL;

      /* A cache of another library version is ignored as a whole. */
      if (o != NULL && g_strcmp0 (member_string (o, "library"), HERO_VIRT_VERSION_S) == 0
          && plugins != NULL && JSON_NODE_HOLDS_OBJECT (plugins))
        {
          json_object_unref (cache->entries);
          cache->entries = json_object_ref (json_node_get_object (plugins));
        }
    }
  return cache;
}

static void
stat_key (GStatBuf *st, gint64 *size, gint64 *mtime_ns)
{
  *size = st->st_size;
  *mtime_ns = (gint64)st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

HeroVirtScanResult *
_hero_virt_scan_cache_lookup (HeroVirtScanCache *cache, const char *path, GStatBuf *st)
{
  JsonNode   *entry = json_object_get_member (cache->entries, path);
  JsonObject *o;
  gint64      size, mtime;

  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry))
    return NULL;
  o = json_node_get_object (entry);
  stat_key (st, &size, &mtime);
  if (!json_object_has_member (o, "size") || !json_object_has_member (o, "mtime")
      || json_object_get_int_member (o, "size") != size
      || json_object_get_int_member (o, "mtime") != mtime)
    return NULL;
  return result_from_json (json_object_get_member (o, "result"));
}

void
_hero_virt_scan_cache_store (HeroVirtScanCache        *cache,
                             const char               *path,
                             GStatBuf                 *st,
                             const HeroVirtScanResult *r)
{
  JsonObject *o = json_object_new ();
  gint64      size, mtime;

  stat_key (st, &size, &mtime);
  json_object_set_int_member (o, "size", size);
  json_object_set_int_member (o, "mtime", mtime);
  json_object_set_member (o, "result", result_to_json (r));
  if (json_object_is_immutable (cache->entries))
    {
      /* Loaded entries are immutable: copy them to a fresh object. */
      JsonObject    *copy = json_object_new ();
      JsonObjectIter iter;
      const char    *key;
      JsonNode      *value;

      json_object_iter_init (&iter, cache->entries);
      while (json_object_iter_next (&iter, &key, &value))
        json_object_set_member (copy, key, json_node_copy (value));
      json_object_unref (cache->entries);
      cache->entries = copy;
    }
  json_object_set_object_member (cache->entries, path, o);
  cache->dirty = TRUE;
}

/* Writes the cache if it changed, dropping entries of files gone. */
void
_hero_virt_scan_cache_close (HeroVirtScanCache *cache)
{
  if (cache == NULL)
    return;
  if (cache->dirty && cache->path != NULL)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *dir = g_path_get_dirname (cache->path);
      g_autofree char *text = NULL;
      JsonObjectIter   iter;
      const char      *key;
      JsonNode        *value;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "format");
      json_builder_add_int_value (b, CACHE_FORMAT);
      json_builder_set_member_name (b, "library");
      json_builder_add_string_value (b, HERO_VIRT_VERSION_S);
      json_builder_set_member_name (b, "plugins");
      json_builder_begin_object (b);
      json_object_iter_init (&iter, cache->entries);
      while (json_object_iter_next (&iter, &key, &value))
        if (g_file_test (key, G_FILE_TEST_EXISTS))
          {
            json_builder_set_member_name (b, key);
            json_builder_add_value (b, json_node_copy (value));
          }
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      /* Atomic: a temporary file renamed over the old cache. */
      if (g_mkdir_with_parents (dir, 0700) != 0
          || !g_file_set_contents_full (cache->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                        NULL))
        g_debug ("could not write the plugin cache %s", cache->path);
    }
  json_object_unref (cache->entries);
  g_free (cache->path);
  g_free (cache);
}
