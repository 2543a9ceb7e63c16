/* podman-dialect.c: podman's output: JSON arrays, its own field names
 * (Id, Names[], State, Ports[{host_ip, host_port, …}], Labels{}), and
 * numeric stats through `--format {{json .ContainerStats}}`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Podman"

#include <string.h>

#include "podman-dialect.h"

static char *
ports_to_string (JsonArray *ports)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = docker_cli_array_object (ports, i);
      const char *ip = docker_cli_get_string (p, "host_ip");

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s:%" G_GINT64_FORMAT "->%" G_GINT64_FORMAT "/%s",
                              ip && *ip ? ip : "0.0.0.0", docker_cli_get_int (p, "host_port"),
                              docker_cli_get_int (p, "container_port"),
                              docker_cli_get_string (p, "protocol") ?: "tcp");
    }
  return out->len > 0 ? g_string_free (out, FALSE) : (g_string_free (out, TRUE), NULL);
}

static char **
string_array (JsonObject *row, const char *member)
{
  JsonNode  *node = json_object_get_member (row, member);
  GPtrArray *out = g_ptr_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (docker_cli_array_string (array, i) != NULL)
          g_ptr_array_add (out, g_strdup (docker_cli_array_string (array, i)));
    }
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (out, FALSE);
}

static char **
labels (JsonObject *row)
{
  JsonNode  *node = json_object_get_member (row, "Labels");
  GPtrArray *out = g_ptr_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (
            out, g_strconcat (l->data, "=", docker_cli_get_string (object, l->data) ?: "", NULL));
    }
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (out, FALSE);
}

HeroVirtContainerStatus *
podman_status_from_ps_row (JsonObject *row)
{
  g_auto (GStrv) names = string_array (row, "Names");
  g_auto (GStrv) label_strv = labels (row);
  JsonNode        *ports_node = json_object_get_member (row, "Ports");
  g_autofree char *ports = ports_to_string (
      ports_node && JSON_NODE_HOLDS_ARRAY (ports_node) ? json_node_get_array (ports_node) : NULL);
  const char      *status = docker_cli_get_string (row, "Status");
  const char      *state = docker_cli_get_string (row, "State");
  g_autofree char *health = docker_cli_health_from_status (status);
  g_autofree char *created = NULL;
  g_autofree char *started = NULL;
  gint64           created_unix = docker_cli_get_int (row, "Created");
  gint64           started_unix = docker_cli_get_int (row, "StartedAt");

  if (created_unix > 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (created_unix);
      created = t ? g_date_time_format_iso8601 (t) : NULL;
    }
  if (started_unix > 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (started_unix);
      started = t ? g_date_time_format_iso8601 (t) : NULL;
    }
  if (state == NULL || *state == '\0')
    state = docker_cli_state_from_status (status, NULL);
  if (g_str_equal (state, "configured") || g_str_equal (state, "initialized"))
    state = "created";
  else if (g_str_equal (state, "stopped"))
    state = "exited";

  return g_object_new (
      HERO_VIRT_TYPE_CONTAINER_STATUS, "id", docker_cli_get_string (row, "Id"), "name", names[0],
      "image", docker_cli_get_string (row, "Image"), "state", state, "status", status, "running",
      g_str_equal (state, "running"), "exit-code", (int)docker_cli_get_int (row, "ExitCode"), "pid",
      (int)docker_cli_get_int (row, "Pid"), "created", created, "started-at", started,
      "health-status", health, "ports", ports, "labels", label_strv, NULL);
}

HeroVirtContainerImage *
podman_image_from_row (JsonObject *row)
{
  g_auto (GStrv) names = string_array (row, "Names");
  g_autofree char *repository = NULL;
  const char      *tag = NULL;
  g_autofree char *created = g_strdup (docker_cli_get_string (row, "CreatedAt"));

  if (names[0] != NULL)
    {
      /* The tag follows the last ':' after the last '/'. */
      const char *slash = strrchr (names[0], '/');
      const char *colon = strrchr (slash ? slash : names[0], ':');
      repository = colon ? g_strndup (names[0], colon - names[0]) : g_strdup (names[0]);
      tag = colon ? colon + 1 : NULL;
    }
  return g_object_new (HERO_VIRT_TYPE_CONTAINER_IMAGE, "id", docker_cli_get_string (row, "Id"),
                       "repository", repository, "tag", tag, "names", names, "digest",
                       docker_cli_get_string (row, "Digest"), "size",
                       (guint64)docker_cli_get_int (row, "Size"), "created", created, NULL);
}

static double
number (JsonObject *row, const char *member)
{
  JsonNode *node = json_object_get_member (row, member);

  double d;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return 0;
  d = json_node_get_value_type (node) == G_TYPE_DOUBLE  ? json_node_get_double (node)
      : json_node_get_value_type (node) == G_TYPE_INT64 ? (double)json_node_get_int (node)
                                                        : 0;
  /* The stats properties take no inf, NaN or negative value. */
  return d >= 0 && d < 1.8e19 ? d : 0;
}

/* A byte or process count: hostile JSON's negative, huge, inf or NaN
 * values would make the conversion undefined, so they read as 0. */
static guint64
count (JsonObject *row, const char *member)
{
  double d = number (row, member);

  return d >= 0 && d < 1.8e19 ? (guint64)d : 0;
}

HeroVirtContainerStats *
podman_stats_from_row (JsonObject *row)
{
  return g_object_new (HERO_VIRT_TYPE_CONTAINER_STATS, "cpu-percent", number (row, "CPU"),
                       "memory-usage", count (row, "MemUsage"), "memory-limit",
                       count (row, "MemLimit"), "memory-percent", number (row, "MemPerc"),
                       "net-input", count (row, "NetInput"), "net-output", count (row, "NetOutput"),
                       "block-input", count (row, "BlockInput"), "block-output",
                       count (row, "BlockOutput"), "pids", count (row, "PIDs"), NULL);
}

const DockerCliDialect podman_dialect = {
  .program = "podman",
  .log_domain = G_LOG_DOMAIN,
  .json_lines = FALSE,
  .health_run = { "healthcheck", "run", NULL },
  /* No systemd here to run timers: 0 disables them, and checks run on
   * demand (HeroVirtContainer.wait_healthy). */
  .default_health_interval = "0",
  .stats_format = "{{json .ContainerStats}}",
  .insecure_pull_flag = "--tls-verify=false",
  .push_takes_destination = TRUE,
  .quiet_prints_id = TRUE,
  .add_globals = NULL,
  .parse_ps_row = podman_status_from_ps_row,
  .parse_image_row = podman_image_from_row,
  .parse_stats_row = podman_stats_from_row,
};
