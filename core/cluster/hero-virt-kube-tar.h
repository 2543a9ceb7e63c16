/* hero-virt-kube-tar.h: the tar archives `cp` moves through exec; the
 * reader refuses what would write outside its destination. Never
 * installed; plain GLib and POSIX, so tests compile it on its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An archive (GNU format: ustar headers, `././@LongLink` entries for long
 * names) of the local @path, recursively, symbolic links kept as links, its
 * top entry called @top_name. Sockets and devices are refused. */
GBytes *_hero_virt_tar_create (const char   *path,
                               const char   *top_name,
                               GCancellable *cancellable,
                               GError      **error);

/* Extracts @archive into the existing directory @dest_dir, keeping
 * permission bits (not set-id bits) and file modification times. With
 * @top_name, every member must be @top_name or under `@top_name/`, and is
 * renamed to @new_name. The whole archive is checked before anything is
 * written: an absolute member name, a `..` component, a symbolic link
 * whose target leaves @dest_dir (absolute, or too many `..`), a hard link
 * to outside the archive, a device or FIFO, or a damaged header is
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT (or %HERO_VIRT_ERROR_PARSE) and
 * nothing is written. While writing, no existing symbolic link is followed
 * (every directory is opened with O_NOFOLLOW). */
gboolean _hero_virt_tar_extract (GBytes     *archive,
                                 const char *dest_dir,
                                 const char *top_name,
                                 const char *new_name,
                                 GError    **error);

G_END_DECLS
