// @vitest-environment happy-dom
// The bell's name starts with the count it shows (WCAG 2.5.3) and reads as English:
// "1 unread notification", "3 unread notifications", "9+ unread notifications".
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Api } from '../../lib/api.ts';
import type { Notification } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { NotificationBell, notificationTarget } from './NotificationBell.tsx';

afterEach(cleanup);

const unread = (id: string) => ({
  id, kind: 'escalation', title: 'Escalated to you: Emergency Stage for Northwind Logistics', body: null,
  data: { execution_id: 'e1' }, read_at: null, created_at: new Date().toISOString(),
}) as unknown as Notification;

function bellWith(count: number) {
  const listNotifications = (async () => Array.from({ length: count }, (_, index) => unread(`n${index}`))) as unknown as Api['listNotifications'];
  const { wrap } = cannedWorkspace('manager', {}, { listNotifications });
  render(<NotificationBell />, { wrapper: wrap });
}

describe('the notification bell', () => {
  it('says one unread notification in the singular', async () => {
    bellWith(1);
    expect(await screen.findByRole('button', { name: '1 unread notification' })).toBeTruthy();
  });

  it('says more than one in the plural, up to 9+', async () => {
    bellWith(3);
    expect(await screen.findByRole('button', { name: '3 unread notifications' })).toBeTruthy();
    cleanup();
    bellWith(12);
    expect(await screen.findByRole('button', { name: '9+ unread notifications' })).toBeTruthy();
  });
});

describe('where a notification leads', () => {
  it('a hand-over (one notice for many items) opens the customer handed over, else the queue where the work now is', () => {
    const counts = { customers: 2, workflows: 3, tasks: 3 };
    expect(notificationTarget({ hand_over: counts, customer_id: 'c1' })).toBe('/customers/c1');
    expect(notificationTarget({ hand_over: counts })).toBe('/queue');
    expect(notificationTarget({ execution_id: 'e1' })).toBe('/workflows/e1');
    expect(notificationTarget({ task_id: 't1' })).toBe('/tasks');
    expect(notificationTarget({})).toBeNull();
  });
});
