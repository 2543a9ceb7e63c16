/* hero-virt-base-image.c: a verified cloud image turned into a base disk
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "hero-virt-private.h"
#include "hero-virt-base-image.h"

#define READ_CHUNK (256 * 1024)

/* ---- the builder ---- */

/**
 * HeroVirtBaseImageBuilder:
 *
 * Downloads a cloud image, verifies it against the publisher's
 * `SHA256SUMS`, and turns a copy of it into a base disk image: a qcow2
 * file, grown to a size if asked, with an internal snapshot to return to.
 *
 * ```python
 * b = HeroVirt.BaseImageBuilder(dest_dir="/var/lib/vms", size=20 << 30)
 * result = b.build(None, None)
 * print(result.props.path, result.props.sha256)
 * ```
 *
 * The download is streamed to a temporary file in the destination
 * directory while its SHA-256 is computed, and renamed into place only once
 * it matches; a wrong checksum or an interrupted transfer leaves nothing
 * behind. A verified earlier download is not fetched again. The download
 * itself is never modified, so it stays verifiable; the base image is a
 * separate file, built under a temporary name and renamed when complete.
 *
 * Downloads are over `https` with the certificate verified (against the
 * system's CAs, or [property@HeroVirt.BaseImageBuilder:tls-ca-file]). A
 * checksum fetched over the same channel as the image proves nothing if
 * that channel is not trusted, so `http` URLs
 * ([property@HeroVirt.BaseImageBuilder:allow-insecure]) and unverified
 * certificates ([property@HeroVirt.BaseImageBuilder:tls-verify] off) are
 * refused unless the caller pins the image's SHA-256
 * ([property@HeroVirt.BaseImageBuilder:sha256]). With a
 * [property@HeroVirt.BaseImageBuilder:keyring], `SHA256SUMS.gpg` is
 * fetched and checked with `gpgv` before `SHA256SUMS` is believed. The
 * whole build has a deadline ([property@HeroVirt.BaseImageBuilder:timeout]).
 *
 * The download is read as the format it is published in
 * ([property@HeroVirt.BaseImageBuilder:image-format], qcow2 by default),
 * never probed, and one that names a backing file or an external data
 * file is refused: a published image must stand alone.
 *
 * Since: 0.1
 */
struct _HeroVirtBaseImageBuilder
{
  GObject parent_instance;

  GMutex   lock;
  char    *url;
  char    *checksums_url;
  char    *dest_dir;
  guint64  size;
  char    *snapshot_name;
  gboolean tls_verify;
  char    *sha256;
  gboolean allow_insecure;
  char    *tls_ca_file;
  char    *keyring;
  char    *signature_url;
  guint    timeout;
  char    *image_format;
};

enum
{
  PROP_0,
  PROP_URL,
  PROP_CHECKSUMS_URL,
  PROP_DEST_DIR,
  PROP_SIZE,
  PROP_SNAPSHOT_NAME,
  PROP_TLS_VERIFY,
  PROP_SHA256,
  PROP_ALLOW_INSECURE,
  PROP_TLS_CA_FILE,
  PROP_KEYRING,
  PROP_SIGNATURE_URL,
  PROP_TIMEOUT,
  PROP_IMAGE_FORMAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtBaseImageBuilder, hero_virt_base_image_builder, G_TYPE_OBJECT)

static void
hero_virt_base_image_builder_finalize (GObject *object)
{
  HeroVirtBaseImageBuilder *self = HERO_VIRT_BASE_IMAGE_BUILDER (object);

  g_free (self->url);
  g_free (self->checksums_url);
  g_free (self->dest_dir);
  g_free (self->snapshot_name);
  g_free (self->sha256);
  g_free (self->tls_ca_file);
  g_free (self->keyring);
  g_free (self->signature_url);
  g_free (self->image_format);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_base_image_builder_parent_class)->finalize (object);
}

static void
hero_virt_base_image_builder_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  HeroVirtBaseImageBuilder *self = HERO_VIRT_BASE_IMAGE_BUILDER (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_CHECKSUMS_URL:
      g_value_set_string (value, self->checksums_url);
      break;
    case PROP_DEST_DIR:
      g_value_set_string (value, self->dest_dir);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_SNAPSHOT_NAME:
      g_value_set_string (value, self->snapshot_name);
      break;
    case PROP_TLS_VERIFY:
      g_value_set_boolean (value, self->tls_verify);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->tls_ca_file);
      break;
    case PROP_KEYRING:
      g_value_set_string (value, self->keyring);
      break;
    case PROP_SIGNATURE_URL:
      g_value_set_string (value, self->signature_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_IMAGE_FORMAT:
      g_value_set_string (value, self->image_format);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
hero_virt_base_image_builder_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  HeroVirtBaseImageBuilder *self = HERO_VIRT_BASE_IMAGE_BUILDER (object);

  switch (prop_id)
    {
    case PROP_URL:
      hero_virt_base_image_builder_set_url (self, g_value_get_string (value));
      break;
    case PROP_CHECKSUMS_URL:
      hero_virt_base_image_builder_set_checksums_url (self, g_value_get_string (value));
      break;
    case PROP_DEST_DIR:
      hero_virt_base_image_builder_set_dest_dir (self, g_value_get_string (value));
      break;
    case PROP_SIZE:
      hero_virt_base_image_builder_set_size (self, g_value_get_uint64 (value));
      break;
    case PROP_SNAPSHOT_NAME:
      hero_virt_base_image_builder_set_snapshot_name (self, g_value_get_string (value));
      break;
    case PROP_TLS_VERIFY:
      hero_virt_base_image_builder_set_tls_verify (self, g_value_get_boolean (value));
      break;
    case PROP_SHA256:
      hero_virt_base_image_builder_set_sha256 (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE:
      hero_virt_base_image_builder_set_allow_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_TLS_CA_FILE:
      hero_virt_base_image_builder_set_tls_ca_file (self, g_value_get_string (value));
      break;
    case PROP_KEYRING:
      hero_virt_base_image_builder_set_keyring (self, g_value_get_string (value));
      break;
    case PROP_SIGNATURE_URL:
      hero_virt_base_image_builder_set_signature_url (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      hero_virt_base_image_builder_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_IMAGE_FORMAT:
      hero_virt_base_image_builder_set_image_format (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The setters' one body: store under the lock, notify outside it. */
static void
store_string (HeroVirtBaseImageBuilder *self, char **field, const char *value, guint prop_id)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = replace_string (field, value);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
hero_virt_base_image_builder_class_init (HeroVirtBaseImageBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags
      = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = hero_virt_base_image_builder_finalize;
  object_class->get_property = hero_virt_base_image_builder_get_property;
  object_class->set_property = hero_virt_base_image_builder_set_property;

  /**
   * HeroVirtBaseImageBuilder:url:
   *
   * The image to download; the Ubuntu 24.04 amd64 cloud image by default
   * (%HERO_VIRT_UBUNTU_24_04_URL).
   *
   * Since: 0.1
   */
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, HERO_VIRT_UBUNTU_24_04_URL, flags);
  /**
   * HeroVirtBaseImageBuilder:checksums-url:
   *
   * The `SHA256SUMS` file listing the image; %NULL means `SHA256SUMS` in
   * the image's directory.
   *
   * Since: 0.1
   */
  properties[PROP_CHECKSUMS_URL] = g_param_spec_string ("checksums-url", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:dest-dir:
   *
   * Where the download and the base image go; %NULL means
   * `$XDG_CACHE_HOME/hero-virt/images`. Created if missing.
   *
   * Since: 0.1
   */
  properties[PROP_DEST_DIR] = g_param_spec_string ("dest-dir", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:size:
   *
   * The virtual size to grow the base image to, in bytes; 0 keeps the
   * image's own size.
   *
   * Since: 0.1
   */
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  /**
   * HeroVirtBaseImageBuilder:snapshot-name:
   *
   * The internal snapshot taken of the fresh base image.
   *
   * Since: 0.1
   */
  properties[PROP_SNAPSHOT_NAME] = g_param_spec_string ("snapshot-name", NULL, NULL, "base", flags);
  /**
   * HeroVirtBaseImageBuilder:tls-verify:
   *
   * Whether HTTPS certificates are verified. Turning this off accepts any
   * certificate, so it needs a pinned
   * [property@HeroVirt.BaseImageBuilder:sha256]: a build without one
   * fails with %HERO_VIRT_ERROR_INVALID_ARGUMENT.
   *
   * Since: 0.1
   */
  properties[PROP_TLS_VERIFY] = g_param_spec_boolean ("tls-verify", NULL, NULL, TRUE, flags);
  /**
   * HeroVirtBaseImageBuilder:sha256:
   *
   * The SHA-256 the download must have (64 hex digits), given by the
   * caller from a source they trust; %NULL for none. When set, the image
   * must match it and `SHA256SUMS` is not needed (it is still fetched, and
   * must agree, when a [property@HeroVirt.BaseImageBuilder:keyring] is
   * set). It is what makes an `http` URL or an unverified certificate
   * acceptable.
   *
   * Since: 0.1
   */
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:allow-insecure:
   *
   * Whether plain `http` URLs may be used. Off by default; on, it still
   * needs a pinned [property@HeroVirt.BaseImageBuilder:sha256].
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_INSECURE]
      = g_param_spec_boolean ("allow-insecure", NULL, NULL, FALSE, flags);
  /**
   * HeroVirtBaseImageBuilder:tls-ca-file:
   *
   * A PEM file of the CA certificates to verify the server with, instead of
   * the system's; %NULL for the system's.
   *
   * Since: 0.1
   */
  properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:keyring:
   *
   * An OpenPGP keyring (as `gpg --export` writes it) whose keys may sign
   * `SHA256SUMS`; %NULL to skip the signature. When set, the detached
   * signature ([property@HeroVirt.BaseImageBuilder:signature-url]) is
   * checked with `gpgv` before the checksums are used; a bad or missing
   * signature fails with %HERO_VIRT_ERROR_CHECKSUM.
   *
   * Since: 0.1
   */
  properties[PROP_KEYRING] = g_param_spec_string ("keyring", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:signature-url:
   *
   * The detached signature of `SHA256SUMS`; %NULL means the checksums URL
   * with `.gpg` appended.
   *
   * Since: 0.1
   */
  properties[PROP_SIGNATURE_URL] = g_param_spec_string ("signature-url", NULL, NULL, NULL, flags);
  /**
   * HeroVirtBaseImageBuilder:timeout:
   *
   * The most the whole build may take, in seconds (download, verification
   * and the base image); 0 for no limit. Past it the build stops, leaves
   * nothing behind and fails with %HERO_VIRT_ERROR_TIMEOUT.
   *
   * Since: 0.1
   */
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 3600, flags);
  /**
   * HeroVirtBaseImageBuilder:image-format:
   *
   * The format the image is published in, `qcow2` (default) or `raw`. It
   * is never guessed from the downloaded bytes.
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE_FORMAT] = g_param_spec_string ("image-format", NULL, NULL, "qcow2", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_base_image_builder_init (HeroVirtBaseImageBuilder *self)
{
  g_mutex_init (&self->lock);
}

/**
 * hero_virt_base_image_builder_new:
 *
 * Returns: (transfer full): a builder for the Ubuntu 24.04 base image, with
 *   the default properties
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_BASE_IMAGE_BUILDER, NULL);
}

/**
 * hero_virt_base_image_builder_set_url:
 * @self: a #HeroVirtBaseImageBuilder
 * @url: (nullable): the image's URL, or %NULL for the default
 *
 * Sets [property@HeroVirt.BaseImageBuilder:url].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_url (HeroVirtBaseImageBuilder *self, const char *url)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->url, url ? url : HERO_VIRT_UBUNTU_24_04_URL, PROP_URL);
  return self;
}

/**
 * hero_virt_base_image_builder_set_checksums_url:
 * @self: a #HeroVirtBaseImageBuilder
 * @checksums_url: (nullable): the `SHA256SUMS` URL, or %NULL for the one
 *   beside the image
 *
 * Sets [property@HeroVirt.BaseImageBuilder:checksums-url].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_checksums_url (HeroVirtBaseImageBuilder *self,
                                                const char               *checksums_url)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->checksums_url, checksums_url, PROP_CHECKSUMS_URL);
  return self;
}

/**
 * hero_virt_base_image_builder_set_dest_dir:
 * @self: a #HeroVirtBaseImageBuilder
 * @dest_dir: (type filename) (nullable): the destination directory
 *
 * Sets [property@HeroVirt.BaseImageBuilder:dest-dir].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_dest_dir (HeroVirtBaseImageBuilder *self, const char *dest_dir)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->dest_dir, dest_dir, PROP_DEST_DIR);
  return self;
}

/**
 * hero_virt_base_image_builder_set_size:
 * @self: a #HeroVirtBaseImageBuilder
 * @size: the virtual size in bytes, or 0 to keep the image's
 *
 * Sets [property@HeroVirt.BaseImageBuilder:size].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_size (HeroVirtBaseImageBuilder *self, guint64 size)
{
  gboolean changed;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  changed = self->size != size;
  self->size = size;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
  return self;
}

/**
 * hero_virt_base_image_builder_set_snapshot_name:
 * @self: a #HeroVirtBaseImageBuilder
 * @snapshot_name: (nullable): the snapshot's name, or %NULL for `base`
 *
 * Sets [property@HeroVirt.BaseImageBuilder:snapshot-name].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_snapshot_name (HeroVirtBaseImageBuilder *self,
                                                const char               *snapshot_name)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->snapshot_name, snapshot_name ? snapshot_name : "base",
                PROP_SNAPSHOT_NAME);
  return self;
}

/**
 * hero_virt_base_image_builder_set_tls_verify:
 * @self: a #HeroVirtBaseImageBuilder
 * @tls_verify: whether to verify HTTPS certificates
 *
 * Sets [property@HeroVirt.BaseImageBuilder:tls-verify].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_tls_verify (HeroVirtBaseImageBuilder *self, gboolean tls_verify)
{
  gboolean changed;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  changed = self->tls_verify != !!tls_verify;
  self->tls_verify = !!tls_verify;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_VERIFY]);
  return self;
}

/**
 * hero_virt_base_image_builder_set_sha256:
 * @self: a #HeroVirtBaseImageBuilder
 * @sha256: (nullable): the SHA-256 of the image, 64 hex digits, or %NULL
 *
 * Sets [property@HeroVirt.BaseImageBuilder:sha256].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_sha256 (HeroVirtBaseImageBuilder *self, const char *sha256)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->sha256, sha256, PROP_SHA256);
  return self;
}

/**
 * hero_virt_base_image_builder_set_tls_ca_file:
 * @self: a #HeroVirtBaseImageBuilder
 * @tls_ca_file: (type filename) (nullable): a PEM file of CA certificates, or %NULL
 *
 * Sets [property@HeroVirt.BaseImageBuilder:tls-ca-file].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_tls_ca_file (HeroVirtBaseImageBuilder *self,
                                              const char               *tls_ca_file)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->tls_ca_file, tls_ca_file, PROP_TLS_CA_FILE);
  return self;
}

/**
 * hero_virt_base_image_builder_set_keyring:
 * @self: a #HeroVirtBaseImageBuilder
 * @keyring: (type filename) (nullable): an OpenPGP keyring, or %NULL
 *
 * Sets [property@HeroVirt.BaseImageBuilder:keyring].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_keyring (HeroVirtBaseImageBuilder *self, const char *keyring)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->keyring, keyring, PROP_KEYRING);
  return self;
}

/**
 * hero_virt_base_image_builder_set_signature_url:
 * @self: a #HeroVirtBaseImageBuilder
 * @signature_url: (nullable): the URL of `SHA256SUMS.gpg`, or %NULL
 *
 * Sets [property@HeroVirt.BaseImageBuilder:signature-url].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_signature_url (HeroVirtBaseImageBuilder *self,
                                                const char               *signature_url)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->signature_url, signature_url, PROP_SIGNATURE_URL);
  return self;
}

/**
 * hero_virt_base_image_builder_set_image_format:
 * @self: a #HeroVirtBaseImageBuilder
 * @image_format: (nullable): `qcow2` or `raw`; %NULL for `qcow2`
 *
 * Sets [property@HeroVirt.BaseImageBuilder:image-format].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_image_format (HeroVirtBaseImageBuilder *self,
                                               const char               *image_format)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  store_string (self, &self->image_format, image_format ? image_format : "qcow2",
                PROP_IMAGE_FORMAT);
  return self;
}

/**
 * hero_virt_base_image_builder_set_allow_insecure:
 * @self: a #HeroVirtBaseImageBuilder
 * @allow_insecure: whether `http` URLs may be used
 *
 * Sets [property@HeroVirt.BaseImageBuilder:allow-insecure].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_allow_insecure (HeroVirtBaseImageBuilder *self,
                                                 gboolean                  allow_insecure)
{
  gboolean changed;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  changed = self->allow_insecure != !!allow_insecure;
  self->allow_insecure = !!allow_insecure;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE]);
  return self;
}

/**
 * hero_virt_base_image_builder_set_timeout:
 * @self: a #HeroVirtBaseImageBuilder
 * @timeout: the limit in seconds, or 0 for none
 *
 * Sets [property@HeroVirt.BaseImageBuilder:timeout].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_timeout (HeroVirtBaseImageBuilder *self, guint timeout)
{
  gboolean changed;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  changed = self->timeout != timeout;
  self->timeout = timeout;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
  return self;
}

/**
 * hero_virt_base_image_builder_get_url:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: the image's URL
 *
 * Since: 0.1
 */
const char *
hero_virt_base_image_builder_get_url (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  return self->url;
}

/**
 * hero_virt_base_image_builder_get_checksums_url:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: (nullable): the `SHA256SUMS` URL, or %NULL for the one beside
 *   the image
 *
 * Since: 0.1
 */
const char *
hero_virt_base_image_builder_get_checksums_url (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  return self->checksums_url;
}

/**
 * hero_virt_base_image_builder_get_dest_dir:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: (type filename) (nullable): the destination directory
 *
 * Since: 0.1
 */
const char *
hero_virt_base_image_builder_get_dest_dir (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  return self->dest_dir;
}

/**
 * hero_virt_base_image_builder_get_size:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: the size to grow to, or 0
 *
 * Since: 0.1
 */
guint64
hero_virt_base_image_builder_get_size (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), 0);
  return self->size;
}

/**
 * hero_virt_base_image_builder_get_snapshot_name:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: the snapshot's name
 *
 * Since: 0.1
 */
const char *
hero_virt_base_image_builder_get_snapshot_name (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  return self->snapshot_name;
}

/**
 * hero_virt_base_image_builder_get_tls_verify:
 * @self: a #HeroVirtBaseImageBuilder
 *
 * Returns: whether HTTPS certificates are verified
 *
 * Since: 0.1
 */
gboolean
hero_virt_base_image_builder_get_tls_verify (HeroVirtBaseImageBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), FALSE);
  return self->tls_verify;
}

/* ---- building ---- */

/* A copy of the settings, so a build in a thread does not race setters. */
typedef struct
{
  char             *url;
  char             *checksums_url;
  char             *dest_dir;
  guint64           size;
  char             *snapshot_name;
  gboolean          tls_verify;
  char             *sha256;
  gboolean          allow_insecure;
  char             *tls_ca_file;
  char             *keyring;
  char             *signature_url;
  guint             timeout;
  char             *image_format;
  HeroVirtProgress *progress;
  SoupSession      *session;
} Build;

static void
build_free (Build *b)
{
  g_free (b->url);
  g_free (b->checksums_url);
  g_free (b->dest_dir);
  g_free (b->snapshot_name);
  g_free (b->sha256);
  g_free (b->tls_ca_file);
  g_free (b->keyring);
  g_free (b->signature_url);
  g_free (b->image_format);
  g_clear_object (&b->progress);
  g_clear_object (&b->session);
  g_free (b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Build, build_free)

static Build *
build_new (HeroVirtBaseImageBuilder *self, HeroVirtProgress *progress)
{
  Build *b = g_new0 (Build, 1);

  g_mutex_lock (&self->lock);
  b->url = g_strdup (self->url);
  b->checksums_url = g_strdup (self->checksums_url);
  b->dest_dir = self->dest_dir
                    ? g_strdup (self->dest_dir)
                    : g_build_filename (g_get_user_cache_dir (), "hero-virt", "images", NULL);
  b->size = self->size;
  b->snapshot_name = g_strdup (self->snapshot_name);
  b->tls_verify = self->tls_verify;
  b->sha256 = self->sha256 ? g_ascii_strdown (self->sha256, -1) : NULL;
  b->allow_insecure = self->allow_insecure;
  b->tls_ca_file = g_strdup (self->tls_ca_file);
  b->keyring = self->keyring ? g_canonicalize_filename (self->keyring, NULL) : NULL;
  b->signature_url = g_strdup (self->signature_url);
  b->timeout = self->timeout;
  b->image_format = g_strdup (self->image_format ? self->image_format : "qcow2");
  g_mutex_unlock (&self->lock);
  b->progress = progress ? g_object_ref (progress) : NULL;
  return b;
}

static void
report (Build *b, const char *stage, guint64 current, guint64 total, const char *message)
{
  if (b->progress != NULL)
    hero_virt_progress_update (b->progress, stage, current, total, message);
}

/* The image's file name: the last path segment of its URL. */
static char *
file_name_from_url (const char *url, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  const char      *scheme;

  if (uri == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid image URL: %s", local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Only http and https URLs can be downloaded, not “%s”", url);
      return NULL;
    }
  path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  name = path ? g_path_get_basename (path) : NULL;
  if (name == NULL || *name == '\0' || *name == '.' || *name == '/' || strchr (name, '/') != NULL
      || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The URL “%s” does not name a file", url);
      return NULL;
    }
  return g_steal_pointer (&name);
}

/* Every URL the build fetches: https, unless the caller opted out with a
 * pinned SHA-256 (then the bytes are checked against what the caller
 * trusts, not against what the same channel said). */
static gboolean
check_url (Build *b, const char *what, const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0 && b->allow_insecure
      && b->sha256 != NULL)
    return TRUE;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0)
    return hero_virt_set_invalid_argument (
        error, what, url,
        b->allow_insecure ? "plain http needs a pinned sha256 from a source you trust"
                          : "use https (plain http needs allow-insecure and a pinned sha256)");
  return hero_virt_set_invalid_argument (error, what, url, "only https URLs are downloaded");
}

static gboolean
check_settings (Build *b, GError **error)
{
  if (b->sha256 != NULL)
    {
      gboolean hex = strlen (b->sha256) == 64;

      for (guint i = 0; hex && i < 64; i++)
        hex = g_ascii_isxdigit (b->sha256[i]);
      if (!hex)
        return hero_virt_set_invalid_argument (error, "pinned SHA-256", b->sha256,
                                               "give 64 hexadecimal digits");
    }
  if (!b->tls_verify && b->sha256 == NULL)
    return hero_virt_set_invalid_argument (
        error, "tls-verify", "false",
        "an unverified certificate needs a pinned sha256 from a source you trust");
  if (b->allow_insecure && b->sha256 == NULL)
    return hero_virt_set_invalid_argument (
        error, "allow-insecure", "true",
        "plain http needs a pinned sha256 from a source you trust");
  if (g_strcmp0 (b->image_format, "qcow2") != 0 && g_strcmp0 (b->image_format, "raw") != 0)
    return hero_virt_set_invalid_argument (error, "image format", b->image_format,
                                           "use qcow2 or raw");
  if (b->keyring != NULL && !g_file_test (b->keyring, G_FILE_TEST_IS_REGULAR))
    return hero_virt_set_invalid_argument (error, "keyring", b->keyring,
                                           "it is not a readable file");
  return check_url (b, "image URL", b->url, error)
         && (b->checksums_url == NULL || check_url (b, "checksums URL", b->checksums_url, error))
         && (b->signature_url == NULL || check_url (b, "signature URL", b->signature_url, error));
}

static char *
base_name_for (const char *file_name)
{
  const char *dot = strrchr (file_name, '.');
  gsize       stem = dot && dot != file_name ? (gsize)(dot - file_name) : strlen (file_name);

  return g_strdup_printf ("%.*s-base.qcow2", (int)stem, file_name);
}

static gboolean
accept_any_certificate (SoupMessage         *msg,
                        GTlsCertificate     *certificate,
                        GTlsCertificateFlags errors,
                        gpointer             user_data)
{
  return TRUE;
}

static SoupMessage *
new_request (Build *b, const char *url, GError **error)
{
  SoupMessage *msg = soup_message_new ("GET", url);

  if (msg == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Invalid URL “%s”",
                   url);
      return NULL;
    }
  if (!b->tls_verify)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  return msg;
}

static gboolean
check_status (SoupMessage *msg, const char *url, GError **error)
{
  guint status = soup_message_get_status (msg);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR,
               status == SOUP_STATUS_NOT_FOUND ? HERO_VIRT_ERROR_NOT_FOUND
                                               : HERO_VIRT_ERROR_NETWORK,
               "GET %s: HTTP %u %s", url, status, soup_message_get_reason_phrase (msg));
  return FALSE;
}

/* Turns a transfer error into NETWORK, keeping cancellation as it is. */
static void
propagate_transfer_error (GError **error, GError *local_error, const char *url)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || local_error->domain == HERO_VIRT_ERROR)
    g_propagate_error (error, local_error);
  else
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK, "GET %s: %s", url,
                   local_error->message);
      g_error_free (local_error);
    }
}

/* Finds @name in a SHA256SUMS text: `<hex> *name` or `<hex>  name`. */
static char *
find_checksum (const char *sums, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (sums, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char       *line = g_strchomp (lines[i]);
      const char *rest = line + 64;
      gboolean    hex = strlen (line) > 66;

      for (guint j = 0; hex && j < 64; j++)
        hex = g_ascii_isxdigit (line[j]);
      if (!hex || rest[0] != ' ' || (rest[1] != '*' && rest[1] != ' '))
        continue;
      if (strcmp (rest + 2, name) == 0)
        return g_ascii_strdown (line, 64);
    }
  return NULL;
}

/* A small file (SHA256SUMS, its signature), read whole up to @cap bytes. */
static GBytes *
fetch_small (Build *b, const char *url, gsize cap, GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GByteArray) data = g_byte_array_new ();
  GError *local_error = NULL;
  guint8  buf[16384];

  if (!check_url (b, "URL", url, error))
    return NULL;
  msg = new_request (b, url, error);
  if (msg == NULL)
    return NULL;
  in = soup_session_send (b->session, msg, cancellable, &local_error);
  if (in == NULL)
    {
      propagate_transfer_error (error, local_error, url);
      return NULL;
    }
  if (!check_status (msg, url, error))
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, cancellable, &local_error);

      if (n < 0)
        {
          propagate_transfer_error (error, local_error, url);
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize)n > cap)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                       "GET %s: more than %" G_GSIZE_FORMAT " bytes", url, cap);
          return NULL;
        }
      g_byte_array_append (data, buf, n);
    }
  g_input_stream_close (in, NULL, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static gboolean
write_private (const char *path, GBytes *bytes, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_NONE, 0600, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Checks the detached signature of SHA256SUMS with gpgv and the caller's
 * keyring only (its own home directory, so no other keyring is used). */
static gboolean
verify_signature (Build        *b,
                  const char   *sums_url,
                  GBytes       *sums,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autofree char *sig_url
      = b->signature_url ? g_strdup (b->signature_url) : g_strconcat (sums_url, ".gpg", NULL);
  g_autoptr (GBytes) sig = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sums_path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *err_text = NULL;
  gboolean         ok = FALSE;

  report (b, "verify", 0, 0, "Checking the signature of SHA256SUMS");
  sig = fetch_small (b, sig_url, 64 * 1024, cancellable, &local_error);
  if (sig == NULL)
    {
      /* A missing signature is a failed verification. */
      if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        local_error->code = HERO_VIRT_ERROR_CHECKSUM;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  dir = g_dir_make_tmp ("hero-virt-gpgv-XXXXXX", &local_error);
  if (dir == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  sums_path = g_build_filename (dir, "SHA256SUMS", NULL);
  sig_path = g_build_filename (dir, "SHA256SUMS.gpg", NULL);
  if (!write_private (sums_path, sums, error) || !write_private (sig_path, sig, error))
    goto out;
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &local_error, "gpgv", "--homedir", dir, "--keyring", b->keyring, "--",
                           sig_path, sums_path, NULL);
  if (proc == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "Cannot run gpgv to check SHA256SUMS.gpg: %s", local_error->message);
      goto out;
    }
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, NULL, &err_text, &local_error))
    {
      g_subprocess_force_exit (proc);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CHECKSUM,
                   "%s is not signed by a key of %s: %s", sums_url, b->keyring,
                   err_text ? g_strstrip (err_text) : "gpgv failed");
      goto out;
    }
  ok = TRUE;

out:
  g_unlink (sums_path);
  g_unlink (sig_path);
  g_rmdir (dir);
  return ok;
}

static char *
fetch_expected_checksum (Build *b, const char *name, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *text = NULL;
  char            *sum;

  url = b->checksums_url ? g_strdup (b->checksums_url)
                         : g_uri_resolve_relative (b->url, "SHA256SUMS", G_URI_FLAGS_NONE, NULL);
  if (url == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Cannot find the SHA256SUMS beside “%s”", b->url);
      return NULL;
    }
  report (b, "verify", 0, 0, "Fetching SHA256SUMS");
  body = fetch_small (b, url, 4 * 1024 * 1024, cancellable, error);
  if (body == NULL)
    return NULL;
  if (b->keyring != NULL && !verify_signature (b, url, body, cancellable, error))
    return NULL;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  sum = find_checksum (text, name);
  if (sum == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CHECKSUM, "%s lists no SHA-256 for “%s”",
                 url, name);
  else if (b->sha256 != NULL && strcmp (sum, b->sha256) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CHECKSUM,
                   "%s gives %s for “%s”, not the pinned %s", url, sum, name, b->sha256);
      g_clear_pointer (&sum, g_free);
    }
  return sum;
}

/* Hashes an existing file; NULL with no error when it does not exist. */
static char *
hash_file (Build *b, const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GFileInfo) info = NULL;
  g_autofree guint8 *buf = g_malloc (READ_CHUNK);
  GError            *local_error = NULL;
  guint64            done = 0, total;

  in = g_file_read (file, cancellable, &local_error);
  if (in == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error_free (local_error);
      else
        g_propagate_error (error, local_error);
      return NULL;
    }
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  total = info ? (guint64)g_file_info_get_size (info) : 0;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, READ_CHUNK, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buf, n);
      done += n;
      report (b, "verify", done, total, "Verifying the earlier download");
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
write_all (int fd, const guint8 *buf, gsize len, GError **error)
{
  while (len > 0)
    {
      ssize_t n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                       "Could not write the download: %s", g_strerror (errno));
          return FALSE;
        }
      buf += n;
      len -= n;
    }
  return TRUE;
}

/* Streams the body into @fd while hashing it. */
static char *
receive (Build        *b,
         GInputStream *body,
         int           fd,
         guint64       total,
         GCancellable *cancellable,
         GError      **error)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (READ_CHUNK);
  guint64            done = 0;

  for (;;)
    {
      gssize n = g_input_stream_read (body, buf, READ_CHUNK, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buf, n);
      if (!write_all (fd, buf, n, error))
        return NULL;
      done += n;
      report (b, "download", done, total, NULL);
    }
  if (total != 0 && done != total)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                   "The transfer ended after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                   done, total);
      return NULL;
    }
  if (fsync (fd) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not write the download: %s",
                   g_strerror (errno));
      return NULL;
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* Downloads @b->url to @path through a temporary file in the same
 * directory, renamed only when its SHA-256 is @expected. */
static gboolean
download (Build        *b,
          const char   *path,
          const char   *expected,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) body = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  g_autofree char *actual = NULL;
  GError          *local_error = NULL;
  goffset          length;
  int              fd;

  msg = new_request (b, b->url, error);
  if (msg == NULL)
    return FALSE;
  report (b, "download", 0, 0, b->url);
  body = soup_session_send (b->session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      propagate_transfer_error (error, local_error, b->url);
      return FALSE;
    }
  if (!check_status (msg, b->url, error))
    return FALSE;
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                   "Could not create a file in “%s”: %s", dir, g_strerror (errno));
      return FALSE;
    }
  actual = receive (b, body, fd, length > 0 ? (guint64)length : 0, cancellable, &local_error);
  close (fd);
  g_input_stream_close (body, NULL, NULL);
  if (actual == NULL)
    {
      g_unlink (temp);
      propagate_transfer_error (error, local_error, b->url);
      return FALSE;
    }
  report (b, "verify", 0, 0, "Checking the SHA-256");
  if (g_ascii_strcasecmp (actual, expected) != 0)
    {
      g_unlink (temp);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CHECKSUM,
                   "The SHA-256 of %s is %s, but SHA256SUMS says %s", b->url, actual, expected);
      return FALSE;
    }
  if (g_rename (temp, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (temp);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                   "Could not rename the download to “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Makes the base image from the download: a qcow2 copy under a temporary
 * name, grown and snapshotted, then renamed over any older base image. */
static gboolean
make_base_image (Build        *b,
                 const char   *download_path,
                 const char   *base_path,
                 GCancellable *cancellable,
                 GError      **error)
{
  /* The published format, stated; a backing or data file is refused. */
  g_autoptr (HeroVirtDisk) source
      = hero_virt_disk_new_with_format (download_path, b->image_format, HERO_VIRT_DISK_OPEN_NONE);
  g_autoptr (HeroVirtDisk) work = NULL;
  g_autofree char *dir = g_path_get_dirname (base_path);
  g_autofree char *base = g_path_get_basename (base_path);
  g_autofree char *temp = NULL;

  do
    {
      g_free (temp);
      temp = g_strdup_printf ("%s/.%s.%08x.tmp", dir, base, g_random_int ());
    }
  while (g_file_test (temp, G_FILE_TEST_EXISTS));

  report (b, "copy", 0, 0, "Copying the image to a qcow2 base image");
  work = hero_virt_disk_convert (source, temp, "qcow2", FALSE, cancellable, error);
  if (work == NULL)
    return FALSE;
  if (b->size != 0)
    {
      report (b, "resize", 0, b->size, NULL);
      if (!hero_virt_disk_resize (work, b->size, FALSE, cancellable, error))
        goto fail;
    }
  report (b, "snapshot", 0, 0, b->snapshot_name);
  if (!hero_virt_disk_snapshot_create (work, b->snapshot_name, cancellable, error))
    goto fail;
  if (g_rename (temp, base_path) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO,
                   "Could not rename the base image to “%s”: %s", base_path, g_strerror (errno));
      goto fail;
    }
  return TRUE;

fail:
  g_unlink (temp);
  return FALSE;
}

static gpointer build_run (Build *b, GCancellable *cancellable, GError **error);

/* The overall deadline: a thread that cancels the build's own cancellable
 * when the time is up; the caller's cancellable is chained to it. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      done;
  gboolean      fired;
  gint64        deadline;
  GCancellable *cancellable;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;

  g_mutex_lock (&w->lock);
  while (!w->done)
    if (!g_cond_wait_until (&w->cond, &w->lock, w->deadline) && !w->done)
      {
        w->fired = TRUE;
        g_cancellable_cancel (w->cancellable);
        break;
      }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static void
chain_cancel (GCancellable *source, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gpointer
build_thread (gpointer source_object, gpointer task_data, GCancellable *cancellable, GError **error)
{
  Build *b = task_data;
  g_autoptr (GCancellable) inner = g_cancellable_new ();
  GError  *local_error = NULL;
  GThread *thread = NULL;
  Watchdog w = { 0 };
  gulong   handler = 0;
  gpointer ret;

  if (b->timeout == 0)
    return build_run (b, cancellable, error);

  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  w.deadline = g_get_monotonic_time () + (gint64)b->timeout * G_TIME_SPAN_SECOND;
  w.cancellable = inner;
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (chain_cancel), inner, NULL);
  thread = g_thread_new ("base-image-deadline", watchdog_thread, &w);

  ret = build_run (b, inner, &local_error);

  g_mutex_lock (&w.lock);
  w.done = TRUE;
  g_cond_signal (&w.cond);
  g_mutex_unlock (&w.lock);
  g_thread_join (thread);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (local_error != NULL && w.fired)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                   "The base image was not built within %u s (%s)", b->timeout,
                   local_error->message);
      g_error_free (local_error);
    }
  else if (local_error != NULL)
    g_propagate_error (error, local_error);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
  return ret;
}

static gpointer
build_run (Build *b, GCancellable *cancellable, GError **error)
{
  gboolean         downloaded = FALSE;
  g_autofree char *name = NULL;
  g_autofree char *download_path = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *base_name = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *existing = NULL;
  GError          *local_error = NULL;

  name = file_name_from_url (b->url, error);
  if (name == NULL || !hero_virt_validate_snapshot_name (b->snapshot_name, error)
      || !check_settings (b, error))
    return NULL;
  if (b->size % 512 != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The size must be a multiple of 512 bytes");
      return NULL;
    }
  if (g_mkdir_with_parents (b->dest_dir, 0755) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not create “%s”: %s",
                   b->dest_dir, g_strerror (errno));
      return NULL;
    }
  download_path = g_build_filename (b->dest_dir, name, NULL);
  base_name = base_name_for (name);
  base_path = g_build_filename (b->dest_dir, base_name, NULL);

  b->session = soup_session_new_with_options ("user-agent", "hero-virt/" PACKAGE_VERSION, "timeout",
                                              b->timeout, NULL);
  if (b->tls_ca_file != NULL)
    {
      g_autoptr (GTlsDatabase) db = g_tls_file_database_new (b->tls_ca_file, &local_error);

      if (db == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Cannot use the CA file “%s”: %s", b->tls_ca_file, local_error->message);
          g_error_free (local_error);
          return NULL;
        }
      soup_session_set_tls_database (b->session, db);
    }
  if (b->sha256 != NULL && b->keyring == NULL)
    expected = g_strdup (b->sha256); /* what the caller trusts; SHA256SUMS adds nothing */
  else
    expected = fetch_expected_checksum (b, name, cancellable, error);
  if (expected == NULL)
    return NULL;

  existing = hash_file (b, download_path, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (existing == NULL || g_ascii_strcasecmp (existing, expected) != 0)
    {
      if (!download (b, download_path, expected, cancellable, error))
        return NULL;
      downloaded = TRUE;
    }

  if (!make_base_image (b, download_path, base_path, cancellable, &local_error))
    {
      /* An image refused for what it is (a backing file, a data file, not
       * its stated format, corrupt) is not kept as a verified download. */
      if (g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT)
          || g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_CORRUPT))
        g_unlink (download_path);
      g_propagate_error (error, local_error);
      return NULL;
    }

  report (b, "done", 1, 1, base_path);
  return g_object_new (HERO_VIRT_TYPE_BASE_IMAGE_RESULT, "path", base_path, "download-path",
                       download_path, "snapshot-name", b->snapshot_name, "url", b->url, "sha256",
                       expected, "resized-to", b->size, "downloaded", downloaded, NULL);
}

/**
 * hero_virt_base_image_builder_build:
 * @self: a #HeroVirtBaseImageBuilder
 * @progress: (nullable): where to report the stages (`download`, `verify`,
 *   `copy`, `resize`, `snapshot`) and the bytes transferred
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads and verifies the image (unless a verified download is already
 * there) and makes the base image from it.
 *
 * Errors: %HERO_VIRT_ERROR_CHECKSUM when the download does not match
 * `SHA256SUMS` (or is not listed there), %HERO_VIRT_ERROR_NETWORK when the
 * transfer fails or is cut short, %HERO_VIRT_ERROR_NOT_FOUND for an HTTP
 * 404; nothing is left in the destination directory by a failed download.
 *
 * Returns: (transfer full): what was built, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBaseImageResult *
hero_virt_base_image_builder_build (HeroVirtBaseImageBuilder *self,
                                    HeroVirtProgress         *progress,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  g_autoptr (Build) b = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self), NULL);
  g_return_val_if_fail (progress == NULL || HERO_VIRT_IS_PROGRESS (progress), NULL);

  b = build_new (self, progress);
  return build_thread (self, b, cancellable, error);
}

/**
 * hero_virt_base_image_builder_build_async:
 * @self: a #HeroVirtBaseImageBuilder
 * @progress: (nullable): where to report progress
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.BaseImageBuilder.build] in a worker thread.
 * Progress is reported in the thread-default main context of the caller
 * that created @progress.
 *
 * Since: 0.1
 */
void
hero_virt_base_image_builder_build_async (HeroVirtBaseImageBuilder *self,
                                          HeroVirtProgress         *progress,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (self));
  g_return_if_fail (progress == NULL || HERO_VIRT_IS_PROGRESS (progress));

  _hero_virt_run_in_thread (self, hero_virt_base_image_builder_build_async, build_thread,
                            build_new (self, progress), (GDestroyNotify)build_free, g_object_unref,
                            cancellable, callback, user_data);
}

/**
 * hero_virt_base_image_builder_build_finish:
 * @self: a #HeroVirtBaseImageBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.BaseImageBuilder.build_async].
 *
 * Returns: (transfer full): what was built, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBaseImageResult *
hero_virt_base_image_builder_build_finish (HeroVirtBaseImageBuilder *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_base_image_builder_build_async, error);
}

/**
 * hero_virt_disk_build_ubuntu_24_04_base:
 * @dest_dir: (type filename): where the download and the base image go
 * @size: the virtual size to grow the base image to, or 0 to keep it
 * @progress: (nullable): where to report progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads the Ubuntu 24.04 amd64 cloud image, verifies it against
 * Canonical's `SHA256SUMS` and makes a qcow2 base image from it with a
 * snapshot called `base`: [class@HeroVirt.BaseImageBuilder] with its
 * defaults.
 *
 * Returns: (transfer full): what was built, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBaseImageResult *
hero_virt_disk_build_ubuntu_24_04_base (const char       *dest_dir,
                                        guint64           size,
                                        HeroVirtProgress *progress,
                                        GCancellable     *cancellable,
                                        GError          **error)
{
  g_autoptr (HeroVirtBaseImageBuilder) builder = NULL;

  g_return_val_if_fail (dest_dir != NULL, NULL);

  builder
      = g_object_new (HERO_VIRT_TYPE_BASE_IMAGE_BUILDER, "dest-dir", dest_dir, "size", size, NULL);
  return hero_virt_base_image_builder_build (builder, progress, cancellable, error);
}
