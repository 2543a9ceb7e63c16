/* vm-record.c: crash-safe per-VM records (see vm-record.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-VmRecord"

#include "vm-record.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define RECORD_FILE "vm.json"
#define LOCK_FILE "vm.lock"
#define START_LOCK_FILE "start.lock"
#define RECORD_FORMAT 1

void
vm_record_free (VmRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->dir);
  g_free (record->provider);
  g_clear_object (&record->spec);
  g_free (record->api_socket);
  g_free (record->console_path);
  g_free (record->log_path);
  g_clear_pointer (&record->sockets, g_hash_table_unref);
  g_clear_pointer (&record->extra, json_object_unref);
  g_free (record);
}

static VmRecord *
record_new (void)
{
  VmRecord *record = g_new0 (VmRecord, 1);

  record->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->extra = json_object_new ();
  return record;
}

VmRecord *
vm_record_copy (const VmRecord *record)
{
  g_autoptr (JsonNode) node = vm_record_to_json_node (record);
  g_autofree char *json = json_to_string (node, FALSE);
  VmRecord        *copy = vm_record_new_from_json (json, record->dir, NULL);

  g_assert (copy != NULL);
  return copy;
}

char *
vm_record_resolve_root (const char *root)
{
  const char *env;

  if (root != NULL && *root != '\0')
    return g_strdup (root);
  env = g_getenv ("HERO_VIRT_VM_DIR");
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "hero-virt", "vms", NULL);
}

char *
vm_record_dir_for (const char *root, const char *id)
{
  g_autofree char *resolved = vm_record_resolve_root (root);

  return g_build_filename (resolved, id, NULL);
}

gboolean
vm_record_validate_id (const char *id, GError **error)
{
  gsize len;

  if (id == NULL || *id == '\0')
    return hero_virt_set_invalid_argument (error, "VM id", "", "it is empty");
  len = strlen (id);
  if (len > 63)
    return hero_virt_set_invalid_argument (error, "VM id", id, "it is longer than 63 characters");
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      return hero_virt_set_invalid_argument (error, "VM id", id,
                                             "a VM id is a DNS label: only A-Z a-z 0-9 and -");
  if (id[0] == '-' || id[len - 1] == '-')
    return hero_virt_set_invalid_argument (error, "VM id", id,
                                           "it must start and end with a letter or digit");
  return TRUE;
}

/* --- JSON ------------------------------------------------------------- */

static void
set_opt_string (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

JsonNode *
vm_record_to_json_node (const VmRecord *record)
{
  JsonObject    *object = json_object_new ();
  JsonObject    *sockets = json_object_new ();
  JsonNode      *node = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter iter;
  gpointer       key, value;

  json_object_set_int_member (object, "format", RECORD_FORMAT);
  json_object_set_string_member (object, "id", record->id);
  set_opt_string (object, "provider", record->provider);
  if (record->spec != NULL)
    json_object_set_member (object, "spec", hero_virt_vm_spec_to_json_node (record->spec));
  json_object_set_int_member (object, "pid", record->pid);
  json_object_set_int_member (object, "start_time", (gint64)record->start_time);
  set_opt_string (object, "api_socket", record->api_socket);
  set_opt_string (object, "console_path", record->console_path);
  set_opt_string (object, "log_path", record->log_path);
  g_hash_table_iter_init (&iter, record->sockets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (sockets, key, value);
  json_object_set_object_member (object, "sockets", sockets);
  json_object_set_member (object, "extra",
                          json_node_init_object (json_node_alloc (), record->extra));
  json_object_set_int_member (object, "created_usec", record->created_usec);
  json_object_set_int_member (object, "updated_usec", record->updated_usec);
  json_node_take_object (node, object);
  return node;
}

static gboolean
read_opt_string (JsonObject *object, const char *member, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "VM record member “%s” is not a string", member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject *object, const char *member, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "VM record member “%s” is not an integer", member);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

VmRecord *
vm_record_new_from_json (const char *json, const char *dir, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (VmRecord) record = record_new ();
  g_autoptr (GError) local_error = NULL;
  JsonObject *object;
  JsonNode   *node;
  gint64      start_time = 0;

  /* Bounded first (depth, size: json-glib overflows its stack on deep
   * input), then parsed again mutable: providers update extra in place. */
  root = hero_virt_json_parse_untrusted ((const guint8 *)json, strlen (json), 0, 0, &local_error);
  if (root != NULL)
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_from_string (json, &local_error);
    }
  if (root == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT, "VM record is not JSON: %s",
                   local_error ? local_error->message : "it is empty");
      return NULL;
    }
  node = root;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "VM record is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  if (!read_opt_string (object, "id", &record->id, error)
      || !read_opt_string (object, "provider", &record->provider, error)
      || !read_opt_string (object, "api_socket", &record->api_socket, error)
      || !read_opt_string (object, "console_path", &record->console_path, error)
      || !read_opt_string (object, "log_path", &record->log_path, error)
      || !read_int (object, "pid", &record->pid, error)
      || !read_int (object, "start_time", &start_time, error)
      || !read_int (object, "created_usec", &record->created_usec, error)
      || !read_int (object, "updated_usec", &record->updated_usec, error))
    return NULL;
  record->start_time = (guint64)start_time;
  if (record->id == NULL || !vm_record_validate_id (record->id, NULL))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT, "VM record has no valid id");
      return NULL;
    }
  node = json_object_get_member (object, "spec");
  if (node != NULL)
    {
      record->spec = hero_virt_vm_spec_new_from_json_node (node, &local_error);
      if (record->spec == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                       "VM record “%s” has a bad spec: %s", record->id, local_error->message);
          return NULL;
        }
    }
  node = json_object_get_member (object, "sockets");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char    *name;
      JsonNode      *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
          g_hash_table_insert (record->sockets, g_strdup (name),
                               g_strdup (json_node_get_string (value)));
    }
  node = json_object_get_member (object, "extra");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_unref (record->extra);
      record->extra = json_object_ref (json_node_get_object (node));
    }
  record->dir = g_strdup (dir);
  return g_steal_pointer (&record);
}

/* --- files ------------------------------------------------------------ */

static gboolean
set_io_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, HERO_VIRT_ERROR,
               saved_errno == ENOENT ? HERO_VIRT_ERROR_NOT_FOUND : HERO_VIRT_ERROR_IO,
               "Cannot %s “%s”: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
fsync_dir (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc;

  if (fd < 0)
    return set_io_error (error, errno, "open", dir);
  rc = fsync (fd);
  close (fd);
  if (rc < 0)
    return set_io_error (error, errno, "sync", dir);
  return TRUE;
}

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize)n;
    }
  return TRUE;
}

/* Temp file in the same directory, fsync, rename over vm.json, fsync the
 * directory: a crash at any point leaves the old file or the new one. */
static gboolean
write_record_file (VmRecord *record, const char *dir, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *tmp = g_build_filename (dir, "." RECORD_FILE ".XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, RECORD_FILE, NULL);
  int              fd;
  int              saved_errno;

  record->updated_usec = g_get_real_time ();
  node = vm_record_to_json_node (record);
  json = json_to_string (node, TRUE);

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_io_error (error, errno, "create", tmp);
  if (!write_all (fd, json, strlen (json)) || !write_all (fd, "\n", 1) || fsync (fd) < 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp);
      return set_io_error (error, saved_errno, "write", tmp);
    }
  close (fd);
  if (g_rename (tmp, path) < 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      return set_io_error (error, saved_errno, "rename", tmp);
    }
  return fsync_dir (dir, error);
}

/* Removes a tree without following symlinks. */
static void
rm_rf (const char *path)
{
  struct stat st;

  if (lstat (path, &st) < 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Stale temp files of writers killed mid-write; call under the lock. */
static void
remove_stale_temps (const char *dir)
{
  g_autoptr (GDir) gdir = g_dir_open (dir, 0, NULL);
  const char *name;

  while (gdir != NULL && (name = g_dir_read_name (gdir)) != NULL)
    if (g_str_has_prefix (name, "." RECORD_FILE "."))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
}

/* flock() on <dir>/<name>, then a check that the file we locked is still
 * the one at that path: a delete renames the directory away under the
 * lock, and whoever waited must then see the VM gone. */
static int
lock_file (const char *dir, const char *name, const char *id, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct stat      locked, current;
  int              fd;

  fd = open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      if (errno == ENOENT)
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM “%s”", id);
      else
        set_io_error (error, errno, "open", path);
      return -1;
    }
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      {
        set_io_error (error, errno, "lock", path);
        close (fd);
        return -1;
      }
  if (fstat (fd, &locked) < 0 || stat (path, &current) < 0 || locked.st_ino != current.st_ino
      || locked.st_dev != current.st_dev)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM “%s”", id);
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
touch (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int              fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    return set_io_error (error, errno, "create", path);
  close (fd);
  return TRUE;
}

static gboolean
rename_noreplace (const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS)
    return FALSE;
#endif
  /* rename() replaces only an empty directory; a record never is. */
  return g_rename (from, to) == 0;
}

VmRecord *
vm_record_create (const char *root, HeroVirtVmSpec *spec, const char *provider, GError **error)
{
  g_autofree char *resolved = vm_record_resolve_root (root);
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr (VmRecord) record = NULL;
  const char *id;

  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (spec), NULL);

  id = hero_virt_vm_spec_get_name (spec);
  if (!vm_record_validate_id (id, error))
    return NULL;
  if (g_mkdir_with_parents (resolved, 0700) < 0)
    {
      set_io_error (error, errno, "create", resolved);
      return NULL;
    }
  dir = g_build_filename (resolved, id, NULL);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "A VM “%s” exists already", id);
      return NULL;
    }

  record = record_new ();
  record->id = g_strdup (id);
  record->dir = g_strdup (dir);
  record->provider = g_strdup (provider);
  record->spec = g_object_ref (spec);
  record->created_usec = g_get_real_time ();

  tmp = g_strdup_printf ("%s/.creating-%s-XXXXXX", resolved, id);
  if (g_mkdtemp_full (tmp, 0700) == NULL)
    {
      set_io_error (error, errno, "create", tmp);
      return NULL;
    }
  if (!touch (tmp, LOCK_FILE, error) || !touch (tmp, START_LOCK_FILE, error)
      || !write_record_file (record, tmp, error))
    {
      rm_rf (tmp);
      return NULL;
    }
  if (!rename_noreplace (tmp, dir))
    {
      int saved_errno = errno;

      rm_rf (tmp);
      if (saved_errno == EEXIST || saved_errno == ENOTEMPTY)
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "A VM “%s” exists already",
                     id);
      else
        set_io_error (error, saved_errno, "create", dir);
      return NULL;
    }
  if (!fsync_dir (resolved, error))
    return NULL;
  return g_steal_pointer (&record);
}

static VmRecord *
load_file (const char *dir, const char *id, GError **error)
{
  g_autofree char *path = g_build_filename (dir, RECORD_FILE, NULL);
  g_autofree char *json = NULL;
  g_autoptr (GError) local_error = NULL;
  VmRecord *record;

  if (!g_file_get_contents (path, &json, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM “%s”", id);
      else
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot read VM record %s: %s",
                     path, local_error->message);
      return NULL;
    }
  record = vm_record_new_from_json (json, dir, error);
  if (record != NULL && strcmp (record->id, id) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT,
                   "VM record %s names another VM (“%s”)", path, record->id);
      g_clear_pointer (&record, vm_record_free);
    }
  return record;
}

VmRecord *
vm_record_load (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = NULL;

  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (root, id);
  /* No lock: rename() makes every read see a whole file. */
  return load_file (dir, id, error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* What a process killed in the middle of create or delete left: a create
 * takes milliseconds, so ten minutes old is abandoned. */
static void
remove_if_stale (const char *root, const char *name)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  struct stat      st;

  if (lstat (path, &st) == 0 && S_ISDIR (st.st_mode)
      && (gint64)st.st_mtime < g_get_real_time () / G_USEC_PER_SEC - 600)
    rm_rf (path);
}

GPtrArray *
vm_record_list_ids (const char *root, GError **error)
{
  g_autofree char *resolved = vm_record_resolve_root (root);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) dir = g_dir_open (resolved, 0, &local_error);
  const char *name;

  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&ids);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot list VM records: %s",
                   local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (g_str_has_prefix (name, ".creating-") || g_str_has_prefix (name, ".deleting-"))
        {
          remove_if_stale (resolved, name);
          continue;
        }
      if (!vm_record_validate_id (name, NULL))
        continue;
      path = g_build_filename (resolved, name, RECORD_FILE, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (ids, g_strdup (name));
    }
  g_ptr_array_sort (ids, compare_strings);
  return g_steal_pointer (&ids);
}

VmRecord *
vm_record_update (const char        *root,
                  const char        *id,
                  VmRecordUpdateFunc func,
                  gpointer           user_data,
                  GError           **error)
{
  g_autofree char *dir = NULL;
  g_autoptr (VmRecord) record = NULL;
  int fd;

  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (root, id);
  fd = lock_file (dir, LOCK_FILE, id, error);
  if (fd < 0)
    return NULL;
  remove_stale_temps (dir);
  record = load_file (dir, id, error);
  if (record == NULL || !func (record, user_data, error) || !write_record_file (record, dir, error))
    g_clear_pointer (&record, vm_record_free);
  close (fd);
  return g_steal_pointer (&record);
}

gboolean
vm_record_delete (const char *root, const char *id, GError **error)
{
  g_autofree char *resolved = vm_record_resolve_root (root);
  g_autofree char *dir = NULL;
  g_autofree char *grave = NULL;
  int              fd;

  if (!vm_record_validate_id (id, error))
    return FALSE;
  dir = g_build_filename (resolved, id, NULL);
  fd = lock_file (dir, LOCK_FILE, id, error);
  if (fd < 0)
    return FALSE;
  /* Move it out of sight at once (under the lock), then remove at leisure:
   * nobody can load a half-deleted record. */
  grave = g_strdup_printf ("%s/.deleting-%s-%08x", resolved, id, g_random_int ());
  if (g_rename (dir, grave) < 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_io_error (error, saved_errno, "delete", dir);
    }
  close (fd);
  rm_rf (grave);
  fsync_dir (resolved, NULL);
  return TRUE;
}

guint64
vm_record_process_start_time (gint64 pid)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) fields = NULL;
  const char *rest;

  if (pid <= 0)
    return 0;
  path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  /* comm (field 2) may contain spaces and parentheses: skip to the last ')'. */
  rest = strrchr (contents, ')');
  if (rest == NULL)
    return 0;
  fields = g_strsplit (rest + 1, " ", -1);
  /* fields[0] is empty (the space after ')'), fields[1] is field 3. */
  if (g_strv_length (fields) < 21)
    return 0;
  if (strcmp (fields[1], "Z") == 0 || strcmp (fields[1], "X") == 0)
    return 0;
  return g_ascii_strtoull (fields[20], NULL, 10);
}

gboolean
vm_record_is_running (const VmRecord *record)
{
  if (record->pid <= 0 || record->start_time == 0)
    return FALSE;
  return vm_record_process_start_time (record->pid) == record->start_time;
}

void
vm_record_signal (const VmRecord *record, int sig)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  int fd = record->pid > 0 ? (int)syscall (SYS_pidfd_open, (pid_t)record->pid, 0) : -1;

  if (fd >= 0)
    {
      /* The pidfd pins the process: checked now, it stays the one. */
      if (vm_record_is_running (record))
        syscall (SYS_pidfd_send_signal, fd, sig, NULL, 0);
      close (fd);
      return;
    }
#endif
  if (vm_record_is_running (record))
    kill ((pid_t)record->pid, sig);
}

gboolean
vm_record_wait_exit (const VmRecord *record, guint timeout_ms, GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (vm_record_is_running (record))
    {
      if (g_get_monotonic_time () >= deadline || g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (10000);
    }
  return TRUE;
}

void
vm_record_set_process (VmRecord *record, gint64 pid)
{
  record->pid = pid > 0 ? pid : 0;
  record->start_time = pid > 0 ? vm_record_process_start_time (pid) : 0;
}

struct _VmRecordStartLock
{
  int fd;
};

VmRecordStartLock *
vm_record_start_lock_acquire (const char *root, const char *id, GError **error)
{
  g_autofree char   *dir = NULL;
  VmRecordStartLock *lock;
  int                fd;

  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (root, id);
  fd = lock_file (dir, START_LOCK_FILE, id, error);
  if (fd < 0)
    return NULL;
  lock = g_new0 (VmRecordStartLock, 1);
  lock->fd = fd;
  return lock;
}

void
vm_record_start_lock_release (VmRecordStartLock *lock)
{
  if (lock == NULL)
    return;
  close (lock->fd);
  g_free (lock);
}
