/* hero-virt-kube-app-private.h: what the in-cluster applications
 * (RegistryDeployer, DevelopmentMachine, BuildMachine) share inside the
 * library; never installed
 *
 * Each embeds a HeroVirtKubeApp: its name, the manager of its namespace
 * and the first bad input a setter saw. Errors about it start with
 * "<Kind> “<name>”: "; waiting for its pods ends in a
 * %HERO_VIRT_ERROR_TIMEOUT naming the pod and its last condition; removal
 * treats what is already gone as done.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-kube-builders-private.h"

G_BEGIN_DECLS

typedef struct
{
  const char                *kind; /* "Registry", "Development machine", …: static */
  HeroVirtKubernetesManager *manager;
  char                      *name;
  GError                    *error; /* the first bad input */
} HeroVirtKubeApp;

/* One object remove() deletes. */
typedef struct
{
  const char *api_version;
  const char *kind;
  const char *name;
} HeroVirtKubeAppObject;

/* One attempt of _hero_virt_kube_app_poll(): TRUE when done; FALSE with
 * *error set gives up; FALSE without it tries again, *why (replaced) saying
 * what is wrong so far. */
typedef gboolean (*HeroVirtKubeAppProbe) (gpointer      data,
                                          GCancellable *cancellable,
                                          char        **why,
                                          GError      **error);

void _hero_virt_kube_app_init (HeroVirtKubeApp           *app,
                               const char                *kind,
                               HeroVirtKubernetesManager *manager,
                               const char                *name);
void _hero_virt_kube_app_clear (HeroVirtKubeApp *app);

/* Setters record the first bad input; build() and the actions report it. */
void _hero_virt_kube_app_invalid (HeroVirtKubeApp *app,
                                  const char      *what,
                                  const char      *value,
                                  const char      *why);
void _hero_virt_kube_app_take_error (HeroVirtKubeApp *app, GError *error);
/* Works in @namespace (a valid DNS-1123 label) from now on, on the same
 * connection: the manager is replaced when its namespace differs. */
HeroVirtKubernetesManager *_hero_virt_kube_app_use_namespace (HeroVirtKubeApp *app,
                                                              const char *namespace);

/* The first bad input, prefixed "<Kind> “<name>”: ", or a name that is
 * not a DNS-1035 label ("<Kind> name: …"). */
gboolean _hero_virt_kube_app_check (HeroVirtKubeApp *app, GError **error);
void     _hero_virt_kube_app_prefix_error (HeroVirtKubeApp *app, GError **error);
/* "<Kind> “<name>”" (transfer full). */
char *_hero_virt_kube_app_describe (HeroVirtKubeApp *app);
/* "@key=<name>" (transfer full). */
char *_hero_virt_kube_app_selector (HeroVirtKubeApp *app, const char *key);
/* Labels an object of the app: @key=<name>, and with @component
 * app.kubernetes.io/component=@component. */
void _hero_virt_kube_app_label (HeroVirtKubeApp             *app,
                                HeroVirtKubeResourceBuilder *builder,
                                const char                  *key,
                                const char                  *component);

/* Server-side applies @objects in order; gives the last one as applied
 * (transfer full), or %NULL with the error prefixed. */
JsonNode *_hero_virt_kube_app_apply (HeroVirtKubeApp *app,
                                     GPtrArray       *objects,
                                     GCancellable    *cancellable,
                                     GError         **error);
/* Waits until every pod with label @key=<name> is ready, until
 * @deadline (monotonic µs); the timeout error says @timeout_ms. */
gboolean _hero_virt_kube_app_wait_ready (HeroVirtKubeApp *app,
                                         const char      *key,
                                         gint64           deadline,
                                         guint            timeout_ms,
                                         GCancellable    *cancellable,
                                         GError         **error);
/* The host (@endpoint_host, else the address of the node the pods with
 * @key=<name> run on) and the node port of @service's first port. */
gboolean _hero_virt_kube_app_node_endpoint (HeroVirtKubeApp *app,
                                            JsonNode        *service,
                                            const char      *endpoint_host,
                                            const char      *key,
                                            char           **host,
                                            guint           *node_port,
                                            GCancellable    *cancellable,
                                            GError         **error);
/* Calls @probe until it succeeds or fails, backing off from 100 ms to
 * 1 s; at @deadline a %HERO_VIRT_ERROR_TIMEOUT "@what within
 * @timeout_ms ms: <why>". */
gboolean _hero_virt_kube_app_poll (HeroVirtKubeApp     *app,
                                   HeroVirtKubeAppProbe probe,
                                   gpointer             data,
                                   gint64               deadline,
                                   guint                timeout_ms,
                                   const char          *what,
                                   GCancellable        *cancellable,
                                   GError             **error);
/* Deletes @objects in order (background propagation); gone is fine. */
gboolean _hero_virt_kube_app_remove (HeroVirtKubeApp             *app,
                                     const HeroVirtKubeAppObject *objects,
                                     guint                        n_objects,
                                     GCancellable                *cancellable,
                                     GError                     **error);

/* An action `gboolean f (self, guint timeout_ms, cancellable, error)` in a
 * worker thread: _async starts it, _finish gives its result. */
typedef gboolean (*HeroVirtKubeAppTimedFunc) (gpointer      self,
                                              guint         timeout_ms,
                                              GCancellable *cancellable,
                                              GError      **error);
void     _hero_virt_kube_app_run_timed_async (gpointer                 self,
                                              gpointer                 source_tag,
                                              HeroVirtKubeAppTimedFunc func,
                                              guint                    timeout_ms,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
gboolean _hero_virt_kube_app_run_finish (gpointer      self,
                                         GAsyncResult *result,
                                         gpointer      source_tag,
                                         GError      **error);

/* Smaller helpers. */
char *_hero_virt_kube_random_password (void);
HeroVirtCommandResult *
_hero_virt_kube_run_local (HeroVirtCommand *command, GCancellable *cancellable, GError **error);

G_END_DECLS
