/* fixture.h: what the buildah tests share: private container storage, a
 * busybox base image built from /bin/busybox, docker-registry and sshd
 * on 127.0.0.1, all started and stopped by PID.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "testlib.h"

G_BEGIN_DECLS

#define HT_BASE_IMAGE "localhost/hv-test/busybox:latest"

typedef struct
{
  char                  *dir;      /* everything lives under here */
  char                 **env;      /* CONTAINERS_CONF and friends */
  HeroVirtLocalExecutor *executor; /* commands see env */
} HtBuildah;

/* Private storage and the base image; NULL (test skipped) without buildah. */
HtBuildah *ht_buildah_new (void);
void       ht_buildah_free (HtBuildah *fixture);
void       ht_buildah_build_base (HtBuildah *fixture);

typedef enum
{
  HT_REGISTRY_HTTP,
  HT_REGISTRY_TLS,
  HT_REGISTRY_TLS_AUTH,
} HtRegistryKind;

typedef struct
{
  HtDaemon *daemon;
  char     *dir;
  char     *cert_dir; /* holds ca.crt: the CA the caller trusts (TLS kinds) */
  char     *address;  /* 127.0.0.1:PORT */
} HtRegistry;

#define HT_REGISTRY_USER "hvuser"
#define HT_REGISTRY_PASSWORD "s3cret-Pa55-word"

HtRegistry *ht_registry_start (const char *parent_dir, HtRegistryKind kind);
void        ht_registry_stop (HtRegistry *registry);

typedef struct
{
  HtDaemon *daemon;
  char     *dir;
  guint16   port;
  char     *user_key;
  char     *known_hosts;       /* has the right host key */
  char     *wrong_known_hosts; /* has another key for the same host */
} HtSshd;

HtSshd              *ht_sshd_start (const char *parent_dir);
void                 ht_sshd_stop (HtSshd *sshd);
HeroVirtSshExecutor *ht_sshd_executor (HtSshd *sshd, const char *known_hosts);

G_END_DECLS
