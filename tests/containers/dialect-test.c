/* dialect-test.c: the shared docker-compatible CLI logic and each
 * dialect's parsers, on real-format samples (podman's captured from the
 * real podman 4.3 here, nerdctl's written from its source's formatters),
 * and the argv each dialect builds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <hero-virt.h>

#include "docker-cli.h"
#include "nerdctl-dialect.h"
#include "podman-dialect.h"
#include "podman-rest-parse.h"

static char *
sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "containers", "data", name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static HeroVirtContainerStatus *
find (GPtrArray *rows, const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (hero_virt_container_status_get_name (g_ptr_array_index (rows, i)), name) == 0)
      return g_ptr_array_index (rows, i);
  g_assert_not_reached ();
}

static void
test_podman_ps (void)
{
  g_autofree char *text = sample ("podman-ps.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = docker_cli_parse_ps (&podman_dialect, text, &error);
  HeroVirtContainerStatus *web, *never;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  web = find (rows, "web1");
  g_assert_cmpstr (hero_virt_container_status_get_state (web), ==, "running");
  g_assert_true (hero_virt_container_status_get_running (web));
  g_assert_cmpstr (hero_virt_container_status_get_health_status (web), ==, "healthy");
  g_assert_cmpstr (hero_virt_container_status_get_ports (web), ==, "127.0.0.1:18080->8080/tcp");
  g_assert_cmpstr (hero_virt_container_status_get_image (web), ==, "localhost/hv/busybox:latest");
  g_assert_cmpuint (strlen (hero_virt_container_status_get_id (web)), ==, 64);
  g_assert_nonnull (hero_virt_container_status_get_started_at (web));
  never = find (rows, "never");
  g_assert_cmpstr (hero_virt_container_status_get_state (never), ==, "created");
  g_assert_false (hero_virt_container_status_get_running (never));
  g_assert_null (hero_virt_container_status_get_ports (never));

  /* podman prints [] for none, and nothing is not an error either */
  g_ptr_array_unref (docker_cli_parse_ps (&podman_dialect, "[]\n", &error));
  g_assert_no_error (error);
  g_assert_null (docker_cli_parse_ps (&podman_dialect, "{\"Id\": 1}", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
}

static void
test_podman_inspect (void)
{
  g_autofree char *text = sample ("podman-inspect.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainerStatus) st = docker_cli_parse_inspect (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_container_status_get_name (st), ==, "web1");
  g_assert_cmpstr (hero_virt_container_status_get_state (st), ==, "running");
  g_assert_cmpstr (hero_virt_container_status_get_health_status (st), ==, "healthy");
  g_assert_cmpstr (hero_virt_container_status_get_health_output (st), ==, "hello");
  g_assert_cmpstr (hero_virt_container_status_get_image (st), ==, "localhost/hv/busybox:latest");
  g_assert_nonnull (hero_virt_container_status_get_started_at (st));
  g_assert_null (hero_virt_container_status_get_finished_at (st));
  g_assert_cmpint (hero_virt_container_status_get_pid (st), >, 0);

  g_assert_null (docker_cli_parse_inspect ("[]", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

static void
test_podman_stats_images (void)
{
  g_autofree char *stats_text = sample ("podman-stats.json");
  g_autofree char *images_text = sample ("podman-images.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainerStats) stats
      = docker_cli_parse_stats (&podman_dialect, stats_text, &error);
  g_autoptr (GPtrArray) images = NULL;
  HeroVirtContainerImage *image;

  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_limit (stats), ==, 67108864);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_usage (stats), >, 0);
  g_assert_cmpuint (hero_virt_container_stats_get_pids (stats), ==, 1);
  g_assert_cmpuint (hero_virt_container_stats_get_net_input (stats), >, 0);

  images = docker_cli_parse_images (&podman_dialect, images_text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, >=, 1);
  image = g_ptr_array_index (images, 0);
  g_assert_cmpstr (hero_virt_container_image_get_repository (image), ==, "localhost/hv/busybox");
  g_assert_cmpstr (hero_virt_container_image_get_tag (image), ==, "latest");
  g_assert_cmpuint (hero_virt_container_image_get_size (image), ==, 2131039);
  g_assert_cmpuint (strlen (hero_virt_container_image_get_id (image)), ==, 64);
}

static void
test_nerdctl_ps (void)
{
  g_autofree char *text = sample ("nerdctl-ps.jsonl");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = docker_cli_parse_ps (&nerdctl_dialect, text, &error);
  HeroVirtContainerStatus *s;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  s = find (rows, "web1");
  g_assert_cmpstr (hero_virt_container_status_get_state (s), ==, "running");
  g_assert_cmpstr (hero_virt_container_status_get_health_status (s), ==, "healthy");
  g_assert_cmpstr (hero_virt_container_status_get_ports (s), ==, "127.0.0.1:18080->8080/tcp");
  g_assert_true (
      g_strv_contains (hero_virt_container_status_get_labels (s), "org.herovirt.test=workflow"));
  s = find (rows, "old");
  g_assert_cmpstr (hero_virt_container_status_get_state (s), ==, "exited");
  g_assert_cmpint (hero_virt_container_status_get_exit_code (s), ==, 137);
  g_assert_null (hero_virt_container_status_get_health_status (s));
  s = find (rows, "fresh");
  g_assert_cmpstr (hero_virt_container_status_get_state (s), ==, "created");
  s = find (rows, "starting");
  g_assert_cmpstr (hero_virt_container_status_get_health_status (s), ==, "starting");

  /* one object per line: an array is not nerdctl's format */
  g_assert_null (docker_cli_parse_ps (&nerdctl_dialect, "[{\"ID\": \"x\"}]\n", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
}

static void
test_nerdctl_inspect (void)
{
  g_autofree char *created = sample ("nerdctl-inspect-created.json");
  g_autofree char *healthy = sample ("nerdctl-inspect-healthy.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainerStatus) a = docker_cli_parse_inspect (created, &error);
  g_autoptr (HeroVirtContainerStatus) b = NULL;

  g_assert_no_error (error);
  /* a never-started container: State.Status "" */
  g_assert_cmpstr (hero_virt_container_status_get_state (a), ==, "created");
  g_assert_false (hero_virt_container_status_get_running (a));
  g_assert_null (hero_virt_container_status_get_started_at (a));
  g_assert_null (hero_virt_container_status_get_health_status (a));
  g_assert_cmpstr (hero_virt_container_status_get_image (a), ==, "docker.io/library/alpine:3.20");

  b = docker_cli_parse_inspect (healthy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_container_status_get_state (b), ==, "running");
  g_assert_cmpstr (hero_virt_container_status_get_health_status (b), ==, "healthy");
  g_assert_cmpstr (hero_virt_container_status_get_health_output (b), ==, "hello");
  g_assert_cmpint (hero_virt_container_status_get_restart_count (b), ==, 2);
  g_assert_null (hero_virt_container_status_get_finished_at (b));
}

static void
test_nerdctl_stats_images (void)
{
  g_autofree char *stats_text = sample ("nerdctl-stats.jsonl");
  g_autofree char *images_text = sample ("nerdctl-images.jsonl");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainerStats) stats
      = docker_cli_parse_stats (&nerdctl_dialect, stats_text, &error);
  g_autoptr (GPtrArray) images = NULL;
  HeroVirtContainerImage *untagged;

  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_usage (stats), ==, 440 * 1024);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_limit (stats), ==, 64 * 1024 * 1024);
  g_assert_cmpuint (hero_virt_container_stats_get_net_input (stats), ==, 1200);
  g_assert_cmpuint (hero_virt_container_stats_get_net_output (stats), ==, 648);
  g_assert_cmpuint (hero_virt_container_stats_get_block_input (stats), ==, 4100);
  g_assert_cmpfloat_with_epsilon (hero_virt_container_stats_get_cpu_percent (stats), 1.5, 1e-9);
  g_assert_cmpuint (hero_virt_container_stats_get_pids (stats), ==, 1);

  images = docker_cli_parse_images (&nerdctl_dialect, images_text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpstr (hero_virt_container_image_get_repository (g_ptr_array_index (images, 0)), ==,
                   "localhost/hv/busybox");
  g_assert_cmpuint (hero_virt_container_image_get_size (g_ptr_array_index (images, 0)), ==,
                    2100000);
  untagged = g_ptr_array_index (images, 1);
  g_assert_null (hero_virt_container_image_get_repository (untagged));
  g_assert_null (hero_virt_container_image_get_tag (untagged));
}

static void
test_sizes (void)
{
  g_assert_cmpuint (docker_cli_parse_size ("0B"), ==, 0);
  g_assert_cmpuint (docker_cli_parse_size ("450.6kB"), ==, 450600);
  g_assert_cmpuint (docker_cli_parse_size ("64MiB"), ==, 67108864);
  g_assert_cmpuint (docker_cli_parse_size ("1.5 GB"), ==, 1500000000);
  g_assert_cmpstr (docker_cli_state_from_status ("Restarting (1) 3 seconds ago", NULL), ==,
                   "restarting");
  g_assert_cmpstr (docker_cli_state_from_status ("Paused", NULL), ==, "paused");
  g_assert_cmpstr (docker_cli_state_from_status ("", NULL), ==, "unknown");
}

static char *
argv_of (HeroVirtCommand *command)
{
  return g_strjoinv ("|", (char **)hero_virt_command_get_argv (command));
}

/* Both dialects build the same run flags from one spec; nerdctl puts
 * its globals before the subcommand; user operands follow "--". */
static void
test_argv (void)
{
  g_autoptr (HeroVirtContainerBuilder) b
      = hero_virt_container_builder_new ("web", "localhost/web:1");
  g_autoptr (HeroVirtHealthCheck) hc
      = hero_virt_health_check_new ("curl -f http://localhost/ || exit 1");
  g_autoptr (HeroVirtLocalExecutor) executor = hero_virt_local_executor_new ();
  g_autoptr (HeroVirtCommand) podman = NULL;
  g_autoptr (HeroVirtCommand) nerdctl = NULL;
  g_autoptr (HeroVirtContainerSpec) spec = NULL;
  g_autoptr (HeroVirtContainerSpec) spec2 = NULL;
  g_autofree char *p = NULL, *n = NULL;
  g_autoptr (GError) error = NULL;
  const char *entrypoint[] = { "/bin/sh", "-c", NULL };
  const char *command[] = { "--not-a-flag-for-the-engine", NULL };

  hero_virt_health_check_set_interval (hero_virt_health_check_set_retries (hc, 5), "10s");
  hero_virt_container_builder_add_port_full (b, "127.0.0.1", 8080, 80, "tcp");
  hero_virt_container_builder_add_volume (b, "/srv/www", "/www", TRUE);
  hero_virt_container_builder_add_env (b, "A", "b c");
  hero_virt_container_builder_set_network (b, "net1");
  hero_virt_container_builder_add_network_alias (b, "web.local");
  hero_virt_container_builder_set_cpu_limit (b, 1.5);
  hero_virt_container_builder_set_memory_limit (b, "512m");
  hero_virt_container_builder_set_memory_swap_limit (b, "1g");
  hero_virt_container_builder_set_cpu_shares (b, 512);
  hero_virt_container_builder_set_restart_policy (b, "on-failure:3");
  hero_virt_container_builder_set_health_check (b, hc);
  hero_virt_container_builder_set_snapshotter (b, "native");
  hero_virt_container_builder_set_runtime (b, "runc");
  hero_virt_container_builder_add_annotation (b, "io.katacontainers.config", "x");
  hero_virt_container_builder_add_label (b, "tier", "front");
  hero_virt_container_builder_set_privileged (b, TRUE);
  hero_virt_container_builder_add_device (b, "/dev/fuse");
  hero_virt_container_builder_set_entrypoint (b, entrypoint);
  hero_virt_container_builder_set_command (b, command);
  g_assert_true (hero_virt_container_builder_validate (b, &error));
  g_assert_no_error (error);
  spec = hero_virt_container_builder_build_spec (b, &error);
  g_assert_no_error (error);

  podman = docker_cli_command (&podman_dialect, HERO_VIRT_EXECUTOR (executor), "run");
  g_assert_true (
      docker_cli_add_create_args (&podman_dialect, podman, spec, "/private/env", &error));
  g_assert_no_error (error);
  p = argv_of (podman);
  g_assert_cmpstr (
      p, ==,
      "podman|run|--name=web|--publish=127.0.0.1:8080:80/tcp|--volume=/srv/www:/www:ro|--env-file=/"
      "private/env|"
      "--network=net1|--network-alias=web.local|--cpus=1.5|--memory=512m|--memory-swap=1g|--cpu-"
      "shares=512|"
      "--restart=on-failure:3|--health-cmd=curl -f http://localhost/ || exit "
      "1|--health-interval=10s|"
      "--health-retries=5|--snapshotter=native|--runtime=runc|--annotation=io.katacontainers."
      "config=x|"
      "--label=tier=front|--privileged|--device=/dev/fuse|--entrypoint=[\"/bin/"
      "sh\",\"-c\"]|--|localhost/web:1|"
      "--not-a-flag-for-the-engine");

  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERD_NAMESPACE", "hero");
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERD_ADDRESS", "/run/ctrd.sock");
  nerdctl = docker_cli_command (&nerdctl_dialect, HERO_VIRT_EXECUTOR (executor), "ps");
  n = argv_of (nerdctl);
  g_assert_cmpstr (n, ==, "nerdctl|--namespace=hero|--address=/run/ctrd.sock|ps");
  /* The executor logs each under the calling plugin's domain. */
  g_assert_cmpstr (hero_virt_command_get_log_domain (podman), ==, "HeroVirt-Podman");
  g_assert_cmpstr (hero_virt_command_get_log_domain (nerdctl), ==, "HeroVirt-Nerdctl");

  /* without an interval, podman's health timer is switched off (no
   * systemd); nerdctl keeps its own default */
  hero_virt_health_check_set_interval (hc, NULL);
  spec2 = hero_virt_container_builder_build_spec (b, &error);
  g_assert_no_error (error);
  /* a spec already made does not change with the builder */
  g_assert_cmpstr (hero_virt_container_spec_get_health_interval (spec), ==, "10s");
  g_assert_null (hero_virt_container_spec_get_health_interval (spec2));
  g_clear_object (&podman);
  g_free (p);
  podman = docker_cli_command (&podman_dialect, HERO_VIRT_EXECUTOR (executor), "run");
  g_assert_true (
      docker_cli_add_create_args (&podman_dialect, podman, spec2, "/private/env", &error));
  p = argv_of (podman);
  g_assert_nonnull (strstr (p, "|--health-interval=0|"));
  g_clear_object (&nerdctl);
  g_free (n);
  nerdctl = docker_cli_command (&nerdctl_dialect, HERO_VIRT_EXECUTOR (executor), "run");
  g_assert_true (
      docker_cli_add_create_args (&nerdctl_dialect, nerdctl, spec2, "/private/env", &error));
  n = argv_of (nerdctl);
  g_assert_null (strstr (n, "--health-interval"));
}

/* A builder's settings become an immutable spec: read-only properties, the
 * health check flattened, JSON with the property names as members. */
static void
test_spec (void)
{
  g_autoptr (HeroVirtContainerBuilder) b = NULL;
  g_autoptr (HeroVirtContainerSpec) spec = NULL;
  g_autoptr (HeroVirtHealthCheck) hc = hero_virt_health_check_new ("true");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *json = NULL;
  JsonObject      *object;
  GParamSpec      *pspec;
  const char      *command[] = { "-c", "sleep 1", NULL };

  b = g_object_new (HERO_VIRT_TYPE_CONTAINER_BUILDER, "name", "web", "image", "localhost/web:1",
                    "command", command, "detach", FALSE, NULL);
  hero_virt_container_builder_add_env (hero_virt_container_builder_add_port (b, 8080, 80), "A",
                                       "1");
  hero_virt_container_builder_set_health_check (b, hero_virt_health_check_set_retries (hc, 2));
  spec = hero_virt_container_builder_build_spec (b, &error);
  g_assert_no_error (error);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (spec), "image");
  g_assert_nonnull (pspec);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
  g_assert_cmpstr (hero_virt_container_spec_get_name (spec), ==, "web");
  g_assert_cmpstr (hero_virt_container_spec_get_health_cmd (spec), ==, "true");
  g_assert_cmpuint (hero_virt_container_spec_get_health_retries (spec), ==, 2);
  g_assert_false (hero_virt_container_spec_get_detach (spec));
  g_assert_null (hero_virt_container_spec_get_volumes (spec));

  node = hero_virt_container_spec_to_json_node (spec);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "image"), ==, "localhost/web:1");
  g_assert_cmpstr (
      json_array_get_string_element (json_object_get_array_member (object, "ports"), 0), ==,
      "8080:80/tcp");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "env"), 0),
                   ==, "A=1");
  g_assert_cmpint (json_object_get_int_member (object, "health-retries"), ==, 2);
  g_assert_false (json_object_get_boolean_member (object, "detach"));
  json = hero_virt_container_spec_to_json (spec, FALSE);
  g_assert_nonnull (strstr (json, "\"health-cmd\":\"true\""));

  /* the builder's properties notify through the setters */
  hero_virt_container_builder_set_network (b, "none");
  g_assert_cmpstr (hero_virt_container_builder_get_network (b), ==, "none");
  g_assert_null (hero_virt_container_spec_get_network (spec));
}

/* 200 000 levels of [ (and of {"a":): json-glib alone runs out of stack;
 * every parser refuses it with an error before json-glib sees it. */
static char *
deep_json (gboolean objects)
{
  const guint n = 200000;
  GString    *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, "1");
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, objects ? '}' : ']');
  return g_string_free (s, FALSE);
}

static void
test_deep_json (void)
{
  const DockerCliDialect *dialects[] = { &podman_dialect, &nerdctl_dialect };

  for (int objects = 0; objects < 2; objects++)
    {
      g_autofree char *deep = deep_json (objects);
      gsize            len = strlen (deep);

      for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GPtrArray) rows = docker_cli_parse_ps (dialects[d], deep, &error);
          g_autoptr (GPtrArray) images = NULL;
          g_autoptr (HeroVirtContainerStats) stats = NULL;

          g_assert_null (rows);
          g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
          g_clear_error (&error);
          images = docker_cli_parse_images (dialects[d], deep, &error);
          g_assert_null (images);
          g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
          g_clear_error (&error);
          stats = docker_cli_parse_stats (dialects[d], deep, &error);
          g_assert_null (stats);
          g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
        }
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (HeroVirtContainerStatus) status = docker_cli_parse_inspect (deep, &error);
        g_autoptr (JsonNode) node = NULL;
        g_autofree char *id = NULL;

        g_assert_null (status);
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
        g_clear_error (&error);
        node = podman_rest_parse_json ((const guint8 *)deep, len, &error);
        g_assert_null (node);
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
        g_clear_error (&error);
        /* the pull/push stream: a deep object is skipped, never parsed */
        id = podman_rest_stream_result ((const guint8 *)deep, len, "pull", &error);
        g_assert_no_error (error);
        g_assert_cmpstr (id, ==, "");
        g_assert_null (podman_rest_error_message ((const guint8 *)deep, len));
      }
    }
}

/* Hostile element types and numbers: errors or zeros, no criticals. */
static void
test_hostile_rows (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows
      = docker_cli_parse_ps (&podman_dialect, "[1, \"x\", null, []]", &error);
  g_autoptr (HeroVirtContainerStats) stats = NULL;
  g_autoptr (HeroVirtContainerStatus) status = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  stats = docker_cli_parse_stats (&podman_dialect, "[1]", &error);
  g_assert_null (stats);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
  status = docker_cli_parse_inspect ("[\"x\"]", &error);
  g_assert_null (status);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
  stats = docker_cli_parse_stats (&podman_dialect,
                                  "{\"CPU\": 1e999, \"MemUsage\": -5, \"PIDs\": 1e300}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_usage (stats), ==, 0);
  g_assert_cmpuint (hero_virt_container_stats_get_pids (stats), ==, 0);
  g_clear_object (&status);
  status = docker_cli_parse_inspect ("{\"State\": {\"ExitCode\": 1e999, \"Pid\": -1e99}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_container_status_get_exit_code (status), ==, 0);
}

/* Docker's multiplexed stream as the REST transport reads it. */
static void
test_rest_frames (void)
{
  static const guint8 two[] = { 1, 0, 0, 0, 0, 0, 0, 4, 'o', 'u', 't', '\n',
                                2, 0, 0, 0, 0, 0, 0, 4, 'e', 'r', 'r', '\n' };
  static const guint8 huge[] = { 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 'x' };
  static const guint8 cut[] = { 1, 0, 0, 0, 0, 0, 0, 9, 'x' };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) err = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  guint   stream = 9;
  guint32 size = 9;

  /* exec keeps stderr apart */
  g_assert_true (podman_rest_demux (two, sizeof two, out, err, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==, "out\n");
  g_assert_cmpstr (err->str, ==, "err\n");
  /* logs take both, in order */
  g_string_truncate (out, 0);
  g_assert_true (podman_rest_demux (two, sizeof two, out, NULL, &error));
  g_assert_cmpstr (out->str, ==, "out\nerr\n");

  /* a 0xFFFFFFFF frame size is an error with a GError */
  g_assert_false (podman_rest_frame_header (huge, PODMAN_REST_MAX_FRAME, &stream, &size, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (podman_rest_demux (huge, sizeof huge, out, err, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (podman_rest_demux (cut, sizeof cut, out, err, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_true (podman_rest_frame_header (two, PODMAN_REST_MAX_FRAME, &stream, &size, &error));
  g_assert_cmpuint (stream, ==, 1);
  g_assert_cmpuint (size, ==, 4);

  /* a tty stream has no frames: taken raw */
  g_string_truncate (out, 0);
  g_assert_true (podman_rest_demux ((const guint8 *)"plain text\n", 11, out, err, &error));
  g_assert_cmpstr (out->str, ==, "plain text\n");
}

/* Environment values stay off the command line: one-line values go in
 * the env file, the others as --env=NAME with the value in the tool's
 * environment; names the tool reads itself cannot take that way. */
static void
test_env_off_argv (void)
{
  g_autoptr (HeroVirtLocalExecutor) executor = hero_virt_local_executor_new ();
  g_autoptr (HeroVirtContainerBuilder) b
      = hero_virt_container_builder_new ("web", "localhost/web:1");
  g_autoptr (HeroVirtContainerSpec) spec = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  hero_virt_container_builder_add_env (b, "TOKEN", "s3cr3t-one-line");
  hero_virt_container_builder_add_env (b, "PEM", "-----BEGIN-----\nabc\n-----END-----");
  spec = hero_virt_container_builder_build_spec (b, &error);
  g_assert_no_error (error);
  text = docker_cli_env_file_text (spec);
  g_assert_cmpstr (text, ==, "TOKEN=s3cr3t-one-line\n");
  command = docker_cli_command (&podman_dialect, HERO_VIRT_EXECUTOR (executor), "run");
  g_assert_true (docker_cli_add_create_args (&podman_dialect, command, spec, "/p/env", &error));
  g_assert_no_error (error);
  line = argv_of (command);
  g_assert_null (strstr (line, "s3cr3t"));
  g_assert_null (strstr (line, "BEGIN"));
  g_assert_nonnull (strstr (line, "|--env-file=/p/env|"));
  g_assert_nonnull (strstr (line, "|--env=PEM|"));
  g_assert_cmpstr (hero_virt_command_getenv (command, "PEM"), ==,
                   "-----BEGIN-----\nabc\n-----END-----");
  g_clear_object (&command);
  g_clear_object (&spec);
  g_clear_object (&b);

  b = hero_virt_container_builder_new ("web", "localhost/web:1");
  hero_virt_container_builder_add_env (b, "PATH", "/bin\n/usr/bin");
  spec = hero_virt_container_builder_build_spec (b, &error);
  g_assert_no_error (error);
  command = docker_cli_command (&podman_dialect, HERO_VIRT_EXECUTOR (executor), "run");
  g_assert_false (docker_cli_add_create_args (&podman_dialect, command, spec, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_null (strstr (error->message, "/usr/bin"));
  g_clear_error (&error);
  g_clear_object (&spec);
  g_clear_object (&b);

  /* a name that `env` or a shell would take as an option or a command */
  b = hero_virt_container_builder_new ("web", "localhost/web:1");
  hero_virt_container_builder_add_env (b, "-Secho INJECTED #", "hidden-value");
  g_assert_false (hero_virt_container_builder_validate (b, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_null (strstr (error->message, "hidden-value"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/docker-cli/podman/ps", test_podman_ps);
  g_test_add_func ("/docker-cli/podman/inspect", test_podman_inspect);
  g_test_add_func ("/docker-cli/podman/stats-images", test_podman_stats_images);
  g_test_add_func ("/docker-cli/nerdctl/ps", test_nerdctl_ps);
  g_test_add_func ("/docker-cli/nerdctl/inspect", test_nerdctl_inspect);
  g_test_add_func ("/docker-cli/nerdctl/stats-images", test_nerdctl_stats_images);
  g_test_add_func ("/docker-cli/sizes", test_sizes);
  g_test_add_func ("/docker-cli/argv", test_argv);
  g_test_add_func ("/container-spec/from-builder", test_spec);
  g_test_add_func ("/docker-cli/deep-json", test_deep_json);
  g_test_add_func ("/docker-cli/hostile-rows", test_hostile_rows);
  g_test_add_func ("/podman-rest/frames", test_rest_frames);
  g_test_add_func ("/docker-cli/env-off-argv", test_env_off_argv);

  return g_test_run ();
}
