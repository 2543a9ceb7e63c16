/* kube-sim.h: the simulator's shared types.
 *
 * Everything runs on one GMainContext: HTTP handlers, watches, controllers
 * and the node agent. Stored objects are JsonObject trees never changed after
 * they are stored; writers build a deep copy and hand it to ks_store_write().
 */
#pragma once

#include <libsoup/soup.h>
#include "ks-json.h"

G_BEGIN_DECLS

typedef struct _KsSim       KsSim;
typedef struct _KsResource  KsResource;
typedef struct _KsNodeAgent KsNodeAgent;

typedef enum
{
  KS_RES_STATUS = 1 << 0,             /* has a /status subresource */
  KS_RES_SCALE = 1 << 1,              /* has a /scale subresource */
  KS_RES_DELETE_RETURNS_OBJ = 1 << 2, /* DELETE answers the object, not a Status */
  KS_RES_CUSTOM = 1 << 3,             /* served from a CustomResourceDefinition */
  KS_RES_GENERATION = 1 << 4,         /* metadata.generation follows spec changes */
  KS_RES_READONLY = 1 << 5,           /* only get/list/watch */
  KS_RES_REVIEW = 1 << 6,
  KS_RES_COMPUTED = 1 << 7,
  /* read-only, made from other objects on each read (metrics) */ /* create-only, answered and not
                                                                     stored (reviews) */
} KsResourceFlags;

/* Defaulting and validation hooks of one kind. validate returns a Status
 * object (transfer full) or NULL. */
typedef void (*KsDefaultFunc) (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old);
typedef JsonObject *(*KsValidateFunc) (KsSim      *sim,
                                       KsResource *res,
                                       JsonObject *obj,
                                       JsonObject *old);

struct _KsResource
{
  char           *group; /* "" for the core group */
  char           *version;
  char           *group_version; /* "v1" or "apps/v1" */
  char           *kind;
  char           *list_kind;
  char           *plural;
  char           *singular;
  char          **short_names;
  char          **categories;
  gboolean        namespaced;
  KsResourceFlags flags;
  GHashTable     *objects; /* "ns/name" -> JsonObject (shared by every version of a CRD) */
  KsResource     *storage; /* the resource whose table holds the objects (itself if built in) */
  KsDefaultFunc   defaults;
  KsValidateFunc  validate;
  JsonObject     *schema;          /* a CRD version's openAPIV3Schema, or NULL */
  char           *crd_name;        /* "plural.group" for custom resources */
  char          **printer_columns; /* CRD additionalPrinterColumns: "Name\tjsonPath\ttype" */
  GPtrArray *(*compute) (KsSim *sim, KsResource *res, const char *ns); /* KS_RES_COMPUTED */
};

typedef void (*KsStoreListener) (KsSim      *sim,
                                 KsResource *res,
                                 const char *type,
                                 JsonObject *obj,
                                 gpointer    user_data);

typedef struct
{
  guint64     rv;
  KsResource *res; /* the storage resource */
  char       *type;
  JsonObject *obj;
} KsEvent;

typedef struct
{
  char    *name;
  char    *token;
  char   **groups;
  char    *password; /* basic authentication, when set */
  gboolean readonly; /* Forbidden for secrets */
} KsUser;

typedef struct
{
  /* fault knobs */
  guint  latency_ms;
  double rate_429, rate_500, rate_drop;
  gint   count_429, count_500, count_drop; /* the first N eligible requests */
  guint  retry_after;
  gsize  max_body;
  char **fault_methods; /* only these verbs (NULL: all) */
  /* WebSocket subprotocols the stream endpoints refuse as if unknown, such
   * as v5.channel.k8s.io (clients must fall back); NULL: none */
  char **refuse_protocols;
} KsFaults;

struct _KsSim
{
  GPtrArray       *resources; /* every KsResource, built-in first */
  GHashTable      *by_gvr;    /* "group/version/plural" -> KsResource */
  guint64          rv;
  GQueue          *history; /* KsEvent, oldest first */
  guint            history_max;
  guint64          compacted_rv; /* events up to this rv are gone */
  GList           *listeners;
  GPtrArray       *users; /* KsUser */
  KsFaults         faults;
  guint            pod_ready_ms;
  guint            bookmark_ms;
  guint32          next_service_ip;
  guint            next_node_port;
  guint32          next_pod_ip;
  char            *server_url;
  char            *ca_pem;
  GTlsCertificate *ca_certificate;
  KsNodeAgent     *agent;
  guint            controller_idle;
  gboolean         gc_dirty;
  gboolean         verbose;
  GHashTable      *openapi_cache;    /* group_version -> char* document */
  const char      *field_validation; /* of the request being served: Strict, Warn, Ignore */
  GPtrArray       *warnings;         /* Warning headers for the request being served */
  GHashTable      *owner_refs;       /* owner uid -> stored objects naming it in ownerReferences */
};

/* ---- resources (ks-resources.c) ---- */
void        ks_resources_init (KsSim *sim);
KsResource *ks_resource_add (KsSim          *sim,
                             const char     *group,
                             const char     *version,
                             const char     *kind,
                             const char     *plural,
                             gboolean        namespaced,
                             KsResourceFlags flags);
void        ks_resource_remove (KsSim *sim, KsResource *res);
KsResource *
ks_resource_find (KsSim *sim, const char *group, const char *version, const char *plural);
KsResource *ks_resource_find_kind (KsSim *sim, const char *api_version, const char *kind);
JsonObject *ks_discovery_api_versions (KsSim *sim);
JsonObject *ks_discovery_group_list (KsSim *sim);
JsonObject *ks_discovery_group (KsSim *sim, const char *group);
JsonObject *ks_discovery_resource_list (KsSim *sim, const char *group, const char *version);
JsonObject *ks_validate_object_meta (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old);
JsonObject *ks_validate_workload (KsSim *sim, KsResource *res, JsonObject *obj, JsonObject *old);
void        ks_default_pod_spec (JsonObject *spec);
void        ks_workloads_init (KsSim *sim);
void        ks_metrics_init (KsSim *sim);
const char *ks_patch_merge_key (const char *parent_path, const char *field);
gboolean    ks_resource_is_list_atomic (const char *field);
JsonObject *ks_crd_install (KsSim *sim, JsonObject *crd);
void        ks_crd_uninstall (KsSim *sim, JsonObject *crd);
void        ks_install_traefik_crds (KsSim *sim);
char       *ks_group_resource (KsResource *res); /* "deployments.apps" or "pods" */
char       *ks_group_kind (KsResource *res);     /* "Deployment.apps" or "Pod" */
char       *ks_allocate_cluster_ip (KsSim *sim);

/* ---- store and watch history (ks-store.c) ---- */
char       *ks_store_key (const char *ns, const char *name);
JsonObject *ks_store_get (KsResource *res, const char *ns, const char *name);
GPtrArray  *ks_store_list (KsResource *res, const char *ns); /* sorted, borrowed items */
void        ks_store_write (KsSim *sim, KsResource *res, const char *type, JsonObject *obj);
void        ks_store_add_listener (KsSim *sim, KsStoreListener func, gpointer data);
void        ks_store_remove_listener (KsSim *sim, KsStoreListener func, gpointer data);
JsonObject *ks_store_find_uid (KsSim *sim, const char *uid, KsResource **res_out);
gboolean    ks_store_has_dependents (KsSim *sim, const char *uid);

/* ---- Status objects (ks-status.c) ---- */
JsonObject *ks_status_new (guint code, const char *reason, const char *message);
JsonObject *ks_status_with_details (guint       code,
                                    const char *reason,
                                    const char *message,
                                    const char *name,
                                    const char *group,
                                    const char *kind);
JsonObject *ks_status_not_found (KsResource *res, const char *name);
JsonObject *ks_status_already_exists (KsResource *res, const char *name);
JsonObject *ks_status_conflict (KsResource *res, const char *name, const char *why);
JsonObject *ks_status_invalid (KsResource *res, const char *name, JsonArray *causes);
void ks_causes_add (JsonArray *causes, const char *reason, const char *field, const char *message);
JsonObject *ks_status_bad_request (const char *message);
JsonObject *ks_status_success (KsResource *res, const char *name, const char *uid);
guint       ks_status_code (JsonObject *status);

/* ---- selectors (ks-selectors.c) ---- */
typedef struct _KsSelector KsSelector;
KsSelector                *ks_label_selector_parse (const char *text, char **error);
KsSelector *ks_label_selector_from_json (JsonObject *selector); /* metav1.LabelSelector */
gboolean    ks_label_selector_matches (KsSelector *sel, JsonObject *labels);
KsSelector *ks_field_selector_parse (KsResource *res, const char *text, char **error);
gboolean    ks_field_selector_matches (KsSelector *sel, JsonObject *obj);
void        ks_selector_free (KsSelector *sel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsSelector, ks_selector_free)

/* ---- patches and server-side apply (ks-patch.c) ---- */
JsonNode   *ks_merge_patch (JsonNode *target, JsonNode *patch);
JsonNode   *ks_strategic_merge_patch (JsonNode *target, JsonNode *patch, char **error);
JsonNode   *ks_json_patch (JsonNode *target, JsonNode *patch, char **error);
JsonObject *ks_apply (KsSim       *sim,
                      KsResource  *res,
                      JsonObject  *live,
                      JsonObject  *config,
                      const char  *manager,
                      gboolean     force,
                      JsonObject **result);
void        ks_managed_fields_update (KsResource *res,
                                      JsonObject *old,
                                      JsonObject *obj,
                                      const char *manager,
                                      const char *subresource);

/* ---- controllers (ks-controllers.c) ---- */
void  ks_controllers_init (KsSim *sim);
void  ks_controllers_kick (KsSim *sim);
void  ks_gc_delete (KsSim *sim, KsResource *res, JsonObject *obj, const char *propagation);
void  ks_pod_set_status (KsSim      *sim,
                         const char *ns,
                         const char *name,
                         const char *uid,
                         JsonObject *status);
void  ks_pod_remove (KsSim *sim, const char *ns, const char *name, const char *uid);
char *ks_allocate_pod_ip (KsSim *sim);
void  ks_event_record (KsSim      *sim,
                       KsResource *res,
                       JsonObject *obj,
                       const char *type,
                       const char *reason,
                       const char *component,
                       const char *message);

/* ---- create/update/delete used by both the API and controllers (ks-api.c) ---- */
JsonObject *ks_api_create (KsSim       *sim,
                           KsResource  *res,
                           const char  *ns,
                           JsonObject  *obj,
                           gboolean     dry_run,
                           const char  *manager,
                           JsonObject **result);
JsonObject *ks_api_update (KsSim       *sim,
                           KsResource  *res,
                           JsonObject  *old,
                           JsonObject  *obj,
                           const char  *subresource,
                           gboolean     dry_run,
                           const char  *manager,
                           JsonObject **result);
JsonObject *ks_api_delete (KsSim       *sim,
                           KsResource  *res,
                           JsonObject  *obj,
                           const char  *propagation,
                           gint64       grace,
                           gboolean     dry_run,
                           JsonObject **result,
                           gboolean    *gone);

/* ---- OpenAPI documents (ks-openapi.c) ---- */
GBytes *ks_openapi_v2 (KsSim *sim);
GBytes *ks_openapi_v3_root (KsSim *sim);
GBytes *ks_openapi_v3_group (KsSim *sim, const char *group_version);
void    ks_openapi_invalidate (KsSim *sim);

/* ---- /kube-sim/ endpoints (ks-admin.c) ---- */
gboolean ks_faults_parse_rate (const char *value, double *rate, gint *count);
void     ks_admin_record (KsSim             *sim,
                          SoupServerMessage *msg,
                          const char        *path,
                          const char        *user,
                          const char        *fault);
void     ks_admin_handle (KsSim *sim, SoupServerMessage *msg, const char *path);

/* ---- HTTP server (ks-server.c) and watch streams (ks-watch.c) ---- */
gboolean    ks_server_start (KsSim *sim, SoupServer *server, GError **error);
void        ks_watch_serve (KsSim             *sim,
                            SoupServerMessage *msg,
                            KsResource        *res,
                            const char        *ns,
                            GHashTable        *query,
                            gboolean           table);
void        ks_respond (SoupServerMessage *msg, guint code, JsonObject *body);
void        ks_respond_status (SoupServerMessage *msg, JsonObject *status);
JsonObject *ks_object_for_output (KsResource *res, JsonObject *obj);
JsonObject *ks_table_for (KsResource *res, GPtrArray *items, JsonObject *list_meta);

G_END_DECLS
