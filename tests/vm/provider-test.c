/* provider-test.c: minimal providers, defined here and registered at run
 * time, driven through the public sync and async wrappers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

/* --- a hypervisor provider with only create, info and list, all sync */

#define TEST_TYPE_MEM_HYPERVISOR (test_mem_hypervisor_get_type ())
G_DECLARE_FINAL_TYPE (TestMemHypervisor, test_mem_hypervisor, TEST, MEM_HYPERVISOR, GObject)

struct _TestMemHypervisor
{
  GObject parent_instance;

  GMutex      lock; /* the async wrappers call from worker threads */
  GHashTable *vms;  /* id -> HeroVirtVmSpec */
  GThread    *main_thread;
  gboolean    saw_worker_thread;
};

static void test_mem_hypervisor_iface_init (HeroVirtHypervisorProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMemHypervisor,
                               test_mem_hypervisor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_HYPERVISOR_PROVIDER,
                                                      test_mem_hypervisor_iface_init))

static void
test_mem_hypervisor_finalize (GObject *object)
{
  TestMemHypervisor *self = TEST_MEM_HYPERVISOR (object);

  g_hash_table_unref (self->vms);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (test_mem_hypervisor_parent_class)->finalize (object);
}

static void
test_mem_hypervisor_class_init (TestMemHypervisorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_mem_hypervisor_finalize;
}

static void
test_mem_hypervisor_init (TestMemHypervisor *self)
{
  g_mutex_init (&self->lock);
  self->vms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->main_thread = g_thread_self ();
}

static void
note_thread (TestMemHypervisor *self)
{
  if (g_thread_self () != self->main_thread)
    self->saw_worker_thread = TRUE;
}

static char *
mem_create (HeroVirtHypervisorProvider *provider,
            HeroVirtExecutor           *executor,
            HeroVirtVmSpec             *spec,
            GCancellable               *cancellable,
            GError                    **error)
{
  TestMemHypervisor *self = TEST_MEM_HYPERVISOR (provider);
  g_autoptr (GMutexLocker) locker = NULL;
  const char *name;

  g_assert_true (HERO_VIRT_IS_EXECUTOR (executor));
  note_thread (self);
  if (!hero_virt_vm_spec_validate (spec, error))
    return NULL;
  name = hero_virt_vm_spec_get_name (spec);
  locker = g_mutex_locker_new (&self->lock);
  if (g_hash_table_contains (self->vms, name))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "VM “%s” already exists", name);
      return NULL;
    }
  g_hash_table_insert (self->vms, g_strdup (name), g_object_ref (spec));
  return g_strdup (name);
}

static HeroVirtVmInfo *
info_for (const char *id, HeroVirtVmSpec *spec)
{
  HeroVirtVmInfo *info = hero_virt_vm_info_new (id, HERO_VIRT_VM_STATE_CREATED);

  return hero_virt_vm_info_set_directory (hero_virt_vm_info_set_spec (info, spec), "/nowhere");
}

static HeroVirtVmInfo *
mem_info (HeroVirtHypervisorProvider *provider,
          HeroVirtExecutor           *executor,
          const char                 *id,
          GCancellable               *cancellable,
          GError                    **error)
{
  TestMemHypervisor *self = TEST_MEM_HYPERVISOR (provider);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  HeroVirtVmSpec *spec = g_hash_table_lookup (self->vms, id);

  note_thread (self);
  if (spec == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM “%s”", id);
      return NULL;
    }
  return info_for (id, spec);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  return strcmp (hero_virt_vm_info_get_id (*(HeroVirtVmInfo **)a),
                 hero_virt_vm_info_get_id (*(HeroVirtVmInfo **)b));
}

static GPtrArray *
mem_list (HeroVirtHypervisorProvider *provider,
          HeroVirtExecutor           *executor,
          GCancellable               *cancellable,
          GError                    **error)
{
  TestMemHypervisor *self = TEST_MEM_HYPERVISOR (provider);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GPtrArray     *infos = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer       id, spec;

  note_thread (self);
  g_hash_table_iter_init (&iter, self->vms);
  while (g_hash_table_iter_next (&iter, &id, &spec))
    g_ptr_array_add (infos, info_for (id, spec));
  g_ptr_array_sort (infos, compare_ids);
  return infos;
}

static void
test_mem_hypervisor_iface_init (HeroVirtHypervisorProviderInterface *iface)
{
  iface->create = mem_create;
  iface->info = mem_info;
  iface->list = mem_list;
}

/* --- a cluster provider with only get, as an async pair */

#define TEST_TYPE_MEM_CLUSTER (test_mem_cluster_get_type ())
G_DECLARE_FINAL_TYPE (TestMemCluster, test_mem_cluster, TEST, MEM_CLUSTER, GObject)

struct _TestMemCluster
{
  GObject parent_instance;
};

static void test_mem_cluster_iface_init (HeroVirtClusterProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMemCluster,
                               test_mem_cluster,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_CLUSTER_PROVIDER,
                                                      test_mem_cluster_iface_init))

static void
test_mem_cluster_class_init (TestMemClusterClass *klass)
{
}

static void
test_mem_cluster_init (TestMemCluster *self)
{
}

/* One namespace, "default"; everything else is missing. */
static void
mem_get_async (HeroVirtClusterProvider *provider,
               HeroVirtExecutor        *executor,
               HeroVirtClusterKind     *kind,
               const char *namespace,
               const char         *name,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (provider, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = hero_virt_cluster_kind_get_path (kind, namespace, name, &error);

  if (path == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (strcmp (path, "/api/v1/namespaces/default") == 0)
    g_task_return_pointer (task, hero_virt_kube_resource_new (kind, NULL, name),
                           (GDestroyNotify)json_node_unref);
  else
    g_task_return_new_error (task, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                             "%s \"%s\" not found", hero_virt_cluster_kind_get_plural (kind), name);
}

static JsonNode *
mem_get_finish (HeroVirtClusterProvider *provider, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_mem_cluster_iface_init (HeroVirtClusterProviderInterface *iface)
{
  iface->get_async = mem_get_async;
  iface->get_finish = mem_get_finish;
}

/* --- helpers */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static GAsyncResult *
wait_for (Waiter *waiter)
{
  g_main_loop_run (waiter->loop);
  return waiter->result;
}

static HeroVirtVmSpec *
make_spec (const char *name)
{
  g_autoptr (HeroVirtVmBuilder) builder = hero_virt_vm_builder_new (name);
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;

  hero_virt_vm_builder_set_kernel (builder, "/boot/vmlinux");
  hero_virt_vm_builder_add_disk (builder, "/vms/root.qcow2", FALSE);
  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_hypervisor_provider (void)
{
  HeroVirtRegistry *registry = hero_virt_registry_get_default ();
  g_autoptr (TestMemHypervisor) mem = g_object_new (TEST_TYPE_MEM_HYPERVISOR, NULL);
  g_autoptr (GObject) found = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (HeroVirtVmSpec) spec_a = make_spec ("alpha");
  g_autoptr (HeroVirtVmSpec) spec_b = make_spec ("beta");
  g_autoptr (HeroVirtVmSpec) broken
      = hero_virt_vm_spec_new_from_json ("{\"name\":\"x\",\"vcpus\":0}", NULL);
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (GPtrArray) infos = NULL;
  g_autoptr (GError) error = NULL;
  HeroVirtHypervisorProvider *provider;
  g_autofree char            *id = NULL;
  g_autofree char            *id_b = NULL;
  Waiter                      waiter = { loop, NULL };

  g_assert_true (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_HYPERVISOR,
                                                       "memvm", 100, G_OBJECT (mem), &error));
  g_assert_no_error (error);
  found = hero_virt_registry_get_provider (registry, HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "memvm",
                                           &error);
  g_assert_no_error (error);
  g_assert_true (found == G_OBJECT (mem));
  provider = HERO_VIRT_HYPERVISOR_PROVIDER (found);
  g_assert_true (hero_virt_hypervisor_provider_is_available (provider, NULL, NULL, NULL));

  /* Sync wrappers call the sync vfuncs. */
  id = hero_virt_hypervisor_provider_create (provider, NULL, spec_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "alpha");
  g_assert_null (hero_virt_hypervisor_provider_create (provider, NULL, spec_a, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (hero_virt_hypervisor_provider_create (provider, NULL, broken, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  info = hero_virt_hypervisor_provider_info (provider, NULL, "alpha", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_CREATED);
  g_assert_true (hero_virt_vm_info_get_spec (info) == spec_a);
  g_clear_object (&info);
  g_assert_false (mem->saw_worker_thread);

  /* Async wrappers run them in a worker thread. */
  hero_virt_hypervisor_provider_create_async (provider, NULL, spec_b, NULL, got_result, &waiter);
  id_b = hero_virt_hypervisor_provider_create_finish (provider, wait_for (&waiter), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_b, ==, "beta");
  g_clear_object (&waiter.result);
  g_assert_true (mem->saw_worker_thread);

  hero_virt_hypervisor_provider_info_async (provider, NULL, "gamma", NULL, got_result, &waiter);
  info = hero_virt_hypervisor_provider_info_finish (provider, wait_for (&waiter), &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_assert_null (info);
  g_clear_error (&error);
  g_clear_object (&waiter.result);

  hero_virt_hypervisor_provider_list_async (provider, NULL, NULL, got_result, &waiter);
  infos = hero_virt_hypervisor_provider_list_finish (provider, wait_for (&waiter), &error);
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_cmpuint (infos->len, ==, 2);
  g_assert_cmpstr (hero_virt_vm_info_get_id (g_ptr_array_index (infos, 0)), ==, "alpha");
  g_assert_cmpstr (hero_virt_vm_info_get_id (g_ptr_array_index (infos, 1)), ==, "beta");

  /* Everything it leaves out is NOT_SUPPORTED, sync and async. */
  g_assert_false (hero_virt_hypervisor_provider_start (provider, NULL, "alpha", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (
      hero_virt_hypervisor_provider_stop (provider, NULL, "alpha", TRUE, 10, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (
      hero_virt_hypervisor_provider_snapshot (provider, NULL, "alpha", "/snap", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  hero_virt_hypervisor_provider_delete_async (provider, NULL, "alpha", TRUE, NULL, got_result,
                                              &waiter);
  g_assert_false (
      hero_virt_hypervisor_provider_delete_finish (provider, wait_for (&waiter), &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&waiter.result);

  /* A cancelled call runs nothing. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (HeroVirtVmSpec) spec_c = make_spec ("gamma");

    g_cancellable_cancel (cancellable);
    g_assert_null (
        hero_virt_hypervisor_provider_create (provider, NULL, spec_c, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    hero_virt_hypervisor_provider_create_async (provider, NULL, spec_c, cancellable, got_result,
                                                &waiter);
    g_assert_null (
        hero_virt_hypervisor_provider_create_finish (provider, wait_for (&waiter), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&waiter.result);
    g_assert_false (g_hash_table_contains (mem->vms, "gamma"));
  }

  g_assert_true (hero_virt_registry_unregister_provider (
      registry, HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "memvm"));
}

static void
test_cluster_provider (void)
{
  HeroVirtRegistry *registry = hero_virt_registry_get_default ();
  g_autoptr (TestMemCluster) mem = g_object_new (TEST_TYPE_MEM_CLUSTER, NULL);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (HeroVirtClusterKind) pods = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterKind) namespaces = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  g_autoptr (JsonNode) resource = hero_virt_kube_resource_new (pods, "default", "web");
  g_autoptr (JsonNode) got = NULL;
  g_autoptr (GError) error = NULL;
  HeroVirtClusterProvider *provider = HERO_VIRT_CLUSTER_PROVIDER (mem);
  Waiter                   waiter = { loop, NULL };

  g_assert_true (hero_virt_registry_register_provider (registry, HERO_VIRT_PROVIDER_KIND_CLUSTER,
                                                       "memkube", 100, G_OBJECT (mem), &error));
  g_assert_no_error (error);

  /* The sync wrapper drives the async pair. */
  got = hero_virt_cluster_provider_get (provider, NULL, namespaces, NULL, "default", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_kube_resource_get_kind (got), ==, "Namespace");
  g_assert_null (
      hero_virt_cluster_provider_get (provider, NULL, pods, "default", "Bad_Name", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* namespace_exists is derived from get. */
  g_assert_true (
      hero_virt_cluster_provider_namespace_exists (provider, NULL, "default", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (
      hero_virt_cluster_provider_namespace_exists (provider, NULL, "missing", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (
      hero_virt_cluster_provider_namespace_exists (provider, NULL, "not.a.label", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hero_virt_cluster_provider_namespace_exists_async (provider, NULL, "missing", NULL, got_result,
                                                     &waiter);
  g_assert_false (
      hero_virt_cluster_provider_namespace_exists_finish (provider, wait_for (&waiter), &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  hero_virt_cluster_provider_namespace_exists_async (provider, NULL, "default", NULL, got_result,
                                                     &waiter);
  g_assert_true (
      hero_virt_cluster_provider_namespace_exists_finish (provider, wait_for (&waiter), &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);

  /* The rest is NOT_SUPPORTED. */
  g_assert_null (
      hero_virt_cluster_provider_create (provider, NULL, pods, NULL, resource, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  hero_virt_cluster_provider_apply_async (provider, NULL, pods, NULL, resource, "hero-virt", FALSE,
                                          NULL, got_result, &waiter);
  g_assert_null (hero_virt_cluster_provider_apply_finish (provider, wait_for (&waiter), &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&waiter.result);
  g_assert_null (hero_virt_cluster_provider_watch (provider, NULL, pods, NULL, NULL, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  {
    const char *argv[] = { "ls", "/", NULL };

    g_assert_null (hero_virt_cluster_provider_exec (provider, NULL, NULL, "web", NULL, argv, NULL,
                                                    NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
  }

  g_assert_true (hero_virt_registry_unregister_provider (registry, HERO_VIRT_PROVIDER_KIND_CLUSTER,
                                                         "memkube"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider/hypervisor/minimal", test_hypervisor_provider);
  g_test_add_func ("/provider/cluster/minimal", test_cluster_provider);

  return g_test_run ();
}
