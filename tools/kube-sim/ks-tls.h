/* ks-tls.h: the simulator's CA, its server and client certificates, and the
 * kubeconfig it writes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *ca_cert_pem;
  char *ca_key_pem;
  char *server_cert_pem;
  char *server_key_pem;
  char *client_cert_pem; /* CN=kube-sim-admin, O=system:masters */
  char *client_key_pem;
} KsPki;

KsPki   *ks_pki_generate (GError **error);
char    *ks_pki_issue_client (KsPki      *pki,
                              const char *common_name,
                              const char *organization,
                              char      **key_pem,
                              GError    **error);
void     ks_pki_free (KsPki *pki);
gboolean ks_pki_write_files (KsPki *pki, const char *dir, GError **error);

typedef struct
{
  const char *name;     /* user and context name */
  const char *token;    /* NULL: the client certificate */
  const char *password; /* with name: basic authentication */
} KsKubeconfigUser;

gboolean ks_kubeconfig_write (const char             *path,
                              const char             *server,
                              KsPki                  *pki,
                              const KsKubeconfigUser *token_users,
                              guint                   n_token_users,
                              GError                **error);

G_END_DECLS
