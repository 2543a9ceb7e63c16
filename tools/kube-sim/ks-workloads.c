/* ks-workloads.c: the job, statefulset and daemonset controllers, enough for
 * kubectl wait --for=condition=complete and kubectl rollout status. */
#include "ks-controllers-private.h"

#include <string.h>

static KsResource *
batch (KsSim *sim, const char *plural)
{
  return ks_resource_find (sim, "batch", "v1", plural);
}

static const char *
phase_of (JsonObject *pod)
{
  return ks_json_get_string (ks_json_get_object (pod, "status"), "phase");
}

/* A pod from a template, owned by owner. name or generate_name. */
static void
create_pod (KsSim      *sim,
            KsResource *owner_res,
            JsonObject *owner,
            JsonObject *template,
            const char *name,
            const char *generate_name,
            JsonObject *extra_labels,
            const char *node_name)
{
  KsResource *pods = core (sim, "pods");
  const char *ns = ks_meta_namespace (owner);
  JsonObject *pod = new_object ("v1", "Pod", ns, name);
  JsonObject *tmeta = ks_meta (template);
  JsonObject *labels
      = ks_json_object_deep_copy (ks_json_get_object (tmeta, "labels") ?: json_object_new ());
  JsonArray  *refs = json_array_new ();
  JsonObject *spec;

  if (generate_name != NULL)
    json_object_set_string_member (ks_meta (pod), "generateName", generate_name);
  if (extra_labels != NULL)
    {
      JsonObjectIter iter;
      const char    *k;
      JsonNode      *v;
      json_object_iter_init (&iter, extra_labels);
      while (json_object_iter_next (&iter, &k, &v))
        json_object_set_member (labels, k, ks_json_node_deep_copy (v));
    }
  json_object_set_object_member (ks_meta (pod), "labels", labels);
  if (ks_json_get_object (tmeta, "annotations"))
    json_object_set_object_member (
        ks_meta (pod), "annotations",
        ks_json_object_deep_copy (ks_json_get_object (tmeta, "annotations")));
  json_array_add_object_element (refs, owner_ref (owner_res, owner));
  json_object_set_array_member (ks_meta (pod), "ownerReferences", refs);
  spec = ks_json_object_deep_copy (ks_json_get_object (template, "spec") ?: json_object_new ());
  if (node_name != NULL)
    json_object_set_string_member (spec, "nodeName", node_name);
  json_object_set_object_member (pod, "spec", spec);
  create_quiet (sim, pods, ns, pod);
}

/* ---- jobs ---- */

static JsonObject *
condition (const char *type, const char *reason, const char *message, const char *now)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "status", "True");
  json_object_set_string_member (c, "lastProbeTime", now);
  json_object_set_string_member (c, "lastTransitionTime", now);
  json_object_set_string_member (c, "reason", reason);
  json_object_set_string_member (c, "message", message);
  return c;
}

static void
reconcile_job (KsSim *sim, KsResource *jobs, JsonObject *job)
{
  KsResource *pods = core (sim, "pods");
  const char *ns = ks_meta_namespace (job);
  JsonObject *spec = ks_json_get_object (job, "spec");
  JsonObject *old_status = ks_json_get_object (job, "status");
  gint64      completions = ks_json_get_int (spec, "completions", 1);
  gint64      parallelism = ks_json_get_int (spec, "parallelism", 1);
  gboolean    suspended = ks_json_get_bool (spec, "suspend", FALSE);
  gint64      active = 0, succeeded = 0, failed = 0, ready = 0;
  g_autoptr (GPtrArray) owned = owned_list (pods, ns, ks_meta_uid (job));
  g_autofree char *now = ks_now_rfc3339 ();
  JsonObject      *copy, *status;
  gboolean         complete;

  if (terminating (job))
    return;
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *pod = g_ptr_array_index (owned, i);
      const char *phase = phase_of (pod);
      if (g_strcmp0 (phase, "Succeeded") == 0)
        succeeded++;
      else if (g_strcmp0 (phase, "Failed") == 0)
        failed++;
      else if (!terminating (pod))
        {
          active++;
          if (pod_ready (pod))
            ready++;
        }
    }
  complete = succeeded >= completions;
  if (!complete && !suspended)
    {
      gint64           want = MIN (parallelism, completions - succeeded) - active;
      g_autofree char *generate = g_strconcat (ks_meta_name (job), "-", NULL);
      JsonObject      *labels
          = string_map ("batch.kubernetes.io/controller-uid", ks_meta_uid (job),
                        "batch.kubernetes.io/job-name", ks_meta_name (job), "controller-uid",
                        ks_meta_uid (job), "job-name", ks_meta_name (job), NULL);
      for (gint64 n = 0; n < want; n++)
        {
          create_pod (sim, jobs, job, ks_json_get_object (spec, "template"), NULL, generate, labels,
                      NULL);
          active++;
        }
      json_object_unref (labels);
    }
  job = ks_store_get (jobs, ns, ks_meta_name (job));
  if (job == NULL)
    return;
  copy = ks_json_object_deep_copy (job);
  status = json_object_new ();
  json_object_set_string_member (status, "startTime",
                                 ks_json_get_string (old_status, "startTime") ?: now);
  if (active > 0)
    json_object_set_int_member (status, "active", active);
  if (succeeded > 0)
    json_object_set_int_member (status, "succeeded", succeeded);
  if (failed > 0)
    json_object_set_int_member (status, "failed", failed);
  json_object_set_int_member (status, "ready", ready);
  json_object_set_int_member (status, "terminating", 0);
  json_object_set_object_member (status, "uncountedTerminatedPods", json_object_new ());
  if (complete)
    {
      JsonArray *old_conditions = ks_json_get_array (old_status, "conditions");
      if (old_conditions != NULL)
        json_object_set_array_member (status, "conditions",
                                      ks_json_array_deep_copy (old_conditions));
      else
        {
          JsonArray *conditions = json_array_new ();
          json_array_add_object_element (
              conditions, condition ("SuccessCriteriaMet", "CompletionsReached",
                                     "Reached expected number of succeeded pods", now));
          json_array_add_object_element (
              conditions, condition ("Complete", "CompletionsReached",
                                     "Reached expected number of succeeded pods", now));
          json_object_set_array_member (status, "conditions", conditions);
        }
      json_object_set_string_member (status, "completionTime",
                                     ks_json_get_string (old_status, "completionTime") ?: now);
    }
  json_object_set_object_member (copy, "status", status);
  update_quiet (sim, jobs, job, copy, "status");
}

void
reconcile_jobs (KsSim *sim)
{
  KsResource *jobs = batch (sim, "jobs");
  g_autoptr (GPtrArray) items = held_list (jobs, NULL);

  for (guint i = 0; i < items->len; i++)
    reconcile_job (sim, jobs, g_ptr_array_index (items, i));
}

static void
default_job (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonObject *template = ks_json_ensure_object (spec, "template");
  JsonObject *tspec = ks_json_ensure_object (template, "spec");

  if (!json_object_has_member (spec, "completions")
      && !json_object_has_member (spec, "parallelism"))
    json_object_set_int_member (spec, "completions", 1);
  if (!json_object_has_member (spec, "parallelism"))
    json_object_set_int_member (spec, "parallelism", 1);
  if (!json_object_has_member (spec, "backoffLimit"))
    json_object_set_int_member (spec, "backoffLimit", 6);
  if (!json_object_has_member (spec, "completionMode"))
    json_object_set_string_member (spec, "completionMode", "NonIndexed");
  if (!json_object_has_member (spec, "suspend"))
    json_object_set_boolean_member (spec, "suspend", FALSE);
  if (!json_object_has_member (spec, "podReplacementPolicy"))
    json_object_set_string_member (spec, "podReplacementPolicy", "TerminatingOrFailed");
  if (!json_object_has_member (tspec, "restartPolicy"))
    json_object_set_string_member (tspec, "restartPolicy", "Missing");
  ks_default_pod_spec (tspec);
  if (g_strcmp0 (ks_json_get_string (tspec, "restartPolicy"), "Missing") == 0)
    json_object_remove_member (tspec, "restartPolicy");
}

static JsonObject *
validate_job (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *tspec = ks_json_get_object (
      ks_json_get_object (ks_json_get_object (obj, "spec"), "template"), "spec");
  const char *restart = ks_json_get_string (tspec, "restartPolicy");
  g_autoptr (JsonArray) causes = json_array_new ();

  if (restart == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.template.spec.restartPolicy",
                   "Required value: valid values: \"OnFailure\", \"Never\"");
  else if (strcmp (restart, "Never") != 0 && strcmp (restart, "OnFailure") != 0)
    {
      g_autofree char *message = g_strdup_printf (
          "Unsupported value: \"%s\": supported values: \"OnFailure\", \"Never\"", restart);
      ks_causes_add (causes, "FieldValueNotSupported", "spec.template.spec.restartPolicy", message);
    }
  if (ks_json_get_array (tspec, "containers") == NULL)
    ks_causes_add (causes, "FieldValueRequired", "spec.template.spec.containers", "Required value");
  if (json_array_get_length (causes) > 0)
    return ks_status_invalid (res, ks_meta_name (obj), causes);
  return NULL;
}

/* ---- statefulsets ---- */

static JsonObject *
pod_named (KsSim *sim, const char *ns, const char *name)
{
  return ks_store_get (core (sim, "pods"), ns, name);
}

static void
reconcile_statefulset (KsSim *sim, KsResource *sts_res, JsonObject *sts)
{
  const char *ns = ks_meta_namespace (sts);
  const char *name = ks_meta_name (sts);
  JsonObject *spec = ks_json_get_object (sts, "spec");
  JsonObject *template = ks_json_get_object (spec, "template");
  gint64   replicas = ks_json_get_int (spec, "replicas", 1);
  gboolean parallel = g_strcmp0 (ks_json_get_string (spec, "podManagementPolicy"), "Parallel") == 0;
  g_autofree char *hash = template_hash (template);
  g_autofree char *revision = g_strdup_printf ("%s-%s", name, hash);
  KsResource      *pods = core (sim, "pods");
  gint64           have = 0, ready = 0, updated = 0;
  gboolean         all_ready = TRUE;
  JsonObject      *copy, *status;
  const char      *current_revision;

  if (terminating (sts))
    return;
  for (gint64 i = 0; i < replicas; i++)
    {
      g_autofree char *pod_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, name, i);
      JsonObject      *pod = pod_named (sim, ns, pod_name);
      if (pod == NULL)
        {
          g_autofree char *index = g_strdup_printf ("%" G_GINT64_FORMAT, i);
          JsonObject      *labels = string_map ("controller-revision-hash", revision,
                                                "statefulset.kubernetes.io/pod-name", pod_name,
                                                "apps.kubernetes.io/pod-index", index, NULL);
          JsonObject      *t = ks_json_object_deep_copy (template);
          JsonObject      *tspec = ks_json_ensure_object (t, "spec");
          json_object_set_string_member (tspec, "hostname", pod_name);
          if (ks_json_get_string (spec, "serviceName"))
            json_object_set_string_member (tspec, "subdomain",
                                           ks_json_get_string (spec, "serviceName"));
          create_pod (sim, sts_res, sts, t, pod_name, NULL, labels, NULL);
          json_object_unref (labels);
          json_object_unref (t);
          all_ready = FALSE;
          if (!parallel)
            break;
          continue;
        }
      if (!pod_ready (pod) || terminating (pod))
        {
          all_ready = FALSE;
          if (!parallel)
            break;
        }
    }
  /* Scale down from the highest ordinal. */
  {
    g_autoptr (GPtrArray) owned = owned_list (pods, ns, ks_meta_uid (sts));
    for (gint i = owned->len - 1; i >= 0; i--)
      {
        JsonObject *pod = g_ptr_array_index (owned, i);
        const char *index = ks_meta_label (pod, "apps.kubernetes.io/pod-index");
        if (index != NULL && g_ascii_strtoll (index, NULL, 10) >= replicas && !terminating (pod))
          {
            delete_quiet (sim, pods, pod, NULL);
            if (!parallel)
              break;
          }
      }
  }
  /* Rolling update: when everything is ready, replace the highest old pod. */
  if (all_ready)
    for (gint64 i = replicas - 1; i >= 0; i--)
      {
        g_autofree char *pod_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, name, i);
        JsonObject      *pod = pod_named (sim, ns, pod_name);
        if (pod != NULL && !terminating (pod)
            && g_strcmp0 (ks_meta_label (pod, "controller-revision-hash"), revision) != 0)
          {
            delete_quiet (sim, pods, pod, NULL);
            break;
          }
      }
  {
    g_autoptr (GPtrArray) owned = owned_list (pods, ns, ks_meta_uid (sts));
    for (guint i = 0; i < owned->len; i++)
      {
        JsonObject *pod = g_ptr_array_index (owned, i);
        if (terminating (pod))
          continue;
        have++;
        if (pod_ready (pod))
          ready++;
        if (g_strcmp0 (ks_meta_label (pod, "controller-revision-hash"), revision) == 0)
          updated++;
      }
  }
  sts = ks_store_get (sts_res, ns, name);
  if (sts == NULL)
    return;
  current_revision = ks_json_get_string (ks_json_get_object (sts, "status"), "currentRevision");
  copy = ks_json_object_deep_copy (sts);
  status = json_object_new ();
  json_object_set_int_member (status, "observedGeneration",
                              ks_json_get_int (ks_meta (sts), "generation", 1));
  json_object_set_int_member (status, "replicas", have);
  if (ready > 0)
    json_object_set_int_member (status, "readyReplicas", ready);
  if (have - updated > 0 || updated > 0)
    json_object_set_int_member (status, "currentReplicas",
                                updated == have || current_revision == NULL ? have
                                                                            : have - updated);
  if (updated > 0)
    json_object_set_int_member (status, "updatedReplicas", updated);
  json_object_set_int_member (status, "availableReplicas", ready);
  json_object_set_string_member (status, "currentRevision",
                                 updated == replicas && ready == replicas ? revision
                                 : current_revision                       ? current_revision
                                                                          : revision);
  json_object_set_string_member (status, "updateRevision", revision);
  json_object_set_int_member (status, "collisionCount", 0);
  json_object_set_object_member (copy, "status", status);
  update_quiet (sim, sts_res, sts, copy, "status");
}

void
reconcile_statefulsets (KsSim *sim)
{
  KsResource *res = apps (sim, "statefulsets");
  g_autoptr (GPtrArray) items = held_list (res, NULL);

  for (guint i = 0; i < items->len; i++)
    reconcile_statefulset (sim, res, g_ptr_array_index (items, i));
}

/* ---- daemonsets (one node) ---- */

static void
reconcile_daemonset (KsSim *sim, KsResource *ds_res, JsonObject *ds)
{
  const char *ns = ks_meta_namespace (ds);
  JsonObject *template = ks_json_get_object (ks_json_get_object (ds, "spec"), "template");
  g_autofree char *hash = template_hash (template);
  KsResource      *pods = core (sim, "pods");
  g_autoptr (GPtrArray) owned = owned_list (pods, ns, ks_meta_uid (ds));
  gint64      scheduled = 0, ready = 0, updated = 0;
  gboolean    any_active = FALSE;
  JsonObject *copy, *status;

  if (terminating (ds))
    return;
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *pod = g_ptr_array_index (owned, i);
      if (terminating (pod))
        continue;
      any_active = TRUE;
      if (g_strcmp0 (ks_meta_label (pod, "controller-revision-hash"), hash) != 0)
        delete_quiet (sim, pods, pod, NULL);
    }
  if (!any_active)
    {
      g_autofree char *generate = g_strconcat (ks_meta_name (ds), "-", NULL);
      JsonObject      *labels
          = string_map ("controller-revision-hash", hash, "pod-template-generation", "1", NULL);
      create_pod (sim, ds_res, ds, template, NULL, generate, labels, NULL);
      json_object_unref (labels);
    }
  g_ptr_array_unref (owned);
  owned = owned_list (pods, ns, ks_meta_uid (ds));
  for (guint i = 0; i < owned->len; i++)
    {
      JsonObject *pod = g_ptr_array_index (owned, i);
      if (terminating (pod))
        continue;
      scheduled++;
      if (pod_ready (pod))
        ready++;
      if (g_strcmp0 (ks_meta_label (pod, "controller-revision-hash"), hash) == 0)
        updated++;
    }
  ds = ks_store_get (ds_res, ns, ks_meta_name (ds));
  if (ds == NULL)
    return;
  copy = ks_json_object_deep_copy (ds);
  status = json_object_new ();
  json_object_set_int_member (status, "currentNumberScheduled", scheduled);
  json_object_set_int_member (status, "desiredNumberScheduled", 1);
  json_object_set_int_member (status, "numberMisscheduled", 0);
  json_object_set_int_member (status, "numberReady", ready);
  if (ready > 0)
    json_object_set_int_member (status, "numberAvailable", ready);
  else
    json_object_set_int_member (status, "numberUnavailable", 1);
  json_object_set_int_member (status, "updatedNumberScheduled", updated);
  json_object_set_int_member (status, "observedGeneration",
                              ks_json_get_int (ks_meta (ds), "generation", 1));
  json_object_set_object_member (copy, "status", status);
  update_quiet (sim, ds_res, ds, copy, "status");
}

void
reconcile_daemonsets (KsSim *sim)
{
  KsResource *res = apps (sim, "daemonsets");
  g_autoptr (GPtrArray) items = held_list (res, NULL);

  for (guint i = 0; i < items->len; i++)
    reconcile_daemonset (sim, res, g_ptr_array_index (items, i));
}

static void
default_set (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old)
{
  JsonObject *spec = ks_json_ensure_object (obj, "spec");
  JsonObject *strategy = ks_json_ensure_object (spec, "updateStrategy");

  if (!json_object_has_member (strategy, "type"))
    json_object_set_string_member (strategy, "type", "RollingUpdate");
  if (!json_object_has_member (spec, "revisionHistoryLimit"))
    json_object_set_int_member (spec, "revisionHistoryLimit", 10);
  if (strcmp (res->kind, "StatefulSet") == 0)
    {
      if (!json_object_has_member (spec, "replicas"))
        json_object_set_int_member (spec, "replicas", 1);
      if (!json_object_has_member (spec, "podManagementPolicy"))
        json_object_set_string_member (spec, "podManagementPolicy", "OrderedReady");
      if (g_strcmp0 (ks_json_get_string (strategy, "type"), "RollingUpdate") == 0
          && !json_object_has_member (strategy, "rollingUpdate"))
        {
          JsonObject *rolling = json_object_new ();
          json_object_set_int_member (rolling, "partition", 0);
          json_object_set_object_member (strategy, "rollingUpdate", rolling);
        }
    }
  else if (g_strcmp0 (ks_json_get_string (strategy, "type"), "RollingUpdate") == 0
           && !json_object_has_member (strategy, "rollingUpdate"))
    {
      JsonObject *rolling = json_object_new ();
      json_object_set_int_member (rolling, "maxUnavailable", 1);
      json_object_set_int_member (rolling, "maxSurge", 0);
      json_object_set_object_member (strategy, "rollingUpdate", rolling);
    }
  ks_default_pod_spec (ks_json_ensure_object (ks_json_ensure_object (spec, "template"), "spec"));
  if (!json_object_has_member (obj, "status"))
    json_object_set_object_member (obj, "status", json_object_new ());
}

void
ks_workloads_init (KsSim *sim)
{
  KsResource *r;

  r = batch (sim, "jobs");
  r->defaults = default_job;
  r->validate = validate_job;
  r = apps (sim, "statefulsets");
  r->defaults = default_set;
  r->validate = ks_validate_workload;
  r = apps (sim, "daemonsets");
  r->defaults = default_set;
  r->validate = ks_validate_workload;
}
