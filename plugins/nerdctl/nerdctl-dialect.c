/* nerdctl-dialect.c: nerdctl's output: one JSON object per line, `Names`
 * a single string, `Labels` and `Ports` as "k=v,…" / "a->b, …" strings, no
 * `State` in ps (derived from `Status`), human-readable sizes in stats
 * and images, and the global --namespace/--address before the
 * subcommand (after it, -n means something else).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Nerdctl"

#include <string.h>

#include "nerdctl-dialect.h"

static char **
split_labels (const char *labels)
{
  g_auto (GStrv) parts = NULL;
  GPtrArray *out = g_ptr_array_new ();

  if (labels != NULL && *labels != '\0')
    {
      parts = g_strsplit (labels, ",", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (strchr (parts[i], '=') != NULL)
          g_ptr_array_add (out, g_strdup (parts[i]));
    }
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (out, FALSE);
}

HeroVirtContainerStatus *
nerdctl_status_from_ps_row (JsonObject *row)
{
  const char      *status = docker_cli_get_string (row, "Status");
  const char      *ports = docker_cli_get_string (row, "Ports");
  int              exit_code = 0;
  const char      *state = docker_cli_state_from_status (status, &exit_code);
  g_autofree char *health = docker_cli_health_from_status (status);
  g_auto (GStrv) labels = split_labels (docker_cli_get_string (row, "Labels"));

  return g_object_new (HERO_VIRT_TYPE_CONTAINER_STATUS, "id", docker_cli_get_string (row, "ID"),
                       "name", docker_cli_get_string (row, "Names"), "image",
                       docker_cli_get_string (row, "Image"), "state", state, "status", status,
                       "running", g_str_equal (state, "running"), "exit-code", exit_code, "created",
                       docker_cli_get_string (row, "CreatedAt"), "health-status", health, "ports",
                       ports && *ports ? ports : NULL, "labels", labels, NULL);
}

HeroVirtContainerImage *
nerdctl_image_from_row (JsonObject *row)
{
  const char      *repository = docker_cli_get_string (row, "Repository");
  const char      *tag = docker_cli_get_string (row, "Tag");
  g_autofree char *name = NULL;
  const char      *names[2] = { NULL, NULL };

  /* Untagged images show "<none>". */
  if (g_strcmp0 (repository, "<none>") == 0)
    repository = NULL;
  if (g_strcmp0 (tag, "<none>") == 0)
    tag = NULL;
  if (repository != NULL)
    names[0] = name = g_strconcat (repository, ":", tag ? tag : "latest", NULL);
  return g_object_new (HERO_VIRT_TYPE_CONTAINER_IMAGE, "id", docker_cli_get_string (row, "ID"),
                       "repository", repository, "tag", tag, "names", names, "digest",
                       docker_cli_get_string (row, "Digest"), "size",
                       docker_cli_parse_size (docker_cli_get_string (row, "Size")), "created",
                       docker_cli_get_string (row, "CreatedAt"), NULL);
}

/* "440KiB / 64MiB" -> both sizes. */
static void
split_pair (const char *text, guint64 *first, guint64 *second)
{
  const char *slash = text ? strchr (text, '/') : NULL;

  *first = docker_cli_parse_size (text);
  *second = slash ? docker_cli_parse_size (slash + 1 + strspn (slash + 1, " ")) : 0;
}

HeroVirtContainerStats *
nerdctl_stats_from_row (JsonObject *row)
{
  guint64 mem = 0, limit = 0, net_in = 0, net_out = 0, blk_in = 0, blk_out = 0;

  split_pair (docker_cli_get_string (row, "MemUsage"), &mem, &limit);
  split_pair (docker_cli_get_string (row, "NetIO"), &net_in, &net_out);
  split_pair (docker_cli_get_string (row, "BlockIO"), &blk_in, &blk_out);
  return g_object_new (
      HERO_VIRT_TYPE_CONTAINER_STATS, "cpu-percent",
      docker_cli_parse_percent (docker_cli_get_string (row, "CPUPerc")), "memory-usage", mem,
      "memory-limit", limit, "memory-percent",
      docker_cli_parse_percent (docker_cli_get_string (row, "MemPerc")), "net-input", net_in,
      "net-output", net_out, "block-input", blk_in, "block-output", blk_out, "pids",
      (guint64)g_ascii_strtoull (docker_cli_get_string (row, "PIDs") ?: "0", NULL, 10), NULL);
}

/* The namespace and containerd address come from the executor's
 * environment (CONTAINERD_NAMESPACE, CONTAINERD_ADDRESS) and must go
 * before the subcommand. */
void
nerdctl_add_globals (HeroVirtExecutor *executor, HeroVirtCommand *command)
{
  g_auto (GStrv) env = NULL;
  const char *ns = NULL, *address = NULL;

  if (executor != NULL && HERO_VIRT_IS_LOCAL_EXECUTOR (executor))
    {
      env = hero_virt_executor_dup_environ (executor);
      ns = g_environ_getenv (env, "CONTAINERD_NAMESPACE");
      address = g_environ_getenv (env, "CONTAINERD_ADDRESS");
    }
  if (ns == NULL)
    ns = g_getenv ("CONTAINERD_NAMESPACE");
  if (address == NULL)
    address = g_getenv ("CONTAINERD_ADDRESS");
  if (ns != NULL && g_regex_match_simple ("^[A-Za-z0-9][A-Za-z0-9._-]*$", ns, 0, 0))
    hero_virt_command_add_arg_printf (command, "--namespace=%s", ns);
  if (address != NULL && *address != '\0' && *address != '-')
    hero_virt_command_add_arg_printf (command, "--address=%s", address);
}

const DockerCliDialect nerdctl_dialect = {
  .program = "nerdctl",
  .log_domain = G_LOG_DOMAIN,
  .json_lines = TRUE,
  .health_run = { "container", "healthcheck", NULL },
  /* nerdctl's timers need systemd too, but it has no "0 = off": leave its
   * default and run checks on demand. */
  .default_health_interval = NULL,
  .stats_format = "{{json .}}",
  .insecure_pull_flag = "--insecure-registry",
  .push_takes_destination = FALSE,
  .quiet_prints_id = FALSE,
  .add_globals = nerdctl_add_globals,
  .parse_ps_row = nerdctl_status_from_ps_row,
  .parse_image_row = nerdctl_image_from_row,
  .parse_stats_row = nerdctl_stats_from_row,
};
