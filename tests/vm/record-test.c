/* record-test.c: the crash-safe per-VM records shared by the qemu and
 * cloudhv plugins (libs/vm-record)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <utime.h>
#include <unistd.h>

#include "testlib.h"
#include "vm-record.h"

static HeroVirtVmSpec *
make_spec (const char *name, guint extra_args)
{
  g_autoptr (HeroVirtVmBuilder) builder = hero_virt_vm_builder_new (name);
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;

  hero_virt_vm_builder_set_kernel (builder, "/boot/vmlinuz-test");
  hero_virt_vm_builder_set_memory_mb (builder, 128);
  for (guint i = 0; i < extra_args; i++)
    {
      g_autofree char *arg = g_strdup_printf ("-arg-%u-padding-padding-padding-padding", i);
      hero_virt_vm_builder_add_extra_arg (builder, arg);
    }
  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_ids (void)
{
  const char *good[]
      = { "a", "web-1", "A9", "x23456789012345678901234567890123456789012345678901234567890123" };
  const char *bad[] = {
    "",     "-a",  "a-",  "..",  "a/b",
    "a..b", "a.b", "a_b", "a b", "x234567890123456789012345678901234567890123456789012345678901234"
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (vm_record_validate_id (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (vm_record_validate_id (bad[i], &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    }
  g_assert_null (vm_record_load ("/nonexistent", "../etc", NULL));
}

static void
test_roots (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  a = vm_record_resolve_root ("/x/y");
  g_assert_cmpstr (a, ==, "/x/y");
  g_setenv ("HERO_VIRT_VM_DIR", "/from/env", TRUE);
  b = vm_record_resolve_root (NULL);
  g_assert_cmpstr (b, ==, "/from/env");
  g_unsetenv ("HERO_VIRT_VM_DIR");
  c = vm_record_resolve_root (NULL);
  g_assert_true (g_str_has_suffix (c, "/hero-virt/vms"));
}

static gboolean
set_pid_func (VmRecord *record, gpointer user_data, GError **error)
{
  vm_record_set_process (record, GPOINTER_TO_INT (user_data));
  g_free (record->api_socket);
  record->api_socket = g_build_filename (record->dir, "qmp.sock", NULL);
  g_hash_table_insert (record->sockets, g_strdup ("serial"), g_strdup ("/tmp/serial.sock"));
  json_object_set_string_member (record->extra, "note", "hello");
  return TRUE;
}

static gboolean
refuse_func (VmRecord *record, gpointer user_data, GError **error)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "refused");
  return FALSE;
}

static void
test_lifecycle (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("web", 0);
  g_autoptr (VmRecord) created = NULL;
  g_autoptr (VmRecord) loaded = NULL;
  g_autoptr (VmRecord) updated = NULL;
  g_autoptr (VmRecord) copy = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *spec_json = NULL;
  g_autofree char *loaded_json = NULL;

  ids = vm_record_list_ids (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  created = vm_record_create (root, spec, "qemu", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->id, ==, "web");
  g_assert_true (g_str_has_prefix (created->dir, root));
  g_assert_false (vm_record_is_running (created));

  g_assert_null (vm_record_create (root, spec, "qemu", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);

  loaded = vm_record_load (root, "web", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->provider, ==, "qemu");
  spec_json = hero_virt_vm_spec_to_json (spec, FALSE);
  loaded_json = hero_virt_vm_spec_to_json (loaded->spec, FALSE);
  g_assert_cmpstr (spec_json, ==, loaded_json);

  updated = vm_record_update (root, "web", set_pid_func, GINT_TO_POINTER (getpid ()), &error);
  g_assert_no_error (error);
  g_assert_cmpint (updated->pid, ==, getpid ());
  g_assert_true (vm_record_is_running (updated));
  g_clear_pointer (&loaded, vm_record_free);
  loaded = vm_record_load (root, "web", &error);
  g_assert_no_error (error);
  g_assert_true (vm_record_is_running (loaded));
  g_assert_cmpstr (g_hash_table_lookup (loaded->sockets, "serial"), ==, "/tmp/serial.sock");
  g_assert_cmpstr (json_object_get_string_member (loaded->extra, "note"), ==, "hello");
  copy = vm_record_copy (loaded);
  g_assert_cmpuint (copy->start_time, ==, loaded->start_time);

  g_assert_null (vm_record_update (root, "web", refuse_func, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED);
  g_clear_error (&error);

  ids = vm_record_list_ids (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "web");
  g_clear_pointer (&ids, g_ptr_array_unref);

  g_assert_true (vm_record_delete (root, "web", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (created->dir, G_FILE_TEST_EXISTS));
  g_assert_false (vm_record_delete (root, "web", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vm_record_load (root, "web", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (vm_record_update (root, "web", set_pid_func, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  ids = vm_record_list_ids (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Leftovers of a create killed midway: kept while fresh, removed when
   * old. */
  {
    g_autofree char *fresh = g_build_filename (root, ".creating-web-AAAAAA", NULL);
    g_autofree char *old = g_build_filename (root, ".deleting-web-0000beef", NULL);
    g_autofree char *inner = g_build_filename (old, "vm.json", NULL);
    struct utimbuf   times = { .actime = time (NULL) - 3600, .modtime = time (NULL) - 3600 };

    g_assert_cmpint (g_mkdir (fresh, 0700), ==, 0);
    g_assert_cmpint (g_mkdir (old, 0700), ==, 0);
    g_assert_true (g_file_set_contents (inner, "{}", -1, NULL));
    g_assert_cmpint (utime (old, &times), ==, 0);
    ids = vm_record_list_ids (root, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 0);
    g_assert_true (g_file_test (fresh, G_FILE_TEST_IS_DIR));
    g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  }
  ht_tmpdir_free (g_steal_pointer (&root));
}

static void
test_corrupt (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("bad", 0);
  g_autoptr (VmRecord) created = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  created = vm_record_create (root, spec, "qemu", &error);
  g_assert_no_error (error);
  path = g_build_filename (created->dir, "vm.json", NULL);
  g_assert_true (g_file_set_contents (path, "{\"id\": \"bad\", \"pid\": \"x\"", -1, NULL));
  g_assert_null (vm_record_load (root, "bad", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "{\"id\": \"other\"}", -1, NULL));
  g_assert_null (vm_record_load (root, "bad", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT);
  g_clear_error (&error);
  /* a damaged record is still listed and can be deleted */
  {
    g_autoptr (GPtrArray) ids = vm_record_list_ids (root, NULL);
    g_assert_cmpuint (ids->len, ==, 1);
  }
  g_assert_true (vm_record_delete (root, "bad", &error));
  ht_tmpdir_free (g_steal_pointer (&root));
}

/* A writer child rewrites a large record in a loop; it is killed with
 * SIGKILL at a random moment; the record must then load, whole. */
static gboolean
bump_func (VmRecord *record, gpointer user_data, GError **error)
{
  gint64           n = json_object_has_member (record->extra, "n")
                           ? json_object_get_int_member (record->extra, "n")
                           : 0;
  g_autofree char *filler = g_strnfill (64 * 1024, 'a' + (n % 26));

  json_object_set_int_member (record->extra, "n", n + 1);
  json_object_set_string_member (record->extra, "filler", filler);
  return TRUE;
}

static void
test_kill_mid_write (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("atomic", 200);
  g_autoptr (VmRecord) created = vm_record_create (root, spec, "qemu", NULL);
  gint64 last_n = 0;

  g_assert_nonnull (created);
  for (guint round = 0; round < 30; round++)
    {
      g_autoptr (VmRecord) loaded = NULL;
      g_autoptr (GError) error = NULL;
      const char *filler;
      int         status;
      int         done[2];
      char        byte;
      pid_t       child;

      /* The child says when each write is complete; the kill comes at a
       * random moment after the first, so however slow the machine (fsync
       * under a sanitizer on a loaded disk) every round has one to keep. */
      g_assert_cmpint (pipe (done), ==, 0);
      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          close (done[0]);
          for (;;)
            {
              if (vm_record_update (root, "atomic", bump_func, NULL, NULL) == NULL)
                _exit (1);
              if (write (done[1], "", 1) != 1)
                _exit (1);
            }
        }
      close (done[1]);
      g_assert_cmpint (read (done[0], &byte, 1), ==, 1);
      g_usleep (g_random_int_range (2000, 40000));
      kill (child, SIGKILL);
      close (done[0]);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);
      g_assert_true (WIFSIGNALED (status));

      loaded = vm_record_load (root, "atomic", &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded->spec);
      g_assert_cmpuint (g_strv_length ((char **)hero_virt_vm_spec_get_extra_args (loaded->spec)),
                        ==, 200);
      if (json_object_has_member (loaded->extra, "n"))
        {
          gint64 n = json_object_get_int_member (loaded->extra, "n");

          g_assert_cmpint (n, >=, last_n);
          filler = json_object_get_string_member (loaded->extra, "filler");
          g_assert_cmpuint (strlen (filler), ==, 64 * 1024);
          g_assert_cmpint (filler[0], ==, 'a' + ((n - 1) % 26));
          g_assert_cmpint (filler[64 * 1024 - 1], ==, 'a' + ((n - 1) % 26));
          last_n = n;
        }
    }
  g_test_message ("%" G_GINT64_FORMAT " complete writes survived 30 kills", last_n);
  g_assert_cmpint (last_n, >, 0);
  g_assert_true (vm_record_delete (root, "atomic", NULL));
  ht_tmpdir_free (g_steal_pointer (&root));
}

/* Another process (forked, then exec'ing nothing: fresh state is what
 * matters) sees the record this one made. */
static void
test_second_process (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("shared", 0);
  g_autoptr (VmRecord) created = vm_record_create (root, spec, "cloudhv", NULL);
  g_autoptr (VmRecord) updated = NULL;
  int   status;
  pid_t child;

  updated = vm_record_update (root, "shared", set_pid_func, GINT_TO_POINTER (getpid ()), NULL);
  g_assert_nonnull (updated);
  child = fork ();
  if (child == 0)
    {
      g_autoptr (GPtrArray) ids = vm_record_list_ids (root, NULL);
      g_autoptr (VmRecord) seen = NULL;

      if (ids == NULL || ids->len != 1 || strcmp (g_ptr_array_index (ids, 0), "shared") != 0)
        _exit (2);
      seen = vm_record_load (root, "shared", NULL);
      if (seen == NULL || strcmp (seen->provider, "cloudhv") != 0)
        _exit (3);
      /* the parent is alive and is the recorded process */
      _exit (vm_record_is_running (seen) ? 0 : 4);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (vm_record_delete (root, "shared", NULL));
  ht_tmpdir_free (g_steal_pointer (&root));
}

static void
test_dead_and_reused_pid (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("pids", 0);
  g_autoptr (VmRecord) created = vm_record_create (root, spec, "qemu", NULL);
  g_autoptr (VmRecord) record = NULL;
  const char *argv[] = { "sleep", "30", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int  status;

  g_assert_true (g_spawn_async (NULL, (char **)argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                &error));
  g_assert_no_error (error);
  record = vm_record_update (root, "pids", set_pid_func, GINT_TO_POINTER (pid), &error);
  g_assert_no_error (error);
  g_assert_true (vm_record_is_running (record));
  g_assert_cmpuint (record->start_time, >, 0);

  /* Same pid, another start time: a different process that reused it. */
  record->start_time += 1;
  g_assert_false (vm_record_is_running (record));
  record->start_time -= 1;

  /* Signals never reach a process with another start time. */
  record->start_time += 1;
  vm_record_signal (record, SIGKILL);
  g_usleep (100000);
  record->start_time -= 1;
  g_assert_true (vm_record_is_running (record));
  g_assert_false (vm_record_wait_exit (record, 50, NULL));

  /* A zombie is not running either, nor is a reaped process. */
  vm_record_signal (record, SIGKILL);
  g_assert_true (vm_record_wait_exit (record, 5000, NULL));
  g_assert_false (vm_record_is_running (record));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_false (vm_record_is_running (record));

  /* A record naming a live pid with an old start time (pid 1 here). */
  record->pid = 1;
  record->start_time = vm_record_process_start_time (1) + 12345;
  g_assert_false (vm_record_is_running (record));

  g_assert_true (vm_record_delete (root, "pids", NULL));
  ht_tmpdir_free (g_steal_pointer (&root));
}

/* Four processes "start" the same VM at once: each takes the start lock,
 * checks whether it runs, launches a sleep and records it if not. Exactly
 * one launch happens. */
static int
start_once_child (const char *root, const char *marker)
{
  g_autoptr (VmRecordStartLock) lock = vm_record_start_lock_acquire (root, "once", NULL);
  g_autoptr (VmRecord) record = NULL;
  const char *argv[] = { "sleep", "30", NULL };
  GPid        pid;
  FILE       *f;

  if (lock == NULL)
    return 10;
  record = vm_record_load (root, "once", NULL);
  if (record == NULL)
    return 11;
  if (vm_record_is_running (record))
    return 0;
  g_usleep (50000); /* widen the window a racy implementation would lose */
  if (!g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, NULL))
    return 12;
  g_clear_pointer (&record, vm_record_free);
  record = vm_record_update (root, "once", set_pid_func, GINT_TO_POINTER (pid), NULL);
  if (record == NULL)
    return 13;
  f = fopen (marker, "a");
  fprintf (f, "%d\n", pid);
  fclose (f);
  return 0;
}

static void
test_start_once (void)
{
  g_autofree char *root = ht_tmpdir_new ("record");
  g_autoptr (HeroVirtVmSpec) spec = make_spec ("once", 0);
  g_autoptr (VmRecord) created = vm_record_create (root, spec, "qemu", NULL);
  g_autoptr (VmRecord) record = NULL;
  g_autofree char *marker = g_build_filename (root, "launches", NULL);
  g_autofree char *launches = NULL;
  g_auto (GStrv) lines = NULL;
  pid_t children[4];

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      children[i] = fork ();
      if (children[i] == 0)
        _exit (start_once_child (root, marker));
    }
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int status;

      g_assert_cmpint (waitpid (children[i], &status, 0), ==, children[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_assert_true (g_file_get_contents (marker, &launches, NULL, NULL));
  lines = g_strsplit (g_strstrip (launches), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);

  record = vm_record_load (root, "once", NULL);
  g_assert_true (vm_record_is_running (record));
  g_assert_cmpint (record->pid, ==, atoi (lines[0]));
  kill ((pid_t)record->pid, SIGKILL);
  for (guint i = 0; i < 200 && vm_record_is_running (record); i++)
    g_usleep (10000);
  g_assert_false (vm_record_is_running (record));

  g_assert_true (vm_record_delete (root, "once", NULL));
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (vm_record_start_lock_acquire (root, "once", &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  }
  ht_tmpdir_free (g_steal_pointer (&root));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vm-record/ids", test_ids);
  g_test_add_func ("/vm-record/roots", test_roots);
  g_test_add_func ("/vm-record/lifecycle", test_lifecycle);
  g_test_add_func ("/vm-record/corrupt", test_corrupt);
  g_test_add_func ("/vm-record/kill-mid-write", test_kill_mid_write);
  g_test_add_func ("/vm-record/second-process", test_second_process);
  g_test_add_func ("/vm-record/dead-and-reused-pid", test_dead_and_reused_pid);
  g_test_add_func ("/vm-record/start-once", test_start_once);
  return g_test_run ();
}
