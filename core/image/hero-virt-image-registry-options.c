/* hero-virt-image-registry-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

#include <string.h>

/**
 * HeroVirtImageRegistryOptions:
 *
 * How to reach an image registry when pulling or pushing: TLS
 * verification (on unless turned off explicitly), a directory of extra CA
 * certificates (`*.crt`) for a registry with a private CA, and
 * credentials.
 *
 * Credentials never appear on a command line: the buildah plugin writes
 * them to an auth file readable only by its owner, in a private temporary
 * directory on the executor's host, passes `--authfile`, and removes the
 * directory afterwards. The password is not a readable property and is
 * never logged or quoted in errors.
 *
 * ```python
 * opts = HeroVirt.ImageRegistryOptions.new().set_cert_dir("/etc/my-ca") \
 *     .set_credentials("ci", secret)
 * HeroVirt.image_push("localhost/web:1", "registry.example:5000/web:1", opts, None, None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtImageRegistryOptions
{
  GObject parent_instance;

  gboolean tls_verify;
  char    *cert_dir;
  char    *username;
  char    *password;
};

enum
{
  PROP_0,
  PROP_TLS_VERIFY,
  PROP_CERT_DIR,
  PROP_USERNAME,
  PROP_PASSWORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtImageRegistryOptions, hero_virt_image_registry_options, G_TYPE_OBJECT)

/* Overwrites the password before it is freed (explicit_bzero: a memset
 * before free may be optimized away). */
static void
clear_password (HeroVirtImageRegistryOptions *self)
{
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

static void
hero_virt_image_registry_options_finalize (GObject *object)
{
  HeroVirtImageRegistryOptions *self = HERO_VIRT_IMAGE_REGISTRY_OPTIONS (object);

  g_free (self->cert_dir);
  g_free (self->username);
  clear_password (self);

  G_OBJECT_CLASS (hero_virt_image_registry_options_parent_class)->finalize (object);
}

static void
hero_virt_image_registry_options_get_property (GObject    *object,
                                               guint       prop_id,
                                               GValue     *value,
                                               GParamSpec *pspec)
{
  HeroVirtImageRegistryOptions *self = HERO_VIRT_IMAGE_REGISTRY_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_TLS_VERIFY:
      g_value_set_boolean (value, self->tls_verify);
      break;
    case PROP_CERT_DIR:
      g_value_set_string (value, self->cert_dir);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (HeroVirtImageRegistryOptions *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
hero_virt_image_registry_options_set_property (GObject      *object,
                                               guint         prop_id,
                                               const GValue *value,
                                               GParamSpec   *pspec)
{
  HeroVirtImageRegistryOptions *self = HERO_VIRT_IMAGE_REGISTRY_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_TLS_VERIFY:
      hero_virt_image_registry_options_set_tls_verify (self, g_value_get_boolean (value));
      break;
    case PROP_CERT_DIR:
      hero_virt_image_registry_options_set_cert_dir (self, g_value_get_string (value));
      break;
    case PROP_USERNAME:
      set_string (self, &self->username, g_value_get_string (value), PROP_USERNAME);
      break;
    case PROP_PASSWORD:
      clear_password (self);
      self->password = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_image_registry_options_class_init (HeroVirtImageRegistryOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_image_registry_options_finalize;
  object_class->get_property = hero_virt_image_registry_options_get_property;
  object_class->set_property = hero_virt_image_registry_options_set_property;

  /**
   * HeroVirtImageRegistryOptions:tls-verify:
   *
   * Whether to require HTTPS and verify the registry's certificate. On by
   * default; turn it off only for a plain-HTTP registry you trust.
   *
   * Since: 0.1
   */
  properties[PROP_TLS_VERIFY]
      = g_param_spec_boolean ("tls-verify", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeroVirtImageRegistryOptions:cert-dir:
   *
   * A directory on the executor's host holding extra CA certificates
   * (`*.crt`) to trust, such as a private registry's self-signed CA.
   *
   * Since: 0.1
   */
  properties[PROP_CERT_DIR]
      = g_param_spec_string ("cert-dir", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeroVirtImageRegistryOptions:username:
   *
   * The user name to log in with, or %NULL for anonymous access.
   *
   * Since: 0.1
   */
  properties[PROP_USERNAME]
      = g_param_spec_string ("username", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeroVirtImageRegistryOptions:password:
   *
   * The password or token. Write-only: it cannot be read back as a
   * property.
   *
   * Since: 0.1
   */
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, NULL,
                                                   G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_image_registry_options_init (HeroVirtImageRegistryOptions *self)
{
  self->tls_verify = TRUE;
}

/**
 * hero_virt_image_registry_options_new:
 *
 * Creates options with TLS verification on and no credentials.
 *
 * Returns: (transfer full): new #HeroVirtImageRegistryOptions
 *
 * Since: 0.1
 */
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_IMAGE_REGISTRY_OPTIONS, NULL);
}

/**
 * hero_virt_image_registry_options_set_tls_verify:
 * @self: a #HeroVirtImageRegistryOptions
 * @tls_verify: %FALSE to allow plain HTTP and unverified certificates
 *
 * Turns TLS verification on or off.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_tls_verify (HeroVirtImageRegistryOptions *self,
                                                 gboolean                      tls_verify)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);

  tls_verify = !!tls_verify;
  if (self->tls_verify != tls_verify)
    {
      self->tls_verify = tls_verify;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_VERIFY]);
    }
  return self;
}

/**
 * hero_virt_image_registry_options_set_cert_dir:
 * @self: a #HeroVirtImageRegistryOptions
 * @cert_dir: (nullable) (type filename): a directory of CA certificates on
 *   the executor's host
 *
 * Sets a directory of extra CA certificates to trust.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_cert_dir (HeroVirtImageRegistryOptions *self,
                                               const char                   *cert_dir)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);

  set_string (self, &self->cert_dir, cert_dir, PROP_CERT_DIR);
  return self;
}

/**
 * hero_virt_image_registry_options_set_credentials:
 * @self: a #HeroVirtImageRegistryOptions
 * @username: (nullable): the user name, or %NULL to clear the credentials
 * @password: (nullable): the password or token
 *
 * Sets the credentials to log in to the registry with.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageRegistryOptions *
hero_virt_image_registry_options_set_credentials (HeroVirtImageRegistryOptions *self,
                                                  const char                   *username,
                                                  const char                   *password)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);

  set_string (self, &self->username, username, PROP_USERNAME);
  clear_password (self);
  self->password = username != NULL ? g_strdup (password) : NULL;
  return self;
}

/**
 * hero_virt_image_registry_options_get_tls_verify:
 * @self: a #HeroVirtImageRegistryOptions
 *
 * Returns: whether TLS is verified
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_registry_options_get_tls_verify (HeroVirtImageRegistryOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), TRUE);
  return self->tls_verify;
}

/**
 * hero_virt_image_registry_options_get_cert_dir:
 * @self: a #HeroVirtImageRegistryOptions
 *
 * Returns: (nullable) (type filename): the CA certificate directory
 *
 * Since: 0.1
 */
const char *
hero_virt_image_registry_options_get_cert_dir (HeroVirtImageRegistryOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);
  return self->cert_dir;
}

/**
 * hero_virt_image_registry_options_get_username:
 * @self: a #HeroVirtImageRegistryOptions
 *
 * Returns: (nullable): the user name
 *
 * Since: 0.1
 */
const char *
hero_virt_image_registry_options_get_username (HeroVirtImageRegistryOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);
  return self->username;
}

/**
 * hero_virt_image_registry_options_get_password:
 * @self: a #HeroVirtImageRegistryOptions
 *
 * Returns the password, for providers writing it to an auth file. Never
 * log it.
 *
 * Returns: (nullable): the password
 *
 * Since: 0.1
 */
const char *
hero_virt_image_registry_options_get_password (HeroVirtImageRegistryOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), NULL);
  return self->password;
}

/**
 * hero_virt_image_registry_options_has_credentials:
 * @self: a #HeroVirtImageRegistryOptions
 *
 * Returns: whether a user name is set
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_registry_options_has_credentials (HeroVirtImageRegistryOptions *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_REGISTRY_OPTIONS (self), FALSE);
  return self->username != NULL;
}
