/* fuzz-buildah-json.c: libFuzzer target for buildah's JSON output and
 * progress lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a tool's standard output: parsed as `buildah images
 * --json`, `buildah containers --json` and `buildah inspect`, and fed line
 * by line to the progress parser.
 */
#include "buildah-parse.h"

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

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  char              *text = g_strndup ((const char *)data, size);
  GError            *error = NULL;
  GPtrArray         *list;
  HeroVirtImageInfo *info;
  HeroVirtProgress  *progress = hero_virt_progress_new ();
  BuildahProgress    state = { progress, "pull", 0, 0, 0 };
  char             **lines;

  list = buildah_parse_images (text, &error);
  if (list == NULL && error == NULL)
    __builtin_trap ();
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_error (&error);

  list = buildah_parse_containers (text, &error);
  if (list == NULL && error == NULL)
    __builtin_trap ();
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_error (&error);

  info = buildah_parse_inspect (text, &error);
  if (info == NULL && error == NULL)
    __builtin_trap ();
  g_clear_object (&info);
  g_clear_error (&error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    buildah_progress_feed (&state, lines[i]);
  buildah_progress_done (&state);
  g_strfreev (lines);
  g_object_unref (progress);
  g_free (text);
  return 0;
}
