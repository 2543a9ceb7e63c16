/* hero-virt-ssh-executor.h: run commands on a remote host over SSH
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_SSH_EXECUTOR (hero_virt_ssh_executor_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtSshExecutor, hero_virt_ssh_executor, HERO_VIRT, SSH_EXECUTOR, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_new (const char *host, guint port, const char *user);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_private_key_file (HeroVirtSshExecutor *self,
                                                                  const char          *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_passphrase (HeroVirtSshExecutor *self,
                                                            const char          *passphrase);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_known_hosts_file (HeroVirtSshExecutor *self,
                                                                  const char          *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_verify_host_key (HeroVirtSshExecutor *self,
                                                                 gboolean             verify);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_connect_timeout (HeroVirtSshExecutor *self,
                                                                 guint                timeout_ms);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_ssh_executor_set_command_timeout (HeroVirtSshExecutor *self,
                                                                 guint                timeout_ms);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_ssh_executor_get_host (HeroVirtSshExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_ssh_executor_get_port (HeroVirtSshExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_ssh_executor_get_user (HeroVirtSshExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_ssh_executor_connect (HeroVirtSshExecutor *self,
                                         GCancellable        *cancellable,
                                         GError             **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_ssh_executor_disconnect (HeroVirtSshExecutor *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_ssh_quote_argv (const char *const *argv);

G_END_DECLS
