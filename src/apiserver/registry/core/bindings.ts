/**
 * Binding (core/v1 `bindings`): answered by assigning the named pod, never stored
 * itself; the checks live in handlers/subresources/binding.ts, shared with pods/binding.
 */
import type { Strategy } from '../strategy.js';

/** Binding: validated by the binding handler. */
export const bindingStrategy: Strategy = {};
