/** Two-factor sign-in, password resets and the workspace security settings (schema/wire/two-factor.ts). */
import type {
  AdminPasswordResetDto,
  RecoveryCodesDto,
  TotpEnrolmentDto,
  TotpStatusDto,
  WorkspaceSecurityDto,
} from '../../../schema/wire/two-factor.ts';
import type { Role } from '../../../schema/wire/user.ts';
import { request } from './http.ts';

export const fetchTotpStatus = () => request<TotpStatusDto>('GET', '/api/me/totp');
export const startTotpEnrolment = () => request<TotpEnrolmentDto>('POST', '/api/me/totp/enrol', {});
export const confirmTotpEnrolment = (code: string) => request<RecoveryCodesDto>('POST', '/api/me/totp/confirm', { code });
export const disableTotp = (proof: { code?: string; password?: string }) => request<void>('POST', '/api/me/totp/disable', proof);

export const requestPasswordReset = (email: string) =>
  request<{ ok: true }>('POST', '/api/auth/password-reset', { email }, { quietUnauthenticated: true });
export const confirmPasswordReset = (token: string, newPassword: string) =>
  request<void>('POST', '/api/auth/password-reset/confirm', { token, newPassword }, { quietUnauthenticated: true });

export const adminResetPassword = (userId: string, mode: 'temporary' | 'link') =>
  request<AdminPasswordResetDto>('POST', `/api/users/${encodeURIComponent(userId)}/password-reset`, { mode });
export const adminResetTotp = (userId: string) => request<void>('POST', `/api/users/${encodeURIComponent(userId)}/totp/reset`, {});

export const fetchWorkspaceSecurity = () => request<WorkspaceSecurityDto>('GET', '/api/workspace/security');
export const updateWorkspaceSecurity = (patch: { totpRequiredRoles?: Role[]; maxPasswordAgeDays?: number | null }) =>
  request<WorkspaceSecurityDto>('PATCH', '/api/workspace/security', patch);
