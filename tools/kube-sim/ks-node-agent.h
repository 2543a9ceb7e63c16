/* ks-node-agent.h: what runs pods. The simulator schedules every pod to one
 * node and tells the agent; the agent reports back through ks_pod_set_status()
 * and ks_pod_remove(). The fake agent only moves phases on timers; a later
 * agent can run pods with podman behind the same table. */
#pragma once

#include "kube-sim.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  /* A pod was bound to the node (spec.nodeName set). */
  void (*pod_scheduled) (KsNodeAgent *agent, JsonObject *pod);
  /* The pod got a deletionTimestamp: stop it, then call ks_pod_remove(). */
  void (*pod_terminating) (KsNodeAgent *agent, JsonObject *pod);
  /* The pod object is gone (forced deletion or after ks_pod_remove()). */
  void (*pod_removed) (KsNodeAgent *agent, JsonObject *pod);
  /* Container logs (transfer full, may be NULL). */
  char *(*pod_logs) (KsNodeAgent *agent, JsonObject *pod, const char *container);
  void (*free) (KsNodeAgent *agent);
} KsNodeAgentVTable;

struct _KsNodeAgent
{
  const KsNodeAgentVTable *vtable;
  KsSim                   *sim;
  char                    *node_name;
};

KsNodeAgent *ks_fake_agent_new (KsSim *sim, const char *node_name, guint ready_delay_ms);

G_END_DECLS
