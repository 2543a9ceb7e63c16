/* vm-api-test.c: HeroVirt.Vm from C through the public API, against the
 * cloudhv plugin and hero-virt-ch-sim (HERO_VIRT_HYPERVISOR=cloudhv, no
 * guest boot): create, start (async), pause, resume, get_info, list from a
 * second process, kill -9 reported stopped, stop, delete; hostile specs
 * refused with nothing started and no record left, through both plugins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "testlib.h"

static struct
{
  char *tmp;
  char *records;
  char *kernel;
  char *self_exe;
} fx;

static guint
count_records (void)
{
  g_autoptr (GDir) dir = g_dir_open (fx.records, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static HeroVirtVmSpec *
spec_for (const char *name)
{
  g_autoptr (HeroVirtVmBuilder) builder = hero_virt_vm_builder_new (name);
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;

  hero_virt_vm_builder_set_kernel (builder, fx.kernel);
  hero_virt_vm_builder_set_cmdline (builder, "console=ttyS0");
  hero_virt_vm_builder_set_memory_mb (builder, 128);
  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);
  return spec;
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
start_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = hero_virt_vm_start_finish (HERO_VIRT_VM (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static HeroVirtVmState
state_of (HeroVirtVm *vm)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtVmInfo) info = hero_virt_vm_get_info (vm, NULL, &error);

  g_assert_no_error (error);
  return hero_virt_vm_info_get_state (info);
}

static gint64
pid_of (HeroVirtVm *vm)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtVmInfo) info = hero_virt_vm_get_info (vm, NULL, &error);

  g_assert_no_error (error);
  return hero_virt_vm_info_get_pid (info);
}

static gboolean
need_sim (void)
{
  if (g_getenv ("HERO_VIRT_CLOUD_HYPERVISOR") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("HERO_VIRT_CH_SIM is not set");
      g_test_skip ("hero-virt-ch-sim not built");
      return FALSE;
    }
  g_setenv ("HERO_VIRT_HYPERVISOR", "cloudhv", TRUE);
  return TRUE;
}

static void
test_lifecycle (void)
{
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (HeroVirtVm) again = NULL;
  g_autoptr (HeroVirtHypervisorProvider) provider = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *out = NULL;
  Wait             w = { 0 };
  gint64           pid;

  if (!need_sim ())
    return;
  spec = spec_for ("c-api-1");
  vm = hero_virt_vm_new (spec);
  g_assert_cmpstr (hero_virt_vm_get_id (vm), ==, "c-api-1");
  provider = hero_virt_vm_get_provider (vm, &error);
  g_assert_no_error (error);
  g_assert_true (strstr (G_OBJECT_TYPE_NAME (provider), "Cloud") != NULL
                 || strstr (G_OBJECT_TYPE_NAME (provider), "Ch") != NULL);

  g_assert_true (hero_virt_vm_create (vm, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_records (), ==, 1);
  g_assert_false (hero_virt_vm_create (vm, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  /* start through the async form: it forwards to the provider's async op */
  w.loop = g_main_loop_new (NULL, FALSE);
  hero_virt_vm_start_async (vm, NULL, start_done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpint (state_of (vm), ==, HERO_VIRT_VM_STATE_RUNNING);

  g_assert_true (hero_virt_vm_pause (vm, NULL, &error));
  g_assert_cmpint (state_of (vm), ==, HERO_VIRT_VM_STATE_PAUSED);
  g_assert_true (hero_virt_vm_resume (vm, NULL, &error));
  g_assert_cmpint (state_of (vm), ==, HERO_VIRT_VM_STATE_RUNNING);
  g_assert_no_error (error);

  /* a second process lists it, running */
  {
    const char *argv[] = { fx.self_exe, "--list-child", NULL };
    out = ht_run (argv, FALSE);
  }
  g_assert_cmpstr (out, ==, "c-api-1 running\n");

  /* a fresh object for the same id, in this process */
  again = hero_virt_vm_new_for_id ("c-api-1");
  g_assert_cmpint (state_of (again), ==, HERO_VIRT_VM_STATE_RUNNING);
  list = hero_virt_vm_list (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* kill -9 of the hypervisor: stopped, pid 0, never running */
  pid = pid_of (vm);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill ((pid_t)pid, SIGKILL), ==, 0);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    HeroVirtVmState state;

    /* never running again: unknown while the killed process is not yet
     * reaped, then stopped */
    while ((state = state_of (vm)) != HERO_VIRT_VM_STATE_STOPPED)
      {
        g_assert_cmpint (state, !=, HERO_VIRT_VM_STATE_RUNNING);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (50000);
      }
  }
  g_assert_cmpint (pid_of (vm), ==, 0);
  g_assert_false (hero_virt_vm_pause (vm, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* start again, stop by force, delete */
  g_assert_true (hero_virt_vm_start (vm, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_vm_stop (vm, TRUE, 5, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_vm_delete (vm, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_records (), ==, 0);
  g_assert_null (hero_virt_vm_get_info (vm, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

static void
expect_refused (const char *json, gint code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtVmSpec) spec = hero_virt_vm_spec_new_from_json (json, &error);
  g_autoptr (HeroVirtVm) vm = NULL;

  g_assert_no_error (error);
  vm = hero_virt_vm_new (spec);
  g_assert_false (hero_virt_vm_create (vm, NULL, &error));
  g_test_message ("%s: %s", json, error ? error->message : "(none)");
  g_assert_error (error, HERO_VIRT_ERROR, code);
  g_assert_cmpuint (count_records (), ==, 0);
  g_clear_error (&error);
  g_assert_false (hero_virt_vm_start (vm, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (count_records (), ==, 0);
}

static void
hostile (const char *provider)
{
  g_autofree char *comma = g_build_filename (fx.tmp, "a.qcow2,readonly=off", NULL);
  g_autofree char *j = NULL;

  g_setenv ("HERO_VIRT_HYPERVISOR", provider, TRUE);
  g_assert_true (g_file_set_contents (comma, "", 0, NULL));
#define SPEC(...) (g_free (j), j = g_strdup_printf (__VA_ARGS__))
  expect_refused (SPEC ("{\"name\": \"bad_name\", \"kernel\": \"%s\"}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"a..b\", \"kernel\": \"%s\"}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"..\", \"kernel\": \"%s\"}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s\", \"vcpus\": 0}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s\", \"vcpus\": 4096}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s\", \"memory_mb\": 0}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (
      SPEC ("{\"name\": \"v\", \"kernel\": \"%s\", \"memory_mb\": 1125899906842624}", fx.kernel),
      HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s/missing\"}", fx.tmp),
                  HERO_VIRT_ERROR_NOT_FOUND);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s,x=y\"}", fx.kernel),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
  expect_refused (SPEC ("{\"name\": \"v\", \"kernel\": \"%s\", \"disks\": [{\"path\": \"%s\"}]}",
                        fx.kernel, comma),
                  HERO_VIRT_ERROR_INVALID_ARGUMENT);
#undef SPEC
  g_remove (comma);
}

static void
test_hostile_qemu (void)
{
  if (!ht_require_program ("qemu-system-x86_64"))
    return;
  hostile ("qemu");
}

static void
test_hostile_cloudhv (void)
{
  if (!need_sim ())
    return;
  hostile ("cloudhv");
}

static void
test_bad_ids (void)
{
  const char *bad[] = { "..", "../x", "a/b", "-x", "", "a,b" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HeroVirtVm) vm = hero_virt_vm_new_for_id (bad[i]);

      g_assert_false (hero_virt_vm_stop (vm, TRUE, 0, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (HeroVirtVmSpec) spec = spec_for ("named");
    g_autoptr (HeroVirtVm) vm = hero_virt_vm_new_full (spec, "other", NULL, NULL, &error);

    g_assert_null (vm);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  }
}

static int
list_child (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = hero_virt_vm_list (NULL, NULL, &error);
  g_autoptr (GEnumClass) klass = g_type_class_ref (HERO_VIRT_TYPE_VM_STATE);

  if (list == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < list->len; i++)
    g_print ("%s %s\n", hero_virt_vm_info_get_id (list->pdata[i]),
             g_enum_get_value (klass, hero_virt_vm_info_get_state (list->pdata[i]))->value_nick);
  return 0;
}

int
main (int argc, char **argv)
{
  const char *sim = g_getenv ("HERO_VIRT_CH_SIM");
  int         ret;

  if (argc == 2 && strcmp (argv[1], "--list-child") == 0)
    return list_child ();

  g_test_init (&argc, &argv, NULL);
  fx.self_exe = g_canonicalize_filename (argv[0], NULL);
  fx.tmp = ht_tmpdir_new ("vm-api");
  fx.records = g_build_filename (fx.tmp, "vms", NULL);
  fx.kernel = g_build_filename (fx.tmp, "vmlinuz", NULL);
  g_assert_true (g_file_set_contents (fx.kernel, "kernel", -1, NULL));
  g_setenv ("HERO_VIRT_VM_DIR", fx.records, TRUE);
  if (sim != NULL && *sim != '\0')
    g_setenv ("HERO_VIRT_CLOUD_HYPERVISOR", sim, TRUE);

  g_test_add_func ("/vm-api/bad-ids", test_bad_ids);
  g_test_add_func ("/vm-api/hostile/qemu", test_hostile_qemu);
  g_test_add_func ("/vm-api/hostile/cloudhv", test_hostile_cloudhv);
  g_test_add_func ("/vm-api/cloudhv/lifecycle", test_lifecycle);
  ret = g_test_run ();

  ht_tmpdir_free (fx.tmp);
  g_free (fx.records);
  g_free (fx.kernel);
  g_free (fx.self_exe);
  return ret;
}
