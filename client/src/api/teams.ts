/** Teams. */
import type { TeamDto } from '../../../schema/wire/user.ts';
import { type CreateOptions, request } from './http.ts';

export async function listTeams(): Promise<TeamDto[]> {
  return (await request<{ items: TeamDto[] }>('GET', '/api/teams')).items;
}

export async function createTeam(name: string, opts: CreateOptions = {}): Promise<TeamDto> {
  return (await request<{ team: TeamDto }>('POST', '/api/teams', { name }, opts)).team;
}
