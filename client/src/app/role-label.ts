/** Localized names of roles. */
import { msg } from '@lit/localize';
import type { Role } from '../../../schema/wire/user.ts';

export function roleLabel(role: Role): string {
  switch (role) {
    case 'admin':
      return msg('Administrator', { id: 'role.admin' });
    case 'manager':
      return msg('Manager', { id: 'role.manager' });
    case 'rep':
      return msg('Sales rep', { id: 'role.rep' });
    default:
      return role satisfies never;
  }
}
