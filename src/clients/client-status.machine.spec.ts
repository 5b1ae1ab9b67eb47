import { ConflictException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CLIENT_STATUSES, type ClientStatus } from './client.entity.js';
import { CLIENT_ACTIONS, type ClientAction, transitionFor } from './client-status.machine.js';

const LEGAL: Record<string, ClientStatus> = {
  'approve pending': 'approved',
  'reject pending': 'rejected',
  'suspend approved': 'suspended',
  'reinstate suspended': 'approved',
};

const AUDIT: Record<ClientAction, string> = {
  approve: 'client.approved',
  reject: 'client.rejected',
  suspend: 'client.suspended',
  reinstate: 'client.reinstated',
};

describe('client status machine', () => {
  const pairs = CLIENT_ACTIONS.flatMap((action) => CLIENT_STATUSES.map((status) => [action, status] as const));

  it.each(pairs.filter(([action, status]) => `${action} ${status}` in LEGAL))('%s from %s is legal', (action, status) => {
    const transition = transitionFor(action, status);
    expect(transition).toEqual({ action, from: status, to: LEGAL[`${action} ${status}`], event: AUDIT[action] });
  });

  it.each(pairs.filter(([action, status]) => !(`${action} ${status}` in LEGAL)))('%s from %s is a 409 naming the state', (action, status) => {
    let thrown: unknown;
    try {
      transitionFor(action, status);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConflictException);
    const conflict = thrown as ConflictException;
    expect(conflict.getStatus()).toBe(409);
    expect(conflict.message).toContain(`it is ${status}`);
    expect(conflict.message).toContain(action);
  });

  it('covers exactly four legal transitions out of sixteen', () => {
    const legal = pairs.filter(([action, status]) => {
      try {
        transitionFor(action, status);
        return true;
      } catch {
        return false;
      }
    });
    expect(legal.map(([a, s]) => `${a} ${s}`).sort()).toEqual(Object.keys(LEGAL).sort());
  });
});
