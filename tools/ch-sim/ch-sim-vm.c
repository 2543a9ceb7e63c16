/* ch-sim-vm.c: the VMM's state machine and its error chains
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Follows cloud-hypervisor's vmm/src/lib.rs and vm.rs: a stored config
 * (vm.create) and, once booted, a VM object whose state is Running or
 * Paused. vm.shutdown drops the VM object and keeps the config, so vm.info
 * says "Created" again. Error texts are the Display strings of the real
 * error types, outermost first.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "ch-sim.h"

typedef enum
{
  VM_RUNNING,
  VM_PAUSED,
} VmState;

struct _ChSimVmm
{
  ChSimApiVersion version;
  ChSimGuestMode  guest_mode;
  gboolean        no_shutdown;
  JsonObject     *config; /* NULL: nothing created */
  gboolean        booted; /* a VM object exists */
  VmState         state;
  guint           device_counter;
  guint           pci_slot;
  gint64          boot_time;
  guint64         current_ram;
  gboolean        poweroff_pending; /* power button pressed while paused */
  guint           poweroff_source;
  ChSimExitFunc   on_exit;
  gpointer        on_exit_data;
  /* --sim-guest qemu */
  GPid  qemu_pid;
  guint qemu_watch;
  char *qemu_dir;
  char *qemu_monitor;
};

/* ---- errors ---- */

ChSimError *
ch_sim_error_new (ChSimErrorKind kind, const char *first, ...)
{
  ChSimError *error = g_new0 (ChSimError, 1);
  va_list     ap;

  error->kind = kind;
  error->chain = g_ptr_array_new_with_free_func (g_free);
  va_start (ap, first);
  for (const char *s = first; s != NULL; s = va_arg (ap, const char *))
    g_ptr_array_add (error->chain, g_strdup (s));
  va_end (ap);
  return error;
}

void
ch_sim_error_free (ChSimError *error)
{
  if (error == NULL)
    return;
  g_ptr_array_unref (error->chain);
  g_free (error);
}

guint
ch_sim_error_status (const ChSimError *error, ChSimApiVersion version)
{
  switch (error->kind)
    {
    case CH_SIM_ERROR_BAD_REQUEST:
    case CH_SIM_ERROR_DESERIALIZE:
      return 400;
    case CH_SIM_ERROR_TOO_MANY:
      return 429;
    default:
      break;
    }
  if (version == CH_SIM_API_48)
    return 500;
  switch (error->kind)
    {
    case CH_SIM_ERROR_NOT_CREATED:
    case CH_SIM_ERROR_UNKNOWN_DEVICE:
      return 404;
    case CH_SIM_ERROR_CONFLICT:
      return 409;
    case CH_SIM_ERROR_INVALID_CONFIG:
      return 400;
    default:
      return 500;
    }
}

char *
ch_sim_error_to_json (const ChSimError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < error->chain->len; i++)
    json_builder_add_string_value (b, error->chain->pdata[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* An API error: "Error from API", the action's message, then the cause. */
static ChSimError *
api_error (ChSimErrorKind kind, const char *action, const char *cause, ...) G_GNUC_NULL_TERMINATED;

static ChSimError *
api_error (ChSimErrorKind kind, const char *action, const char *cause, ...)
{
  ChSimError *error = ch_sim_error_new (kind, "Error from API", action, NULL);
  va_list     ap;

  va_start (ap, cause);
  for (const char *s = cause; s != NULL; s = va_arg (ap, const char *))
    g_ptr_array_add (error->chain, g_strdup (s));
  va_end (ap);
  return error;
}

/* Replaces the action message (the chain's second entry). */
static void
set_action (ChSimError *error, const char *action)
{
  g_free (g_ptr_array_index (error->chain, 1));
  g_ptr_array_index (error->chain, 1) = g_strdup (action);
}

static const char *
state_name (VmState state)
{
  return state == VM_RUNNING ? "Running" : "Paused";
}

/* ---- config ---- */

static void
set_default_int (JsonObject *o, const char *member, gint64 value)
{
  if (!json_object_has_member (o, member))
    json_object_set_int_member (o, member, value);
}

static void
set_default_bool (JsonObject *o, const char *member, gboolean value)
{
  if (!json_object_has_member (o, member))
    json_object_set_boolean_member (o, member, value);
}

static void
set_default_null (JsonObject *o, const char *member)
{
  if (!json_object_has_member (o, member))
    json_object_set_null_member (o, member);
}

static JsonObject *
ensure_object (JsonObject *o, const char *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *child = json_object_new ();
      json_object_set_object_member (o, member, child);
      return child;
    }
  return json_node_get_object (node);
}

static void
console_defaults (JsonObject *config, const char *member, const char *mode)
{
  JsonObject *c = ensure_object (config, member);

  if (!json_object_has_member (c, "mode"))
    json_object_set_string_member (c, "mode", mode);
  set_default_null (c, "file");
  set_default_null (c, "socket");
  set_default_bool (c, "iommu", FALSE);
}

static void
disk_defaults (JsonObject *disk)
{
  set_default_bool (disk, "readonly", FALSE);
  set_default_bool (disk, "direct", FALSE);
  set_default_bool (disk, "iommu", FALSE);
  set_default_int (disk, "num_queues", 1);
  set_default_int (disk, "queue_size", 128);
  set_default_bool (disk, "vhost_user", FALSE);
  set_default_null (disk, "vhost_socket");
  set_default_null (disk, "rate_limit_group");
  set_default_null (disk, "rate_limiter_config");
  set_default_null (disk, "id");
  set_default_bool (disk, "disable_io_uring", FALSE);
  set_default_bool (disk, "disable_aio", FALSE);
  set_default_int (disk, "pci_segment", 0);
  set_default_null (disk, "serial");
  set_default_null (disk, "queue_affinity");
  set_default_bool (disk, "backing_files", FALSE);
  set_default_bool (disk, "sparse", TRUE);
}

static void
net_defaults (JsonObject *net)
{
  set_default_null (net, "tap");
  if (!json_object_has_member (net, "ip"))
    json_object_set_string_member (net, "ip", "192.168.249.1");
  if (!json_object_has_member (net, "mask"))
    json_object_set_string_member (net, "mask", "255.255.255.0");
  set_default_null (net, "mac");
  set_default_null (net, "host_mac");
  set_default_null (net, "mtu");
  set_default_bool (net, "iommu", FALSE);
  set_default_int (net, "num_queues", 2);
  set_default_int (net, "queue_size", 256);
  set_default_bool (net, "vhost_user", FALSE);
  set_default_null (net, "vhost_socket");
  if (!json_object_has_member (net, "vhost_mode"))
    json_object_set_string_member (net, "vhost_mode", "Client");
  set_default_null (net, "id");
  set_default_null (net, "fds");
  set_default_null (net, "rate_limiter_config");
  set_default_int (net, "pci_segment", 0);
  set_default_bool (net, "offload_tso", TRUE);
  set_default_bool (net, "offload_ufo", TRUE);
  set_default_bool (net, "offload_csum", TRUE);
}

/* What serde's defaults make of a VmConfig: vm.info shows these. */
static void
fill_defaults (JsonObject *config)
{
  JsonObject *cpus = ensure_object (config, "cpus");
  JsonObject *memory = ensure_object (config, "memory");
  JsonObject *rng = ensure_object (config, "rng");
  JsonNode   *node;

  set_default_int (cpus, "boot_vcpus", 1);
  set_default_int (cpus, "max_vcpus", json_object_get_int_member (cpus, "boot_vcpus"));
  set_default_null (cpus, "topology");
  set_default_bool (cpus, "kvm_hyperv", FALSE);
  set_default_int (cpus, "max_phys_bits", 46);
  set_default_null (cpus, "affinity");
  set_default_bool (cpus, "nested", TRUE);

  set_default_int (memory, "size", 512 << 20);
  set_default_bool (memory, "mergeable", FALSE);
  if (!json_object_has_member (memory, "hotplug_method"))
    json_object_set_string_member (memory, "hotplug_method", "Acpi");
  set_default_null (memory, "hotplug_size");
  set_default_null (memory, "hotplugged_size");
  set_default_bool (memory, "shared", FALSE);
  set_default_bool (memory, "hugepages", FALSE);
  set_default_null (memory, "hugepage_size");
  set_default_bool (memory, "prefault", FALSE);
  set_default_null (memory, "zones");
  set_default_bool (memory, "thp", TRUE);

  set_default_null (config, "payload");
  set_default_null (config, "rate_limit_groups");
  if ((node = json_object_get_member (config, "disks")) != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      disk_defaults (json_array_get_object_element (json_node_get_array (node), i));
  else
    set_default_null (config, "disks");
  if ((node = json_object_get_member (config, "net")) != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      net_defaults (json_array_get_object_element (json_node_get_array (node), i));
  else
    set_default_null (config, "net");
  if (!json_object_has_member (rng, "src"))
    json_object_set_string_member (rng, "src", "/dev/urandom");
  set_default_bool (rng, "iommu", FALSE);
  set_default_null (config, "balloon");
  set_default_null (config, "fs");
  set_default_null (config, "pmem");
  console_defaults (config, "serial", "Null");
  console_defaults (config, "console", "Tty");
  set_default_null (config, "devices");
  set_default_null (config, "user_devices");
  set_default_null (config, "vdpa");
  set_default_null (config, "vsock");
  set_default_bool (config, "pvpanic", FALSE);
  set_default_bool (config, "iommu", FALSE);
  set_default_null (config, "numa");
  set_default_bool (config, "watchdog", FALSE);
  set_default_null (config, "platform");
  set_default_null (config, "tpm");
  set_default_null (config, "preserved_fds");
  set_default_bool (config, "landlock_enable", FALSE);
  set_default_null (config, "landlock_rules");
}

static gint64
get_int (JsonObject *o, const char *member, gint64 fallback)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
             ? json_node_get_int (n)
             : fallback;
}

static const char *
get_str (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

static JsonObject *
get_obj (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
get_array (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* ---- the fake guest ---- */

static void
guest_write (ChSimVmm *vmm, const char *line)
{
  JsonObject *serial = get_obj (vmm->config, "serial");
  const char *mode = get_str (serial, "mode");
  const char *file = get_str (serial, "file");
  int         fd;

  if (vmm->guest_mode != CH_SIM_GUEST_PLAIN || g_strcmp0 (mode, "File") != 0 || file == NULL)
    return;
  fd = open (file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  if (write (fd, line, strlen (line)) < 0)
    ch_sim_log ("writing the serial file failed: %s", g_strerror (errno));
  close (fd);
}

/* cloud-hypervisor creates (truncates) the serial file when it sets up
 * the console devices: at vm.create, and again when a VM is re-created. */
static ChSimError *
create_console_devices (ChSimVmm *vmm, const char *action)
{
  JsonObject *serial = get_obj (vmm->config, "serial");
  const char *file = get_str (serial, "file");
  int         fd;

  if (g_strcmp0 (get_str (serial, "mode"), "File") != 0 || file == NULL)
    return NULL;
  fd = open (file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_autofree char *cause = g_strdup_printf ("%s (os error %d)", g_strerror (errno), errno);
      return api_error (CH_SIM_ERROR_OTHER, action, "Error creating console devices",
                        "Error creating serial output file", cause, NULL);
    }
  close (fd);
  return NULL;
}

static void        qemu_stop (ChSimVmm *vmm);
static void        qemu_remove_dir (ChSimVmm *vmm);
static ChSimError *qemu_start (ChSimVmm *vmm, const char *action);
static void        qemu_monitor (ChSimVmm *vmm, const char *command);

static void
guest_boot_lines (ChSimVmm *vmm)
{
  JsonObject      *payload = get_obj (vmm->config, "payload");
  const char      *cmdline = get_str (payload, "cmdline");
  g_autofree char *line = g_strdup_printf (
      "[    0.000000] Linux version 6.1.0-ch-sim (hero-virt-ch-sim fake guest) #1 SMP\n"
      "[    0.000000] Command line: %s\n"
      "hero-virt-ch-sim: guest running with %d vCPU(s), %" G_GUINT64_FORMAT " MiB\n",
      cmdline ? cmdline : "", (int)get_int (get_obj (vmm->config, "cpus"), "boot_vcpus", 1),
      vmm->current_ram >> 20);

  guest_write (vmm, line);
}

/* Assigns the ids the device manager gives: one counter for every
 * prefix, existing ids kept. */
static char *
next_device_id (ChSimVmm *vmm, const char *prefix)
{
  return g_strdup_printf ("%s%u", prefix, vmm->device_counter++);
}

static void
assign_ids (ChSimVmm *vmm)
{
  const char *lists[][2] = { { "disks", "_disk" }, { "net", "_net" },   { "fs", "_fs" },
                             { "pmem", "_pmem" },  { "vdpa", "_vdpa" }, { "devices", "_vfio" } };

  vmm->device_counter = 0;
  vmm->pci_slot = 1;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *array = get_array (vmm->config, lists[l][0]);

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonObject *dev = json_array_get_object_element (array, i);

          if (get_str (dev, "id") == NULL)
            {
              g_autofree char *id = next_device_id (vmm, lists[l][1]);
              json_object_set_string_member (dev, "id", id);
            }
          vmm->pci_slot++;
        }
    }
  if (get_obj (vmm->config, "vsock") && get_str (get_obj (vmm->config, "vsock"), "id") == NULL)
    {
      g_autofree char *id = next_device_id (vmm, "_vsock");
      json_object_set_string_member (get_obj (vmm->config, "vsock"), "id", id);
    }
}

/* Vm::new's validation and payload loading. */
static ChSimError *
check_bootable (ChSimVmm *vmm)
{
  const char *boot = "The VM could not boot";
  JsonObject *payload = get_obj (vmm->config, "payload");
  JsonObject *cpus = get_obj (vmm->config, "cpus");
  JsonArray  *disks = get_array (vmm->config, "disks");
  const char *kernel = get_str (payload, "kernel");
  const char *firmware = get_str (payload, "firmware");
  const char *files[][2] = { { kernel, "Cannot open kernel file" },
                             { firmware, "Error manipulating firmware file" },
                             { get_str (payload, "initramfs"), "Cannot open initramfs file" } };

  if (payload == NULL || (kernel == NULL && firmware == NULL && !get_str (payload, "igvm")))
    return api_error (CH_SIM_ERROR_INVALID_CONFIG, boot, "Failed to validate config",
                      "Payload configuration is not bootable",
                      "No bootitem provided: neither firmware nor kernel", NULL);
  if (kernel != NULL && firmware != NULL)
    return api_error (CH_SIM_ERROR_INVALID_CONFIG, boot, "Failed to validate config",
                      "Payload configuration is not bootable",
                      "Specifying a kernel is not supported when a firmware is provided", NULL);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *c = get_obj (vmm->config, i == 0 ? "console" : "serial");
      if (g_strcmp0 (get_str (c, "mode"), "File") == 0 && get_str (c, "file") == NULL)
        return api_error (CH_SIM_ERROR_INVALID_CONFIG, boot, "Failed to validate config",
                          "Path missing when using file console mode", NULL);
      if (g_strcmp0 (get_str (c, "mode"), "Socket") == 0 && get_str (c, "socket") == NULL)
        return api_error (CH_SIM_ERROR_INVALID_CONFIG, boot, "Failed to validate config",
                          "Path missing when using socket console mode", NULL);
    }
  if (get_int (cpus, "max_vcpus", 1) < get_int (cpus, "boot_vcpus", 1))
    {
      g_autofree char *m = g_strdup_printf (
          "Max CPUs (%" G_GINT64_FORMAT ") lower than boot CPUs (%" G_GINT64_FORMAT ")",
          get_int (cpus, "max_vcpus", 1), get_int (cpus, "boot_vcpus", 1));
      return api_error (CH_SIM_ERROR_INVALID_CONFIG, boot, "Failed to validate config", m, NULL);
    }
  for (guint i = 0; disks && i < json_array_get_length (disks); i++)
    {
      JsonObject *disk = json_array_get_object_element (disks, i);
      const char *path = get_str (disk, "path");
      int         fd;

      if (path == NULL)
        continue;
      fd = open (path,
                 (json_object_get_boolean_member_with_default (disk, "readonly", FALSE) ? O_RDONLY
                                                                                        : O_RDWR)
                     | O_CLOEXEC);
      if (fd < 0)
        {
          g_autofree char *cause = g_strdup_printf ("%s (os error %d)", g_strerror (errno), errno);
          return api_error (CH_SIM_ERROR_OTHER, boot, "Error from device manager",
                            "Cannot open disk path", cause, NULL);
        }
      close (fd);
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (files[i][0] != NULL && access (files[i][0], R_OK) != 0)
      {
        g_autofree char *cause = g_strdup_printf ("%s (os error %d)", g_strerror (errno), errno);
        return api_error (CH_SIM_ERROR_OTHER, boot, files[i][1], cause, NULL);
      }
  return NULL;
}

/* Creates the VM object and boots it (Vmm::vm_boot's inner part). */
static ChSimError *
boot_new_vm (ChSimVmm *vmm, const char *action)
{
  ChSimError *error = check_bootable (vmm);

  if (error != NULL)
    {
      /* reboot and restore report under their own action name */
      set_action (error, action);
      return error;
    }
  assign_ids (vmm);
  vmm->current_ram = (guint64)get_int (get_obj (vmm->config, "memory"), "size", 512 << 20);
  if (vmm->guest_mode == CH_SIM_GUEST_QEMU && (error = qemu_start (vmm, action)) != NULL)
    return error;
  vmm->booted = TRUE;
  vmm->state = VM_RUNNING;
  vmm->boot_time = g_get_monotonic_time ();
  guest_boot_lines (vmm);
  return NULL;
}

static void
drop_vm (ChSimVmm *vmm)
{
  vmm->booted = FALSE;
  vmm->poweroff_pending = FALSE;
  g_clear_handle_id (&vmm->poweroff_source, g_source_remove);
  qemu_stop (vmm);
}

/* The guest powered itself off: cloud-hypervisor exits, or with
 * --no-shutdown drops the VM and stays. */
static gboolean
guest_poweroff_cb (gpointer data)
{
  ChSimVmm *vmm = data;

  vmm->poweroff_source = 0;
  guest_write (vmm, "[   10.000000] reboot: Power down\n");
  ch_sim_log ("guest powered off");
  drop_vm (vmm);
  if (!vmm->no_shutdown && vmm->on_exit != NULL)
    vmm->on_exit (CH_SIM_EXIT_GUEST_POWEROFF, vmm->on_exit_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_poweroff (ChSimVmm *vmm)
{
  if (vmm->poweroff_source == 0)
    vmm->poweroff_source = g_timeout_add (50, guest_poweroff_cb, vmm);
}

/* ---- the VMM ---- */

ChSimVmm *
ch_sim_vmm_new (const ChSimOptions *options, ChSimExitFunc on_exit, gpointer user_data)
{
  ChSimVmm *vmm = g_new0 (ChSimVmm, 1);

  vmm->version = options->api_version;
  vmm->guest_mode = options->guest_mode;
  vmm->no_shutdown = options->no_shutdown;
  vmm->on_exit = on_exit;
  vmm->on_exit_data = user_data;
  return vmm;
}

void
ch_sim_vmm_free (ChSimVmm *vmm)
{
  if (vmm == NULL)
    return;
  drop_vm (vmm);
  g_clear_pointer (&vmm->config, json_object_unref);
  qemu_remove_dir (vmm);
  g_free (vmm);
}

ChSimApiVersion
ch_sim_vmm_get_api_version (ChSimVmm *vmm)
{
  return vmm->version;
}

ChSimError *
ch_sim_vmm_ping (ChSimVmm *vmm, char **body)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *build = g_strdup_printf ("v%d.0-hero-virt-ch-sim", (int)vmm->version);
  g_autofree char *version = g_strdup_printf ("%d.0.0", (int)vmm->version);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "build_version");
  json_builder_add_string_value (b, build);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, version);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "kvm");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  *body = json_to_string (root, FALSE);
  return NULL;
}

ChSimError *
ch_sim_vm_create (ChSimVmm *vmm, JsonObject *config)
{
  ChSimError *error;

  if (vmm->config != NULL)
    return api_error (CH_SIM_ERROR_OTHER, "The VM could not be created", "VM is already created",
                      NULL);
  vmm->config = json_object_ref (config);
  fill_defaults (vmm->config);
  if ((error = create_console_devices (vmm, "The VM could not be created")) != NULL)
    {
      g_clear_pointer (&vmm->config, json_object_unref);
      return error;
    }
  return NULL;
}

ChSimError *
ch_sim_vm_boot (ChSimVmm *vmm)
{
  if (vmm->version == CH_SIM_API_48)
    {
      /* v48 boots an existing VM object again: a paused one resumes, a
       * running one fails the state transition. */
      if (vmm->config == NULL)
        return api_error (CH_SIM_ERROR_NOT_CREATED, "The VM could not boot", "VM config is missing",
                          NULL);
      if (vmm->booted && vmm->state == VM_PAUSED)
        return ch_sim_vm_resume (vmm);
      if (vmm->booted)
        return api_error (CH_SIM_ERROR_OTHER, "The VM could not boot",
                          "invalid VM state transition: Running to Running", NULL);
    }
  else
    {
      if (vmm->booted)
        return api_error (CH_SIM_ERROR_OTHER, "The VM could not boot", "VM is already created",
                          NULL);
      if (vmm->config == NULL)
        return api_error (CH_SIM_ERROR_NOT_CREATED, "The VM could not boot", "VM config is missing",
                          NULL);
    }
  return boot_new_vm (vmm, "The VM could not boot");
}

ChSimError *
ch_sim_vm_shutdown (ChSimVmm *vmm)
{
  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "The VM could not shutdown", "VM is not running", NULL);
  drop_vm (vmm);
  return NULL;
}

ChSimError *
ch_sim_vm_reboot (ChSimVmm *vmm)
{
  ChSimError *error;

  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_NOT_CREATED, "The VM could not reboot", "VM is not created",
                      NULL);
  drop_vm (vmm);
  if ((error = create_console_devices (vmm, "The VM could not reboot")) != NULL)
    return error;
  return boot_new_vm (vmm, "The VM could not reboot");
}

ChSimError *
ch_sim_vm_pause (ChSimVmm *vmm)
{
  g_autofree char *why = NULL;

  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "The VM could not be paused", "VM is not running", NULL);
  if (vmm->state != VM_RUNNING)
    {
      why = g_strdup_printf ("Invalid transition: InvalidStateTransition(%s, Paused)",
                             state_name (vmm->state));
      return api_error (CH_SIM_ERROR_OTHER, "The VM could not be paused", "Cannot pause VM",
                        "Failed to pause migratable component", why, NULL);
    }
  if (vmm->qemu_pid > 0)
    qemu_monitor (vmm, "stop");
  vmm->state = VM_PAUSED;
  return NULL;
}

ChSimError *
ch_sim_vm_resume (ChSimVmm *vmm)
{
  g_autofree char *why = NULL;

  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "The VM could not resume", "VM is not running", NULL);
  if (vmm->state != VM_PAUSED)
    {
      why = g_strdup_printf ("Invalid transition: InvalidStateTransition(%s, Running)",
                             state_name (vmm->state));
      return api_error (CH_SIM_ERROR_OTHER, "The VM could not resume", "Cannot resume VM",
                        "Failed to resume migratable component", why, NULL);
    }
  if (vmm->qemu_pid > 0)
    qemu_monitor (vmm, "cont");
  vmm->state = VM_RUNNING;
  if (vmm->poweroff_pending && vmm->guest_mode == CH_SIM_GUEST_PLAIN)
    {
      vmm->poweroff_pending = FALSE;
      schedule_poweroff (vmm);
    }
  return NULL;
}

ChSimError *
ch_sim_vm_power_button (ChSimVmm *vmm)
{
  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "Error triggering power button", "VM is not running",
                      NULL);
  if (vmm->guest_mode == CH_SIM_GUEST_QEMU)
    qemu_monitor (vmm, "system_powerdown");
  else if (vmm->state == VM_PAUSED)
    vmm->poweroff_pending = TRUE; /* the guest acts on it once resumed */
  else
    schedule_poweroff (vmm);
  return NULL;
}

ChSimError *
ch_sim_vm_nmi (ChSimVmm *vmm)
{
  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "Error triggering NMI", "VM is not running", NULL);
  guest_write (vmm, "[   10.000000] Uhhuh. NMI received for unknown reason 00 on CPU 0.\n");
  return NULL;
}

ChSimError *
ch_sim_vm_delete (ChSimVmm *vmm)
{
  if (vmm->config == NULL)
    return NULL;
  if (vmm->booted)
    drop_vm (vmm);
  g_clear_pointer (&vmm->config, json_object_unref);
  return NULL;
}

ChSimError *
ch_sim_vmm_shutdown (ChSimVmm *vmm)
{
  ChSimError *error = ch_sim_vm_delete (vmm);

  if (error != NULL)
    set_action (error, "The VMM could not shutdown");
  return error;
}

static JsonNode *
device_tree (ChSimVmm *vmm)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const char *lists[] = { "disks", "net", "fs", "pmem", "vdpa", "devices" };
  guint       slot = 1;

  json_builder_begin_object (b);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *array = get_array (vmm->config, lists[l]);

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          const char      *id = get_str (json_array_get_object_element (array, i), "id");
          g_autofree char *bdf = g_strdup_printf ("0000:00:%02x.0", slot++);

          if (id == NULL)
            continue;
          json_builder_set_member_name (b, id);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "resources");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "parent");
          json_builder_add_string_value (b, "__pci_segment0");
          json_builder_set_member_name (b, "children");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "pci_bdf");
          json_builder_add_string_value (b, bdf);
          json_builder_end_object (b);
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

ChSimError *
ch_sim_vm_info (ChSimVmm *vmm, char **body)
{
  g_autoptr (JsonObject) info = json_object_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  guint64 memory;

  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, "The VM info is not available", "VM is not created",
                      NULL);
  memory = (guint64)get_int (get_obj (vmm->config, "memory"), "size", 512 << 20);
  json_object_set_object_member (info, "config", json_object_ref (vmm->config));
  json_object_set_string_member (info, "state", vmm->booted ? state_name (vmm->state) : "Created");
  json_object_set_int_member (info, "memory_actual_size",
                              (gint64)(vmm->booted ? vmm->current_ram : memory));
  if (vmm->booted)
    json_object_set_member (info, "device_tree", device_tree (vmm));
  json_node_set_object (root, info);
  *body = json_to_string (root, FALSE);
  return NULL;
}

ChSimError *
ch_sim_vm_counters (ChSimVmm *vmm, char **body)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  gint64     up = vmm->booted ? (g_get_monotonic_time () - vmm->boot_time) / 1000 : 0;
  JsonArray *disks, *nets;

  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, "The VM info is not available", "VM is not running",
                      NULL);
  disks = get_array (vmm->config, "disks");
  nets = get_array (vmm->config, "net");
  json_builder_begin_object (b);
  for (guint i = 0; disks && i < json_array_get_length (disks); i++)
    {
      const char *counters[] = { "read_bytes", "read_ops", "write_bytes", "write_ops" };

      json_builder_set_member_name (b, get_str (json_array_get_object_element (disks, i), "id"));
      json_builder_begin_object (b);
      for (guint c = 0; c < G_N_ELEMENTS (counters); c++)
        {
          json_builder_set_member_name (b, counters[c]);
          json_builder_add_int_value (b, c % 2 ? up / 4 : up * 512);
        }
      json_builder_end_object (b);
    }
  for (guint i = 0; nets && i < json_array_get_length (nets); i++)
    {
      const char *counters[] = { "rx_bytes", "rx_frames", "tx_bytes", "tx_frames" };

      json_builder_set_member_name (b, get_str (json_array_get_object_element (nets, i), "id"));
      json_builder_begin_object (b);
      for (guint c = 0; c < G_N_ELEMENTS (counters); c++)
        {
          json_builder_set_member_name (b, counters[c]);
          json_builder_add_int_value (b, c % 2 ? up / 10 : up * 60);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  *body = json_to_string (root, FALSE);
  return NULL;
}

ChSimError *
ch_sim_vm_resize (ChSimVmm *vmm, JsonObject *request)
{
  const char *action = "The VM could not be resized";
  JsonObject *cpus, *memory;
  gint64      vcpus = get_int (request, "desired_vcpus", -1);
  gint64      ram = get_int (request, "desired_ram", -1);
  gint64      balloon = get_int (request, "desired_balloon", -1);

  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, action, "VM is not created", NULL);
  cpus = get_obj (vmm->config, "cpus");
  memory = get_obj (vmm->config, "memory");
  if (!vmm->booted)
    {
      if (vcpus >= 0)
        json_object_set_int_member (cpus, "boot_vcpus", vcpus);
      if (ram >= 0)
        json_object_set_int_member (memory, "size", ram);
      if (balloon >= 0 && get_obj (vmm->config, "balloon"))
        json_object_set_int_member (get_obj (vmm->config, "balloon"), "size", balloon);
      return NULL;
    }
  if (vcpus >= 0)
    {
      if (vcpus > get_int (cpus, "max_vcpus", 1))
        return api_error (CH_SIM_ERROR_OTHER, action, "Error from CPU manager",
                          "Requested vCPUs exceed maximum", NULL);
      json_object_set_int_member (cpus, "boot_vcpus", vcpus);
      guest_write (vmm, "[   10.000000] ACPI: CPU hotplug event\n");
    }
  if (ram >= 0)
    {
      gint64 hotplug = get_int (memory, "hotplug_size", 0);
      gint64 size = get_int (memory, "size", 512 << 20);

      /* ACPI hot-plug only grows, within hotplug_size; without it the
       * memory manager is not dynamic and the call does nothing. */
      if (hotplug > 0 && ram > (gint64)vmm->current_ram)
        {
          if (ram > size + hotplug)
            return api_error (CH_SIM_ERROR_OTHER, action, "Memory manager error",
                              "The requested hotplug memory addition is not a valid size", NULL);
          json_object_set_int_member (memory, "hotplugged_size", ram - size);
          vmm->current_ram = (guint64)ram;
        }
    }
  return NULL;
}

static JsonObject *
find_device (ChSimVmm *vmm, const char *id, JsonArray **in_array, guint *index)
{
  const char *lists[] = { "disks", "net", "fs", "pmem", "vdpa", "devices", "user_devices" };

  for (guint l = 0; id && l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *array = get_array (vmm->config, lists[l]);

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        if (g_strcmp0 (get_str (json_array_get_object_element (array, i), "id"), id) == 0)
          {
            if (in_array)
              *in_array = array;
            if (index)
              *index = i;
            return json_array_get_object_element (array, i);
          }
    }
  return NULL;
}

ChSimError *
ch_sim_vm_resize_disk (ChSimVmm *vmm, JsonObject *request)
{
  const char      *action = "The disk could not be resized";
  const char      *id = get_str (request, "id");
  g_autofree char *m = NULL;

  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, action, "VM is not created", NULL);
  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, action, "Failed resizing a disk image", NULL);
  if (find_device (vmm, id, NULL, NULL) == NULL)
    {
      m = g_strdup_printf ("Failed to find device corresponding to the given identifier: %s",
                           id ? id : "");
      return api_error (CH_SIM_ERROR_UNKNOWN_DEVICE, action, "Error from device manager", m, NULL);
    }
  return NULL;
}

ChSimError *
ch_sim_vm_resize_zone (ChSimVmm *vmm, JsonObject *request)
{
  const char *action = "The memory zone could not be resized";

  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, action, "VM is not created", NULL);
  return api_error (CH_SIM_ERROR_OTHER, action, "Failed resizing a memory zone", NULL);
}

/* "file:///dir" → "/dir" if it is a directory (migration::url_to_path). */
static ChSimError *
url_to_path (const char *url, const char *action, const char *vm_error, char **path)
{
  g_autofree char *m = NULL;

  if (url == NULL || !g_str_has_prefix (url, "file://"))
    {
      m = g_strdup_printf ("Could not extract path from URL: %s", url ? url : "");
      return api_error (CH_SIM_ERROR_OTHER, action, vm_error,
                        "Failed to send migratable component snapshot", m, NULL);
    }
  if (!g_file_test (url + 7, G_FILE_TEST_IS_DIR))
    {
      m = g_strdup_printf ("Destination is not a directory: \"%s\"", url + 7);
      return api_error (CH_SIM_ERROR_OTHER, action, vm_error,
                        "Failed to send migratable component snapshot", m, NULL);
    }
  *path = g_strdup (url + 7);
  return NULL;
}

ChSimError *
ch_sim_vm_snapshot (ChSimVmm *vmm, JsonObject *request)
{
  const char      *action = "The VM could not be snapshotted";
  g_autofree char *dir = NULL;
  g_autofree char *config_json = NULL;
  g_autofree char *state_json = NULL;
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GError) gerror = NULL;
  ChSimError *error;
  const char *files[] = { "config.json", "state.json", "memory-ranges" };

  if (!vmm->booted)
    return api_error (CH_SIM_ERROR_OTHER, action, "VM is not running", NULL);
  if (vmm->state != VM_PAUSED)
    return api_error (CH_SIM_ERROR_OTHER, action, "Cannot snapshot VM",
                      "Failed to snapshot migratable component",
                      "Trying to snapshot while VM is running", NULL);
  error
      = url_to_path (get_str (request, "destination_url"), action, "Cannot send VM snapshot", &dir);
  if (error != NULL)
    return error;
  json_node_set_object (node, vmm->config);
  config_json = json_to_string (node, TRUE);
  state_json = g_strdup_printf ("{\"snapshots\":{},\"snapshot_data\":{\"state\":\"Paused\","
                                "\"memory_actual_size\":%" G_GUINT64_FORMAT
                                ",\"simulator\":\"hero-virt-ch-sim\"}}\n",
                                vmm->current_ram);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      const char      *contents = i == 0 ? config_json : i == 1 ? state_json : "";

      if (!g_file_set_contents (path, contents, -1, &gerror))
        return api_error (CH_SIM_ERROR_OTHER, action, "Cannot send VM snapshot",
                          "Failed to send migratable component snapshot", gerror->message, NULL);
    }
  return NULL;
}

ChSimError *
ch_sim_vm_restore (ChSimVmm *vmm, JsonObject *request)
{
  const char      *action = "The VM could not be restored";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) gerror = NULL;
  ChSimError *error;

  if (vmm->booted || vmm->config != NULL)
    return api_error (CH_SIM_ERROR_OTHER, action, "VM is already created", NULL);
  error = url_to_path (get_str (request, "source_url"), action, "Cannot restore VM", &dir);
  if (error != NULL)
    return error;
  path = g_build_filename (dir, "config.json", NULL);
  if (!g_file_get_contents (path, &contents, NULL, &gerror))
    {
      g_autofree char *m = g_strdup_printf ("Error opening VM config snapshot file \"%s\"", path);
      g_autofree char *cause = g_strdup_printf ("%s (os error %d)", g_strerror (ENOENT), ENOENT);
      return api_error (CH_SIM_ERROR_OTHER, action, "Cannot restore VM",
                        "Failed to receive migratable component snapshot", m, cause, NULL);
    }
  if (!json_parser_load_from_data (parser, contents, -1, &gerror)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return api_error (CH_SIM_ERROR_OTHER, action, "Cannot restore VM",
                      "Failed to receive migratable component snapshot",
                      "Error deserialising VM config snapshot", NULL);
  vmm->config = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  fill_defaults (vmm->config);
  if ((error = create_console_devices (vmm, action)) != NULL
      || (error = boot_new_vm (vmm, action)) != NULL)
    {
      g_clear_pointer (&vmm->config, json_object_unref);
      return error;
    }
  /* A restored VM is paused; v53+ resumes it when asked. */
  if (vmm->qemu_pid > 0)
    qemu_monitor (vmm, "stop");
  vmm->state = VM_PAUSED;
  if (vmm->version >= CH_SIM_API_53
      && json_object_get_boolean_member_with_default (request, "resume", FALSE))
    return ch_sim_vm_resume (vmm);
  return NULL;
}

/* vm.add-disk, vm.add-net, …: cold-plug into the config (204), or
 * hot-plug into the running VM (200 with PciDeviceInfo). */
ChSimError *
ch_sim_vm_add_device (ChSimVmm *vmm, const char *kind, JsonObject *device, char **body)
{
  static const char *const table[][4] = {
    /* route, config member, id prefix, action message */
    { "disk", "disks", "_disk", "The disk could not be added to the VM" },
    { "net", "net", "_net", "The network device could not be added to the VM" },
    { "fs", "fs", "_fs", "The fs could not be added to the VM" },
    { "pmem", "pmem", "_pmem", "The pmem device could not be added to the VM" },
    { "vdpa", "vdpa", "_vdpa", "The vDPA device could not be added to the VM" },
    { "vsock", "vsock", "_vsock", "The vsock device could not be added to the VM" },
    { "device", "devices", "_vfio", "The device could not be added to the VM" },
    { "user-device", "user_devices", "_vfio_user", "The user device could not be added to the VM" },
    { "generic-vhost-user", "generic_vhost_user", "_generic_vhost_user",
      "The generic vhost-user device could not be added to the VM" },
  };
  const char *const *row = NULL;
  const char        *id = get_str (device, "id");
  const char        *path = get_str (device, "path");
  JsonArray         *array;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (table[i][0], kind) == 0)
      row = table[i];
  g_assert (row != NULL);
  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, row[3], "VM is not created", NULL);
  /* Validation on a copy of the config: unique ids, unique paths. */
  if (id != NULL && find_device (vmm, id, NULL, NULL) != NULL)
    {
      g_autofree char *m = g_strdup_printf ("Identifier %s is not unique", id);
      return api_error (CH_SIM_ERROR_CONFLICT, row[3], "Failed to validate config", m, NULL);
    }
  if (id != NULL && g_str_has_prefix (id, "__"))
    {
      g_autofree char *m = g_strdup_printf ("Identifier %s is not valid", id);
      return api_error (CH_SIM_ERROR_INVALID_CONFIG, row[3], "Failed to validate config", m, NULL);
    }
  if (strcmp (kind, "vsock") == 0)
    {
      if (get_obj (vmm->config, "vsock") != NULL)
        return api_error (CH_SIM_ERROR_OTHER, row[3], "Too many virtio-vsock devices", NULL);
    }
  else if (path != NULL && (array = get_array (vmm->config, row[1])) != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (g_strcmp0 (get_str (json_array_get_object_element (array, i), "path"), path) == 0)
          {
            g_autofree char *m = g_strdup_printf ("Duplicated device path: %s", path);
            return api_error (CH_SIM_ERROR_CONFLICT, row[3], "Failed to validate config", m, NULL);
          }
    }
  device = json_object_ref (device);
  if (strcmp (kind, "disk") == 0)
    disk_defaults (device);
  else if (strcmp (kind, "net") == 0)
    net_defaults (device);
  if (strcmp (kind, "vsock") == 0)
    json_object_set_object_member (vmm->config, "vsock", device);
  else
    {
      array = get_array (vmm->config, row[1]);
      if (array == NULL)
        {
          array = json_array_new ();
          json_object_set_array_member (vmm->config, row[1], array);
        }
      json_array_add_object_element (array, device);
    }
  if (!vmm->booted)
    return NULL;
  if (get_str (device, "id") == NULL)
    {
      g_autofree char *new_id = NULL;
      do
        {
          g_free (new_id);
          new_id = next_device_id (vmm, row[2]);
        }
      while (find_device (vmm, new_id, NULL, NULL) != NULL);
      json_object_set_string_member (device, "id", new_id);
    }
  *body = g_strdup_printf ("{\"id\":\"%s\",\"bdf\":\"0000:00:%02x.0\"}", get_str (device, "id"),
                           vmm->pci_slot++);
  return NULL;
}

ChSimError *
ch_sim_vm_remove_device (ChSimVmm *vmm, JsonObject *request)
{
  const char      *action = "The device could not be removed from the VM";
  const char      *id = get_str (request, "id");
  JsonArray       *array = NULL;
  guint            index = 0;
  g_autofree char *m = NULL;

  if (vmm->config == NULL)
    return api_error (CH_SIM_ERROR_NOT_CREATED, action, "VM is not created", NULL);
  if (find_device (vmm, id, &array, &index) == NULL)
    {
      if (vmm->booted)
        {
          m = g_strdup_printf ("Failed to find device corresponding to the given identifier: %s",
                               id ? id : "");
          return api_error (CH_SIM_ERROR_UNKNOWN_DEVICE, action, "Error from device manager", m,
                            NULL);
        }
      m = g_strdup_printf ("No device with id \"%s\" to remove", id ? id : "");
      return api_error (CH_SIM_ERROR_UNKNOWN_DEVICE, action, m, NULL);
    }
  json_array_remove_element (array, index);
  return NULL;
}

ChSimError *
ch_sim_vm_migration (ChSimVmm *vmm, const char *which)
{
  if (strcmp (which, "send") == 0)
    {
      if (!vmm->booted)
        return ch_sim_error_new (
            CH_SIM_ERROR_OTHER, "Error from API", "Error dispatching the migration worker",
            "Failed to send migratable component snapshot", "VM is not running", NULL);
      return ch_sim_error_new (CH_SIM_ERROR_OTHER, "Error from API",
                               "Error dispatching the migration worker",
                               "Failed to send migratable component snapshot",
                               "live migration is not simulated by hero-virt-ch-sim", NULL);
    }
  return ch_sim_error_new (CH_SIM_ERROR_OTHER, "Error from API", "Error receiving migration",
                           "Failed to receive migratable component snapshot",
                           "live migration is not simulated by hero-virt-ch-sim", NULL);
}

/* ---- --sim-guest qemu ---- */

static void
qemu_remove_dir (ChSimVmm *vmm)
{
  if (vmm->qemu_monitor)
    unlink (vmm->qemu_monitor);
  if (vmm->qemu_dir)
    rmdir (vmm->qemu_dir);
  g_clear_pointer (&vmm->qemu_dir, g_free);
  g_clear_pointer (&vmm->qemu_monitor, g_free);
}

static void
qemu_exited_cb (GPid pid, gint status, gpointer data)
{
  ChSimVmm *vmm = data;

  g_spawn_close_pid (pid);
  vmm->qemu_watch = 0;
  if (vmm->qemu_pid != pid)
    return;
  vmm->qemu_pid = 0;
  qemu_remove_dir (vmm);
  ch_sim_log ("qemu exited (status %d): the guest powered off", status);
  /* The guest powered off (or qemu died): as cloud-hypervisor on a guest
   * shutdown. */
  vmm->booted = FALSE;
  if (!vmm->no_shutdown && vmm->on_exit != NULL)
    vmm->on_exit (CH_SIM_EXIT_GUEST_POWEROFF, vmm->on_exit_data);
}

static ChSimError *
qemu_start (ChSimVmm *vmm, const char *action)
{
  JsonObject *payload = get_obj (vmm->config, "payload");
  JsonObject *serial = get_obj (vmm->config, "serial");
  JsonArray  *disks = get_array (vmm->config, "disks");
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *qemu = g_getenv ("HERO_VIRT_CH_SIM_QEMU");
  GPid        pid;

  if (vmm->qemu_dir == NULL)
    {
      vmm->qemu_dir = g_dir_make_tmp ("hero-virt-ch-sim-XXXXXX", &error);
      if (vmm->qemu_dir == NULL)
        return api_error (CH_SIM_ERROR_OTHER, action, error->message, NULL);
      vmm->qemu_monitor = g_build_filename (vmm->qemu_dir, "monitor.sock", NULL);
    }
  g_ptr_array_add (argv, g_strdup (qemu ? qemu : "qemu-system-x86_64"));
#define ADD(...) g_ptr_array_add (argv, g_strdup_printf (__VA_ARGS__))
  ADD ("-nodefaults");
  ADD ("-no-user-config");
  ADD ("-display");
  ADD ("none");
  /* TCG unless told otherwise: a /dev/kvm may be there without usable
   * hardware virtualisation (nested, paravirtual) */
  ADD ("-accel");
  ADD ("%s", g_getenv ("HERO_VIRT_QEMU_ACCEL") ? g_getenv ("HERO_VIRT_QEMU_ACCEL") : "tcg");
  ADD ("-m");
  ADD ("%" G_GUINT64_FORMAT "M", vmm->current_ram >> 20);
  ADD ("-smp");
  ADD ("%d", (int)get_int (get_obj (vmm->config, "cpus"), "boot_vcpus", 1));
  if (get_str (payload, "kernel"))
    {
      ADD ("-kernel");
      ADD ("%s", get_str (payload, "kernel"));
    }
  if (get_str (payload, "initramfs"))
    {
      ADD ("-initrd");
      ADD ("%s", get_str (payload, "initramfs"));
    }
  if (get_str (payload, "cmdline"))
    {
      ADD ("-append");
      ADD ("%s", get_str (payload, "cmdline"));
    }
  if (get_str (payload, "firmware"))
    {
      ADD ("-bios");
      ADD ("%s", get_str (payload, "firmware"));
    }
  for (guint i = 0; disks && i < json_array_get_length (disks); i++)
    {
      JsonObject      *disk = json_array_get_object_element (disks, i);
      g_autofree char *p = g_strdup (get_str (disk, "path"));
      GString         *escaped = g_string_new (NULL);
      const char *fmt = g_strcmp0 (get_str (disk, "image_type"), "Qcow2") == 0 ? "qcow2" : "raw";
      if (p == NULL)
        continue;
      /* qemu's option syntax doubles commas to escape them */
      for (const char *c = p; *c; c++)
        {
          if (*c == ',')
            g_string_append_c (escaped, ',');
          g_string_append_c (escaped, *c);
        }
      ADD ("-drive");
      ADD ("file=%s,if=virtio,format=%s%s", escaped->str, fmt,
           json_object_get_boolean_member_with_default (disk, "readonly", FALSE) ? ",readonly=on"
                                                                                 : "");
      g_string_free (escaped, TRUE);
    }
  ADD ("-serial");
  if (g_strcmp0 (get_str (serial, "mode"), "File") == 0 && get_str (serial, "file"))
    ADD ("file:%s", get_str (serial, "file"));
  else
    ADD ("null");
  ADD ("-monitor");
  ADD ("unix:%s,server=on,wait=off", vmm->qemu_monitor);
  ADD ("-no-reboot");
#undef ADD
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async (NULL, (char **)argv->pdata, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    return api_error (CH_SIM_ERROR_OTHER, action, "Cannot spawn qemu", error->message, NULL);
  /* wait for the monitor socket so that pause/resume work at once; a
   * qemu that exits meanwhile failed to start */
  for (int i = 0; i < 250 && !g_file_test (vmm->qemu_monitor, G_FILE_TEST_EXISTS); i++)
    {
      int status;
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          g_spawn_close_pid (pid);
          qemu_remove_dir (vmm);
          return api_error (CH_SIM_ERROR_OTHER, action, "Cannot spawn qemu",
                            "qemu-system-x86_64 exited at start (see its stderr)", NULL);
        }
      g_usleep (20000);
    }
  vmm->qemu_pid = pid;
  vmm->qemu_watch = g_child_watch_add (pid, qemu_exited_cb, vmm);
  return NULL;
}

/* Reads from the monitor until its "(qemu) " prompt. */
static void
read_prompt (GInputStream *in)
{
  g_autoptr (GString) seen = g_string_new (NULL);
  char buf[1024];

  while (strstr (seen->str, "(qemu)") == NULL)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf - 1, NULL, NULL);
      if (n <= 0)
        return;
      g_string_append_len (seen, buf, n);
    }
}

/* One HMP command on qemu's monitor socket, waiting until qemu has run
 * it (the next prompt). */
static void
qemu_monitor (ChSimVmm *vmm, const char *command)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_strdup_printf ("%s\n", command);
  GInputStream    *in;

  if (vmm->qemu_monitor == NULL || vmm->qemu_pid <= 0)
    return;
  address = g_unix_socket_address_new (vmm->qemu_monitor);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  if (connection == NULL)
    {
      ch_sim_log ("qemu monitor: %s", error->message);
      return;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  read_prompt (in);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), line,
                             strlen (line), NULL, NULL, NULL);
  read_prompt (in);
}

static void
qemu_stop (ChSimVmm *vmm)
{
  GPid pid = vmm->qemu_pid;

  if (pid <= 0)
    return;
  vmm->qemu_pid = 0;
  g_clear_handle_id (&vmm->qemu_watch, g_source_remove);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  qemu_remove_dir (vmm);
}
