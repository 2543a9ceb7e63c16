/* test-bad-type-plugin.c: announces a disk provider whose type does not
 * implement HeroVirtDiskProvider, next to a good one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-disk-common.h"

#define TEST_TYPE_NOT_A_DISK (test_not_a_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestNotADisk, test_not_a_disk, TEST, NOT_A_DISK, GObject)
struct _TestNotADisk
{
  GObject parent_instance;
};

G_DEFINE_DYNAMIC_TYPE (TestNotADisk, test_not_a_disk, G_TYPE_OBJECT)

static void
test_not_a_disk_init (TestNotADisk *self)
{
}
static void
test_not_a_disk_class_init (TestNotADiskClass *klass)
{
}
static void
test_not_a_disk_class_finalize (TestNotADiskClass *klass)
{
}

#define TEST_TYPE_PLAIN_DISK (test_plain_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestPlainDisk, test_plain_disk, TEST, PLAIN_DISK, GObject)
struct _TestPlainDisk
{
  GObject parent_instance;
};

static void
test_plain_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
}
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestPlainDisk,
                                test_plain_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_plain_disk_iface_init))

static void
test_plain_disk_init (TestPlainDisk *self)
{
}
static void
test_plain_disk_class_init (TestPlainDiskClass *klass)
{
}
static void
test_plain_disk_class_finalize (TestPlainDiskClass *klass)
{
}

static gboolean
bad_type_register (HeroVirtPlugin *plugin, GError **error)
{
  test_not_a_disk_register_type (G_TYPE_MODULE (plugin));
  test_plain_disk_register_type (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "notadisk",
                                 TEST_TYPE_NOT_A_DISK, 500);
  /* The right interface, but for the wrong kind. */
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_IMAGE, "wrongkind",
                                 TEST_TYPE_PLAIN_DISK, 0);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "plaindisk",
                                 TEST_TYPE_PLAIN_DISK, 0);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("badtype",
                         "Announces a type that is not a provider",
                         "0.1",
                         bad_type_register)
