/* qemu-provider.c: the "qemu" hypervisor provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each VM is a daemonized qemu-system-x86_64 (-daemonize -pidfile: it
 * outlives the caller) with -nodefaults -no-user-config, KVM when
 * /dev/kvm opens, else TCG. It is driven over QMP on a unix socket in its
 * record directory (libs/vm-record), and its serial console goes to a log
 * file there. The record keeps qemu's pid and start time, so a dead or
 * reused pid is never taken for the VM.
 *
 * QMP sockets and pid files are local: this provider works on this
 * machine only (a local executor); any other executor is
 * %HERO_VIRT_ERROR_NOT_SUPPORTED.
 *
 * Snapshots are migration streams: `migrate` to a file descriptor passed
 * with `getfd` (SCM_RIGHTS), restored by a new qemu started with
 * `-incoming defer -S` and `migrate-incoming`. They hold memory and
 * device state, not disk contents. Resize hot-plugs vCPUs (up to the
 * maxcpus set at start); memory hot-plug and vCPU unplug are
 * %HERO_VIRT_ERROR_NOT_SUPPORTED.
 */
#define G_LOG_DOMAIN "HeroVirt-Qemu"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <hero-virt.h>

#include "qemu-argv.h"
#include "qemu-provider.h"
#include "qemu-qmp.h"
#include "vm-record.h"

#define PROVIDER_NAME "qemu"
#define QMP_TIMEOUT_MS 5000
#define MAX_VCPUS 255
#define SNAPSHOT_STATE "state.bin"
#define SNAPSHOT_META "snapshot.json"

struct _HeroVirtQemuProvider
{
  GObject parent_instance;

  char *record_dir;  /* NULL: $HERO_VIRT_VM_DIR or $XDG_DATA_HOME/hero-virt/vms */
  char *qemu_binary; /* NULL: $HERO_VIRT_QEMU_BINARY or qemu-system-x86_64 in PATH */
};

enum
{
  PROP_0,
  PROP_RECORD_DIR,
  PROP_QEMU_BINARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void hero_virt_qemu_provider_iface_init (HeroVirtHypervisorProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (HeroVirtQemuProvider,
                                hero_virt_qemu_provider,
                                G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_HYPERVISOR_PROVIDER,
                                                               hero_virt_qemu_provider_iface_init))

/* ---- helpers ---- */

static const char *
root_of (HeroVirtQemuProvider *self)
{
  return self->record_dir;
}

static char *
find_qemu (HeroVirtQemuProvider *self)
{
  const char *env = g_getenv ("HERO_VIRT_QEMU_BINARY");

  if (self->qemu_binary != NULL)
    return g_strdup (self->qemu_binary);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_find_program_in_path ("qemu-system-x86_64");
}

static gboolean
require_local (HeroVirtExecutor *executor, GError **error)
{
  if (executor == NULL || hero_virt_executor_is_local (executor))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
               "The qemu provider runs VMs on this machine only (its QMP sockets are local); "
               "use a local executor");
  return FALSE;
}

static gboolean
cpu_has_hardware_virtualization (void)
{
  g_autofree char *cpuinfo = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return FALSE;
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "flags"))
      {
        g_auto (GStrv) flags = g_strsplit (lines[i], " ", -1);

        return g_strv_contains ((const char *const *)flags, "vmx")
               || g_strv_contains ((const char *const *)flags, "svm");
      }
  return FALSE;
}

/* KVM when /dev/kvm opens and the CPU has VT-x or AMD-V. A /dev/kvm
 * without them is a paravirtual KVM (such as kvm_pvm inside a cloud VM)
 * that boots only guests built for it, so TCG it is.
 * $HERO_VIRT_QEMU_ACCEL (kvm or tcg) decides instead when set. */
static const char *
choose_accel (void)
{
  const char *forced = g_getenv ("HERO_VIRT_QEMU_ACCEL");
  int         fd;

  if (g_strcmp0 (forced, "kvm") == 0 || g_strcmp0 (forced, "tcg") == 0)
    return g_intern_string (forced);
  fd = open ("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return "tcg";
  close (fd);
  return cpu_has_hardware_virtualization () ? "kvm" : "tcg";
}

static VmRecord *
load_vm (HeroVirtQemuProvider *self, const char *id, GError **error)
{
  g_autoptr (VmRecord) record = vm_record_load (root_of (self), id, error);

  if (record == NULL)
    return NULL;
  if (g_strcmp0 (record->provider, PROVIDER_NAME) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "VM “%s” belongs to the %s provider, not qemu", id,
                   record->provider != NULL ? record->provider : "(unknown)");
      return NULL;
    }
  return g_steal_pointer (&record);
}

static const char *
recorded_state (VmRecord *record)
{
  if (json_object_has_member (record->extra, "state"))
    return json_object_get_string_member (record->extra, "state");
  return "created";
}

/* What a VM that is not running looks like: never started, or stopped. */
static const char *
not_running_state (VmRecord *record)
{
  return g_strcmp0 (recorded_state (record), "created") == 0 ? "created" : "stopped";
}

static gboolean
require_running (VmRecord *record, const char *verb, GError **error)
{
  if (vm_record_is_running (record))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "Cannot %s VM “%s”: it is %s", verb,
               record->id, not_running_state (record));
  return FALSE;
}

static QemuQmp *
connect_qmp (VmRecord *record, GCancellable *cancellable, GError **error)
{
  QemuQmp *qmp = qemu_qmp_connect (record->api_socket, QMP_TIMEOUT_MS, cancellable, error);

  if (qmp == NULL)
    g_prefix_error (error, "VM “%s”: ", record->id);
  return qmp;
}

/* QMP `query-status`'s "status", or NULL. */
static char *
query_status (QemuQmp *qmp, GError **error)
{
  g_autoptr (JsonNode) result = qemu_qmp_execute (qmp, "query-status", NULL, error);

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (result), "status"));
}

typedef struct
{
  const char *state;
} StateUpdate;

static gboolean
set_state_func (VmRecord *record, gpointer user_data, GError **error)
{
  StateUpdate *update = user_data;

  json_object_set_string_member (record->extra, "state", update->state);
  return TRUE;
}

static void
record_state (HeroVirtQemuProvider *self, const char *id, const char *state)
{
  StateUpdate update = { state };
  g_autoptr (VmRecord) record
      = vm_record_update (root_of (self), id, set_state_func, &update, NULL);
}

static gboolean
clear_process_func (VmRecord *record, gpointer user_data, GError **error)
{
  /* Only if the recorded process is the one that died. */
  if (!vm_record_is_running (record))
    {
      vm_record_set_process (record, 0);
      if (g_strcmp0 (recorded_state (record), "created") != 0)
        json_object_set_string_member (record->extra, "state", "stopped");
    }
  return TRUE;
}

/* After the process is gone: sockets and pid file away, pid cleared. */
static void
cleanup_after_exit (HeroVirtQemuProvider *self, VmRecord *record)
{
  g_autofree char *pidfile = g_build_filename (record->dir, "qemu.pid", NULL);
  g_autoptr (VmRecord) updated = NULL;

  if (record->api_socket != NULL)
    g_unlink (record->api_socket);
  g_unlink (pidfile);
  updated = vm_record_update (root_of (self), record->id, clear_process_func, NULL, NULL);
}

static char *
read_log_from (const char *path, goffset offset)
{
  g_autofree char *contents = NULL;
  gsize            len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL) || (gsize)offset >= len)
    return g_strdup ("(qemu printed nothing)");
  return g_strstrip (g_strdup (contents + offset));
}

static guint64
host_memory_mb (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || size <= 0)
    return G_MAXUINT64;
  return (guint64)pages * (guint64)size / (1024 * 1024);
}

static gboolean
check_file (const char *what, const char *path, GError **error)
{
  if (path == NULL || g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "The %s “%s” does not exist",
               what, path);
  return FALSE;
}

static gboolean
check_spec_files (HeroVirtVmSpec *spec, GError **error)
{
  GPtrArray *disks = hero_virt_vm_spec_get_disks (spec);

  if (!check_file ("kernel", hero_virt_vm_spec_get_kernel (spec), error)
      || !check_file ("initramfs", hero_virt_vm_spec_get_initramfs (spec), error)
      || !check_file ("firmware", hero_virt_vm_spec_get_firmware (spec), error))
    return FALSE;
  for (guint i = 0; i < disks->len; i++)
    if (!check_file ("disk image", hero_virt_vm_disk_get_path (g_ptr_array_index (disks, i)),
                     error))
      return FALSE;
  return TRUE;
}

/* ---- create ---- */

static gboolean
check_port_forwards (HeroVirtVmSpec *spec, GError **error)
{
  const char *const *extra = hero_virt_vm_spec_get_extra_args (spec);
  GPtrArray         *nets = hero_virt_vm_spec_get_nets (spec);
  gboolean           user = FALSE;
  gboolean           forwards = FALSE;

  for (guint i = 0; i < nets->len; i++)
    if (hero_virt_vm_net_get_mode (g_ptr_array_index (nets, i)) == HERO_VIRT_VM_NET_MODE_USER)
      user = TRUE;
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (g_str_has_prefix (extra[i], "hostfwd="))
      {
        g_autofree char *forward = qemu_parse_hostfwd (extra[i], error);

        if (forward == NULL)
          return FALSE;
        forwards = TRUE;
      }
  if (forwards && !user)
    return hero_virt_set_invalid_argument (error, "port forward", hero_virt_vm_spec_get_name (spec),
                                           "a port forward needs a user-mode network");
  return TRUE;
}

static char *
qemu_create (HeroVirtHypervisorProvider *provider,
             HeroVirtExecutor           *executor,
             HeroVirtVmSpec             *spec,
             GCancellable               *cancellable,
             GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  const char *name;

  if (!hero_virt_vm_spec_validate (spec, error))
    return NULL;
  name = hero_virt_vm_spec_get_name (spec);
  if (!vm_record_validate_id (name, error) || !require_local (executor, error))
    return NULL;
  if (hero_virt_vm_spec_get_vcpus (spec) > MAX_VCPUS)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "VM “%s” asks for %u vCPUs; qemu's pc machine takes at most %u", name,
                   hero_virt_vm_spec_get_vcpus (spec), MAX_VCPUS);
      return NULL;
    }
  if (hero_virt_vm_spec_get_memory_mb (spec) > host_memory_mb ())
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "VM “%s” asks for %" G_GUINT64_FORMAT
                   " MiB, more than this host's %" G_GUINT64_FORMAT " MiB",
                   name, hero_virt_vm_spec_get_memory_mb (spec), host_memory_mb ());
      return NULL;
    }
  if (!check_spec_files (spec, error) || !check_port_forwards (spec, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  record = vm_record_create (root_of (self), spec, PROVIDER_NAME, error);
  if (record == NULL)
    return NULL;
  return g_strdup (record->id);
}

/* ---- start (and restore's launch) ---- */

typedef struct
{
  gint64      pid;
  const char *api_socket;
  const char *console_path;
  const char *log_path;
  const char *accel;
  const char *state;
  guint       max_vcpus;
} LaunchUpdate;

static gboolean
set_launch_func (VmRecord *record, gpointer user_data, GError **error)
{
  LaunchUpdate *update = user_data;

  vm_record_set_process (record, update->pid);
  g_free (record->api_socket);
  record->api_socket = g_strdup (update->api_socket);
  g_free (record->console_path);
  record->console_path = g_strdup (update->console_path);
  g_free (record->log_path);
  record->log_path = g_strdup (update->log_path);
  json_object_remove_member (record->extra, "last_shutdown");
  json_object_set_string_member (record->extra, "accel", update->accel);
  json_object_set_string_member (record->extra, "state", update->state);
  json_object_set_int_member (record->extra, "max_vcpus", update->max_vcpus);
  return TRUE;
}

static char *
console_path_for (VmRecord *record, QemuQmp *qmp)
{
  HeroVirtVmSpec *spec = record->spec;

  switch (hero_virt_vm_spec_get_serial_mode (spec))
    {
    case HERO_VIRT_VM_SERIAL_MODE_OFF:
      return NULL;
    case HERO_VIRT_VM_SERIAL_MODE_FILE:
    case HERO_VIRT_VM_SERIAL_MODE_SOCKET:
      return g_strdup (hero_virt_vm_spec_get_serial_path (spec));
    case HERO_VIRT_VM_SERIAL_MODE_PTY:
      {
        g_autoptr (JsonNode) chardevs = qemu_qmp_execute (qmp, "query-chardev", NULL, NULL);

        if (chardevs != NULL && JSON_NODE_HOLDS_ARRAY (chardevs))
          {
            JsonArray *array = json_node_get_array (chardevs);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonObject *chardev = json_array_get_object_element (array, i);
                const char *filename = json_object_get_string_member (chardev, "filename");

                if (g_strcmp0 (json_object_get_string_member (chardev, "label"), "serial0") == 0
                    && g_str_has_prefix (filename, "pty:"))
                  return g_strdup (filename + strlen ("pty:"));
              }
          }
        return NULL;
      }
    case HERO_VIRT_VM_SERIAL_MODE_DEFAULT:
    default:
      return g_build_filename (record->dir, "console.log", NULL);
    }
}

/* A copy: the start runs in a worker thread while the caller may set
 * variables on the executor. */
static char **
environ_of (HeroVirtExecutor *executor)
{
  if (executor != NULL && HERO_VIRT_IS_LOCAL_EXECUTOR (executor))
    return hero_virt_executor_dup_environ (executor);
  return NULL;
}

/* Room for vCPU hot-plug: twice the boot count. Not for a 1-vCPU VM: a
 * guest that may see a second CPU boots SMP (per-CPU areas, locked
 * instructions), which costs boot time under TCG for a rare resize. */
static guint
max_vcpus_for (guint vcpus)
{
  return vcpus < 2 ? vcpus : MIN (MAX_VCPUS, vcpus * 2);
}

/* Launches qemu for @record (the start lock held, the VM not running),
 * records its pid and connects to QMP. Returns the QMP connection. */
static QemuQmp *
launch (HeroVirtQemuProvider *self,
        HeroVirtExecutor     *executor,
        VmRecord             *record,
        gboolean              incoming,
        GCancellable         *cancellable,
        GError              **error)
{
  HeroVirtVmSpec  *spec = record->spec;
  GPtrArray       *disks = hero_virt_vm_spec_get_disks (spec);
  g_autofree char *binary = find_qemu (self);
  g_autofree char *qmp_socket = g_build_filename (record->dir, "qmp.sock", NULL);
  g_autofree char *pidfile = g_build_filename (record->dir, "qemu.pid", NULL);
  g_autofree char *console_log = g_build_filename (record->dir, "console.log", NULL);
  g_autofree char *log_path = g_build_filename (record->dir, "qemu.log", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *console_path = NULL;
  g_autofree char *status = NULL;
  g_autoptr (GPtrArray) formats = g_ptr_array_new ();
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (QemuQmp) qmp = NULL;
  g_autoptr (VmRecord) updated = NULL;
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) envp = environ_of (executor);
  LaunchUpdate update = { 0 };
  QemuLaunch   params = { 0 };
  struct stat  st;
  goffset      log_offset = 0;
  gint64       pid;
  int          log_fd;

  if (binary == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "qemu-system-x86_64 is not installed (not in PATH)");
      return NULL;
    }
  if (!check_spec_files (spec, error))
    return NULL;
  if (strlen (qmp_socket) >= 108)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The VM directory %s is too deep for a unix socket path; "
                   "choose a shorter record directory (HERO_VIRT_VM_DIR)",
                   record->dir);
      return NULL;
    }
  for (guint i = 0; i < disks->len; i++)
    {
      HeroVirtVmDisk *disk = g_ptr_array_index (disks, i);
      const char     *format = hero_virt_vm_disk_get_format (disk);

      g_ptr_array_add (formats, (gpointer)(format != NULL ? format
                                                          : qemu_detect_image_format (
                                                              hero_virt_vm_disk_get_path (disk))));
    }
  g_ptr_array_add (formats, NULL);

  g_unlink (qmp_socket);
  g_unlink (pidfile);
  params.binary = binary;
  params.accel = choose_accel ();
  params.qmp_socket = qmp_socket;
  params.pidfile = pidfile;
  params.console_log = console_log;
  params.formats = (const char *const *)formats->pdata;
  params.max_vcpus = max_vcpus_for (hero_virt_vm_spec_get_vcpus (spec));
  params.incoming = incoming;
  params.daemonize = TRUE;
  argv = qemu_build_argv (spec, &params);

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      g_autofree char *line = g_strjoinv (" ", (char **)argv->pdata);
      g_debug ("launching %s", line);
    }

  log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot open %s: %s", log_path,
                   g_strerror (errno));
      return NULL;
    }
  if (fstat (log_fd, &st) == 0)
    log_offset = st.st_size;
  /* stdin is /dev/null; qemu closes the rest once it daemonizes. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_cwd (launcher, record->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &local_error);
  if (process == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE, "Cannot run %s: %s", binary,
                   local_error->message);
      return NULL;
    }
  /* -daemonize: this returns once qemu is set up (its QMP socket listens)
   * and its daemon child runs on. */
  if (!g_subprocess_wait (process, NULL, &local_error) || !g_subprocess_get_if_exited (process)
      || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *output = read_log_from (log_path, log_offset);

      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                   "qemu could not start VM “%s”: %s", record->id, output);
      return NULL;
    }
  if (!g_file_get_contents (pidfile, &pid_text, NULL, NULL)
      || (pid = g_ascii_strtoll (pid_text, NULL, 10)) <= 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                   "qemu started VM “%s” but wrote no pid file", record->id);
      return NULL;
    }

  update.pid = pid;
  update.api_socket = qmp_socket;
  update.console_path = hero_virt_vm_spec_get_serial_mode (spec) == HERO_VIRT_VM_SERIAL_MODE_DEFAULT
                            ? console_log
                            : NULL;
  update.log_path = log_path;
  update.accel = params.accel;
  update.state = incoming ? "paused" : "running";
  update.max_vcpus = params.max_vcpus;
  updated = vm_record_update (root_of (self), record->id, set_launch_func, &update, error);
  if (updated == NULL)
    {
      kill ((pid_t)pid, SIGKILL);
      return NULL;
    }

  qmp = connect_qmp (updated, cancellable, error);
  status = qmp != NULL ? query_status (qmp, error) : NULL;
  if (status == NULL)
    {
      vm_record_signal (updated, SIGKILL);
      vm_record_wait_exit (updated, 5000, NULL);
      cleanup_after_exit (self, updated);
      return NULL;
    }
  console_path = console_path_for (updated, qmp);
  if (g_strcmp0 (console_path, update.console_path) != 0)
    {
      g_autoptr (VmRecord) again = NULL;

      update.console_path = console_path;
      again = vm_record_update (root_of (self), record->id, set_launch_func, &update, NULL);
    }
  g_debug ("VM %s: qemu pid %" G_GINT64_FORMAT ", status %s", record->id, pid, status);
  return g_steal_pointer (&qmp);
}

/* Takes the start lock, checks the VM does not run; the caller launches
 * while holding the returned lock. */
static VmRecordStartLock *
begin_start (HeroVirtQemuProvider *self,
             HeroVirtExecutor     *executor,
             const char           *id,
             VmRecord            **record_out,
             GError              **error)
{
  g_autoptr (VmRecordStartLock) lock = NULL;
  g_autoptr (VmRecord) record = NULL;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return NULL;
  record = load_vm (self, id, error);
  if (record == NULL)
    return NULL;
  lock = vm_record_start_lock_acquire (root_of (self), id, error);
  if (lock == NULL)
    return NULL;
  /* Reload under the lock: another process may have started it. */
  g_clear_pointer (&record, vm_record_free);
  record = load_vm (self, id, error);
  if (record == NULL)
    return NULL;
  if (vm_record_is_running (record))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "VM “%s” is already running",
                   id);
      return NULL;
    }
  *record_out = g_steal_pointer (&record);
  return g_steal_pointer (&lock);
}

static gboolean
qemu_start (HeroVirtHypervisorProvider *provider,
            HeroVirtExecutor           *executor,
            const char                 *id,
            GCancellable               *cancellable,
            GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (VmRecordStartLock) lock = begin_start (self, executor, id, &record, error);
  g_autoptr (QemuQmp) qmp = NULL;

  if (lock == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  qmp = launch (self, executor, record, FALSE, cancellable, error);
  return qmp != NULL;
}

/* ---- stop, reboot, pause, resume ---- */

static gboolean
set_shutdown_func (VmRecord *record, gpointer user_data, GError **error)
{
  JsonObject *event = user_data;
  JsonObject *data = json_object_has_member (event, "data")
                         ? json_object_get_object_member (event, "data")
                         : NULL;

  if (data != NULL && json_object_has_member (data, "reason"))
    json_object_set_string_member (record->extra, "last_shutdown",
                                   json_object_get_string_member (data, "reason"));
  return TRUE;
}

/* Keeps qemu's reason ("guest-shutdown", "host-qmp-quit", …) in the
 * record, for info's details. */
static void
record_shutdown (HeroVirtQemuProvider *self, const char *id, JsonObject *event)
{
  g_autoptr (VmRecord) updated
      = vm_record_update (root_of (self), id, set_shutdown_func, event, NULL);
}

static gboolean
qemu_stop (HeroVirtHypervisorProvider *provider,
           HeroVirtExecutor           *executor,
           const char                 *id,
           gboolean                    force,
           guint                       timeout_seconds,
           GCancellable               *cancellable,
           GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (GError) qmp_error = NULL;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return FALSE;
  record = load_vm (self, id, error);
  if (record == NULL)
    return FALSE;
  if (!vm_record_is_running (record))
    {
      cleanup_after_exit (self, record);
      return TRUE;
    }

  if (!force || timeout_seconds > 0)
    {
      g_autoptr (QemuQmp) qmp = connect_qmp (record, cancellable, &qmp_error);
      g_autoptr (JsonNode) result = NULL;

      g_autofree char *status = qmp != NULL ? query_status (qmp, NULL) : NULL;

      /* A paused guest cannot see the power button: let it run first. */
      if (g_strcmp0 (status, "paused") == 0 || g_strcmp0 (status, "postmigrate") == 0)
        {
          g_autoptr (JsonNode) resumed = qemu_qmp_execute (qmp, "cont", NULL, NULL);
        }
      if (qmp != NULL)
        result = qemu_qmp_execute (qmp, "system_powerdown", NULL, &qmp_error);
      if (result != NULL)
        {
          guint  timeout_ms = timeout_seconds * 1000;
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr (JsonObject) shutdown = NULL;
          guint waited;

          /* Most guests answer within a second: qemu's SHUTDOWN event says
           * why it ends. A slower guest gets the monitor back for others
           * while we watch its process. */
          shutdown = qemu_qmp_wait_event (qmp, "SHUTDOWN", MIN (timeout_ms, 3000), NULL);
          if (shutdown != NULL)
            record_shutdown (self, record->id, shutdown);
          g_clear_pointer (&qmp, qemu_qmp_free);
          waited = (guint)((g_get_monotonic_time () - t0) / 1000);
          vm_record_wait_exit (record, timeout_ms > waited ? timeout_ms - waited : 0, cancellable);
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (vm_record_is_running (record))
    {
      if (!force)
        {
          if (qmp_error != NULL)
            g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                         "Cannot ask VM “%s” to power off: %s", id, qmp_error->message);
          else
            g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                         "VM “%s” did not power off within %u s (it keeps running; stop it "
                         "with force to kill it)",
                         id, timeout_seconds);
          return FALSE;
        }
      vm_record_signal (record, SIGTERM);
      if (!vm_record_wait_exit (record, 3000, NULL))
        {
          vm_record_signal (record, SIGKILL);
          if (!vm_record_wait_exit (record, 10000, NULL))
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                           "qemu of VM “%s” (pid %" G_GINT64_FORMAT ") survived SIGKILL", id,
                           record->pid);
              return FALSE;
            }
        }
    }
  cleanup_after_exit (self, record);
  return TRUE;
}

/* Runs one QMP command on a running VM. */
static gboolean
simple_command (HeroVirtQemuProvider *self,
                HeroVirtExecutor     *executor,
                const char           *id,
                const char           *verb,
                const char           *command,
                const char           *new_state,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (QemuQmp) qmp = NULL;
  g_autoptr (JsonNode) result = NULL;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return FALSE;
  record = load_vm (self, id, error);
  if (record == NULL || !require_running (record, verb, error))
    return FALSE;
  qmp = connect_qmp (record, cancellable, error);
  if (qmp == NULL)
    return FALSE;
  result = qemu_qmp_execute (qmp, command, NULL, error);
  if (result == NULL)
    return FALSE;
  if (new_state != NULL)
    record_state (self, id, new_state);
  return TRUE;
}

static gboolean
qemu_reboot (HeroVirtHypervisorProvider *provider,
             HeroVirtExecutor           *executor,
             const char                 *id,
             GCancellable               *cancellable,
             GError                    **error)
{
  return simple_command (HERO_VIRT_QEMU_PROVIDER (provider), executor, id, "reboot", "system_reset",
                         NULL, cancellable, error);
}

static gboolean
qemu_pause (HeroVirtHypervisorProvider *provider,
            HeroVirtExecutor           *executor,
            const char                 *id,
            GCancellable               *cancellable,
            GError                    **error)
{
  return simple_command (HERO_VIRT_QEMU_PROVIDER (provider), executor, id, "pause", "stop",
                         "paused", cancellable, error);
}

static gboolean
qemu_resume (HeroVirtHypervisorProvider *provider,
             HeroVirtExecutor           *executor,
             const char                 *id,
             GCancellable               *cancellable,
             GError                    **error)
{
  return simple_command (HERO_VIRT_QEMU_PROVIDER (provider), executor, id, "resume", "cont",
                         "running", cancellable, error);
}

/* ---- info, list ---- */

static HeroVirtVmState
state_from_status (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return HERO_VIRT_VM_STATE_RUNNING;
  if (g_strcmp0 (status, "shutdown") == 0)
    return HERO_VIRT_VM_STATE_STOPPED;
  if (g_strcmp0 (status, "internal-error") == 0)
    return HERO_VIRT_VM_STATE_UNKNOWN;
  /* paused, suspended, prelaunch, inmigrate, postmigrate, finish-migrate,
   * io-error, guest-panicked, debug, save-vm, restore-vm, watchdog */
  return HERO_VIRT_VM_STATE_PAUSED;
}

static HeroVirtVmInfo *
info_for_record (VmRecord *record, GCancellable *cancellable)
{
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) details = NULL;
  const char *accel = json_object_has_member (record->extra, "accel")
                          ? json_object_get_string_member (record->extra, "accel")
                          : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, PROVIDER_NAME);
  if (json_object_has_member (record->extra, "last_shutdown"))
    {
      json_builder_set_member_name (builder, "last_shutdown");
      json_builder_add_string_value (
          builder, json_object_get_string_member (record->extra, "last_shutdown"));
    }
  if (accel != NULL)
    {
      json_builder_set_member_name (builder, "accel");
      json_builder_add_string_value (builder, accel);
    }
  if (record->spec != NULL)
    {
      /* Every host port forwarded into the guest, as hostfwd= has it. */
      g_autoptr (GPtrArray) forwards = hero_virt_vm_spec_list_port_forwards (record->spec);

      json_builder_set_member_name (builder, "port_forwards");
      json_builder_begin_array (builder);
      for (guint i = 0; i < forwards->len; i++)
        {
          g_autofree char *text = hero_virt_vm_port_forward_to_string (forwards->pdata[i]);

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
    }

  if (vm_record_is_running (record))
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (QemuQmp) qmp
          = qemu_qmp_connect (record->api_socket, 2000, cancellable, &local_error);
      g_autofree char *status = qmp != NULL ? query_status (qmp, &local_error) : NULL;
      HeroVirtVmState  state;

      if (status != NULL)
        state = state_from_status (status);
      else
        /* The monitor is busy (another client) or wedged: the last state
         * this library set is the best guess. */
        state = g_strcmp0 (recorded_state (record), "paused") == 0 ? HERO_VIRT_VM_STATE_PAUSED
                                                                   : HERO_VIRT_VM_STATE_RUNNING;
      info = hero_virt_vm_info_new (record->id, state);
      hero_virt_vm_info_set_pid (info, record->pid);
      json_builder_set_member_name (builder, "qmp_status");
      json_builder_add_string_value (builder, status != NULL ? status : "unreachable");
      if (qmp != NULL)
        {
          JsonObject *version
              = json_object_get_object_member (qemu_qmp_get_greeting (qmp), "version");
          JsonObject *numbers
              = version != NULL ? json_object_get_object_member (version, "qemu") : NULL;

          if (numbers != NULL)
            {
              g_autofree char *text
                  = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                     json_object_get_int_member (numbers, "major"),
                                     json_object_get_int_member (numbers, "minor"),
                                     json_object_get_int_member (numbers, "micro"));
              json_builder_set_member_name (builder, "qemu_version");
              json_builder_add_string_value (builder, text);
            }
        }
      if (qmp != NULL)
        {
          g_autoptr (JsonNode) cpus = qemu_qmp_execute (qmp, "query-cpus-fast", NULL, NULL);

          if (cpus != NULL && JSON_NODE_HOLDS_ARRAY (cpus))
            {
              json_builder_set_member_name (builder, "vcpus");
              json_builder_add_int_value (builder,
                                          json_array_get_length (json_node_get_array (cpus)));
            }
        }
      hero_virt_vm_info_set_api_socket (info, record->api_socket);
    }
  else
    {
      gboolean never = g_strcmp0 (not_running_state (record), "created") == 0;

      info = hero_virt_vm_info_new (record->id, never ? HERO_VIRT_VM_STATE_CREATED
                                                      : HERO_VIRT_VM_STATE_STOPPED);
      hero_virt_vm_info_set_pid (info, 0);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  hero_virt_vm_info_set_spec (info, record->spec);
  hero_virt_vm_info_set_directory (info, record->dir);
  hero_virt_vm_info_set_console_path (info, record->console_path);
  hero_virt_vm_info_set_log_path (info, record->log_path);
  hero_virt_vm_info_set_details (info, details);
  return g_steal_pointer (&info);
}

static HeroVirtVmInfo *
qemu_info (HeroVirtHypervisorProvider *provider,
           HeroVirtExecutor           *executor,
           const char                 *id,
           GCancellable               *cancellable,
           GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return NULL;
  record = load_vm (self, id, error);
  if (record == NULL)
    return NULL;
  return info_for_record (record, cancellable);
}

static GPtrArray *
qemu_list (HeroVirtHypervisorProvider *provider,
           HeroVirtExecutor           *executor,
           GCancellable               *cancellable,
           GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);

  if (!require_local (executor, error))
    return NULL;
  ids = vm_record_list_ids (root_of (self), error);
  if (ids == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (VmRecord) record = vm_record_load (root_of (self), id, &local_error);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (record == NULL)
        {
          if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT))
            g_ptr_array_add (infos, hero_virt_vm_info_new (id, HERO_VIRT_VM_STATE_UNKNOWN));
          continue; /* deleted meanwhile */
        }
      if (g_strcmp0 (record->provider, PROVIDER_NAME) != 0)
        continue;
      g_ptr_array_add (infos, info_for_record (record, cancellable));
    }
  return g_steal_pointer (&infos);
}

/* ---- delete ---- */

static gboolean
qemu_delete (HeroVirtHypervisorProvider *provider,
             HeroVirtExecutor           *executor,
             const char                 *id,
             gboolean                    delete_disks,
             GCancellable               *cancellable,
             GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (VmRecordStartLock) lock = NULL;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return FALSE;
  record = load_vm (self, id, error);
  if (record == NULL)
    return FALSE;
  /* No start may run meanwhile: it would launch a qemu whose record is
   * about to go. */
  lock = vm_record_start_lock_acquire (root_of (self), id, error);
  if (lock == NULL)
    return FALSE;
  if (!qemu_stop (provider, executor, id, TRUE, 0, cancellable, error))
    return FALSE;
  if (delete_disks && record->spec != NULL)
    {
      GPtrArray *disks = hero_virt_vm_spec_get_disks (record->spec);

      for (guint i = 0; i < disks->len; i++)
        {
          const char *path = hero_virt_vm_disk_get_path (g_ptr_array_index (disks, i));

          if (g_unlink (path) < 0 && errno != ENOENT)
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                           "Cannot delete disk %s of VM “%s”: %s", path, id, g_strerror (errno));
              return FALSE;
            }
        }
    }
  return vm_record_delete (root_of (self), id, error);
}

/* ---- snapshot, restore ---- */

/* Polls query-migrate until it is completed or failed. */
static gboolean
wait_for_migration (QemuQmp *qmp, const char *what, guint timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  for (;;)
    {
      g_autoptr (JsonNode) result = qemu_qmp_execute (qmp, "query-migrate", NULL, error);
      JsonObject *object;
      const char *status;

      if (result == NULL)
        return FALSE;
      object = JSON_NODE_HOLDS_OBJECT (result) ? json_node_get_object (result) : NULL;
      status = object != NULL && json_object_has_member (object, "status")
                   ? json_object_get_string_member (object, "status")
                   : NULL;
      if (g_strcmp0 (status, "completed") == 0)
        return TRUE;
      if (g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "cancelled") == 0)
        {
          const char *desc = object != NULL && json_object_has_member (object, "error-desc")
                                 ? json_object_get_string_member (object, "error-desc")
                                 : status;
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED, "%s failed: %s",
                       what, desc);
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT, "%s did not finish in time",
                       what);
          return FALSE;
        }
      g_usleep (5000);
    }
}

static gboolean
prepare_destination (const char *destination, gboolean *created, GError **error)
{
  g_autoptr (GDir) dir = NULL;

  *created = FALSE;

  if (destination == NULL || !g_path_is_absolute (destination))
    return hero_virt_set_invalid_argument (error, "snapshot directory", destination,
                                           "it must be an absolute path");
  if (!g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir (destination, 0700) < 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot create %s: %s",
                       destination, g_strerror (errno));
          return FALSE;
        }
      *created = TRUE;
      return TRUE;
    }
  dir = g_dir_open (destination, 0, NULL);
  if (dir == NULL || g_dir_read_name (dir) != NULL)
    return hero_virt_set_invalid_argument (error, "snapshot directory", destination,
                                           "it exists and is not an empty directory");
  return TRUE;
}

static gboolean
qemu_snapshot (HeroVirtHypervisorProvider *provider,
               HeroVirtExecutor           *executor,
               const char                 *id,
               const char                 *destination,
               GCancellable               *cancellable,
               GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (QemuQmp) qmp = NULL;
  g_autoptr (JsonObject) arguments = NULL;
  g_autoptr (JsonNode) result = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) meta = NULL;
  g_autofree char *status = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *meta_path = NULL;
  g_autofree char *meta_text = NULL;
  gboolean         ok;
  gboolean         created = FALSE;
  int              fd;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return FALSE;
  record = load_vm (self, id, error);
  if (record == NULL || !require_running (record, "snapshot", error))
    return FALSE;
  qmp = connect_qmp (record, cancellable, error);
  if (qmp == NULL || (status = query_status (qmp, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (status, "paused") != 0 && g_strcmp0 (status, "postmigrate") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "Cannot snapshot VM “%s”: it is %s; pause it first", id, status);
      return FALSE;
    }
  {
    g_autoptr (JsonNode) cpus = qemu_qmp_execute (qmp, "query-cpus-fast", NULL, error);

    if (cpus == NULL)
      return FALSE;
    /* A restore starts qemu with the spec's vCPUs; the stream must match. */
    if (JSON_NODE_HOLDS_ARRAY (cpus)
        && json_array_get_length (json_node_get_array (cpus))
               != hero_virt_vm_spec_get_vcpus (record->spec))
      {
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                     "Cannot snapshot VM “%s”: it has hot-plugged vCPUs (%u, booted with %u)", id,
                     json_array_get_length (json_node_get_array (cpus)),
                     hero_virt_vm_spec_get_vcpus (record->spec));
        return FALSE;
      }
  }
  if (!prepare_destination (destination, &created, error))
    return FALSE;

  state_path = g_build_filename (destination, SNAPSHOT_STATE, NULL);
  fd = open (state_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot create %s: %s", state_path,
                   g_strerror (errno));
      if (created)
        g_rmdir (destination);
      return FALSE;
    }
  ok = qemu_qmp_send_fd (qmp, "herovirt-snapshot", fd, error);
  close (fd);
  if (!ok)
    {
      g_unlink (state_path);
      if (created)
        g_rmdir (destination);
      return FALSE;
    }
  arguments = json_object_new ();
  json_object_set_string_member (arguments, "uri", "fd:herovirt-snapshot");
  result = qemu_qmp_execute (qmp, "migrate", arguments, error);
  if (result == NULL || !wait_for_migration (qmp, "Saving the VM state", 600000, error))
    {
      g_unlink (state_path);
      if (created)
        g_rmdir (destination);
      return FALSE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "qemu-migration");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, SNAPSHOT_STATE);
  json_builder_set_member_name (builder, "created_usec");
  json_builder_add_int_value (builder, g_get_real_time ());
  json_builder_set_member_name (builder, "spec");
  json_builder_add_value (builder, hero_virt_vm_spec_to_json_node (record->spec));
  json_builder_end_object (builder);
  meta = json_builder_get_root (builder);
  meta_text = json_to_string (meta, TRUE);
  meta_path = g_build_filename (destination, SNAPSHOT_META, NULL);
  return g_file_set_contents_full (meta_path, meta_text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error)
         || (g_prefix_error (error, "Cannot write %s: ", meta_path), FALSE);
}

/* A migration stream loads only into the same machine: same memory and
 * vCPUs. Say so before qemu says something obscure. */
static gboolean
check_snapshot_matches (VmRecord *record, const char *meta_path, GError **error)
{
  g_autoptr (HeroVirtVmSpec) saved = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize            len = 0;

  /* The metadata sits beside a state file anyone with the directory could
   * have replaced: bounded, depth-checked parsing like any untrusted JSON. */
  if (!g_file_get_contents (meta_path, &text, &len, NULL)
      || (root = hero_virt_json_parse_untrusted ((const guint8 *)text, len, 0, 1024 * 1024, NULL))
             == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "spec")
      || (saved = hero_virt_vm_spec_new_from_json_node (
              json_object_get_member (json_node_get_object (root), "spec"), NULL))
             == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT, "%s is not a qemu snapshot",
                   meta_path);
      return FALSE;
    }
  if (hero_virt_vm_spec_get_memory_mb (saved) != hero_virt_vm_spec_get_memory_mb (record->spec)
      || hero_virt_vm_spec_get_vcpus (saved) != hero_virt_vm_spec_get_vcpus (record->spec))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "Cannot restore VM “%s” (%u vCPUs, %" G_GUINT64_FORMAT
                   " MiB) from a snapshot of “%s” (%u vCPUs, %" G_GUINT64_FORMAT " MiB)",
                   record->id, hero_virt_vm_spec_get_vcpus (record->spec),
                   hero_virt_vm_spec_get_memory_mb (record->spec),
                   hero_virt_vm_spec_get_name (saved), hero_virt_vm_spec_get_vcpus (saved),
                   hero_virt_vm_spec_get_memory_mb (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
qemu_restore (HeroVirtHypervisorProvider *provider,
              HeroVirtExecutor           *executor,
              const char                 *id,
              const char                 *source,
              GCancellable               *cancellable,
              GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (VmRecordStartLock) lock = NULL;
  g_autoptr (QemuQmp) qmp = NULL;
  g_autoptr (JsonObject) arguments = NULL;
  g_autoptr (JsonNode) result = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *meta_path = NULL;
  gboolean         ok;
  int              fd;

  if (source == NULL || !g_path_is_absolute (source))
    return hero_virt_set_invalid_argument (error, "snapshot directory", source,
                                           "it must be an absolute path");
  state_path = g_build_filename (source, SNAPSHOT_STATE, NULL);
  meta_path = g_build_filename (source, SNAPSHOT_META, NULL);
  if (!g_file_test (meta_path, G_FILE_TEST_IS_REGULAR)
      || !g_file_test (state_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "%s holds no qemu snapshot (no %s and %s)", source, SNAPSHOT_META,
                   SNAPSHOT_STATE);
      return FALSE;
    }
  lock = begin_start (self, executor, id, &record, error);
  if (lock == NULL || !check_snapshot_matches (record, meta_path, error))
    return FALSE;
  fd = open (state_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot open %s: %s", state_path,
                   g_strerror (errno));
      return FALSE;
    }
  qmp = launch (self, executor, record, TRUE, cancellable, error);
  ok = qmp != NULL && qemu_qmp_send_fd (qmp, "herovirt-restore", fd, error);
  close (fd);
  if (ok)
    {
      arguments = json_object_new ();
      json_object_set_string_member (arguments, "uri", "fd:herovirt-restore");
      result = qemu_qmp_execute (qmp, "migrate-incoming", arguments, error);
      ok = result != NULL && wait_for_migration (qmp, "Restoring the VM state", 600000, error);
    }
  if (!ok && qmp != NULL)
    {
      g_autoptr (VmRecord) launched = load_vm (self, id, NULL);

      if (launched != NULL)
        {
          vm_record_signal (launched, SIGKILL);
          vm_record_wait_exit (launched, 5000, NULL);
          cleanup_after_exit (self, launched);
        }
    }
  return ok;
}

/* ---- resize ---- */

static gboolean
qemu_resize (HeroVirtHypervisorProvider *provider,
             HeroVirtExecutor           *executor,
             const char                 *id,
             guint                       vcpus,
             guint64                     memory_mb,
             GCancellable               *cancellable,
             GError                    **error)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (QemuQmp) qmp = NULL;
  g_autoptr (JsonNode) slots = NULL;
  JsonArray *array;
  guint      present = 0;
  guint      wanted;

  if (!vm_record_validate_id (id, error) || !require_local (executor, error))
    return FALSE;
  record = load_vm (self, id, error);
  if (record == NULL || !require_running (record, "resize", error))
    return FALSE;
  if (memory_mb != 0 && memory_mb != hero_virt_vm_spec_get_memory_mb (record->spec))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "The qemu provider cannot change a running VM's memory (no memory hot-plug)");
      return FALSE;
    }
  if (vcpus == 0)
    return TRUE;
  qmp = connect_qmp (record, cancellable, error);
  if (qmp == NULL)
    return FALSE;
  slots = qemu_qmp_execute (qmp, "query-hotpluggable-cpus", NULL, error);
  if (slots == NULL)
    return FALSE;
  array = json_node_get_array (slots);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_object_has_member (json_array_get_object_element (array, i), "qom-path"))
      present++;
  if (vcpus < present)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "The qemu provider cannot unplug vCPUs (VM “%s” has %u, asked for %u)", id,
                   present, vcpus);
      return FALSE;
    }
  if (vcpus > json_array_get_length (array))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "VM “%s” was started with room for %u vCPUs, not %u (qemu leaves room for "
                   "twice the boot count, none for a 1-vCPU VM)",
                   id, json_array_get_length (array), vcpus);
      return FALSE;
    }
  wanted = vcpus - present;
  /* query-hotpluggable-cpus lists the highest slots first. */
  for (guint i = json_array_get_length (array); i > 0 && wanted > 0; i--)
    {
      JsonObject *slot = json_array_get_object_element (array, i - 1);
      JsonObject *props = json_object_get_object_member (slot, "props");
      g_autoptr (JsonObject) arguments = NULL;
      g_autoptr (JsonNode) result = NULL;
      g_autofree char *device_id = NULL;
      JsonObjectIter   iter;
      const char      *name;
      JsonNode        *value;

      if (json_object_has_member (slot, "qom-path"))
        continue;
      arguments = json_object_new ();
      json_object_set_string_member (arguments, "driver",
                                     json_object_get_string_member (slot, "type"));
      device_id = g_strdup_printf ("herovirt-cpu%u", i - 1);
      json_object_set_string_member (arguments, "id", device_id);
      json_object_iter_init (&iter, props);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (arguments, name, json_node_copy (value));
      result = qemu_qmp_execute (qmp, "device_add", arguments, error);
      if (result == NULL)
        return FALSE;
      wanted--;
    }
  return TRUE;
}

/* ---- availability, GObject ---- */

static gboolean
qemu_is_available (HeroVirtHypervisorProvider *provider,
                   HeroVirtExecutor           *executor,
                   GCancellable               *cancellable,
                   GError                    **error)
{
  g_autofree char *binary = NULL;

  if (executor != NULL && !HERO_VIRT_IS_LOCAL_EXECUTOR (executor))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "the qemu provider runs VMs on this machine only, through a local executor");
      return FALSE;
    }
  binary = find_qemu (HERO_VIRT_QEMU_PROVIDER (provider));

  if (binary != NULL && g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
               "qemu-system-x86_64 is not installed (the qemu provider runs VMs on this machine "
               "only, through a local executor)");
  return FALSE;
}

static void
hero_virt_qemu_provider_iface_init (HeroVirtHypervisorProviderInterface *iface)
{
  iface->is_available = qemu_is_available;
  iface->create = qemu_create;
  iface->start = qemu_start;
  iface->stop = qemu_stop;
  iface->reboot = qemu_reboot;
  iface->pause = qemu_pause;
  iface->resume = qemu_resume;
  iface->info = qemu_info;
  iface->list = qemu_list;
  iface->delete = qemu_delete;
  iface->snapshot = qemu_snapshot;
  iface->restore = qemu_restore;
  iface->resize = qemu_resize;
}

static void
hero_virt_qemu_provider_finalize (GObject *object)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (object);

  g_free (self->record_dir);
  g_free (self->qemu_binary);
  G_OBJECT_CLASS (hero_virt_qemu_provider_parent_class)->finalize (object);
}

static void
hero_virt_qemu_provider_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_RECORD_DIR:
      g_value_set_string (value, self->record_dir);
      break;
    case PROP_QEMU_BINARY:
      g_value_set_string (value, self->qemu_binary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_qemu_provider_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HeroVirtQemuProvider *self = HERO_VIRT_QEMU_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_RECORD_DIR:
      g_free (self->record_dir);
      self->record_dir = g_value_dup_string (value);
      break;
    case PROP_QEMU_BINARY:
      g_free (self->qemu_binary);
      self->qemu_binary = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_qemu_provider_class_init (HeroVirtQemuProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_qemu_provider_finalize;
  object_class->get_property = hero_virt_qemu_provider_get_property;
  object_class->set_property = hero_virt_qemu_provider_set_property;

  /* Where VM records live; NULL: $HERO_VIRT_VM_DIR, else
   * $XDG_DATA_HOME/hero-virt/vms. */
  properties[PROP_RECORD_DIR]
      = g_param_spec_string ("record-dir", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The qemu binary; NULL: $HERO_VIRT_QEMU_BINARY, else
   * qemu-system-x86_64 in PATH. */
  properties[PROP_QEMU_BINARY]
      = g_param_spec_string ("qemu-binary", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_qemu_provider_class_finalize (HeroVirtQemuProviderClass *klass)
{
}

static void
hero_virt_qemu_provider_init (HeroVirtQemuProvider *self)
{
}

void
hero_virt_qemu_provider_register (GTypeModule *module)
{
  hero_virt_qemu_provider_register_type (module);
}
