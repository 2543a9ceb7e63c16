/* registry-test.c: plugin discovery, provider selection and run-time
 * registration, with real plugin shared objects
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Type registration and the default registry are process-wide, so every
 * scenario runs in its own subprocess (g_test_trap_subprocess) with
 * HERO_VIRT_PLUGIN_PATH pointing at a temporary directory that holds
 * exactly the plugin files the scenario needs.
 */
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "testlib.h"

/* ---- scenario set-up, in the parent ---- */

typedef struct
{
  char *root; /* removed at the end */
  char *dirs[2];
} Scenario;

static char *
test_plugin_path (const char *name)
{
  return g_strdup_printf ("%s/libherovirt-test-%s.%s", TEST_PLUGIN_DIR, name, G_MODULE_SUFFIX);
}

static void
install_plugin (const char *dir, const char *name, const char *as)
{
  g_autofree char *src = test_plugin_path (name);
  g_autofree char *base = g_path_get_basename (src);
  g_autofree char *dest = g_build_filename (dir, as ? as : base, NULL);
  g_autofree char *contents = NULL;
  gsize            len;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (src, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (dest, contents, len, &error);
  g_assert_no_error (error);
}

/* A file with the plugin suffix whose contents are not an ELF object. */
static void
install_garbage (const char *dir, const char *as)
{
  g_autofree char *dest = g_build_filename (dir, as, NULL);
  guint8           bytes[4096];
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)(i * 131 + 7);
  memcpy (bytes, "\177ELF\002\001\001", 7); /* a plausible header, then noise */
  g_file_set_contents (dest, (const char *)bytes, sizeof bytes, &error);
  g_assert_no_error (error);
}

static Scenario *
scenario_new (void)
{
  Scenario *s = g_new0 (Scenario, 1);

  s->root = ht_tmpdir_new ("registry");
  for (guint i = 0; i < G_N_ELEMENTS (s->dirs); i++)
    {
      s->dirs[i] = g_strdup_printf ("%s/dir%u", s->root, i + 1);
      g_assert_cmpint (g_mkdir (s->dirs[i], 0755), ==, 0);
    }
  return s;
}

/* Runs the current test path in a subprocess that sees only the plugins
 * in the scenario's directories, plus @extra_env (NAME, VALUE, …, NULL). */
static void
scenario_run (Scenario *s, const char *first_name, ...)
{
  g_autofree char *path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, s->dirs[0], s->dirs[1], NULL);
  g_autoptr (GPtrArray) set = g_ptr_array_new ();
  g_autoptr (GPtrArray) saved = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  g_setenv ("HERO_VIRT_PLUGIN_PATH", path, TRUE);
  g_setenv ("HERO_VIRT_PLUGIN_SYSTEM_PATH", "", TRUE);
  g_setenv ("HV_TEST_DIR1", s->dirs[0], TRUE);
  g_setenv ("HV_TEST_DIR2", s->dirs[1], TRUE);
  g_setenv ("HV_TEST_ROOT", s->root, TRUE);
  va_start (ap, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (ap, const char *))
    {
      g_ptr_array_add (saved, g_strdup (g_getenv (name)));
      g_setenv (name, va_arg (ap, const char *), TRUE);
      g_ptr_array_add (set, (gpointer)name);
    }
  va_end (ap);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);

  /* Back to what the variables were (the scanner of this build, say). */
  for (guint i = set->len; i-- > 0;)
    if (g_ptr_array_index (saved, i) != NULL)
      g_setenv (g_ptr_array_index (set, i), g_ptr_array_index (saved, i), TRUE);
    else
      g_unsetenv (g_ptr_array_index (set, i));
  g_test_trap_assert_passed ();
}

static void
scenario_free (Scenario *s)
{
  ht_tmpdir_free (s->root);
  for (guint i = 0; i < G_N_ELEMENTS (s->dirs); i++)
    g_free (s->dirs[i]);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scenario, scenario_free)

/* ---- helpers for the subprocess side ---- */

static HeroVirtPluginInfo *
plugin_by_file (const char *basename)
{
  g_autoptr (GPtrArray) plugins
      = hero_virt_registry_get_plugins (hero_virt_registry_get_default ());

  for (guint i = 0; i < plugins->len; i++)
    {
      HeroVirtPluginInfo *info = g_ptr_array_index (plugins, i);
      g_autofree char    *base = g_path_get_basename (hero_virt_plugin_info_get_path (info));

      if (strcmp (base, basename) == 0)
        return g_object_ref (info);
    }
  g_error ("no plugin listed for %s", basename);
}

static char *
provider_names (HeroVirtProviderKind kind)
{
  g_autoptr (GPtrArray) providers
      = hero_virt_registry_get_providers (hero_virt_registry_get_default (), kind);
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < providers->len; i++)
    g_string_append_printf (names, "%s%s", i ? " " : "",
                            hero_virt_provider_info_get_name (g_ptr_array_index (providers, i)));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
joined_kinds (HeroVirtPluginInfo *info)
{
  g_auto (GStrv) kinds = hero_virt_plugin_info_get_provider_kinds (info);
  return g_strjoinv (",", kinds);
}

static char *
disk_path (const char *name)
{
  return g_build_filename (g_getenv ("HV_TEST_ROOT"), name, NULL);
}

static char *
read_disk_file (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (g_strstrip (text));
}

static char *
default_disk_provider_name (GError **error)
{
  g_autoptr (GObject) provider = NULL;
  g_autoptr (GPtrArray) providers = NULL;

  provider = hero_virt_registry_get_default_provider (hero_virt_registry_get_default (),
                                                      HERO_VIRT_PROVIDER_KIND_DISK, NULL, error);
  if (provider == NULL)
    return NULL;
  providers = hero_virt_registry_get_providers (hero_virt_registry_get_default (),
                                                HERO_VIRT_PROVIDER_KIND_DISK);
  for (guint i = 0; i < providers->len; i++)
    {
      HeroVirtProviderInfo *info = g_ptr_array_index (providers, i);
      g_autoptr (GObject) candidate = hero_virt_provider_info_get_provider (info);

      if (candidate == provider)
        return g_strdup (hero_virt_provider_info_get_name (info));
    }
  g_error ("the default provider is not in the registry's list");
}

/* ---- scenarios ---- */

static void
test_listing (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GPtrArray) plugins
          = hero_virt_registry_get_plugins (hero_virt_registry_get_default ());
      g_autoptr (HeroVirtPluginInfo) good = plugin_by_file ("libherovirt-test-good.so");
      g_autoptr (HeroVirtPluginInfo) abi = plugin_by_file ("libherovirt-test-wrong-abi.so");
      g_autoptr (HeroVirtPluginInfo) fail = plugin_by_file ("libherovirt-test-fail-register.so");
      g_autoptr (HeroVirtPluginInfo) fail_early = plugin_by_file ("libherovirt-test-fail-early.so");
      g_autoptr (HeroVirtPluginInfo) bad_type = plugin_by_file ("libherovirt-test-bad-type.so");
      g_autoptr (HeroVirtPluginInfo) bad_name = plugin_by_file ("libherovirt-test-bad-name.so");
      g_autoptr (HeroVirtPluginInfo) not_plugin
          = plugin_by_file ("libherovirt-test-not-a-plugin.so");
      g_autoptr (HeroVirtPluginInfo) broken = plugin_by_file ("libherovirt-broken.so");
      g_autoptr (HeroVirtPluginInfo) found = NULL;
      g_autoptr (GPtrArray) good_providers = NULL;
      g_autofree char *kinds = NULL;
      g_autofree char *good_path
          = g_build_filename (g_getenv ("HV_TEST_DIR1"), "libherovirt-test-good.so", NULL);
      g_autofree char *names = NULL;

      /* Every file is listed, loaded or not; the host is still here. */
      g_assert_cmpuint (plugins->len, ==, 8);

      g_assert_true (hero_virt_plugin_info_get_loaded (good));
      g_assert_null (hero_virt_plugin_info_get_error (good));
      g_assert_cmpstr (hero_virt_plugin_info_get_name (good), ==, "testgood");
      g_assert_cmpstr (hero_virt_plugin_info_get_version (good), ==, "1.2.3");
      g_assert_cmpstr (hero_virt_plugin_info_get_description (good), ==,
                       "Test disk providers of every shape");
      g_assert_cmpstr (hero_virt_plugin_info_get_license (good), ==, "LGPL-2.1-or-later");
      g_assert_cmpstr (hero_virt_plugin_info_get_path (good), ==, good_path);
      kinds = joined_kinds (good);
      g_assert_cmpstr (kinds, ==, "disk");
      good_providers = hero_virt_plugin_info_get_providers (good);
      g_assert_cmpuint (good_providers->len, ==, 4);
      found = hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "testgood");
      g_assert_true (found == good);

      /* Wrong ABI: the descriptor was read (its register function aborts,
       * so it never ran), the plugin is skipped. */
      g_assert_false (hero_virt_plugin_info_get_loaded (abi));
      g_assert_cmpstr (hero_virt_plugin_info_get_error (abi), ==,
                       "built for plugin ABI 42, this library has ABI 1");
      g_assert_null (
          hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "wrongabi"));

      g_assert_false (hero_virt_plugin_info_get_loaded (fail));
      g_assert_cmpstr (hero_virt_plugin_info_get_name (fail), ==, "failreg");
      g_assert_cmpstr (hero_virt_plugin_info_get_error (fail), ==,
                       "failed to register: the half backend is missing");
      g_assert_null (hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "failreg"));
      g_assert_false (hero_virt_plugin_info_get_loaded (fail_early));
      g_assert_cmpstr (hero_virt_plugin_info_get_error (fail_early), ==,
                       "failed to register: The plugin's register function failed");

      /* A plugin keeps its good providers; the bad ones are named in its
       * error and never handed out. */
      g_assert_true (hero_virt_plugin_info_get_loaded (bad_type));
      g_assert_cmpstr (
          hero_virt_plugin_info_get_error (bad_type), ==,
          "provider “notadisk”: type TestNotADisk does not implement HeroVirtDiskProvider; "
          "provider “wrongkind”: type TestPlainDisk does not implement HeroVirtImageProvider");
      g_assert_true (hero_virt_plugin_info_get_loaded (bad_name));
      g_assert_cmpstr (hero_virt_plugin_info_get_error (bad_name), ==,
                       "Invalid provider name “Bad Name!”: use 1 to 64 of a-z 0-9 - _, starting "
                       "with a letter or digit; Invalid provider name “../etc”: use 1 to 64 of "
                       "a-z 0-9 - _, starting with a letter or digit");
      g_clear_pointer (&kinds, g_free);
      kinds = joined_kinds (bad_name);
      g_assert_cmpstr (kinds, ==, "");

      g_assert_false (hero_virt_plugin_info_get_loaded (not_plugin));
      g_assert_null (hero_virt_plugin_info_get_name (not_plugin));
      g_assert_cmpstr (hero_virt_plugin_info_get_error (not_plugin), ==,
                       "not a HeroVirt plugin (no hero_virt_plugin_desc symbol)");

      g_assert_false (hero_virt_plugin_info_get_loaded (broken));
      g_assert_null (hero_virt_plugin_info_get_name (broken));
      g_assert_true (
          g_str_has_prefix (hero_virt_plugin_info_get_error (broken), "not a loadable module: "));

      /* Only providers from plugins that loaded, most preferred first;
       * the failed plugin's "halfdisk" is not among them. */
      names = provider_names (HERO_VIRT_PROVIDER_KIND_DISK);
      g_assert_cmpstr (names, ==, "unavailable syncdisk asyncdisk nodisk plaindisk");
      g_clear_pointer (&names, g_free);
      names = provider_names (HERO_VIRT_PROVIDER_KIND_IMAGE);
      g_assert_cmpstr (names, ==, "");
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      install_plugin (s->dirs[0], "wrong-abi", NULL);
      install_plugin (s->dirs[0], "fail-register", NULL);
      install_plugin (s->dirs[0], "fail-early", NULL);
      install_plugin (s->dirs[0], "bad-type", NULL);
      install_plugin (s->dirs[1], "bad-name", NULL);
      install_plugin (s->dirs[1], "not-a-plugin", NULL);
      install_garbage (s->dirs[1], "libherovirt-broken.so");
      /* Not a plugin file name: ignored. */
      install_garbage (s->dirs[1], "README.txt");
      scenario_run (s, NULL);
    }
}

static void
test_first_of_a_name_wins (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HeroVirtPluginInfo) v2 = plugin_by_file ("libherovirt-test-twin2.so");
      g_autoptr (HeroVirtPluginInfo) v1 = plugin_by_file ("libherovirt-test-twin1.so");
      g_autoptr (HeroVirtPluginInfo) v1_copy = plugin_by_file ("libherovirt-test-twin1-copy.so");
      g_autoptr (HeroVirtPluginInfo) found
          = hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "twin");
      g_autofree char *names = provider_names (HERO_VIRT_PROVIDER_KIND_DISK);
      g_autofree char *expected = NULL;
      g_auto (GStrv) search_path
          = hero_virt_registry_get_search_path (hero_virt_registry_get_default ());

      /* dir1 comes first on the path, so version 2.0 there wins over 1.0
       * in dir2 although its file name sorts later. */
      g_assert_cmpuint (g_strv_length (search_path), ==, 2);
      g_assert_cmpstr (search_path[0], ==, g_getenv ("HV_TEST_DIR1"));
      g_assert_cmpstr (search_path[1], ==, g_getenv ("HV_TEST_DIR2"));

      g_assert_true (found == v2);
      g_assert_true (hero_virt_plugin_info_get_loaded (v2));
      g_assert_cmpstr (hero_virt_plugin_info_get_version (v2), ==, "2.0");

      expected = g_strdup_printf ("a plugin named “twin” was already loaded from %s; skipped",
                                  hero_virt_plugin_info_get_path (v2));
      g_assert_false (hero_virt_plugin_info_get_loaded (v1));
      g_assert_cmpstr (hero_virt_plugin_info_get_version (v1), ==, "1.0");
      g_assert_cmpstr (hero_virt_plugin_info_get_error (v1), ==, expected);
      g_assert_false (hero_virt_plugin_info_get_loaded (v1_copy));
      g_assert_cmpstr (hero_virt_plugin_info_get_error (v1_copy), ==, expected);

      g_assert_cmpstr (names, ==, "twin-v2");
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "twin2", NULL);
      install_plugin (s->dirs[1], "twin1", NULL);
      install_plugin (s->dirs[1], "twin1", "libherovirt-test-twin1-copy.so");
      scenario_run (s, NULL);
    }
}

static void
test_default_by_priority_and_availability (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = default_disk_provider_name (&error);
      g_autofree char *path = disk_path ("default.img");
      g_autofree char *text = NULL;
      g_autoptr (HeroVirtDisk) disk = hero_virt_disk_new (path);
      g_autoptr (HeroVirtProviderInfo) unavailable = NULL;

      /* "unavailable" has the highest priority but its probe fails. */
      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, "syncdisk");
      unavailable = hero_virt_registry_lookup (hero_virt_registry_get_default (),
                                               HERO_VIRT_PROVIDER_KIND_DISK, "unavailable", &error);
      g_assert_no_error (error);
      g_assert_false (hero_virt_provider_info_check_available (unavailable, NULL, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
      g_clear_error (&error);

      /* HeroVirtDisk uses the same default. */
      g_assert_true (hero_virt_disk_create (disk, 4096, NULL, &error));
      g_assert_no_error (error);
      text = read_disk_file (path);
      g_assert_cmpstr (text, ==, "4096 syncdisk");
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, NULL);
    }
}

static void
test_none_available (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = default_disk_provider_name (&error);
      g_autofree char *path = disk_path ("none.img");
      g_autoptr (HeroVirtDisk) disk = hero_virt_disk_new (path);

      /* The error says why each provider could not be used. */
      g_assert_null (name);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
      g_assert_cmpstr (error->message, ==,
                       "No disk provider is available: "
                       "unavailable: unavailable-tool is not installed; "
                       "syncdisk: syncdisk-tool is not installed; "
                       "asyncdisk: asyncdisk-tool is not installed; "
                       "nodisk: nodisk-tool is not installed");
      g_clear_error (&error);

      g_assert_false (hero_virt_disk_create (disk, 4096, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, "HV_TEST_UNAVAILABLE", "syncdisk,asyncdisk,nodisk", NULL);
    }
}

static void
test_no_plugins (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) plugins
          = hero_virt_registry_get_plugins (hero_virt_registry_get_default ());
      g_autofree char *name = default_disk_provider_name (&error);

      g_assert_cmpuint (plugins->len, ==, 0);
      g_assert_null (name);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "No disk provider is installed"));
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      scenario_run (s, NULL);
    }
}

static void
test_env_override (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = disk_path ("override.img");
      g_autofree char *text = NULL;
      g_autoptr (HeroVirtDisk) disk = hero_virt_disk_new (path);

      name = default_disk_provider_name (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, "asyncdisk");
      g_assert_true (hero_virt_disk_create (disk, 512, NULL, &error));
      g_assert_no_error (error);
      text = read_disk_file (path);
      g_assert_cmpstr (text, ==, "512 asyncdisk");

      /* An unknown name is an error, not a silent fallback. */
      g_setenv ("HERO_VIRT_DISK", "nosuch", TRUE);
      g_clear_pointer (&name, g_free);
      name = default_disk_provider_name (&error);
      g_assert_null (name);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
      g_assert_cmpstr (error->message, ==,
                       "HERO_VIRT_DISK=nosuch: No disk provider named “nosuch” "
                       "(known: unavailable, syncdisk, asyncdisk, nodisk)");
      g_clear_error (&error);

      /* The override is honoured even for a provider whose probe fails:
       * the user asked for it by name. */
      g_setenv ("HERO_VIRT_DISK", "unavailable", TRUE);
      g_clear_pointer (&name, g_free);
      name = default_disk_provider_name (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, "unavailable");
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, "HERO_VIRT_DISK", "asyncdisk", NULL);
    }
}

/* A provider registered at run time: a static type in this program. */
#define TEST_TYPE_RUNTIME_DISK (test_runtime_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestRuntimeDisk, test_runtime_disk, TEST, RUNTIME_DISK, GObject)
struct _TestRuntimeDisk
{
  GObject parent_instance;
};

static gboolean
runtime_create (HeroVirtDiskProvider      *self,
                HeroVirtExecutor          *executor,
                const char                *path,
                HeroVirtDiskCreateOptions *options,
                GCancellable              *cancellable,
                GError                   **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT " runtime",
                                           hero_virt_disk_create_options_get_size (options));
  return g_file_set_contents (path, text, -1, error);
}

static void
test_runtime_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->create = runtime_create;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRuntimeDisk,
                               test_runtime_disk,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                      test_runtime_disk_iface_init))

static void
test_runtime_disk_init (TestRuntimeDisk *self)
{
}
static void
test_runtime_disk_class_init (TestRuntimeDiskClass *klass)
{
}

static void
test_runtime_registration (void)
{
  if (g_test_subprocess ())
    {
      HeroVirtRegistry *registry = hero_virt_registry_get_default ();
      g_autoptr (GObject) provider = g_object_new (TEST_TYPE_RUNTIME_DISK, NULL);
      g_autoptr (GObject) plain = g_object_new (G_TYPE_OBJECT, NULL);
      g_autoptr (GObject) got = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (HeroVirtProviderInfo) info = NULL;
      g_autoptr (HeroVirtDisk) by_name = NULL;
      g_autoptr (HeroVirtDisk) by_default = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path1 = disk_path ("byname.img");
      g_autofree char *path2 = disk_path ("bydefault.img");
      g_autofree char *text = NULL;
      g_autofree char *names = NULL;

      g_assert_true (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                           "runtime", 1000, provider, &error));
      g_assert_no_error (error);

      info = hero_virt_registry_lookup (registry, HERO_VIRT_PROVIDER_KIND_DISK, "runtime", &error);
      g_assert_no_error (error);
      g_assert_null (hero_virt_provider_info_get_plugin_name (info));
      g_assert_cmpint (hero_virt_provider_info_get_priority (info), ==, 1000);
      g_assert_true (hero_virt_provider_info_get_provider_type (info) == TEST_TYPE_RUNTIME_DISK);
      got = hero_virt_provider_info_get_provider (info);
      g_assert_true (got == provider);

      /* Used like a plugin's provider: by name, and as the default. */
      name = default_disk_provider_name (&error);
      g_assert_cmpstr (name, ==, "runtime");
      by_name = hero_virt_disk_new_for_provider (path1, "runtime", NULL, &error);
      g_assert_no_error (error);
      g_assert_true (hero_virt_disk_create (by_name, 1024, NULL, &error));
      g_assert_no_error (error);
      text = read_disk_file (path1);
      g_assert_cmpstr (text, ==, "1024 runtime");
      g_clear_pointer (&text, g_free);
      by_default = hero_virt_disk_new (path2);
      g_assert_true (hero_virt_disk_create (by_default, 2048, NULL, &error));
      g_assert_no_error (error);
      text = read_disk_file (path2);
      g_assert_cmpstr (text, ==, "2048 runtime");

      /* A name is taken once per kind, plugin providers included. */
      g_assert_false (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                            "runtime", 0, provider, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
      g_clear_error (&error);
      g_assert_false (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                            "syncdisk", 0, provider, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
      g_clear_error (&error);

      /* Wrong type, wrong kind, bad names. */
      g_assert_false (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                            "plain", 0, plain, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, "GObject does not implement HeroVirtDiskProvider");
      g_clear_error (&error);
      g_assert_false (hero_virt_registry_register_provider (
          registry, HERO_VIRT_PROVIDER_KIND_CONTAINER, "runtime", 0, provider, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      for (guint i = 0; i < 4; i++)
        {
          static const char *const bad[] = { "Runtime", "run time", "", "-x" };

          g_assert_false (hero_virt_registry_register_provider (
              registry, HERO_VIRT_PROVIDER_KIND_DISK, bad[i], 0, provider, &error));
          g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
          g_clear_error (&error);
        }

      /* Unregistering: only run-time providers, once. */
      g_assert_false (hero_virt_registry_unregister_provider (
          registry, HERO_VIRT_PROVIDER_KIND_DISK, "syncdisk"));
      g_assert_true (hero_virt_registry_unregister_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                             "runtime"));
      g_assert_false (hero_virt_registry_unregister_provider (
          registry, HERO_VIRT_PROVIDER_KIND_DISK, "runtime"));
      names = provider_names (HERO_VIRT_PROVIDER_KIND_DISK);
      g_assert_cmpstr (names, ==, "unavailable syncdisk asyncdisk nodisk");
      g_clear_pointer (&name, g_free);
      name = default_disk_provider_name (&error);
      g_assert_cmpstr (name, ==, "syncdisk");
      g_assert_null (
          hero_virt_registry_lookup (registry, HERO_VIRT_PROVIDER_KIND_DISK, "runtime", &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
      g_clear_error (&error);

      /* …and the name can be taken again. */
      g_assert_true (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                           "runtime", -5, provider, &error));
      g_assert_no_error (error);
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, NULL);
    }
}

/* ---- availability is judged per executor ---- */

/* An executor for a host that has one program the local machine lacks:
 * it answers find_program's `command -v` for REMOTE_TOOL, and refuses
 * every other command. */
#define REMOTE_TOOL "hero-virt-test-remote-only-tool"

#define TEST_TYPE_REMOTE_EXECUTOR (test_remote_executor_get_type ())
G_DECLARE_FINAL_TYPE (TestRemoteExecutor, test_remote_executor, TEST, REMOTE_EXECUTOR, GObject)

struct _TestRemoteExecutor
{
  GObject parent_instance;
};

static HeroVirtCommandResult *
remote_run (HeroVirtExecutor *self,
            HeroVirtCommand  *command,
            GCancellable     *cancellable,
            GError          **error)
{
  const char *const *argv = hero_virt_command_get_argv (command);
  gboolean           found = g_strv_length ((char **)argv) == 5 && g_str_equal (argv[0], "sh")
                   && g_str_equal (argv[4], REMOTE_TOOL);
  g_autoptr (GBytes) out
      = g_bytes_new_static (found ? "/opt/remote/bin/" REMOTE_TOOL "\n" : "",
                            found ? strlen ("/opt/remote/bin/" REMOTE_TOOL "\n") : 0);
  g_autoptr (GBytes) err = g_bytes_new_static ("", 0);

  return hero_virt_command_result_new (argv[0], found ? 0 : 1, 0, out, err, 0);
}

static char *
remote_get_description (HeroVirtExecutor *self)
{
  return g_strdup ("test-remote");
}

static gboolean
remote_is_local (HeroVirtExecutor *self)
{
  return FALSE;
}

static void
test_remote_executor_iface_init (HeroVirtExecutorInterface *iface)
{
  iface->run = remote_run;
  iface->get_description = remote_get_description;
  iface->is_local = remote_is_local;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRemoteExecutor,
                               test_remote_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR,
                                                      test_remote_executor_iface_init))

static void
test_remote_executor_init (TestRemoteExecutor *self)
{
}
static void
test_remote_executor_class_init (TestRemoteExecutorClass *klass)
{
}

/* A disk provider whose tool is REMOTE_TOOL; counts its probes. */
#define TEST_TYPE_REMOTE_DISK (test_remote_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestRemoteDisk, test_remote_disk, TEST, REMOTE_DISK, GObject)

struct _TestRemoteDisk
{
  GObject parent_instance;
  guint   probes;
};

static gboolean
remote_disk_is_available (HeroVirtDiskProvider *provider,
                          HeroVirtExecutor     *executor,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autofree char *path = NULL;

  TEST_REMOTE_DISK (provider)->probes++;
  path = hero_virt_executor_find_program (executor, REMOTE_TOOL, cancellable, error);
  return path != NULL;
}

static void
test_remote_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = remote_disk_is_available;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRemoteDisk,
                               test_remote_disk,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                      test_remote_disk_iface_init))

static void
test_remote_disk_init (TestRemoteDisk *self)
{
}
static void
test_remote_disk_class_init (TestRemoteDiskClass *klass)
{
}

static GObject *
default_disk_for (HeroVirtExecutor *executor)
{
  g_autoptr (GError) error = NULL;
  GObject *provider = hero_virt_registry_find_provider (hero_virt_registry_get_default (),
                                                        HERO_VIRT_PROVIDER_KIND_DISK, NULL,
                                                        executor, NULL, &error);

  g_assert_no_error (error);
  return provider;
}

static void
test_per_executor (void)
{
  if (g_test_subprocess ())
    {
      HeroVirtRegistry *registry = hero_virt_registry_get_default ();
      g_autoptr (TestRemoteDisk) remote = g_object_new (TEST_TYPE_REMOTE_DISK, NULL);
      g_autoptr (HeroVirtExecutor) host_a = g_object_new (TEST_TYPE_REMOTE_EXECUTOR, NULL);
      g_autoptr (HeroVirtExecutor) host_b = g_object_new (TEST_TYPE_REMOTE_EXECUTOR, NULL);
      g_autoptr (HeroVirtProviderInfo) info = NULL;
      g_autoptr (GObject) got = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_null (g_find_program_in_path (REMOTE_TOOL));
      g_assert_true (hero_virt_registry_register_provider (
          registry, HERO_VIRT_PROVIDER_KIND_DISK, "remote", 2000, G_OBJECT (remote), &error));
      g_assert_no_error (error);
      info = hero_virt_registry_lookup (registry, HERO_VIRT_PROVIDER_KIND_DISK, "remote", &error);
      g_assert_no_error (error);

      /* Here the tool is missing: the next provider by priority is the
       * default, and a negative answer is asked again each time. */
      got = default_disk_for (NULL);
      g_assert_true (got != G_OBJECT (remote));
      g_clear_object (&got);
      got = default_disk_for (hero_virt_executor_get_default ());
      g_assert_true (got != G_OBJECT (remote));
      g_clear_object (&got);
      g_assert_cmpuint (remote->probes, ==, 2);
      g_assert_false (hero_virt_provider_info_check_available (info, NULL, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "not found in PATH on local"));
      g_clear_error (&error);
      g_assert_cmpuint (remote->probes, ==, 3);

      /* On the host that has it, it is chosen, and asked once. */
      got = default_disk_for (host_a);
      g_assert_true (got == G_OBJECT (remote));
      g_clear_object (&got);
      got = default_disk_for (host_a);
      g_assert_true (got == G_OBJECT (remote));
      g_clear_object (&got);
      g_assert_true (hero_virt_provider_info_check_available (info, host_a, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (remote->probes, ==, 4);

      /* Another executor is asked on its own. */
      got = default_disk_for (host_b);
      g_assert_true (got == G_OBJECT (remote));
      g_clear_object (&got);
      g_assert_cmpuint (remote->probes, ==, 5);

      /* An executor that goes away takes its answer along; the local one
       * still has no tool. */
      g_clear_object (&host_a);
      got = default_disk_for (NULL);
      g_assert_true (got != G_OBJECT (remote));
      g_clear_object (&got);
      g_assert_cmpuint (remote->probes, ==, 6);
      g_assert_true (hero_virt_registry_unregister_provider (registry, HERO_VIRT_PROVIDER_KIND_DISK,
                                                             "remote"));
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, NULL);
    }
}

/* ---- sync/async derivation in the generated interface ---- */

static void
on_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static HeroVirtDiskProvider *
disk_provider (const char *name)
{
  g_autoptr (GError) error = NULL;
  GObject *provider = hero_virt_registry_get_provider (hero_virt_registry_get_default (),
                                                       HERO_VIRT_PROVIDER_KIND_DISK, name, &error);
  g_assert_no_error (error);
  return HERO_VIRT_DISK_PROVIDER (provider);
}

static void
test_derivation (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HeroVirtDiskProvider) sync_only = disk_provider ("syncdisk");
      g_autoptr (HeroVirtDiskProvider) async_only = disk_provider ("asyncdisk");
      g_autoptr (HeroVirtDiskProvider) neither = disk_provider ("nodisk");
      g_autoptr (HeroVirtDiskCreateOptions) options = hero_virt_disk_create_options_new (65536);
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (HeroVirtDiskInfo) info = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *path_a = disk_path ("sync-served-async.img");
      g_autofree char *path_b = disk_path ("async-served-sync.img");
      g_autofree char *path_c = disk_path ("neither.img");
      g_autofree char *text = NULL;

      /* Only sync vfuncs: async callers are served from a worker thread. */
      hero_virt_disk_provider_create_async (sync_only, NULL, path_a, options, NULL, on_result,
                                            &result);
      g_assert_true (hero_virt_disk_provider_create_finish (sync_only, wait_for (&result), &error));
      g_assert_no_error (error);
      g_clear_object (&result);
      hero_virt_disk_provider_info_async (sync_only, NULL, path_a, NULL, HERO_VIRT_DISK_OPEN_NONE,
                                          NULL, on_result, &result);
      info = hero_virt_disk_provider_info_finish (sync_only, wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "testdisk-syncdisk");
      g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 65536);
      g_clear_object (&result);
      g_clear_object (&info);
      /* Errors travel the same way. */
      hero_virt_disk_provider_create_async (sync_only, NULL, path_a, options, NULL, on_result,
                                            &result);
      g_assert_false (
          hero_virt_disk_provider_create_finish (sync_only, wait_for (&result), &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
      g_clear_error (&error);
      g_clear_object (&result);

      /* Only async vfuncs: sync callers get the result too. */
      g_assert_true (
          hero_virt_disk_provider_create (async_only, NULL, path_b, options, NULL, &error));
      g_assert_no_error (error);
      info = hero_virt_disk_provider_info (async_only, NULL, path_b, NULL, HERO_VIRT_DISK_OPEN_NONE,
                                           NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "testdisk-asyncdisk");
      g_clear_object (&info);
      g_assert_null (hero_virt_disk_provider_info (async_only, NULL, path_c, NULL,
                                                   HERO_VIRT_DISK_OPEN_NONE, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
      g_clear_error (&error);
      /* …and async callers reach the async vfuncs directly. */
      hero_virt_disk_provider_info_async (async_only, NULL, path_b, NULL, HERO_VIRT_DISK_OPEN_NONE,
                                          NULL, on_result, &result);
      info = hero_virt_disk_provider_info_finish (async_only, wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, 65536);
      g_clear_object (&result);
      g_clear_object (&info);

      /* Neither: NOT_SUPPORTED both ways, and nothing done. */
      g_assert_false (
          hero_virt_disk_provider_create (neither, NULL, path_c, options, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
      g_assert_cmpstr (error->message, ==, "TestNoDisk does not support create");
      g_clear_error (&error);
      hero_virt_disk_provider_snapshot_delete_async (
          neither, NULL, path_c, NULL, HERO_VIRT_DISK_OPEN_NONE, "s", NULL, on_result, &result);
      g_assert_false (
          hero_virt_disk_provider_snapshot_delete_finish (neither, wait_for (&result), &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      g_clear_object (&result);
      g_assert_false (g_file_test (path_c, G_FILE_TEST_EXISTS));
      /* An operation the sync provider left out is not supported either. */
      g_assert_false (hero_virt_disk_provider_resize (
          sync_only, NULL, path_a, NULL, HERO_VIRT_DISK_OPEN_NONE, 1, FALSE, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);

      /* Through HeroVirtDisk, the user-facing object. */
      {
        g_autoptr (HeroVirtDisk) disk
            = hero_virt_disk_new_for_provider (path_b, "asyncdisk", NULL, &error);

        g_assert_no_error (error);
        info = hero_virt_disk_info (disk, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "testdisk-asyncdisk");
        g_clear_object (&info);
        hero_virt_disk_info_async (disk, NULL, on_result, &result);
        info = hero_virt_disk_info_finish (disk, wait_for (&result), &error);
        g_assert_no_error (error);
        g_assert_cmpstr (hero_virt_disk_info_get_filename (info), ==, path_b);
        g_clear_object (&result);
        g_assert_null (hero_virt_disk_new_for_provider (path_b, "nosuch", NULL, &error));
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
        g_clear_error (&error);
      }

      text = read_disk_file (path_b);
      g_assert_cmpstr (text, ==, "65536 asyncdisk");
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();

      install_plugin (s->dirs[0], "good", NULL);
      scenario_run (s, NULL);
    }
}

/* ---- the out-of-process scanner ---- */

static void
assert_scan_listing (const char *phase)
{
  g_autoptr (HeroVirtPluginInfo) good = plugin_by_file ("libherovirt-test-good.so");
  g_autoptr (HeroVirtPluginInfo) crash = plugin_by_file ("libherovirt-test-crash.so");
  g_autoptr (HeroVirtPluginInfo) abrt = plugin_by_file ("libherovirt-test-abort.so");
  g_autoptr (HeroVirtPluginInfo) hang = plugin_by_file ("libherovirt-test-hang.so");
  const char *err;

  if (g_str_equal (phase, "touched"))
    {
      /* A changed file is scanned again: the scanner (here, false) runs. */
      g_assert_false (hero_virt_plugin_info_get_loaded (good));
      g_assert_nonnull (strstr (hero_virt_plugin_info_get_error (good),
                                "the plugin scanner exited with status 1 without a report"));
    }
  else
    {
      g_assert_true (hero_virt_plugin_info_get_loaded (good));
      g_assert_null (hero_virt_plugin_info_get_error (good));
    }

  /* Listed with what happened, never loaded here: we are still alive. */
  g_assert_false (hero_virt_plugin_info_get_loaded (crash));
  err = hero_virt_plugin_info_get_error (crash);
#if defined(__SANITIZE_ADDRESS__)
  /* AddressSanitizer in the scanner catches the SIGSEGV itself and ends the
   * process its own way (an abort or an exit status): still never loaded. */
  g_assert_true (strstr (err, "crashed while loading") != NULL
                 || strstr (err, "the plugin scanner exited with status") != NULL);
#else
  g_assert_nonnull (strstr (err, "crashed while loading"));
  g_assert_nonnull (strstr (err, "signal 11"));
#endif
  g_assert_false (hero_virt_plugin_info_get_loaded (abrt));
  g_assert_nonnull (strstr (hero_virt_plugin_info_get_error (abrt), "signal 6"));
  g_assert_false (hero_virt_plugin_info_get_loaded (hang));
  g_assert_nonnull (strstr (hero_virt_plugin_info_get_error (hang), "hung while loading"));
  g_assert_null (hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "crasher"));
  g_assert_null (hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "aborter"));
  g_assert_null (hero_virt_registry_find_plugin (hero_virt_registry_get_default (), "hanger"));
}

static void
test_scanner_crash_and_hang (void)
{
  if (g_test_subprocess ())
    {
      const char *phase = g_getenv ("HV_PHASE");
      gint64      start = g_get_monotonic_time ();

      hero_virt_registry_get_default ();
      /* Warm: the cache answers, so the hanging plugin costs nothing. */
      if (!g_str_equal (phase, "cold") && !g_str_equal (phase, "rescanned"))
        g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      assert_scan_listing (phase);
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();
      g_autofree char *cache = g_build_filename (s->root, "cache", "registry.json", NULL);
      g_autofree char *good = g_build_filename (s->dirs[0], "libherovirt-test-good.so", NULL);
      g_autofree char *cli
          = g_build_filename (g_getenv ("HERO_VIRT_BUILD_ROOT"), "tools", "hero-virt", NULL);
      g_autofree char *out = NULL;
      g_autofree char *path = NULL;
      GStatBuf         st;
      struct utimbuf   times;

      install_plugin (s->dirs[0], "good", NULL);
      install_plugin (s->dirs[0], "crash", NULL);
      install_plugin (s->dirs[0], "abort", NULL);
      install_plugin (s->dirs[1], "hang", NULL);

      scenario_run (s, "HV_PHASE", "cold", "HERO_VIRT_REGISTRY_CACHE", cache,
                    "HERO_VIRT_PLUGIN_SCAN_TIMEOUT", "1500", NULL);
      g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (g_stat (cache, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);

      /* Warm: a scanner that can only fail proves nothing is spawned. */
      scenario_run (s, "HV_PHASE", "warm", "HERO_VIRT_REGISTRY_CACHE", cache,
                    "HERO_VIRT_PLUGIN_SCANNER", "/bin/false", NULL);

      /* The cache is keyed by size and mtime. */
      g_assert_cmpint (g_stat (good, &st), ==, 0);
      times.actime = st.st_atime;
      times.modtime = st.st_mtime - 10;
      g_assert_cmpint (g_utime (good, &times), ==, 0);
      scenario_run (s, "HV_PHASE", "touched", "HERO_VIRT_REGISTRY_CACHE", cache,
                    "HERO_VIRT_PLUGIN_SCANNER", "/bin/false", NULL);
      /* A scanner that could not report is not cached against the plugin:
       * with the real one it loads again. */
      scenario_run (s, "HV_PHASE", "rescanned", "HERO_VIRT_REGISTRY_CACHE", cache, NULL);

      /* hero-virt plugins lists them with the error, and exits normally. */
      if (g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_autofree char *fresh = g_build_filename (s->root, "cli-cache.json", NULL);
          g_auto (GStrv) env = g_get_environ ();
          g_autoptr (GError) error = NULL;
          int status;

          path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, s->dirs[0], s->dirs[1], NULL);
          env = g_environ_setenv (env, "HERO_VIRT_PLUGIN_PATH", path, TRUE);
          env = g_environ_setenv (env, "HERO_VIRT_PLUGIN_SYSTEM_PATH", "", TRUE);
          env = g_environ_setenv (env, "HERO_VIRT_REGISTRY_CACHE", fresh, TRUE);
          env = g_environ_setenv (env, "HERO_VIRT_PLUGIN_SCAN_TIMEOUT", "1500", TRUE);
          g_spawn_sync (NULL, (char *[]){ cli, (char *)"plugins", NULL }, env,
                        G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
          g_assert_no_error (error);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
#if defined(__SANITIZE_ADDRESS__)
          /* AddressSanitizer turns the SIGSEGV into its own abort. */
          g_assert_nonnull (strstr (out, "crashed while loading in the plugin scanner (signal "));
#else
          g_assert_nonnull (strstr (out, "crashed while loading in the plugin scanner (signal 11"));
#endif
          g_assert_nonnull (strstr (out, "hung while loading"));
          g_assert_nonnull (strstr (out, "testgood"));
        }
    }
}

static void
test_scanner_permissions (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HeroVirtPluginInfo) open_file = plugin_by_file ("libherovirt-test-twin1.so");
      g_autoptr (HeroVirtPluginInfo) in_open_dir = plugin_by_file ("libherovirt-test-good.so");
      g_auto (GStrv) search_path
          = hero_virt_registry_get_search_path (hero_virt_registry_get_default ());

      g_assert_false (hero_virt_plugin_info_get_loaded (open_file));
      g_assert_nonnull (strstr (hero_virt_plugin_info_get_error (open_file),
                                "is writable by everyone (mode 0666)"));
      g_assert_false (hero_virt_plugin_info_get_loaded (in_open_dir));
      g_assert_nonnull (
          strstr (hero_virt_plugin_info_get_error (in_open_dir), "is writable by its group"));
      if (geteuid () == 0)
        {
          g_autoptr (HeroVirtPluginInfo) foreign = plugin_by_file ("libherovirt-test-twin2.so");
          g_assert_false (hero_virt_plugin_info_get_loaded (foreign));
          g_assert_nonnull (strstr (hero_virt_plugin_info_get_error (foreign),
                                    "is owned by uid 65534, neither root nor this user"));
        }

      /* The relative entry is not searched. */
      g_assert_cmpuint (g_strv_length (search_path), ==, 2);
      g_assert_cmpstr (search_path[0], ==, g_getenv ("HV_TEST_DIR1"));
      g_assert_cmpstr (search_path[1], ==, g_getenv ("HV_TEST_DIR2"));
      return;
    }
  else
    {
      g_autoptr (Scenario) s = scenario_new ();
      g_autofree char *open_file = g_build_filename (s->dirs[0], "libherovirt-test-twin1.so", NULL);
      g_autofree char *foreign = g_build_filename (s->dirs[0], "libherovirt-test-twin2.so", NULL);
      g_autofree char *cache = g_build_filename (s->root, "cache.json", NULL);
      g_autofree char *path = NULL;

      install_plugin (s->dirs[0], "twin1", NULL);
      g_assert_cmpint (g_chmod (open_file, 0666), ==, 0);
      install_plugin (s->dirs[0], "twin2", NULL);
      if (geteuid () == 0)
        g_assert_cmpint (chown (foreign, 65534, 65534), ==, 0);
      install_plugin (s->dirs[1], "good", NULL);
      g_assert_cmpint (g_chmod (s->dirs[1], 0775), ==, 0);

      path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, "relative/plugins", s->dirs[0], "./x", s->dirs[1],
                        NULL);
      scenario_run (s, "HERO_VIRT_PLUGIN_PATH", path, "HERO_VIRT_REGISTRY_CACHE", cache, NULL);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/listing", test_listing);
  g_test_add_func ("/registry/first-of-a-name-wins", test_first_of_a_name_wins);
  g_test_add_func ("/registry/default/priority-and-availability",
                   test_default_by_priority_and_availability);
  g_test_add_func ("/registry/default/none-available", test_none_available);
  g_test_add_func ("/registry/default/no-plugins", test_no_plugins);
  g_test_add_func ("/registry/default/env-override", test_env_override);
  g_test_add_func ("/registry/runtime-registration", test_runtime_registration);
  g_test_add_func ("/registry/default/per-executor", test_per_executor);
  g_test_add_func ("/registry/sync-async-derivation", test_derivation);
  g_test_add_func ("/registry/scanner/crash-and-hang", test_scanner_crash_and_hang);
  g_test_add_func ("/registry/scanner/permissions", test_scanner_permissions);

  return g_test_run ();
}
