/** Users and teams as the HTTP API shows them (DESIGN.md, public contract). */
import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'rep'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const DENSITIES = ['comfortable', 'compact'] as const;
export type Density = (typeof DENSITIES)[number];

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  mustChangePassword: boolean;
  /** The role requires two-factor sign-in and the user has not enrolled: the client sends them to enrol. */
  mustEnrolTotp: boolean;
  phone: string;
  title: string;
  locale: Locale;
  density: Density;
  active: boolean;
  createdAt: string;
}

export interface TeamDto {
  id: string;
  name: string;
  createdAt: string;
  /** An archived team keeps its members and records; it leaves pickers. */
  archived: boolean;
}

export const NAME_MAX = 120;
export const EMAIL_MAX = 254;
export const PASSWORD_MAX = 256;
export const PHONE_MAX = 40;
export const TITLE_MAX = 120;
/** Longest second-factor code accepted (a recovery code with separators). */
export const CODE_MAX = 32;

/**
 * A sign-in identifier: a work e-mail address or an employee number
 * (letters, digits, dot, dash, underscore). Stored lower-cased.
 */
export const loginId = z
  .string()
  .trim()
  .min(1)
  .max(EMAIL_MAX)
  .regex(/^(?:[^\s@]+@[^\s@]+\.[^\s@]+|[A-Za-z0-9._-]+)$/, 'must be an e-mail address or an employee number')
  .transform((s) => s.toLowerCase());

export const loginBody = z.object({
  email: z.string().trim().min(1).max(EMAIL_MAX),
  password: z.string().min(1).max(PASSWORD_MAX),
  /** A current TOTP code or an unused recovery code, for a user with two-factor sign-in. */
  code: z.string().trim().max(CODE_MAX).optional(),
});

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newPassword: z.string().min(1).max(PASSWORD_MAX),
});

export const createTeamBody = z.object({ name: z.string().trim().min(1).max(NAME_MAX) });

export const createUserBody = z.object({
  email: loginId,
  name: z.string().trim().min(1).max(NAME_MAX),
  role: z.enum(ROLES),
  teamId: z.string().uuid().nullable().optional(),
  password: z.string().min(1).max(PASSWORD_MAX),
});

export const updateUserBody = z
  .object({
    role: z.enum(ROLES).optional(),
    teamId: z.string().uuid().nullable().optional(),
    active: z.boolean().optional(),
    name: z.string().trim().min(1).max(NAME_MAX).optional(),
  })
  .strict();

export const updateProfileBody = z
  .object({
    name: z.string().trim().min(1).max(NAME_MAX).optional(),
    phone: z.string().trim().max(PHONE_MAX).optional(),
    title: z.string().trim().max(TITLE_MAX).optional(),
    locale: z.enum(LOCALES).optional(),
    density: z.enum(DENSITIES).optional(),
  })
  .strict();

export type LoginBody = z.infer<typeof loginBody>;
export type CreateUserBody = z.infer<typeof createUserBody>;
export type UpdateUserBody = z.infer<typeof updateUserBody>;
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;
