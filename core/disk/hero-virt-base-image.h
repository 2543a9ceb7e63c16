/* hero-virt-base-image.h: a verified cloud image turned into a base disk
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hero-virt-types.h"
#include "hero-virt-base-image-result.h"
#include "hero-virt-progress.h"

G_BEGIN_DECLS

/**
 * HERO_VIRT_UBUNTU_24_04_URL:
 *
 * Where the Ubuntu 24.04 (noble) amd64 cloud image is published.
 *
 * Since: 0.1
 */
#define HERO_VIRT_UBUNTU_24_04_URL                                                                 \
  "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img"

#define HERO_VIRT_TYPE_BASE_IMAGE_BUILDER (hero_virt_base_image_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtBaseImageBuilder,
                      hero_virt_base_image_builder,
                      HERO_VIRT,
                      BASE_IMAGE_BUILDER,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_url (HeroVirtBaseImageBuilder *self,
                                                                const char               *url);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_checksums_url (HeroVirtBaseImageBuilder *self,
                                                const char               *checksums_url);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_dest_dir (HeroVirtBaseImageBuilder *self,
                                                                     const char *dest_dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_size (HeroVirtBaseImageBuilder *self,
                                                                 guint64                   size);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_snapshot_name (HeroVirtBaseImageBuilder *self,
                                                const char               *snapshot_name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_tls_verify (HeroVirtBaseImageBuilder *self, gboolean tls_verify);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_sha256 (HeroVirtBaseImageBuilder *self,
                                                                   const char *sha256);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_tls_ca_file (HeroVirtBaseImageBuilder *self,
                                              const char               *tls_ca_file);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_keyring (HeroVirtBaseImageBuilder *self,
                                                                    const char *keyring);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_signature_url (HeroVirtBaseImageBuilder *self,
                                                const char               *signature_url);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_image_format (HeroVirtBaseImageBuilder *self,
                                               const char               *image_format);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *
hero_virt_base_image_builder_set_allow_insecure (HeroVirtBaseImageBuilder *self,
                                                 gboolean                  allow_insecure);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageBuilder *hero_virt_base_image_builder_set_timeout (HeroVirtBaseImageBuilder *self,
                                                                    guint timeout);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_base_image_builder_get_url (HeroVirtBaseImageBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_base_image_builder_get_checksums_url (HeroVirtBaseImageBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_base_image_builder_get_dest_dir (HeroVirtBaseImageBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_base_image_builder_get_size (HeroVirtBaseImageBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_base_image_builder_get_snapshot_name (HeroVirtBaseImageBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_base_image_builder_get_tls_verify (HeroVirtBaseImageBuilder *self);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageResult *hero_virt_base_image_builder_build (HeroVirtBaseImageBuilder *self,
                                                             HeroVirtProgress         *progress,
                                                             GCancellable             *cancellable,
                                                             GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_base_image_builder_build_async (HeroVirtBaseImageBuilder *self,
                                               HeroVirtProgress         *progress,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageResult *hero_virt_base_image_builder_build_finish (HeroVirtBaseImageBuilder *self,
                                                                    GAsyncResult *result,
                                                                    GError      **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBaseImageResult *hero_virt_disk_build_ubuntu_24_04_base (const char       *dest_dir,
                                                                 guint64           size,
                                                                 HeroVirtProgress *progress,
                                                                 GCancellable     *cancellable,
                                                                 GError          **error);

G_END_DECLS
