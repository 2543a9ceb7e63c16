/* cloudhv-provider.c: the "cloudhv" hypervisor provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One `cloud-hypervisor --api-socket path=<record>/api.sock` process per
 * running VM, launched in the background (its own session, reparented
 * away from the caller, so it outlives it), then driven through the REST
 * API on that socket: vmm.ping until it answers, vm.create with the spec
 * as a VmConfig, vm.boot. Stop asks the guest (vm.power-button) and
 * waits; forced, it asks the VMM (vm.shutdown, vmm.shutdown), then sends
 * SIGTERM and SIGKILL. A VM's record (libs/vm-record) keeps the spec, the
 * process id and its start time, so info is live: a dead or reused pid is
 * never taken for a running VM.
 *
 * The binary is the provider's "binary" property, else
 * $HERO_VIRT_CLOUD_HYPERVISOR, else `cloud-hypervisor` on PATH; tests point
 * it at hero-virt-ch-sim. The API socket is local, so only the local
 * executor is supported.
 */
#define G_LOG_DOMAIN "HeroVirt-CloudHv"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cloudhv-client.h"
#include "cloudhv-config.h"
#include "cloudhv-provider.h"
#include "vm-record.h"

#define PROVIDER_NAME "cloudhv"

struct _HeroVirtCloudhvProvider
{
  GObject parent_instance;
  char   *binary;
  char   *state_dir;
};

enum
{
  PROP_0,
  PROP_BINARY,
  PROP_STATE_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void hero_virt_cloudhv_provider_iface_init (HeroVirtHypervisorProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (
    HeroVirtCloudhvProvider,
    hero_virt_cloudhv_provider,
    G_TYPE_OBJECT,
    G_TYPE_FLAG_FINAL,
    G_IMPLEMENT_INTERFACE_DYNAMIC (HERO_VIRT_TYPE_HYPERVISOR_PROVIDER,
                                   hero_virt_cloudhv_provider_iface_init))

#define SELF(p) HERO_VIRT_CLOUDHV_PROVIDER (p)

/* How long to wait for a fresh process's API, and for a forced stop. */
#define API_WAIT_MS 15000
#define KILL_WAIT_MS 3000
#define API_TIMEOUT_S 30

/* ---- the binary ---- */

static char *
resolve_binary (HeroVirtCloudhvProvider *self, GError **error)
{
  const char      *name = self->binary;
  g_autofree char *found = NULL;

  if (name == NULL || *name == '\0')
    name = g_getenv ("HERO_VIRT_CLOUD_HYPERVISOR");
  if (name == NULL || *name == '\0')
    name = "cloud-hypervisor";
  found = strchr (name, '/') ? g_strdup (name) : g_find_program_in_path (name);
  if (found == NULL || !g_file_test (found, G_FILE_TEST_IS_EXECUTABLE)
      || g_file_test (found, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "cloud-hypervisor is not installed (looked for “%s”; set "
                   "HERO_VIRT_CLOUD_HYPERVISOR or the provider's “binary” property)",
                   name);
      return NULL;
    }
  return g_steal_pointer (&found);
}

static gboolean
require_local (HeroVirtExecutor *executor, GError **error)
{
  if (executor == NULL || HERO_VIRT_IS_LOCAL_EXECUTOR (executor))
    return TRUE;
  g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                       "The cloudhv provider drives cloud-hypervisor through a local unix "
                       "socket: only the local executor is supported");
  return FALSE;
}

static gboolean
cloudhv_is_available (HeroVirtHypervisorProvider *provider,
                      HeroVirtExecutor           *executor,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autofree char *binary = NULL;
  g_autofree char *out = NULL;
  const char      *argv[] = { NULL, "-V", NULL };

  if (executor != NULL && !HERO_VIRT_IS_LOCAL_EXECUTOR (executor))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "the cloudhv provider runs VMs on this machine only, through a local executor");
      return FALSE;
    }
  binary = resolve_binary (SELF (provider), error);
  if (binary == NULL)
    return FALSE;
  /* The simulator runs anywhere; the real thing needs KVM (or MSHV). */
  argv[0] = binary;
  if (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                    NULL, NULL)
      && out != NULL && strstr (out, "hero-virt-ch-sim") != NULL)
    return TRUE;
  if (!g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS)
      && !g_file_test ("/dev/mshv", G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "%s needs /dev/kvm (or /dev/mshv), which this host lacks", binary);
      return FALSE;
    }
  return TRUE;
}

/* ---- records ---- */

static VmRecord *
load_record (HeroVirtCloudhvProvider *self, const char *id, GError **error)
{
  g_autoptr (VmRecord) record = vm_record_load (self->state_dir, id, error);

  if (record == NULL)
    return NULL;
  if (g_strcmp0 (record->provider, PROVIDER_NAME) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "VM “%s” belongs to the %s provider, not cloudhv", id,
                   record->provider ? record->provider : "(unknown)");
      return NULL;
    }
  return g_steal_pointer (&record);
}

typedef struct
{
  gint64   pid;
  gboolean started;
} ProcessUpdate;

static gboolean
set_process_cb (VmRecord *record, gpointer data, GError **error)
{
  ProcessUpdate *u = data;

  vm_record_set_process (record, u->pid);
  if (u->started)
    json_object_set_boolean_member (record->extra, "ever_started", TRUE);
  return TRUE;
}

static gboolean
record_process (HeroVirtCloudhvProvider *self, const char *id, gint64 pid, GError **error)
{
  ProcessUpdate u = { pid, pid > 0 };
  g_autoptr (VmRecord) record = vm_record_update (self->state_dir, id, set_process_cb, &u, error);

  return record != NULL;
}

static void
remove_socket (VmRecord *record)
{
  g_autofree char *lock = NULL;

  if (record->api_socket == NULL)
    return;
  lock = g_strconcat (record->api_socket, ".lock", NULL);
  g_unlink (record->api_socket);
  g_unlink (lock);
}

/* ---- processes ---- */

static gboolean
same_process_alive (gint64 pid, guint64 start_time)
{
  return pid > 0 && start_time != 0 && vm_record_process_start_time (pid) == start_time;
}

static gboolean
wait_exit (gint64 pid, guint64 start_time, guint64 timeout_ms, GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (same_process_alive (pid, start_time))
    {
      if (g_get_monotonic_time () >= deadline || g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (20000);
    }
  return TRUE;
}

/* SIGTERM, then SIGKILL; only ever the recorded process. */
static void
kill_process (gint64 pid, guint64 start_time)
{
  if (!same_process_alive (pid, start_time))
    return;
  kill ((pid_t)pid, SIGTERM);
  if (wait_exit (pid, start_time, KILL_WAIT_MS, NULL))
    return;
  kill ((pid_t)pid, SIGKILL);
  wait_exit (pid, start_time, KILL_WAIT_MS, NULL);
}

static void
child_setup (gpointer data)
{
  /* Its own session: the caller's terminal signals never reach the VM. */
  setsid ();
}

static char *
log_tail (const char *path)
{
  g_autofree char *contents = NULL;
  gsize            len = 0;
  const char      *start;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL) || len == 0)
    return g_strdup ("");
  start = len > 400 ? contents + len - 400 : contents;
  return g_strstrip (g_utf8_make_valid (start, -1));
}

/* Launches the hypervisor with only its API socket on the command line
 * (everything else goes through vm.create as JSON), detached from the
 * caller: GLib's spawn without DO_NOT_REAP forks twice, so the process is
 * not the caller's child and is never left a zombie of it. */
static gint64
spawn_hypervisor (HeroVirtCloudhvProvider *self, VmRecord *record, GError **error)
{
  g_autofree char *binary = resolve_binary (self, error);
  g_autofree char *socket_arg = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *const *extra = hero_virt_vm_spec_get_extra_args (record->spec);
  GPid               pid = 0;
  int                null_fd = -1, log_fd = -1;
  gboolean           ok;

  if (binary == NULL)
    return 0;
  if (!chv_config_check_cli_path ("API socket", record->api_socket, error))
    return 0;
  if (strlen (record->api_socket) >= sizeof (((struct sockaddr_un *)NULL)->sun_path))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The API socket path %s is too long for a unix socket; use a shorter "
                   "records directory (HERO_VIRT_VM_DIR)",
                   record->api_socket);
      return 0;
    }
  socket_arg = g_strconcat ("path=", record->api_socket, NULL);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--api-socket"));
  g_ptr_array_add (argv, g_strdup (socket_arg));
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  log_fd = open (record->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (null_fd < 0 || log_fd < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot open %s: %s",
                   record->log_path, g_strerror (errno));
      if (null_fd >= 0)
        close (null_fd);
      if (log_fd >= 0)
        close (log_fd);
      return 0;
    }
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *line = g_strjoinv (" ", (char **)argv->pdata);
      g_debug ("launching %s", line);
    }
  ok = g_spawn_async_with_fds (record->dir, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT,
                               child_setup, NULL, &pid, null_fd, log_fd, log_fd, error);
  close (null_fd);
  close (log_fd);
  if (!ok)
    {
      g_prefix_error (error, "Cannot launch %s: ", binary);
      if (error && *error && (*error)->domain != HERO_VIRT_ERROR)
        {
          GError *e = *error;
          *error = g_error_new (HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE, "%s", e->message);
          g_error_free (e);
        }
      return 0;
    }
  return (gint64)pid;
}

/* Polls vmm.ping until the API answers; fails early when the process
 * dies, with the end of its log as the reason. */
static gboolean
wait_for_api (VmRecord *record, GCancellable *cancellable, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)API_WAIT_MS * 1000;

  for (;;)
    {
      g_autoptr (ChvClient) client = chv_client_new (record->api_socket, 2);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonNode) pong = NULL;

      if (g_file_test (record->api_socket, G_FILE_TEST_EXISTS)
          && chv_client_call (client, "GET", "vmm.ping", NULL, &pong, NULL, cancellable,
                              &local_error))
        return TRUE;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!vm_record_is_running (record))
        {
          g_autofree char *tail = log_tail (record->log_path);
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                       "cloud-hypervisor exited before its API answered%s%s", *tail ? ": " : "",
                       tail);
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "cloud-hypervisor's API at %s did not answer within %d s",
                       record->api_socket, API_WAIT_MS / 1000);
          return FALSE;
        }
      g_usleep (20000);
    }
}

/* ---- API helpers ---- */

static gboolean
api_call (VmRecord     *record,
          const char   *method,
          const char   *endpoint,
          JsonNode     *body,
          JsonNode    **response,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr (ChvClient) client = chv_client_new (record->api_socket, API_TIMEOUT_S);

  return chv_client_call (client, method, endpoint, body, response, NULL, cancellable, error);
}

/* "Running", "Paused", "Created", …, or NULL when the API cannot tell. */
static char *
api_state (VmRecord *record, JsonNode **info_out, GCancellable *cancellable)
{
  g_autoptr (JsonNode) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChvClient) client = chv_client_new (record->api_socket, 5);
  guint status = 0;
  char *state = NULL;

  if (!chv_client_call (client, "GET", "vm.info", NULL, &info, &status, cancellable, &error))
    {
      /* a VMM without a VM: 404 (v53+) or 500 (older) "VM is not created" */
      if (status != 0 && error && strstr (error->message, "VM is not created"))
        return g_strdup ("NotCreated");
      return NULL;
    }
  if (info && JSON_NODE_HOLDS_OBJECT (info))
    state = g_strdup (
        json_object_get_string_member_with_default (json_node_get_object (info), "state", NULL));
  if (info_out)
    *info_out = g_steal_pointer (&info);
  return state;
}

static gboolean
not_running_error (const char *id, const char *doing, GError **error)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "Cannot %s VM “%s”: it is stopped",
               doing, id);
  return FALSE;
}

/* Loads the record of a running VM, or fails naming the state. */
static VmRecord *
load_running (HeroVirtCloudhvProvider *self,
              HeroVirtExecutor        *executor,
              const char              *id,
              const char              *doing,
              GError                 **error)
{
  g_autoptr (VmRecord) record = NULL;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return NULL;
  record = load_record (self, id, error);
  if (record == NULL)
    return NULL;
  if (!vm_record_is_running (record))
    {
      not_running_error (id, doing, error);
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* ---- create ---- */

typedef struct
{
  const char *api_socket;
  const char *console_path;
  const char *log_path;
} PathsUpdate;

static gboolean
set_paths_cb (VmRecord *record, gpointer data, GError **error)
{
  PathsUpdate *u = data;

  g_free (record->api_socket);
  record->api_socket = g_strdup (u->api_socket);
  g_free (record->console_path);
  record->console_path = g_strdup (u->console_path);
  g_free (record->log_path);
  record->log_path = g_strdup (u->log_path);
  return TRUE;
}

static char *
cloudhv_create (HeroVirtHypervisorProvider *provider,
                HeroVirtExecutor           *executor,
                HeroVirtVmSpec             *spec,
                GCancellable               *cancellable,
                GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  const char              *id;
  g_autofree char         *dir = NULL;
  g_autofree char         *api_socket = NULL;
  g_autofree char         *console = NULL;
  g_autofree char         *log = NULL;
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (VmRecord) updated = NULL;
  PathsUpdate paths;

  /* Everything is checked before the record exists: a refused spec
   * leaves nothing behind. */
  if (!require_local (executor, error) || !hero_virt_vm_spec_validate (spec, error)
      || !chv_config_check (spec, error) || !chv_config_check_files (spec, error))
    return NULL;
  id = hero_virt_vm_spec_get_name (spec);
  if (!vm_record_validate_id (id, error))
    return NULL;
  dir = vm_record_dir_for (self->state_dir, id);
  api_socket = g_build_filename (dir, "api.sock", NULL);
  if (!chv_config_check_cli_path ("VM directory", dir, error))
    return NULL;
  if (strlen (api_socket) >= sizeof (((struct sockaddr_un *)NULL)->sun_path))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The API socket path %s would be too long for a unix socket; use a "
                   "shorter records directory (HERO_VIRT_VM_DIR)",
                   api_socket);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  switch (hero_virt_vm_spec_get_serial_mode (spec))
    {
    case HERO_VIRT_VM_SERIAL_MODE_DEFAULT:
      console = g_build_filename (dir, "serial.log", NULL);
      break;
    case HERO_VIRT_VM_SERIAL_MODE_FILE:
    case HERO_VIRT_VM_SERIAL_MODE_SOCKET:
      console = g_strdup (hero_virt_vm_spec_get_serial_path (spec));
      break;
    default:
      break;
    }
  log = g_build_filename (dir, "hypervisor.log", NULL);

  record = vm_record_create (self->state_dir, spec, PROVIDER_NAME, error);
  if (record == NULL)
    return NULL;
  paths = (PathsUpdate){ api_socket, console, log };
  updated = vm_record_update (self->state_dir, id, set_paths_cb, &paths, error);
  if (updated == NULL || g_cancellable_is_cancelled (cancellable))
    {
      vm_record_delete (self->state_dir, id, NULL);
      if (updated != NULL)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  return g_strdup (id);
}

/* ---- start / restore ---- */

/* Launches the process and waits for its API; on failure it is killed and
 * the record says stopped. */
static VmRecord *
launch (HeroVirtCloudhvProvider *self,
        const char              *id,
        const char              *doing,
        VmRecordStartLock      **lock_out,
        GCancellable            *cancellable,
        GError                 **error)
{
  g_autoptr (VmRecordStartLock) lock = NULL;
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (VmRecord) updated = NULL;
  ProcessUpdate u;
  gint64        pid;

  lock = vm_record_start_lock_acquire (self->state_dir, id, error);
  if (lock == NULL)
    return NULL;
  record = load_record (self, id, error);
  if (record == NULL)
    return NULL;
  if (vm_record_is_running (record))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS,
                   "Cannot %s VM “%s”: it is already running (pid %" G_GINT64_FORMAT ")", doing, id,
                   record->pid);
      return NULL;
    }
  if (!chv_config_check_files (record->spec, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  /* older cloud-hypervisor refuses to bind over a stale socket */
  remove_socket (record);
  pid = spawn_hypervisor (self, record, error);
  if (pid == 0)
    return NULL;
  u = (ProcessUpdate){ pid, TRUE };
  updated = vm_record_update (self->state_dir, id, set_process_cb, &u, error);
  if (updated == NULL)
    {
      kill_process (pid, vm_record_process_start_time (pid));
      return NULL;
    }
  if (!wait_for_api (updated, cancellable, error))
    {
      kill_process (updated->pid, updated->start_time);
      remove_socket (updated);
      record_process (self, id, 0, NULL);
      return NULL;
    }
  *lock_out = g_steal_pointer (&lock);
  return g_steal_pointer (&updated);
}

static void
abandon (HeroVirtCloudhvProvider *self, VmRecord *record)
{
  kill_process (record->pid, record->start_time);
  remove_socket (record);
  record_process (self, record->id, 0, NULL);
}

static gboolean
cloudhv_start (HeroVirtHypervisorProvider *provider,
               HeroVirtExecutor           *executor,
               const char                 *id,
               GCancellable               *cancellable,
               GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  g_autoptr (VmRecordStartLock) lock = NULL;
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (JsonNode) config = NULL;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return FALSE;
  record = launch (self, id, "start", &lock, cancellable, error);
  if (record == NULL)
    return FALSE;
  config = chv_config_build (record->spec, record->console_path);
  if (!api_call (record, "PUT", "vm.create", config, NULL, cancellable, error)
      || !api_call (record, "PUT", "vm.boot", NULL, NULL, cancellable, error))
    {
      g_prefix_error (error, "Cannot start VM “%s”: ", id);
      abandon (self, record);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cloudhv_restore (HeroVirtHypervisorProvider *provider,
                 HeroVirtExecutor           *executor,
                 const char                 *id,
                 const char                 *source,
                 GCancellable               *cancellable,
                 GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  g_autoptr (VmRecordStartLock) lock = NULL;
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *config = NULL;
  g_autofree char *url = NULL;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return FALSE;
  if (source == NULL || !g_path_is_absolute (source))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The snapshot directory must be an absolute path");
      return FALSE;
    }
  config = g_build_filename (source, "config.json", NULL);
  if (!g_file_test (config, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
                   "%s is not a cloud-hypervisor snapshot (no config.json)", source);
      return FALSE;
    }
  record = launch (self, id, "restore", &lock, cancellable, error);
  if (record == NULL)
    return FALSE;
  /* prefault off and no "resume": accepted by every version; the
   * restored VM stays paused. */
  url = g_strconcat ("file://", source, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source_url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "prefault");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  if (!api_call (record, "PUT", "vm.restore", body, NULL, cancellable, error))
    {
      g_prefix_error (error, "Cannot restore VM “%s”: ", id);
      abandon (self, record);
      return FALSE;
    }
  return TRUE;
}

/* ---- stop ---- */

static gboolean
cloudhv_stop (HeroVirtHypervisorProvider *provider,
              HeroVirtExecutor           *executor,
              const char                 *id,
              gboolean                    force,
              guint                       timeout_seconds,
              GCancellable               *cancellable,
              GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  g_autoptr (VmRecord) record = NULL;
  g_autofree char *state = NULL;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return FALSE;
  record = load_record (self, id, error);
  if (record == NULL)
    return FALSE;
  if (!vm_record_is_running (record))
    goto cleanup;
  if (!force || timeout_seconds > 0)
    {
      g_autoptr (GError) local_error = NULL;

      state = api_state (record, NULL, cancellable);
      /* a paused guest cannot act on the button */
      if (g_strcmp0 (state, "Paused") == 0)
        api_call (record, "PUT", "vm.resume", NULL, NULL, cancellable, NULL);
      if (g_strcmp0 (state, "Running") == 0 || g_strcmp0 (state, "Paused") == 0)
        api_call (record, "PUT", "vm.power-button", NULL, NULL, cancellable, &local_error);
      else
        /* booted nothing: nobody to ask, let the VMM go */
        api_call (record, "PUT", "vmm.shutdown", NULL, NULL, cancellable, &local_error);
      if (local_error != NULL)
        g_debug ("asking %s to stop: %s", id, local_error->message);
      if (!wait_exit (record->pid, record->start_time, (guint64)timeout_seconds * 1000,
                      cancellable))
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (!force)
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                           "VM “%s” did not power off within %u s; it keeps running (stop it "
                           "with force to kill it)",
                           id, timeout_seconds);
              return FALSE;
            }
        }
    }
  if (force && timeout_seconds == 0)
    kill_process (record->pid, record->start_time);
  else if (vm_record_is_running (record))
    {
      /* forced: the VMM stops the VM and exits, else signals */
      api_call (record, "PUT", "vm.shutdown", NULL, NULL, cancellable, NULL);
      api_call (record, "PUT", "vmm.shutdown", NULL, NULL, cancellable, NULL);
      if (!wait_exit (record->pid, record->start_time, KILL_WAIT_MS, NULL))
        kill_process (record->pid, record->start_time);
    }

cleanup:
  remove_socket (record);
  if (record->pid != 0)
    return record_process (self, id, 0, error);
  return TRUE;
}

/* ---- simple actions ---- */

static gboolean
simple_action (HeroVirtCloudhvProvider *self,
               HeroVirtExecutor        *executor,
               const char              *id,
               const char              *doing,
               const char              *endpoint,
               const char              *done_state,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_autoptr (VmRecord) record = load_running (self, executor, id, doing, error);
  g_autofree char *state = NULL;

  if (record == NULL)
    return FALSE;
  if (done_state != NULL)
    {
      state = api_state (record, NULL, cancellable);
      if (g_strcmp0 (state, done_state) == 0)
        return TRUE; /* pausing a paused VM, resuming a running one */
    }
  if (!api_call (record, "PUT", endpoint, NULL, NULL, cancellable, error))
    {
      g_prefix_error (error, "Cannot %s VM “%s”: ", doing, id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cloudhv_reboot (HeroVirtHypervisorProvider *provider,
                HeroVirtExecutor           *executor,
                const char                 *id,
                GCancellable               *cancellable,
                GError                    **error)
{
  return simple_action (SELF (provider), executor, id, "reboot", "vm.reboot", NULL, cancellable,
                        error);
}

static gboolean
cloudhv_pause (HeroVirtHypervisorProvider *provider,
               HeroVirtExecutor           *executor,
               const char                 *id,
               GCancellable               *cancellable,
               GError                    **error)
{
  return simple_action (SELF (provider), executor, id, "pause", "vm.pause", "Paused", cancellable,
                        error);
}

static gboolean
cloudhv_resume (HeroVirtHypervisorProvider *provider,
                HeroVirtExecutor           *executor,
                const char                 *id,
                GCancellable               *cancellable,
                GError                    **error)
{
  return simple_action (SELF (provider), executor, id, "resume", "vm.resume", "Running",
                        cancellable, error);
}

static gboolean
cloudhv_snapshot (HeroVirtHypervisorProvider *provider,
                  HeroVirtExecutor           *executor,
                  const char                 *id,
                  const char                 *destination,
                  GCancellable               *cancellable,
                  GError                    **error)
{
  g_autoptr (VmRecord) record = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *state = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GDir) dir = NULL;

  if (destination == NULL || !g_path_is_absolute (destination))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The snapshot directory must be an absolute path");
      return FALSE;
    }
  record = load_running (SELF (provider), executor, id, "snapshot", error);
  if (record == NULL)
    return FALSE;
  state = api_state (record, NULL, cancellable);
  if (g_strcmp0 (state, "Paused") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "Cannot snapshot VM “%s”: it must be paused (it is %s)", id,
                   state ? state : "in an unknown state");
      return FALSE;
    }
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      dir = g_dir_open (destination, 0, NULL);
      if (dir == NULL || g_dir_read_name (dir) != NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS,
                       "The snapshot directory %s exists and is not empty", destination);
          return FALSE;
        }
    }
  else if (g_mkdir_with_parents (destination, 0700) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot create %s: %s", destination,
                   g_strerror (errno));
      return FALSE;
    }
  url = g_strconcat ("file://", destination, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "destination_url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  if (!api_call (record, "PUT", "vm.snapshot", body, NULL, cancellable, error))
    {
      g_prefix_error (error, "Cannot snapshot VM “%s”: ", id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cloudhv_resize (HeroVirtHypervisorProvider *provider,
                HeroVirtExecutor           *executor,
                const char                 *id,
                guint                       vcpus,
                guint64                     memory_mb,
                GCancellable               *cancellable,
                GError                    **error)
{
  g_autoptr (VmRecord) record = load_running (SELF (provider), executor, id, "resize", error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  if (record == NULL)
    return FALSE;
  if (vcpus == 0 && memory_mb == 0)
    return TRUE;
  if (memory_mb > G_MAXINT64 >> 20)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Absurd memory size %" G_GUINT64_FORMAT " MiB", memory_mb);
      return FALSE;
    }
  json_builder_begin_object (b);
  if (vcpus > 0)
    {
      json_builder_set_member_name (b, "desired_vcpus");
      json_builder_add_int_value (b, vcpus);
    }
  if (memory_mb > 0)
    {
      json_builder_set_member_name (b, "desired_ram");
      json_builder_add_int_value (b, (gint64)(memory_mb << 20));
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  if (!api_call (record, "PUT", "vm.resize", body, NULL, cancellable, error))
    {
      g_prefix_error (error, "Cannot resize VM “%s”: ", id);
      return FALSE;
    }
  return TRUE;
}

/* ---- info / list / delete ---- */

static HeroVirtVmState
map_state (const char *state)
{
  if (g_strcmp0 (state, "Running") == 0)
    return HERO_VIRT_VM_STATE_RUNNING;
  if (g_strcmp0 (state, "Paused") == 0)
    return HERO_VIRT_VM_STATE_PAUSED;
  if (g_strcmp0 (state, "Created") == 0 || g_strcmp0 (state, "NotCreated") == 0)
    return HERO_VIRT_VM_STATE_CREATED;
  if (g_strcmp0 (state, "Shutdown") == 0)
    return HERO_VIRT_VM_STATE_STOPPED;
  return HERO_VIRT_VM_STATE_UNKNOWN;
}

/* The record merged with the live vm.info answer (and counters). */
static HeroVirtVmInfo *
info_for_record (VmRecord *record, GCancellable *cancellable)
{
  HeroVirtVmInfo *info;
  gboolean        running = vm_record_is_running (record);
  gboolean        ever
      = json_object_get_boolean_member_with_default (record->extra, "ever_started", FALSE);
  HeroVirtVmState state = ever ? HERO_VIRT_VM_STATE_STOPPED : HERO_VIRT_VM_STATE_CREATED;
  g_autoptr (JsonNode) details = NULL;

  if (running)
    {
      g_autofree char *live = api_state (record, &details, cancellable);
      state = live ? map_state (live) : HERO_VIRT_VM_STATE_UNKNOWN;
      if (details != NULL && JSON_NODE_HOLDS_OBJECT (details)
          && (state == HERO_VIRT_VM_STATE_RUNNING || state == HERO_VIRT_VM_STATE_PAUSED))
        {
          g_autoptr (JsonNode) counters = NULL;
          if (api_call (record, "GET", "vm.counters", NULL, &counters, cancellable, NULL)
              && counters != NULL)
            json_object_set_member (json_node_get_object (details), "counters",
                                    g_steal_pointer (&counters));
        }
    }
  info = hero_virt_vm_info_new (record->id, state);
  hero_virt_vm_info_set_pid (info, running ? record->pid : 0);
  hero_virt_vm_info_set_spec (info, record->spec);
  hero_virt_vm_info_set_directory (info, record->dir);
  hero_virt_vm_info_set_console_path (info, record->console_path);
  hero_virt_vm_info_set_log_path (info, record->log_path);
  hero_virt_vm_info_set_api_socket (info, running ? record->api_socket : NULL);
  if (details != NULL)
    hero_virt_vm_info_set_details (info, details);
  return info;
}

static HeroVirtVmInfo *
cloudhv_info (HeroVirtHypervisorProvider *provider,
              HeroVirtExecutor           *executor,
              const char                 *id,
              GCancellable               *cancellable,
              GError                    **error)
{
  g_autoptr (VmRecord) record = NULL;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return NULL;
  record = load_record (SELF (provider), id, error);
  if (record == NULL)
    return NULL;
  return info_for_record (record, cancellable);
}

static GPtrArray *
cloudhv_list (HeroVirtHypervisorProvider *provider,
              HeroVirtExecutor           *executor,
              GCancellable               *cancellable,
              GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) infos = g_ptr_array_new_with_free_func (g_object_unref);

  if (!require_local (executor, error))
    return NULL;
  ids = vm_record_list_ids (self->state_dir, error);
  if (ids == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (VmRecord) record = vm_record_load (self->state_dir, ids->pdata[i], &local_error);

      if (record == NULL)
        {
          if (!g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
            g_ptr_array_add (infos,
                             hero_virt_vm_info_new (ids->pdata[i], HERO_VIRT_VM_STATE_UNKNOWN));
          continue;
        }
      if (g_strcmp0 (record->provider, PROVIDER_NAME) != 0)
        continue; /* the qemu plugin's */
      g_ptr_array_add (infos, info_for_record (record, cancellable));
    }
  return g_steal_pointer (&infos);
}

static gboolean
cloudhv_delete (HeroVirtHypervisorProvider *provider,
                HeroVirtExecutor           *executor,
                const char                 *id,
                gboolean                    delete_disks,
                GCancellable               *cancellable,
                GError                    **error)
{
  HeroVirtCloudhvProvider *self = SELF (provider);
  g_autoptr (VmRecord) record = NULL;
  GPtrArray *disks;

  if (!require_local (executor, error) || !vm_record_validate_id (id, error))
    return FALSE;
  record = load_record (self, id, error);
  if (record == NULL)
    return FALSE;
  if (!cloudhv_stop (provider, executor, id, TRUE, 3, cancellable, error))
    return FALSE;
  disks = hero_virt_vm_spec_get_disks (record->spec);
  for (guint i = 0; delete_disks && disks && i < disks->len; i++)
    {
      const char *path = hero_virt_vm_disk_get_path (disks->pdata[i]);
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot delete disk %s: %s",
                       path, g_strerror (errno));
          return FALSE;
        }
    }
  return vm_record_delete (self->state_dir, id, error);
}

/* ---- GObject ---- */

static void
hero_virt_cloudhv_provider_iface_init (HeroVirtHypervisorProviderInterface *iface)
{
  iface->is_available = cloudhv_is_available;
  iface->create = cloudhv_create;
  iface->start = cloudhv_start;
  iface->stop = cloudhv_stop;
  iface->reboot = cloudhv_reboot;
  iface->pause = cloudhv_pause;
  iface->resume = cloudhv_resume;
  iface->info = cloudhv_info;
  iface->list = cloudhv_list;
  iface->delete = cloudhv_delete;
  iface->snapshot = cloudhv_snapshot;
  iface->restore = cloudhv_restore;
  iface->resize = cloudhv_resize;
}

static void
hero_virt_cloudhv_provider_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  HeroVirtCloudhvProvider *self = SELF (object);

  switch (prop_id)
    {
    case PROP_BINARY:
      g_value_set_string (value, self->binary);
      break;
    case PROP_STATE_DIR:
      g_value_set_string (value, self->state_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_cloudhv_provider_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  HeroVirtCloudhvProvider *self = SELF (object);
  char                   **field;

  switch (prop_id)
    {
    case PROP_BINARY:
      field = &self->binary;
      break;
    case PROP_STATE_DIR:
      field = &self->state_dir;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
    return;
  g_free (*field);
  *field = g_value_dup_string (value);
  g_object_notify_by_pspec (object, pspec);
}

static void
hero_virt_cloudhv_provider_finalize (GObject *object)
{
  HeroVirtCloudhvProvider *self = SELF (object);

  g_free (self->binary);
  g_free (self->state_dir);
  G_OBJECT_CLASS (hero_virt_cloudhv_provider_parent_class)->finalize (object);
}

static void
hero_virt_cloudhv_provider_class_init (HeroVirtCloudhvProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hero_virt_cloudhv_provider_get_property;
  object_class->set_property = hero_virt_cloudhv_provider_set_property;
  object_class->finalize = hero_virt_cloudhv_provider_finalize;

  /* The cloud-hypervisor binary: a path or a name on PATH. Unset:
   * $HERO_VIRT_CLOUD_HYPERVISOR, else "cloud-hypervisor". */
  properties[PROP_BINARY]
      = g_param_spec_string ("binary", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Where VM records live. Unset: $HERO_VIRT_VM_DIR, else
   * $XDG_DATA_HOME/hero-virt/vms. */
  properties[PROP_STATE_DIR]
      = g_param_spec_string ("state-dir", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_cloudhv_provider_class_finalize (HeroVirtCloudhvProviderClass *klass)
{
}

static void
hero_virt_cloudhv_provider_init (HeroVirtCloudhvProvider *self)
{
}

void
hero_virt_cloudhv_provider_register (GTypeModule *module)
{
  hero_virt_cloudhv_provider_register_type (module);
}
