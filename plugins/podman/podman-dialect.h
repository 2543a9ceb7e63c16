/* podman-dialect.h: what podman's CLI does differently
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "docker-cli.h"

G_BEGIN_DECLS

extern const DockerCliDialect podman_dialect;

HeroVirtContainerStatus *podman_status_from_ps_row (JsonObject *row);
HeroVirtContainerImage  *podman_image_from_row (JsonObject *row);
HeroVirtContainerStats  *podman_stats_from_row (JsonObject *row);

G_END_DECLS
