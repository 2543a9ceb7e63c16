/* nerdctl-dialect.h: what nerdctl's CLI does differently
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "docker-cli.h"

G_BEGIN_DECLS

extern const DockerCliDialect nerdctl_dialect;

HeroVirtContainerStatus *nerdctl_status_from_ps_row (JsonObject *row);
HeroVirtContainerImage  *nerdctl_image_from_row (JsonObject *row);
HeroVirtContainerStats  *nerdctl_stats_from_row (JsonObject *row);
void                     nerdctl_add_globals (HeroVirtExecutor *executor, HeroVirtCommand *command);

G_END_DECLS
