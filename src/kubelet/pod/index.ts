/** The kubelet's pure pod logic: status, phase, conditions, QoS, actions, back-off and environment. */
export type * from './runtimeTypes.js';
export { podQOSClass, type QOSClass } from './qos.js';
export { podPhase, type PodPhase } from './phase.js';
export {
  ConditionReason, KUBELET_CONDITION_TYPES, containersReadyCondition, initializedCondition, podConditions, podReadyCondition,
  readyToStartContainersCondition, type ConditionCore, type PodConditionInputs, type StampedCondition,
} from './conditions.js';
export { CONTAINER_STATUS_UNKNOWN, WaitingReason, apiContainerStatuses, type ApiContainerStatuses, type ContainerStatusInputs } from './containerStatuses.js';
export { BackOff, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, backOffBeforeStart, backOffKey, formatGoDuration, type BackOffVerdict, type NowSource } from './backoff.js';
export { computePodActions, sandboxChange, type ActionInputs, type ContainerToKill, type KillReason, type PodActions } from './actions.js';
export { expandVariables, lookupIn, type VariableLookup } from './envExpansion.js';
export { EnvironmentError, containerEnvironment, type ContainerEnvironment, type DownwardValues, type EnvSourceResolver } from './environment.js';
export { formatPod, isRestartableInitContainer, shouldContainerBeRestarted } from './podHelpers.js';
