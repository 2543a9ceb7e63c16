/* hero-virt.c: the hero-virt command line tool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cli-common.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* --- plugins --- */

static JsonNode *
provider_to_json (HeroVirtProviderInfo *provider)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GError) error = NULL;
  gboolean available = hero_virt_provider_info_check_available (provider, NULL, NULL, &error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (
      b, hero_virt_provider_kind_to_string (hero_virt_provider_info_get_kind (provider)));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, hero_virt_provider_info_get_name (provider));
  json_builder_set_member_name (b, "priority");
  json_builder_add_int_value (b, hero_virt_provider_info_get_priority (provider));
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (
      b, g_type_name (hero_virt_provider_info_get_provider_type (provider)));
  json_builder_set_member_name (b, "available");
  json_builder_add_boolean_value (b, available);
  json_builder_set_member_name (b, "unavailable_reason");
  if (available)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, error->message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
plugin_to_json (HeroVirtPluginInfo *plugin)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) providers = hero_virt_plugin_info_get_providers (plugin);
  const char *error = hero_virt_plugin_info_get_error (plugin);

  json_builder_begin_object (b);
#define STR_MEMBER(key, value)                                                                     \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *v_ = (value);                                                                      \
    json_builder_set_member_name (b, key);                                                         \
    if (v_ != NULL)                                                                                \
      json_builder_add_string_value (b, v_);                                                       \
    else                                                                                           \
      json_builder_add_null_value (b);                                                             \
  }                                                                                                \
  G_STMT_END
  STR_MEMBER ("name", hero_virt_plugin_info_get_name (plugin));
  STR_MEMBER ("version", hero_virt_plugin_info_get_version (plugin));
  STR_MEMBER ("description", hero_virt_plugin_info_get_description (plugin));
  STR_MEMBER ("license", hero_virt_plugin_info_get_license (plugin));
  STR_MEMBER ("path", hero_virt_plugin_info_get_path (plugin));
  json_builder_set_member_name (b, "loaded");
  json_builder_add_boolean_value (b, hero_virt_plugin_info_get_loaded (plugin));
  STR_MEMBER ("error", error);
#undef STR_MEMBER
  json_builder_set_member_name (b, "providers");
  json_builder_begin_array (b);
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    json_builder_add_value (b, provider_to_json (providers->pdata[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_provider (HeroVirtProviderInfo *provider)
{
  g_autoptr (GError) error = NULL;
  gboolean available = hero_virt_provider_info_check_available (provider, NULL, NULL, &error);

  g_print ("    %-10s %-12s priority %-4d %s%s%s\n",
           hero_virt_provider_kind_to_string (hero_virt_provider_info_get_kind (provider)),
           hero_virt_provider_info_get_name (provider),
           hero_virt_provider_info_get_priority (provider), available ? "available" : "unavailable",
           available ? "" : ": ", available ? "" : error->message);
}

static void
print_plugin (HeroVirtPluginInfo *plugin)
{
  g_autoptr (GPtrArray) providers = hero_virt_plugin_info_get_providers (plugin);
  const char *error = hero_virt_plugin_info_get_error (plugin);

  g_autofree char *base = g_path_get_basename (hero_virt_plugin_info_get_path (plugin));

  /* A file that never told its name is shown by its file name. */
  g_print ("%s %s\n",
           hero_virt_plugin_info_get_name (plugin) ? hero_virt_plugin_info_get_name (plugin) : base,
           hero_virt_plugin_info_get_version (plugin) ? hero_virt_plugin_info_get_version (plugin)
                                                      : "");
  if (hero_virt_plugin_info_get_description (plugin))
    g_print ("  %s\n", hero_virt_plugin_info_get_description (plugin));
  g_print ("  path:      %s\n", hero_virt_plugin_info_get_path (plugin));
  if (hero_virt_plugin_info_get_license (plugin))
    g_print ("  license:   %s\n", hero_virt_plugin_info_get_license (plugin));
  if (error != NULL)
    g_print ("  status:    FAILED TO LOAD: %s\n", error);
  else
    g_print ("  status:    loaded\n");
  if (providers != NULL && providers->len > 0)
    {
      g_print ("  providers:\n");
      for (guint i = 0; i < providers->len; i++)
        print_provider (providers->pdata[i]);
    }
  g_print ("\n");
}

/* Providers registered at run time belong to no plugin. */
static GPtrArray *
runtime_providers (HeroVirtRegistry *registry)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (int kind = 0; kind < HERO_VIRT_PROVIDER_N_KINDS; kind++)
    {
      g_autoptr (GPtrArray) providers = hero_virt_registry_get_providers (registry, kind);

      for (guint i = 0; providers != NULL && i < providers->len; i++)
        if (hero_virt_provider_info_get_plugin_name (providers->pdata[i]) == NULL)
          g_ptr_array_add (result, g_object_ref (providers->pdata[i]));
    }
  return result;
}

static char *
default_provider_name (HeroVirtRegistry *registry, HeroVirtProviderKind kind)
{
  g_autoptr (GObject) provider
      = hero_virt_registry_get_default_provider (registry, kind, NULL, NULL);
  g_autoptr (GPtrArray) providers = NULL;

  if (provider == NULL)
    return NULL;
  providers = hero_virt_registry_get_providers (registry, kind);
  for (guint i = 0; i < providers->len; i++)
    if (hero_virt_provider_info_get_provider (providers->pdata[i]) == provider)
      return g_strdup (hero_virt_provider_info_get_name (providers->pdata[i]));
  return NULL;
}

static JsonNode *
plugins_json (HeroVirtRegistry *registry, GPtrArray *plugins, GPtrArray *runtime)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_auto (GStrv) search_path = hero_virt_registry_get_search_path (registry);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "search_path");
  json_builder_begin_array (b);
  for (guint i = 0; search_path[i] != NULL; i++)
    json_builder_add_string_value (b, search_path[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "plugins");
  json_builder_begin_array (b);
  for (guint i = 0; i < plugins->len; i++)
    json_builder_add_value (b, plugin_to_json (plugins->pdata[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "runtime_providers");
  json_builder_begin_array (b);
  for (guint i = 0; i < runtime->len; i++)
    json_builder_add_value (b, provider_to_json (runtime->pdata[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "defaults");
  json_builder_begin_object (b);
  for (int kind = 0; kind < HERO_VIRT_PROVIDER_N_KINDS; kind++)
    {
      g_autofree char *name = default_provider_name (registry, kind);

      json_builder_set_member_name (b, hero_virt_provider_kind_to_string (kind));
      if (name != NULL)
        json_builder_add_string_value (b, name);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_plugins_summary (HeroVirtRegistry *registry, GPtrArray *plugins)
{
  g_auto (GStrv) search_path = hero_virt_registry_get_search_path (registry);
  g_autofree char *path = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, search_path);
  guint            failed = 0, n_providers = 0;

  for (guint i = 0; i < plugins->len; i++)
    {
      g_autoptr (GPtrArray) providers = hero_virt_plugin_info_get_providers (plugins->pdata[i]);

      if (hero_virt_plugin_info_get_error (plugins->pdata[i]) != NULL)
        failed++;
      n_providers += providers ? providers->len : 0;
    }

  g_print ("Default providers:\n");
  for (int kind = 0; kind < HERO_VIRT_PROVIDER_N_KINDS; kind++)
    {
      g_autofree char *name = default_provider_name (registry, kind);

      g_print ("  %-10s %s\n", hero_virt_provider_kind_to_string (kind), name ? name : "(none)");
    }
  g_print ("\nSearch path: %s\n", path);
  g_print ("Total: %u plugin%s (%u failed to load), %u provider%s\n", plugins->len,
           plugins->len == 1 ? "" : "s", failed, n_providers, n_providers == 1 ? "" : "s");
}

static int
cmd_plugins (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[]
      = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL }, { NULL } };
  HeroVirtRegistry *registry;
  g_autoptr (GPtrArray) plugins = NULL;
  g_autoptr (GPtrArray) runtime = NULL;
  int status;

  if (!hv_cli_parse_args ("plugins", "[NAME]",
                          "Lists every plugin found, what it provides, whether each provider "
                          "is available, and why a plugin failed to load.",
                          entries, &argc, &argv, 0, 1, &status))
    return status;

  registry = hero_virt_registry_get_default ();
  plugins = hero_virt_registry_get_plugins (registry);
  runtime = runtime_providers (registry);

  if (argc == 2)
    {
      HeroVirtPluginInfo *plugin = hero_virt_registry_find_plugin (registry, argv[1]);

      if (plugin == NULL)
        {
          g_printerr ("hero-virt: error [not-found]: No plugin called '%s'\n", argv[1]);
          return HV_CLI_EXIT_FAILURE;
        }
      if (json)
        {
          g_autoptr (JsonNode) node = plugin_to_json (plugin);
          hv_cli_print_json (node);
        }
      else
        print_plugin (plugin);
      return HV_CLI_EXIT_OK;
    }

  if (json)
    {
      g_autoptr (JsonNode) node = plugins_json (registry, plugins, runtime);
      hv_cli_print_json (node);
      return HV_CLI_EXIT_OK;
    }

  for (guint i = 0; i < plugins->len; i++)
    print_plugin (plugins->pdata[i]);
  if (plugins->len == 0)
    g_print ("No plugins found. Install HeroVirt's plugins, or point HERO_VIRT_PLUGIN_PATH\n"
             "at directories holding libherovirt-*.so (e.g. BUILDDIR/plugins/qcow2).\n\n");
  if (runtime->len > 0)
    {
      g_print ("Registered at run time:\n");
      for (guint i = 0; i < runtime->len; i++)
        print_provider (runtime->pdata[i]);
      g_print ("\n");
    }
  print_plugins_summary (registry, plugins);
  return HV_CLI_EXIT_OK;
}

/* --- doctor --- */

typedef struct
{
  const char        *program;
  const char *const *version_args;
  const char        *used_by;
} DoctorTool;

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const DoctorTool doctor_tools[] = {
  { "qemu-img", ARGS ("--version"), "disk (qcow2)" },
  { "qemu-system-x86_64", ARGS ("--version"), "hypervisor (qemu)" },
  { "cloud-hypervisor", ARGS ("--version"), "hypervisor (cloudhv)" },
  { "buildah", ARGS ("--version"), "image (buildah)" },
  { "podman", ARGS ("--version"), "container (podman)" },
  { "nerdctl", ARGS ("--version"), "container (nerdctl)" },
  { "containerd", ARGS ("--version"), "container (nerdctl)" },
  { "ctr", ARGS ("--version"), "container (nerdctl)" },
  { "runc", ARGS ("--version"), "OCI runtime" },
  { "crun", ARGS ("--version"), "OCI runtime" },
  { "skopeo", ARGS ("--version"), "image copy" },
  { "docker-registry", ARGS ("--version"), "local registry (tests)" },
  { "sshd", ARGS ("-V"), "SSH executor (tests)" },
  { "kubectl", ARGS ("version", "--client"), "cluster (k8s)" },
};

/* sbin is not on every user's PATH, but sshd lives there. */
static char *
find_tool (const char *program)
{
  static const char *const extra_dirs[] = { "/usr/sbin", "/sbin", "/usr/local/sbin" };
  char                    *path = g_find_program_in_path (program);

  for (guint i = 0; path == NULL && i < G_N_ELEMENTS (extra_dirs); i++)
    {
      g_autofree char *candidate = g_build_filename (extra_dirs[i], program, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        path = g_steal_pointer (&candidate);
    }
  return path;
}

/* The first non-empty output line, which is where every tool above puts
 * its version (sshd prints it on stderr next to a usage complaint). */
static char *
tool_version (HeroVirtExecutor *executor, const char *path, const DoctorTool *tool)
{
  g_autoptr (HeroVirtCommand) command = hero_virt_command_new (path);
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_auto (GStrv) lines = NULL;
  const char *text;

  hero_virt_command_add_argv (command, tool->version_args);
  hero_virt_command_set_merge_stderr (command, TRUE);
  hero_virt_command_set_timeout (command, 10000);
  result = hero_virt_executor_run (executor, command, hv_cli_get_cancellable (), NULL);
  if (result == NULL)
    return NULL;
  text = hero_virt_command_result_get_stdout_text (result);
  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0' || g_str_has_prefix (lines[i], "unknown option"))
        continue;
      /* Some tools echo argv[0], which is our absolute path. */
      if (g_str_has_prefix (lines[i], path))
        {
          g_autofree char *base = g_path_get_basename (path);
          return g_strconcat (base, lines[i] + strlen (path), NULL);
        }
      return g_strdup (lines[i]);
    }
  return NULL;
}

/* Where VMs run: what hero_virt_detect_virtualization() says this machine
 * is, whether /dev/kvm exists and answers KVM_GET_API_VERSION, whether the
 * CPU has VT-x or AMD-V, and so which accelerator the qemu plugin picks.
 * The rule is the one of choose_accel() in plugins/qemu/qemu-provider.c:
 * $HERO_VIRT_QEMU_ACCEL when it says kvm or tcg, else KVM only when
 * /dev/kvm opens and the CPU has VT-x/AMD-V (a /dev/kvm without them is a
 * paravirtual KVM, such as kvm_pvm in a cloud VM, that hangs a stock
 * kernel), else TCG. */
typedef struct
{
  const char *detected;
  gboolean    kvm_exists;
  gboolean    kvm_usable;
  int         kvm_api_version; /* -1 when unknown */
  char       *kvm_error;
  gboolean    cpu_hw_virt;
  const char *qemu_accel;
  char       *qemu_accel_reason;
} DoctorVirt;

static gboolean
cpu_has_hw_virt (void)
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

static void
doctor_virt (DoctorVirt *v)
{
  const char *forced = g_getenv ("HERO_VIRT_QEMU_ACCEL");
  int         fd;

  v->detected = hero_virt_detect_virtualization ();
  v->kvm_api_version = -1;
  v->kvm_exists = g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS);
  v->cpu_hw_virt = cpu_has_hw_virt ();
  fd = v->kvm_exists ? open ("/dev/kvm", O_RDWR | O_CLOEXEC) : -1;
  if (fd >= 0)
    {
      v->kvm_api_version = ioctl (fd, KVM_GET_API_VERSION, 0);
      if (v->kvm_api_version == KVM_API_VERSION)
        v->kvm_usable = TRUE;
      else
        v->kvm_error
            = v->kvm_api_version < 0
                  ? g_strdup_printf ("KVM_GET_API_VERSION: %s", g_strerror (errno))
                  : g_strdup_printf ("API version %d, not %d", v->kvm_api_version, KVM_API_VERSION);
      close (fd);
    }
  else if (v->kvm_exists)
    v->kvm_error = g_strdup_printf ("cannot open it read-write: %s", g_strerror (errno));

  if (g_strcmp0 (forced, "kvm") == 0 || g_strcmp0 (forced, "tcg") == 0)
    {
      v->qemu_accel = forced;
      v->qemu_accel_reason = g_strdup ("HERO_VIRT_QEMU_ACCEL says so");
    }
  else if (!v->kvm_exists)
    {
      v->qemu_accel = "tcg";
      v->qemu_accel_reason = g_strdup ("/dev/kvm does not exist");
    }
  else if (fd < 0)
    {
      v->qemu_accel = "tcg";
      v->qemu_accel_reason = g_strdup ("/dev/kvm cannot be opened read-write");
    }
  else if (!v->cpu_hw_virt)
    {
      v->qemu_accel = "tcg";
      v->qemu_accel_reason
          = g_strdup ("/dev/kvm opens but the CPU has no VT-x/AMD-V (a paravirtual KVM, "
                      "which hangs a stock kernel)");
    }
  else
    {
      v->qemu_accel = "kvm";
      v->qemu_accel_reason = g_strdup ("/dev/kvm opens and the CPU has VT-x/AMD-V");
    }
}

static void
doctor_virt_json (JsonBuilder *b, const DoctorVirt *v)
{
  json_builder_set_member_name (b, "virtualization");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "detected");
  json_builder_add_string_value (b, v->detected);
  json_builder_set_member_name (b, "kvm_device");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, "/dev/kvm");
  json_builder_set_member_name (b, "exists");
  json_builder_add_boolean_value (b, v->kvm_exists);
  json_builder_set_member_name (b, "usable");
  json_builder_add_boolean_value (b, v->kvm_usable);
  json_builder_set_member_name (b, "api_version");
  v->kvm_api_version >= 0 ? json_builder_add_int_value (b, v->kvm_api_version)
                          : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "error");
  v->kvm_error ? json_builder_add_string_value (b, v->kvm_error) : json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "cpu_hardware_virtualization");
  json_builder_add_boolean_value (b, v->cpu_hw_virt);
  json_builder_set_member_name (b, "qemu_accel");
  json_builder_add_string_value (b, v->qemu_accel);
  json_builder_set_member_name (b, "qemu_accel_reason");
  json_builder_add_string_value (b, v->qemu_accel_reason);
  json_builder_end_object (b);
}

static void
doctor_virt_print (const DoctorVirt *v)
{
  g_print ("\nVirtualization:\n");
  g_print ("  running on:            %s\n", v->detected);
  if (!v->kvm_exists)
    g_print ("  /dev/kvm:              missing\n");
  else if (v->kvm_usable)
    g_print ("  /dev/kvm:              present, usable (API version %d)\n", v->kvm_api_version);
  else
    g_print ("  /dev/kvm:              present, NOT usable: %s\n", v->kvm_error);
  g_print ("  CPU VT-x/AMD-V:        %s\n", v->cpu_hw_virt ? "yes" : "no");
  g_print ("  qemu accelerator:      %s (%s)\n", v->qemu_accel, v->qemu_accel_reason);
}

static int
cmd_doctor (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[]
      = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL }, { NULL } };
  g_autoptr (HeroVirtExecutor) executor = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_auto (GStrv) search_path = NULL;
  const char *env_path = g_getenv ("HERO_VIRT_PLUGIN_PATH");
  guint       missing = 0;
  int         status;
  DoctorVirt  virt = { 0 };

  if (!hv_cli_parse_args ("doctor", "",
                          "Shows which backend tools are installed, with their versions, "
                          "where plugins are searched, which hypervisor this machine runs on, "
                          "whether /dev/kvm is usable and so whether the qemu plugin uses KVM "
                          "or TCG.",
                          entries, &argc, &argv, 0, 0, &status))
    return status;

  executor = HERO_VIRT_EXECUTOR (hero_virt_local_executor_new ());
  search_path = hero_virt_registry_get_search_path (hero_virt_registry_get_default ());

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tools");
  json_builder_begin_array (b);
  if (!json)
    g_print ("Backend tools:\n");
  for (guint i = 0; i < G_N_ELEMENTS (doctor_tools); i++)
    {
      const DoctorTool *tool = &doctor_tools[i];
      g_autofree char  *path = find_tool (tool->program);
      g_autofree char  *version = path ? tool_version (executor, path, tool) : NULL;

      if (g_cancellable_is_cancelled (hv_cli_get_cancellable ()))
        return HV_CLI_EXIT_CANCELLED;
      missing += path == NULL;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, tool->program);
      json_builder_set_member_name (b, "found");
      json_builder_add_boolean_value (b, path != NULL);
      json_builder_set_member_name (b, "path");
      path ? json_builder_add_string_value (b, path) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "version");
      version ? json_builder_add_string_value (b, version) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "used_by");
      json_builder_add_string_value (b, tool->used_by);
      json_builder_end_object (b);

      if (!json)
        g_print ("  %-20s %-8s %s\n", tool->program, path ? "found" : "MISSING",
                 path ? (version ? version : "(version unknown)") : tool->used_by);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "plugin_dir");
  json_builder_add_string_value (b, HERO_VIRT_PLUGINDIR);
  json_builder_set_member_name (b, "plugin_path_env");
  env_path ? json_builder_add_string_value (b, env_path) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "search_path");
  json_builder_begin_array (b);
  for (guint i = 0; search_path[i] != NULL; i++)
    json_builder_add_string_value (b, search_path[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, HERO_VIRT_VERSION_S);
  doctor_virt (&virt);
  doctor_virt_json (b, &virt);
  json_builder_end_object (b);

  if (json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      hv_cli_print_json (root);
    }
  else
    {
      g_autofree char *joined = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, search_path);

      g_print ("\nHeroVirt %s\n", HERO_VIRT_VERSION_S);
      g_print ("  plugin dir:            %s\n", HERO_VIRT_PLUGINDIR);
      g_print ("  HERO_VIRT_PLUGIN_PATH: %s\n", env_path ? env_path : "(unset)");
      g_print ("  search path:           %s\n", joined);
      doctor_virt_print (&virt);
      g_print ("\n%u of %u tools found.\n", (guint)G_N_ELEMENTS (doctor_tools) - missing,
               (guint)G_N_ELEMENTS (doctor_tools));
    }
  g_free (virt.kvm_error);
  g_free (virt.qemu_accel_reason);
  return HV_CLI_EXIT_OK;
}

/* --- main --- */

static int
cmd_version (int argc, char **argv)
{
  g_print ("hero-virt %s\n", HERO_VIRT_VERSION_S);
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand commands[]
    = { { "plugins", "[NAME] [--json]", "List plugins, their providers and load errors",
          cmd_plugins },
        { "doctor", "[--json]", "Show which backend tools are installed", cmd_doctor },
        { "disk", "COMMAND ...", "Create, inspect, snapshot, resize, convert and check disk images",
          hv_cli_disk },
#ifdef HAVE_CLI_IMAGE_C
        { "image", "COMMAND ...", "Build and manage container images", hv_cli_image },
#endif
#ifdef HAVE_CLI_CONTAINER_C
        { "container", "COMMAND ...", "Run and manage containers", hv_cli_container },
#endif
#ifdef HAVE_CLI_VM_C
        { "vm", "COMMAND ...", "Create, run, watch and delete virtual machines", hv_cli_vm },
#endif
#ifdef HAVE_CLI_KUBE_C
        { "kube", "COMMAND ...", "Get, apply, delete, wait for Kubernetes objects", hv_cli_kube },
#endif
        { "version", "", "Print the version", cmd_version },
        { NULL } };

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage:\n  hero-virt COMMAND [OPTION…]\n\n"
                "Containers, images, disks and VMs through HeroVirt's plugins.\n\nCommands:\n");
  for (const HvCliCommand *c = commands; c->name != NULL; c++)
    {
      g_autofree char *synopsis = g_strdup_printf ("%s %s", c->name, c->args);
      fprintf (out, "  %-24s %s\n", synopsis, c->summary);
    }
  fprintf (out,
           "\nRun 'hero-virt COMMAND --help' for a command's options.\n"
           "Exit status: 0 success, 1 failure, 2 bad usage or invalid argument,\n"
           "3 'disk check' found problems, 130 interrupted.\n"
           "Environment: HERO_VIRT_PLUGIN_PATH (extra plugin dirs), HERO_VIRT_<KIND>=name\n"
           "(pick a provider, e.g. HERO_VIRT_DISK=qcow2), G_MESSAGES_DEBUG=all (show commands).\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      print_usage (stderr);
      return HV_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return HV_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    return cmd_version (argc, argv);

  for (const HvCliCommand *c = commands; c->name != NULL; c++)
    if (g_str_equal (argv[1], c->name))
      return c->run (argc - 1, argv + 1);

  g_printerr ("hero-virt: unknown command '%s'\n", argv[1]);
  g_printerr ("Run 'hero-virt --help' for the list of commands.\n");
  return HV_CLI_EXIT_USAGE;
}
