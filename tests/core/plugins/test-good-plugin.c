/* test-good-plugin.c: a well-behaved plugin with four disk providers of
 * dynamic types, one for each way a provider can be written:
 *
 *   syncdisk     priority 100, plain (sync) vfuncs only
 *   asyncdisk    priority  50, _async/_finish pairs only
 *   nodisk       priority  10, no operations at all
 *   unavailable  priority 200, its availability probe always fails
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-TestGood"

#include "test-disk-common.h"

/* ---- syncdisk ---- */

#define TEST_TYPE_SYNC_DISK (test_sync_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestSyncDisk, test_sync_disk, TEST, SYNC_DISK, GObject)
struct _TestSyncDisk
{
  GObject parent_instance;
};

static void test_sync_disk_iface_init (HeroVirtDiskProviderInterface *iface);
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestSyncDisk,
                                test_sync_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_sync_disk_iface_init))

static void
test_sync_disk_init (TestSyncDisk *self)
{
}
static void
test_sync_disk_class_init (TestSyncDiskClass *klass)
{
}
static void
test_sync_disk_class_finalize (TestSyncDiskClass *klass)
{
}

static gboolean
sync_is_available (HeroVirtDiskProvider *self,
                   HeroVirtExecutor     *executor,
                   GCancellable         *cancellable,
                   GError              **error)
{
  return test_disk_check_available ("syncdisk", error);
}

static gboolean
sync_create (HeroVirtDiskProvider      *self,
             HeroVirtExecutor          *executor,
             const char                *path,
             HeroVirtDiskCreateOptions *options,
             GCancellable              *cancellable,
             GError                   **error)
{
  g_assert (HERO_VIRT_IS_EXECUTOR (executor));
  return test_disk_create ("syncdisk", path, options, error);
}

static HeroVirtDiskInfo *
sync_info (HeroVirtDiskProvider *self,
           HeroVirtExecutor     *executor,
           const char           *path,
           const char           *image_format,
           HeroVirtDiskOpenFlags flags,
           GCancellable         *cancellable,
           GError              **error)
{
  g_assert (HERO_VIRT_IS_EXECUTOR (executor));
  return test_disk_info ("syncdisk", path, error);
}

static void
test_sync_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = sync_is_available;
  iface->create = sync_create;
  iface->info = sync_info;
}

/* ---- asyncdisk ---- */

#define TEST_TYPE_ASYNC_DISK (test_async_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestAsyncDisk, test_async_disk, TEST, ASYNC_DISK, GObject)
struct _TestAsyncDisk
{
  GObject parent_instance;
};

static void test_async_disk_iface_init (HeroVirtDiskProviderInterface *iface);
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestAsyncDisk,
                                test_async_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_async_disk_iface_init))

static void
test_async_disk_init (TestAsyncDisk *self)
{
}
static void
test_async_disk_class_init (TestAsyncDiskClass *klass)
{
}
static void
test_async_disk_class_finalize (TestAsyncDiskClass *klass)
{
}

static gboolean
async_is_available (HeroVirtDiskProvider *self,
                    HeroVirtExecutor     *executor,
                    GCancellable         *cancellable,
                    GError              **error)
{
  return test_disk_check_available ("asyncdisk", error);
}

/* The work is done at once, but the result is delivered from the caller's
 * main context like any real asynchronous operation. */
static void
async_create_async (HeroVirtDiskProvider      *self,
                    HeroVirtExecutor          *executor,
                    const char                *path,
                    HeroVirtDiskCreateOptions *options,
                    GCancellable              *cancellable,
                    GAsyncReadyCallback        callback,
                    gpointer                   user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, async_create_async);
  if (test_disk_create ("asyncdisk", path, options, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
async_create_finish (HeroVirtDiskProvider *self, GAsyncResult *result, GError **error)
{
  g_assert (g_task_get_source_tag (G_TASK (result)) == async_create_async);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
async_info_async (HeroVirtDiskProvider *self,
                  HeroVirtExecutor     *executor,
                  const char           *path,
                  const char           *image_format,
                  HeroVirtDiskOpenFlags flags,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError           *error = NULL;
  HeroVirtDiskInfo *info;

  g_task_set_source_tag (task, async_info_async);
  info = test_disk_info ("asyncdisk", path, &error);
  if (info != NULL)
    g_task_return_pointer (task, info, g_object_unref);
  else
    g_task_return_error (task, error);
}

static HeroVirtDiskInfo *
async_info_finish (HeroVirtDiskProvider *self, GAsyncResult *result, GError **error)
{
  g_assert (g_task_get_source_tag (G_TASK (result)) == async_info_async);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_async_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = async_is_available;
  iface->create_async = async_create_async;
  iface->create_finish = async_create_finish;
  iface->info_async = async_info_async;
  iface->info_finish = async_info_finish;
}

/* ---- nodisk: implements the interface and nothing else ---- */

#define TEST_TYPE_NO_DISK (test_no_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestNoDisk, test_no_disk, TEST, NO_DISK, GObject)
struct _TestNoDisk
{
  GObject parent_instance;
};

static void test_no_disk_iface_init (HeroVirtDiskProviderInterface *iface);
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestNoDisk,
                                test_no_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_no_disk_iface_init))

static void
test_no_disk_init (TestNoDisk *self)
{
}
static void
test_no_disk_class_init (TestNoDiskClass *klass)
{
}
static void
test_no_disk_class_finalize (TestNoDiskClass *klass)
{
}

static gboolean
no_is_available (HeroVirtDiskProvider *self,
                 HeroVirtExecutor     *executor,
                 GCancellable         *cancellable,
                 GError              **error)
{
  return test_disk_check_available ("nodisk", error);
}

static void
test_no_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = no_is_available;
}

/* ---- unavailable: would work, but its backend is never there ---- */

#define TEST_TYPE_UNAVAILABLE_DISK (test_unavailable_disk_get_type ())
G_DECLARE_FINAL_TYPE (TestUnavailableDisk, test_unavailable_disk, TEST, UNAVAILABLE_DISK, GObject)
struct _TestUnavailableDisk
{
  GObject parent_instance;
};

static void test_unavailable_disk_iface_init (HeroVirtDiskProviderInterface *iface);
G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestUnavailableDisk,
                                test_unavailable_disk,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_DISK_PROVIDER,
                                                               test_unavailable_disk_iface_init))

static void
test_unavailable_disk_init (TestUnavailableDisk *self)
{
}
static void
test_unavailable_disk_class_init (TestUnavailableDiskClass *klass)
{
}
static void
test_unavailable_disk_class_finalize (TestUnavailableDiskClass *klass)
{
}

static gboolean
unavailable_is_available (HeroVirtDiskProvider *self,
                          HeroVirtExecutor     *executor,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
               "unavailable-tool is not installed");
  return FALSE;
}

static gboolean
unavailable_create (HeroVirtDiskProvider      *self,
                    HeroVirtExecutor          *executor,
                    const char                *path,
                    HeroVirtDiskCreateOptions *options,
                    GCancellable              *cancellable,
                    GError                   **error)
{
  return test_disk_create ("unavailable", path, options, error);
}

static void
test_unavailable_disk_iface_init (HeroVirtDiskProviderInterface *iface)
{
  iface->is_available = unavailable_is_available;
  iface->create = unavailable_create;
}

static gboolean
test_good_register (HeroVirtPlugin *plugin, GError **error)
{
  GTypeModule *module = G_TYPE_MODULE (plugin);

  test_sync_disk_register_type (module);
  test_async_disk_register_type (module);
  test_no_disk_register_type (module);
  test_unavailable_disk_register_type (module);

  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "syncdisk",
                                 TEST_TYPE_SYNC_DISK, 100);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "asyncdisk",
                                 TEST_TYPE_ASYNC_DISK, 50);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "nodisk", TEST_TYPE_NO_DISK,
                                 10);
  hero_virt_plugin_add_provider (plugin, HERO_VIRT_PROVIDER_KIND_DISK, "unavailable",
                                 TEST_TYPE_UNAVAILABLE_DISK, 200);
  return TRUE;
}

HERO_VIRT_PLUGIN_DEFINE ("testgood",
                         "Test disk providers of every shape",
                         "1.2.3",
                         test_good_register)
