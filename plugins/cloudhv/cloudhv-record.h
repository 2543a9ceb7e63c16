/* cloudhv-record.h: the cloudhv plugin's VM records
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The interface of libs/vm-record (shared with the qemu plugin), the part
 * this plugin uses. Until that library is in the tree, cloudhv-record.c
 * implements it here; the provider calls nothing else, so switching is a
 * change of include and link, not of code.
 *
 * A record is `<root>/<id>/vm.json` (root: the caller's, else
 * $HERO_VIRT_VM_DIR, else $XDG_DATA_HOME/hero-virt/vms), replaced whole
 * (temporary file, fsync, rename) under flock() on `<root>/<id>/vm.lock`.
 * It keeps the hypervisor's pid and the process start time (field 22 of
 * /proc/<pid>/stat) so that a reused pid is never taken for the VM.
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
  char           *provider;     /* "cloudhv" */
  HeroVirtVmSpec *spec;         /* immutable once created */
  gint64          pid;          /* 0: no process recorded */
  guint64         start_time;   /* /proc/<pid>/stat field 22 */
  char           *api_socket;   /* the REST socket, nullable */
  char           *console_path; /* serial log or pty, nullable */
  char           *log_path;     /* the hypervisor's own log, nullable */
  GHashTable     *sockets;      /* name -> path, extra sockets */
  JsonObject     *extra;        /* provider-private state, never NULL */
  gint64          created_usec;
  gint64          updated_usec;
};

void vm_record_free (VmRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmRecord, vm_record_free)

char    *vm_record_resolve_root (const char *root);
char    *vm_record_dir_for (const char *root, const char *id);
gboolean vm_record_validate_id (const char *id, GError **error);

VmRecord *
vm_record_create (const char *root, HeroVirtVmSpec *spec, const char *provider, GError **error);
VmRecord  *vm_record_load (const char *root, const char *id, GError **error);
GPtrArray *vm_record_list_ids (const char *root, GError **error);

typedef gboolean (*VmRecordUpdateFunc) (VmRecord *record, gpointer user_data, GError **error);
VmRecord *vm_record_update (const char        *root,
                            const char        *id,
                            VmRecordUpdateFunc func,
                            gpointer           user_data,
                            GError           **error);
gboolean  vm_record_delete (const char *root, const char *id, GError **error);

gboolean vm_record_is_running (const VmRecord *record);
guint64  vm_record_process_start_time (gint64 pid);
void     vm_record_set_process (VmRecord *record, gint64 pid);

typedef struct _VmRecordStartLock VmRecordStartLock;
VmRecordStartLock *vm_record_start_lock_acquire (const char *root, const char *id, GError **error);
void               vm_record_start_lock_release (VmRecordStartLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmRecordStartLock, vm_record_start_lock_release)

G_END_DECLS
