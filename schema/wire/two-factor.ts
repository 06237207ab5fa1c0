/**
 * Two-factor sign-in (TOTP), password resets and the workspace security settings as the HTTP
 * API shows them. Shared by server, client and tests.
 */
import { z } from 'zod';
import { CODE_MAX, PASSWORD_MAX, ROLES, type Role } from './user.ts';

/** `GET /api/me/totp`. */
export interface TotpStatusDto {
  enabled: boolean;
  /** Unused recovery codes left. */
  recoveryCodesLeft: number;
  /** The workspace requires two-factor sign-in for this user's role. */
  required: boolean;
}

/** `POST /api/me/totp/enrol`: the key, shown until confirmed; never returned again after. */
export interface TotpEnrolmentDto {
  /** Base32, for typing into an authenticator app. */
  secret: string;
  /** otpauth:// URI, for the QR code. */
  uri: string;
}

/** `POST /api/me/totp/confirm` → the ten recovery codes, shown once. */
export interface RecoveryCodesDto {
  recoveryCodes: string[];
}

/** The client's page for reset links (`?token=…`). */
export const PASSWORD_RESET_PATH = '/reset-password';

export const totpCode = z.string().trim().min(1).max(CODE_MAX);
export const confirmTotpBody = z.object({ code: totpCode });
/** Disabling takes a current code (or recovery code) or the password. */
export const disableTotpBody = z
  .object({ code: totpCode.optional(), password: z.string().min(1).max(PASSWORD_MAX).optional() })
  .refine((b) => b.code !== undefined || b.password !== undefined, { message: 'give a code or the password', path: ['code'] });

export const passwordResetRequestBody = z.object({ email: z.string().trim().min(1).max(254) });
/** Reset tokens are 32 random bytes in base64url: 43 characters. */
export const resetToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a reset token');
export const passwordResetConfirmBody = z.object({ token: resetToken, newPassword: z.string().min(1).max(PASSWORD_MAX) });

/** An admin resets a user's password: a temporary password, or a one-time reset link. */
export const adminPasswordResetBody = z.object({ mode: z.enum(['temporary', 'link']) });
export type AdminPasswordResetDto = { temporaryPassword: string } | { link: string; expiresAt: string };

export interface WorkspaceSecurityDto {
  totpRequiredRoles: Role[];
  /** Days after which a password must be changed at sign-in; null: never. */
  maxPasswordAgeDays: number | null;
  /** Whether the server can send e-mail (SMTP_URL): without it, admins hand out reset links. */
  mailConfigured: boolean;
}

export const MAX_PASSWORD_AGE_DAYS = 3650;
export const updateWorkspaceSecurityBody = z
  .object({
    totpRequiredRoles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
    maxPasswordAgeDays: z.number().int().min(1).max(MAX_PASSWORD_AGE_DAYS).nullable().optional(),
  })
  .strict();
