/* podman-rest.h: podman's libpod REST API over its unix socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "docker-cli.h"

G_BEGIN_DECLS

typedef struct _PodmanRest PodmanRest;

PodmanRest *podman_rest_new (const char *socket_path);
void        podman_rest_free (PodmanRest *rest);
const char *podman_rest_get_path (PodmanRest *rest);

/* The socket to use for @executor, or NULL for the CLI: a local executor
 * whose (or else this process's) CONTAINER_HOST is unix://PATH, PATH
 * being a socket owned by us or root. There is no default: the rootful
 * /run/podman/podman.sock is used only when CONTAINER_HOST names it. */
char *podman_rest_find_socket (HeroVirtExecutor *executor);

/* Fills @iface with REST implementations, falling back to @cli (the CLI
 * implementation) where the executor has no socket. */
void podman_rest_iface_init (HeroVirtContainerProviderInterface *iface);

G_END_DECLS
