/* vm-record.h: the per-VM record directory shared by the qemu and cloudhv
 * plugins (internal, never installed).
 *
 * A VM's record lives in `<root>/<id>/`, where <root> is the caller's
 * choice, else `$HERO_VIRT_VM_DIR`, else `$XDG_DATA_HOME/hero-virt/vms`.
 * `vm.json` holds the spec, the hypervisor's pid and its start time
 * (field 22 of /proc/<pid>/stat, so a reused pid is never taken for the
 * VM), sockets, the console log and the provider's name. It is always
 * replaced whole (temp file, fsync, rename, fsync of the directory) while
 * holding flock() on `vm.lock`, so a reader sees the old or the new record,
 * never a torn one, and two writers never lose each other's update.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _VmRecord VmRecord;

struct _VmRecord
{
  char           *id;
  char           *dir;          /* absolute: <root>/<id> */
  char           *provider;     /* "qemu", "cloudhv" */
  HeroVirtVmSpec *spec;         /* immutable once created */
  gint64          pid;          /* 0: no process recorded */
  guint64         start_time;   /* /proc/<pid>/stat field 22, clock ticks after boot */
  char           *api_socket;   /* QMP or REST socket, nullable */
  char           *console_path; /* serial log or pty, nullable */
  char           *log_path;     /* the hypervisor's own log, nullable */
  GHashTable     *sockets;      /* name -> path, extra sockets */
  JsonObject     *extra;        /* provider-private state, never NULL */
  gint64          created_usec; /* wall clock, g_get_real_time() */
  gint64          updated_usec;
};

void      vm_record_free (VmRecord *record);
VmRecord *vm_record_copy (const VmRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmRecord, vm_record_free)

/* The root: @root when not NULL, else $HERO_VIRT_VM_DIR, else
 * $XDG_DATA_HOME/hero-virt/vms. */
char *vm_record_resolve_root (const char *root);
/* <root>/<id>; @id must be valid. */
char *vm_record_dir_for (const char *root, const char *id);

/* A VM id is a DNS label: 1 to 63 of A-Z a-z 0-9 -, starting and ending
 * with a letter or digit (so no `/`, no `.`, no `..`).
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT otherwise. */
gboolean vm_record_validate_id (const char *id, GError **error);

/* Creates the record of the VM named by @spec (whose name is the id):
 * the whole directory appears at once (built under a temporary name, then
 * renamed without replacing), so it fails with %HERO_VIRT_ERROR_EXISTS if
 * a VM of that id exists and never leaves a half-made record. */
VmRecord *
vm_record_create (const char *root, HeroVirtVmSpec *spec, const char *provider, GError **error);

/* Reads the record; %HERO_VIRT_ERROR_NOT_FOUND when there is none,
 * %HERO_VIRT_ERROR_CORRUPT when vm.json cannot be understood. */
VmRecord *vm_record_load (const char *root, const char *id, GError **error);

/* The ids of every record under the root, sorted; an absent root is an
 * empty list. Entries that are not valid ids (temporary directories) are
 * skipped; temporary directories older than ten minutes (left by a process
 * killed during create or delete) are removed. (element-type utf8) */
GPtrArray *vm_record_list_ids (const char *root, GError **error);

/* Loads, calls @func with the record (which it may change) and writes it
 * back, all under the record's lock. When @func returns FALSE nothing is
 * written and its error is returned. Returns the record as written. */
typedef gboolean (*VmRecordUpdateFunc) (VmRecord *record, gpointer user_data, GError **error);
VmRecord *vm_record_update (const char        *root,
                            const char        *id,
                            VmRecordUpdateFunc func,
                            gpointer           user_data,
                            GError           **error);

/* Removes the record directory and everything in it (sockets, logs,
 * pid files) under the lock. %HERO_VIRT_ERROR_NOT_FOUND when absent.
 * It does not look at processes: stop the VM first. */
gboolean vm_record_delete (const char *root, const char *id, GError **error);

/* Whether the recorded process is alive and is the same process: its
 * /proc/<pid>/stat start time equals the recorded one and it is not a
 * zombie. */
gboolean vm_record_is_running (const VmRecord *record);

/* Field 22 of /proc/<pid>/stat, or 0 when the process does not exist or
 * is a zombie. */
guint64 vm_record_process_start_time (gint64 pid);

/* Sends @sig to the recorded process only if it is still that process
 * (pidfd_open, then the start-time check, then pidfd_send_signal: a pid
 * reused meanwhile gets nothing). */
void vm_record_signal (const VmRecord *record, int sig);

/* Polls until the recorded process is gone (or a zombie), up to
 * @timeout_ms; FALSE when it still runs (or @cancellable fired). */
gboolean vm_record_wait_exit (const VmRecord *record, guint timeout_ms, GCancellable *cancellable);

/* Records @pid (and its start time, read now) in @record; pid 0 clears. */
void vm_record_set_process (VmRecord *record, gint64 pid);

/* "Start once": an exclusive lock on `<dir>/start.lock`, held by one
 * process at a time for the whole of a start (check running, launch,
 * record the pid). A second process blocks until the first is done and
 * then sees the VM running. Released by vm_record_start_lock_release()
 * (or when the process dies). %HERO_VIRT_ERROR_NOT_FOUND if the record
 * is gone. */
typedef struct _VmRecordStartLock VmRecordStartLock;
VmRecordStartLock *vm_record_start_lock_acquire (const char *root, const char *id, GError **error);
void               vm_record_start_lock_release (VmRecordStartLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmRecordStartLock, vm_record_start_lock_release)

/* The record as JSON and back (vm.json's format). */
JsonNode *vm_record_to_json_node (const VmRecord *record);
VmRecord *vm_record_new_from_json (const char *json, const char *dir, GError **error);

G_END_DECLS
