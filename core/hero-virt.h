/* hero-virt.h: the HeroVirt umbrella header
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define HERO_VIRT_INSIDE

#include "hero-virt-version.h"
#include "hero-virt-types.h"
#include "hero-virt-enum-types.h"
#include "hero-virt-error.h"
#include "hero-virt-validate.h"
#include "hero-virt-command.h"
#include "hero-virt-command-result.h"
#include "hero-virt-executor.h"
#include "hero-virt-local-executor.h"
#include "hero-virt-progress.h"
#include "hero-virt-plugin.h"
#include "hero-virt-plugin-info.h"
#include "hero-virt-registry.h"

/* disks */
#include "hero-virt-disk-enums.h"
#include "hero-virt-disk-snapshot.h"
#include "hero-virt-disk-info.h"
#include "hero-virt-disk-check-result.h"
#include "hero-virt-disk-create-options.h"
#include "hero-virt-disk-provider.h"
#include "hero-virt-disk.h"
#include "hero-virt-base-image.h"

/* images (buildah) and remote execution */
#include "hero-virt-ssh-executor.h"
#include "hero-virt-image-info.h"
#include "hero-virt-image-container-info.h"
#include "hero-virt-image-config.h"
#include "hero-virt-image-registry-options.h"
#include "hero-virt-image-provider.h"
#include "hero-virt-image.h"
#include "hero-virt-builder.h"

/* containers */
#include "hero-virt-health-check.h"
#include "hero-virt-container-status.h"
#include "hero-virt-container-stats.h"
#include "hero-virt-container-image.h"
#include "hero-virt-container-spec.h"
#include "hero-virt-container-builder.h"
#include "hero-virt-container.h"
#include "hero-virt-container-provider.h"

/* virtual machines */
#include "hero-virt-vm-disk.h"
#include "hero-virt-vm-port-forward.h"
#include "hero-virt-vm-net.h"
#include "hero-virt-vm-spec.h"
#include "hero-virt-vm-builder.h"
#include "hero-virt-vm-info.h"
#include "hero-virt-virt-detect.h"
#include "hero-virt-hypervisor-provider.h"
#include "hero-virt-vm.h"
#include "hero-virt-cloud-init.h"
#include "hero-virt-vm-from-base-image.h"

/* clusters */
#include "hero-virt-cluster-enums.h"
#include "hero-virt-cluster-kind.h"
#include "hero-virt-cluster-list-options.h"
#include "hero-virt-cluster-watch-event.h"
#include "hero-virt-cluster-watch.h"
#include "hero-virt-cluster-provider.h"
#include "hero-virt-kube.h"
#include "hero-virt-kubernetes-config.h"
#include "hero-virt-kubernetes-manager.h"
#include "hero-virt-port-forward.h"
#include "hero-virt-pod-executor.h"
#include "hero-virt-traefik-rule.h"
#include "hero-virt-kube-resource-builder.h"
#include "hero-virt-kube-probe.h"
#include "hero-virt-kube-workload-builder.h"
#include "hero-virt-pod-builder.h"
#include "hero-virt-deployment-builder.h"
#include "hero-virt-service-builder.h"
#include "hero-virt-config-map-builder.h"
#include "hero-virt-secret-builder.h"
#include "hero-virt-ingress-route-builder.h"
#include "hero-virt-middleware-builder.h"
#include "hero-virt-tls-option-builder.h"
#include "hero-virt-namespace-builder.h"
#include "hero-virt-registry-deployer.h"
#include "hero-virt-development-machine.h"
#include "hero-virt-build-machine.h"

#undef HERO_VIRT_INSIDE
