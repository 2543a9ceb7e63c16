/* ch-sim-cli.c: cloud-hypervisor's command line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Accepts what `cloud-hypervisor` accepts (clap: `--flag value`,
 * `--flag=value`, several values after --disk/--net/…) and turns the VM
 * flags into the VmConfig the real one would build, so that vm.info shows
 * them. Option strings are split exactly as cloud-hypervisor's
 * option_parser splits them: on commas outside quotes and brackets. That is
 * why `--disk path=a.qcow2,readonly=off` is a disk `a.qcow2` with an
 * option, and why callers must never put an unchecked path there.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch-sim.h"

typedef enum
{
  ARG_FLAG,   /* no value */
  ARG_SINGLE, /* one value */
  ARG_MULTI,  /* one or more values, until the next flag */
} ArgKind;

typedef struct
{
  const char *name;
  ArgKind     kind;
} ArgSpec;

/* cloud-hypervisor's own arguments (cloud-hypervisor/src/main.rs). */
static const ArgSpec ch_args[] = {
  { "cpus", ARG_SINGLE },
  { "platform", ARG_SINGLE },
  { "memory", ARG_SINGLE },
  { "memory-zone", ARG_MULTI },
  { "firmware", ARG_SINGLE },
  { "kernel", ARG_SINGLE },
  { "initramfs", ARG_SINGLE },
  { "cmdline", ARG_SINGLE },
  { "rate-limit-group", ARG_MULTI },
  { "disk", ARG_MULTI },
  { "landlock", ARG_FLAG },
  { "landlock-rules", ARG_MULTI },
  { "net", ARG_MULTI },
  { "rng", ARG_SINGLE },
  { "balloon", ARG_SINGLE },
  { "fs", ARG_MULTI },
  { "generic-vhost-user", ARG_MULTI },
  { "pmem", ARG_MULTI },
  { "serial", ARG_SINGLE },
  { "console", ARG_SINGLE },
  { "debug-console", ARG_SINGLE },
  { "device", ARG_MULTI },
  { "user-device", ARG_MULTI },
  { "vdpa", ARG_MULTI },
  { "vsock", ARG_SINGLE },
  { "pvpanic", ARG_FLAG },
  { "numa", ARG_MULTI },
  { "pci-segment", ARG_MULTI },
  { "watchdog", ARG_FLAG },
  { "log-file", ARG_SINGLE },
  { "api-socket", ARG_SINGLE },
  { "event-monitor", ARG_SINGLE },
  { "restore", ARG_SINGLE },
  { "seccomp", ARG_SINGLE },
  { "tpm", ARG_SINGLE },
  { "igvm", ARG_SINGLE },
  { "host-data", ARG_SINGLE },
  { "gdb", ARG_SINGLE },
  { "dbus-object-path", ARG_SINGLE },
  { "dbus-service-name", ARG_SINGLE },
  { "dbus-system-bus", ARG_FLAG },
  { "no-shutdown", ARG_FLAG },
  { "version", ARG_FLAG },
  { "help", ARG_FLAG },
  /* the simulator's own */
  { "sim-api-version", ARG_SINGLE },
  { "sim-guest", ARG_SINGLE },
  { "sim-max-body", ARG_SINGLE },
  { "sim-record", ARG_SINGLE },
  { NULL, 0 },
};

static const ArgSpec *
find_arg (const char *name)
{
  for (const ArgSpec *a = ch_args; a->name; a++)
    if (strcmp (a->name, name) == 0)
      return a;
  return NULL;
}

/* ---- option strings ---- */

static GPtrArray *
split_commas (const char *s, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) current = g_string_new (NULL);
  g_autofree char *trimmed = g_strstrip (g_strdup (s));
  gboolean         in_quotes = FALSE;
  guint            brackets = 0;

  for (const char *c = trimmed; *c; c++)
    {
      if (*c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && *c == '[')
        brackets++;
      else if (!in_quotes && *c == ']')
        {
          if (brackets == 0)
            goto syntax;
          brackets--;
        }
      else if (!in_quotes && *c == ',' && brackets == 0)
        {
          g_ptr_array_add (list, g_string_free (g_steal_pointer (&current), FALSE));
          current = g_string_new (NULL);
          continue;
        }
      g_string_append_c (current, *c);
    }
  g_ptr_array_add (list, g_string_free (g_steal_pointer (&current), FALSE));
  if (in_quotes || brackets != 0)
    goto syntax;
  return g_steal_pointer (&list);

syntax:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "Invalid syntax: %s", s);
  return NULL;
}

static char *
unquote (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *c = value; *c; c++)
    if (*c != '"')
      g_string_append_c (out, *c);
  return g_string_free (out, FALSE);
}

GHashTable *
ch_sim_parse_option_string (const char        *flag,
                            const char        *value,
                            const char *const *known_keys,
                            GError           **error)
{
  g_autoptr (GHashTable) options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (value));

  if (*trimmed == '\0')
    return g_steal_pointer (&options);
  parts = split_commas (value, &local_error);
  if (parts == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "Error parsing --%s: %s", flag,
                   local_error->message);
      return NULL;
    }
  for (guint i = 0; i < parts->len; i++)
    {
      const char      *part = parts->pdata[i];
      const char      *eq = strchr (part, '=');
      g_autofree char *key = eq ? g_strndup (part, eq - part) : g_strdup (part);

      if (!g_strv_contains (known_keys, key))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Error parsing --%s: Unknown option: %s", flag, key);
          return NULL;
        }
      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Error parsing --%s: Invalid syntax: %s", flag, part);
          return NULL;
        }
      g_hash_table_replace (options, g_steal_pointer (&key), unquote (eq + 1));
    }
  return g_steal_pointer (&options);
}

/* ---- values ---- */

static gboolean
parse_size (const char *flag, const char *key, const char *s, guint64 *out, GError **error)
{
  char   *end = NULL;
  guint64 v;

  errno = 0;
  v = g_ascii_strtoull (s, &end, 10);
  if (errno != 0 || end == s)
    goto bad;
  switch (*end)
    {
    case '\0':
      break;
    case 'K':
      v <<= 10, end++;
      break;
    case 'M':
      v <<= 20, end++;
      break;
    case 'G':
      v <<= 30, end++;
      break;
    default:
      goto bad;
    }
  if (*end != '\0')
    goto bad;
  *out = v;
  return TRUE;
bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Error parsing --%s: Unable to convert %s for %s", flag, s, key);
  return FALSE;
}

static gboolean
parse_bool (const char *flag, const char *key, const char *s, gboolean *out, GError **error)
{
  if (g_strv_contains ((const char *const[]){ "on", "true", NULL }, s))
    *out = TRUE;
  else if (g_strv_contains ((const char *const[]){ "off", "false", NULL }, s))
    *out = FALSE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Error parsing --%s: Unable to convert %s for %s", flag, s, key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_uint (const char *flag, const char *key, const char *s, guint64 *out, GError **error)
{
  char *end = NULL;

  errno = 0;
  *out = g_ascii_strtoull (s, &end, 10);
  if (errno == 0 && end != s && *end == '\0')
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Error parsing --%s: Unable to convert %s for %s", flag, s, key);
  return FALSE;
}

/* Which keys are numbers, sizes or booleans; the rest are strings. */
typedef struct
{
  const char *key;
  char        type; /* 's'tring, 'u'int, 'z' size, 'b'ool */
  const char *json; /* the VmConfig member, if not the key */
} KeySpec;

static gboolean
options_to_json (const char    *flag,
                 const char    *value,
                 const KeySpec *keys,
                 JsonObject    *out,
                 GError       **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GHashTable) options = NULL;

  for (const KeySpec *k = keys; k->key; k++)
    g_ptr_array_add (names, (gpointer)k->key);
  g_ptr_array_add (names, NULL);
  options = ch_sim_parse_option_string (flag, value, (const char *const *)names->pdata, error);
  if (options == NULL)
    return FALSE;
  for (const KeySpec *k = keys; k->key; k++)
    {
      const char *v = g_hash_table_lookup (options, k->key);
      const char *member = k->json ? k->json : k->key;
      guint64     n;
      gboolean    b;

      if (v == NULL)
        continue;
      switch (k->type)
        {
        case 'u':
          if (!parse_uint (flag, k->key, v, &n, error))
            return FALSE;
          json_object_set_int_member (out, member, (gint64)n);
          break;
        case 'z':
          if (!parse_size (flag, k->key, v, &n, error))
            return FALSE;
          json_object_set_int_member (out, member, (gint64)n);
          break;
        case 'b':
          if (!parse_bool (flag, k->key, v, &b, error))
            return FALSE;
          json_object_set_boolean_member (out, member, b);
          break;
        default:
          json_object_set_string_member (out, member, v);
        }
    }
  return TRUE;
}

static const KeySpec cpus_keys[] = {
  { "boot", 'u', "boot_vcpus" }, { "max", 'u', "max_vcpus" },
  { "topology", 's' },           { "kvm_hyperv", 'b' },
  { "max_phys_bits", 'u' },      { "affinity", 's' },
  { "features", 's' },           { "nested", 'b' },
  { "core_scheduling", 's' },    { NULL },
};
static const KeySpec memory_keys[] = {
  { "size", 'z' },           { "file", 's' },
  { "mergeable", 'b' },      { "shared", 'b' },
  { "hugepages", 'b' },      { "hugepage_size", 'z' },
  { "hotplug_size", 'z' },   { "hotplugged_size", 'z' },
  { "prefault", 'b' },       { "thp", 'b' },
  { "hotplug_method", 's' }, { NULL },
};
static const KeySpec disk_keys[] = {
  { "path", 's' },
  { "readonly", 'b' },
  { "direct", 'b' },
  { "iommu", 'b' },
  { "num_queues", 'u' },
  { "queue_size", 'u' },
  { "vhost_user", 'b' },
  { "socket", 's', "vhost_socket" },
  { "id", 's' },
  { "serial", 's' },
  { "image_type", 's' },
  { "backing_files", 'b' },
  { "pci_segment", 'u' },
  { "rate_limit_group", 's' },
  { "bw_size", 'u' },
  { "bw_one_time_burst", 'u' },
  { "bw_refill_time", 'u' },
  { "ops_size", 'u' },
  { "ops_one_time_burst", 'u' },
  { "ops_refill_time", 'u' },
  { "queue_affinity", 's' },
  { "sparse", 'b' },
  { "lock_granularity", 's' },
  { "_disable_io_uring", 'b', "disable_io_uring" },
  { "_disable_aio", 'b', "disable_aio" },
  { NULL },
};
static const KeySpec net_keys[] = {
  { "tap", 's' },
  { "ip", 's' },
  { "mask", 's' },
  { "mac", 's' },
  { "host_mac", 's' },
  { "mtu", 'u' },
  { "iommu", 'b' },
  { "num_queues", 'u' },
  { "queue_size", 'u' },
  { "id", 's' },
  { "vhost_user", 'b' },
  { "socket", 's', "vhost_socket" },
  { "vhost_mode", 's' },
  { "fd", 's' },
  { "pci_segment", 'u' },
  { "offload_tso", 'b' },
  { "offload_ufo", 'b' },
  { "offload_csum", 'b' },
  { "bw_size", 'u' },
  { "bw_one_time_burst", 'u' },
  { "bw_refill_time", 'u' },
  { "ops_size", 'u' },
  { "ops_one_time_burst", 'u' },
  { "ops_refill_time", 'u' },
  { NULL },
};
static const KeySpec rng_keys[] = { { "src", 's' }, { "iommu", 'b' }, { NULL } };
static const KeySpec vsock_keys[] = {
  { "cid", 'u' }, { "socket", 's' },      { "iommu", 'b' },
  { "id", 's' },  { "pci_segment", 'u' }, { NULL },
};
static const KeySpec restore_keys[] = {
  { "source_url", 's' },
  { "prefault", 'b' },
  { "memory_restore_mode", 's' },
  { "resume", 'b' },
  { NULL },
};

/* --serial / --console: off|null|pty|tty|file=…|socket=… */
static JsonObject *
parse_console (const char *flag, const char *value, GError **error)
{
  JsonObject *console = json_object_new ();
  const char *mode = NULL;

  json_object_set_null_member (console, "file");
  json_object_set_null_member (console, "socket");
  if (g_ascii_strcasecmp (value, "off") == 0)
    mode = "Off";
  else if (g_ascii_strcasecmp (value, "null") == 0)
    mode = "Null";
  else if (g_ascii_strcasecmp (value, "pty") == 0)
    mode = "Pty";
  else if (g_ascii_strcasecmp (value, "tty") == 0)
    mode = "Tty";
  else if (g_str_has_prefix (value, "file="))
    {
      mode = "File";
      json_object_set_string_member (console, "file", value + 5);
    }
  else if (g_str_has_prefix (value, "socket="))
    {
      mode = "Socket";
      json_object_set_string_member (console, "socket", value + 7);
    }
  if (mode == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Error parsing --%s: Invalid value: %s", flag, value);
      json_object_unref (console);
      return NULL;
    }
  json_object_set_string_member (console, "mode", mode);
  json_object_set_boolean_member (console, "iommu", FALSE);
  return console;
}

/* Builds the VmConfig from the VM flags. */
static JsonObject *
config_from_args (GHashTable *single, GHashTable *multi, GError **error)
{
  g_autoptr (JsonObject) config = json_object_new ();
  const char *v;
  GPtrArray  *list;

  if ((v = g_hash_table_lookup (single, "cpus")) != NULL)
    {
      JsonObject *cpus = json_object_new ();

      json_object_set_object_member (config, "cpus", cpus);
      if (!options_to_json ("cpus", v, cpus_keys, cpus, error))
        return NULL;
    }
  if ((v = g_hash_table_lookup (single, "memory")) != NULL)
    {
      JsonObject *memory = json_object_new ();

      json_object_set_object_member (config, "memory", memory);
      if (!options_to_json ("memory", v, memory_keys, memory, error))
        return NULL;
    }
  {
    JsonObject *payload = json_object_new ();
    const char *keys[] = { "kernel", "initramfs", "cmdline", "firmware", "igvm", "host-data" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      if ((v = g_hash_table_lookup (single, keys[i])) != NULL)
        {
          g_autofree char *member = g_strdelimit (g_strdup (keys[i]), "-", '_');
          json_object_set_string_member (payload, member, v);
        }
    json_object_set_object_member (config, "payload", payload);
  }
  if ((list = g_hash_table_lookup (multi, "disk")) != NULL)
    {
      JsonArray *disks = json_array_new ();

      json_object_set_array_member (config, "disks", disks);
      for (guint i = 0; i < list->len; i++)
        {
          JsonObject *disk = json_object_new ();

          json_array_add_object_element (disks, disk);
          if (!options_to_json ("disk", list->pdata[i], disk_keys, disk, error))
            return NULL;
        }
    }
  if ((list = g_hash_table_lookup (multi, "net")) != NULL)
    {
      JsonArray *nets = json_array_new ();

      json_object_set_array_member (config, "net", nets);
      for (guint i = 0; i < list->len; i++)
        {
          JsonObject *net = json_object_new ();

          json_array_add_object_element (nets, net);
          if (!options_to_json ("net", list->pdata[i], net_keys, net, error))
            return NULL;
        }
    }
  if ((v = g_hash_table_lookup (single, "rng")) != NULL)
    {
      JsonObject *rng = json_object_new ();

      json_object_set_object_member (config, "rng", rng);
      if (!options_to_json ("rng", v, rng_keys, rng, error))
        return NULL;
    }
  if ((v = g_hash_table_lookup (single, "vsock")) != NULL)
    {
      JsonObject *vsock = json_object_new ();

      json_object_set_object_member (config, "vsock", vsock);
      if (!options_to_json ("vsock", v, vsock_keys, vsock, error))
        return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *flag = i == 0 ? "serial" : "console";

      if ((v = g_hash_table_lookup (single, flag)) != NULL)
        {
          JsonObject *console = parse_console (flag, v, error);

          if (console == NULL)
            return NULL;
          json_object_set_object_member (config, flag, console);
        }
    }
  /* The other device lists are kept as their raw option strings parsed
   * into string members: enough for vm.info to show them. */
  {
    const char *lists[][2] = { { "fs", "fs" },          { "pmem", "pmem" },
                               { "device", "devices" }, { "user-device", "user_devices" },
                               { "vdpa", "vdpa" },      { "numa", "numa" } };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      if ((list = g_hash_table_lookup (multi, lists[i][0])) != NULL)
        {
          JsonArray *array = json_array_new ();

          json_object_set_array_member (config, lists[i][1], array);
          for (guint j = 0; j < list->len; j++)
            {
              g_autoptr (GPtrArray) parts = split_commas (list->pdata[j], error);
              JsonObject *item;

              if (parts == NULL)
                return NULL;
              item = json_object_new ();
              json_array_add_object_element (array, item);
              for (guint k = 0; k < parts->len; k++)
                {
                  const char      *part = parts->pdata[k];
                  const char      *eq = strchr (part, '=');
                  g_autofree char *key = eq ? g_strndup (part, eq - part) : g_strdup (part);
                  g_autofree char *val = unquote (eq ? eq + 1 : "");

                  json_object_set_string_member (item, key, val);
                }
            }
        }
  }
  json_object_set_boolean_member (config, "pvpanic", g_hash_table_contains (single, "pvpanic"));
  json_object_set_boolean_member (config, "watchdog", g_hash_table_contains (single, "watchdog"));
  return g_steal_pointer (&config);
}

/* ---- argv ---- */

static void
usage_error (const char *message)
{
  /* clap's format */
  g_printerr ("error: %s\n\nUsage: cloud-hypervisor [OPTIONS]\n\nFor more information, try "
              "'--help'.\n",
              message);
}

static void
print_help (void)
{
  g_print ("Launch a cloud-hypervisor VMM (hero-virt-ch-sim: a simulator of its REST API).\n\n"
           "Usage: cloud-hypervisor [OPTIONS]\n\n"
           "cloud-hypervisor options: --api-socket path=…|fd=…|PATH, --kernel, --initramfs,\n"
           "  --cmdline, --firmware, --cpus boot=N[,max=M], --memory size=…, --disk …,\n"
           "  --net …, --rng src=…, --serial …, --console …, --vsock …, --restore …,\n"
           "  --log-file, -v, --seccomp, --no-shutdown (v52+), -V/--version, and the rest\n"
           "  accepted and recorded.\n"
           "Simulator options:\n"
           "  --sim-api-version 48|53   error codes and semantics of v48…v52 or v53+\n"
           "  --sim-guest plain|qemu    fake console line (default) or a real qemu guest\n"
           "  --sim-max-body BYTES      request body limit (default 4 MiB)\n"
           "  --sim-record FILE         write the parsed command line as JSON\n");
}

static gboolean
set_api_socket (ChSimOptions *options, const char *value)
{
  if (g_str_has_prefix (value, "path="))
    options->api_socket_path = g_strdup (value + 5);
  else if (g_str_has_prefix (value, "fd="))
    {
      guint64 fd;
      if (!g_ascii_string_to_unsigned (value + 3, 10, 0, G_MAXINT, &fd, NULL))
        return FALSE;
      options->api_socket_fd = (int)fd;
    }
  else if (strchr (value, '=') == NULL && *value != '\0')
    options->api_socket_path = g_strdup (value);
  else
    return FALSE;
  return TRUE;
}

static gboolean
apply_sim_options (ChSimOptions *options, GHashTable *single, int *exit_code)
{
  const char *v;
  guint64     n;

  v = g_hash_table_lookup (single, "sim-api-version");
  if (v == NULL)
    v = g_getenv ("HERO_VIRT_CH_SIM_API_VERSION");
  if (v != NULL)
    {
      /* "48", "52.0", "v53" … */
      if (*v == 'v')
        v++;
      n = g_ascii_strtoull (v, NULL, 10);
      if (n < 40)
        {
          usage_error ("invalid value for '--sim-api-version': use 48 (v48…v52) or 53 (v53+)");
          *exit_code = 2;
          return FALSE;
        }
      options->api_version = n >= 53 ? CH_SIM_API_53 : CH_SIM_API_48;
    }
  if ((v = g_hash_table_lookup (single, "sim-guest")) != NULL)
    {
      if (strcmp (v, "plain") == 0)
        options->guest_mode = CH_SIM_GUEST_PLAIN;
      else if (strcmp (v, "qemu") == 0)
        options->guest_mode = CH_SIM_GUEST_QEMU;
      else
        {
          usage_error ("invalid value for '--sim-guest': use plain or qemu");
          *exit_code = 2;
          return FALSE;
        }
    }
  if ((v = g_hash_table_lookup (single, "sim-max-body")) != NULL)
    {
      if (!g_ascii_string_to_unsigned (v, 10, 1, G_MAXUINT32, &n, NULL))
        {
          usage_error ("invalid value for '--sim-max-body'");
          *exit_code = 2;
          return FALSE;
        }
      options->max_body = n;
    }
  v = g_hash_table_lookup (single, "sim-record");
  if (v == NULL)
    v = g_getenv ("HERO_VIRT_CH_SIM_RECORD");
  options->record_path = g_strdup (v);
  return TRUE;
}

gboolean
ch_sim_options_parse (ChSimOptions *options, int argc, char **argv, int *exit_code)
{
  g_autoptr (GHashTable) single = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GHashTable) multi
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  g_autoptr (GError) error = NULL;
  const char *v;

  memset (options, 0, sizeof *options);
  options->api_socket_fd = -1;
  options->api_version = CH_SIM_API_53;
  options->max_body = 4 << 20;
  options->argv = g_strdupv (argv);
  *exit_code = 0;

  for (int i = 1; i < argc; i++)
    {
      const char      *arg = argv[i];
      g_autofree char *name = NULL;
      const char      *inline_value = NULL;
      const ArgSpec   *spec;

      if (strcmp (arg, "-V") == 0)
        arg = "--version";
      else if (strcmp (arg, "-h") == 0)
        arg = "--help";
      if (arg[0] == '-' && arg[1] != '-' && arg[1] != '\0'
          && strspn (arg + 1, "v") == strlen (arg + 1))
        {
          options->verbosity += (int)strlen (arg + 1);
          continue;
        }
      if (!g_str_has_prefix (arg, "--"))
        {
          g_autofree char *m = g_strdup_printf ("unexpected argument '%s' found", arg);
          usage_error (m);
          *exit_code = 2;
          return FALSE;
        }
      name = g_strdup (arg + 2);
      if (strchr (name, '=') != NULL)
        {
          char *eq = strchr (name, '=');
          *eq = '\0';
          inline_value = arg + 2 + (eq - name) + 1;
        }
      spec = find_arg (name);
      if (spec == NULL)
        {
          g_autofree char *m = g_strdup_printf ("unexpected argument '--%s' found", name);
          usage_error (m);
          *exit_code = 2;
          return FALSE;
        }
      switch (spec->kind)
        {
        case ARG_FLAG:
          g_hash_table_replace (single, (gpointer)spec->name, g_strdup (""));
          break;
        case ARG_SINGLE:
          if (inline_value == NULL)
            {
              if (i + 1 >= argc)
                {
                  g_autofree char *m = g_strdup_printf (
                      "a value is required for '--%s <%s>' but none was supplied", name, name);
                  usage_error (m);
                  *exit_code = 2;
                  return FALSE;
                }
              inline_value = argv[++i];
            }
          if (g_hash_table_contains (single, spec->name))
            {
              g_autofree char *m = g_strdup_printf (
                  "the argument '--%s <%s>' cannot be used multiple times", name, name);
              usage_error (m);
              *exit_code = 2;
              return FALSE;
            }
          g_hash_table_replace (single, (gpointer)spec->name, g_strdup (inline_value));
          break;
        case ARG_MULTI:
          {
            GPtrArray *values = g_hash_table_lookup (multi, spec->name);

            if (values == NULL)
              {
                values = g_ptr_array_new_with_free_func (g_free);
                g_hash_table_replace (multi, (gpointer)spec->name, values);
              }
            if (inline_value != NULL)
              g_ptr_array_add (values, g_strdup (inline_value));
            else
              {
                guint before = values->len;
                while (i + 1 < argc && argv[i + 1][0] != '-')
                  g_ptr_array_add (values, g_strdup (argv[++i]));
                if (values->len == before)
                  {
                    g_autofree char *m = g_strdup_printf (
                        "a value is required for '--%s <%s>' but none was supplied", name, name);
                    usage_error (m);
                    *exit_code = 2;
                    return FALSE;
                  }
              }
          }
          break;
        }
    }

  if (!apply_sim_options (options, single, exit_code))
    return FALSE;
  if (g_hash_table_contains (single, "help"))
    {
      print_help ();
      return FALSE;
    }
  if (g_hash_table_contains (single, "version"))
    {
      g_print ("cloud-hypervisor v%d.0 (hero-virt-ch-sim %s)\n", (int)options->api_version,
               PACKAGE_VERSION);
      return FALSE;
    }
  /* --no-shutdown appeared in v52; the v48 mode is v48 itself. */
  if (g_hash_table_contains (single, "no-shutdown"))
    {
      if (options->api_version == CH_SIM_API_48)
        {
          usage_error ("unexpected argument '--no-shutdown' found");
          *exit_code = 2;
          return FALSE;
        }
      options->no_shutdown = TRUE;
    }
  if ((v = g_hash_table_lookup (single, "api-socket")) != NULL && !set_api_socket (options, v))
    {
      g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n"
                  "  0: Error parsing --api-socket\n  1: Invalid syntax: %s\n",
                  v);
      *exit_code = 1;
      return FALSE;
    }
  options->log_file = g_strdup (g_hash_table_lookup (single, "log-file"));
  if ((v = g_hash_table_lookup (single, "seccomp")) != NULL
      && !g_strv_contains ((const char *const[]){ "true", "false", "log", NULL }, v))
    {
      g_autofree char *m = g_strdup_printf (
          "invalid value '%s' for '--seccomp <seccomp>'\n  [possible values: true, false, log]", v);
      usage_error (m);
      *exit_code = 2;
      return FALSE;
    }

  if (g_hash_table_contains (single, "kernel") || g_hash_table_contains (single, "firmware")
      || g_hash_table_contains (single, "igvm"))
    {
      options->cli_config = config_from_args (single, multi, &error);
      if (options->cli_config == NULL)
        {
          g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n"
                      "  0: Error parsing config\n  1: %s\n",
                      error->message);
          *exit_code = 1;
          return FALSE;
        }
    }
  else
    {
      /* Still check the flags, as cloud-hypervisor parses them. */
      g_autoptr (JsonObject) unused = config_from_args (single, multi, &error);
      if (unused == NULL)
        {
          g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n"
                      "  0: Error parsing config\n  1: %s\n",
                      error->message);
          *exit_code = 1;
          return FALSE;
        }
      if (g_hash_table_size (multi) > 0 || g_hash_table_contains (single, "cpus")
          || g_hash_table_contains (single, "memory"))
        options->cli_config = g_steal_pointer (&unused);
    }
  if ((v = g_hash_table_lookup (single, "restore")) != NULL)
    {
      options->cli_restore = json_object_new ();
      if (!options_to_json ("restore", v, restore_keys, options->cli_restore, &error))
        {
          g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n"
                      "  0: %s\n",
                      error->message);
          *exit_code = 1;
          return FALSE;
        }
    }
  if (options->api_socket_path == NULL && options->api_socket_fd < 0 && options->cli_config == NULL
      && options->cli_restore == NULL)
    {
      /* cloud-hypervisor with nothing to do prints its usage; a simulator
       * without a socket has nothing to serve either. */
      usage_error ("the simulator needs --api-socket (or --kernel)");
      *exit_code = 2;
      return FALSE;
    }
  return TRUE;
}

void
ch_sim_options_clear (ChSimOptions *options)
{
  g_clear_pointer (&options->api_socket_path, g_free);
  g_clear_pointer (&options->log_file, g_free);
  g_clear_pointer (&options->record_path, g_free);
  g_clear_pointer (&options->cli_config, json_object_unref);
  g_clear_pointer (&options->cli_restore, json_object_unref);
  g_clear_pointer (&options->argv, g_strfreev);
}
