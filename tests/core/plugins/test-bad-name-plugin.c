/* test-bad-name-plugin.c: announces providers with invalid names.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-disk-common.h"

#define TEST_TYPE_NAMED_DISK (test_named_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestNamedDisk, test_named_disk, TEST, NAMED_DISK, GObject)
struct _TestNamedDisk
{
  GObject parent_instance;
};

static void
test_named_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
}
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestNamedDisk,
                                test_named_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_named_disk_iface_init))

static void
test_named_disk_init (TestNamedDisk *self)
{
}
static void
test_named_disk_class_init (TestNamedDiskClass *klass)
{
}
static void
test_named_disk_class_finalize (TestNamedDiskClass *klass)
{
}

static gboolean
bad_name_register (HeroVirtPlugin *plugin, GError **error)
{
  test_named_disk_register_type (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "Bad Name!",
                                 TEST_TYPE_NAMED_DISK, 0);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "../etc",
                                 TEST_TYPE_NAMED_DISK, 0);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("badname", "Announces invalid provider names", "0.1", bad_name_register)
