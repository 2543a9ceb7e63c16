/* cloudhv-test.c: the cloudhv plugin through the public provider API,
 * against hero-virt-ch-sim standing in for cloud-hypervisor
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#include "testlib.h"

typedef struct
{
  char                       *dir;     /* private: records, kernel, disks */
  char                       *records; /* HERO_VIRT_VM_DIR */
  char                       *kernel;
  char                       *initramfs;
  char                       *disk;
  const char                 *api_version; /* the simulator's, or NULL */
  HeroVirtHypervisorProvider *provider;
} Fixture;

static void
write_file (const char *path, gsize size)
{
  g_autofree char *zeros = g_malloc0 (size);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, zeros, (gssize)size, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GObject *provider;

  f->dir = ht_tmpdir_new ("cloudhv-test");
  f->records = g_build_filename (f->dir, "vms", NULL);
  f->kernel = g_build_filename (f->dir, "vmlinuz", NULL);
  f->initramfs = g_build_filename (f->dir, "initrd.img", NULL);
  f->disk = g_build_filename (f->dir, "disk.raw", NULL);
  write_file (f->kernel, 4096);
  write_file (f->initramfs, 4096);
  write_file (f->disk, 1 << 20);
  f->api_version = data;

  provider = hero_virt_registry_get_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "cloudhv", &error);
  g_assert_no_error (error);
  g_assert_true (HERO_VIRT_IS_HYPERVISOR_PROVIDER (provider));
  f->provider = HERO_VIRT_HYPERVISOR_PROVIDER (provider);
  /* a private records directory, as another process would be given */
  g_object_set (provider, "binary", NULL, "state-dir", f->records, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) vms = NULL;

  /* stop whatever a failed test left running, by the recorded pid */
  vms = hero_virt_hypervisor_provider_list (f->provider, NULL, NULL, NULL);
  for (guint i = 0; vms && i < vms->len; i++)
    hero_virt_hypervisor_provider_delete (
        f->provider, NULL, hero_virt_vm_info_get_id (vms->pdata[i]), FALSE, NULL, NULL);
  g_object_set (f->provider, "binary", NULL, "state-dir", NULL, NULL);
  g_clear_object (&f->provider);
  g_free (f->records);
  g_free (f->kernel);
  g_free (f->initramfs);
  g_free (f->disk);
  ht_tmpdir_free (f->dir);
}

static HeroVirtVmSpec *
make_spec (Fixture *f, const char *name)
{
  g_autoptr (HeroVirtVmBuilder) b = hero_virt_vm_builder_new (name);
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;

  hero_virt_vm_builder_set_kernel (b, f->kernel);
  hero_virt_vm_builder_set_initramfs (b, f->initramfs);
  hero_virt_vm_builder_set_cmdline (b, "console=ttyS0 quiet");
  hero_virt_vm_builder_set_vcpus (b, 1);
  hero_virt_vm_builder_set_memory_mb (b, 256);
  hero_virt_vm_builder_add_disk (b, f->disk, FALSE);
  /* extra arguments go to the hypervisor's command line: here, which
   * cloud-hypervisor version the simulator plays */
  if (f->api_version != NULL)
    {
      hero_virt_vm_builder_add_extra_arg (b, "--sim-api-version");
      hero_virt_vm_builder_add_extra_arg (b, f->api_version);
    }
  spec = hero_virt_vm_builder_build (b, &error);
  g_assert_no_error (error);
  return spec;
}

/* A spec from its JSON with @from replaced by @to: specs the builder
 * would refuse, as a careless caller could still hand over. */
static HeroVirtVmSpec *
hostile_spec (Fixture *f, const char *name, const char *from, const char *to)
{
  g_autoptr (HeroVirtVmSpec) good = make_spec (f, name);
  g_autofree char *json = hero_virt_vm_spec_to_json (good, FALSE);
  g_auto (GStrv) parts = g_strsplit (json, from, -1);
  g_autofree char *bad = g_strjoinv (to, parts);
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec = hero_virt_vm_spec_new_from_json (bad, &error);

  g_assert_no_error (error);
  return spec;
}

static HeroVirtVmInfo *
info (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  HeroVirtVmInfo *i = hero_virt_hypervisor_provider_info (f->provider, NULL, id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (i);
  return i;
}

static HeroVirtVmState
state_of (Fixture *f, const char *id)
{
  g_autoptr (HeroVirtVmInfo) i = info (f, id);

  return hero_virt_vm_info_get_state (i);
}

static gboolean
record_exists (Fixture *f, const char *id)
{
  g_autofree char *path = g_build_filename (f->records, id, "vm.json", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
pid_alive (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *stat = NULL;
  const char      *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  after = strrchr (stat, ')');
  return after != NULL && after[2] != 'Z';
}

static gboolean
wait_dead (gint64 pid, guint ms)
{
  for (guint i = 0; i < ms / 20; i++)
    {
      if (!pid_alive (pid))
        return TRUE;
      g_usleep (20000);
    }
  return !pid_alive (pid);
}

static void
test_available (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (hero_virt_hypervisor_provider_is_available (f->provider, NULL, NULL, &error));
  g_assert_no_error (error);
  /* the provider property wins over the environment */
  g_object_set (f->provider, "binary", "/nonexistent/cloud-hypervisor", NULL);
  g_assert_false (hero_virt_hypervisor_provider_is_available (f->provider, NULL, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
}

/* create, start, pause, resume, reboot, resize, snapshot, stop, kill -9,
 * restore, delete: what a user does, checked as a user sees it. */
static void
test_lifecycle (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "web1");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtVmInfo) running = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *id = NULL;
  g_autofree char *console = NULL;
  g_autofree char *snapshot = g_build_filename (f->dir, "snap", NULL);
  JsonObject      *details;
  gint64           pid;

  id = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "web1");
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_CREATED);
  hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  running = info (f, id);
  g_assert_cmpint (hero_virt_vm_info_get_state (running), ==, HERO_VIRT_VM_STATE_RUNNING);
  pid = hero_virt_vm_info_get_pid (running);
  g_assert_cmpint (pid, >, 0);
  g_assert_true (pid_alive (pid));
  g_assert_nonnull (hero_virt_vm_info_get_api_socket (running));
  /* the details are cloud-hypervisor's vm.info, with the counters */
  details = json_node_get_object (hero_virt_vm_info_get_details (running));
  g_assert_cmpstr (json_object_get_string_member (details, "state"), ==, "Running");
  g_assert_true (
      json_object_has_member (json_object_get_object_member (details, "counters"), "_disk0"));
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (
                                      json_object_get_object_member (details, "config"), "memory"),
                                  "size"),
      ==, 256 << 20);
  /* the default serial console is a log in the VM's directory */
  g_assert_true (ht_wait_for_file (hero_virt_vm_info_get_console_path (running), 2000));
  g_file_get_contents (hero_virt_vm_info_get_console_path (running), &console, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (console, "Command line: console=ttyS0 quiet"));

  /* starting twice starts once */
  g_assert_false (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  list = hero_virt_hypervisor_provider_list (f->provider, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (hero_virt_vm_info_get_state (list->pdata[0]), ==, HERO_VIRT_VM_STATE_RUNNING);

  g_assert_true (hero_virt_hypervisor_provider_pause (f->provider, NULL, id, NULL, &error));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_PAUSED);
  g_assert_true (hero_virt_hypervisor_provider_pause (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_hypervisor_provider_resume (f->provider, NULL, id, NULL, &error));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_RUNNING);
  g_assert_true (hero_virt_hypervisor_provider_resume (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_hypervisor_provider_reboot (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_RUNNING);

  if (g_get_num_processors () > 1)
    {
      g_autoptr (HeroVirtVmInfo) resized = NULL;
      JsonObject *cpus;

      g_assert_true (
          hero_virt_hypervisor_provider_resize (f->provider, NULL, id, 2, 0, NULL, &error));
      g_assert_no_error (error);
      resized = info (f, id);
      cpus = json_object_get_object_member (
          json_object_get_object_member (
              json_node_get_object (hero_virt_vm_info_get_details (resized)), "config"),
          "cpus");
      g_assert_cmpint (json_object_get_int_member (cpus, "boot_vcpus"), ==, 2);
    }

  /* a running VM cannot be snapshotted; a paused one can */
  g_assert_false (
      hero_virt_hypervisor_provider_snapshot (f->provider, NULL, id, snapshot, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (hero_virt_hypervisor_provider_pause (f->provider, NULL, id, NULL, &error));
  g_assert_true (
      hero_virt_hypervisor_provider_snapshot (f->provider, NULL, id, snapshot, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *config = g_build_filename (snapshot, "config.json", NULL);
    g_assert_true (g_file_test (config, G_FILE_TEST_EXISTS));
  }

  /* stop a paused VM: resumed, the guest answers the power button */
  g_assert_true (
      hero_virt_hypervisor_provider_stop (f->provider, NULL, id, FALSE, 10, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_dead (pid, 1000));
  {
    g_autoptr (HeroVirtVmInfo) stopped = info (f, id);
    g_assert_cmpint (hero_virt_vm_info_get_state (stopped), ==, HERO_VIRT_VM_STATE_STOPPED);
    g_assert_cmpint (hero_virt_vm_info_get_pid (stopped), ==, 0);
    g_assert_false (g_file_test (hero_virt_vm_info_get_api_socket (running), G_FILE_TEST_EXISTS));
  }
  g_assert_true (
      hero_virt_hypervisor_provider_stop (f->provider, NULL, id, FALSE, 10, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_hypervisor_provider_pause (f->provider, NULL, id, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "stopped"));
  g_clear_error (&error);

  /* kill -9 of the hypervisor: reported stopped, never running */
  g_assert_true (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (HeroVirtVmInfo) again = info (f, id);
    pid = hero_virt_vm_info_get_pid (again);
  }
  g_assert_cmpint (kill ((pid_t)pid, SIGKILL), ==, 0);
  g_assert_true (wait_dead (pid, 2000));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_STOPPED);

  /* restore: paused, then resumed */
  g_assert_true (
      hero_virt_hypervisor_provider_restore (f->provider, NULL, id, snapshot, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_PAUSED);
  g_assert_true (hero_virt_hypervisor_provider_resume (f->provider, NULL, id, NULL, &error));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_RUNNING);

  /* delete stops it and removes the record and, asked to, the disks */
  {
    g_autoptr (HeroVirtVmInfo) last = info (f, id);
    pid = hero_virt_vm_info_get_pid (last);
  }
  g_assert_true (hero_virt_hypervisor_provider_delete (f->provider, NULL, id, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_dead (pid, 1000));
  g_assert_false (record_exists (f, id));
  g_assert_false (g_file_test (f->disk, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (f->kernel, G_FILE_TEST_EXISTS));
  g_assert_null (hero_virt_hypervisor_provider_info (f->provider, NULL, id, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

/* A forced stop of a guest that ignores the power button (a paused VM
 * under v48 semantics would resume; here force with no wait). */
static void
test_force_stop (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "force1");
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
  gint64 pid;

  g_assert_no_error (error);
  g_assert_true (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  {
    g_autoptr (HeroVirtVmInfo) i = info (f, id);
    pid = hero_virt_vm_info_get_pid (i);
  }
  g_assert_true (hero_virt_hypervisor_provider_stop (f->provider, NULL, id, TRUE, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_dead (pid, 2000));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_STOPPED);
  g_assert_true (hero_virt_hypervisor_provider_delete (f->provider, NULL, id, FALSE, NULL, &error));
  g_assert_true (g_file_test (f->disk, G_FILE_TEST_EXISTS));
}

/* Specs that must never start anything nor leave a record. */
static void
test_hostile (Fixture *f, gconstpointer data)
{
  g_autofree char *comma = g_strconcat (f->dir, "/a.qcow2,readonly=off", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-kernel", NULL);
  struct
  {
    const char *name;
    const char *from;
    const char *to;
    int         code;
  } cases[] = {
    { "comma1", f->disk, comma, HERO_VIRT_ERROR_INVALID_ARGUMENT },
    { "comma2", f->kernel, comma, HERO_VIRT_ERROR_INVALID_ARGUMENT },
    { "missing1", f->kernel, missing, HERO_VIRT_ERROR_NOT_FOUND },
  };

  /* the file really exists: only the comma is wrong */
  write_file (comma, 512);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (HeroVirtVmSpec) spec = hostile_spec (f, cases[i].name, cases[i].from, cases[i].to);
      g_autoptr (GError) error = NULL;
      g_autofree char *id
          = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);

      g_assert_null (id);
      g_assert_error (error, HERO_VIRT_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_assert_false (record_exists (f, cases[i].name));
    }
  /* no kernel at all */
  {
    g_autoptr (HeroVirtVmBuilder) b = hero_virt_vm_builder_new ("nokernel");
    g_autoptr (HeroVirtVmSpec) spec = NULL;
    g_autoptr (GError) error = NULL;

    hero_virt_vm_builder_add_disk (b, f->disk, FALSE);
    spec = hero_virt_vm_builder_build (b, &error);
    if (spec != NULL)
      {
        g_assert_null (
            hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error));
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      }
    g_assert_false (record_exists (f, "nokernel"));
  }
  /* user-mode networking: cloud-hypervisor has none */
  {
    g_autoptr (HeroVirtVmBuilder) b = hero_virt_vm_builder_new ("usernet");
    g_autoptr (HeroVirtVmSpec) spec = NULL;
    g_autoptr (GError) error = NULL;

    hero_virt_vm_builder_set_kernel (b, f->kernel);
    hero_virt_vm_builder_add_user_net (b);
    spec = hero_virt_vm_builder_build (b, &error);
    g_assert_no_error (error);
    g_assert_null (hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
    g_assert_false (record_exists (f, "usernet"));
  }
  /* ids that are not ids, and unknown ones */
  {
    const char *bad[] = { "../etc", "a/b", "", "-x", ".." };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) error = NULL;
        g_assert_null (
            hero_virt_hypervisor_provider_info (f->provider, NULL, bad[i], NULL, &error));
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      }
    g_autoptr (GError) error = NULL;
    g_assert_false (hero_virt_hypervisor_provider_start (f->provider, NULL, "ghost", NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  }
  /* a records directory with a comma would reach the command line
   * (--api-socket path=…): refused */
  {
    g_autofree char *odd = g_build_filename (f->dir, "vms,readonly=on", NULL);
    g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "oddroot");
    g_autoptr (GError) error = NULL;

    g_object_set (f->provider, "state-dir", odd, NULL);
    g_assert_null (hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "comma"));
    g_assert_false (g_file_test (odd, G_FILE_TEST_EXISTS));
    g_object_set (f->provider, "state-dir", f->records, NULL);
  }
  /* a disk removed after create: start refuses before launching */
  {
    g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "gone");
    g_autoptr (GError) error = NULL;
    g_autofree char *id
        = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
    g_autofree char *moved = g_strconcat (f->disk, ".away", NULL);

    g_assert_no_error (error);
    g_assert_cmpint (g_rename (f->disk, moved), ==, 0);
    g_assert_false (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
    g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_CREATED);
    g_assert_cmpint (g_rename (moved, f->disk), ==, 0);
  }
}

/* cloud-hypervisor's error array becomes the GError message. */
static void
test_error_array (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "errors1");
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (
      hero_virt_hypervisor_provider_resize (f->provider, NULL, id, 4096, 0, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message,
                            "Error from API: The VM could not be resized: "
                            "Error from CPU manager: Requested vCPUs exceed maximum"));
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
  g_assert_true (hero_virt_hypervisor_provider_delete (f->provider, NULL, id, FALSE, NULL, NULL));
}

/* The hypervisor missing: a clear error, nothing recorded as running. */
static void
test_binary_missing (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "nobin");
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);

  g_assert_no_error (error);
  g_object_set (f->provider, "binary", "/nonexistent/cloud-hypervisor", NULL);
  g_assert_false (hero_virt_hypervisor_provider_start (f->provider, NULL, id, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_CREATED);
  g_object_set (f->provider, "binary", NULL, NULL);
}

/* A second provider instance (another process would read the same
 * records) sees the VM; the async API works through the same code. */
static void
async_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;
  *out = g_object_ref (result);
}

static void
test_async_and_records (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "async1");
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
  g_autofree char *json = NULL;
  g_autofree char *record = g_build_filename (f->records, "async1", "vm.json", NULL);

  g_assert_no_error (error);
  hero_virt_hypervisor_provider_start_async (f->provider, NULL, id, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hero_virt_hypervisor_provider_start_finish (f->provider, result, &error));
  g_assert_no_error (error);
  /* the record names the process and its start time */
  g_file_get_contents (record, &json, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"start_time\""));
  g_assert_nonnull (strstr (json, "\"provider\" : \"cloudhv\""));
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_RUNNING);
  g_assert_true (hero_virt_hypervisor_provider_delete (f->provider, NULL, id, FALSE, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  Fixture *f;
  gboolean ok;
  GError  *error;
} StartRace;

static gpointer
start_thread (gpointer data)
{
  StartRace *r = data;

  r->ok = hero_virt_hypervisor_provider_start (r->f->provider, NULL, "race1", NULL, &r->error);
  return NULL;
}

/* Two starts at once start the VM once: the other sees it running. */
static void
test_start_race (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "race1");
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);
  StartRace r[2] = { { f, FALSE, NULL }, { f, FALSE, NULL } };
  GThread  *threads[2];

  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("start", start_thread, &r[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  g_assert_true (r[0].ok != r[1].ok);
  for (guint i = 0; i < 2; i++)
    if (!r[i].ok)
      {
        g_assert_error (r[i].error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
        g_clear_error (&r[i].error);
      }
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_RUNNING);
}

/* A cancelled start starts nothing. */
static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr (HeroVirtVmSpec) spec = make_spec (f, "cancel1");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (f->provider, NULL, spec, NULL, &error);

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (hero_virt_hypervisor_provider_start (f->provider, NULL, id, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (state_of (f, id), ==, HERO_VIRT_VM_STATE_CREATED);
  g_clear_error (&error);
  {
    g_autoptr (HeroVirtVmSpec) other = make_spec (f, "cancel2");
    g_assert_null (
        hero_virt_hypervisor_provider_create (f->provider, NULL, other, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (record_exists (f, "cancel2"));
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *sim = NULL;

  g_test_init (&argc, &argv, NULL);
  sim = g_strdup (g_getenv ("HERO_VIRT_CH_SIM"));
  if (sim == NULL)
    sim = g_find_program_in_path ("hero-virt-ch-sim");
  if (sim == NULL)
    {
      g_printerr ("hero-virt-ch-sim not found (set HERO_VIRT_CH_SIM)\n");
      return 1;
    }
  g_setenv ("HERO_VIRT_CLOUD_HYPERVISOR", sim, TRUE);

#define ADD(path, func, version)                                                                   \
  g_test_add (path, Fixture, version, fixture_set_up, func, fixture_tear_down)
  ADD ("/cloudhv/available", test_available, NULL);
  ADD ("/cloudhv/lifecycle", test_lifecycle, "53");
  ADD ("/cloudhv/lifecycle-v48", test_lifecycle, "48");
  ADD ("/cloudhv/force-stop", test_force_stop, NULL);
  ADD ("/cloudhv/hostile", test_hostile, NULL);
  ADD ("/cloudhv/error-array", test_error_array, NULL);
  ADD ("/cloudhv/binary-missing", test_binary_missing, NULL);
  ADD ("/cloudhv/async-and-records", test_async_and_records, NULL);
  ADD ("/cloudhv/start-race", test_start_race, NULL);
  ADD ("/cloudhv/cancelled", test_cancelled, NULL);
#undef ADD
  return g_test_run ();
}
