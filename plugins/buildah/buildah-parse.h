/* buildah-parse.h: buildah's JSON output and progress lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

/* `buildah images --json`: an array of HeroVirtImageInfo. Empty output is
 * an empty list. */
GPtrArray *buildah_parse_images (const char *json, GError **error);
/* `buildah containers --json` */
GPtrArray *buildah_parse_containers (const char *json, GError **error);
/* `buildah inspect --type image` */
HeroVirtImageInfo *buildah_parse_inspect (const char *json, GError **error);

/* Turns progress lines (stderr of pull/push/commit, stdout of build) into
 * HeroVirtProgress updates. */
typedef struct
{
  HeroVirtProgress *progress;
  const char       *stage;
  guint             blobs;
  guint             step;
  guint             steps;
} BuildahProgress;

void buildah_progress_feed (BuildahProgress *state, const char *line);
void buildah_progress_done (BuildahProgress *state);

/* The registry host of a reference (`docker.io` when none is named). */
char *buildah_registry_host (const char *reference);

G_END_DECLS
