/* cli-container.c: hero-virt container run|ps|logs|stop|rm|inspect|stats
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every command takes --provider (podman, nerdctl; the default otherwise)
 * and goes through HeroVirtContainerBuilder / HeroVirtContainer, so names
 * and flags are validated by the library before anything runs. The
 * podman provider uses its REST API when CONTAINER_HOST=unix://… names
 * its service socket, else the podman CLI.
 */
#include "cli-common.h"

#include <stdio.h>
#include <string.h>

static char *opt_provider;

#define PROVIDER_ENTRY                                                                             \
  {                                                                                                \
    "provider", 0, 0, G_OPTION_ARG_STRING, &opt_provider,                                          \
        "Use this container provider (podman, nerdctl) instead of the default", "NAME"             \
  }

static HeroVirtContainer *
open_container (const char *name, GError **error)
{
  return hero_virt_container_new_for_provider (name, opt_provider, NULL, error);
}

static void
set_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_status (JsonBuilder *b, HeroVirtContainerStatus *st)
{
  const char *const *labels = hero_virt_container_status_get_labels (st);

  json_builder_begin_object (b);
  set_string (b, "id", hero_virt_container_status_get_id (st));
  set_string (b, "name", hero_virt_container_status_get_name (st));
  set_string (b, "image", hero_virt_container_status_get_image (st));
  set_string (b, "state", hero_virt_container_status_get_state (st));
  set_string (b, "status", hero_virt_container_status_get_status (st));
  json_builder_set_member_name (b, "running");
  json_builder_add_boolean_value (b, hero_virt_container_status_get_running (st));
  json_builder_set_member_name (b, "exit_code");
  json_builder_add_int_value (b, hero_virt_container_status_get_exit_code (st));
  set_string (b, "created", hero_virt_container_status_get_created (st));
  set_string (b, "started_at", hero_virt_container_status_get_started_at (st));
  set_string (b, "finished_at", hero_virt_container_status_get_finished_at (st));
  set_string (b, "health", hero_virt_container_status_get_health_status (st));
  set_string (b, "health_output", hero_virt_container_status_get_health_output (st));
  set_string (b, "ports", hero_virt_container_status_get_ports (st));
  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    json_builder_add_string_value (b, labels[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_status_json (HeroVirtContainerStatus *st)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  add_status (b, st);
  root = json_builder_get_root (b);
  hv_cli_print_json (root);
}

/* --- run --- */

/* "[ip:]host:container[/protocol]"; IPv6 addresses in brackets. */
static gboolean
add_port_arg (HeroVirtContainerBuilder *b, const char *spec, GError **error)
{
  g_autoptr (GRegex) re
      = g_regex_new ("^(?:\\[?([0-9a-fA-F:.]+?)\\]?:)?([0-9]{1,5}):([0-9]{1,5})(?:/([a-z]+))?$",
                     G_REGEX_DOLLAR_ENDONLY, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  g_autofree char *ip = NULL, *host = NULL, *ctr = NULL, *proto = NULL;

  /* One line (the shared anchored validator), and `$` only at the very
   * end: "8080:80\n" is refused. */
  if (!hero_virt_validate_single_line ("port", spec, error))
    return FALSE;
  if (!g_regex_match (re, spec, 0, &m))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid port “%s”: use [host-ip:]host-port:container-port[/protocol]", spec);
      return FALSE;
    }
  ip = g_match_info_fetch (m, 1);
  host = g_match_info_fetch (m, 2);
  ctr = g_match_info_fetch (m, 3);
  proto = g_match_info_fetch (m, 4);
  hero_virt_container_builder_add_port_full (
      b, ip && *ip ? ip : NULL, (guint)g_ascii_strtoull (host, NULL, 10),
      (guint)g_ascii_strtoull (ctr, NULL, 10), proto && *proto ? proto : NULL);
  return TRUE;
}

static gboolean
add_volume_arg (HeroVirtContainerBuilder *b, const char *spec, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (spec, ":", 3);

  if (g_strv_length (parts) < 2
      || (parts[2] != NULL && !g_str_equal (parts[2], "ro") && !g_str_equal (parts[2], "rw")))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid volume “%s”: use SOURCE:TARGET[:ro]", spec);
      return FALSE;
    }
  hero_virt_container_builder_add_volume (b, parts[0], parts[1],
                                          parts[2] && g_str_equal (parts[2], "ro"));
  return TRUE;
}

static gboolean
add_key_value_args (HeroVirtContainerBuilder *b,
                    char                    **items,
                    const char               *what,
                    HeroVirtContainerBuilder *(*add) (HeroVirtContainerBuilder *,
                                                      const char *,
                                                      const char *),
                    GError **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char      *eq = strchr (items[i], '=');
      g_autofree char *key = eq ? g_strndup (items[i], eq - items[i]) : NULL;

      /* --env NAME takes the value from hero-virt's own environment, so a
       * secret need not be on this command line either. */
      if (eq == NULL && add == hero_virt_container_builder_add_env && g_getenv (items[i]) != NULL)
        {
          if (!hero_virt_validate_env_name (items[i], error))
            return FALSE;
          add (b, items[i], g_getenv (items[i]));
          continue;
        }
      if (eq == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Invalid %s “%s”: use KEY=VALUE%s", what, items[i],
                       add == hero_virt_container_builder_add_env
                           ? " (or KEY, set in this environment)"
                           : "");
          return FALSE;
        }
      add (b, key, eq + 1);
    }
  return TRUE;
}

static int
cmd_run (int argc, char **argv)
{
  g_autofree char *name = NULL, *network = NULL, *memory = NULL, *memory_swap = NULL,
                  *restart = NULL;
  g_autofree char *health_cmd = NULL, *health_interval = NULL, *health_timeout = NULL,
                  *health_start = NULL;
  g_autofree char *entrypoint = NULL, *runtime = NULL, *snapshotter = NULL;
  g_auto (GStrv) ports = NULL, envs = NULL, volumes = NULL, aliases = NULL, labels = NULL;
  g_auto (GStrv) annotations = NULL, devices = NULL;
  double             cpus = 0;
  int                cpu_shares = 0, health_retries = 0, wait_healthy = 0;
  gboolean           privileged = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    PROVIDER_ENTRY,
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Container name", "NAME" },
    { "publish", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &ports, "Publish a port",
      "[IP:]HOST:CONTAINER[/PROTO]" },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &envs,
      "Set an environment variable (KEY alone: its value here)", "KEY[=VALUE]" },
    { "volume", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &volumes, "Mount a host path or volume",
      "SOURCE:TARGET[:ro]" },
    { "network", 0, 0, G_OPTION_ARG_STRING, &network, "Network to join", "NAME" },
    { "network-alias", 0, 0, G_OPTION_ARG_STRING_ARRAY, &aliases, "Extra DNS name", "ALIAS" },
    { "cpus", 0, 0, G_OPTION_ARG_DOUBLE, &cpus, "CPU limit", "N" },
    { "memory", 'm', 0, G_OPTION_ARG_STRING, &memory, "Memory limit", "SIZE" },
    { "memory-swap", 0, 0, G_OPTION_ARG_STRING, &memory_swap, "Memory plus swap limit", "SIZE" },
    { "cpu-shares", 0, 0, G_OPTION_ARG_INT, &cpu_shares, "Relative CPU weight", "N" },
    { "restart", 0, 0, G_OPTION_ARG_STRING, &restart, "Restart policy", "POLICY" },
    { "health-cmd", 0, 0, G_OPTION_ARG_STRING, &health_cmd, "Health check command", "CMD" },
    { "health-interval", 0, 0, G_OPTION_ARG_STRING, &health_interval, "Health check interval",
      "DURATION" },
    { "health-timeout", 0, 0, G_OPTION_ARG_STRING, &health_timeout, "Health check timeout",
      "DURATION" },
    { "health-retries", 0, 0, G_OPTION_ARG_INT, &health_retries, "Failures before unhealthy", "N" },
    { "health-start-period", 0, 0, G_OPTION_ARG_STRING, &health_start, "Start-up grace period",
      "DURATION" },
    { "wait-healthy", 0, 0, G_OPTION_ARG_INT, &wait_healthy,
      "Wait up to MS milliseconds for it to be healthy", "MS" },
    { "entrypoint", 0, 0, G_OPTION_ARG_STRING, &entrypoint, "Override the entrypoint", "PROGRAM" },
    { "label", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &labels, "Add a label", "KEY=VALUE" },
    { "annotation", 0, 0, G_OPTION_ARG_STRING_ARRAY, &annotations, "Add an OCI annotation",
      "KEY=VALUE" },
    { "privileged", 0, 0, G_OPTION_ARG_NONE, &privileged, "Extended privileges", NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING_ARRAY, &devices, "Add a host device", "DEVICE" },
    { "runtime", 0, 0, G_OPTION_ARG_STRING, &runtime, "OCI runtime", "NAME" },
    { "snapshotter", 0, 0, G_OPTION_ARG_STRING, &snapshotter, "containerd snapshotter (nerdctl)",
      "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the container's status as JSON", NULL },
    { NULL }
  };
  g_autoptr (HeroVirtContainerBuilder) b = NULL;
  g_autoptr (HeroVirtContainer) container = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("container run", "IMAGE [-- COMMAND ...]",
                          "Creates and starts a container.", entries, &argc, &argv, 1, -1, &status))
    return status;

  b = hero_virt_container_builder_new (name, argv[1]);
  hero_virt_container_builder_set_provider_name (b, opt_provider);
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    if (!add_port_arg (b, ports[i], &error))
      return hv_cli_report_error (error);
  for (guint i = 0; volumes != NULL && volumes[i] != NULL; i++)
    if (!add_volume_arg (b, volumes[i], &error))
      return hv_cli_report_error (error);
  if (!add_key_value_args (b, envs, "environment variable", hero_virt_container_builder_add_env,
                           &error)
      || !add_key_value_args (b, labels, "label", hero_virt_container_builder_add_label, &error)
      || !add_key_value_args (b, annotations, "annotation",
                              hero_virt_container_builder_add_annotation, &error))
    return hv_cli_report_error (error);
  hero_virt_container_builder_set_network (b, network);
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    hero_virt_container_builder_add_network_alias (b, aliases[i]);
  for (guint i = 0; devices != NULL && devices[i] != NULL; i++)
    hero_virt_container_builder_add_device (b, devices[i]);
  hero_virt_container_builder_set_cpu_limit (b, cpus);
  hero_virt_container_builder_set_memory_limit (b, memory);
  hero_virt_container_builder_set_memory_swap_limit (b, memory_swap);
  hero_virt_container_builder_set_cpu_shares (b, cpu_shares > 0 ? (guint)cpu_shares : 0);
  hero_virt_container_builder_set_restart_policy (b, restart);
  hero_virt_container_builder_set_privileged (b, privileged);
  hero_virt_container_builder_set_runtime (b, runtime);
  hero_virt_container_builder_set_snapshotter (b, snapshotter);
  if (entrypoint != NULL)
    {
      const char *ep[] = { entrypoint, NULL };
      hero_virt_container_builder_set_entrypoint (b, ep);
    }
  if (argc > 2)
    hero_virt_container_builder_set_command (b, (const char *const *)argv + 2);
  if (health_cmd != NULL)
    {
      g_autoptr (HeroVirtHealthCheck) hc = hero_virt_health_check_new (health_cmd);

      hero_virt_health_check_set_interval (hc, health_interval);
      hero_virt_health_check_set_timeout (hc, health_timeout);
      hero_virt_health_check_set_retries (hc, health_retries > 0 ? (guint)health_retries : 0);
      hero_virt_health_check_set_start_period (hc, health_start);
      hero_virt_container_builder_set_health_check (b, hc);
    }

  container = hero_virt_container_builder_build (b, hv_cli_get_cancellable (), &error);
  if (container == NULL)
    return hv_cli_report_error (error);
  if (wait_healthy > 0
      && !hero_virt_container_wait_healthy (container, (guint)wait_healthy,
                                            hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (HeroVirtContainerStatus) st
          = hero_virt_container_inspect (container, hv_cli_get_cancellable (), &error);
      if (st == NULL)
        return hv_cli_report_error (error);
      print_status_json (st);
    }
  else
    g_print ("%s\n", hero_virt_container_get_id (container));
  return HV_CLI_EXIT_OK;
}

/* --- ps --- */

static int
cmd_ps (int argc, char **argv)
{
  gboolean           all = FALSE, json = FALSE;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Include stopped containers", NULL },
          { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
          { NULL } };
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("container ps", "", "Lists containers.", entries, &argc, &argv, 0, 0,
                          &status))
    return status;
  list = hero_virt_container_list (opt_provider, NULL, all, hv_cli_get_cancellable (), &error);
  if (list == NULL)
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_status (b, g_ptr_array_index (list, i));
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
      return HV_CLI_EXIT_OK;
    }
  g_print ("%-12s  %-20s  %-30s  %-10s  %s\n", "ID", "NAME", "IMAGE", "STATE", "PORTS");
  for (guint i = 0; i < list->len; i++)
    {
      HeroVirtContainerStatus *st = g_ptr_array_index (list, i);
      const char              *id = hero_virt_container_status_get_id (st);

      g_print ("%-12.12s  %-20s  %-30s  %-10s  %s\n", id ? id : "",
               hero_virt_container_status_get_name (st), hero_virt_container_status_get_image (st),
               hero_virt_container_status_get_state (st),
               hero_virt_container_status_get_ports (st) ? hero_virt_container_status_get_ports (st)
                                                         : "");
    }
  return HV_CLI_EXIT_OK;
}

/* --- logs --- */

static void
on_log_line (HeroVirtContainer   *container,
             HeroVirtOutputStream stream,
             const char          *line,
             gpointer             user_data)
{
  FILE *out = stream == HERO_VIRT_OUTPUT_STREAM_STDERR ? stderr : stdout;

  fputs (line, out);
  fputc ('\n', out);
  fflush (out);
}

static int
cmd_logs (int argc, char **argv)
{
  int                tail = -1;
  g_autofree char   *since = NULL;
  gboolean           follow = FALSE;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "tail", 'n', 0, G_OPTION_ARG_INT, &tail, "Only the last N lines", "N" },
          { "since", 0, 0, G_OPTION_ARG_STRING, &since, "Only lines since a time or duration (10m)",
            "TIME" },
          { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
            "Follow the log until the container stops or Ctrl-C", NULL },
          { NULL } };
  g_autoptr (HeroVirtContainer) container = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  int              status;

  if (!hv_cli_parse_args ("container logs", "NAME", "Prints a container's log.", entries, &argc,
                          &argv, 1, 1, &status))
    return status;
  container = open_container (argv[1], &error);
  if (container == NULL)
    return hv_cli_report_error (error);
  if (follow)
    {
      g_signal_connect (container, "log-line", G_CALLBACK (on_log_line), NULL);
      if (!hero_virt_container_follow_logs (container, tail, since, hv_cli_get_cancellable (),
                                            &error))
        return hv_cli_report_error (error);
      return HV_CLI_EXIT_OK;
    }
  text = hero_virt_container_logs (container, tail, since, hv_cli_get_cancellable (), &error);
  if (text == NULL)
    return hv_cli_report_error (error);
  fputs (text, stdout);
  return HV_CLI_EXIT_OK;
}

/* --- stop, rm --- */

static int
cmd_stop (int argc, char **argv)
{
  int                timeout = -1;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "time", 't', 0, G_OPTION_ARG_INT, &timeout,
                                     "Seconds to wait before killing", "SECONDS" },
                                   { NULL } };
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("container stop", "NAME...", "Stops containers.", entries, &argc, &argv,
                          1, -1, &status))
    return status;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (HeroVirtContainer) container = open_container (argv[i], &error);
      if (container == NULL
          || !hero_virt_container_stop (container, timeout, hv_cli_get_cancellable (), &error))
        return hv_cli_report_error (error);
    }
  return HV_CLI_EXIT_OK;
}

static int
cmd_rm (int argc, char **argv)
{
  gboolean           force = FALSE;
  const GOptionEntry entries[]
      = { PROVIDER_ENTRY,
          { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Kill running containers first", NULL },
          { NULL } };
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("container rm", "NAME...", "Removes containers.", entries, &argc, &argv,
                          1, -1, &status))
    return status;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (HeroVirtContainer) container = open_container (argv[i], &error);
      if (container == NULL
          || !hero_virt_container_remove (container, force, hv_cli_get_cancellable (), &error))
        return hv_cli_report_error (error);
    }
  return HV_CLI_EXIT_OK;
}

/* --- inspect, stats --- */

static int
cmd_inspect (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtContainer) container = NULL;
  g_autoptr (HeroVirtContainerStatus) st = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!hv_cli_parse_args ("container inspect", "NAME", "Shows a container's state and health.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  container = open_container (argv[1], &error);
  if (container == NULL)
    return hv_cli_report_error (error);
  st = hero_virt_container_inspect (container, hv_cli_get_cancellable (), &error);
  if (st == NULL)
    return hv_cli_report_error (error);
  if (json)
    {
      print_status_json (st);
      return HV_CLI_EXIT_OK;
    }
  g_print ("name:     %s\nid:       %s\nimage:    %s\nstate:    %s\nexit:     %d\nstarted:  "
           "%s\nhealth:   %s\n",
           hero_virt_container_status_get_name (st), hero_virt_container_status_get_id (st),
           hero_virt_container_status_get_image (st), hero_virt_container_status_get_state (st),
           hero_virt_container_status_get_exit_code (st),
           hero_virt_container_status_get_started_at (st)
               ? hero_virt_container_status_get_started_at (st)
               : "-",
           hero_virt_container_status_get_health_status (st)
               ? hero_virt_container_status_get_health_status (st)
               : "-");
  return HV_CLI_EXIT_OK;
}

static int
cmd_stats (int argc, char **argv)
{
  gboolean           json = FALSE;
  const GOptionEntry entries[] = { PROVIDER_ENTRY,
                                   { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
                                   { NULL } };
  g_autoptr (HeroVirtContainer) container = NULL;
  g_autoptr (HeroVirtContainerStats) s = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *usage = NULL, *limit = NULL;
  int              status;

  if (!hv_cli_parse_args ("container stats", "NAME", "Samples a container's resource use.", entries,
                          &argc, &argv, 1, 1, &status))
    return status;
  container = open_container (argv[1], &error);
  if (container == NULL)
    return hv_cli_report_error (error);
  s = hero_virt_container_stats (container, hv_cli_get_cancellable (), &error);
  if (s == NULL)
    return hv_cli_report_error (error);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;
      const char *names[] = { "memory_usage", "memory_limit", "net_input", "net_output",
                              "block_input",  "block_output", "pids" };
      guint64     values[] = { hero_virt_container_stats_get_memory_usage (s),
                               hero_virt_container_stats_get_memory_limit (s),
                               hero_virt_container_stats_get_net_input (s),
                               hero_virt_container_stats_get_net_output (s),
                               hero_virt_container_stats_get_block_input (s),
                               hero_virt_container_stats_get_block_output (s),
                               hero_virt_container_stats_get_pids (s) };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cpu_percent");
      json_builder_add_double_value (b, hero_virt_container_stats_get_cpu_percent (s));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          json_builder_set_member_name (b, names[i]);
          json_builder_add_int_value (b, (gint64)values[i]);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      hv_cli_print_json (root);
      return HV_CLI_EXIT_OK;
    }
  usage = hv_cli_format_size (hero_virt_container_stats_get_memory_usage (s));
  limit = hv_cli_format_size (hero_virt_container_stats_get_memory_limit (s));
  g_print ("cpu %.2f%%  memory %s / %s  pids %" G_GUINT64_FORMAT "\n",
           hero_virt_container_stats_get_cpu_percent (s), usage, limit,
           hero_virt_container_stats_get_pids (s));
  return HV_CLI_EXIT_OK;
}

static const HvCliCommand container_commands[]
    = { { "run", "IMAGE [-- COMMAND ...]", "Create and start a container", cmd_run },
        { "ps", "", "List containers", cmd_ps },
        { "logs", "NAME", "Print or follow a container's log", cmd_logs },
        { "stop", "NAME...", "Stop containers", cmd_stop },
        { "rm", "NAME...", "Remove containers", cmd_rm },
        { "inspect", "NAME", "Show a container's state and health", cmd_inspect },
        { "stats", "NAME", "Sample a container's resource use", cmd_stats },
        { NULL } };

int
hv_cli_container (int argc, char **argv)
{
  return hv_cli_dispatch ("container", container_commands, argc, argv);
}
