/* ks-controllers-private.h: helpers the controllers share (ks-controllers.c,
 * ks-workloads.c). Controllers write through the API functions with no field
 * manager, as kube-controller-manager's own managers. */
#pragma once

#include "kube-sim.h"

G_BEGIN_DECLS

#define NODE_NAME "kube-sim-node"

GPtrArray  *held_list (KsResource *res, const char *ns);
KsResource *core (KsSim *sim, const char *plural);
KsResource *apps (KsSim *sim, const char *plural);
void        create_quiet (KsSim *sim, KsResource *res, const char *ns, JsonObject *obj);
void update_quiet (KsSim *sim, KsResource *res, JsonObject *old, JsonObject *obj, const char *sub);
void delete_quiet (KsSim *sim, KsResource *res, JsonObject *obj, const char *propagation);
JsonObject *
new_object (const char *api_version, const char *kind, const char *ns, const char *name);
JsonObject *owner_ref (KsResource *res, JsonObject *owner);
gboolean    owned_by (JsonObject *obj, const char *uid);
gboolean    terminating (JsonObject *obj);
gboolean    pod_ready (JsonObject *pod);
GPtrArray  *owned_list (KsResource *res, const char *ns, const char *uid);
char       *template_hash (JsonObject *template);
JsonObject *string_map (const char *first, ...) G_GNUC_NULL_TERMINATED;

void reconcile_jobs (KsSim *sim);
void reconcile_statefulsets (KsSim *sim);
void reconcile_daemonsets (KsSim *sim);

G_END_DECLS
