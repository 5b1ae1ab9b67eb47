import { ConflictException } from '@nestjs/common';
import type { ClientStatus } from './client.entity.js';

export const CLIENT_ACTIONS = ['approve', 'reject', 'suspend', 'reinstate'] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];

export interface ClientTransition {
  action: ClientAction;
  from: ClientStatus;
  to: ClientStatus;
  /** The audit event type that records it. */
  event: `client.${string}`;
}

/**
 * The review workflow, the one place it is written down. Each action starts
 * from exactly one state; everything not listed here is illegal.
 */
const TRANSITIONS: Record<ClientAction, ClientTransition> = {
  approve: { action: 'approve', from: 'pending', to: 'approved', event: 'client.approved' },
  reject: { action: 'reject', from: 'pending', to: 'rejected', event: 'client.rejected' },
  suspend: { action: 'suspend', from: 'approved', to: 'suspended', event: 'client.suspended' },
  reinstate: { action: 'reinstate', from: 'suspended', to: 'approved', event: 'client.reinstated' },
};

const PAST: Record<ClientAction, string> = { approve: 'approved', reject: 'rejected', suspend: 'suspended', reinstate: 'reinstated' };

/** The transition `action` makes from `current`, or a 409 naming the current state. */
export function transitionFor(action: ClientAction, current: ClientStatus): ClientTransition {
  const transition = TRANSITIONS[action];
  if (transition.from !== current) throw illegalTransition(action, current);
  return transition;
}

export function illegalTransition(action: ClientAction, current: ClientStatus): ConflictException {
  const { from } = TRANSITIONS[action];
  return new ConflictException(`Cannot ${action} this client: it is ${current}; only a ${from} client can be ${PAST[action]}`);
}

/** Every legal transition, for documentation and tests. */
export const CLIENT_TRANSITIONS: readonly ClientTransition[] = Object.values(TRANSITIONS);
