/* docker-cli.h: the docker-compatible CLI logic shared by the podman and
 * nerdctl plugins. Argv building, running, error mapping and output
 * parsing live here once; a DockerCliDialect names what differs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _DockerCliDialect DockerCliDialect;

struct _DockerCliDialect
{
  const char *program;       /* "podman", "nerdctl" */
  const char *log_domain;    /* the plugin's G_LOG_DOMAIN, for the executor's command lines */
  gboolean    json_lines;    /* ps/images: one object per line (nerdctl) or one array (podman) */
  const char *health_run[3]; /* {"healthcheck", "run"} or {"container", "healthcheck"} */
  const char *default_health_interval; /* used when the health check sets none; NULL to leave it */
  const char *stats_format;            /* --format for stats --no-stream */
  const char *insecure_pull_flag;      /* "--tls-verify=false" or "--insecure-registry" */
  gboolean    push_takes_destination;  /* podman push SRC DEST; nerdctl tags first */
  gboolean    quiet_prints_id;         /* pull/commit --quiet print the image ID */
  /* Adds global options that go before the subcommand (nerdctl's
   * --namespace/--address); may be NULL. */
  void (*add_globals) (HeroVirtExecutor *executor, HeroVirtCommand *command);
  HeroVirtContainerStatus *(*parse_ps_row) (JsonObject *row);
  HeroVirtContainerImage *(*parse_image_row) (JsonObject *row);
  HeroVirtContainerStats *(*parse_stats_row) (JsonObject *row);
};

/* The dialect is attached to the provider's GType. */
void                    docker_cli_set_dialect (GType type, const DockerCliDialect *dialect);
const DockerCliDialect *docker_cli_get_dialect (gpointer provider);

/* Fills @iface with the CLI implementation of every operation. */
void docker_cli_provider_iface_init (HeroVirtContainerProviderInterface *iface);

/* Pieces, for dialect tests and for plugins that mix in another transport. */
HeroVirtCommand *docker_cli_command (const DockerCliDialect *dialect,
                                     HeroVirtExecutor       *executor,
                                     const char             *subcommand);
/* Container environment values never go on the command line: those of
 * one line go in @env_file (written from docker_cli_env_file_text()), the
 * others as --env=NAME with the value in the tool's own environment. */
gboolean docker_cli_add_create_args (const DockerCliDialect *dialect,
                                     HeroVirtCommand        *command,
                                     HeroVirtContainerSpec  *spec,
                                     const char             *env_file,
                                     GError                **error);
char    *docker_cli_env_file_text (HeroVirtContainerSpec *spec);
gboolean docker_cli_env_name_is_tool_config (const char *name);
void     docker_cli_wipe_free (char *secret);
gboolean docker_cli_check (HeroVirtCommandResult *result, GError **error);

JsonArray *
docker_cli_parse_rows (const DockerCliDialect *dialect, const char *text, GError **error);
GPtrArray *docker_cli_parse_ps (const DockerCliDialect *dialect, const char *text, GError **error);
GPtrArray *
docker_cli_parse_images (const DockerCliDialect *dialect, const char *text, GError **error);
HeroVirtContainerStats *
docker_cli_parse_stats (const DockerCliDialect *dialect, const char *text, GError **error);
HeroVirtContainerStatus *docker_cli_parse_inspect (const char *text, GError **error);
HeroVirtContainerStatus *docker_cli_status_from_inspect (JsonObject *object);

/* Shared parsing helpers. */
guint64     docker_cli_parse_size (const char *text);
double      docker_cli_parse_percent (const char *text);
const char *docker_cli_state_from_status (const char *status, int *exit_code);
char       *docker_cli_health_from_status (const char *status);
const char *docker_cli_get_string (JsonObject *object, const char *member);
JsonObject *docker_cli_array_object (JsonArray *array, guint index);
const char *docker_cli_array_string (JsonArray *array, guint index);
gint64      docker_cli_get_int (JsonObject *object, const char *member);

G_END_DECLS
