/* cli-vm.c: hero-virt vm create|start|stop|reboot|pause|resume|list|info|console|delete
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cli-common.h"

#include <stdio.h>
#include <string.h>

/* Every vm command takes --provider to pick the hypervisor provider (the
 * same as HERO_VIRT_HYPERVISOR=name, but for one call). */
static char *opt_provider;

#define PROVIDER_ENTRY                                                                             \
  {                                                                                                \
    "provider", 'p', 0, G_OPTION_ARG_STRING, &opt_provider,                                        \
        "Use this hypervisor provider (qemu, cloudhv) instead of the default", "NAME"              \
  }

static void
apply_provider (void)
{
  if (opt_provider != NULL)
    g_setenv ("HERO_VIRT_HYPERVISOR", opt_provider, TRUE);
}

static HeroVirtVm *
open_vm (const char *id, GError **error)
{
  apply_provider ();
  return hero_virt_vm_new_full (NULL, id, opt_provider, NULL, error);
}

static const char *
state_name (HeroVirtVmState state)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (HERO_VIRT_TYPE_VM_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : "unknown";
}

/* --- create --- */

static const char *
format_for (const char *path)
{
  if (g_str_has_suffix (path, ".qcow2"))
    return "qcow2";
  if (g_str_has_suffix (path, ".raw") || g_str_has_suffix (path, ".img")
      || g_str_has_suffix (path, ".iso"))
    return "raw";
  return NULL;
}

static gboolean
add_forward (HeroVirtVmBuilder *builder, const char *text, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);
  guint       n = g_strv_length (parts);
  const char *address = n == 4 ? parts[1] : NULL;
  guint64     host, guest;

  /* The values are checked by hero_virt_vm_builder_build(); only the
   * shape is checked here. */
  if ((n != 3 && n != 4)
      || !g_ascii_string_to_unsigned (parts[n - 2], 10, 0, G_MAXUINT, &host, NULL)
      || !g_ascii_string_to_unsigned (parts[n - 1], 10, 0, G_MAXUINT, &guest, NULL))
    return hero_virt_set_invalid_argument (error, "--forward", text,
                                           "write tcp|udp:[HOSTADDR:]HOSTPORT:GUESTPORT");
  hero_virt_vm_builder_add_port_forward (builder, parts[0], address, (guint)host, (guint)guest);
  return TRUE;
}

static int
cmd_create (int argc, char **argv)
{
  g_autofree char *kernel = NULL, *initramfs = NULL, *cmdline = NULL, *firmware = NULL;
  g_autofree char *memory = NULL, *net = NULL, *seed = NULL, *spec_file = NULL;
  g_auto (GStrv) disks = NULL;
  g_auto (GStrv) ro_disks = NULL;
  g_auto (GStrv) forwards = NULL;
  g_auto (GStrv) extra = NULL;
  int                vcpus = 1;
  gboolean           start = FALSE, json = FALSE;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "spec", 0, 0, G_OPTION_ARG_FILENAME, &spec_file,
            "Read the whole spec from a JSON file (NAME then must match or be '-')", "FILE" },
          { "kernel", 'k', 0, G_OPTION_ARG_FILENAME, &kernel, "Kernel to boot", "FILE" },
          { "initramfs", 'i', 0, G_OPTION_ARG_FILENAME, &initramfs, "Initramfs", "FILE" },
          { "cmdline", 'c', 0, G_OPTION_ARG_STRING, &cmdline, "Kernel command line", "TEXT" },
          { "firmware", 0, 0, G_OPTION_ARG_FILENAME, &firmware, "Firmware instead of a kernel",
            "FILE" },
          { "vcpus", 0, 0, G_OPTION_ARG_INT, &vcpus, "vCPUs (default 1)", "N" },
          { "memory", 'm', 0, G_OPTION_ARG_STRING, &memory,
            "Memory, with a K, M, G suffix (default 512M)", "SIZE" },
          { "disk", 'd', 0, G_OPTION_ARG_FILENAME_ARRAY, &disks,
            "A disk (format from .qcow2/.raw/.img/.iso, repeatable)", "FILE" },
          { "readonly-disk", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &ro_disks,
            "A read-only disk (repeatable)", "FILE" },
          { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed, "A cloud-init seed image", "FILE" },
          { "net", 'n', 0, G_OPTION_ARG_STRING, &net, "Network: user, tap:NAME or none", "MODE" },
          { "forward", 0, 0, G_OPTION_ARG_STRING_ARRAY, &forwards,
            "Forward a host port, on 127.0.0.1 unless HOSTADDR is given (user network; "
            "repeatable)",
            "tcp|udp:[HOSTADDR:]HOSTPORT:GUESTPORT" },
          { "extra-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &extra,
            "An extra hypervisor argument (repeatable)", "ARG" },
          { "start", 0, 0, G_OPTION_ARG_NONE, &start, "Start it once created", NULL },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the VM's info as JSON", NULL },
          { NULL } };
  g_autoptr (HeroVirtVmBuilder) builder = NULL;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  guint64 memory_bytes = 512 << 20;
  int     status;

  if (!hv_cli_parse_args ("vm create", "NAME",
                          "Defines a VM (and, with --start, boots it). Sizes are binary: "
                          "512M = 512 MiB.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  apply_provider ();
  if (spec_file != NULL)
    {
      g_autofree char *text = NULL;

      if (!g_file_get_contents (spec_file, &text, NULL, &error)
          || !(spec = hero_virt_vm_spec_new_from_json (text, &error)))
        return hv_cli_report_error (error);
      if (strcmp (argv[1], "-") != 0 && g_strcmp0 (argv[1], hero_virt_vm_spec_get_name (spec)) != 0)
        return hv_cli_usage_error ("vm create", "NAME %s is not the spec's name %s", argv[1],
                                   hero_virt_vm_spec_get_name (spec));
    }
  else
    {
      if (memory != NULL && !hv_cli_parse_size (memory, &memory_bytes, &error))
        {
          g_prefix_error (&error, "--memory: ");
          return hv_cli_report_error (error);
        }
      if (vcpus < 0)
        return hv_cli_usage_error ("vm create", "--vcpus must not be negative");
      builder = hero_virt_vm_builder_new (argv[1]);
      if (kernel != NULL)
        hero_virt_vm_builder_set_kernel (builder, kernel);
      if (initramfs != NULL)
        hero_virt_vm_builder_set_initramfs (builder, initramfs);
      if (cmdline != NULL)
        hero_virt_vm_builder_set_cmdline (builder, cmdline);
      if (firmware != NULL)
        hero_virt_vm_builder_set_firmware (builder, firmware);
      hero_virt_vm_builder_set_vcpus (builder, (guint)vcpus);
      hero_virt_vm_builder_set_memory_mb (builder, memory_bytes >> 20);
      for (guint i = 0; disks != NULL && disks[i] != NULL; i++)
        {
          g_autoptr (HeroVirtVmDisk) disk = hero_virt_vm_disk_new (disks[i]);
          if (format_for (disks[i]) != NULL)
            hero_virt_vm_disk_set_format (disk, format_for (disks[i]));
          hero_virt_vm_builder_add_disk_device (builder, disk);
        }
      for (guint i = 0; ro_disks != NULL && ro_disks[i] != NULL; i++)
        {
          g_autoptr (HeroVirtVmDisk) disk = hero_virt_vm_disk_new (ro_disks[i]);
          if (format_for (ro_disks[i]) != NULL)
            hero_virt_vm_disk_set_format (disk, format_for (ro_disks[i]));
          hero_virt_vm_disk_set_readonly (disk, TRUE);
          hero_virt_vm_builder_add_disk_device (builder, disk);
        }
      if (seed != NULL)
        hero_virt_vm_builder_add_cloud_init_seed (builder, seed);
      if (net != NULL && strcmp (net, "user") == 0)
        hero_virt_vm_builder_add_user_net (builder);
      else if (net != NULL && g_str_has_prefix (net, "tap:"))
        hero_virt_vm_builder_add_tap_net (builder, net + 4);
      else if (net != NULL && strcmp (net, "none") != 0)
        return hv_cli_usage_error ("vm create", "--net is user, tap:NAME or none, not %s", net);
      for (guint i = 0; forwards != NULL && forwards[i] != NULL; i++)
        if (!add_forward (builder, forwards[i], &error))
          return hv_cli_report_error (error);
      for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
        hero_virt_vm_builder_add_extra_arg (builder, extra[i]);
      if (!(spec = hero_virt_vm_builder_build (builder, &error)))
        return hv_cli_report_error (error);
    }

  if (!(vm = hero_virt_vm_new_full (spec, NULL, opt_provider, NULL, &error))
      || !hero_virt_vm_create (vm, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  if (start && !hero_virt_vm_start (vm, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = NULL;

      if (!(info = hero_virt_vm_get_info (vm, hv_cli_get_cancellable (), &error)))
        return hv_cli_report_error (error);
      node = hero_virt_vm_info_to_json_node (info);
      hv_cli_print_json (node);
    }
  else
    g_print ("%s %s\n", start ? "Started" : "Created", hero_virt_vm_get_id (vm));
  return HV_CLI_EXIT_OK;
}

/* --- start, reboot, pause, resume --- */

typedef gboolean (*SimpleOp) (HeroVirtVm *, GCancellable *, GError **);

static int
simple (const char *path, const char *summary, const char *done, SimpleOp op, int argc, char **argv)
{
  const GOptionEntry entries[] = { PROVIDER_ENTRY, { NULL } };
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args (path, "NAME", summary, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!(vm = open_vm (argv[1], &error)) || !op (vm, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  g_print ("%s %s\n", done, argv[1]);
  return HV_CLI_EXIT_OK;
}

static int
cmd_start (int argc, char **argv)
{
  return simple ("vm start", "Boots a VM in the background.", "Started", hero_virt_vm_start, argc,
                 argv);
}

static int
cmd_reboot (int argc, char **argv)
{
  return simple ("vm reboot", "Resets a running VM.", "Rebooted", hero_virt_vm_reboot, argc, argv);
}

static int
cmd_pause (int argc, char **argv)
{
  return simple ("vm pause", "Pauses a running VM.", "Paused", hero_virt_vm_pause, argc, argv);
}

static int
cmd_resume (int argc, char **argv)
{
  return simple ("vm resume", "Resumes a paused VM.", "Resumed", hero_virt_vm_resume, argc, argv);
}

/* --- stop, delete --- */

static int
cmd_stop (int argc, char **argv)
{
  gboolean           force = FALSE;
  int                timeout = 30;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
            "Kill the hypervisor if the guest does not stop in time", NULL },
          { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
            "Seconds to wait for a clean shutdown (default 30)", "S" },
          { NULL } };
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("vm stop", "NAME",
                          "Presses the VM's power button and waits; --force kills it if it does "
                          "not stop in time (--timeout 0 kills at once).",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  if (timeout < 0)
    return hv_cli_usage_error ("vm stop", "--timeout must not be negative");
  if (!(vm = open_vm (argv[1], &error))
      || !hero_virt_vm_stop (vm, force, (guint)timeout, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  g_print ("Stopped %s\n", argv[1]);
  return HV_CLI_EXIT_OK;
}

static int
cmd_delete (int argc, char **argv)
{
  gboolean           disks = FALSE;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "disks", 0, 0, G_OPTION_ARG_NONE, &disks,
                                     "Also delete the disk images its spec names", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("vm delete", "NAME",
                          "Deletes a VM (killing it if it runs), its record and logs.", entries,
                          &argc, &argv, 1, 1, &status))
    return status;
  if (!(vm = open_vm (argv[1], &error))
      || !hero_virt_vm_delete (vm, disks, hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  g_print ("Deleted %s\n", argv[1]);
  return HV_CLI_EXIT_OK;
}

/* --- list, info --- */

static int
cmd_list (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                   { NULL } };
  g_autoptr (GPtrArray) vms = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("vm list", "", "Lists the VMs (live states).", entries, &argc, &argv, 0,
                          0, &status))
    return status;
  apply_provider ();
  if (!(vms = hero_virt_vm_list (NULL, hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < vms->len; i++)
        json_array_add_element (array, hero_virt_vm_info_to_json_node (vms->pdata[i]));
      json_node_take_array (node, array);
      hv_cli_print_json (node);
      return HV_CLI_EXIT_OK;
    }
  g_print ("%-24s %-9s %8s %5s %10s\n", "NAME", "STATE", "PID", "VCPUS", "MEMORY");
  for (guint i = 0; i < vms->len; i++)
    {
      HeroVirtVmInfo  *info = vms->pdata[i];
      HeroVirtVmSpec  *spec = hero_virt_vm_info_get_spec (info);
      g_autofree char *mem = spec
                                 ? hv_cli_format_size (hero_virt_vm_spec_get_memory_mb (spec) << 20)
                                 : g_strdup ("-");
      g_autofree char *pid
          = hero_virt_vm_info_get_pid (info) > 0
                ? g_strdup_printf ("%" G_GINT64_FORMAT, hero_virt_vm_info_get_pid (info))
                : g_strdup ("-");

      g_print ("%-24s %-9s %8s %5u %10s\n", hero_virt_vm_info_get_id (info),
               state_name (hero_virt_vm_info_get_state (info)), pid,
               spec ? hero_virt_vm_spec_get_vcpus (spec) : 0, mem);
    }
  return HV_CLI_EXIT_OK;
}

static int
cmd_info (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;
  int             status;

  if (!hv_cli_parse_args ("vm info", "NAME", "Shows what a VM is and is doing.", entries, &argc,
                          &argv, 1, 1, &status))
    return status;
  if (!(vm = open_vm (argv[1], &error))
      || !(info = hero_virt_vm_get_info (vm, hv_cli_get_cancellable (), &error)))
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = hero_virt_vm_info_to_json_node (info);
      hv_cli_print_json (node);
      return HV_CLI_EXIT_OK;
    }
  spec = hero_virt_vm_info_get_spec (info);
  g_print ("name: %s\n", hero_virt_vm_info_get_id (info));
  g_print ("state: %s\n", state_name (hero_virt_vm_info_get_state (info)));
  if (hero_virt_vm_info_get_pid (info) > 0)
    g_print ("pid: %" G_GINT64_FORMAT "\n", hero_virt_vm_info_get_pid (info));
  if (spec != NULL)
    {
      g_autofree char *mem = hv_cli_format_size (hero_virt_vm_spec_get_memory_mb (spec) << 20);
      GPtrArray       *disks = hero_virt_vm_spec_get_disks (spec);
      g_autoptr (GPtrArray) forwards = hero_virt_vm_spec_list_port_forwards (spec);

      g_print ("vcpus: %u\n", hero_virt_vm_spec_get_vcpus (spec));
      g_print ("memory: %s\n", mem);
      if (hero_virt_vm_spec_get_kernel (spec) != NULL)
        g_print ("kernel: %s\n", hero_virt_vm_spec_get_kernel (spec));
      for (guint i = 0; disks != NULL && i < disks->len; i++)
        g_print ("disk: %s%s\n", hero_virt_vm_disk_get_path (disks->pdata[i]),
                 hero_virt_vm_disk_get_readonly (disks->pdata[i]) ? " (read-only)" : "");
      for (guint i = 0; i < forwards->len; i++)
        {
          g_autofree char *text = hero_virt_vm_port_forward_to_string (forwards->pdata[i]);

          g_print ("forward: %s\n", text);
        }
    }
  if (hero_virt_vm_info_get_directory (info) != NULL)
    g_print ("directory: %s\n", hero_virt_vm_info_get_directory (info));
  if (hero_virt_vm_info_get_console_path (info) != NULL)
    g_print ("console: %s\n", hero_virt_vm_info_get_console_path (info));
  return HV_CLI_EXIT_OK;
}

/* --- console --- */

static int
cmd_console (int argc, char **argv)
{
  int                tail = 0, timeout = 60;
  gboolean           follow = FALSE;
  g_autofree char   *wait = NULL;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "tail", 'n', 0, G_OPTION_ARG_INT, &tail, "Only the last N lines", "N" },
          { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
            "Keep printing what the guest writes (Ctrl-C stops)", NULL },
          { "wait", 'w', 0, G_OPTION_ARG_STRING, &wait,
            "Wait for a line matching REGEX and print it", "REGEX" },
          { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, "Seconds --wait waits (default 60)",
            "S" },
          { NULL } };
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("vm console", "NAME", "Prints the VM's serial console log (read-only).",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  if (tail < 0 || timeout < 0)
    return hv_cli_usage_error ("vm console", "--tail and --timeout must not be negative");
  if (!(vm = open_vm (argv[1], &error)))
    return hv_cli_report_error (error);
  if (wait != NULL)
    {
      g_autofree char *line = hero_virt_vm_wait_for_console (vm, wait, (guint)timeout,
                                                             hv_cli_get_cancellable (), &error);
      if (line == NULL)
        return hv_cli_report_error (error);
      g_print ("%s\n", line);
      return HV_CLI_EXIT_OK;
    }
  {
    g_autofree char *log
        = hero_virt_vm_get_console_log (vm, (guint)tail, hv_cli_get_cancellable (), &error);
    if (log == NULL)
      return hv_cli_report_error (error);
    fputs (log, stdout);
    fflush (stdout);
  }
  if (follow)
    {
      g_autoptr (GInputStream) stream
          = hero_virt_vm_follow_console (vm, FALSE, hv_cli_get_cancellable (), &error);
      char buffer[4096];

      if (stream == NULL)
        return hv_cli_report_error (error);
      for (;;)
        {
          gssize n = g_input_stream_read (stream, buffer, sizeof buffer, hv_cli_get_cancellable (),
                                          &error);
          if (n < 0)
            return hv_cli_report_error (error);
          if (n == 0)
            break;
          fwrite (buffer, 1, (size_t)n, stdout);
          fflush (stdout);
        }
    }
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand vm_commands[]
    = { { "create", "NAME [--kernel FILE] [--disk FILE] [--start] [--json]", "Define a VM",
          cmd_create },
        { "start", "NAME", "Boot a VM", cmd_start },
        { "stop", "NAME [--force] [--timeout S]", "Power a VM off", cmd_stop },
        { "reboot", "NAME", "Reset a running VM", cmd_reboot },
        { "pause", "NAME", "Pause a running VM", cmd_pause },
        { "resume", "NAME", "Resume a paused VM", cmd_resume },
        { "list", "[--json]", "List VMs", cmd_list },
        { "info", "NAME [--json]", "Show a VM", cmd_info },
        { "console", "NAME [--tail N] [--follow] [--wait REGEX]", "Show a VM's serial console",
          cmd_console },
        { "delete", "NAME [--disks]", "Delete a VM", cmd_delete },
        { NULL } };

int
hv_cli_vm (int argc, char **argv)
{
  return hv_cli_dispatch ("vm", vm_commands, argc, argv);
}
