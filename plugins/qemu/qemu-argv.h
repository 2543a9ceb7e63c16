/* qemu-argv.h: the qemu-system-x86_64 command line for a VmSpec
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

typedef struct
{
  const char        *binary;      /* qemu-system-x86_64 */
  const char        *accel;       /* "kvm" or "tcg" */
  const char        *qmp_socket;  /* the QMP unix socket to listen on */
  const char        *pidfile;     /* -pidfile */
  const char        *console_log; /* the serial log for HERO_VIRT_VM_SERIAL_MODE_DEFAULT */
  const char *const *formats;     /* one image format per spec disk, stated */
  guint              max_vcpus;   /* for vCPU hot-plug; 0: the spec's count */
  gboolean           incoming;    /* -incoming defer -S: restore from a migration stream */
  gboolean           daemonize;   /* -daemonize (the plugin); FALSE for the bench's foreground */
} QemuLaunch;

/* qemu's option syntax separates key=value pairs with commas; a comma in
 * a value is written twice. Every path qemu sees goes through this. */
char *qemu_escape_option_value (const char *value);

/* The whole argv (NULL-terminated, element-type utf8): -nodefaults
 * -no-user-config, the accelerator, QMP, serial, kernel or firmware,
 * virtio disks with their stated formats, virtio-net (user or tap), then
 * the spec's extra arguments. */
GPtrArray *qemu_build_argv (HeroVirtVmSpec *spec, const QemuLaunch *launch);

/* Host port forwards for user-mode networking, until HeroVirtVmNet has
 * them: an extra argument "hostfwd=PROTO:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT"
 * (PROTO tcp or udp, addresses IPv4; an empty host address is 127.0.0.1,
 * never all interfaces) is not passed to qemu as is but added to the first
 * user-mode network. Returns the normalized forward, or NULL with
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT. */
char *qemu_parse_hostfwd (const char *arg, GError **error);

/* Reads an image's first bytes: "qcow2" if it carries the qcow2 magic,
 * else "raw". Only for disks whose spec states no format; the result is
 * passed explicitly, so qemu itself never probes. */
const char *qemu_detect_image_format (const char *path);

G_END_DECLS
