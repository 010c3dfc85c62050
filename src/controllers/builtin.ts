/**
 * The controllers `k8ts server` runs, by upstream name. Adding a controller is adding
 * its descriptor here.
 */
import type { ControllerDescriptor } from './controller.js';
import { cronJobControllerDescriptor } from './cronjob/cronJobController.js';
import { disruptionControllerDescriptor } from './disruption/disruptionController.js';
import { deploymentControllerDescriptor } from './deployment/deploymentController.js';
import { garbageCollectorDescriptor } from './garbagecollector/garbageCollector.js';
import { jobControllerDescriptor } from './job/jobController.js';
import { namespaceControllerDescriptor } from './namespace/namespaceController.js';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle/nodeLifecycleController.js';
import { taintEvictionControllerDescriptor } from './nodelifecycle/taintEvictionController.js';
import { podGcControllerDescriptor } from './podgc/podGcController.js';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from './replicaset/replicaSetController.js';
import { resourceQuotaControllerDescriptor } from './resourcequota/resourceQuotaController.js';
import { rootCaPublisherDescriptor } from './rootca/rootCaPublisher.js';
import { serviceAccountControllerDescriptor } from './serviceaccount/serviceAccountController.js';
import { tokensControllerDescriptor } from './serviceaccount/tokensController.js';
import { ttlAfterFinishedControllerDescriptor } from './ttlafterfinished/ttlAfterFinishedController.js';

/** Every built-in controller, in start order. */
export const BUILTIN_CONTROLLERS: readonly ControllerDescriptor[] = [
  namespaceControllerDescriptor,
  serviceAccountControllerDescriptor,
  tokensControllerDescriptor,
  rootCaPublisherDescriptor,
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
  deploymentControllerDescriptor,
  garbageCollectorDescriptor,
  disruptionControllerDescriptor,
  resourceQuotaControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  taintEvictionControllerDescriptor,
  podGcControllerDescriptor,
  jobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  cronJobControllerDescriptor,
];
