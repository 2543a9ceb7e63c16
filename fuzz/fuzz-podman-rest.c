/* fuzz-podman-rest.c: libFuzzer target for what the podman REST transport
 * reads off its socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is one response body. It goes through the multiplexed-stream
 * demuxer (exec, logs), the pull/push stream splitter, the error-message
 * reader and the JSON parser, and a parsed body goes on to the row, stats
 * and inspect parsers the REST calls feed it to.
 */
#include <string.h>

#include "podman-dialect.h"
#include "podman-rest-parse.h"

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
rows (JsonNode *node)
{
  JsonArray *array;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode   *stats = json_object_get_member (object, "Stats");

      {
        HeroVirtContainerStatus *status = docker_cli_status_from_inspect (object);
        g_clear_object (&status);
      }
      if (stats != NULL && JSON_NODE_HOLDS_ARRAY (stats))
        rows (stats);
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject              *row = json_node_get_object (element);
          HeroVirtContainerStatus *status = podman_status_from_ps_row (row);
          HeroVirtContainerImage  *image = podman_image_from_row (row);
          HeroVirtContainerStats  *stats = podman_stats_from_row (row);

          g_clear_object (&status);
          g_clear_object (&image);
          g_clear_object (&stats);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  GString  *out = g_string_new (NULL);
  GString  *err = g_string_new (NULL);
  GError   *error = NULL;
  JsonNode *node;
  char     *text;

  if (!podman_rest_demux (data, size, out, err, &error))
    {
      /* Every failure says why. */
      if (error == NULL)
        __builtin_trap ();
      g_clear_error (&error);
    }
  g_string_free (out, TRUE);
  g_string_free (err, TRUE);

  if (size >= 8)
    {
      guint   stream = 0;
      guint32 frame = 0;
      if (!podman_rest_frame_header (data, PODMAN_REST_MAX_FRAME, &stream, &frame, &error))
        {
          if (error == NULL)
            __builtin_trap ();
          g_clear_error (&error);
        }
      else if (frame > PODMAN_REST_MAX_FRAME || stream > 2)
        __builtin_trap ();
    }

  text = podman_rest_stream_result (data, size, "fuzz", &error);
  if (text == NULL && error == NULL)
    __builtin_trap ();
  g_free (text);
  g_clear_error (&error);

  g_free (podman_rest_error_message (data, size));

  node = podman_rest_parse_json (data, size, &error);
  if (node == NULL)
    {
      if (error == NULL)
        __builtin_trap ();
      g_clear_error (&error);
      return 0;
    }
  rows (node);
  json_node_unref (node);
  return 0;
}
