/* cloudhv-record.c: the cloudhv plugin's VM records (see cloudhv-record.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "HeroVirt-CloudHv"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cloudhv-record.h"

struct _VmRecordStartLock
{
  int fd;
};

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

char *
vm_record_resolve_root (const char *root)
{
  const char *env = g_getenv ("HERO_VIRT_VM_DIR");

  if (root != NULL)
    return g_strdup (root);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "hero-virt", "vms", NULL);
}

gboolean
vm_record_validate_id (const char *id, GError **error)
{
  gsize len = id ? strlen (id) : 0;

  if (len >= 1 && len <= 63 && g_ascii_isalnum (id[0]) && g_ascii_isalnum (id[len - 1])
      && strspn (id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == len)
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Invalid VM id “%s”: use 1 to 63 letters, digits and “-”, starting and ending "
               "with a letter or digit",
               id ? id : "");
  return FALSE;
}

char *
vm_record_dir_for (const char *root, const char *id)
{
  g_autofree char *resolved = vm_record_resolve_root (root);

  return g_build_filename (resolved, id, NULL);
}

/* ---- JSON ---- */

static void
set_nullable_string (JsonObject *o, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, member, value);
  else
    json_object_set_null_member (o, member);
}

static char *
record_to_json (const VmRecord *record)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject    *o = json_object_new ();
  JsonObject    *sockets = json_object_new ();
  GHashTableIter iter;
  gpointer       key, value;

  json_object_set_int_member (o, "version", 1);
  json_object_set_string_member (o, "id", record->id);
  set_nullable_string (o, "provider", record->provider);
  json_object_set_member (o, "spec", hero_virt_vm_spec_to_json_node (record->spec));
  json_object_set_int_member (o, "pid", record->pid);
  json_object_set_int_member (o, "start_time", (gint64)record->start_time);
  set_nullable_string (o, "api_socket", record->api_socket);
  set_nullable_string (o, "console_path", record->console_path);
  set_nullable_string (o, "log_path", record->log_path);
  g_hash_table_iter_init (&iter, record->sockets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (sockets, key, value);
  json_object_set_object_member (o, "sockets", sockets);
  json_object_set_object_member (o, "extra", json_object_ref (record->extra));
  json_object_set_int_member (o, "created_usec", record->created_usec);
  json_object_set_int_member (o, "updated_usec", record->updated_usec);
  json_node_take_object (root, o);
  return json_to_string (root, TRUE);
}

static const char *
get_string (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

static JsonObject *
get_object (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static VmRecord *
record_from_json (const char *json, const char *dir, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (VmRecord) record = g_new0 (VmRecord, 1);
  g_autoptr (GError) local_error = NULL;
  JsonObject *o, *sockets, *extra;
  JsonNode   *spec;

  if (!json_parser_load_from_data (parser, json, -1, &local_error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto corrupt;
  o = json_node_get_object (json_parser_get_root (parser));
  spec = json_object_get_member (o, "spec");
  if (get_string (o, "id") == NULL || spec == NULL)
    goto corrupt;
  record->spec = hero_virt_vm_spec_new_from_json_node (spec, &local_error);
  if (record->spec == NULL)
    goto corrupt;
  record->id = g_strdup (get_string (o, "id"));
  record->dir = g_strdup (dir);
  record->provider = g_strdup (get_string (o, "provider"));
  record->pid = json_object_get_int_member_with_default (o, "pid", 0);
  record->start_time = (guint64)json_object_get_int_member_with_default (o, "start_time", 0);
  record->api_socket = g_strdup (get_string (o, "api_socket"));
  record->console_path = g_strdup (get_string (o, "console_path"));
  record->log_path = g_strdup (get_string (o, "log_path"));
  record->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sockets = get_object (o, "sockets");
  if (sockets != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (sockets);
      for (GList *l = members; l; l = l->next)
        if (get_string (sockets, l->data) != NULL)
          g_hash_table_replace (record->sockets, g_strdup (l->data),
                                g_strdup (get_string (sockets, l->data)));
    }
  extra = get_object (o, "extra");
  record->extra = extra ? json_object_ref (extra) : json_object_new ();
  record->created_usec = json_object_get_int_member_with_default (o, "created_usec", 0);
  record->updated_usec = json_object_get_int_member_with_default (o, "updated_usec", 0);
  return g_steal_pointer (&record);

corrupt:
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT, "Damaged VM record in %s%s%s", dir,
               local_error ? ": " : "", local_error ? local_error->message : "");
  return NULL;
}

/* ---- files ---- */

static gboolean
io_error (GError **error, int errsv, const char *what, const char *path)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot %s %s: %s", what, path,
               g_strerror (errsv));
  return FALSE;
}

static gboolean
fsync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  fsync (fd);
  close (fd);
  return TRUE;
}

/* Temporary file, fsync, rename over vm.json, fsync of the directory:
 * readers see the old or the new record. */
static gboolean
write_record (VmRecord *record, GError **error)
{
  g_autofree char *json = NULL;
  g_autofree char *tmp = g_build_filename (record->dir, ".vm.json.XXXXXX", NULL);
  g_autofree char *path = g_build_filename (record->dir, "vm.json", NULL);
  gsize            len, done = 0;
  int              fd;

  record->updated_usec = g_get_real_time ();
  json = record_to_json (record);
  len = strlen (json);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return io_error (error, errno, "create", tmp);
  while (done < len)
    {
      ssize_t n = write (fd, json + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          close (fd);
          g_unlink (tmp);
          return io_error (error, errsv, "write", tmp);
        }
      done += (gsize)n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int errsv = errno;
      g_unlink (tmp);
      return io_error (error, errsv, "write", tmp);
    }
  if (rename (tmp, path) != 0)
    {
      int errsv = errno;
      g_unlink (tmp);
      return io_error (error, errsv, "replace", path);
    }
  fsync_dir (record->dir);
  return TRUE;
}

static int
lock_dir (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int              fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      if (errno == ENOENT)
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM record in %s", dir);
      else
        io_error (error, errno, "open", path);
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        io_error (error, errno, "lock", path);
        close (fd);
        return -1;
      }
  return fd;
}

static void
unlock_fd (int fd)
{
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      close (fd);
    }
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return g_unlink (path) == 0 || errno == ENOENT;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  return g_rmdir (path) == 0;
}

/* ---- records ---- */

VmRecord *
vm_record_create (const char *root, HeroVirtVmSpec *spec, const char *provider, GError **error)
{
  g_autofree char *resolved = vm_record_resolve_root (root);
  const char      *id = hero_virt_vm_spec_get_name (spec);
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr (VmRecord) record = NULL;

  if (!vm_record_validate_id (id, error))
    return NULL;
  if (g_mkdir_with_parents (resolved, 0700) != 0)
    {
      io_error (error, errno, "create", resolved);
      return NULL;
    }
  final = g_build_filename (resolved, id, NULL);
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "A VM named “%s” exists", id);
      return NULL;
    }
  tmp = g_build_filename (resolved, ".new-XXXXXX", NULL);
  if (g_mkdtemp_full (tmp, 0700) == NULL)
    {
      io_error (error, errno, "create", tmp);
      return NULL;
    }
  record = g_new0 (VmRecord, 1);
  record->id = g_strdup (id);
  record->dir = g_strdup (tmp);
  record->provider = g_strdup (provider);
  record->spec = g_object_ref (spec);
  record->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->extra = json_object_new ();
  record->created_usec = g_get_real_time ();
  if (!write_record (record, error))
    {
      remove_tree (tmp);
      return NULL;
    }
  /* The whole directory appears at once, never over another VM's. */
  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) != 0)
    {
      int errsv = errno;
      remove_tree (tmp);
      if (errsv == EEXIST || errsv == ENOTEMPTY)
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "A VM named “%s” exists", id);
      else
        io_error (error, errsv, "create", final);
      return NULL;
    }
  fsync_dir (resolved);
  g_free (record->dir);
  record->dir = g_steal_pointer (&final);
  return g_steal_pointer (&record);
}

VmRecord *
vm_record_load (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GError) local_error = NULL;

  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (root, id);
  path = g_build_filename (dir, "vm.json", NULL);
  if (!g_file_get_contents (path, &json, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM named “%s”", id);
      else
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  return record_from_json (json, dir, error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
vm_record_list_ids (const char *root, GError **error)
{
  g_autofree char *resolved = vm_record_resolve_root (root);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (resolved, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&ids);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (vm_record_validate_id (name, NULL))
      g_ptr_array_add (ids, g_strdup (name));
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
  fd = lock_dir (dir, "vm.lock", error);
  if (fd < 0)
    return NULL;
  record = vm_record_load (root, id, error);
  if (record == NULL || !func (record, user_data, error) || !write_record (record, error))
    {
      unlock_fd (fd);
      return NULL;
    }
  unlock_fd (fd);
  return g_steal_pointer (&record);
}

gboolean
vm_record_delete (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *resolved = vm_record_resolve_root (root);
  g_autofree char *doomed = NULL;
  int              fd;

  if (!vm_record_validate_id (id, error))
    return FALSE;
  dir = vm_record_dir_for (root, id);
  fd = lock_dir (dir, "vm.lock", error);
  if (fd < 0)
    return FALSE;
  /* Move it out of the way first, so no reader sees half a directory. */
  doomed = g_build_filename (resolved, ".deleted-XXXXXX", NULL);
  if (g_mkdtemp_full (doomed, 0700) == NULL || rmdir (doomed) != 0 || rename (dir, doomed) != 0)
    {
      int errsv = errno;
      unlock_fd (fd);
      return io_error (error, errsv, "remove", dir);
    }
  unlock_fd (fd);
  remove_tree (doomed);
  return TRUE;
}

guint64
vm_record_process_start_time (gint64 pid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (pid <= 0)
    return 0;
  path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;
  /* "pid (comm) state …": comm may hold spaces and parentheses */
  after = strrchr (stat, ')');
  if (after == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  /* fields[0] is field 3 (state), fields[19] field 22 (starttime) */
  if (g_strv_length (fields) < 20 || fields[0][0] == 'Z' || fields[0][0] == 'X')
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

gboolean
vm_record_is_running (const VmRecord *record)
{
  return record->pid > 0 && record->start_time != 0
         && vm_record_process_start_time (record->pid) == record->start_time;
}

void
vm_record_set_process (VmRecord *record, gint64 pid)
{
  record->pid = pid > 0 ? pid : 0;
  record->start_time = pid > 0 ? vm_record_process_start_time (pid) : 0;
}

VmRecordStartLock *
vm_record_start_lock_acquire (const char *root, const char *id, GError **error)
{
  g_autofree char   *dir = NULL;
  VmRecordStartLock *lock;
  int                fd;

  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (root, id);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "No VM named “%s”", id);
      return NULL;
    }
  fd = lock_dir (dir, "start.lock", error);
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
  unlock_fd (lock->fd);
  g_free (lock);
}
