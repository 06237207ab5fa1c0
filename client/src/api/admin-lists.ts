/** Admin-managed lists (docs/team-operations.md): categories, tags, teams, lost reasons. */
import type {
  CreateLostReasonBody,
  LostReasonDto,
  LostReasonListDto,
  TagJobResultDto,
  TagUsageDto,
  UpdateLostReasonBody,
  UpdateTeamBody,
} from '../../../schema/wire/admin-lists.ts';
import type { CategoryDto } from '../../../schema/wire/customer.ts';
import type { TeamDto, UserDto } from '../../../schema/wire/user.ts';
import { type CreateOptions, request } from './http.ts';

const enc = encodeURIComponent;

export async function teamCategories(teamId: string): Promise<CategoryDto[]> {
  return (await request<{ items: CategoryDto[] }>('GET', `/api/customer-categories?teamId=${enc(teamId)}`)).items;
}

export async function saveTeamCategories(teamId: string, categories: CategoryDto[]): Promise<CategoryDto[]> {
  return (await request<{ items: CategoryDto[] }>('PUT', '/api/customer-categories', { teamId, categories })).items;
}

export async function tagUsage(): Promise<TagUsageDto[]> {
  return (await request<{ items: TagUsageDto[] }>('GET', '/api/admin/tags')).items;
}

export function renameTag(from: string, to: string): Promise<TagJobResultDto> {
  return request<TagJobResultDto>('POST', '/api/admin/tags/rename', { from, to });
}

export function mergeTags(tags: string[], into: string): Promise<TagJobResultDto> {
  return request<TagJobResultDto>('POST', '/api/admin/tags/merge', { tags, into });
}

export function deleteTag(tag: string): Promise<TagJobResultDto> {
  return request<TagJobResultDto>('POST', '/api/admin/tags/delete', { tag });
}

export async function updateTeam(id: string, body: UpdateTeamBody): Promise<TeamDto> {
  return (await request<{ team: TeamDto }>('PATCH', `/api/teams/${enc(id)}`, body)).team;
}

export async function teamMembers(id: string): Promise<UserDto[]> {
  return (await request<{ items: UserDto[] }>('GET', `/api/teams/${enc(id)}/members`)).items;
}

export function listLostReasons(opts: { archived?: boolean } = {}): Promise<LostReasonListDto> {
  return request<LostReasonListDto>('GET', `/api/lost-reasons${opts.archived ? '?archived=true' : ''}`);
}

export async function createLostReason(body: CreateLostReasonBody, opts: CreateOptions = {}): Promise<LostReasonDto> {
  return (await request<{ lostReason: LostReasonDto }>('POST', '/api/lost-reasons', body, opts)).lostReason;
}

export async function updateLostReason(id: string, body: UpdateLostReasonBody): Promise<LostReasonDto> {
  return (await request<{ lostReason: LostReasonDto }>('PATCH', `/api/lost-reasons/${enc(id)}`, body)).lostReason;
}

export function setLostReasonFreeText(freeText: boolean): Promise<LostReasonListDto> {
  return request<LostReasonListDto>('PUT', '/api/lost-reasons/settings', { freeText });
}
