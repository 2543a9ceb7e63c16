/* ks-server.h: one API request as the router hands it to the verb handlers. */
#pragma once

#include "kube-sim.h"

G_BEGIN_DECLS

typedef struct
{
  KsSim             *sim;
  SoupServerMessage *msg;
  const char        *method;
  GHashTable        *query; /* may be NULL */
  KsUser            *user;
  KsResource        *res;
  char              *ns;   /* NULL: all namespaces or cluster scope */
  char              *name; /* NULL: the collection */
  char              *sub;  /* subresource or NULL */
  gboolean           table;
} KsRequest;

const char *ks_query (KsRequest *req, const char *key);
gboolean    ks_query_bool (KsRequest *req, const char *key);
void        ks_api_handle (KsRequest *req);
JsonObject *ks_request_body_object (KsRequest *req, JsonObject **error_status);
gboolean    ks_api_authorize (KsRequest *req, const char *verb);
/* ks-stream.c: pods/log, and pods/exec|attach|portforward upgrades */
void ks_stream_log (KsRequest *req, JsonObject *pod);
void ks_stream_upgrade (KsRequest *req, JsonObject *pod);

G_END_DECLS
