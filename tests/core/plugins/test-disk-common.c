/* test-disk-common.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-disk-common.h"

gboolean
test_disk_check_available (const char *provider_name, GError **error)
{
  g_auto (GStrv) names = g_strsplit (g_getenv ("HV_TEST_UNAVAILABLE") ?: "", ",", -1);

  if (!g_strv_contains ((const char *const *)names, provider_name))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE, "%s-tool is not installed",
               provider_name);
  return FALSE;
}

gboolean
test_disk_create (const char                *provider_name,
                  const char                *path,
                  HeroVirtDiskCreateOptions *options,
                  GError                   **error)
{
  g_autofree char *text = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "%s exists", path);
      return FALSE;
    }
  /* The creator's name goes in the file, so a test sees who did it. */
  text = g_strdup_printf ("%" G_GUINT64_FORMAT " %s\n",
                          hero_virt_disk_create_options_get_size (options), provider_name);
  return g_file_set_contents (path, text, -1, error);
}

HeroVirtDiskInfo *
test_disk_info (const char *provider_name, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_auto (GStrv) fields = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "no image at %s", path);
      return NULL;
    }
  fields = g_strsplit (g_strstrip (text), " ", 2);
  json = g_strdup_printf ("{\"filename\": \"%s\", \"format\": \"testdisk-%s\", "
                          "\"virtual-size\": %s, \"actual-size\": 0}",
                          path, provider_name, fields[0]);
  return hero_virt_disk_info_new_from_json (json, error);
}
