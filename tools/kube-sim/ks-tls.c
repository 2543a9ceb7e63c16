/* ks-tls.c: certificates by the GnuTLS x509 API; kubeconfig writing. */
#include "ks-tls.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

#define CHECK(expr)                                                                                \
  do                                                                                               \
    {                                                                                              \
      int _rc = (expr);                                                                            \
      if (_rc < 0)                                                                                 \
        {                                                                                          \
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", #expr,                      \
                       gnutls_strerror (_rc));                                                     \
          goto out;                                                                                \
        }                                                                                          \
    }                                                                                              \
  while (0)

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *s = g_strndup ((const char *)datum->data, datum->size);

  gnutls_free (datum->data);
  return s;
}

static gboolean
new_key (gnutls_x509_privkey_t *key, GError **error)
{
  CHECK (gnutls_x509_privkey_init (key));
  CHECK (gnutls_x509_privkey_generate (*key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  return TRUE;
out:
  return FALSE;
}

static char *
key_pem (gnutls_x509_privkey_t key, GError **error)
{
  gnutls_datum_t out = { 0 };

  CHECK (
      gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out));
  return datum_to_string (&out);
out:
  return NULL;
}

/* A certificate for key, signed by issuer (or self-signed when issuer is NULL). */
static char *
make_cert (gnutls_x509_privkey_t key,
           gnutls_x509_crt_t     issuer,
           gnutls_x509_privkey_t issuer_key,
           const char           *common_name,
           const char           *organization,
           int                   kind, /* 0 CA, 1 server, 2 client */
           gnutls_x509_crt_t    *crt_out,
           GError              **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t    out = { 0 };
  guchar            serial[16];
  time_t            now = time (NULL);
  char             *pem = NULL;

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f;
  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof serial));
  CHECK (gnutls_x509_crt_set_activation_time (crt, now - 3600));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, now + 365 * 24 * 3600));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                        strlen (common_name)));
  if (organization != NULL)
    {
      /* One O attribute per group, as Kubernetes reads them. */
      g_auto (GStrv) groups = g_strsplit (organization, ",", -1);
      for (guint i = 0; groups[i] != NULL; i++)
        if (*groups[i] != '\0')
          CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                                groups[i], strlen (groups[i])));
    }
  CHECK (gnutls_x509_crt_set_key (crt, key));
  if (kind == 0)
    {
      CHECK (gnutls_x509_crt_set_basic_constraints (crt, 1, -1));
      CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                     | GNUTLS_KEY_DIGITAL_SIGNATURE));
    }
  else
    {
      CHECK (gnutls_x509_crt_set_basic_constraints (crt, 0, -1));
      CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE
                                                     | GNUTLS_KEY_KEY_ENCIPHERMENT));
      CHECK (gnutls_x509_crt_set_key_purpose_oid (
          crt, kind == 1 ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT, 0));
    }
  if (kind == 1)
    {
      struct in_addr  v4;
      struct in6_addr v6;
      inet_pton (AF_INET, "127.0.0.1", &v4);
      inet_pton (AF_INET6, "::1", &v6);
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                   GNUTLS_FSAN_APPEND));
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "kubernetes", 10,
                                                   GNUTLS_FSAN_APPEND));
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, &v4, 4,
                                                   GNUTLS_FSAN_APPEND));
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, &v6, 16,
                                                   GNUTLS_FSAN_APPEND));
    }
  {
    guchar id[64];
    size_t id_size = sizeof id;
    CHECK (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, id, &id_size));
    CHECK (gnutls_x509_crt_set_subject_key_id (crt, id, id_size));
    if (issuer != NULL)
      {
        id_size = sizeof id;
        CHECK (gnutls_x509_crt_get_subject_key_id (issuer, id, &id_size, NULL));
        CHECK (gnutls_x509_crt_set_authority_key_id (crt, id, id_size));
      }
  }
  CHECK (gnutls_x509_crt_sign2 (crt, issuer ? issuer : crt, issuer ? issuer_key : key,
                                GNUTLS_DIG_SHA256, 0));
  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out));
  pem = datum_to_string (&out);
  if (crt_out != NULL)
    {
      *crt_out = crt;
      crt = NULL;
    }
out:
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  return pem;
}

typedef struct
{
  KsPki                 pki;
  gnutls_x509_crt_t     ca;
  gnutls_x509_privkey_t ca_key;
} KsPkiPrivate;

KsPki *
ks_pki_generate (GError **error)
{
  KsPkiPrivate         *priv = g_new0 (KsPkiPrivate, 1);
  gnutls_x509_privkey_t server_key = NULL;

  gnutls_global_init ();
  if (!new_key (&priv->ca_key, error))
    goto fail;
  priv->pki.ca_key_pem = key_pem (priv->ca_key, error);
  priv->pki.ca_cert_pem
      = make_cert (priv->ca_key, NULL, NULL, "hero-virt-kube-sim-ca", NULL, 0, &priv->ca, error);
  if (priv->pki.ca_cert_pem == NULL || !new_key (&server_key, error))
    goto fail;
  priv->pki.server_key_pem = key_pem (server_key, error);
  priv->pki.server_cert_pem
      = make_cert (server_key, priv->ca, priv->ca_key, "kube-apiserver", NULL, 1, NULL, error);
  gnutls_x509_privkey_deinit (server_key);
  if (priv->pki.server_cert_pem == NULL)
    goto fail;
  priv->pki.client_cert_pem = ks_pki_issue_client (&priv->pki, "kube-sim-admin", "system:masters",
                                                   &priv->pki.client_key_pem, error);
  if (priv->pki.client_cert_pem == NULL)
    goto fail;
  return &priv->pki;
fail:
  ks_pki_free (&priv->pki);
  return NULL;
}

char *
ks_pki_issue_client (KsPki      *pki,
                     const char *common_name,
                     const char *organization,
                     char      **out_key,
                     GError    **error)
{
  KsPkiPrivate         *priv = (KsPkiPrivate *)pki;
  gnutls_x509_privkey_t key = NULL;
  char                 *pem;

  if (!new_key (&key, error))
    return NULL;
  *out_key = key_pem (key, error);
  pem = make_cert (key, priv->ca, priv->ca_key, common_name, organization, 2, NULL, error);
  gnutls_x509_privkey_deinit (key);
  return pem;
}

void
ks_pki_free (KsPki *pki)
{
  KsPkiPrivate *priv = (KsPkiPrivate *)pki;

  if (pki == NULL)
    return;
  if (priv->ca)
    gnutls_x509_crt_deinit (priv->ca);
  if (priv->ca_key)
    gnutls_x509_privkey_deinit (priv->ca_key);
  g_free (pki->ca_cert_pem);
  g_free (pki->ca_key_pem);
  g_free (pki->server_cert_pem);
  g_free (pki->server_key_pem);
  g_free (pki->client_cert_pem);
  g_free (pki->client_key_pem);
  g_free (priv);
}

static gboolean
write_private (const char *dir, const char *name, const char *contents, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  return TRUE;
}

gboolean
ks_pki_write_files (KsPki *pki, const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot create %s", dir);
      return FALSE;
    }
  return write_private (dir, "ca.crt", pki->ca_cert_pem, error)
         && write_private (dir, "ca.key", pki->ca_key_pem, error)
         && write_private (dir, "server.crt", pki->server_cert_pem, error)
         && write_private (dir, "server.key", pki->server_key_pem, error)
         && write_private (dir, "admin.crt", pki->client_cert_pem, error)
         && write_private (dir, "admin.key", pki->client_key_pem, error);
}

static char *
b64 (const char *s)
{
  return g_base64_encode ((const guchar *)s, strlen (s));
}

gboolean
ks_kubeconfig_write (const char             *path,
                     const char             *server,
                     KsPki                  *pki,
                     const KsKubeconfigUser *token_users,
                     guint                   n_token_users,
                     GError                **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *ca = b64 (pki->ca_cert_pem);
  g_autofree char *cert = b64 (pki->client_cert_pem);
  g_autofree char *key = b64 (pki->client_key_pem);

  g_string_append (out, "apiVersion: v1\nkind: Config\npreferences: {}\n");
  g_string_append (out, "current-context: kube-sim\n");
  g_string_append_printf (out,
                          "clusters:\n- name: kube-sim\n  cluster:\n    server: %s\n"
                          "    certificate-authority-data: %s\n",
                          server, ca);
  g_string_append (out, "contexts:\n- name: kube-sim\n  context:\n    cluster: kube-sim\n"
                        "    user: kube-sim-admin\n    namespace: default\n");
  for (guint i = 0; i < n_token_users; i++)
    g_string_append_printf (out,
                            "- name: kube-sim-%s\n  context:\n    cluster: kube-sim\n"
                            "    user: %s\n    namespace: default\n",
                            token_users[i].name, token_users[i].name);
  g_string_append_printf (out,
                          "users:\n- name: kube-sim-admin\n  user:\n"
                          "    client-certificate-data: %s\n    client-key-data: %s\n",
                          cert, key);
  for (guint i = 0; i < n_token_users; i++)
    if (token_users[i].token != NULL)
      g_string_append_printf (out, "- name: %s\n  user:\n    token: %s\n", token_users[i].name,
                              token_users[i].token);
    else
      g_string_append_printf (out, "- name: %s\n  user:\n    username: %s\n    password: %s\n",
                              token_users[i].name, token_users[i].name,
                              token_users[i].password ? token_users[i].password : "");
  return g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}
