/* ch-sim.h: hero-virt-ch-sim, a cloud-hypervisor stand-in for tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The simulator is three parts: the command line (ch-sim-cli.c) turns
 * cloud-hypervisor's argv into options and, when --kernel is given, a VM
 * config; the VM (ch-sim-vm.c) is the VMM's state machine with the real
 * error chains; the API (ch-sim-api.c) is the HTTP layer on the unix
 * socket with micro_http's and the endpoints' quirks.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Which release's HTTP status codes and call semantics to copy. */
typedef enum
{
  CH_SIM_API_48 = 48, /* v48 … v52: every VMM error is a 500 */
  CH_SIM_API_53 = 53, /* v53 and later: 404 / 409 / 400 for some */
} ChSimApiVersion;

typedef enum
{
  CH_SIM_GUEST_PLAIN, /* a fake console line in the serial file */
  CH_SIM_GUEST_QEMU,  /* a real guest under qemu-system-x86_64 (TCG) */
} ChSimGuestMode;

typedef struct
{
  char           *api_socket_path; /* --api-socket path=… or a bare path */
  int             api_socket_fd;   /* --api-socket fd=N, else -1 */
  ChSimApiVersion api_version;
  ChSimGuestMode  guest_mode;
  gsize           max_body;
  gboolean        no_shutdown;
  char           *log_file;
  int             verbosity;
  JsonObject     *cli_config;  /* a VmConfig from --kernel & co., or NULL */
  JsonObject     *cli_restore; /* a RestoreConfig from --restore, or NULL */
  char          **argv;        /* every argument as given, for --sim-record */
  char           *record_path; /* --sim-record FILE: write the parsed config */
} ChSimOptions;

/* Parses argv as cloud-hypervisor does. On a usage error prints the message
 * and returns FALSE with *exit_code set (2 for clap errors, 1 for config
 * parse errors); on --version / --help prints and returns FALSE with 0. */
gboolean ch_sim_options_parse (ChSimOptions *options, int argc, char **argv, int *exit_code);
void     ch_sim_options_clear (ChSimOptions *options);

/* One of cloud-hypervisor's `key=value,key=value` option strings, split as
 * its option_parser does (quotes and brackets protect commas). Unknown
 * keys are an error naming the key. */
GHashTable *ch_sim_parse_option_string (const char        *flag,
                                        const char        *value,
                                        const char *const *known_keys,
                                        GError           **error);

/* ---- errors ---- */

typedef enum
{
  CH_SIM_ERROR_BAD_REQUEST,    /* HttpError::BadRequest */
  CH_SIM_ERROR_DESERIALIZE,    /* HttpError::SerdeJsonDeserialize */
  CH_SIM_ERROR_TOO_MANY,       /* HttpError::TooManyRequests */
  CH_SIM_ERROR_NOT_CREATED,    /* VmError::VmNotCreated / VmMissingConfig */
  CH_SIM_ERROR_UNKNOWN_DEVICE, /* NoDeviceToRemove / UnknownDeviceId */
  CH_SIM_ERROR_CONFLICT,       /* IdentifierNotUnique / DuplicateDevicePath */
  CH_SIM_ERROR_INVALID_CONFIG, /* other ConfigValidation errors */
  CH_SIM_ERROR_OTHER,          /* everything else the VMM raises */
} ChSimErrorKind;

typedef struct
{
  ChSimErrorKind kind;
  GPtrArray     *chain; /* outermost first, root cause last */
} ChSimError;

ChSimError *ch_sim_error_new (ChSimErrorKind kind, const char *first, ...) G_GNUC_NULL_TERMINATED;
void        ch_sim_error_free (ChSimError *error);
guint       ch_sim_error_status (const ChSimError *error, ChSimApiVersion version);
char       *ch_sim_error_to_json (const ChSimError *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChSimError, ch_sim_error_free)

/* ---- the VMM ---- */

typedef struct _ChSimVmm ChSimVmm;

typedef enum
{
  CH_SIM_EXIT_NONE,
  CH_SIM_EXIT_VMM_SHUTDOWN, /* vmm.shutdown: exit 0 once answered */
  CH_SIM_EXIT_GUEST_POWEROFF,
} ChSimExitReason;

typedef void (*ChSimExitFunc) (ChSimExitReason reason, gpointer user_data);

ChSimVmm *ch_sim_vmm_new (const ChSimOptions *options, ChSimExitFunc on_exit, gpointer user_data);
void      ch_sim_vmm_free (ChSimVmm *vmm);
ChSimApiVersion ch_sim_vmm_get_api_version (ChSimVmm *vmm);

/* Each call returns NULL on success, with the response body (200) in
 * *body or NULL (204); or the error. */
ChSimError *ch_sim_vmm_ping (ChSimVmm *vmm, char **body);
ChSimError *ch_sim_vmm_shutdown (ChSimVmm *vmm);
ChSimError *ch_sim_vm_create (ChSimVmm *vmm, JsonObject *config);
ChSimError *ch_sim_vm_boot (ChSimVmm *vmm);
ChSimError *ch_sim_vm_shutdown (ChSimVmm *vmm);
ChSimError *ch_sim_vm_reboot (ChSimVmm *vmm);
ChSimError *ch_sim_vm_pause (ChSimVmm *vmm);
ChSimError *ch_sim_vm_resume (ChSimVmm *vmm);
ChSimError *ch_sim_vm_power_button (ChSimVmm *vmm);
ChSimError *ch_sim_vm_nmi (ChSimVmm *vmm);
ChSimError *ch_sim_vm_delete (ChSimVmm *vmm);
ChSimError *ch_sim_vm_info (ChSimVmm *vmm, char **body);
ChSimError *ch_sim_vm_counters (ChSimVmm *vmm, char **body);
ChSimError *ch_sim_vm_resize (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_resize_disk (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_resize_zone (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_snapshot (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_restore (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_add_device (ChSimVmm *vmm, const char *kind, JsonObject *device, char **body);
ChSimError *ch_sim_vm_remove_device (ChSimVmm *vmm, JsonObject *request);
ChSimError *ch_sim_vm_migration (ChSimVmm *vmm, const char *which);

/* ---- the API server ---- */

typedef struct _ChSimApi ChSimApi;

ChSimApi *ch_sim_api_new (ChSimVmm *vmm, const ChSimOptions *options, GError **error);
/* A clean exit removes the socket; a failed start leaves it, as
 * cloud-hypervisor does. */
void ch_sim_api_free (ChSimApi *api, gboolean remove_socket);
/* Called when the last response before an exit has been written. */
void ch_sim_api_set_exit_callback (ChSimApi *api, GSourceFunc func, gpointer data);

/* Logs a line to --log-file (or stderr with -v). */
void ch_sim_log (const char *format, ...) G_GNUC_PRINTF (1, 2);
void ch_sim_log_open (const ChSimOptions *options);

G_END_DECLS
