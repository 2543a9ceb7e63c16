/* test-twin-plugin.c: built twice (versions 1.0 and 2.0) under one plugin
 * name, to prove that the first plugin of a name on the search path wins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-disk-common.h"

#define TEST_TYPE_TWIN_DISK (test_twin_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestTwinDisk, test_twin_disk, TEST, TWIN_DISK, GObject)
struct _TestTwinDisk
{
  GObject parent_instance;
};

static void
test_twin_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
}
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestTwinDisk,
                                test_twin_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_twin_disk_iface_init))

static void
test_twin_disk_init (TestTwinDisk *self)
{
}
static void
test_twin_disk_class_init (TestTwinDiskClass *klass)
{
}
static void
test_twin_disk_class_finalize (TestTwinDiskClass *klass)
{
}

static gboolean
twin_register (HeroVirtPlugin *plugin, GError **error)
{
  test_twin_disk_register_type (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "twin-" TWIN_VERSION_NAME,
                                 TEST_TYPE_TWIN_DISK, 0);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("twin", "Twin plugin " TWIN_VERSION, TWIN_VERSION, twin_register)
