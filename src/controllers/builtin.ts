/**
 * The controllers `k8ts server` runs, by upstream name. Adding a controller is adding
 * its descriptor here.
 */
import type { ControllerDescriptor } from './controller.js';
import { jobControllerDescriptor } from './job/jobController.js';
import { cronJobControllerDescriptor } from './cronjob/cronJobController.js';
import { garbageCollectorDescriptor } from './garbagecollector/garbageCollector.js';
import { namespaceControllerDescriptor } from './namespace/namespaceController.js';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from './replicaset/replicaSetController.js';
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
  garbageCollectorDescriptor,
  jobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  cronJobControllerDescriptor,
];
