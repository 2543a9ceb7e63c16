/* fuzz-docker-cli-jsonl.c: libFuzzer target for the docker-compatible
 * CLI's JSON parsers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a tool's standard output: parsed as nerdctl's JSON lines
 * (ps, images, stats), as podman's one array, and as inspect output.
 */
#include "nerdctl-dialect.h"
#include "podman-dialect.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A critical or warning (json-glib's g_return_if_fail on hostile input)
 * is a finding too. */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
check (gpointer result, GError *error)
{
  /* NULL always comes with a GError. */
  if (result == NULL && error == NULL)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const DockerCliDialect *dialects[] = { &nerdctl_dialect, &podman_dialect };
  char                   *text = g_strndup ((const char *)data, size);

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    {
      GError                 *error = NULL;
      GPtrArray              *list;
      HeroVirtContainerStats *stats;

      list = docker_cli_parse_ps (dialects[d], text, &error);
      check (list, error);
      g_clear_pointer (&list, g_ptr_array_unref);
      g_clear_error (&error);

      list = docker_cli_parse_images (dialects[d], text, &error);
      check (list, error);
      g_clear_pointer (&list, g_ptr_array_unref);
      g_clear_error (&error);

      stats = docker_cli_parse_stats (dialects[d], text, &error);
      check (stats, error);
      g_clear_object (&stats);
      g_clear_error (&error);
    }
  {
    GError                  *error = NULL;
    HeroVirtContainerStatus *status = docker_cli_parse_inspect (text, &error);

    check (status, error);
    g_clear_object (&status);
    g_clear_error (&error);
  }
  g_free (text);
  return 0;
}
