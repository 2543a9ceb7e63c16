/* test-fail-register-plugin.c: announces a provider, then its register
 * function fails. The provider must not be handed out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-disk-common.h"

#define TEST_TYPE_HALF_DISK (test_half_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestHalfDisk, test_half_disk, TEST, HALF_DISK, GObject)
struct _TestHalfDisk
{
  GObject parent_instance;
};

static void
test_half_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
}
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestHalfDisk,
                                test_half_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_half_disk_iface_init))

static void
test_half_disk_init (TestHalfDisk *self)
{
}
static void
test_half_disk_class_init (TestHalfDiskClass *klass)
{
}
static void
test_half_disk_class_finalize (TestHalfDiskClass *klass)
{
}

static gboolean
fail_register (HeroVirtPlugin *plugin, GError **error)
{
#ifdef FAIL_EARLY
  /* Fails before registering any type, and without saying why. */
  return FALSE;
#endif
  test_half_disk_register_type (G_TYPE_MODULE (plugin));
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "halfdisk",
                                 TEST_TYPE_HALF_DISK, 1000);
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE, "the half backend is missing");
  return FALSE;
}

#ifdef FAIL_EARLY
HERO_VIRT_PLUGIN_DEFINE ("failearly", "Fails before registering anything", "0.1", fail_register)
#else
HERO_VIRT_PLUGIN_DEFINE ("failreg", "Fails to register", "0.1", fail_register)
#endif
