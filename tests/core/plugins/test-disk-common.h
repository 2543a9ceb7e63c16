/* test-disk-common.h: the file format shared by the test disk providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A "testdisk" image is a text file holding its virtual size. The test
 * providers create and read it, so tests can see that a call really reached
 * the provider they expected.
 */
#pragma once

#include <hero-virt.h>

/* HV_TEST_UNAVAILABLE=name,name,… makes those providers' probes fail. */
gboolean          test_disk_check_available (const char *provider_name, GError **error);
gboolean          test_disk_create (const char                *provider_name,
                                    const char                *path,
                                    HeroVirtDiskCreateOptions *options,
                                    GError                   **error);
HeroVirtDiskInfo *test_disk_info (const char *provider_name, const char *path, GError **error);
